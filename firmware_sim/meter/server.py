"""A simulated meter listening on ``socket://127.0.0.1:PORT`` or on a pty.

``MeterServer`` owns the shared state and starts one ``MeterConnection`` thread per accepted connection
(a socket client) or one for the pty's lifetime. ``stop()`` ends them and saves the state.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from fieldtool.protocols.c1218.session import Timeouts
from firmware_sim.han.devices import demo_premises
from firmware_sim.meter.behaviour import Behaviour
from firmware_sim.meter.device import MeterConnection
from firmware_sim.meter.faults import Faults
from firmware_sim.meter.han_tables import HanTables
from firmware_sim.meter.profiles import Profile
from firmware_sim.meter.responder import Responder
from firmware_sim.meter.state import SharedState
from firmware_sim.meter.tables import MeterTables
from firmware_sim.meter.transport import PtyTransport, SocketTransport


@dataclass
class MeterOptions:
    pacing: bool = True
    faults: dict[str, int] = field(default_factory=dict)
    behaviour: Behaviour = field(default_factory=Behaviour)
    time_scale: float = 1.0  # scales the C12.18 timeouts of the meter (tests shrink them)
    turnaround_s: float | None = None
    serial: str | None = None
    han: list | None = None  # SimDevices on the customer's premises (None: the demo premises)
    meter_id: str | None = None  # ST5 (the utility meter number) for a fresh state
    power_up: str = "start"  # "start": powered when the simulator starts; "first-contact": at the first Identify


def c1218_host(server: MeterServer, transport) -> MeterConnection:
    return MeterConnection(
        Responder(server.tables, server.faults), server.faults, transport, pacing=server.options.pacing,
        timeouts=Timeouts().scaled(server.options.time_scale), turnaround_s=server.options.turnaround_s,
    )  # fmt: skip


# Protocol of a profile -> what runs one connection (an object with run() and stop()). An IEC 62056-21
# profile adds its host here (the meter side is firmware_sim/meter/iec_meter.py).
HOSTS: dict = {}


class MeterServer:
    def __init__(self, profile: Profile, state_file: Path | None = None, options: MeterOptions | None = None):
        self.profile = profile
        self.options = options or MeterOptions()
        self.shared = SharedState(profile, state_file, serial=self.options.serial, meter_id=self.options.meter_id)
        if self.options.power_up == "start":
            self.shared.power_up()
        if "clock-drift" in self.options.faults and not self.shared.state.clock_drift_ppm:
            with self.shared.lock:
                self.shared.state.clock_offset_s = float(self.options.faults["clock-drift"])
                self.shared.state.clock_drift_ppm = 200.0
                self.shared.state.clock_set_time = time.time()
        devices = demo_premises() if self.options.han is None else self.options.han
        self.han = HanTables(devices, time_scale=self.options.behaviour.time_scale)
        self.tables = MeterTables(self.shared, self.options.behaviour, self.han)
        self.tables.switch.stuck = "switch-stuck" in self.options.faults
        self.faults = Faults(dict(self.options.faults))
        self.connections: list[MeterConnection] = []
        self._threads: list[threading.Thread] = []
        self._sock: socket.socket | None = None
        self._pty: PtyTransport | None = None
        self.url = ""
        self._stop = threading.Event()

    def _connection(self, transport):
        host = HOSTS.get(self.profile.protocol)
        if host is None:
            raise SystemExit(f"no simulator host for protocol {self.profile.protocol!r} (profile {self.profile.name})")
        conn = host(self, transport)
        self.connections.append(conn)
        return conn

    def listen_socket(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._sock = socket.create_server((host, port))
        self._sock.settimeout(0.05)
        self.url = f"socket://{host}:{self._sock.getsockname()[1]}"
        self._spawn(self._accept_loop)
        return self.url

    def listen_pty(self) -> str:
        self._pty = PtyTransport()
        self.url = self._pty.path
        conn = self._connection(self._pty)
        self._spawn(conn.run)
        return self.url

    def _spawn(self, target) -> None:
        t = threading.Thread(target=target, daemon=True, name=f"meter-{self.profile.name}")
        t.start()
        self._threads.append(t)

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            c = self._connection(SocketTransport(conn))
            self._spawn(lambda c=c: (c.run(), c.t.close()))

    def stop(self) -> None:
        self._stop.set()
        for c in self.connections:
            c.stop()
        if self._sock:
            with contextlib.suppress(OSError):
                self._sock.close()
        for t in self._threads:
            t.join(timeout=2)
        if self._pty:
            self._pty.close()
        self.shared.save()


HOSTS["c1218"] = c1218_host


def _iec_host(server: MeterServer, transport):
    from firmware_sim.meter.iec_host import IecConnection

    return IecConnection(server, transport)


HOSTS["iec62056-21"] = _iec_host
