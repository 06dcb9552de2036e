"""The head-end path (I1FR45): requests through the outbox to the reference back office, carried by the
simulated head-end to the meter's ESI, status back through the back office; queued while offline."""

from __future__ import annotations

import json
import threading

import httpx
import pytest

from fieldtool.clock import Clock
from fieldtool.devices.han_settings import HanSettings
from fieldtool.services.han import DeviceRequest, HanService
from fieldtool.services.han_remote import SEALING_KEY_SECRET, HeadEndHanTransport
from fieldtool.store.db import open_store
from fieldtool.sync.drain import OutboxDrain
from firmware_sim.han import devices as d
from firmware_sim.han.headend import HanHeadEnd
from firmware_sim.meter import profiles
from firmware_sim.meter.behaviour import Behaviour
from firmware_sim.meter.server import MeterOptions, MeterServer
from tests.sync.conftest import HEADEND_KEY, signed_in, start_backoffice

LCS, PCT = "00137A0000A1B203", "00137A0000A1B201"
SETTINGS = HanSettings(remote_timeout_s=60.0, remote_join_timeout_s=90.0, poll_interval_s=1.0)
CLOCK = Clock(scale=0.02)  # 60 s -> 1.2 s, 90 s -> 1.8 s, polls every 20 ms


class Vault:
    def __init__(self):
        self.secrets = {}

    def set(self, name, value):
        self.secrets[name] = value

    def get(self, name):
        return self.secrets[name]

    def names(self):
        return list(self.secrets)


@pytest.fixture
def world(tmp_path):
    bo = start_backoffice(tmp_path / "bo.db")
    srv = MeterServer(profiles.get("acme-r1"), None, MeterOptions(
        pacing=False, behaviour=Behaviour(time_scale=0.01), meter_id="AMI0000777", han=d.demo_premises()))
    headend = HanHeadEnd(bo.url, HEADEND_KEY, lambda: [srv], interval_s=0.02).start()
    store = open_store(tmp_path / "tool.db", clock=CLOCK)
    client = signed_in(bo.url)
    yield bo, srv, store, client
    client.close()
    headend.stop()
    store.close()
    srv.stop()
    bo.stop()
    bo.backoffice.db.close()


def test_provisioning_through_the_head_end(world):
    bo, srv, store, client = world
    vault = Vault()
    t = HeadEndHanTransport(client, store, "AMI0000777", settings=SETTINGS, vault=vault, clock=CLOCK)
    svc = HanService(store, settings=SETTINGS, clock=CLOCK, vault=vault)
    out = svc.provision("J-R", t, [DeviceRequest(LCS, "1234567890ABBA9E", ("load_control",)),
                                   DeviceRequest(PCT, None, ("price",))], meter_number="AMI0000777")
    assert [o.readiness.rung.value for o in out] == ["participating", "participating"], svc.history("J-R")
    assert out[0].acknowledgements[0]["reply"]["message"] == "Report Event Status"
    assert t.interfaces()[0].path == "remote" and t.interfaces()[0].channel == 20
    # The link key crossed the outbox sealed, never in clear.
    sent = [e for e in store.outbox.list() if e.kind == "han_request"]
    assert sent and all(e.state == "delivered" for e in sent)
    assert "18A1C023A76BF0062F50F45C6D67F04C" not in json.dumps([e.payload for e in sent])
    assert SEALING_KEY_SECRET in vault.secrets


def test_offline_the_credentials_wait_in_the_outbox(world, tmp_path):
    bo, srv, store, client = world
    vault = Vault()
    HeadEndHanTransport(client, store, "AMI0000777", settings=SETTINGS, vault=vault)._sealing_key()  # online once
    offline = signed_in(bo.url)
    offline.http.close()
    offline.http = httpx.Client(base_url="http://127.0.0.1:9", timeout=0.2)
    t = HeadEndHanTransport(offline, store, "AMI0000777", settings=SETTINGS, vault=vault, clock=CLOCK)
    svc = HanService(store, settings=SETTINGS, clock=CLOCK, vault=vault)
    out = svc.provision("J-O", t, [DeviceRequest(LCS, "1234567890ABBA9E", ("load_control",))], meter_number="AMI0000777")[0]
    assert out.readiness.rung.value == "credentials_queued"
    queued = [e for e in store.outbox.list() if e.kind == "han_request"]
    assert len(queued) == 1 and queued[0].state == "queued" and queued[0].payload["sealed_link_key"]["ct"]
    # Back in range: the ordinary drain delivers it, the head-end carries it, the device joins.
    t_online = HeadEndHanTransport(client, store, "AMI0000777", settings=SETTINGS, vault=vault, clock=CLOCK)
    drain = OutboxDrain(store.outbox, store.transaction, lambda: client)
    drain.retry_now()  # the network is back: no waiting out the back-off
    drain.drain_once()
    assert store.outbox.get(queued[0].id).state == "delivered"
    joined = svc._wait(lambda: [x for x in t_online.devices() if x.eui64 == LCS and x.state == "interviewed"], 90,
                       threading.Event())  # fmt: skip
    assert joined and joined[0].device_type == "load_control_device"
