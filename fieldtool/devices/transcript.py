"""The session transcript: every byte to and from the meter, hex with a timestamp and a direction.

Kept for diagnostics (the installer can attach it to a support ticket). Passwords never appear in it: the
bytes of a Security request are replaced by ``<password hidden>``.
"""

from __future__ import annotations

import re
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class Line:
    at: datetime
    direction: str  # "tx" (tool -> meter), "rx" (meter -> tool) or "note"
    text: str  # hex, or a note in words

    def to_json(self) -> dict:
        return {"at": self.at.isoformat(timespec="milliseconds"), "dir": self.direction, "data": self.text}

    def __str__(self) -> str:
        return f"{self.at.isoformat(timespec='milliseconds')} {self.direction:>4} {self.text}"


class Transcript:
    """A bounded, thread-safe list of lines (the worker thread writes, the GUI reads)."""

    def __init__(self, clock, limit: int = 5000):
        self.clock = clock
        self._lines: deque[Line] = deque(maxlen=limit)
        self._lock = threading.Lock()

    def add(self, direction: str, data: bytes, *, secret: bool = False) -> None:
        if not data:
            return
        text = f"<{len(data)} bytes, password hidden>" if secret else data.hex(" ")
        with self._lock:
            self._lines.append(Line(self.clock.now(), direction, text))

    def note(self, text: str) -> None:
        with self._lock:
            self._lines.append(Line(self.clock.now(), "note", text))

    def lines(self) -> list[Line]:
        with self._lock:
            return list(self._lines)

    def to_json(self) -> list[dict]:
        return [line.to_json() for line in self.lines()]

    def save(self, folder: Path, name: str, keep: int) -> Path | None:
        """Write the transcript to ``folder/<time>-<name>.log`` and keep only the newest ``keep`` files."""
        lines = self.lines()
        if keep <= 0 or not lines:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:60]
        path = folder / f"{lines[0].at.strftime('%Y%m%dT%H%M%S.%f')}-{safe}.log"
        path.write_text("\n".join(str(x) for x in lines) + "\n", encoding="utf-8")
        for old in sorted(folder.glob("*.log"))[:-keep]:
            old.unlink(missing_ok=True)
        return path
