"""``fieldtool self-test [--json]``: check this installation end to end (see ``services/self_test.py``)."""

from __future__ import annotations

import sys

from fieldtool.cli._common import command


def register(sub) -> None:
    command(sub, "self-test", _self_test, "check that this installation works: store, plug-ins, scanner, meter link, "
            "main window (exit 1 with what failed)")


def _self_test(args):
    from fieldtool.services.self_test import run_self_test

    result = run_self_test(None if args.json else lambda line: print(line, file=sys.stderr, flush=True))
    if not result["ok"]:
        if args.json:
            import json

            print(json.dumps(result))
        else:
            print("self-test FAILED: " + ", ".join(result["failed"]), file=sys.stderr)
        raise SystemExit(1)
    return result
