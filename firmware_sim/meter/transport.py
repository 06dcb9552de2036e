"""Byte transports the simulated meter listens on: a TCP connection or the master side of a pty."""

from __future__ import annotations

import contextlib
import os
import select
import socket


class SocketTransport:
    def __init__(self, conn: socket.socket):
        self.conn = conn
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def read(self, timeout: float) -> bytes | None:
        """Bytes received, b"" on timeout, None when the peer closed."""
        r, _, _ = select.select([self.conn], [], [], timeout)
        if not r:
            return b""
        try:
            data = self.conn.recv(4096)
        except OSError:
            return None
        return data or None

    def write(self, data: bytes) -> None:
        with contextlib.suppress(OSError):
            self.conn.sendall(data)

    def hang_up(self) -> bool:
        """Drop the connection (the probe was pulled); True when the transport is gone for good."""
        self.close()
        return True

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            self.conn.close()


class PtyTransport:
    """The master end of a pseudo-terminal; clients open the slave path like a serial port."""

    def __init__(self):
        import tty

        self.master, self.slave = os.openpty()
        tty.setraw(self.slave)  # no echo, no line discipline: bytes pass untouched
        self.path = os.ttyname(self.slave)
        # Keep our slave fd open so the master never sees EIO between client sessions.

    def read(self, timeout: float) -> bytes | None:
        r, _, _ = select.select([self.master], [], [], timeout)
        if not r:
            return b""
        try:
            return os.read(self.master, 4096)
        except OSError:
            return b""

    def write(self, data: bytes) -> None:
        with contextlib.suppress(OSError):
            os.write(self.master, data)

    def hang_up(self) -> bool:
        """A pty cannot be unplugged: the meter just goes silent (the caller stops answering)."""
        return False

    def drain(self) -> None:
        """Drop whatever the master has queued (between sessions)."""
        while self.read(0.0):
            pass

    def close(self) -> None:
        for fd in (self.master, self.slave):
            with contextlib.suppress(OSError):
                os.close(fd)
