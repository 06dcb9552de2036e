"""How a simulated radio reaches a client: a TCP listener (``socket://127.0.0.1:PORT``) or a pty (a real
serial device path such as ``/dev/pts/7``, for clients that want one).

Each connection is served by one thread running ``device.serve(stream, stop)``; the device reads with a short
timeout and writes its scheduled output, so replies, unsolicited codes and streamed results interleave as they
do on a real serial line. Wire time at the configured baud rate is modelled by ``SimDevice`` (``device.py``).
"""

from __future__ import annotations

import contextlib
import os
import select
import socket
import threading
import tty
from collections.abc import Callable


class Stream:
    """A byte pipe to the client."""

    def read(self, timeout: float) -> bytes | None:
        """Bytes that arrived within ``timeout`` (b'' if none); None when the client has gone."""
        raise NotImplementedError

    def write(self, data: bytes) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class SocketStream(Stream):
    def __init__(self, sock: socket.socket):
        self.sock = sock

    def read(self, timeout: float) -> bytes | None:
        ready, _, _ = select.select([self.sock], [], [], max(0.0, timeout))
        if not ready:
            return b""
        try:
            data = self.sock.recv(4096)
        except OSError:
            return None
        return data or None

    def write(self, data: bytes) -> None:
        with contextlib.suppress(OSError):
            self.sock.sendall(data)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


class PtyStream(Stream):
    def __init__(self, master: int):
        self.master = master

    def read(self, timeout: float) -> bytes | None:
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return b""
        try:
            return os.read(self.master, 4096)
        except OSError:  # EIO: nobody holds the slave side right now; a serial port simply stays quiet
            return b""

    def write(self, data: bytes) -> None:
        with contextlib.suppress(OSError):
            os.write(self.master, data)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.master)


class Served:
    """A running endpoint: its ``url`` for pyserial, and ``stop()``."""

    def __init__(self, url: str, stop: Callable[[], None]):
        self.url = url
        self._stop = stop

    def stop(self) -> None:
        self._stop()


def serve_socket(make_device: Callable[[], object], host: str = "127.0.0.1", port: int = 0) -> Served:
    """Listen on TCP; each client gets a fresh device view of the same world (like plugging in a dongle)."""
    listener = socket.create_server((host, port))
    listener.settimeout(0.02)  # how soon stop() is noticed
    stop = threading.Event()
    threads: list[threading.Thread] = []

    def accept_loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            stream = SocketStream(conn)
            t = threading.Thread(target=_run, args=(make_device(), stream, stop), daemon=True, name="radio-sim-conn")
            threads.append(t)
            t.start()

    acceptor = threading.Thread(target=accept_loop, daemon=True, name="radio-sim-accept")
    acceptor.start()

    def shutdown() -> None:
        stop.set()
        listener.close()
        acceptor.join(timeout=2)
        for t in threads:
            t.join(timeout=2)

    host_, port_ = listener.getsockname()[:2]
    return Served(f"socket://{host_}:{port_}", shutdown)


def serve_pty(make_device: Callable[[], object]) -> Served:
    """Open a pty pair; the client opens the slave path as it would a USB serial adapter."""
    master, slave = os.openpty()
    tty.setraw(slave)  # no echo, no line discipline: bytes pass as on a real UART
    path = os.ttyname(slave)
    stop = threading.Event()
    stream = PtyStream(master)
    t = threading.Thread(target=_run, args=(make_device(), stream, stop), daemon=True, name="radio-sim-pty")
    t.start()

    def shutdown() -> None:
        stop.set()
        t.join(timeout=2)
        with contextlib.suppress(OSError):
            os.close(slave)

    return Served(path, shutdown)


def _run(device, stream: Stream, stop: threading.Event) -> None:
    try:
        device.serve(stream, stop)
    finally:
        stream.close()
