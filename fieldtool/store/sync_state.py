"""What sync keeps in the store besides the outbox: pull cursors, conflicts, verdicts (schema area ``sync``).

``SyncState(store)`` joins an open ``store.transaction()`` like the other repositories, so a page of work
orders, its conflicts and the cursor that moves past them commit together: a crash mid-pull re-reads the
page instead of skipping it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fieldtool.store._rows import dump, load, stamp, unstamp


@dataclass(frozen=True)
class Conflict:
    """A job changed on the back office while it was being worked here; the installer decides."""

    job_id: str
    change: str  # upsert (plan changed), cancelled, reassigned
    server_revision: int
    local_revision: int | None
    local_status: str | None
    server_data: dict | None  # the back office's work order (None when reassigned away)
    reason: str
    detected_at: datetime
    resolved_at: datetime | None = None
    resolution: str | None = None  # keep_local / accept_server


class SyncState:
    def __init__(self, store):
        self.store = store

    def cursor(self, server: str, stream: str) -> str | None:
        with self.store.reading() as c:
            row = c.execute("SELECT cursor FROM sync_cursors WHERE server=? AND stream=?", (server, stream)).fetchone()
        return row[0] if row else None

    def set_cursor(self, server: str, stream: str, cursor: str, at: datetime) -> None:
        with self.store.transaction() as c:
            c.execute("INSERT INTO sync_cursors(server, stream, cursor, updated_at) VALUES(?,?,?,?) "
                      "ON CONFLICT(server, stream) DO UPDATE SET cursor=excluded.cursor, updated_at=excluded.updated_at",
                      (server, stream, cursor, stamp(at)))

    def add_conflict(self, conflict: Conflict) -> None:
        """Record (or update, when the server changed the job again) an open conflict."""
        with self.store.transaction() as c:
            c.execute(
                "INSERT OR REPLACE INTO sync_conflicts(job_id, change, server_revision, local_revision, local_status, "
                "server_data, reason, detected_at, resolved_at, resolution) VALUES(?,?,?,?,?,?,?,?,NULL,NULL)",
                (conflict.job_id, conflict.change, conflict.server_revision, conflict.local_revision,
                 conflict.local_status, None if conflict.server_data is None else dump(conflict.server_data),
                 conflict.reason, stamp(conflict.detected_at)),
            )

    def conflicts(self, *, open_only: bool = True) -> list[Conflict]:
        sql = "SELECT * FROM sync_conflicts" + (" WHERE resolved_at IS NULL" if open_only else "") + " ORDER BY job_id"
        with self.store.reading() as c:
            rows = c.execute(sql).fetchall()
        return [_conflict(r) for r in rows]

    def conflict(self, job_id: str) -> Conflict | None:
        with self.store.reading() as c:
            row = c.execute("SELECT * FROM sync_conflicts WHERE job_id=?", (job_id,)).fetchone()
        return _conflict(row) if row else None

    def resolve(self, job_id: str, resolution: str, at: datetime) -> None:
        with self.store.transaction() as c:
            c.execute("UPDATE sync_conflicts SET resolved_at=?, resolution=? WHERE job_id=?",
                      (stamp(at), resolution, job_id))

    def take_lease(self, holder: str, now: datetime, ttl_s: float, name: str = "outbox") -> bool:
        """Take or renew the lease ``name`` for ``holder``; False while another holder's lease runs."""
        with self.store.transaction() as c:
            row = c.execute("SELECT holder, expires_at FROM sync_lease WHERE name=?", (name,)).fetchone()
            if row is not None and row[0] != holder and unstamp(row[1]) > now:
                return False
            c.execute("INSERT INTO sync_lease(name, holder, expires_at) VALUES(?,?,?) ON CONFLICT(name) DO UPDATE "
                      "SET holder=excluded.holder, expires_at=excluded.expires_at",
                      (name, holder, stamp(now + timedelta(seconds=ttl_s))))
            return True

    def lease_holder(self, name: str = "outbox") -> str | None:
        with self.store.reading() as c:
            row = c.execute("SELECT holder FROM sync_lease WHERE name=?", (name,)).fetchone()
        return row[0] if row else None

    def release_lease(self, holder: str, name: str = "outbox") -> None:
        with self.store.transaction() as c:
            c.execute("DELETE FROM sync_lease WHERE name=? AND holder=?", (name, holder))

    def add_verifications(self, server: str, items: list[dict[str, Any]], at: datetime) -> int:
        with self.store.transaction() as c:
            for v in items:
                c.execute(
                    "INSERT OR REPLACE INTO sync_verifications(server, id, job_id, event_id, correlation_id, step, "
                    "outcome, data, received_at) VALUES(?,?,?,?,?,?,?,?,?)",
                    (server, v["id"], v.get("job_id"), v["event_id"], v["correlation_id"], v["step"], v["outcome"],
                     dump(v), stamp(at)),
                )
        return len(items)

    def verifications(self, job_id: str | None = None) -> list[dict[str, Any]]:
        """The back office's verdicts (newest last), for one job or all."""
        sql, args = "SELECT data FROM sync_verifications", ()
        if job_id is not None:
            sql, args = sql + " WHERE job_id=?", (job_id,)
        with self.store.reading() as c:
            return [load(r[0]) for r in c.execute(sql + " ORDER BY received_at, id", args).fetchall()]


def _conflict(row) -> Conflict:
    r = tuple(row)
    return Conflict(r[0], r[1], r[2], r[3], r[4], None if r[5] is None else load(r[5]), r[6], unstamp(r[7]),
                    unstamp(r[8]), r[9])
