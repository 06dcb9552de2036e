"""The live scanning path: camera frames -> decoder -> one scan per code.

Runs on the caller's thread (the GUI runs it through its op helper, the CLI on the main thread) while the
camera captures on its own. Each frame gets the first pass plus recovery within ``budget_s`` -- the live
budget is small so decoding keeps pace with the camera, and only the recovery steps that cost a
fraction of a frame interval run (``LIVE_RECOVERY``). Recovery resumes on the next frame at the step
where the last frame ran out of time, so a hard label gets the whole pipeline spread over a few frames.
Latest-frame-wins in ``Camera`` means a slow frame costs dropped frames, never a growing delay.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from fieldtool.devices.scanning.backends import Symbol
from fieldtool.devices.scanning.camera import Camera
from fieldtool.devices.scanning.dedup import ScanDeduplicator
from fieldtool.devices.scanning.pipeline import LIVE_RECOVERY, Decoder

# Symbologies with Reed-Solomon error correction: a wrong read is practically impossible.
MATRIX = frozenset({"QRCode", "MicroQRCode", "RMQRCode", "DataMatrix", "Aztec", "PDF417", "MaxiCode"})


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
    decode_cpu_s_total: float = 0.0  # the decoding thread's CPU time (what decoding costs on an idle machine)
    max_latency_s: float = 0.0
    latencies_s: deque = field(default_factory=lambda: deque(maxlen=10_000))  # capture -> decoded, per frame


def live_scans(camera: Camera, decoder: Decoder, *, budget_s: float, dedup: ScanDeduplicator | None = None,
               cancel: threading.Event | None = None, stats: LiveStats | None = None,
               idle_timeout_s: float = 5.0) -> Iterator[LiveScan]:  # fmt: skip
    """New scans as they are read, until the camera ends (end of a video file), ``cancel`` is set, or no
    frame comes for ``idle_timeout_s``. The camera must be started; it is not stopped here."""
    dedup = dedup or ScanDeduplicator()
    decoder = decoder.with_steps(LIVE_RECOVERY)
    # A linear symbol read only by a recovery step (a bar profile, a binarised crop) is reported once a
    # second frame reads it too: two wrong bars can cancel in a Code 128 checksum, two frames rarely agree
    # on the same wrong text. First-pass reads and matrix codes (Reed-Solomon) are reported at once.
    unconfirmed: dict[tuple[str, str], float] = {}
    stats = stats if stats is not None else LiveStats()
    clock = camera.clock
    resume = 0  # the recovery step the next frame starts at (the scene changes little between frames)
    while not (cancel is not None and cancel.is_set()):
        frame = camera.next_frame(timeout=idle_timeout_s)
        if frame is None:
            return  # the file ended, the camera was lost or went silent, or cancel was set
        start, cpu = clock.monotonic(), time.thread_time()
        result = decoder.decode(frame.image, budget_s=budget_s, first_step=resume)
        stats.decode_cpu_s_total += time.thread_time() - cpu
        resume = 0 if result.symbols else result.next_step
        done = clock.monotonic()
        stats.frames += 1
        stats.decode_s_total += done - start
        latency = done - frame.captured_at
        stats.max_latency_s = max(stats.max_latency_s, latency)
        stats.latencies_s.append(latency)
        confirmed = []
        for s in result.symbols:
            seen_before = s.key in unconfirmed and frame.t - unconfirmed[s.key] <= dedup.hold_s
            if s.found_by == "first" or s.symbology in MATRIX or seen_before:
                confirmed.append(s)
            else:
                unconfirmed[s.key] = frame.t
        if len(unconfirmed) > 256:
            unconfirmed = {k: t for k, t in unconfirmed.items() if frame.t - t <= dedup.hold_s}
        for symbol in dedup.new(confirmed, frame.t):
            yield LiveScan(symbol, frame.seq, latency)
