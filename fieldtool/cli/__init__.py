"""``fieldtool <command> [--json]``: every capability, scriptable, on the same services as the GUI.

Each module of this package (not starting with ``_``) adds its commands in ``register(subparsers)``.
A command's handler returns a JSON-able value (printed as one JSON document with ``--json``, as readable
lines without), or an iterator of them for streaming commands (JSON Lines). A refusal raises
``UserFacingError``: exit 1, the reason on stderr, and ``{"error": ...}`` on stdout with ``--json``.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from collections.abc import Iterator

from fieldtool import __version__
from fieldtool.cli._common import emit, emit_error
from fieldtool.domain.errors import UserCancelled, UserFacingError

log = logging.getLogger("fieldtool")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldtool", description="Field tool for AMI meter roll-outs.")
    parser.add_argument("--version", action="version", version=f"fieldtool {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    as_json = getattr(args, "json", False)
    try:
        result = args.handler(args)
        if isinstance(result, Iterator):
            for item in result:
                emit(item, as_json, stream=True)
        elif result is not None:
            emit(result, as_json)
        return 0
    except UserFacingError as e:
        emit_error(str(e), as_json)
        return 1
    except (UserCancelled, KeyboardInterrupt):
        emit_error("cancelled", as_json)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug: keep the traceback in the log, tell the person where it is
        from fieldtool.logs import log_path, setup_logging

        setup_logging()
        log.exception("unexpected error in %s", args.command)
        emit_error(f"unexpected error: {e!r}; the details are in {log_path()}", as_json)
        return 70


if __name__ == "__main__":
    sys.exit(main())
