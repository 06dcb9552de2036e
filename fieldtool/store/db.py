"""Opening the local store: one SQLite file, checked before it is touched, migrated, durable.

Durability rules (DESIGN.md §3): WAL journal, ``synchronous=FULL`` (a commit is on disk when it returns),
foreign keys on, ``BEGIN IMMEDIATE`` for every write transaction. A file that is not SQLite, is damaged,
or belongs to another program is refused with ``InputError`` and never written to (``files.py``).

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
from fieldtool.store.files import (
    APPLICATION_ID,
    check_file,
    check_integrity,
    damaged,
    raise_if_outside_cause,
    refusal,
)
from fieldtool.store.migrations import current_versions, migrate
from fieldtool.store.outbox import Outbox, OutboxEvent
from fieldtool.store.stock import Stock
from fieldtool.store.work_orders import WorkOrders

BUSY_TIMEOUT_MS = 5000


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
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.DatabaseError as e:  # busy past the timeout, read-only, damaged
                raise_if_outside_cause(e, self.path)
                raise
            self._depth = 1
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except sqlite3.DatabaseError as e:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise_if_outside_cause(e, self.path)
                raise
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
            try:
                yield self.conn
            except sqlite3.DatabaseError as e:
                raise_if_outside_cause(e, self.path)
                raise
            except UnicodeDecodeError as e:  # stored text that is not UTF-8 any more
                raise damaged(self.path, [f"text that is not UTF-8: {e.reason}"]) from e

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
    new = check_file(path)
    try:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                               timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as e:
        raise InputError(f"The store {path} cannot be opened: {e}.") from e
    try:
        if not new:
            check_integrity(conn, path)
        if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            # A new file, or one whose creation was cut short before its stamp was kept (SQLite rolled
            # it back to empty). Stamp the header before anything goes to the WAL, so the main file
            # always says whose it is.
            if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise InputError(f"{path} is an SQLite database of another program, not fieldtool's. "
                                 "It was left as it is.")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise InputError(f"{path}: the store needs WAL journaling but SQLite kept {mode!r}.")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        migrate(conn, clock.now(), where=str(path))
        return Store(conn, path, clock)
    except sqlite3.Error as e:
        conn.close()
        raise refusal(e, path) from e
    except BaseException:
        conn.close()
        raise
