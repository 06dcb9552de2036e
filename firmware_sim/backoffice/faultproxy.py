"""A fault-injecting HTTP proxy: the bad network between the field tool and the back office.

It sits on loopback in front of a back office and, per request, by seeded chance:

- ``drop``      closes the connection before forwarding (the back office never saw the request);
- ``delay``     waits ``delay_s`` before forwarding;
- ``error``     answers 502 without forwarding;
- ``late_error`` forwards (the back office commits) and then answers 504 — the client cannot know;
- ``cut``       forwards, then sends only part of the reply and closes the connection;
- ``duplicate`` forwards the same request twice (a retrying middlebox) and answers with the first reply;
- ``garbage``   forwards, then answers 200 with a body that is not the contract's reply.

``Faults`` holds the rates (0..1) and counts what happened. Thread rule: one handler thread per client
connection; the random generator and counters are shared behind a lock.
"""

from __future__ import annotations

import http.client
import random
import ssl
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

KINDS = ("drop", "delay", "error", "late_error", "cut", "duplicate", "garbage")


@dataclass
class Faults:
    rates: dict[str, float] = field(default_factory=dict)
    seed: int = 7
    delay_s: float = 0.05
    paths: tuple[str, ...] = ("/v1/",)  # only requests under these prefixes are disturbed
    counts: Counter = field(default_factory=Counter)

    def __post_init__(self):
        unknown = set(self.rates) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds: {sorted(unknown)}")
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()

    def pick(self, path: str) -> str | None:
        if not any(path.startswith(p) for p in self.paths):
            return None
        with self._lock:
            roll = self._rng.random()
            for kind in KINDS:
                rate = self.rates.get(kind, 0.0)
                if roll < rate:
                    self.counts[kind] += 1
                    return kind
                roll -= rate
            self.counts["clean"] += 1
            return None


class FaultProxy:
    """``FaultProxy(upstream_url, faults).start()`` -> ``.url`` to give the client; ``.stop()``."""

    def __init__(self, upstream: str, faults: Faults, ca_file: str | None = None, host: str = "127.0.0.1"):
        parts = urlsplit(upstream)
        self.upstream = (parts.scheme, parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
        self.ssl = ssl.create_default_context(cafile=ca_file) if parts.scheme == "https" else None
        self.faults = faults
        proxy = self

        class Handler(_Handler):
            owner = proxy

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, name="faultproxy", daemon=True)

    def start(self) -> FaultProxy:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def forward(self, method: str, path: str, headers: dict, body: bytes) -> tuple[int, list, bytes]:
        scheme, host, port = self.upstream
        if scheme == "https":
            conn = http.client.HTTPSConnection(host, port, context=self.ssl, timeout=30)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=30)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            r = conn.getresponse()
            return r.status, [(k, v) for k, v in r.getheaders() if k.lower() not in _HOP], r.read()
        finally:
            conn.close()


_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "server", "date"}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    owner: FaultProxy

    def log_message(self, format, *args):  # keep test output clean
        pass

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP and k.lower() != "host"}
        fault = self.owner.faults.pick(self.path)
        if fault == "drop":
            self.close_connection = True
            return
        if fault == "delay":
            time.sleep(self.owner.faults.delay_s)
        if fault == "error":
            return self._send(502, [("Content-Type", "text/plain")], b"bad gateway")
        try:
            status, rheaders, rbody = self.owner.forward(self.command, self.path, headers, body)
            if fault == "duplicate":
                self.owner.forward(self.command, self.path, headers, body)
        except OSError:
            return self._send(502, [("Content-Type", "text/plain")], b"upstream unreachable")
        if fault == "late_error":
            return self._send(504, [("Content-Type", "text/plain")], b"gateway timeout")
        if fault == "garbage":
            return self._send(200, [("Content-Type", "application/json")], b'{"results": [{"id": 1, "status": "ok"')
        if fault == "cut":
            head = f"HTTP/1.1 {status} OK\r\nContent-Length: {len(rbody)}\r\nContent-Type: application/json\r\n\r\n"
            self.wfile.write(head.encode() + rbody[: len(rbody) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self._send(status, rheaders, rbody)

    def _send(self, status: int, headers: list, body: bytes) -> None:
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle
