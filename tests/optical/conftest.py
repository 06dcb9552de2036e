"""Simulated meters for the optical tests: in-process (fast) or as a child process (end to end).

Timeouts are the C12.18 ones scaled by 0.1 on both sides (2 s response -> 0.2 s, 6 s channel traffic ->
0.6 s), so a fault that ends in an error does so in well under a second.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

import pytest

from fieldtool.devices.meter import MeterLink
from fieldtool.devices.meter_settings import OpticalSettings
from firmware_sim.meter import profiles
from firmware_sim.meter.behaviour import Behaviour
from firmware_sim.meter.server import MeterOptions, MeterServer

SCALE = 0.1
MASTER = b"MASTER".ljust(20, b"0")
INSTALLER = b"INSTALLER".ljust(20, b"0")
SETTINGS = OpticalSettings(response_timeout_s=2.0 * SCALE, interchar_timeout_s=0.5 * SCALE,
                           channel_traffic_timeout_s=6.0 * SCALE, busy_retry_delay_s=0.01, busy_retries=5,
                           iec_password_unprotected="00000000")  # fmt: skip
C1218_PROFILES = [n for n, p in profiles.PROFILES.items() if p.protocol == "c1218"]


@pytest.fixture
def meter():
    """``meter(profile, faults={...}, **options) -> (server, url)``; every server is stopped afterwards."""
    servers = []

    def start(profile="acme-r1", *, faults=None, pty=False, state=None, **kw):
        behaviour = kw.pop("behaviour", Behaviour(time_scale=SCALE))
        opts = MeterOptions(pacing=kw.pop("pacing", False), faults=faults or {}, behaviour=behaviour,
                            time_scale=SCALE, turnaround_s=kw.pop("turnaround_s", 0.0), **kw)  # fmt: skip
        srv = MeterServer(profiles.get(profile), state, opts)
        servers.append(srv)
        url = srv.listen_pty() if pty else srv.listen_socket()
        return srv, url

    yield start
    for s in servers:
        s.stop()


@pytest.fixture
def link():
    """``link(url, password=MASTER, **settings) -> MeterLink``; closed afterwards."""
    links = []

    def make(url, password=MASTER, **settings):
        lk = MeterLink(url, settings=replace(SETTINGS, **settings), password=password)
        links.append(lk)
        return lk

    yield make
    for lk in links:
        lk.close()


@pytest.fixture
def sim_process():
    """A simulated meter in a child process (``python -m firmware_sim meter ... --json``): its URL."""
    procs = []

    def start(*args: str) -> str:
        p = subprocess.Popen([sys.executable, "-m", "firmware_sim", "meter", "--json", "--pacing", "off",
                              "--time-scale", str(SCALE), *args], stdout=subprocess.PIPE, text=True,
                             env=dict(os.environ))  # fmt: skip
        procs.append(p)
        line = p.stdout.readline()
        assert line, "the simulator printed nothing"
        return json.loads(line)["url"]

    yield start
    for p in procs:
        p.terminate()
        p.wait(timeout=10)


def write_config(home, **optical) -> None:
    """A fieldtool.toml for the CLI child processes with scaled timeouts and the bench password."""
    cfg = home / "config"
    cfg.mkdir(parents=True, exist_ok=True)
    values = {"response_timeout_s": 0.2, "interchar_timeout_s": 0.05, "channel_traffic_timeout_s": 0.6,
              "busy_retry_delay_s": 0.01, "password_unprotected": MASTER.decode(),
              "iec_password_unprotected": "00000000", **optical}  # fmt: skip
    lines = ["[optical]"] + [f"{k} = {json.dumps(v)}" for k, v in values.items()]
    (cfg / "fieldtool.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
