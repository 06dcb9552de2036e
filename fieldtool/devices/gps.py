"""The GNSS receiver: NMEA 0183 from a serial port, a TCP stream (``socket://host:port``) or a log file.

Thread rule: ``GpsReceiver`` owns its port and one reader thread; the decoder and the fix history are
touched only under ``_lock``, so ``latest()``, ``status()`` and ``average()`` may be called from any
thread. Fixes are gated (fix quality, satellites, HDOP) before they count as usable; a receiver that has
not produced a fix for ``stale_after_s`` is stale, and a stale position is never handed out as current.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.domain.errors import InputError, UserCancelled
from fieldtool.domain.model import Position
from fieldtool.domain.positioning import Average, Sample, average, estimate_accuracy, is_stale
from fieldtool.protocols.nmea import Fix, NmeaDecoder


@dataclass(frozen=True)
class GpsSettings:
    """The ``[gps]`` configuration section (docs/configuration.md)."""

    port: str = ""  # /dev/ttyACM0, COM5, socket://host:port; empty: no receiver configured
    baudrate: int = 4800  # the NMEA 0183 rate; many USB receivers use 9600
    min_quality: int = 1  # GGA fix quality below this is not usable (0 = no fix)
    min_satellites: int = 4
    max_hdop: float = 5.0
    average_fixes: int = 10  # fixes averaged for a meter position
    outlier_k: float = 3.0  # a fix farther than k x the median distance from the median is rejected ...
    outlier_min_m: float = 5.0  # ... but never one closer than this
    stale_after_s: float = 5.0  # no new fix for this long: the receiver is stale
    average_timeout_s: float = 60.0  # give up waiting for enough usable fixes after this long


@dataclass(frozen=True)
class GpsFix:
    fix: Fix
    accuracy_m: float | None
    usable: bool
    reason: str | None  # why it is not usable
    received_at: float  # the clock's monotonic time

    def position(self) -> Position:
        return Position(self.fix.lat, self.fix.lon, self.accuracy_m, self.fix.time, "gps")

    def to_dict(self) -> dict:
        f = self.fix
        return {"lat": round(f.lat, 7), "lon": round(f.lon, 7), "accuracy_m": self.accuracy_m, "time": f.time,
                "quality": f.quality, "satellites": f.satellites, "hdop": f.hdop, "usable": self.usable}  # fmt: skip


def gate(fix: Fix, settings: GpsSettings, received_at: float) -> GpsFix:
    """Turn a receiver fix into a ``GpsFix`` with its accuracy and whether it is good enough to use."""
    acc = estimate_accuracy(fix.quality, fix.hdop, fix.sigma_m)
    reason = None
    if fix.quality < settings.min_quality or acc is None:
        reason = f"fix quality {fix.quality} is not a measured fix"
    elif fix.satellites is not None and fix.satellites < settings.min_satellites:
        reason = f"only {fix.satellites} satellites (at least {settings.min_satellites} needed)"
    elif fix.hdop is not None and fix.hdop > settings.max_hdop:
        reason = f"HDOP {fix.hdop} is above {settings.max_hdop}"
    return GpsFix(fix, acc, reason is None, reason, received_at)


def average_fixes(fixes: Iterable[GpsFix], settings: GpsSettings) -> Average | None:
    samples = [Sample(g.fix.lat, g.fix.lon, g.accuracy_m, g.fix.time) for g in fixes if g.usable]
    return average(samples, k=settings.outlier_k, min_reject_m=settings.outlier_min_m)


@dataclass
class Replay:
    decoder: NmeaDecoder
    fixes: list[GpsFix]
    average: Average | None


def replay(path: str | Path, settings: GpsSettings = GpsSettings(), clock: Clock = SYSTEM_CLOCK) -> Replay:
    """Decode an NMEA log file from start to end (no pacing). The average is over the last
    ``average_fixes`` usable fixes, as at the moment the log ended."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"Cannot read the NMEA log {p}: {e.strerror or e}.") from e
    decoder = NmeaDecoder()
    fixes = [gate(f, settings, clock.monotonic()) for f in decoder.feed(data + b"\n")]
    usable = [g for g in fixes if g.usable][-settings.average_fixes :]
    return Replay(decoder, fixes, average_fixes(usable, settings))


