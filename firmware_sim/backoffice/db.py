"""The reference back office's persistent store: one SQLite file that survives restarts.

Thread rule: one connection shared by the server's worker threads behind ``lock``; every request's reads
and writes happen inside ``with db.tx() as c:`` so a batch of events commits together or not at all and
two copies of the same request (a retry racing its original) are de-duplicated in strict order.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS installers (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, district TEXT NOT NULL, roles TEXT NOT NULL,
    pw_salt BLOB NOT NULL, pw_hash BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS devices (
    id TEXT PRIMARY KEY, installer_id TEXT NOT NULL, name TEXT NOT NULL, secret_hash TEXT NOT NULL,
    enrolled_at TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS tokens (
    hash TEXT PRIMARY KEY, kind TEXT NOT NULL, installer_id TEXT NOT NULL, device_id TEXT NOT NULL,
    expires_at REAL NOT NULL, revoked INTEGER NOT NULL DEFAULT 0, pair TEXT NOT NULL, parent TEXT);
CREATE INDEX IF NOT EXISTS tokens_pair ON tokens(pair);
CREATE TABLE IF NOT EXISTS work_orders (
    id TEXT PRIMARY KEY, district TEXT NOT NULL, installer_id TEXT, prev_installer_id TEXT,
    status TEXT NOT NULL, revision INTEGER NOT NULL, seq INTEGER NOT NULL, change TEXT NOT NULL,
    changed_at TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS work_orders_seq ON work_orders(seq);
CREATE TABLE IF NOT EXISTS wo_holders (
    installer_id TEXT NOT NULL, wo_id TEXT NOT NULL, PRIMARY KEY(installer_id, wo_id));
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, hash TEXT NOT NULL, kind TEXT NOT NULL,
    job_id TEXT, correlation_id TEXT NOT NULL, installer_id TEXT NOT NULL, received_at TEXT NOT NULL,
    body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_job ON events(job_id, seq);
CREATE TABLE IF NOT EXISTS refused_events (
    n INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT, installer_id TEXT NOT NULL, code TEXT NOT NULL,
    reason TEXT NOT NULL, received_at TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS registrations (
    meter_number TEXT PRIMARY KEY, heard_at TEXT NOT NULL, comm_address TEXT, technology TEXT, form TEXT,
    program_id TEXT, position TEXT, reads TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS manual_route (
    meter_number TEXT PRIMARY KEY, since TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pending_verifications (
    event_id TEXT PRIMARY KEY, meter_number TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS pending_meter ON pending_verifications(meter_number);
CREATE TABLE IF NOT EXISTS verifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT, installer_id TEXT NOT NULL, job_id TEXT, event_id TEXT NOT NULL,
    correlation_id TEXT NOT NULL, step TEXT NOT NULL, outcome TEXT NOT NULL, meter_number TEXT NOT NULL,
    discrepancies TEXT NOT NULL, program TEXT, event_type TEXT, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS programs (tariff TEXT PRIMARY KEY, program_id TEXT NOT NULL, description TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS inventory (
    meter_number TEXT PRIMARY KEY, meter_type TEXT NOT NULL, district TEXT NOT NULL, status TEXT NOT NULL,
    holder TEXT, location TEXT);
CREATE TABLE IF NOT EXISTS customers (
    account_number TEXT PRIMARY KEY, customer_name TEXT NOT NULL, premise_address TEXT NOT NULL,
    isp_number TEXT NOT NULL, district TEXT NOT NULL, meter_number TEXT);
CREATE TABLE IF NOT EXISTS photos (
    photo_id TEXT PRIMARY KEY, installer_id TEXT NOT NULL, job_id TEXT, sha256 TEXT NOT NULL, size INTEGER NOT NULL,
    content_type TEXT NOT NULL, received INTEGER NOT NULL, complete INTEGER NOT NULL);
"""


class BackOfficeDb:
    """The SQLite file plus the folder of photo bytes beside it."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.photo_dir = self.path.with_name(self.path.stem + "-photos")
        self.photo_dir.mkdir(exist_ok=True)
        self.lock = threading.RLock()
        self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.executescript(SCHEMA)

    @contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        """One serialised transaction; commits on a normal exit, rolls back on an exception."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def next_seq(self, c: sqlite3.Connection) -> int:
        """The next value of the work-order change sequence (the cursor counts in it)."""
        row = c.execute("SELECT value FROM meta WHERE key='wo_seq'").fetchone()
        n = int(row["value"]) + 1 if row else 1
        c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES('wo_seq', ?)", (str(n),))
        return n

    def close(self) -> None:
        with self.lock:
            self.conn.close()


def dumps(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def loads(text: str | None):
    return None if text is None else json.loads(text)
