"""The one seam through which the tool reads the clock and waits.

Devices, services and sync take a ``Clock``; tests pass a ``Clock`` whose delays are scaled down (or a
fake that advances by hand), so protocol timeouts of seconds run in milliseconds. The domain never reads
the clock: it is handed times.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime


class Clock:
    """Wall time, monotonic time and sleeping, with every duration multiplied by ``scale``."""

    def __init__(self, scale: float = 1.0):
        self.scale = scale

    def now(self) -> datetime:
        """Timezone-aware UTC wall time."""
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    def seconds(self, configured: float) -> float:
        """A configured duration, in real seconds."""
        return configured * self.scale

    def sleep(self, configured: float) -> None:
        time.sleep(max(0.0, configured * self.scale))


SYSTEM_CLOCK = Clock()