class GpsReceiver:
    """A live receiver on ``url`` (anything ``serial.serial_for_url`` opens). ``on_fix`` runs on the reader
    thread for every fix; keep it short."""

    def __init__(self, url: str, settings: GpsSettings = GpsSettings(), *, clock: Clock = SYSTEM_CLOCK,
                 on_fix: Callable[[GpsFix], None] | None = None, port=None, history: int = 600):  # fmt: skip
        self.url = url
        self.settings = settings
        self.clock = clock
        self.on_fix = on_fix
        self.decoder = NmeaDecoder(fallback_date=clock.now().date())
        self.fixes: deque[GpsFix] = deque(maxlen=history)
        self.error: str | None = None
        self.bytes_read = 0
        self._port = port
        self._lock = threading.Lock()
        self._new_fix = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> GpsReceiver:
        if self._port is None:
            from fieldtool.devices.lines import open_serial

            self._port = open_serial(self.url, self.settings.baudrate, timeout=0.2)
        self._thread = threading.Thread(target=self._run, name=f"gps {self.url}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=2)
        if self._port is not None:
            self._port.close()

    def __enter__(self) -> GpsReceiver:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._port.read(max(1, min(self._port.in_waiting or 1, 4096)))
            except Exception as e:  # SerialException, socket errors on unplug or a dropped connection
                self.error = f"The GPS receiver on {self.url} stopped: {e}"
                return
            if not data:
                continue
            with self._lock:
                self.bytes_read += len(data)
                self.decoder.fallback_date = self.clock.now().date()
                fixes = [gate(f, self.settings, self.clock.monotonic()) for f in self.decoder.feed(data)]
                self.fixes.extend(fixes)
                if fixes:
                    self._new_fix.notify_all()
            for g in fixes:
                if self.on_fix:
                    self.on_fix(g)

    # -- any thread ---------------------------------------------------------------------------------
    def history(self) -> list[GpsFix]:
        """Every fix kept so far (the newest last)."""
        with self._lock:
            return list(self.fixes)

    def latest(self, usable_only: bool = True) -> GpsFix | None:
        with self._lock:
            return next((g for g in reversed(self.fixes) if g.usable or not usable_only), None)

    def age_s(self) -> float | None:
        g = self.latest(usable_only=False)
        return None if g is None else self.clock.monotonic() - g.received_at

    def status(self) -> dict:
        """``state``: no_data (nothing read), no_fix (sentences but no usable fix), fix, stale, or failed."""
        last = self.latest()
        with self._lock:
            counts = dict(self.decoder.counts)
            sky = self.decoder.sky
        age = None if last is None else self.clock.monotonic() - last.received_at
        if self.error:
            state = "failed"
        elif not self.bytes_read:
            state = "no_data"
        elif last is None:
            state = "no_fix"
        elif is_stale(age, self.settings.stale_after_s):
            state = "stale"
        else:
            state = "fix"
        return {"state": state, "age_s": age, "last": last.to_dict() if last else None, "counts": counts,
                "satellites_in_view": sky.in_view, "fix_mode": sky.mode, "error": self.error}  # fmt: skip

    def position(self) -> Position | None:
        """The latest usable fix as a ``Position``, or None when there is none or it is stale."""
        last = self.latest()
        if last is None or is_stale(self.clock.monotonic() - last.received_at, self.settings.stale_after_s):
            return None
        return last.position()

    def average(self, n: int | None = None, *, cancel=None,
                progress: Callable[[int, int], None] | None = None) -> Average:  # fmt: skip
        """Wait for ``n`` new usable fixes (default ``average_fixes``) and average them. ``cancel`` is anything
        with ``is_set()``; raises ``UserCancelled`` when it is set, ``InputError`` when the fixes do not
        come in time."""
        n = n or self.settings.average_fixes
        deadline = self.clock.monotonic() + self.clock.seconds(self.settings.average_timeout_s)
        with self._lock:
            start = len(self.fixes) and self.fixes[-1].received_at
        collected: list[GpsFix] = []
        while len(collected) < n:
            if cancel is not None and cancel.is_set():
                raise UserCancelled()
            if self.clock.monotonic() > deadline or self.error:
                raise InputError(
                    f"Only {len(collected)} of {n} usable GPS fixes arrived in time." + (f" {self.error}" if self.error else ""),
                    hint="Move to open sky, or enter the position by hand.",
                )
            with self._lock:
                self._new_fix.wait(timeout=0.1)
                collected = [g for g in self.fixes if g.usable and g.received_at > start][-n:]
            if progress:
                progress(len(collected), n)
        result = average_fixes(collected, self.settings)
        assert result is not None  # n >= 1 usable fixes
        return result


class GpsPositionSource:
    """``domain.exchange_devices.PositionSource`` on a running receiver: the position for steps 6.2 and
    6.7 is the average of ``n`` new usable fixes (outliers rejected), with its honest accuracy and the
    time of the newest fix used. Blocks; run it off the GUI thread."""

    def __init__(self, receiver: GpsReceiver, n: int | None = None):
        self.receiver = receiver
        self.n = n or receiver.settings.average_fixes

    def fix(self, progress, cancel) -> Position:
        avg = self.receiver.average(
            self.n, cancel=cancel, progress=lambda got, n: progress(got / n, f"{got} of {n} GPS fixes")
        )
        return Position(avg.lat, avg.lon, avg.accuracy_m, avg.time, "gps")
