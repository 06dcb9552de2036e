"""Scenarios end to end against the simulated devices behind the simulated meter's ESI, over socket://."""

from __future__ import annotations

import time

import pytest

from fieldtool.domain.model import PlannedHanDevice
from fieldtool.protocols.han import se
from fieldtool.services.han import DeviceRequest
from fieldtool.services.han_match import match_planned
from firmware_sim.han import devices as d

PCT, IHD, LCS, SLEEPY, DOOR = "00137A0000A1B201", "00137A0000A1B202", "00137A0000A1B203", "00137A0000A1B204", \
    "00124B0001C0FFEE"  # fmt: skip
IHD_CODE = "83FED3407A939723A5C639B26916D505C3B5"  # published vector P1
LCS_CODE = "1234567890ABBA9E"  # P5: 6-byte code + CRC (16 digits)


class FakeVault:
    def __init__(self):
        self.secrets = {}

    def set(self, name, value):
        self.secrets[name] = value


def test_scenario_3_2_customer_representative_provisions_the_chosen_devices(han):
    vault = FakeVault()
    svc, t, srv = han(vault=vault)
    found = svc.discover("J-32", t)
    states = {x["eui64"]: x for x in found["devices"]}
    assert states[PCT]["programs"] == ["load_control", "price", "messaging"]
    assert states[DOOR]["device_type"] == "not smart energy" and states[IHD]["state"] == "seen"
    assert found["interfaces"][0]["state"] == "up" and found["interfaces"][0]["channel"] == 20
    # The customer picks the thermostat, the IHD (label scanned) and the switch; the door sensor stays out.
    chosen = [DeviceRequest(PCT, None, ("load_control", "price")),
              DeviceRequest(IHD, IHD_CODE, ("price", "messaging"), name="Kitchen display"),
              DeviceRequest(LCS, LCS_CODE, ("load_control",), location="garage")]
    outcomes = svc.provision("J-32", t, chosen, meter_number="90000001")
    assert [o.readiness.rung.value for o in outcomes] == ["participating"] * 3, [o.to_json() for o in outcomes]
    replies = [a["reply"]["message"] for o in outcomes for a in o.acknowledgements]
    assert replies == ["Report Event Status", "Price Acknowledgement", "Price Acknowledgement",
                       "Message Confirmation", "Report Event Status"]
    assert outcomes[2].status.device_type == "load_control_device" and outcomes[2].status.lqi > 0
    # The door sensor received nothing; the devices got the real messages.
    sim = srv.han.esi.devices
    assert sim[DOOR].received == [] and isinstance(sim[LCS].received[0], se.LoadControlEvent)
    # I1FR46: link keys in the vault, not in the log; I1FR47: the whole story is in the log.
    assert vault.secrets[f"han/{IHD}/link_key"] == "66B6900981E1EE3CA4206B6B861C02BB"
    log = svc.history("J-32")
    text = " ".join(e["text"] + str(e["data"]) for e in log)
    assert "66B6900981E1EE3CA4206B6B861C02BB" not in text and IHD_CODE not in text
    assert any(e["kind"] == "sent" and e["eui64"] == LCS for e in log)
    # The record for MMS/CSS: one han_provisioning event per device.
    events = [e for e in svc.store.outbox.list() if e.kind == "han_provisioning"]
    assert sorted(e.payload["eui64"] for e in events) == sorted([PCT, IHD, LCS])
    assert all(e.payload["outcome"] == "joined" for e in events)


def test_scenario_3_3_discovered_devices_match_the_mms_instructions(han):
    svc, t, _ = han()
    planned = (PlannedHanDevice(PCT, "thermostat", None, "load_control"),
               PlannedHanDevice(LCS, "load_control", LCS_CODE, "load_control"),
               PlannedHanDevice("00137A0000A1B2FF", "in_home_display", None, "price"))
    m = match_planned(planned, t.devices())
    assert [x["eui64"] for x in m["matched"]] == [PCT, LCS] and m["matched"][0]["type_ok"]
    assert m["missing"][0]["eui64"] == "00137A0000A1B2FF" and not m["all_found"]
    assert {x["eui64"] for x in m["not_instructed"]} == {IHD, SLEEPY, DOOR}
    requests = [DeviceRequest(p.eui64, p.install_code, (p.program,)) for p in planned[:2]]
    outcomes = svc.provision("J-33", t, requests, meter_number="90000002")
    assert all(o.readiness.rung.value == "participating" for o in outcomes)


@pytest.mark.parametrize("profile", ["borealis-rx", "cirrus-ct"])
def test_the_esi_tables_work_on_every_vendor_layout(han, profile):
    svc, t, _ = han(profile=profile)
    out = svc.provision("J-V", t, [DeviceRequest(LCS, LCS_CODE, ("load_control",))], meter_number="1")
    assert out[0].readiness.rung.value == "participating"


