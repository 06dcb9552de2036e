"""Opening the store: durability settings, transactions, and files that are not ours refused untouched."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import struct
import sys
import threading

import pytest

from fieldtool.config import paths
from fieldtool.domain.errors import InputError
from fieldtool.store.db import APPLICATION_ID, open_store
from tests.store.factories import work_order


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_default_path_is_in_the_profile_data_folder_with_wal_full_sync_and_foreign_keys():
    with open_store() as store:
        assert store.path == paths().database
        c = store.conn
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert c.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert c.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    header = paths().database.read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID


def test_a_transaction_commits_everything_or_nothing(tmp_path):
    store = open_store(tmp_path / "s.db")
    with pytest.raises(RuntimeError), store.transaction():
        store.work_orders.upsert_many([work_order(1), work_order(2)])
        store.stock.replace_issued("INST-1", [])
        raise RuntimeError("power cut")
    assert store.work_orders.count() == 0
    assert store.stock.issued("INST-1") is None
    with store.transaction():
        store.work_orders.upsert_many([work_order(1)])
        store.stock.replace_issued("INST-1", [])
    store.close()
    again = open_store(tmp_path / "s.db")
    assert again.work_orders.get("WO-000001") == work_order(1)
    assert again.stock.issued("INST-1") == []


def test_a_nested_block_that_fails_is_undone_and_the_outer_one_goes_on(tmp_path):
    store = open_store(tmp_path / "s.db")
    with store.transaction():
        store.work_orders.upsert_many([work_order(1)])
        with pytest.raises(ValueError), store.transaction():
            store.work_orders.upsert_many([work_order(2)])
            raise ValueError("refused")
    assert [w.id for w in store.work_orders.list()] == ["WO-000001"]


def test_threads_share_the_store_one_transaction_at_a_time(tmp_path):
    store = open_store(tmp_path / "s.db")
    errors = []

    def writer(start: int) -> None:
        try:
            for i in range(start, start + 20):
                with store.transaction():
                    store.work_orders.upsert_many([work_order(i)])
                    store.stock.replace_issued(f"INST-{i}", [])
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(n * 100,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert store.work_orders.count() == 80


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "fieldtool.db"
    path.write_bytes(os.urandom(8192))
    before = digest(path)
    with pytest.raises(InputError, match="not an SQLite file"):
        open_store(path)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fieldtool.db"]


def test_a_short_file_is_refused(tmp_path):
    path = tmp_path / "fieldtool.db"
    path.write_bytes(b"SQLite format 3\x00\x10\x00")
    with pytest.raises(InputError, match="not an SQLite file"):
        open_store(path)
    assert path.read_bytes() == b"SQLite format 3\x00\x10\x00"


def test_another_programs_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "fieldtool.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    other.execute("INSERT INTO contacts VALUES ('Ana', '555-0100')")
    other.commit()
    other.close()
    before = digest(path)
    with pytest.raises(InputError, match="another program"):
        open_store(path)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fieldtool.db"]


def test_an_empty_sqlite_file_is_adopted(tmp_path):
    path = tmp_path / "fieldtool.db"
    sqlite3.connect(path).execute("PRAGMA user_version = 0").close()
    with open_store(path) as store:
        assert store.schema_versions()["outbox"] >= 1


def test_a_damaged_store_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "fieldtool.db"
    with open_store(path) as store:
        store.work_orders.upsert_many([work_order(i) for i in range(300)])
    size = path.stat().st_size
    page = 4096
    assert size > 8 * page
    with path.open("r+b") as f:  # scribble over two pages in the middle, as a failing disk would
        f.seek(4 * page)
        f.write(os.urandom(2 * page))
    before = digest(path)
    with pytest.raises(InputError, match="damaged"):
        open_store(path)
    assert digest(path) == before


def test_a_store_from_a_newer_fieldtool_is_refused(tmp_path):
    path = tmp_path / "fieldtool.db"
    with open_store(path) as store, store.transaction() as c:
        c.execute("UPDATE schema_versions SET version = version + 1 WHERE area = 'outbox'")
    before = digest(path)
    with pytest.raises(InputError, match="newer version of fieldtool.*outbox version"):
        open_store(path)
    assert digest(path) == before


def test_a_large_store_opens_on_a_schema_check_and_store_check_reads_every_page(tmp_path, monkeypatch):
    path = tmp_path / "fieldtool.db"
    with open_store(path) as store:
        store.work_orders.upsert_many([work_order(i) for i in range(300)])
        assert store.check() == []
    with path.open("r+b") as f:
        f.seek(6 * 4096)
        f.write(os.urandom(4096))
    monkeypatch.setattr("fieldtool.store.files.QUICK_CHECK_MAX_BYTES", 0)
    with open_store(path) as store:  # page damage is not seen by the schema check ...
        assert store.check() != []  # ... but the full check finds it


def test_damage_to_the_schema_is_found_even_in_a_large_store(tmp_path, monkeypatch):
    path = tmp_path / "fieldtool.db"
    open_store(path).close()
    with path.open("r+b") as f:  # page 1 holds sqlite_master after the 100-byte header
        f.seek(100)
        f.write(os.urandom(3000))
    monkeypatch.setattr("fieldtool.store.files.QUICK_CHECK_MAX_BYTES", 0)
    before = digest(path)
    with pytest.raises(InputError, match="damaged"):
        open_store(path)
    assert digest(path) == before


def test_the_cli_refuses_a_foreign_file_in_words_and_leaves_it(tmp_path):
    from tests.conftest import run_cli

    db = paths().ensure().database
    db.write_bytes(b"PK\x03\x04" + os.urandom(5000))  # a zip file where the store should be
    before = digest(db)
    r = run_cli("store", "info", "--json")
    assert r.returncode == 1
    assert "is not a fieldtool database" in r.stderr and "It was left as it is" in r.stderr
    assert digest(db) == before


def test_store_info_and_check_commands():
    from tests.conftest import cli_json

    info = cli_json("store", "info")
    assert info["path"] == str(paths().database)
    assert info["work_orders"] == 0 and info["outbox"]["queued"] == 0
    assert info["schema_versions"]["outbox"] >= 1
    assert cli_json("store", "check") == {"path": str(paths().database), "ok": True}


@pytest.mark.skipif(sys.platform == "win32", reason="needs fork")
def test_two_processes_write_to_one_store_without_locking_each_other_out(tmp_path):
    """The GUI's sync thread and a CLI command may write at the same time: BEGIN IMMEDIATE plus the busy
    timeout make one wait for the other instead of failing."""
    from tests.store.test_outbox import event

    path = tmp_path / "shared.db"
    open_store(path).close()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            with open_store(path) as store:
                for i in range(60):
                    store.outbox.enqueue([event(i, "child")])
            code = 0
        finally:
            os._exit(code)
    with open_store(path) as store:
        for i in range(60):
            with store.transaction():
                store.work_orders.upsert_many([work_order(i)])
                store.outbox.enqueue([event(i, "parent")])
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    with open_store(path) as store:
        assert len(store.outbox.list(job_id="child")) == 60
        assert len(store.outbox.list(job_id="parent")) == 60
        assert store.work_orders.count() == 60


def test_a_creation_cut_short_before_its_stamp_was_kept_is_finished(tmp_path):
    """Killed while the new file's stamp was being committed: the header is on disk but the journal is
    still hot, so SQLite rolls the file back to empty on the next open; the store stamps it again."""
    path = tmp_path / "fieldtool.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.close()
    # the rollback journal as it stood before it was deleted: database size 0 pages before the change
    header = bytes.fromhex("d9d505f920a163d7") + struct.pack(">IIIII", 0, 0x5EED, 0, 512, 4096)
    (tmp_path / "fieldtool.db-journal").write_bytes(header.ljust(512, b"\0"))
    for _ in range(2):
        with open_store(path) as store:
            assert "outbox" in store.schema_versions()
    assert int.from_bytes(path.read_bytes()[68:72], "big") == APPLICATION_ID


def test_a_full_disk_is_told_in_words_and_the_step_is_not_half_saved(tmp_path):
    from fieldtool.domain.errors import UserFacingError

    store = open_store(tmp_path / "s.db")
    store.work_orders.upsert_many([work_order(1)])
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk fills up now
    with pytest.raises(UserFacingError, match="is full: this step was not saved"):
        store.work_orders.upsert_many([work_order(i) for i in range(2, 400)])
    assert store.work_orders.count() == 1


def test_a_read_only_store_is_told_in_words(tmp_path):
    from fieldtool.domain.errors import UserFacingError

    path = tmp_path / "s.db"
    open_store(path).close()
    store = open_store(path)
    store.conn.execute("PRAGMA query_only = ON")  # as a read-only mount would refuse the write
    with pytest.raises(UserFacingError, match="cannot be written"):
        store.stock.replace_issued("INST-1", [])


def test_a_store_held_by_another_process_past_the_timeout_is_told_in_words(tmp_path):
    path = tmp_path / "s.db"
    store = open_store(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another fieldtool in the middle of a write that never ends
    store.conn.execute("PRAGMA busy_timeout = 50")  # the real wait is 5 s
    with pytest.raises(InputError, match="in use by another fieldtool"):
        store.stock.replace_issued("INST-1", [])
    other.execute("ROLLBACK")
    store.stock.replace_issued("INST-1", [])
    assert store.stock.issued("INST-1") == []
