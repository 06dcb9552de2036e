"""The workflow's MeterLink interface (domain.exchange_devices) implemented over the optical port."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from fieldtool.devices.exchange_meter import OpticalMeter
from fieldtool.domain.errors import UserCancelled
from fieldtool.domain.exchange_devices import InstallInfo, MeterLink
from firmware_sim.meter.behaviour import Behaviour

from .conftest import SCALE


def test_workflow_steps_against_the_simulator(meter, link):
    srv, url = meter("cirrus-ct", behaviour=Behaviour(registration="after:0", self_test_s=0, time_scale=SCALE))
    dev = OpticalMeter(link(url), work_order_id="WO-9", installer_id="I-1")
    assert isinstance(dev, MeterLink)
    seen = []
    progress = lambda f, words: seen.append((f, words))  # noqa: E731
    cancel = threading.Event()
    check = dev.self_check(progress, cancel)
    assert check.passed and check.errors == () and seen
    ident = dev.identify(progress, cancel)
    assert ident.form == "9S" and ident.manufacturer == "CIRR" and ident.program_id == "CIRR-DEFAULT"
    assert ident.install_read > 0 and {"kwh_delivered", "kwh_received"} <= set(ident.channels)
    assert ident.log and ident.log[0].text == "power_up"
    info = InstallInfo("4401234", "88001", "1 Main St", 34.1, -118.2, None, "OLD-1", 4321.0,
                       datetime.now(UTC), datetime.now(UTC))  # fmt: skip
    dev.write_install_info(info, progress, cancel)
    assert srv.shared.state.install_record["work_order_id"] == "WO-9"
    reg = dev.registration_status(progress, cancel)
    assert reg is not None and reg.comms_address and reg.signal_dbm < 0
    assert dev.load_program("C-TOU-DMD", progress, cancel).verified
    assert dev.program_id(progress, cancel) == "C-TOU-DMD"
    assert abs(dev.set_clock(progress, cancel).drift_s) <= 1


def test_not_registered_is_none_and_cancel_is_honoured(meter, link):
    _, url = meter("acme-r1", faults={"busy": 1000}, behaviour=Behaviour(registration="never", time_scale=SCALE))
    dev = OpticalMeter(link(url, busy_retries=10_000, busy_retry_delay_s=0.02))
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    with pytest.raises(UserCancelled):
        dev.registration_status(lambda f, w: None, cancel)
