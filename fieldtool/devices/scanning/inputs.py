"""Scans that arrive as text: keyboard-wedge scanners and serial scanners.

``WedgeDetector`` is pure: the GUI feeds it every key event with the event's timestamp and it says when a
burst was a scan. A wedge scanner types a whole code in a few tens of milliseconds and ends it with Enter
or Tab; a person types far slower. So a scan is: at least ``min_length`` characters, each within
``max_gap_s`` of the previous one, ended by a terminator that also comes within ``max_gap_s``.

``ScannerFramer`` is pure too: bytes from a serial scanner in, code texts out, with the configured prefix
and suffix. ``SerialScanner`` owns the port and its reader thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.devices.lines import open_serial
from fieldtool.domain.errors import InputError


@dataclass(frozen=True)
class TextScan:
    text: str
    source: str  # "wedge" or "serial"
    started: float  # the monotonic/event time of the first character
    ended: float


class WedgeDetector:
    """Tells a wedge scanner's burst of keystrokes from typing (pure; timestamps are injected).

    ``feed(char, t)`` returns a ``TextScan`` when ``char`` completes a scan, else None. Characters of a burst
    that turns out to be typing are simply forgotten: the text field got them already. ``pending`` tells the
    GUI whether a burst is in progress (so it can hold back a field's Enter action until the burst ends).
    """

    def __init__(self, *, min_length: int = 4, max_gap_s: float = 0.05, terminators: str = "\r\n\t",
                 prefix: str = "", suffix: str = ""):  # fmt: skip
        self.min_length = min_length
        self.max_gap_s = max_gap_s
        self.terminators = terminators
        self.prefix = prefix
        self.suffix = suffix
        self._chars: list[str] = []
        self._start = 0.0
        self._last: float | None = None

    @classmethod
    def from_settings(cls, s) -> WedgeDetector:
        """From the ``[scanning]`` section (``ScanningSettings``)."""
        return cls(min_length=s.wedge_min_length, max_gap_s=s.wedge_max_gap_ms / 1000, prefix=s.wedge_prefix,
                   suffix=s.wedge_suffix)  # fmt: skip

    @property
    def pending(self) -> bool:
        return bool(self._chars)

    def reset(self) -> None:
        self._chars.clear()
        self._last = None

    def feed(self, char: str, t: float) -> TextScan | None:
        if self._last is not None and t - self._last > self.max_gap_s:
            self._chars.clear()  # too slow: that was a person typing (or the start of a new burst)
        if char in self.terminators:
            burst, start = "".join(self._chars), self._start
            fast = self._last is not None and t - self._last <= self.max_gap_s
            self.reset()
            if fast and len(burst) >= self.min_length:
                return TextScan(_strip(burst, self.prefix, self.suffix), "wedge", start, t)
            return None
        if len(char) != 1:  # a non-character key (Shift, arrows): scanners never send those mid-code
            self.reset()
            return None
        if not self._chars:
            self._start = t
        self._chars.append(char)
        self._last = t
        return None


def _strip(text: str, prefix: str, suffix: str) -> str:
    if prefix and text.startswith(prefix):
        text = text[len(prefix) :]
    if suffix and text.endswith(suffix):
        text = text[: -len(suffix)]
    return text


class ScannerFramer:
    """Splits a serial scanner's byte stream into codes (pure).

    Each code ends with ``suffix`` (default CR; CR LF and LF are also taken when the suffix is CR or LF, as
    scanners are configured either way). A configured ``prefix`` must start each code and is removed; a
    code without it is reported as an error, not silently accepted. ``max_length`` bounds a code so a
    scanner that never sends its suffix cannot grow memory without end.
    """

    def __init__(self, *, prefix: bytes = b"", suffix: bytes = b"\r", encoding: str = "latin-1",
                 max_length: int = 4096):  # fmt: skip
        if not suffix:
            raise InputError("A serial scanner needs a suffix that ends each code.", hint="Usually CR (\\r).")
        self.prefix, self.suffix, self.encoding, self.max_length = prefix, suffix, encoding, max_length
        self._buf = bytearray()
        self.errors: list[str] = []

    def feed(self, data: bytes) -> list[str]:
        self._buf += data
        codes = []
        ends = (self.suffix, b"\n", b"\r") if self.suffix in (b"\r", b"\n", b"\r\n") else (self.suffix,)
        while True:
            hits = [(i, e) for e in ends if (i := self._buf.find(e)) >= 0]
            if not hits:
                break
            i, end = min(hits, key=lambda h: (h[0], -len(h[1])))
            frame = bytes(self._buf[:i])
            del self._buf[: i + len(end)]
            if not frame:
                continue  # the LF of a CR LF, or an empty line
            if self.prefix:
                if not frame.startswith(self.prefix):
                    self.errors.append(f"a code without the prefix {self.prefix!r} was ignored: {frame[:40]!r}")
                    continue
                frame = frame[len(self.prefix) :]
            codes.append(frame.decode(self.encoding, errors="replace"))
        if len(self._buf) > self.max_length:
            self.errors.append(f"{len(self._buf)} bytes without the suffix {self.suffix!r} were dropped")
            self._buf.clear()
        return codes


class SerialScanner:
    """A serial (or USB-CDC, or TCP) scanner: one reader thread; ``on_scan(TextScan)`` runs on that thread.

    ``start()`` opens the port and starts reading; ``stop()`` ends the thread and closes the port. A read
    error ends the thread and is kept in ``error`` (the GUI shows it and offers to reconnect).
    """

    def __init__(self, url: str, on_scan: Callable[[TextScan], None], *, baudrate: int = 9600,
                 prefix: str = "", suffix: str = "\r", clock: Clock = SYSTEM_CLOCK, port=None):  # fmt: skip
        self.url = url
        self.on_scan = on_scan
        self.baudrate = baudrate
        self.clock = clock
        self.framer = ScannerFramer(prefix=prefix.encode("latin-1"), suffix=suffix.encode("latin-1"))
        self.error: str | None = None
        self._port = port
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @classmethod
    def from_settings(cls, s, on_scan: Callable[[TextScan], None], clock: Clock = SYSTEM_CLOCK) -> SerialScanner:
        """The scanner of the ``[scanning]`` section; ``InputError`` when ``serial_port`` is not set."""
        if not s.serial_port:
            raise InputError("No serial scanner is configured.", hint="Set [scanning] serial_port.")
        return cls(s.serial_port, on_scan, baudrate=s.serial_baudrate, prefix=s.serial_prefix,
                   suffix=s.serial_suffix, clock=clock)  # fmt: skip

    def start(self) -> SerialScanner:
        if self._port is None:
            self._port = open_serial(self.url, self.baudrate)
        self._thread = threading.Thread(target=self._run, name=f"scanner {self.url}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=2)
        if self._port is not None:
            self._port.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                data = self._port.read(max(1, self._port.in_waiting or 1))
            except Exception as e:  # pyserial raises SerialException (an OSError) or others on unplug
                self.error = f"The scanner on {self.url} stopped: {e}"
                return
            if not data:
                continue
            now = self.clock.monotonic()
            for text in self.framer.feed(data):
                self.on_scan(TextScan(text, "serial", now, now))
