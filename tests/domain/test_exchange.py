"""The exchange transition table: every transition, every illegal event, gates, exits and the records kept."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtool.domain import exchange as ex
from fieldtool.domain.codec import from_data, to_data
from fieldtool.domain.errors import NotAllowed
from fieldtool.domain.exchange import TABLE, ExchangeSettings, Step, allowed, step
from fieldtool.domain.exchange_events import (
    EVENTS,
    Arrive,
    CannotComplete,
    Coverage,
    FinalRead,
    GoBackReason,
    HanDevicesFound,
    IdentifyMeter,
    InstallMeter,
    JudgeCoverage,
    NetworkTested,
    RecordAsFound,
    Registered,
    RegistrationTimedOut,
    RemoveOldMeter,
    ReplaceMeter,
    Report,
    ReportMarginalCoverage,
    ScanMeter,
    SelfCheck,
    SoftRegister,
    Verification,
    VerifyOldMeter,
    WriteMeter,
)
from fieldtool.domain.exchange_job import ExchangeJob, new_job
from fieldtool.domain.findings import open_findings
from fieldtool.domain.model import AsFoundCondition, Position, WorkOrderKind
from tests.domain.factories import NOW, SP, STOCK, order

KINDS = (WorkOrderKind.EXCHANGE, WorkOrderKind.NEW_SET, WorkOrderKind.REMOVAL)
HERE = Position(SP.lat, SP.lon, accuracy_m=4.0)  # no fix time: its age is not judged

# one good example of every event; events with outcomes have one per outcome
SAMPLES = {
    "scan_meter": [ScanMeter("AMI0000001", "AMI-R2S-240")],
    "arrive": [Arrive(HERE)],
    "verify_old_meter": [VerifyOldMeter("V123456", "2S")],
    "record_as_found": [RecordAsFound((AsFoundCondition.PANEL_DAMAGED,), "cracked base")],
    "final_read": [FinalRead(41_850.0)],
    "remove_old_meter": [RemoveOldMeter()],
    "install_meter": [InstallMeter()],
    "self_check": [SelfCheck(True), SelfCheck(False, errors=("ram_failure",))],
    "identify_meter": [IdentifyMeter("AMI0000001", "2S", "AMI-R2S-240", "RES-TOU-D")],
    "write_meter": [WriteMeter(HERE)],
    "registered": [Registered("fe80::1", "rf_mesh", -71.0)],
    "registration_timeout": [RegistrationTimedOut()],
    "network_tested": [NetworkTested("rf_mesh", False, -104.0, "no neighbours")],
    "judge_coverage": [JudgeCoverage(Coverage.ADEQUATE), JudgeCoverage(Coverage.MARGINAL), JudgeCoverage(Coverage.NONE)],
    "han_devices_found": [HanDevicesFound(("00124B0001A2B3C4",))],
    "replace_meter": [ReplaceMeter("AMI0000002", "AMI-R2S-240", "no registration")],
    "report_marginal_coverage": [ReportMarginalCoverage("one bar at the wall")],
    "soft_register": [SoftRegister()],
    "report": [Report()],
    "verification": [Verification(True), Verification(False, ("lat/lon differ",))],
    "cannot_complete": [CannotComplete(GoBackReason.NO_ACCESS, "locked gate, dog")],
}


def at_step(state: Step, kind=WorkOrderKind.EXCHANGE) -> ExchangeJob:
    job = new_job("WO-1001", kind, "INS-042", state.value, NOW)
    return replace(job, arrived_at=NOW)


def wo(kind=WorkOrderKind.EXCHANGE):
    if kind is WorkOrderKind.NEW_SET:
        return order(kind=kind, removal=None)
    if kind is WorkOrderKind.REMOVAL:
        return order(kind=kind, install=None, han_devices=())
    return order()


def test_samples_cover_every_event():
    assert set(SAMPLES) == set(EVENTS)


@pytest.mark.parametrize("row", TABLE, ids=lambda r: f"{r.state.value}--{r.event.name}")
def test_every_transition(row):
    for kind in row.kinds:
        for event in SAMPLES[row.event.name]:
            t = step(wo(kind), at_step(row.state, kind), event, at=NOW, by="INS-042", stock=STOCK)
            assert t.to_state == row.target(event).value
            assert t.from_state == row.state.value and t.job.state == t.to_state


def test_every_illegal_event_is_refused_naming_event_and_step():
    refused = 0
    for kind in KINDS:
        for state in Step:
            ok = {r.event.name for r in ex.rows(state, kind)}
            for name, events in SAMPLES.items():
                if name in ok:
                    continue
                with pytest.raises(NotAllowed) as e:
                    step(wo(kind), at_step(state, kind), events[0], at=NOW, by="INS-042", stock=STOCK)
                assert repr(name) in str(e.value) and repr(state.value) in str(e.value)
                refused += 1
    assert refused > 600


def test_han_only_orders_have_no_exchange():
    with pytest.raises(NotAllowed, match="HAN"):
        ex.start(order(kind=WorkOrderKind.HAN_ONLY), "INS-042", NOW)


def test_allowed_lists_inputs_and_targets_for_the_gui():
    (first, *_) = allowed(Step.VERIFY_OLD_METER, WorkOrderKind.EXCHANGE)
    assert first.name == "verify_old_meter" and first.to == ("final_read",)
    assert [(i.name, i.required) for i in first.inputs][:2] == [("meter_number", True), ("form", False)]
    assert "panel_damaged" in first.inputs[2].type
    (sc, *_) = allowed(Step.SELF_CHECK, WorkOrderKind.EXCHANGE)
    assert sc.to == ("identify_meter", "self_check_failed")
    assert allowed(Step.CANNOT_COMPLETE, WorkOrderKind.EXCHANGE) == []
    assert ex.step_label("coverage") == {"step": "coverage", "uc_step": "7.1A.3", "label": ex.STEP_LABELS[Step.COVERAGE][1]}


def run(order_, events, *, start_at=NOW, stock=STOCK, minutes=1):
    job = ex.start(order_, "INS-042", start_at)
    at = start_at
    for e in events:
        at += timedelta(minutes=minutes)
        job = step(order_, job, e, at=at, by="INS-042", stock=stock).job
    return job


HAPPY = [
    ScanMeter("AMI0000001"), Arrive(HERE), VerifyOldMeter("V123456", "2S"), FinalRead(41_850.0),
    RemoveOldMeter(), InstallMeter(), SelfCheck(True), IdentifyMeter("AMI0000001", "2S", "AMI-R2S-240", "RES-TOU-D"),
    WriteMeter(HERE), Registered("fe80::1", "rf_mesh", -70.0), Report(),
]


def test_happy_exchange_records_time_on_site_and_clears_manual_route():
    o = order(meter_read_date=None, han_devices=())
    job = run(o, HAPPY)
    assert job.state == "awaiting_verification" and not job.manual_read_route
    assert [f.rule for f in job.findings] == ["billing-read-date"]  # info: no read date in this plan
    assert job.time_on_site_s(NOW) == 9 * 60  # arrive at +2 min, report at +11 min
    assert not ex.over_install_target(job, ExchangeSettings(), NOW)
    job = step(o, job, Verification(True), at=NOW + timedelta(days=1), by="sync", stock=STOCK).job
    assert job.state == "complete" and job.completed_at == NOW + timedelta(days=1)


def test_slow_install_is_over_the_15_minute_target():
    job = run(order(meter_read_date=None, han_devices=()), HAPPY, minutes=2)
    assert ex.over_install_target(job, ExchangeSettings(), NOW) is True


def test_no_registration_soft_registers_and_stays_on_manual_route_until_it_talks():
    o = order(meter_read_date=None, han_devices=())
    job = run(o, [
        *HAPPY[:9], RegistrationTimedOut(), NetworkTested("rf_mesh", True, -108.0), JudgeCoverage(Coverage.MARGINAL),
        ReportMarginalCoverage("-108 dBm at the wall"), SoftRegister(),
    ])
    assert job.state == "awaiting_verification" and job.soft_registered and job.manual_read_route
    assert job.coverage is Coverage.MARGINAL and job.network_tests[0].signal_dbm == -108.0
    job = step(o, job, Registered("fe80::9"), at=NOW + timedelta(hours=3), by="sync", stock=STOCK).job
    assert job.state == "awaiting_verification" and not job.manual_read_route


def test_adequate_coverage_means_replace_the_meter_back_to_6_5():
    o = order(meter_read_date=None, han_devices=())
    job = run(o, [*HAPPY[:9], RegistrationTimedOut(), NetworkTested("rf_mesh", True, -60.0),
                  JudgeCoverage(Coverage.ADEQUATE), ReplaceMeter("AMI0000002")])
    assert job.state == "install_meter" and job.replaced_meters == ("AMI0000001",)
    assert job.actual.new_meter_number == "AMI0000002" and job.registration is None


def test_registration_deadline_follows_the_configured_timeout():
    job = run(order(), HAPPY[:6])
    assert ex.registration_due_at(job, ExchangeSettings(registration_timeout_s=120)) == NOW + timedelta(minutes=8)


def test_gate_holds_removal_until_warning_acknowledged():
    o = order(meter_read_date=None)
    job = run(o, HAPPY[:3] + [FinalRead(44_000.0)])  # far above the band: warn
    assert job.state == "remove_old_meter" and [f.rule for f in job.findings] == ["final-read", "billing-read-date"]
    assert [f.rule for f in open_findings(job.findings, [], [])] == ["final-read"]
    with pytest.raises(NotAllowed, match="final-read"):
        step(o, job, RemoveOldMeter(), at=NOW, by="INS-042", stock=STOCK)
    acked = ex.acknowledge(job, "final-read", reason="pool pump added", by="INS-042", at=NOW)
    assert acked.acknowledgements[0].reason == "pool pump added"
    assert step(o, acked, RemoveOldMeter(), at=NOW, by="INS-042", stock=STOCK).to_state == "install_meter"


def test_block_needs_other_action_or_override():
    o = order(meter_read_date=None)
    job = run(o, [ScanMeter("AMI0000099"), Arrive(HERE), VerifyOldMeter("V123456", "2S"), FinalRead(41_850.0)])
    with pytest.raises(NotAllowed, match="meter-not-issued"):
        step(o, job, RemoveOldMeter(), at=NOW, by="INS-042", stock=STOCK)
    with pytest.raises(NotAllowed, match="block"):
        ex.acknowledge(job, "meter-not-issued", reason="r", by="INS-042", at=NOW)
    rescanned = step(o, job, ScanMeter("AMI0000002"), at=NOW, by="INS-042", stock=STOCK).job  # other action
    assert open_findings(rescanned.findings, [], []) == [] and rescanned.state == "remove_old_meter"
    overridden = ex.override(job, "meter-not-issued", supervisor="SUP-7", reason="issued by phone", by="INS-042", at=NOW)
    assert step(o, overridden, RemoveOldMeter(), at=NOW, by="INS-042", stock=STOCK).to_state == "install_meter"


def test_wrong_old_meter_is_recorded_as_correction():
    job = run(order(meter_read_date=None), HAPPY[:3] + [VerifyOldMeter("V999999", "2S")])
    assert job.corrected_old_meter_number == "V999999" and job.findings[0].rule == "old-meter-number"


def test_cannot_complete_creates_go_back():
    job = run(order(), HAPPY[:4] + [RemoveOldMeter(), CannotComplete(GoBackReason.CONTRACTOR_NEEDED, "melted jaw")])
    assert job.state == "cannot_complete"
    assert (job.go_back.reason, job.go_back.at_step, job.go_back.old_meter_removed) == (
        GoBackReason.CONTRACTOR_NEEDED, "install_meter", True)
    assert job.left_at == NOW + timedelta(minutes=6)


def test_new_set_and_removal_paths():
    ns = order(kind=WorkOrderKind.NEW_SET, removal=None, meter_read_date=None, han_devices=())
    job = run(ns, [ScanMeter("AMI0000001"), Arrive(HERE), InstallMeter(), SelfCheck(True),
                   IdentifyMeter("AMI0000001", "2S", None, "RES-TOU-D"), WriteMeter(HERE), Registered(), Report()])
    assert job.state == "awaiting_verification" and [f.severity.value for f in job.findings] == ["info"]
    rm = order(kind=WorkOrderKind.REMOVAL, install=None, han_devices=(), meter_read_date=None)
    job = run(rm, [Arrive(HERE), VerifyOldMeter("V123456", "2S"), FinalRead(41_850.0), RemoveOldMeter(), Report()])
    assert job.state == "awaiting_verification" and not job.manual_read_route


def test_han_devices_found_run_the_han_check():
    job = run(order(meter_read_date=None), [*HAPPY[:8], HanDevicesFound(("00124b0001a2b3c4",))])
    (f,) = open_findings(job.findings, [], [])
    assert f.rule == "han-ids" and f.actual == ["00124B0001A2B3C4"]


def test_as_found_conditions_accumulate():
    job = run(order(), HAPPY[:2] + [
        VerifyOldMeter("V123456", "2S", (AsFoundCondition.ENERGY_THEFT_SUSPECTED,), "jumper in socket"),
        RecordAsFound((AsFoundCondition.HAZARD,), "wasp nest", ("PH-1",)),
    ])
    assert job.as_found.conditions == {AsFoundCondition.ENERGY_THEFT_SUSPECTED, AsFoundCondition.HAZARD}
    assert job.as_found.notes == "jumper in socket\nwasp nest" and job.as_found.photo_ids == ("PH-1",)


def test_snapshot_round_trips_through_json():
    o = order(meter_read_date=NOW.date() + timedelta(days=1))
    job = run(o, HAPPY[:4])
    job = ex.acknowledge(job, "billing-read-date", reason="route read moved", by="INS-042", at=NOW)
    for e in [*HAPPY[4:9], RegistrationTimedOut(), NetworkTested("plc", False)]:
        job = step(o, job, e, at=NOW, by="INS-042", stock=STOCK).job
    assert job.state == "coverage" and job.acknowledgements[0].finding.rule == "billing-read-date"
    assert from_data(ExchangeJob, to_data(job), "job") == job


def test_snapshot_with_info_findings_round_trips():
    o = order(meter_read_date=None)  # billing-read-date reports info with nothing planned
    job = run(o, HAPPY[:3])
    assert any(f.planned is None for f in job.findings)
    assert from_data(ExchangeJob, to_data(job), "job") == job


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(KINDS), st.lists(st.sampled_from([e for events in SAMPLES.values() for e in events]), max_size=30))
def test_any_sequence_of_events_only_moves_along_the_table(kind, events):
    o = wo(kind)
    job = ex.start(o, "INS-042", NOW)
    for i, e in enumerate(events):
        before = job.state
        try:
            t = step(o, job, e, at=NOW + timedelta(minutes=i), by="INS-042", stock=STOCK)
        except NotAllowed:
            continue
        row = next(r for r in ex.rows(before, kind) if r.event is type(e))
        assert t.to_state == row.target(e).value
        job = t.job
        assert from_data(ExchangeJob, to_data(job), "job") == job
        for rule in {f.rule for f in open_findings(job.findings, job.acknowledgements, job.overrides)}:
            job = ex.override(job, rule, supervisor="SUP-7", reason="explore further", by="INS-042", at=NOW)
