"""Opening the optical probe (or any byte pipe that looks like one) by URL.

``open_port(url)`` takes whatever ``serial.serial_for_url`` takes: ``COM3``, ``/dev/ttyUSB0``, a pty path,
``socket://127.0.0.1:PORT`` (a simulated meter) or ``loop://``. A C12.18 session starts at 9600 8N1.
ANSI Type-2 probes are powered from the RTS/DTR lines (termineter's convention: RTS on, DTR off); where the
port cannot take them (a socket, a pty) that is skipped with a debug log, never an error.
"""

from __future__ import annotations

import contextlib
import logging
import socket

import serial

from fieldtool.domain.errors import UserFacingError

log = logging.getLogger("fieldtool.devices.ports")


class PortError(UserFacingError):
    """The port could not be opened or used."""


def open_port(url: str, *, baudrate: int = 9600, bytesize: int = 8, parity: str = "N", stopbits: int = 1,
              timeout: float = 0.02, rts: bool | None = True, dtr: bool | None = False) -> serial.SerialBase:  # fmt: skip
    """An open port with optical-probe settings. ``PortError`` in words when it cannot be opened."""
    try:
        port = serial.serial_for_url(url, do_not_open=True, baudrate=baudrate, bytesize=bytesize, parity=parity,
                                     stopbits=stopbits, timeout=timeout, write_timeout=5)  # fmt: skip
        port.open()
    except (serial.SerialException, ValueError, OSError) as e:
        raise PortError(
            f"The optical port {url} could not be opened: {e}.",
            hint="Check that the probe is plugged in and no other program uses the port.",
        ) from e
    sock = getattr(port, "_socket", None)  # pyserial's socket:// keeps it there
    if sock is not None:
        # The link writes an ACK and then the next request: Nagle + delayed ACK would hold the second
        # write ~40 ms, which a real serial line never does.
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for name, value in (("rts", rts), ("dtr", dtr)):
        if value is None:
            continue
        try:
            setattr(port, name, value)
        except (serial.SerialException, OSError, AttributeError, NotImplementedError, ValueError) as e:
            log.debug("port %s cannot set %s (%s); skipped", url, name.upper(), e)
    return port


def set_baudrate(port: serial.SerialBase, baudrate: int) -> None:
    """Switch the line speed after Negotiate; a port without a line (socket, loop) ignores it."""
    try:
        port.baudrate = baudrate
    except (serial.SerialException, OSError, ValueError) as e:
        log.debug("port %s cannot switch to %d baud (%s); left as it is", port.name, baudrate, e)


def set_line(port: serial.SerialBase, *, baudrate: int, bytesize: int, parity: str) -> None:
    """Character framing for another protocol (IEC 62056-21 starts at 300 baud 7E1). A pty or a socket
    carries bytes whatever the framing: where the port refuses the setting it is skipped with a debug log."""
    for name, value in (("baudrate", baudrate), ("bytesize", bytesize), ("parity", parity)):
        try:
            setattr(port, name, value)
        except Exception as e:  # termios.error is not an OSError; pyserial raises several kinds here
            log.debug("port %s cannot set %s=%s (%s); skipped", port.name, name, value, e)


def read_available(port: serial.SerialBase) -> bytes:
    """Whatever has arrived: waits up to the port timeout for the first byte, then takes the rest."""
    try:
        data = port.read(1)
        # A serial port reports the bytes queued; pyserial's socket:// reports only "some" (1): loop.
        while data and (waiting := port.in_waiting):
            data += port.read(waiting)
        return data
    except (serial.SerialException, OSError) as e:
        raise PortError(f"The optical port {port.name} failed while reading: {e}.",
                        hint="The probe may have been unplugged; plug it in and try again.") from e  # fmt: skip


def write_all(port: serial.SerialBase, data: bytes) -> None:
    try:
        port.write(data)
        port.flush()
    except (serial.SerialException, OSError) as e:
        raise PortError(f"The optical port {port.name} failed while writing: {e}.",
                        hint="The probe may have been unplugged; plug it in and try again.") from e  # fmt: skip


def close_port(port: serial.SerialBase) -> None:
    """Close the port. pyserial's socket:// close sleeps 0.3 s "for quick reconnects"; a simulated meter
    needs no such pause, so the socket is closed here directly. Never raises."""
    sock = getattr(port, "_socket", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            sock.close()
        port._socket = None
        port.is_open = False
        return
    with contextlib.suppress(serial.SerialException, OSError):
        port.close()
