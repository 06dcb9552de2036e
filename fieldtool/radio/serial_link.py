"""A serial byte pipe for radio drivers: open by URL, read with a deadline from the injected clock.

Drivers own one ``SerialLink`` each and use it from one thread (the port's worker). The port is opened with
``fieldtool.devices.ports.open_port`` (``serial.serial_for_url`` underneath), so ``/dev/ttyUSB0``, ``COM4``,
a pty path, ``socket://HOST:PORT`` and ``loop://`` all work.
"""

from __future__ import annotations

import contextlib

import serial

from fieldtool.clock import Clock
from fieldtool.devices.ports import PortError, open_port
from fieldtool.radio.errors import RadioError

POLL_S = 0.02  # real seconds per read call; short so a cancel or a deadline is noticed quickly


def open_serial(url: str, baudrate: int) -> serial.SerialBase:
    """Open a radio's port (8N1). RTS and DTR are left as pyserial opens them (both asserted), which is what
    a modem wants: DTR off means "hang up" to many."""
    try:
        port = open_port(url, baudrate=baudrate, timeout=POLL_S, rts=None, dtr=None)
    except PortError as e:
        raise RadioError(
            f"The radio port {url} cannot be opened: {e.__cause__ or e}.",
            hint="Check the cable, the port name, and that no other program holds the port.",
        ) from None
    return port


class SerialLink:
    """Write bytes, read whatever arrived until a deadline."""

    def __init__(self, url: str, *, baudrate: int, clock: Clock):
        self.url = url
        self.clock = clock
        self.port = open_serial(url, baudrate)

    def write(self, data: bytes) -> None:
        try:
            self.port.write(data)
            self.port.flush()
        except (serial.SerialException, OSError) as e:
            raise RadioError(f"Writing to the radio on {self.url} failed: {e}.") from None

    def read_some(self) -> bytes:
        """Whatever is waiting (at most one poll interval of waiting); b'' if nothing came."""
        try:
            waiting = self.port.in_waiting if hasattr(self.port, "in_waiting") else 0
            return self.port.read(max(1, waiting))
        except (serial.SerialException, OSError) as e:
            raise RadioError(f"Reading from the radio on {self.url} failed: {e}.") from None

    def deadline(self, configured_s: float) -> float:
        return self.clock.monotonic() + self.clock.seconds(configured_s)

    def expired(self, deadline: float) -> bool:
        return self.clock.monotonic() >= deadline

    def close(self) -> None:
        with contextlib.suppress(serial.SerialException, OSError):
            self.port.close()
