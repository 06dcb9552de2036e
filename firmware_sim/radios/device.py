"""The common loop of a simulated serial radio: bytes in, scheduled bytes out, at the wire's pace."""

from __future__ import annotations

import heapq
import itertools
import threading

from fieldtool.clock import Clock
from firmware_sim.radios.transport import Stream

POLL_S = 0.01


class SimDevice:
    """Subclasses implement ``on_bytes(data)`` and call ``send(data, after_s)``; ``tick()`` runs every poll.

    Delays are in the device's own seconds and go through ``clock`` (scaled in tests). Each byte costs
    10 bit times at ``baudrate`` (8N1), and output leaves in order, as on a UART.
    """

    def __init__(self, *, clock: Clock, baudrate: int):
        self.clock = clock
        self.baudrate = baudrate
        self._queue: list[tuple[float, int, bytes]] = []
        self._seq = itertools.count()
        self._line_free_at = 0.0
        self.lock = threading.RLock()

    def send(self, data: bytes, after_s: float = 0.0) -> None:
        """Queue ``data`` to leave ``after_s`` (device seconds) from now, after anything queued before it."""
        with self.lock:
            now = self.clock.monotonic()
            start = max(now + self.clock.seconds(after_s), self._line_free_at)
            wire = self.clock.seconds(len(data) * 10 / self.baudrate)
            self._line_free_at = start + wire
            heapq.heappush(self._queue, (start + wire, next(self._seq), data))

    def on_bytes(self, data: bytes) -> None:
        raise NotImplementedError

    def tick(self) -> None:
        """Called every poll: spontaneous output (unsolicited codes, streamed results)."""

    def serve(self, stream: Stream, stop: threading.Event) -> None:
        while not stop.is_set():
            with self.lock:
                due = self._queue[0][0] if self._queue else None
            wait = POLL_S if due is None else min(POLL_S, max(0.0, due - self.clock.monotonic()))
            data = stream.read(wait)
            if data is None:
                return
            if data:
                self.on_bytes(data)
            self.tick()
            now = self.clock.monotonic()
            with self.lock:
                ready = []
                while self._queue and self._queue[0][0] <= now:
                    ready.append(heapq.heappop(self._queue)[2])
            for chunk in ready:
                stream.write(chunk)
