"""The HAN log repository: every HAN interaction of a job, in order (I1FR47), and each device's latest state.

Rows never carry a link key or an install code in clear (those go to the vault, I1FR46); the log keeps the
install code's length and CRC verdict only. Writes join an open ``store.transaction()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fieldtool.store._rows import dump, load, stamp


@dataclass(frozen=True)
class LogEntry:
    seq: int
    job_id: str
    at: str
    eui64: str | None
    path: str
    kind: str  # stage, sent, received, failure, guidance, note
    text: str
    data: dict

    def to_json(self) -> dict:
        return {"seq": self.seq, "at": self.at, "eui64": self.eui64, "path": self.path, "kind": self.kind,
                "text": self.text, "data": self.data}  # fmt: skip


class HanLog:
    def __init__(self, store):
        self.store = store

    def add(self, job_id: str, at: datetime, path: str, kind: str, text: str, *, eui64: str | None = None,
            data: dict | None = None) -> LogEntry:  # fmt: skip
        with self.store.transaction() as c:
            cur = c.execute("INSERT INTO han_log (job_id, at, eui64, path, kind, text, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (job_id, stamp(at), eui64, path, kind, text, dump(data or {})))  # fmt: skip
            seq = cur.lastrowid
        return LogEntry(seq, job_id, stamp(at), eui64, path, kind, text, data or {})

    def entries(self, job_id: str, after: int = 0) -> list[LogEntry]:
        with self.store.reading() as c:
            rows = c.execute("SELECT seq, job_id, at, eui64, path, kind, text, data FROM han_log WHERE job_id = ? "
                             "AND seq > ? ORDER BY seq", (job_id, after)).fetchall()  # fmt: skip
        return [LogEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6], load(r[7])) for r in rows]

    def set_device(self, job_id: str, eui64: str, rung: str, failure: str | None, at: datetime, data: dict) -> None:
        with self.store.transaction() as c:
            c.execute("INSERT INTO han_devices (job_id, eui64, rung, failure, updated_at, data) VALUES (?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT (job_id, eui64) DO UPDATE SET rung = excluded.rung, failure = excluded.failure, "
                      "updated_at = excluded.updated_at, data = excluded.data",
                      (job_id, eui64, rung, failure, stamp(at), dump(data)))  # fmt: skip

    def devices(self, job_id: str) -> list[dict]:
        with self.store.reading() as c:
            rows = c.execute("SELECT eui64, rung, failure, updated_at, data FROM han_devices WHERE job_id = ? "
                             "ORDER BY eui64", (job_id,)).fetchall()  # fmt: skip
        return [{"eui64": r[0], "rung": r[1], "failure": r[2], "updated_at": r[3], **load(r[4])} for r in rows]
