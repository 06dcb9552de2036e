"""Work-order pulls merge into the store: the server's plan applies, local work is never overwritten, and a
job changed, cancelled or reassigned while worked here becomes a conflict the installer resolves."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

from fieldtool.domain.model import WorkOrderStatus
from fieldtool.store.outbox import OutboxEvent
from fieldtool.sync import merge
from firmware_sim.backoffice import plan
from tests.sync.conftest import FAST, make_service


def _start(store, job, status="in_progress"):
    now = datetime.now(UTC)
    ev = OutboxEvent.new("transition", {"from_state": "open", "to_state": "arrived", "event": "Arrived",
                                        "actor": "inst-001", "at": now.isoformat()}, at=now, job_id=job)
    store.record_transition(job, actor="inst-001", at=now, from_state=None, to_state="arrived", event="Arrived",
                            data={"final_read": 123.0}, snapshot={"state": "arrived", "final_read": 123.0},
                            outbox=[ev], work_order_status=status)
    return ev


def _server_change(backoffice, job, **changes):
    db = backoffice.backoffice.db
    with db.tx() as c:
        wo = json.loads(c.execute("SELECT data FROM work_orders WHERE id=?", (job,)).fetchone()["data"])
        plan.put(db, c, {**wo, **changes}, datetime.now(UTC))


def test_pull_merges_plans_and_turns_local_work_into_conflicts(backoffice):
    svc = make_service(backoffice.url)
    assert svc.pull().pulled == 12
    store = svc.store
    started = {job: _start(store, job) for job in ("WO-N00001", "WO-N00006")}
    _start(store, "WO-N00005", status="completed")
    _server_change(backoffice, "WO-N00001", route="NORTH-R09")  # in progress here: conflict
    _server_change(backoffice, "WO-N00002", route="NORTH-R08")  # untouched here: applied
    _server_change(backoffice, "WO-N00003", status="cancelled")  # untouched here: applied
    _server_change(backoffice, "WO-N00004", installer_id="sup-001")  # untouched here: no longer workable
    _server_change(backoffice, "WO-N00005", status="cancelled")  # finished here: conflict
    _server_change(backoffice, "WO-N00006", installer_id="sup-001")  # in progress here: conflict
    tally = svc.pull()
    assert (tally.pulled, tally.applied, tally.conflicts) == (6, 3, 3)
    wo = store.work_orders.get
    assert wo("WO-N00002").route == "NORTH-R08" and wo("WO-N00002").revision == 1
    assert wo("WO-N00003").status == WorkOrderStatus.CANCELLED
    assert wo("WO-N00004").status == WorkOrderStatus.CANCELLED
    assert wo("WO-N00001").route != "NORTH-R09" and wo("WO-N00001").status == WorkOrderStatus.IN_PROGRESS
    conflicts = {c.job_id: c for c in svc.conflicts()}
    assert {j: c.change for j, c in conflicts.items()} == {
        "WO-N00001": "upsert", "WO-N00005": "cancelled", "WO-N00006": "reassigned"}
    assert "while you were working on it" in conflicts["WO-N00001"].reason
    assert "already finished" in conflicts["WO-N00005"].reason

    svc.resolve("WO-N00001", "accept_server")
    assert wo("WO-N00001").route == "NORTH-R09" and wo("WO-N00001").status == WorkOrderStatus.IN_PROGRESS
    svc.resolve("WO-N00005", "keep_local")
    assert wo("WO-N00005").status == WorkOrderStatus.COMPLETED
    svc.resolve("WO-N00006", "accept_server")
    assert wo("WO-N00006").status == WorkOrderStatus.CANCELLED
    assert svc.conflicts() == []
    # captures untouched: snapshots, audit and outbox rows are all still there and still go out
    for job, ev in started.items():
        assert store.exchange_snapshot(job)["final_read"] == 123.0
        assert store.outbox.get(ev.id).state == "queued"
    assert svc.run_once()["pushed"] == 3


def test_a_pull_interrupted_mid_way_resumes_from_its_last_committed_page(backoffice):
    svc = make_service(backoffice.url, settings=replace(FAST, page_size=5))
    pages = []
    original = svc._merge_page

    def stop_after_two(server, page, tally):
        original(server, page, tally)
        pages.append(page)
        if len(pages) == 2:
            raise KeyboardInterrupt

    svc._merge_page = stop_after_two
    try:
        svc.pull()
    except KeyboardInterrupt:
        pass
    assert svc.store.work_orders.count() == 10
    svc._merge_page = original
    assert svc.pull().pulled == 2  # only what was left


def test_decisions():
    local = merge.Local(WorkOrderStatus.OPEN, 0, False)
    busy = merge.Local(WorkOrderStatus.IN_PROGRESS, 0, True)
    assert merge.decide("J", "cancelled", None, 1, None).action == "skip"
    assert merge.decide("J", "reassigned", None, 1, local).action == "skip"  # nothing stored to mark
    assert merge.decide("J", "reassigned", None, 1, busy).action == "conflict"
    started_open = merge.Local(WorkOrderStatus.OPEN, 0, True)  # workflow started, status not yet moved
    assert merge.decide("J", "cancelled", None, 1, started_open).action == "conflict"


def test_a_malformed_work_order_in_a_page_is_refused_in_words_and_nothing_of_the_page_applied(backoffice):
    from fieldtool.sync.client import BadReply

    svc = make_service(backoffice.url)
    svc.pull()
    _server_change(backoffice, "WO-N00002", route="NORTH-R08")
    _server_change(backoffice, "WO-N00003", removal={"meter_number": "L1", "form": "2S", "last_read_date": "soon"})
    try:
        svc.pull()
        raise AssertionError("a malformed work order was accepted")
    except BadReply as e:
        assert "WO-N00003" in str(e) and "removal.last_read_date" in str(e)
    assert svc.store.work_orders.get("WO-N00002").route != "NORTH-R08"  # the page is all or nothing
    assert svc.run_once()["errors"] == 1  # and it stays refused until the back office fixes it
