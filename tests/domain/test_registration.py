"""The soft-registration record: every I1FR16/I1FR17 field filled from the plan and the job, JSON round trip."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta

import pytest

from fieldtool.domain import exchange as ex
from fieldtool.domain import registration as reg
from fieldtool.domain.errors import InputError
from fieldtool.domain.exchange_events import (
    Arrive,
    Coverage,
    FinalRead,
    IdentifyMeter,
    InstallMeter,
    JudgeCoverage,
    MeterLogEntry,
    NetworkTested,
    RegistrationTimedOut,
    RemoveOldMeter,
    ReportMarginalCoverage,
    ScanMeter,
    SelfCheck,
    SoftRegister,
    VerifyOldMeter,
    WriteMeter,
)
from fieldtool.domain.model import AsFoundCondition, LegacyIds, Position
from tests.domain.factories import NOW, SP, STOCK, order

PLAN = order(meter_read_date=None, legacy_ids=LegacyIds("PIN-77", "DEV-5", "REC-9", "+1 559 555 0100", "LS-31"))
HERE = Position(SP.lat, SP.lon, accuracy_m=3.0)


def soft_registered_job():
    job = ex.start(PLAN, "INS-042", NOW)
    events = [
        ScanMeter("AMI0000001"), Arrive(HERE),
        VerifyOldMeter("V123465", "2S", (AsFoundCondition.ENERGY_THEFT_SUSPECTED, AsFoundCondition.PANEL_DAMAGED), "jumper"),
        FinalRead(41_850.0), RemoveOldMeter(), InstallMeter(), SelfCheck(True, warnings=("low_battery",)),
        IdentifyMeter("AMI0000001", "2S", "AMI-R2S-240", "RES-TOU-D", "Acme", "SN-88001", "RF-7731", "1.4",
                      install_read=0.2, channels=("kwh_delivered", "kwh_received"),
                      log=(MeterLogEntry(NOW, 1, "power up"),)),
        WriteMeter(HERE, None), RegistrationTimedOut(), NetworkTested("rf_mesh", True, -109.0),
        NetworkTested("gprs", True, -95.0), JudgeCoverage(Coverage.MARGINAL), ReportMarginalCoverage("1 bar"),
    ]
    for i, e in enumerate(events):
        job = ex.step(PLAN, job, e, at=NOW + timedelta(minutes=i), by="INS-042", stock=STOCK).job
        if e.name == "verify_old_meter":
            job = ex.acknowledge(job, "old-meter-number", reason="plan wrong", by="INS-042", at=NOW)
        if e.name == "write_meter":
            job = ex.acknowledge(job, "han-ids", reason="customer away", by="INS-042", at=NOW) if any(
                f.rule == "han-ids" for f in job.findings) else job
    return ex.step(PLAN, job, SoftRegister(), at=NOW + timedelta(minutes=20), by="INS-042", stock=STOCK).job


def test_record_carries_every_field_of_i1fr16_and_i1fr17():
    job = soft_registered_job()
    r = reg.build(PLAN, job, record_id="6f1c", created_at=NOW, kind="soft_registration",
                  credential_refs=("meter:AMI0000001:password",))
    assert (r.new_meter_id, r.new_meter_install_read, r.removed_meter_id, r.removed_meter_read) == (
        "AMI0000001", 0.2, "V123465", 41_850.0)
    assert r.meter_log[0].text == "power up" and r.program_id == "RES-TOU-D"
    assert r.security_credential_refs == ("meter:AMI0000001:password",)
    assert [d.eui64 for d in r.han_devices] == ["00124B0001A2B3C4", "00124B0001A2B3C5"]
    assert r.han_devices[0].installed_by_utility and not r.han_devices[1].installed_by_utility
    assert r.applicable_credential_refs == ("han:00124B0001A2B3C4:link_key", "han:00124B0001A2B3C5:link_key")
    assert r.tms == reg.TmsIds("PIN-77", ("kwh_delivered", "kwh_received"), "SN-88001", "RES-TOU-D")
    assert (r.mv90.phone_number, r.mv90.device_id, r.mv90.recorder_id) == ("+1 559 555 0100", "DEV-5", "REC-9")
    n = r.netcomm
    assert (n.meter_prefix, n.meter_suffix, n.radio_serial_number, n.load_survey_number) == ("AMI", "0000001", "RF-7731", "LS-31")
    assert (n.css_isp_number, n.css_account_number, n.customer_address) == (SP.isp_number, SP.account_number, SP.premise_address)
    assert r.corrected_meter_number == "V123465" and r.energy_theft_suspected and r.meter_damaged
    assert r.self_test == reg.SelfTestResult(True, (), ("low_battery",))
    assert r.signal_dbm == -95.0 and r.coverage is Coverage.MARGINAL and r.manual_read_route


def test_json_round_trip_and_no_secret_values():
    r = reg.build(PLAN, soft_registered_job(), record_id="6f1c", created_at=NOW, kind="soft_registration")
    data = reg.to_json(r)
    text = json.dumps(data)
    assert data["schema_version"] == reg.SCHEMA_VERSION
    assert "83FED3407A939723A5C639B26916D505C3B5" not in text  # the planned install code travels by reference only
    assert reg.from_json(json.loads(text)) == r
    assert {f.name for f in dataclasses.fields(reg.SoftRegistration)} == set(data)


def test_newer_or_broken_records_are_refused_in_words():
    data = reg.to_json(reg.build(PLAN, soft_registered_job(), record_id="x", created_at=NOW, kind="installation_report"))
    with pytest.raises(InputError, match="newer"):
        reg.from_json({**data, "schema_version": 99})
    with pytest.raises(InputError, match="schema_version"):
        reg.from_json({k: v for k, v in data.items() if k != "schema_version"})
    with pytest.raises(InputError, match="netcomm.lat"):
        reg.from_json({**data, "netcomm": {**data["netcomm"], "lat": "north"}})


@pytest.mark.parametrize("number,parts", [("AMI0000001", ("AMI", "0000001")), ("222-012345", ("222", "012345")),
                                          ("123456", (None, "123456")), (None, (None, None))])
def test_meter_prefix_suffix(number, parts):
    assert reg.split_meter_number(number) == parts