def _guided(outcome, failure):
    r = outcome.readiness
    assert r.rung.value == "failed" and r.failure.value == failure, outcome.to_json()
    assert outcome.to_json()["guidance"]


def test_a_wrong_install_code_ends_in_wrong_key_guidance(han):
    svc, t, _ = han()
    wrong = "1122334455667788" + "4AF7"  # a valid code (P2), but not the one this switch has
    started = time.monotonic()
    out = svc.provision("J-F", t, [DeviceRequest(LCS, wrong, ("load_control",))], meter_number="1")[0]
    _guided(out, "wrong_key")
    assert time.monotonic() - started < 3


def test_a_mistyped_code_is_refused_before_anything_is_sent(han):
    svc, t, srv = han()
    out = svc.provision("J-F", t, [DeviceRequest(LCS, "1234567890ABBA9F", ())], meter_number="1")[0]
    _guided(out, "bad_crc")
    assert LCS not in srv.han.esi.join_list


def test_the_window_closes_when_the_device_is_not_in_pairing_mode(han):
    devices = d.demo_premises()
    devices[2].pairing_mode = False
    svc, t, _ = han(devices)
    svc.settings = type(svc.settings)(**{**vars(svc.settings), "join_window_s": 1})
    out = svc.provision("J-F", t, [DeviceRequest(LCS, LCS_CODE, ())], meter_number="1")[0]
    _guided(out, "window_closed")
    assert "pairing mode" in out.to_json()["guidance"]


def test_a_device_that_never_acknowledges_ends_in_guidance(han):
    devices = d.demo_premises()
    devices[0].acks = False
    svc, t, _ = han(devices)
    out = svc.provision("J-F", t, [DeviceRequest(PCT, None, ("load_control",))], meter_number="1")[0]
    _guided(out, "no_acknowledgement")


def test_an_asleep_device_ends_in_guidance_not_a_hang(han):
    devices = d.demo_premises()
    devices[3].poll_every_s = None  # flat battery: never polls
    svc, t, _ = han(devices)
    started = time.monotonic()
    out = svc.provision("J-F", t, [DeviceRequest(SLEEPY, None, ("messaging",))], meter_number="1")[0]
    _guided(out, "asleep")
    assert time.monotonic() - started < 3


def test_a_sleepy_device_that_polls_acknowledges(han):
    svc, t, _ = han()
    out = svc.provision("J-S", t, [DeviceRequest(SLEEPY, None, ("messaging",))], meter_number="1")[0]
    assert out.readiness.rung.value == "participating"


def test_a_device_out_of_range_is_diagnosed_and_retried_after_moving_it(han):
    devices = d.demo_premises()
    devices[0].distance_m = 300
    svc, t, srv = han(devices)
    report = svc.diagnose("J-T", t)
    problems = {f["eui64"]: f["problem"] for f in report["findings"]}
    assert problems[PCT] == "out_of_range" and problems[DOOR] == "incompatible"
    assert problems[IHD] == "not_provisioned" and not report["ok"]
    out = svc.provision("J-T", t, [DeviceRequest(PCT, None, ("price",))], meter_number="1")[0]
    _guided(out, "out_of_range")
    srv.han.esi.devices[PCT].distance_m = 5  # the installer moves it closer (3.4 step 4) and retries (step 5)
    again = svc.retry("J-T", t, DeviceRequest(PCT, None, ("price",)), meter_number="1")
    assert again.readiness.rung.value == "participating"
    kinds = [e["kind"] for e in svc.history("J-T")]
    assert "guidance" in kinds and "failure" in kinds


def test_the_door_sensor_is_excluded_not_enrolled(han):
    svc, t, srv = han()
    out = svc.provision("J-D", t, [DeviceRequest(DOOR, None, ("load_control",))], meter_number="1")[0]
    assert out.readiness.rung.value == "excluded" and srv.han.esi.devices[DOOR].received == []


def test_han_with_the_installation_provisions_the_instructions_and_guides_on_failure(han):
    devices = d.demo_premises()
    devices[1].distance_m = 400  # the IHD is in the far corner: it cannot join
    svc, t, _ = han(devices)
    planned = (PlannedHanDevice(LCS, "load_control", None, "load_control"),
               PlannedHanDevice(IHD, "in_home_display", IHD_CODE, "price"),
               PlannedHanDevice(PCT, "thermostat", None, "load_control"))
    out = svc.with_installation("WO-711", t, planned, meter_number="90000001", labels={LCS: LCS_CODE})
    rungs = {x["eui64"]: x["rung"] for x in out["devices"]}
    assert rungs == {LCS: "participating", IHD: "failed", PCT: "participating"}
    assert sorted(out["device_ids"]) == sorted([LCS, PCT]) and not out["ok"]
    assert {f["eui64"]: f["problem"] for f in out["findings"]}.get(IHD) == "not_heard"
