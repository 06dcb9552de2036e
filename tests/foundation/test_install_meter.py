"""The install service's device steps through the optical issue's ``OpticalMeter`` and the real optical stack,
against an in-process simulated meter."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from fieldtool.clock import Clock
from fieldtool.config import Config
from fieldtool.devices.exchange_meter import OpticalMeter
from fieldtool.devices.meter import MeterLink
from fieldtool.devices.meter_settings import OpticalSettings
from fieldtool.domain.exchange_devices import MeterLink as MeterInterface
from fieldtool.domain.exchange_events import (
    Arrive,
    FinalRead,
    InstallMeter,
    RemoveOldMeter,
    ScanMeter,
    VerifyOldMeter,
)
from fieldtool.domain.model import Position
from fieldtool.services.install import InstallService
from fieldtool.store.db import open_store
from firmware_sim.meter import profiles
from firmware_sim.meter.behaviour import Behaviour
from firmware_sim.meter.server import MeterOptions, MeterServer

SCALE = 0.05  # the meter's registration (here 10 s) and our waits run 20 times faster
DEMO = json.loads((Path(__file__).parents[2] / "resources/demo/work-orders.json").read_text())
JOB = "WO-260312-001"
READ_AT = datetime(2026, 3, 12, 16, 0, tzinfo=UTC)  # the day of the plan: 30 days after the last read
MASTER = b"MASTER".ljust(20, b"0")
SETTINGS = OpticalSettings(response_timeout_s=0.2, interchar_timeout_s=0.05, channel_traffic_timeout_s=0.6,
                           busy_retry_delay_s=0.01)


@pytest.fixture
def world(tmp_path):
    servers, links = [], []

    def meter(registration="after:10", self_test="clean"):
        srv = MeterServer(profiles.get("acme-r1"), None, MeterOptions(
            pacing=False, behaviour=Behaviour(self_test, 0.0, registration, SCALE), time_scale=0.1,
            turnaround_s=0.0, serial="72600101"))
        servers.append(srv)
        link = MeterLink(srv.listen_socket(), settings=SETTINGS, password=MASTER)
        links.append(link)
        return srv, OpticalMeter(link, work_order_id=JOB, installer_id="INS-042")

    clock = Clock(SCALE)
    store = open_store(tmp_path / "m.db", clock=clock)
    svc = InstallService(store, clock, Config({"exchange": {"registration_timeout_s": 2.0, "registration_poll_s": 1.0}}))
    svc.import_download(DEMO)
    svc.start(JOB)
    for e in [ScanMeter("72600101"), Arrive(Position(36.757815, -119.816310, 4.0)), VerifyOldMeter("V123456", "2S"),
              FinalRead(41_862.0, READ_AT), RemoveOldMeter()]:
        svc.feed(JOB, e)
    yield svc, meter
    for lk in links:
        lk.close()
    for s in servers:
        s.stop()
    store.close()


def test_the_optical_meter_is_the_exchange_s_meter_interface(world):
    _, meter = world
    assert isinstance(meter()[1], MeterInterface)


def test_device_steps_through_the_simulated_meter(world):
    svc, meter = world
    srv, optical = meter()  # power-up: the meter is set in the socket
    svc.feed(JOB, InstallMeter())
    t = svc.device_step(JOB, meter=optical)
    assert t.to_state == "identify_meter" and t.job.self_check.passed
    t = svc.device_step(JOB, meter=optical)
    ident = t.job.identified
    assert (ident.meter_number, ident.form, ident.manufacturer, ident.program_id) == ("72600101", "2S", "ACME", "ACME-DEFAULT")
    assert ident.install_read is not None and "kwh_delivered" in ident.channels
    assert ident.log and ident.log[0].text == "power_up"
    assert [f.rule for f in t.job.findings if f.severity.value == "block"] == ["program-id"]
    svc.override(JOB, "program-id", "SUP-7", "the head-end loads the tariff program (8.3)")
    t = svc.device_step(JOB, meter=optical)
    assert t.to_state == "registration"
    st = srv.shared.state
    assert st.st6["service_point_id"] == "ISP-4471902" and st.st6["customer_id"] == "8001234567"
    assert st.install_record["removed_meter_id"] == "V123456"
    assert st.install_record["removed_final_read_milli"] == 41_862_000
    t = svc.await_registration(JOB, optical)
    assert t.to_state == "report" and t.job.registration.comms_address
    assert not t.job.manual_read_route


def test_a_meter_that_never_registers_leads_to_the_network_test(world):
    svc, meter = world
    _, optical = meter(registration="never")
    svc.feed(JOB, InstallMeter())
    for _ in range(2):
        svc.device_step(JOB, meter=optical)
    svc.override(JOB, "program-id", "SUP-7", "over the air")
    svc.device_step(JOB, meter=optical)
    assert svc.await_registration(JOB, optical).to_state == "network_test"


def test_a_critical_self_test_fails_the_self_check(world):
    svc, meter = world
    _, optical = meter(self_test="critical")
    svc.feed(JOB, InstallMeter())
    t = svc.device_step(JOB, meter=optical)
    assert t.to_state == "self_check_failed" and t.job.self_check.errors == ("nonvolatile_memory_failure",)
