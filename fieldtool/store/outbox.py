"""The outbox: events for the back office, kept until the back office acknowledges each one.

State machine of a row::

    queued --mark_attempted--> attempted --mark_delivered--> delivered
      ^                            |------mark_rejected----> rejected --retry--> queued
      +--------mark_failed---------+   (error kept, next_attempt_at set: back-off)

A row is ``attempted`` before its request goes out and becomes ``delivered`` or ``rejected`` only on
that event's own acknowledgement. Rows are never deleted before that (a trigger in the file refuses it).
Enqueue inside the same ``store.transaction()`` as the change the events report.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from fieldtool.domain.errors import NotAllowed
from fieldtool.store._rows import dump, load, stamp, unstamp


class OutboxState(StrEnum):
    QUEUED = "queued"
    ATTEMPTED = "attempted"
    DELIVERED = "delivered"
    REJECTED = "rejected"


@dataclass(frozen=True)
class OutboxEvent:
    """One event for the back office. ``id`` is a client-generated UUID: the server de-duplicates by it."""

    id: str
    kind: str
    schema_version: int
    payload: dict[str, Any]
    job_id: str | None
    correlation_id: str
    created_at: datetime
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    state: str = OutboxState.QUEUED
    reject_reason: str | None = None
    attempted_at: datetime | None = None
    acknowledged_at: datetime | None = None

    @classmethod
    def new(
        cls,
        kind: str,
        payload: dict[str, Any],
        *,
        at: datetime,
        job_id: str | None = None,
        correlation_id: str | None = None,
        schema_version: int = 1,
    ) -> OutboxEvent:
        """A queued event with a fresh UUID (its own id is the correlation id unless one is given)."""
        event_id = str(uuid.uuid4())
        return cls(event_id, kind, schema_version, payload, job_id, correlation_id or event_id, at)


_COLUMNS = (
    "id, kind, schema_version, payload, job_id, correlation_id, created_at, attempts, next_attempt_at, "
    "last_error, state, reject_reason, attempted_at, acknowledged_at"
)


def _event(row) -> OutboxEvent:
    return OutboxEvent(
        id=row[0], kind=row[1], schema_version=row[2], payload=load(row[3], f"Outbox event {row[0]}"), job_id=row[4],
        correlation_id=row[5], created_at=unstamp(row[6]), attempts=row[7],
        next_attempt_at=unstamp(row[8]), last_error=row[9], state=OutboxState(row[10]),
        reject_reason=row[11], attempted_at=unstamp(row[12]), acknowledged_at=unstamp(row[13]),
    )


class Outbox:
    """The outbox repository of one store. Every method is its own transaction unless called inside
    ``store.transaction()``, whose transaction it then joins."""

    def __init__(self, store):
        self.store = store

    def enqueue(self, events: list[OutboxEvent]) -> None:
        rows = [
            (e.id, e.kind, e.schema_version, dump(e.payload), e.job_id, e.correlation_id,
             stamp(e.created_at), e.attempts, stamp(e.next_attempt_at), e.last_error,
             str(OutboxState(e.state)), e.reject_reason, stamp(e.attempted_at), stamp(e.acknowledged_at))
            for e in events
        ]
        with self.store.transaction() as c:
            c.executemany(f"INSERT INTO outbox ({_COLUMNS}) VALUES ({', '.join('?' * 14)})", rows)

    def get(self, event_id: str) -> OutboxEvent | None:
        with self.store.reading() as c:
            row = c.execute(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (event_id,)).fetchone()
        return _event(row) if row else None

    def due(self, now: datetime, limit: int = 100) -> list[OutboxEvent]:
        """Queued events whose next attempt is due, oldest first."""
        with self.store.reading() as c:
            rows = c.execute(
                f"SELECT {_COLUMNS} FROM outbox WHERE state = 'queued' "
                "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY seq LIMIT ?",
                (stamp(now), limit),
            ).fetchall()
        return [_event(r) for r in rows]

    def mark_attempted(self, ids: list[str], at: datetime) -> None:
        """Before the request goes out: queued -> attempted, one more attempt counted."""
        with self.store.transaction() as c:
            for event_id in ids:
                self._move(c, event_id, ("queued",), "state = 'attempted', attempts = attempts + 1, "
                           "attempted_at = ?", (stamp(at),))

    def mark_delivered(self, event_id: str, at: datetime) -> None:
        """The back office acknowledged this event (a duplicate counts: it has it)."""
        with self.store.transaction() as c:
            self._move(c, event_id, ("attempted",), "state = 'delivered', acknowledged_at = ?, "
                       "next_attempt_at = NULL", (stamp(at),))

    def mark_rejected(self, event_id: str, at: datetime, reason: str) -> None:
        """The back office refused this event; the reason is kept and shown to the installer."""
        with self.store.transaction() as c:
            self._move(c, event_id, ("attempted",), "state = 'rejected', acknowledged_at = ?, "
                       "reject_reason = ?, next_attempt_at = NULL", (stamp(at), reason))

    def mark_failed(self, event_id: str, error: str, next_attempt_at: datetime) -> None:
        """No acknowledgement (offline, timeout, server error): back to queued until ``next_attempt_at``."""
        with self.store.transaction() as c:
            self._move(c, event_id, ("attempted",), "state = 'queued', last_error = ?, next_attempt_at = ?",
                       (error, stamp(next_attempt_at)))

    def retry(self, event_id: str) -> None:
        """Queue a rejected event again (after the cause was fixed), due at once."""
        with self.store.transaction() as c:
            self._move(c, event_id, ("rejected",), "state = 'queued', next_attempt_at = NULL, "
                       "acknowledged_at = NULL", ())

    def requeue_attempted(self) -> int:
        """After a restart: events left ``attempted`` (the outcome of their request is unknown) go back
        to queued to be sent again; the server de-duplicates them by id. Returns how many."""
        with self.store.transaction() as c:
            return c.execute(
                "UPDATE outbox SET state = 'queued', next_attempt_at = NULL, "
                "last_error = coalesce(last_error, 'interrupted before the reply') WHERE state = 'attempted'"
            ).rowcount

    def list(self, state: str | None = None, *, job_id: str | None = None, limit: int | None = None):
        """Events oldest first, optionally only those in ``state`` and/or of one job."""
        where, args = [], []
        if state is not None:
            where.append("state = ?")
            args.append(str(OutboxState(state)))
        if job_id is not None:
            where.append("job_id = ?")
            args.append(job_id)
        sql = f"SELECT {_COLUMNS} FROM outbox"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY seq"
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        with self.store.reading() as c:
            return [_event(r) for r in c.execute(sql, args).fetchall()]

    def counts(self) -> dict[str, int]:
        """How many events are in each state (every state present, zero included)."""
        out = {s.value: 0 for s in OutboxState}
        with self.store.reading() as c:
            for state, n in c.execute("SELECT state, count(*) FROM outbox GROUP BY state"):
                out[state] = n
        return out

    def _move(self, c, event_id: str, allowed: tuple[str, ...], assignments: str, args: tuple) -> None:
        row = c.execute("SELECT state FROM outbox WHERE id = ?", (event_id,)).fetchone()
        if row is None:
            raise NotAllowed(f"There is no outbox event {event_id}.")
        if row[0] not in allowed:
            raise NotAllowed(
                f"Outbox event {event_id} is {row[0]}; this needs it to be {' or '.join(allowed)}."
            )
        c.execute(f"UPDATE outbox SET {assignments} WHERE id = ?", (*args, event_id))
