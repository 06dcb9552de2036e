"""The live scanning path: camera frames -> decoder -> one scan per code.

Runs on the caller's thread (the GUI runs it through its op helper, the CLI on the main thread) while the
camera captures on its own. Each frame gets the first pass plus recovery within ``budget_s`` -- the live
budget is small so decoding keeps pace with the camera; a label that needs more is usually read a few
frames later as the installer steadies the camera. Latest-frame-wins in ``Camera`` means a slow frame
costs dropped frames, never a growing delay.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

from fieldtool.devices.scanning.backends import Symbol
from fieldtool.devices.scanning.camera import Camera
from fieldtool.devices.scanning.dedup import ScanDeduplicator
from fieldtool.devices.scanning.pipeline import Decoder


@dataclass(frozen=True)
class LiveScan:
    symbol: Symbol
    frame: int  # the camera's frame number
    latency_s: float  # from capture to decoded

    def to_dict(self) -> dict:
        s = self.symbol
        return {"symbology": s.symbology, "text": s.text, "gs1": s.gs1, "frame": self.frame,
                "position": [list(p) for p in s.position], "latency_ms": round(self.latency_s * 1000, 1)}  # fmt: skip


@dataclass
class LiveStats:
    frames: int = 0  # frames decoded
    decode_s_total: float = 0.0
    max_latency_s: float = 0.0


def live_scans(camera: Camera, decoder: Decoder, *, budget_s: float, dedup: ScanDeduplicator | None = None,
               cancel: threading.Event | None = None, stats: LiveStats | None = None,
               idle_timeout_s: float = 5.0) -> Iterator[LiveScan]:  # fmt: skip
    """New scans as they are read, until the camera ends (end of a video file), ``cancel`` is set, or no
    frame comes for ``idle_timeout_s``. The camera must be started; it is not stopped here."""
    dedup = dedup or ScanDeduplicator()
    stats = stats if stats is not None else LiveStats()
    clock = camera.clock
    while not (cancel is not None and cancel.is_set()):
        frame = camera.next_frame(timeout=idle_timeout_s)
        if frame is None:
            return  # the file ended, the camera was lost or went silent, or cancel was set
        start = clock.monotonic()
        result = decoder.decode(frame.image, budget_s=budget_s)
        done = clock.monotonic()
        stats.frames += 1
        stats.decode_s_total += done - start
        latency = done - frame.captured_at
        stats.max_latency_s = max(stats.max_latency_s, latency)
        for symbol in dedup.new(result.symbols, frame.t):
            yield LiveScan(symbol, frame.seq, latency)
