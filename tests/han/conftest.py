"""A simulated meter with a customer's HAN behind its ESI, reached over socket:// through MeterLink.

The meter runs at ``time_scale=0.01`` (a device's 2 s join delay is 20 ms, a sleepy display polls every
75 ms) and the tool's HAN timeouts are scaled to match, so every failure ends in guidance within a second.
"""

from __future__ import annotations

import pytest

from fieldtool.clock import Clock
from fieldtool.devices.han import OpticalHanTransport
from fieldtool.devices.han_settings import HanSettings
from fieldtool.devices.meter import MeterLink
from fieldtool.devices.meter_settings import OpticalSettings
from fieldtool.services.han import HanService
from fieldtool.store.db import open_store
from firmware_sim.han import devices as d
from firmware_sim.meter import profiles
from firmware_sim.meter.behaviour import Behaviour
from firmware_sim.meter.server import MeterOptions, MeterServer

SIM_SCALE = 0.01
OPTICAL = OpticalSettings(response_timeout_s=0.2, interchar_timeout_s=0.05, channel_traffic_timeout_s=0.6,
                          busy_retry_delay_s=0.01)  # fmt: skip
INSTALLER = b"INSTALLER".ljust(20, b"0")
# I1NFR5 10 s / 30 s become 0.6 s / 0.9 s; the poll interval 0.5 s becomes 15 ms.
SETTINGS = HanSettings(local_timeout_s=20.0, local_join_timeout_s=30.0, poll_interval_s=0.5)
CLOCK = Clock(scale=0.03)


@pytest.fixture
def han_meter():
    """``han_meter(devices=None, profile="acme-r1") -> (server, url)``; stopped afterwards."""
    servers = []

    def start(devices=None, profile="acme-r1"):
        opts = MeterOptions(pacing=False, behaviour=Behaviour(time_scale=SIM_SCALE), time_scale=0.1, turnaround_s=0.0,
                            han=d.demo_premises() if devices is None else devices)  # fmt: skip
        srv = MeterServer(profiles.get(profile), None, opts)
        servers.append(srv)
        return srv, srv.listen_socket()

    yield start
    for s in servers:
        s.stop()


@pytest.fixture
def han(tmp_path, han_meter):
    """``han(devices=None, profile=...) -> (service, transport, server)`` over a real optical session."""
    opened = []

    def make(devices=None, profile="acme-r1", vault=None):
        srv, url = han_meter(devices, profile)
        link = MeterLink(url, settings=OPTICAL, password=INSTALLER)
        store = open_store(tmp_path / f"store-{len(opened)}.db", clock=CLOCK)
        opened.append((link, store))
        return HanService(store, settings=SETTINGS, clock=CLOCK, vault=vault), OpticalHanTransport(link, SETTINGS), srv

    yield make
    for link, store in opened:
        link.close()
        store.close()
