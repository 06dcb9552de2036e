"""The outbox state machine: queued -> attempted -> delivered / rejected, failures back off, nothing lost."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from fieldtool.domain.errors import NotAllowed
from fieldtool.store.db import open_store
from fieldtool.store.outbox import OutboxEvent, OutboxState

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "s.db")
    yield s
    s.close()


def event(n: int, job: str | None = "WO-1") -> OutboxEvent:
    return OutboxEvent.new("exchange.step", {"step": n, "read": {"kwh": 10450.5 + n}}, at=T0 + timedelta(seconds=n),
                           job_id=job)


def test_an_enqueued_event_keeps_every_field(store):
    e = OutboxEvent(str(uuid.uuid4()), "soft_registration", 3, {"meter": "AMI-1", "flags": ["theft"]}, None,
                    "corr-7", T0)
    store.outbox.enqueue([e])
    got = store.outbox.get(e.id)
    assert got == e
    assert got.state == OutboxState.QUEUED and got.attempts == 0
    assert store.outbox.counts() == {"queued": 1, "attempted": 0, "delivered": 0, "rejected": 0}


def test_new_events_get_a_client_uuid_which_is_their_correlation_id_by_default():
    e = event(1)
    assert uuid.UUID(e.id).version == 4
    assert e.correlation_id == e.id
    assert OutboxEvent.new("k", {}, at=T0, correlation_id="job-run-1").correlation_id == "job-run-1"


def test_delivery_path(store):
    events = [event(n) for n in range(3)]
    store.outbox.enqueue(events)
    assert [e.id for e in store.outbox.due(T0, limit=10)] == [e.id for e in events]
    store.outbox.mark_attempted([events[0].id, events[1].id], T0)
    assert [e.id for e in store.outbox.due(T0)] == [events[2].id]
    store.outbox.mark_delivered(events[0].id, T0 + timedelta(seconds=1))
    store.outbox.mark_rejected(events[1].id, T0 + timedelta(seconds=1), "meter AMI-1 is not in this lot")
    delivered, rejected = store.outbox.get(events[0].id), store.outbox.get(events[1].id)
    assert (delivered.state, delivered.attempts, delivered.acknowledged_at) == (
        "delivered", 1, T0 + timedelta(seconds=1))
    assert (rejected.state, rejected.reject_reason) == ("rejected", "meter AMI-1 is not in this lot")
    assert store.outbox.counts() == {"queued": 1, "attempted": 0, "delivered": 1, "rejected": 1}
    assert [e.id for e in store.outbox.list(state="rejected")] == [events[1].id]


def test_a_failed_attempt_goes_back_to_queued_and_waits_for_its_next_attempt(store):
    e = event(1)
    store.outbox.enqueue([e])
    store.outbox.mark_attempted([e.id], T0)
    store.outbox.mark_failed(e.id, "connection refused", T0 + timedelta(seconds=30))
    got = store.outbox.get(e.id)
    assert (got.state, got.attempts, got.last_error) == ("queued", 1, "connection refused")
    assert store.outbox.due(T0 + timedelta(seconds=29)) == []
    assert [x.id for x in store.outbox.due(T0 + timedelta(seconds=30))] == [e.id]
    store.outbox.mark_attempted([e.id], T0 + timedelta(seconds=30))
    assert store.outbox.get(e.id).attempts == 2


def test_a_rejected_event_can_be_queued_again(store):
    e = event(1)
    store.outbox.enqueue([e])
    store.outbox.mark_attempted([e.id], T0)
    store.outbox.mark_rejected(e.id, T0, "conflict")
    store.outbox.retry(e.id)
    assert store.outbox.get(e.id).state == "queued"
    assert [x.id for x in store.outbox.due(T0)] == [e.id]


@pytest.mark.parametrize(
    ("setup", "move"),
    [
        ([], lambda o, i: o.mark_delivered(i, T0)),  # never attempted: not acknowledged yet
        ([], lambda o, i: o.mark_rejected(i, T0, "x")),
        ([], lambda o, i: o.mark_failed(i, "x", T0)),
        ([], lambda o, i: o.retry(i)),
        (["attempted"], lambda o, i: o.mark_attempted([i], T0)),
        (["attempted", "delivered"], lambda o, i: o.mark_rejected(i, T0, "late")),
        (["attempted", "delivered"], lambda o, i: o.retry(i)),
    ],
)
def test_moves_the_state_does_not_allow_are_refused_in_words(store, setup, move):
    e = event(1)
    store.outbox.enqueue([e])
    if "attempted" in setup:
        store.outbox.mark_attempted([e.id], T0)
    if "delivered" in setup:
        store.outbox.mark_delivered(e.id, T0)
    before = store.outbox.get(e.id)
    with pytest.raises(NotAllowed, match=f"Outbox event {e.id} is"):
        move(store.outbox, e.id)
    assert store.outbox.get(e.id) == before


def test_marking_a_batch_is_all_or_nothing(store):
    a, b = event(1), event(2)
    store.outbox.enqueue([a, b])
    store.outbox.mark_attempted([b.id], T0)
    with pytest.raises(NotAllowed):
        store.outbox.mark_attempted([a.id, b.id], T0)
    assert store.outbox.get(a.id).state == "queued"


def test_unknown_event_is_refused(store):
    with pytest.raises(NotAllowed, match="no outbox event"):
        store.outbox.mark_delivered("nope", T0)


def test_rows_cannot_be_deleted_before_acknowledgement(store):
    a, b = event(1), event(2)
    store.outbox.enqueue([a, b])
    store.outbox.mark_attempted([a.id], T0)
    for e in (a, b):
        with pytest.raises(sqlite3.IntegrityError, match="kept until the back office acknowledged"), \
                store.transaction() as c:
            c.execute("DELETE FROM outbox WHERE id = ?", (e.id,))
    store.outbox.mark_delivered(a.id, T0)
    with store.transaction() as c:  # acknowledged rows may be pruned
        c.execute("DELETE FROM outbox WHERE id = ?", (a.id,))
    assert [e.id for e in store.outbox.list()] == [b.id]


def test_duplicate_ids_are_refused(store):
    e = event(1)
    store.outbox.enqueue([e])
    with pytest.raises(sqlite3.IntegrityError):
        store.outbox.enqueue([e])
    assert len(store.outbox.list()) == 1


def test_after_a_restart_attempted_events_are_queued_again(tmp_path):
    path = tmp_path / "s.db"
    with open_store(path) as s:
        a, b = event(1), event(2)
        s.outbox.enqueue([a, b])
        s.outbox.mark_attempted([a.id], T0)
    with open_store(path) as s:
        assert s.outbox.requeue_attempted() == 1
        got = s.outbox.get(a.id)
        assert (got.state, got.attempts, got.last_error) == ("queued", 1, "interrupted before the reply")


def test_list_by_job_and_payload_round_trip(store):
    store.outbox.enqueue([event(1, "WO-1"), event(2, "WO-2"), event(3, "WO-1")])
    assert [e.payload["step"] for e in store.outbox.list(job_id="WO-1")] == [1, 3]
    assert store.outbox.list(job_id="WO-2")[0].payload == {"step": 2, "read": {"kwh": 10452.5}}
