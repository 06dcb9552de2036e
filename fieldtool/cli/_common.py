"""Shared helpers for the CLI modules: the ``--json`` flag, printing, errors."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any


def command(sub, name: str, handler: Callable, help: str) -> argparse.ArgumentParser:
    """Add a subcommand with the standard ``--json`` flag; ``handler(args)`` runs it."""
    p = sub.add_parser(name, help=help, description=help)
    p.add_argument("--json", action="store_true", help="print JSON on stdout")
    p.set_defaults(handler=handler)
    return p


def group(sub, name: str, help: str):
    """A command with subcommands of its own (``fieldtool work-orders list``)."""
    p = sub.add_parser(name, help=help, description=help)
    return p.add_subparsers(dest=f"{name}_command", metavar="COMMAND", required=True)


def jsonable(obj: Any) -> Any:
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, bytes):
        return obj.hex().upper()
    if isinstance(obj, set | frozenset | tuple):
        return list(obj)
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def dumps(obj: Any) -> str:
    return json.dumps(obj, default=jsonable, ensure_ascii=False)


def emit(obj: Any, as_json: bool, *, stream: bool = False) -> None:
    if as_json:
        print(dumps(obj), flush=stream)
    else:
        print(human(obj), flush=stream)


def emit_error(message: str, as_json: bool) -> None:
    print(f"fieldtool: {message}", file=sys.stderr)
    if as_json:
        print(dumps({"error": message}))


def human(obj: Any, indent: int = 0) -> str:
    """A plain, readable rendering of a JSON-able value for people at a terminal."""
    pad = "  " * indent
    if isinstance(obj, dict):
        lines = []
        for k, v in obj.items():
            if isinstance(v, dict | list) and v:
                lines.append(f"{pad}{k}:")
                lines.append(human(v, indent + 1))
            else:
                lines.append(f"{pad}{k}: {_scalar(v)}")
        return "\n".join(lines)
    if isinstance(obj, list):
        return "\n".join(
            (f"{pad}-\n{human(v, indent + 1)}" if isinstance(v, dict | list) else f"{pad}- {_scalar(v)}")
            for v in obj
        )
    return f"{pad}{_scalar(obj)}"


def _scalar(v: Any) -> str:
    if isinstance(v, list | dict):
        return "(none)"
    if isinstance(v, str):
        return v
    return dumps(v)


def read_json_file(path: str) -> Any:
    """A JSON file given on the command line, with a clear error when it cannot be read."""
    from fieldtool.domain.errors import InputError

    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise InputError(f"There is no file {path}.") from e
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise InputError(f"{path} is not valid JSON: {e}") from e
