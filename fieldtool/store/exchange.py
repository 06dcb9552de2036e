"""Where each job's exchange stands (a snapshot to resume from) and its append-only audit trail.

``record_transition`` is the one write of the workflow: the audit row (who, when, from which state to
which, on which event, with what captured data), the new snapshot and the outbox rows commit in one
transaction, before the screen says the step happened. A crash at any moment leaves either all of it or
none of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fieldtool.domain.errors import InputError, NotAllowed
from fieldtool.store._rows import dump, load, stamp, unstamp
from fieldtool.store.outbox import OutboxEvent


@dataclass(frozen=True)
class AuditEntry:
    seq: int  # order of recording, across all jobs
    job_id: str
    at: datetime
    actor: str
    from_state: str | None
    to_state: str
    event: str
    data: dict[str, Any]


class Exchanges:
    """Snapshots and audit trail of one store (joins an open ``store.transaction()``)."""

    def __init__(self, store):
        self.store = store

    def record_transition(
        self,
        job_id: str,
        *,
        actor: str,
        at: datetime,
        from_state: str | None,
        to_state: str,
        event: str,
        data: dict[str, Any] | None = None,
        snapshot: dict[str, Any],
        outbox: list[OutboxEvent] = (),
        work_order_status: str | None = None,
    ) -> AuditEntry:
        """Commit one workflow transition with its snapshot, audit row and outbox rows, all or nothing.

        ``from_state`` must be where the job stands in the store (any value for a job's first
        transition): a stale caller (a second window, a replayed event) is refused with ``NotAllowed``
        rather than overwriting newer work. ``work_order_status``, when given, changes the work
        order's status in the same transaction.
        """
        data = data or {}
        with self.store.transaction() as c:
            if not c.execute("SELECT 1 FROM work_orders WHERE id = ?", (job_id,)).fetchone():
                raise InputError(f"There is no work order {job_id} in the store.")
            row = c.execute("SELECT state FROM exchange_state WHERE job_id = ?", (job_id,)).fetchone()
            if row is not None and row[0] != from_state:
                raise NotAllowed(
                    f"Job {job_id} stands at {row[0]!r} in the store, not at {from_state!r}; "
                    f"the event {event!r} was not recorded.",
                    hint="Reopen the job to see its current step.",
                )
            seq = c.execute(
                "INSERT INTO exchange_audit (job_id, at, actor, from_state, to_state, event, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (job_id, stamp(at), actor, from_state, to_state, event, dump(data)),
            ).lastrowid
            c.execute(
                "INSERT INTO exchange_state (job_id, state, snapshot, transitions, updated_at) "
                "VALUES (?, ?, ?, 1, ?) ON CONFLICT (job_id) DO UPDATE SET state = excluded.state, "
                "snapshot = excluded.snapshot, transitions = transitions + 1, updated_at = excluded.updated_at",
                (job_id, to_state, dump(snapshot), stamp(at)),
            )
            if outbox:
                self.store.outbox.enqueue(list(outbox))
            if work_order_status is not None:
                self.store.work_orders.set_status(job_id, work_order_status)
        return AuditEntry(seq, job_id, at, actor, from_state, to_state, event, load(dump(data)))

    def snapshot(self, job_id: str) -> dict[str, Any] | None:
        """The job's last committed snapshot, or None when its exchange has not started."""
        with self.store.reading() as c:
            row = c.execute("SELECT snapshot FROM exchange_state WHERE job_id = ?", (job_id,)).fetchone()
        return load(row[0], f"The exchange snapshot of {job_id}") if row else None

    def state(self, job_id: str) -> str | None:
        with self.store.reading() as c:
            row = c.execute("SELECT state FROM exchange_state WHERE job_id = ?", (job_id,)).fetchone()
        return row[0] if row else None

    def states(self) -> dict[str, str]:
        """Every started job's current state, by job id."""
        with self.store.reading() as c:
            return dict(c.execute("SELECT job_id, state FROM exchange_state ORDER BY job_id"))

    def audit(self, job_id: str) -> list[AuditEntry]:
        """The job's audit trail, oldest first."""
        with self.store.reading() as c:
            rows = c.execute(
                "SELECT seq, job_id, at, actor, from_state, to_state, event, data FROM exchange_audit "
                "WHERE job_id = ? ORDER BY seq",
                (job_id,),
            ).fetchall()
        return [AuditEntry(r[0], r[1], unstamp(r[2]), r[3], r[4], r[5], r[6], load(r[7], f"Audit row {r[0]}"))
                for r in rows]
