"""Opening a line device -- a barcode scanner or a GNSS receiver -- by URL.

Both speak lines of text over a serial port, USB-CDC, or TCP (``socket://host:port``). They are opened
through the shared ``devices.ports.open_port`` (the one place ports are opened), with RTS/DTR left as
pyserial sets them (asserted), as such devices expect: the optical probe's RTS/DTR powering is not wanted.
"""

from __future__ import annotations

from fieldtool.devices.ports import open_port
from fieldtool.domain.errors import InputError, UserFacingError


def open_serial(url: str, baudrate: int = 9600, timeout: float = 0.1):
    """The port at ``url`` (COM3, /dev/ttyACM0, socket://host:port, loop://); ``InputError`` in words."""
    try:
        return open_port(url, baudrate=baudrate, timeout=timeout, rts=None, dtr=None)
    except (OSError, ValueError, UserFacingError) as e:
        detail = e.__cause__ if isinstance(e, UserFacingError) and e.__cause__ else e
        raise InputError(f"Cannot open the port {url}: {detail}", hint="Check the cable and the port name.") from e
