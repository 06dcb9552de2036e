"""record_transition: audit row, snapshot and outbox rows in one transaction; stale writers refused."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from fieldtool.domain.errors import InputError, NotAllowed
from fieldtool.store.db import open_store
from fieldtool.store.outbox import OutboxEvent
from tests.store.factories import work_order

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "s.db")
    s.work_orders.upsert_many([work_order(1), work_order(2)])
    yield s
    s.close()


def final_read(store, job="WO-000001", *, from_state="old_meter_verified", outbox=None):
    at = T0 + timedelta(minutes=3)
    rows = outbox if outbox is not None else [
        OutboxEvent.new("meter.reading", {"meter": "40000007", "kwh": 10811.0, "purpose": "removal"},
                        at=at, job_id=job)
    ]
    return store.record_transition(
        job, actor="INST-042", at=at, from_state=from_state, to_state="final_read_taken",
        event="final_read", data={"kwh": 10811.0, "read_at": at.isoformat()},
        snapshot={"state": "final_read_taken", "final_read": 10811.0}, outbox=rows,
    )


def arrive(store, job="WO-000001"):
    return store.record_transition(
        job, actor="INST-042", at=T0, from_state="scanned", to_state="old_meter_verified", event="verify_old_meter",
        data={"old_meter_number": "40000007", "as_found": ["panel_damaged"]},
        snapshot={"state": "old_meter_verified"},
    )


def test_a_transition_commits_audit_snapshot_and_outbox(store):
    first = arrive(store)
    second = final_read(store)
    assert second.seq > first.seq
    assert store.exchange_snapshot("WO-000001") == {"state": "final_read_taken", "final_read": 10811.0}
    assert store.exchanges.state("WO-000001") == "final_read_taken"
    trail = store.audit("WO-000001")
    assert [(a.from_state, a.to_state, a.event, a.actor) for a in trail] == [
        ("scanned", "old_meter_verified", "verify_old_meter", "INST-042"),
        ("old_meter_verified", "final_read_taken", "final_read", "INST-042"),
    ]
    assert trail[0].data == {"old_meter_number": "40000007", "as_found": ["panel_damaged"]}
    assert trail[1].at == T0 + timedelta(minutes=3)
    assert [e.kind for e in store.outbox.list(job_id="WO-000001")] == ["meter.reading"]
    assert store.exchange_snapshot("WO-000002") is None and store.audit("WO-000002") == []


def test_if_an_outbox_row_cannot_be_written_nothing_of_the_transition_is(store):
    arrive(store)
    taken = OutboxEvent.new("x", {}, at=T0, job_id="WO-000001")
    store.outbox.enqueue([taken])
    with pytest.raises(sqlite3.IntegrityError):
        final_read(store, outbox=[OutboxEvent.new("meter.reading", {}, at=T0), taken])
    assert store.exchanges.state("WO-000001") == "old_meter_verified"
    assert len(store.audit("WO-000001")) == 1
    assert len(store.outbox.list()) == 1


def test_a_stale_from_state_is_refused_naming_both(store):
    arrive(store)
    with pytest.raises(NotAllowed, match="stands at 'old_meter_verified'.*not at 'scanned'"):
        final_read(store, from_state="scanned")
    assert len(store.audit("WO-000001")) == 1


def test_unknown_job_is_refused(store):
    with pytest.raises(InputError, match="no work order WO-404"):
        arrive(store, "WO-404")


def test_the_work_order_status_moves_with_the_transition(store):
    store.record_transition(
        "WO-000002", actor="INST-042", at=T0, from_state="arrived", to_state="cannot_complete",
        event="cannot_complete", data={"reason": "no_access"}, snapshot={"state": "cannot_complete"},
        outbox=[OutboxEvent.new("work_order.go_back", {"reason": "no_access"}, at=T0, job_id="WO-000002")],
        work_order_status="cannot_complete",
    )
    assert store.work_orders.get("WO-000002").status == "cannot_complete"
    assert [w.id for w in store.work_orders.list(status="cannot_complete")] == ["WO-000002"]


def test_the_audit_trail_is_append_only(store):
    arrive(store)
    for sql in ("UPDATE exchange_audit SET actor = 'someone else'", "DELETE FROM exchange_audit"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"), store.transaction() as c:
            c.execute(sql)
    assert store.audit("WO-000001")[0].actor == "INST-042"


def test_a_transition_inside_a_larger_transaction_rolls_back_with_it(store):
    with pytest.raises(RuntimeError), store.transaction():
        arrive(store)
        raise RuntimeError("the screen crashed before the step was shown")
    assert store.audit("WO-000001") == [] and store.outbox.list() == []
