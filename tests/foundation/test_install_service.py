"""The install service on a real store, with device doubles behind the exchange's device interfaces."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from fieldtool.clock import Clock
from fieldtool.config import Config
from fieldtool.domain.errors import InputError, NotAllowed, UserCancelled
from fieldtool.domain.exchange_devices import InstallInfo, MeterLink, NetworkTester
from fieldtool.domain.exchange_events import (
    Arrive,
    FinalRead,
    IdentifyMeter,
    InstallMeter,
    NetworkTested,
    Registered,
    RemoveOldMeter,
    ScanMeter,
    SelfCheck,
    VerifyOldMeter,
)
from fieldtool.domain.model import Position, WorkOrderStatus
from fieldtool.services.install import InstallService
from fieldtool.store.db import open_store

DEMO = json.loads((Path(__file__).parents[2] / "resources/demo/work-orders.json").read_text())
JOB = "WO-260312-001"
T0 = datetime(2026, 3, 12, 16, 0, tzinfo=UTC)
HERE = Position(36.757815, -119.816310, 4.0)


class FakeClock(Clock):
    """Wall time that moves only when someone sleeps or the test says so."""

    def __init__(self, at: datetime):
        super().__init__()
        self.at = at
        self.slept = 0.0

    def now(self) -> datetime:
        return self.at

    def sleep(self, configured: float) -> None:
        self.slept += configured
        self.at += timedelta(seconds=configured)


class MeterDouble:
    """A new meter that passes its self-check, says who it is and registers after ``polls`` questions."""

    def __init__(self, polls: int | None = 2, self_check_ok: bool = True):
        self.polls, self.asked, self.written = polls, 0, []
        self.self_check_ok = self_check_ok

    def self_check(self, progress, cancel):
        progress(1.0, "self-check done")
        return SelfCheck(self.self_check_ok, errors=() if self.self_check_ok else ("metrology",))

    def identify(self, progress, cancel):
        return IdentifyMeter("72600101", "2S", "AMI-R2S-240", "RES-TOU-D-4", "Acme", "SN-1", "RF-1", "2.1", 0.1)

    def write_install_info(self, info: InstallInfo, progress, cancel):
        self.written.append(info)

    def registration_status(self, progress, cancel):
        self.asked += 1
        if self.polls is not None and self.asked > self.polls:
            return Registered("fd00::17", "rf_mesh", -68.0)
        return None


class NetworkDouble:
    def technologies(self):
        return ["rf_mesh", "gprs"]

    def test(self, technology, progress, cancel):
        return NetworkTested(technology, True, -101.0, "2 neighbours")


@pytest.fixture
def clock():
    return FakeClock(T0)


@pytest.fixture
def svc(tmp_path, clock):
    store = open_store(tmp_path / "t.db", clock=clock)
    config = Config({"exchange": {"registration_timeout_s": 120.0, "registration_poll_s": 5.0}})
    service = InstallService(store, clock, config)
    service.import_download(DEMO)
    yield service
    store.close()


def to_install(svc, clock):
    svc.start(JOB)
    for e in [ScanMeter("72600101"), Arrive(HERE), VerifyOldMeter("V123456", "2S"),
              FinalRead(41_862.0, T0), RemoveOldMeter(), InstallMeter()]:
        clock.at += timedelta(seconds=30)
        svc.feed(JOB, e)


def test_doubles_satisfy_the_device_interfaces():
    assert isinstance(MeterDouble(), MeterLink) and isinstance(NetworkDouble(), NetworkTester)


def test_device_steps_self_check_identify_write_and_registration(svc, clock):
    to_install(svc, clock)
    meter = MeterDouble(polls=3)
    assert svc.device_step(JOB, meter=meter).to_state == "identify_meter"
    assert svc.device_step(JOB, meter=meter).to_state == "write_meter"
    assert svc.device_step(JOB, meter=meter).to_state == "registration"
    (info,) = meter.written
    assert (info.isp_number, info.removed_meter_number, info.removed_final_read) == ("ISP-4471902", "V123456", 41_862.0)
    assert (info.lat, info.lon) == (HERE.lat, HERE.lon)
    t = svc.await_registration(JOB, meter)
    assert t.to_state == "report" and meter.asked == 4 and clock.slept == 15.0
    job = svc.job(JOB)
    assert job.registration.comms_address == "fd00::17" and not job.manual_read_route


def test_registration_times_out_into_the_network_test(svc, clock):
    to_install(svc, clock)
    meter = MeterDouble(polls=None)
    for _ in range(3):
        svc.device_step(JOB, meter=meter)
    t = svc.await_registration(JOB, meter)
    assert t.to_state == "network_test"
    assert svc.job(JOB).actual.installed_at + timedelta(seconds=120) <= clock.now()
    t = svc.device_step(JOB, network=NetworkDouble())
    assert t.to_state == "coverage" and t.job.network_tests[0].technology == "rf_mesh"
    t = svc.device_step(JOB, network=NetworkDouble(), technology="gprs")
    assert [n.technology for n in t.job.network_tests] == ["rf_mesh", "gprs"]


def test_waiting_can_be_cancelled(svc, clock):
    to_install(svc, clock)
    meter = MeterDouble(polls=None)
    for _ in range(3):
        svc.device_step(JOB, meter=meter)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(UserCancelled):
        svc.await_registration(JOB, meter, cancel=cancel)
    assert svc.job(JOB).state == "registration"


def test_failed_self_check_and_steps_that_need_the_installer(svc, clock):
    to_install(svc, clock)
    assert svc.device_step(JOB, meter=MeterDouble(self_check_ok=False)).to_state == "self_check_failed"
    with pytest.raises(NotAllowed, match="optical port"):
        svc.device_step(JOB)
    svc.feed_named(JOB, "replace_meter", {"meter_number": "72600102"})
    with pytest.raises(NotAllowed, match="needs the installer"):
        svc.device_step(JOB, meter=MeterDouble())


def test_every_transition_is_in_the_store_with_audit_and_outbox(svc, clock, tmp_path):
    to_install(svc, clock)
    audit = svc.store.exchanges.audit(JOB)
    assert [a.event for a in audit] == ["start", "scan_meter", "arrive", "verify_old_meter", "final_read",
                                        "remove_old_meter", "install_meter"]
    rows = svc.store.outbox.list(job_id=JOB)
    assert [r.kind for r in rows] == ["transition"] * 7
    assert [r.payload["event"] for r in rows] == [a.event for a in audit]
    reopened = InstallService(open_store(tmp_path / "t.db", clock=clock), clock)
    assert reopened.job(JOB) == svc.job(JOB)  # a restart resumes exactly here
    assert svc.store.work_orders.get(JOB).status is WorkOrderStatus.IN_PROGRESS


def test_a_refused_event_records_nothing(svc, clock):
    svc.start(JOB)
    before = (len(svc.store.exchanges.audit(JOB)), svc.store.outbox.counts())
    with pytest.raises(NotAllowed):
        svc.feed(JOB, InstallMeter())
    assert (len(svc.store.exchanges.audit(JOB)), svc.store.outbox.counts()) == before


def test_start_resumes_and_reimport_keeps_local_status(svc, clock):
    first = svc.start(JOB)
    svc.feed(JOB, ScanMeter("72600101"))
    assert svc.start(JOB).state == "travel" and first.correlation_id == svc.job(JOB).correlation_id
    doc = json.loads(json.dumps(DEMO))
    doc["work_orders"][0]["revision"] = 4
    doc["work_orders"][0]["service_point"]["access_notes"] = "Gate code changed: 9911"
    r = svc.import_download(doc)
    assert r.kept_local_status == (JOB,)
    wo = svc.store.work_orders.get(JOB)
    assert wo.status is WorkOrderStatus.IN_PROGRESS and wo.service_point.access_notes == "Gate code changed: 9911"


def test_bad_download_leaves_the_store_untouched(svc):
    doc = json.loads(json.dumps(DEMO))
    doc["issued_stock"] = doc["issued_stock"][:2]
    doc["work_orders"][2]["kind"] = "swap"
    with pytest.raises(InputError, match="record 3"):
        svc.import_download(doc)
    assert len(svc.store.stock.issued("INS-042")) == 14 and svc.store.work_orders.count() == 14


def test_check_uses_the_stored_stock(svc):
    (f,) = svc.check(JOB, {"new_meter_number": "72600999"})
    assert (f.rule, f.severity.value) == ("meter-not-issued", "block")
    assert svc.check(JOB, {"new_meter_number": "726-00 101"}) == []
    assert svc.check("WO-260312-013", {"new_meter_number": "72600102"})[0].rule == "meter-type"


def test_configured_tolerances_are_the_defaults_under_the_file(tmp_path, clock):
    store = open_store(tmp_path / "c.db", clock=clock)
    svc = InstallService(store, clock, Config({"checks": {"gps_distance_m": 42.0}}))
    svc.import_download(DEMO)
    assert store.work_orders.get(JOB).tolerances.gps_distance_m == 42.0
    assert store.work_orders.get("WO-260312-012").tolerances.gps_distance_m == 250.0
    store.close()


def test_registered_meter_reports_and_verification_completes(svc, clock):
    to_install(svc, clock)
    meter = MeterDouble(polls=0)
    for _ in range(4):
        svc.device_step(JOB, meter=meter)
    svc.feed_named(JOB, "report")
    soft = [r for r in svc.store.outbox.list(job_id=JOB) if r.kind == "soft_registration"]
    assert soft[0].payload["registration"]["status"] == "registered"
    assert soft[0].payload["record"]["kind"] == "installation_report"
    t = svc.feed_named(JOB, "verification", {"accepted": True}, by="backoffice")
    assert t.to_state == "complete" and svc.store.work_orders.get(JOB).status is WorkOrderStatus.COMPLETED
    assert t.job.completed_at == clock.now()


def _verdict(i, outcome, discrepancies=(), program=None):
    return {"id": i, "job_id": JOB, "event_id": "e", "correlation_id": "c", "step": "8.1", "outcome": outcome,
            "meter_number": "72600101", "discrepancies": list(discrepancies), "program": program,
            "created_at": "2026-03-12T18:00:00+00:00"}


def test_back_office_verdicts_verify_or_hold_the_job(svc, clock):
    to_install(svc, clock)
    meter = MeterDouble(polls=0)
    for _ in range(4):
        svc.device_step(JOB, meter=meter)
    svc.feed_named(JOB, "report")
    assert svc.apply_verdicts("WO-260312-002", [_verdict(1, "match")]) is None  # not started: nothing to do
    t = svc.apply_verdicts(JOB, [_verdict(1, "discrepancy", [{"field": "lat", "field_tool": 1, "head_end": 2,
                                                              "message": "position differs by 400 m"}])])
    assert t.to_state == "discrepancy" and t.event.discrepancies == ("position differs by 400 m",)
    assert svc.apply_verdicts(JOB, [_verdict(1, "discrepancy")]) is None  # nothing new
    t = svc.apply_verdicts(JOB, [_verdict(2, "program_change_required", program={"intended": "RES-TOU-D-4"})])
    assert t.to_state == "discrepancy" and not t.event.accepted and t.event.verdict_ids == (1, 2)


def test_verdicts_accept_when_all_match_and_the_program_was_sent(svc, clock):
    to_install(svc, clock)
    meter = MeterDouble(polls=0)
    for _ in range(4):
        svc.device_step(JOB, meter=meter)
    svc.feed_named(JOB, "report")
    t = svc.apply_verdicts(JOB, [_verdict(7, "match"), _verdict(8, "program_change_required"),
                                 _verdict(9, "program_change_sent", program={"intended": "RES-TOU-D-4"})])
    assert t.to_state == "complete" and t.job.actual.program_id == "RES-TOU-D-4" and t.by == "backoffice"


def test_a_scheduled_go_back_starts_a_new_visit(svc, clock):
    svc.start(JOB)
    svc.feed(JOB, ScanMeter("72600101"))
    svc.feed_named(JOB, "cannot_complete", {"reason": "no_access", "notes": "locked gate"})
    assert svc.start(JOB).state == "cannot_complete"  # not rescheduled yet: the go-back stands
    assert svc.store.work_orders.get(JOB).status is WorkOrderStatus.CANNOT_COMPLETE
    doc = json.loads(json.dumps(DEMO))
    doc["work_orders"][0]["revision"] = 5  # the back office schedules the revisit
    assert svc.import_download(doc).kept_local_status == ()
    again = svc.start(JOB)
    assert again.state == "scan_meter" and again.go_back is None
    assert [a.event for a in svc.store.exchanges.audit(JOB)][-2:] == ["cannot_complete", "revisit"]
    assert svc.store.work_orders.get(JOB).status is WorkOrderStatus.IN_PROGRESS


def test_verdicts_pulled_by_the_sync_reach_the_workflow(svc, clock):
    from fieldtool.services.sync import deliver_verdicts
    from fieldtool.store.sync_state import SyncState

    to_install(svc, clock)
    meter = MeterDouble(polls=0)
    for _ in range(4):
        svc.device_step(JOB, meter=meter)
    svc.feed_named(JOB, "report")
    SyncState(svc.store).add_verifications("https://bo.example", [_verdict(3, "match")], clock.now())
    deliver_verdicts(svc.store, clock, {JOB, "WO-NOT-HERE"})
    assert svc.job(JOB).state == "complete"
