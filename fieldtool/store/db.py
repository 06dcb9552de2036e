"""Opening the local store: one SQLite file, checked before it is touched, migrated, durable.

Durability rules (DESIGN.md §3): WAL journal, ``synchronous=FULL`` (a commit is on disk when it returns),
foreign keys on, ``BEGIN IMMEDIATE`` for every write transaction. A file that is not SQLite, is damaged,
or belongs to another program is refused with ``InputError`` and never written to.

Thread rule: one ``Store`` per process is enough; its connection is shared by the threads of the
process and every use is serialised by one re-entrant lock, held for the whole of a transaction.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.config import paths
from fieldtool.domain.errors import InputError
from fieldtool.store.exchange import AuditEntry, Exchanges
from fieldtool.store.migrations import current_versions, migrate
from fieldtool.store.outbox import Outbox, OutboxEvent
from fieldtool.store.stock import Stock
from fieldtool.store.work_orders import WorkOrders

APPLICATION_ID = 0x46544C44  # "FTLD" in the SQLite header: marks the file as fieldtool's
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
QUICK_CHECK_MAX_BYTES = 64 * 2**20  # above this, opening checks the schema only (see _check_integrity)


class Store:
    """The open store: its repositories share one connection and one transaction at a time.

    Repositories: ``outbox``, ``work_orders``, ``stock``, ``exchanges`` (snapshots and audit), all
    working through ``transaction()``; anything done through them inside one ``with
    store.transaction()`` block commits together or not at all.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, clock: Clock):
        self.path = path
        self.conn = conn
        self.clock = clock
        self.db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
        self._lock = threading.RLock()
        self._depth = 0
        self.outbox = Outbox(self)
        self.work_orders = WorkOrders(self)
        self.stock = Stock(self)
        self.exchanges = Exchanges(self)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One SQLite write transaction; yields the connection.

        Everything done through this store inside the block commits together when it ends, or is
        rolled back if it raises. Nested blocks become savepoints of the outer transaction. Holds the
        store's lock for the whole block, so other threads wait.
        """
        with self._lock:
            if self._depth:
                name = f"nested_{self._depth}"
                self.conn.execute(f"SAVEPOINT {name}")
                self._depth += 1
                try:
                    yield self.conn
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute(f"ROLLBACK TO {name}")
                        self.conn.execute(f"RELEASE {name}")
                    raise
                else:
                    self.conn.execute(f"RELEASE {name}")
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection for reads, under the store's lock (a read sees only committed data or this
        thread's own open transaction)."""
        with self._lock:
            yield self.conn

    def record_transition(
        self, job_id: str, *, actor: str, at: datetime, from_state: str | None, to_state: str, event: str,
        data: dict[str, Any] | None = None, snapshot: dict[str, Any], outbox: list[OutboxEvent] = (),
        work_order_status: str | None = None,
    ) -> AuditEntry:
        """Commit one workflow transition, its captured data, the job's snapshot, the audit row and the
        outbox rows in one transaction (see ``Exchanges.record_transition``)."""
        return self.exchanges.record_transition(
            job_id, actor=actor, at=at, from_state=from_state, to_state=to_state, event=event, data=data,
            snapshot=snapshot, outbox=outbox, work_order_status=work_order_status,
        )

    def exchange_snapshot(self, job_id: str) -> dict | None:
        return self.exchanges.snapshot(job_id)

    def audit(self, job_id: str) -> list[AuditEntry]:
        return self.exchanges.audit(job_id)

    def schema_versions(self) -> dict[str, int]:
        with self.reading() as c:
            return current_versions(c)

    def check(self) -> list[str]:
        """SQLite's full ``integrity_check`` (reads every page and index); ``[]`` when the file is sound."""
        with self.reading() as c:
            try:
                problems = [r[0] for r in c.execute("PRAGMA integrity_check(20)")]
            except sqlite3.DatabaseError as e:  # damage bad enough to stop the check itself
                problems = [str(e)]
        return [] if problems == ["ok"] else problems

    def close(self) -> None:
        with self._lock:
            self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_store(path: str | Path | None = None, *, clock: Clock = SYSTEM_CLOCK) -> Store:
    """Open (or create) the store and bring its schema up to date.

    ``path`` defaults to the profile's data folder (``FIELDTOOL_HOME`` moves it). Raises ``InputError``
    for a file that is not SQLite, is damaged, belongs to another program or was written by a newer
    fieldtool; such a file is left exactly as it was.
    """
    path = Path(path) if path is not None else paths().ensure().database
    path.parent.mkdir(parents=True, exist_ok=True)
    new = _check_file(path)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        if new:
            # Stamp the header before anything goes to the WAL, so the main file always says whose it is.
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        else:
            _check_integrity(conn, path)
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise InputError(f"{path}: the store needs WAL journaling but SQLite kept {mode!r}.")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        migrate(conn, clock.now(), where=str(path))
        return Store(conn, path, clock)
    except BaseException:
        conn.close()
        raise


def _check_file(path: Path) -> bool:
    """Refuse what is not ours without writing to it; True when the file is new (absent or empty)."""
    try:
        with path.open("rb") as f:
            header = f.read(100)
    except FileNotFoundError:
        return True
    except OSError as e:
        raise InputError(f"The store {path} cannot be read: {e.strerror}.") from e
    if not header:
        return True
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise InputError(
            f"{path} is not a fieldtool database: it is not an SQLite file (it may be damaged). "
            "It was left as it is.",
            hint="Move it aside (keep it: it may hold captured data) and start fieldtool again.",
        )
    app_id = int.from_bytes(header[68:72], "big")
    if app_id == APPLICATION_ID:
        return False
    if app_id == 0 and not _tables(path):
        return True  # an empty SQLite file: nothing to lose, adopt it
    raise InputError(
        f"{path} is an SQLite database of another program, not fieldtool's. It was left as it is.",
        hint="Point FIELDTOOL_HOME at another folder, or move the file aside.",
    )


def _tables(path: Path) -> list[str]:
    """The tables of a foreign SQLite file, read without writing to it (any doubt: it has some)."""
    try:
        ro = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return [r[0] for r in ro.execute("SELECT name FROM sqlite_master")]
        finally:
            ro.close()
    except sqlite3.DatabaseError:
        return ["(unreadable)"]


def _check_integrity(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a damaged store before anything is written. The schema is always read; the page-level
    ``quick_check`` runs when the file is small enough for it to be quick (it reads every page: about
    0.25 s for a 160 MB store); ``Store.check()`` runs the full check on demand."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        current_versions(conn)
        problems = ["ok"]
        if path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
            problems = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as e:
        problems = [str(e)]
    if problems != ["ok"]:
        raise InputError(
            f"The store {path} is damaged ({'; '.join(problems)}). It was left as it is.",
            hint="Keep the file for recovery, move it aside and start fieldtool again; "
            "unsent work will have to be recovered from the damaged file.",
        )
