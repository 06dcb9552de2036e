"""MeterLink against every profile: identity, health, registers both ways, writes read back, clock, program,
registration over time, and every table a profile lists in ST0 decodes."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from fieldtool.devices.meter_api import InstallInfo
from fieldtool.protocols.c1218.errors import ResponseError
from firmware_sim.meter import profiles
from firmware_sim.meter.behaviour import Behaviour

from .conftest import C1218_PROFILES, INSTALLER, SCALE


@pytest.mark.parametrize("profile", C1218_PROFILES)
def test_installer_operations_per_profile(meter, link, profile):
    p = profiles.get(profile)
    srv, url = meter(profile)
    lk = link(url)
    r = lk.identify_and_check_health()
    ident = r["identity"]
    assert (ident.protocol, ident.manufacturer, ident.model, ident.form) == ("c1218", p.manufacturer, p.model, p.form)
    assert ident.serial == srv.shared.state.serial and ident.meter_id == srv.shared.state.meter_id
    assert r["health"].ok and abs(r["clock"].drift_s) <= 2
    regs = {v.register: v for v in lk.read_registers()}
    assert regs["kwh_delivered"].value > 0 and "kwh_received" in regs and "kw_max_demand_delivered" in regs
    if p.ct_rated:
        assert {"kvarh_delivered", "kvarh_received", "kvah_delivered", "power_factor", "kvar"} <= set(regs)
    info = InstallInfo("4412001", "WO-77", "OLD-555", 48213.5, "7700123", "inst-9", latitude=34.05, longitude=-118.25)
    out = lk.write_install_info(info)
    assert out["verified"] and "ST6" in out["written"]
    st = srv.shared.state
    assert st.st6["service_point_id"] == "4412001" and st.st6["customer_id"] == "7700123"
    assert st.install_record["removed_meter_id"] == "OLD-555" and st.install_record["removed_final_read_milli"] == 48213500
    assert st.install_record["latitude_e7"] == 340500000
    check = lk.set_clock(datetime.now(UTC) + timedelta(hours=1))
    assert 3590 <= check.drift_s <= 3610
    assert abs(lk.set_clock().drift_s) <= 2
    prog = lk.load_program("R-TOU-2")
    assert prog.verified and prog.program_id == "R-TOU-2" and st.program["program_id"] == "R-TOU-2"
    assert st.program["entries"][1] == {"start_minute": 840, "tier": 2}
    assert lk.signal_log() and all(-100 < s.rssi_dbm < -50 for s in lk.signal_log())


@pytest.mark.parametrize("profile", C1218_PROFILES)
def test_every_used_table_decodes(meter, link, profile):
    p = profiles.get(profile)
    _, url = meter(profile)
    lk = link(url)
    lk.open()
    tables = sorted(p.config.std_tbls_used - {7}) + [2048 + n for n in sorted(p.config.mfg_tbls_used)]
    for t in tables:
        raw, decoded = lk.read_table(t)
        assert raw, t
        if t not in (22, 23):  # ST22/ST23 are decoded by read_registers (they need ST21)
            assert decoded is not None, f"table {t} of {profile} has no decoder"


def test_registration_over_time_and_self_test(meter, link):
    _, url = meter("acme-r1", behaviour=Behaviour(self_test="non-critical", registration="after:20", time_scale=SCALE))
    lk = link(url)
    assert lk.registration_status().state == "not_started"
    time.sleep(0.6)
    health = lk.health()
    assert health.ok and set(health.non_critical) == {"low_battery", "tamper_detect"}
    assert lk.registration_status().state == "joining"
    time.sleep(1.5)
    reg = lk.registration_status()
    assert reg.state == "registered" and reg.comm_address and reg.since is not None


def test_registration_default_is_inside_two_minutes():
    b = Behaviour()
    assert b.registration_state(119.0)[0] == "registered"
    assert Behaviour.parse(registration="never").registration_state(300)[0] == "failed"
    flaps = Behaviour.parse(registration="flaps:30")
    assert {flaps.registration_state(t)[0] for t in (35, 65, 95)} == {"registered", "lost"}


def test_critical_self_test_and_not_monitored_flags(meter, link):
    _, url = meter("borealis-rx", behaviour=Behaviour(self_test="critical", self_test_s=0, time_scale=SCALE))
    h = link(url).health()
    assert not h.ok and h.critical == ["nonvolatile_memory_failure"]
    assert set(h.not_monitored) == {"low_battery", "demand_overload"}


def test_installer_password_cannot_load_a_program(meter, link):
    _, url = meter("acme-r1")
    lk = link(url, password=INSTALLER)
    assert lk.write_install_info(InstallInfo("1"))["verified"]
    with pytest.raises(ResponseError, match="insufficient security clearance for user 2"):
        lk.load_program("R-FLAT-1")


def test_wrong_password_is_refused_in_words(meter, link):
    _, url = meter("cirrus-ct")
    with pytest.raises(ResponseError, match="refused the password for user 2"):
        link(url, password=b"X" * 20).open()


def test_bcd_meter_keeps_ids_with_letters_in_the_installation_record(meter, link):
    srv, url = meter("borealis-rx")
    out = link(url).write_install_info(InstallInfo("SP-12A", customer_id="8001234567"))
    assert out["verified"] and "SP-12A" in out["notes"][0] and "ST6" not in " ".join(out["notes"][1:])
    assert srv.shared.state.install_record["service_point_id"] == "SP-12A"  # whole, never altered
    assert link(url).read_table(6)[1]["customer_id"] == "8001234567"  # digits still go to ST6


def test_state_persists_across_restarts(meter, link, tmp_path):
    state = tmp_path / "meter.json"
    srv, url = meter("acme-r1", state=state)
    link(url).write_install_info(InstallInfo("998877", removed_meter_id="Z1"))
    srv.stop()
    srv2, url2 = meter("acme-r1", state=state)
    assert srv2.shared.state.install_record["removed_meter_id"] == "Z1"
    assert link(url2).read_table(6)[1]["service_point_id"] == "998877"


def test_self_test_on_demand_and_clearing_status(meter, link):
    _, url = meter("acme-r1", behaviour=Behaviour(self_test="non-critical", self_test_s=1000, time_scale=1.0))
    lk = link(url)
    assert lk.health().non_critical == []  # the meter's own self-test has not run yet
    h = lk.self_test()  # SP11 runs it now
    assert set(h.non_critical) == {"low_battery", "tamper_detect"}
    assert lk.clear_status().non_critical == []  # SP7
    _, url2 = meter("cirrus-ct", behaviour=Behaviour(self_test="critical", self_test_s=0, time_scale=SCALE))
    lk2 = link(url2)
    assert lk2.clear_status().critical == ["nonvolatile_memory_failure"]  # hardware faults stay
