"""A reader for planner files that collects every problem, each naming its entry, before refusing.

A forecaster fixing a plan of a thousand lines wants all the mistakes at once, not one per run.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from fieldtool.domain.errors import InputError

MAX_SHOWN = 20


class Reader:
    def __init__(self, where: str):
        self.where = where
        self.problems: list[str] = []

    def error(self, at: str, why: str) -> None:
        self.problems.append(f"{at}: {why}")

    def raise_if_any(self) -> None:
        if not self.problems:
            return
        shown = self.problems[:MAX_SHOWN]
        more = len(self.problems) - len(shown)
        text = "; ".join(shown) + (f"; and {more} more" if more else "")
        raise InputError(f"{self.where} is refused: {text}.",
                         hint="Fix these entries and try again (docs/planning.md describes the format).")

    def known_keys(self, e: dict, at: str, known: set[str]) -> None:
        for k in sorted(set(e) - known):
            self.error(at, f"unknown key {k!r} (known: {', '.join(sorted(known))})")

    def entries(self, data: dict, key: str, required: bool = True):
        value = data.get(key)
        if value is None:
            if required:
                self.error(key, "is missing")
            return []
        if not isinstance(value, list):
            self.error(key, "must be a list")
            return []
        out = []
        for i, e in enumerate(value):
            if isinstance(e, dict):
                out.append((i, e))
            else:
                self.error(f"{key}[{i}]", "must be an object")
        return out

    def obj(self, data: dict, key: str, at: str) -> dict:
        value = data.get(key)
        if not isinstance(value, dict):
            self.error(at, f"{key} must be an object")
            return {}
        return value

    def str(self, e: dict, key: str, at: str, required: bool = True) -> str | None:
        value = e.get(key)
        if value is None or value == "":
            if required:
                self.error(at, f"{key} is missing")
            return None
        if not isinstance(value, str | int):
            self.error(at, f"{key} must be text")
            return None
        return str(value)

    def int(self, e: dict, key: str, at: str, *, default: int | None = None, required: bool = True,
            minimum: int | None = None, maximum: int | None = None) -> int | None:
        value = e.get(key, default)
        if value is None:
            if required:
                self.error(at, f"{key} is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(at, f"{key} must be a whole number, not {value!r}")
            return default
        if minimum is not None and value < minimum:
            word = "negative" if minimum == 0 else f"less than {minimum}"
            self.error(at, f"{key} is {value}: it may not be {word}")
            return default
        if maximum is not None and value > maximum:
            self.error(at, f"{key} is {value}: more than {maximum}")
            return default
        return value

    def float(self, e: dict, key: str, at: str, *, default: float, minimum: float | None = None) -> float:
        value = e.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(at, f"{key} must be a number, not {value!r}")
            return default
        if minimum is not None and value < minimum:
            self.error(at, f"{key} is {value}: it may not be negative")
            return default
        return float(value)

    def date(self, e: dict, key: str, at: str, required: bool = True) -> date | None:
        value = e.get(key)
        if value is None:
            if required:
                self.error(at, f"{key} is missing")
            return None
        return self._date(value, f"{at}.{key}")

    def _date(self, value: Any, at: str) -> date | None:
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.error(at, f"{value!r} is not a date (YYYY-MM-DD)")
            return None

    def date_list(self, e: dict, key: str, at: str) -> list[date]:
        value = e.get(key, [])
        if not isinstance(value, list):
            self.error(at, f"{key} must be a list of dates")
            return []
        return [d for i, v in enumerate(value) if (d := self._date(v, f"{at}.{key}[{i}]"))]

    def text_list(self, e: dict, key: str, at: str) -> list[str]:
        value = e.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str | int) and not isinstance(v, bool)
                                                  for v in value):
            self.error(at, f"{key} must be a list of text")
            return []
        return [str(v) for v in value]

    def enum(self, e: dict, key: str, at: str, cls: type[Enum], default: Enum | None = None):
        value = e.get(key)
        if value is None:
            if default is None:
                self.error(at, f"{key} is missing")
            return default
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in cls)
            self.error(at, f"{key} {value!r} is not one of: {allowed}")
            return default

    def stock(self, value: Any, at: str, items: dict, kind: Enum | None = None) -> dict[str, int]:
        """A ``{item code: quantity}`` object, every code known and every quantity a whole number >= 0."""
        if not isinstance(value, dict):
            self.error(at, "must be an object of item code -> quantity")
            return {}
        out = {}
        for code, qty in value.items():
            item = items.get(code)
            if item is None or (kind is not None and item.kind != kind):
                what = "HAN device type" if kind is not None else "meter or HAN device type"
                self.error(at, f"{code!r} is not one of the plan's {what}s")
            elif isinstance(qty, bool) or not isinstance(qty, int):
                self.error(at, f"{code}: {qty!r} is not a whole number")
            elif qty < 0:
                self.error(at, f"{code}: quantity {qty} is negative")
            else:
                out[code] = qty
        return out

    def unique(self, values: list, at: str, what: str) -> None:
        seen = set()
        for v in values:
            if v in seen:
                self.error(at, f"{what} {v!r} appears twice")
            seen.add(v)
