"""One scan per code: the same code seen in consecutive frames is reported once.

A camera sees a label in many frames in a row; the installer means one scan. A code counts as new when
it was not seen in the last ``hold_s`` seconds of frames (a short gap of missed frames, motion blur for a
moment, does not make it new). Pure: frame times are handed in.
"""

from __future__ import annotations

from fieldtool.devices.scanning.backends import Symbol


class ScanDeduplicator:
    """``new(symbols, t)`` keeps the symbols not seen within ``hold_s`` before ``t``."""

    def __init__(self, hold_s: float = 1.0):
        self.hold_s = hold_s
        self._last_seen: dict[tuple[str, str], float] = {}

    def new(self, symbols: list[Symbol], t: float) -> list[Symbol]:
        fresh = []
        for s in symbols:
            seen = self._last_seen.get(s.key)
            if seen is None or t - seen > self.hold_s:
                fresh.append(s)
            self._last_seen[s.key] = t
        # Forget codes long gone, so a long session does not grow the table without end.
        if len(self._last_seen) > 256:
            self._last_seen = {k: v for k, v in self._last_seen.items() if t - v <= self.hold_s}
        return fresh

    def reset(self) -> None:
        self._last_seen.clear()
