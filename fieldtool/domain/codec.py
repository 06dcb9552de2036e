"""Dataclasses to JSON-able dicts and back, with errors that name the field.

``to_data`` turns a dataclass (nested, with enums, dates, tuples, frozensets) into plain JSON types.
``from_data(cls, data, where)`` builds the dataclass back, checking every type on the way; a wrong or
missing value raises ``InputError`` naming ``where`` and the field path (``work order WO-17:
removal.last_read_date: not a date``). Pure: no I/O.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar, get_args, get_origin, get_type_hints

from fieldtool.domain.errors import InputError

T = TypeVar("T")
_MISSING = dataclasses.MISSING


def to_data(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_data(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, Enum):
        return obj.value
    if isinstance(obj, datetime | date):
        return obj.isoformat()
    if isinstance(obj, frozenset | set):
        return sorted(to_data(v) for v in obj)
    if isinstance(obj, list | tuple):
        return [to_data(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_data(v) for k, v in obj.items()}
    return obj


def from_data(cls: type[T], data: Any, where: str = "") -> T:
    return _convert(cls, data, where, "")


def _fail(where: str, path: str, message: str) -> InputError:
    prefix = f"{where}: " if where else ""
    return InputError(f"{prefix}{path or 'record'}: {message}")


_PLAIN = frozenset({str, int, float, bool})


@functools.cache
def _origin_args(tp: Any) -> tuple[Any, tuple[Any, ...]]:
    """``get_origin`` and ``get_args`` of a type, worked out once (they are slow and called per value)."""
    return get_origin(tp), get_args(tp)


def _convert(tp: Any, value: Any, where: str, path: str) -> Any:
    if type(value) is tp and tp in _PLAIN:  # the common case: nothing to check or convert
        return value
    origin, tp_args = _origin_args(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in tp_args if a is not type(None)]
        if value is None:
            if len(args) < len(tp_args):
                return None
            raise _fail(where, path, "is required")
        return _convert(args[0], value, where, path) if len(args) == 1 else value
    if value is None:
        raise _fail(where, path, "is required")
    if dataclasses.is_dataclass(tp):
        return _dataclass(tp, value, where, path)
    if origin in (tuple, list, frozenset, set):
        if not isinstance(value, list | tuple):
            raise _fail(where, path, f"must be a list, not {type(value).__name__}")
        item = tp_args[0] if tp_args else Any
        items = [_convert(item, v, where, f"{path}[{i}]") for i, v in enumerate(value)]
        return (origin or list)(items)
    if origin is dict:
        if not isinstance(value, dict):
            raise _fail(where, path, "must be an object")
        return dict(value)
    if tp is Any:
        return value
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in tp)
            raise _fail(where, path, f"{value!r} is not one of: {allowed}") from None
    if tp is datetime:
        return _datetime(value, where, path)
    if tp is date:
        if not isinstance(value, str):
            raise _fail(where, path, "must be a date like 2026-03-01")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise _fail(where, path, f"{value!r} is not a date like 2026-03-01") from None
    if tp is bool:
        if not isinstance(value, bool):
            raise _fail(where, path, "must be true or false")
        return value
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(where, path, f"must be a number, not {value!r}")
        return float(value)
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(where, path, f"must be a whole number, not {value!r}")
        return value
    if tp is str:
        if not isinstance(value, str):
            raise _fail(where, path, f"must be text, not {value!r}")
        return value
    return value


def _datetime(value: Any, where: str, path: str) -> datetime:
    if not isinstance(value, str):
        raise _fail(where, path, "must be a time like 2026-03-01T09:30:00Z")
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise _fail(where, path, f"{value!r} is not a time like 2026-03-01T09:30:00Z") from None
    if dt.tzinfo is None:
        raise _fail(where, path, f"{value!r} has no time zone (add Z or +hh:mm)")
    return dt


@functools.cache
def _shape(cls: type) -> tuple[dict[str, Any], dict[str, dataclasses.Field]]:
    """A dataclass's resolved type hints and fields, worked out once per class (get_type_hints is slow,
    and the store decodes thousands of work orders)."""
    return get_type_hints(cls), {f.name: f for f in dataclasses.fields(cls)}


def _dataclass(cls: type, value: Any, where: str, path: str) -> Any:
    if not isinstance(value, dict):
        raise _fail(where, path, f"must be an object, not {type(value).__name__}")
    hints, fields = _shape(cls)
    unknown = sorted(set(value) - set(fields))
    if unknown:
        raise _fail(where, path, f"unknown field(s): {', '.join(unknown)}")
    kwargs = {}
    for name, f in fields.items():
        sub = f"{path}.{name}" if path else name
        if name in value:
            kwargs[name] = _convert(hints[name], value[name], where, sub)
        elif f.default is _MISSING and f.default_factory is _MISSING:
            raise _fail(where, sub, "is missing")
    return cls(**kwargs)
