"""Running the back office: uvicorn on a socket we bind ourselves (so port 0 gives a free port).

``start(...)`` runs it on a background thread (tests, ``world``) and returns a ``Running`` with the URL, the
CA file for TLS and ``stop()``; ``serve_forever`` (the ``backoffice`` command) does the same and waits for
SIGINT/SIGTERM on the main thread, then stops the server cleanly.
"""

from __future__ import annotations

import signal
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from firmware_sim.backoffice.app import BackOffice
from firmware_sim.backoffice.tls import make_certificate


@dataclass
class Running:
    url: str
    ca_file: Path | None
    server: uvicorn.Server
    thread: threading.Thread | None
    backoffice: BackOffice

    def stop(self, timeout: float = 5.0) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(timeout)


def _prepare(backoffice: BackOffice, host: str, port: int, tls_dir: Path | None):
    # proto=IPPROTO_TCP matters: asyncio sets TCP_NODELAY on accepted connections only when the listening
    # socket says it is TCP; without it every keep-alive reply waits 40 ms for a delayed ACK (Nagle).
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    port = sock.getsockname()[1]
    cert = key = None
    if tls_dir is not None:
        cert, key = make_certificate(tls_dir, host)
    config = uvicorn.Config(backoffice.app, log_level="warning", access_log=False, lifespan="off",
                            ssl_certfile=str(cert) if cert else None, ssl_keyfile=str(key) if key else None,
                            timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    url = f"{'https' if cert else 'http'}://{host}:{port}"
    return sock, server, url, cert


def start(backoffice: BackOffice, host: str = "127.0.0.1", port: int = 0, tls_dir: Path | None = None) -> Running:
    """Serve on a background thread; returns once the server accepts connections."""
    sock, server, url, cert = _prepare(backoffice, host, port, tls_dir)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="backoffice", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the back office did not start")
        time.sleep(0.01)
    return Running(url, cert, server, thread, backoffice)


def serve_forever(backoffice: BackOffice, host: str, port: int, tls_dir: Path | None, on_ready=None) -> None:
    """Serve until SIGINT or SIGTERM, then shut down cleanly (exit status 0, not death by signal)."""
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    running = start(backoffice, host, port, tls_dir)
    if on_ready is not None:
        on_ready(running.url, running.ca_file)
    try:
        while not done.wait(0.5) and running.thread.is_alive():
            pass
    finally:
        running.stop()
