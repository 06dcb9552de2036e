"""Small helpers the repositories share: times and JSON as stored in SQLite."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from fieldtool.domain.codec import to_data
from fieldtool.domain.errors import InputError


def stamp(at: datetime | None) -> str | None:
    """A time as stored: UTC ISO 8601 with microseconds, so text order is time order."""
    if at is None:
        return None
    if at.tzinfo is None:
        raise ValueError(f"a stored time needs a time zone: {at!r}")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def unstamp(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def dump(value: Any) -> str:
    """Canonical JSON (sorted keys, no spaces): the same data always gives the same bytes."""
    return json.dumps(to_data(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def load(text: str, what: str = "A stored record") -> Any:
    """JSON as stored; damaged text is refused in words (``InputError``), not a crash."""
    try:
        return json.loads(text)
    except (TypeError, ValueError) as e:
        raise InputError(f"{what} is damaged: its JSON cannot be read ({e}).") from e
