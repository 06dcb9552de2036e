"""``fieldtool outbox list|retry``: what waits for the back office, what was sent, and what it refused and why."""

from __future__ import annotations

from fieldtool.cli._common import command, group
from fieldtool.store.outbox import OutboxState


def register(sub) -> None:
    g = group(sub, "outbox", "events queued for the back office")
    p = command(g, "list", _list, "the outbox rows, oldest first, with the count per state")
    p.add_argument("--state", choices=[s.value for s in OutboxState])
    p.add_argument("--job", help="only this work order's events")
    p.add_argument("--limit", type=int)
    p = command(g, "retry", _retry, "queue a rejected event again after fixing its cause")
    p.add_argument("event_id")


def _retry(args):
    from fieldtool.cli.sync import service

    return service().retry(args.event_id)


def _list(args):
    from fieldtool.logs import setup_logging
    from fieldtool.store.db import open_store

    setup_logging()
    with open_store() as store:
        rows = store.outbox.list(args.state, job_id=args.job, limit=args.limit)
        counts = store.outbox.counts()
    return {
        "counts": counts,
        "events": [
            {
                "id": e.id,
                "kind": e.kind,
                "state": e.state,
                "job_id": e.job_id,
                "correlation_id": e.correlation_id,
                "schema_version": e.schema_version,
                "created_at": e.created_at,
                "attempts": e.attempts,
                "next_attempt_at": e.next_attempt_at,
                "last_error": e.last_error,
                "reject_reason": e.reject_reason,
                "payload": e.payload,
            }
            for e in rows
        ],
    }
