"""Per-area migrations: from every earlier version of every area to the current one, in one transaction."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

import pytest

from fieldtool.domain.codec import to_data
from fieldtool.domain.errors import InputError
from fieldtool.store import schema
from fieldtool.store.db import APPLICATION_ID, open_store
from fieldtool.store.migrations import migrate, statements
from fieldtool.store.schema import Area
from tests.store.factories import work_order

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def schema_of(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()


def dependents(name: str, areas: list[Area]) -> set[str]:
    """The areas that require ``name``, directly or through others."""
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for a in areas:
            if a.name not in found and (name in a.requires or found & set(a.requires)):
                found.add(a.name)
                changed = True
    return found


def old_database(path, area_name: str, version: int) -> None:
    """A file as an older fieldtool left it: ``area_name`` at ``version``, areas needing it not yet there."""
    areas = schema.discover()
    held_back = dependents(area_name, areas)
    partial = [
        Area(a.name, a.migrations[:version], a.requires) if a.name == area_name else a
        for a in areas
        if a.name not in held_back
    ]
    partial = [a for a in partial if a.version > 0]
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, NOW, partial)
    conn.close()


CASES = [(a.name, v) for a in schema.discover() for v in range(a.version)]


@pytest.mark.parametrize(("area", "version"), CASES, ids=[f"{a}-v{v}" for a, v in CASES])
def test_every_area_migrates_from_every_earlier_version(tmp_path, area, version):
    fresh = open_store(tmp_path / "fresh.db")
    old = tmp_path / "old.db"
    old_database(old, area, version)
    with open_store(old) as store:
        assert store.schema_versions() == {a.name: a.version for a in schema.discover()}
        assert schema_of(store.conn) == schema_of(fresh.conn)
    fresh.close()


def test_work_orders_written_at_version_1_are_searchable_after_version_2(tmp_path):
    path = tmp_path / "old.db"
    old_database(path, "work_orders", 1)
    conn = sqlite3.connect(path)
    for i in (5, 6):
        wo = work_order(i)
        conn.execute(
            "INSERT INTO work_orders (id, kind, status, district, route, schedule_order, old_meter_number, "
            "address, installer_id, revision, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (wo.id, wo.kind, wo.status, wo.district, wo.route, wo.schedule_order, wo.removal.meter_number,
             wo.service_point.premise_address, wo.installer_id, wo.revision, json.dumps(to_data(wo))),
        )
    conn.commit()
    conn.close()
    with open_store(path) as store:
        assert store.work_orders.get("WO-000005") == work_order(5)
        assert [w.id for w in store.work_orders.find_by_address("6 maple")] == ["WO-000005"]
        assert [w.id for w in store.work_orders.list(text=work_order(6).service_point.customer_name)] == [
            "WO-000006"
        ]
        assert [w.id for w in store.work_orders.list(text="ISP7000006")] == ["WO-000006"]


def test_a_failing_migration_leaves_the_file_as_it_was(tmp_path):
    path = tmp_path / "s.db"
    with open_store(path) as store:
        store.work_orders.upsert_many([work_order(1)])
        before = schema_of(store.conn), store.schema_versions()
    broken = schema.discover() + [
        Area("zz_broken", ("CREATE TABLE fine (x INTEGER);", "CREATE TABLE also_fine (y); SELECT nonsense(;"))
    ]
    conn = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(sqlite3.Error):
        migrate(conn, NOW, broken)
    assert not conn.in_transaction
    conn.close()
    with open_store(path) as store:
        assert (schema_of(store.conn), store.schema_versions()) == before
        assert store.work_orders.get("WO-000001") == work_order(1)


def test_an_area_this_code_does_not_know_is_refused(tmp_path):
    path = tmp_path / "s.db"
    with open_store(path) as store, store.transaction() as c:
        c.execute("INSERT INTO schema_versions VALUES ('teleportation', 1, '2030-01-01')")
    with pytest.raises(InputError, match="teleportation"):
        open_store(path)


def test_scripts_split_into_whole_statements_triggers_and_quoted_semicolons_included():
    script = """
    CREATE TABLE t (a TEXT DEFAULT 'x;y');
    CREATE TRIGGER tr AFTER INSERT ON t BEGIN
        UPDATE t SET a = 'p;q'; DELETE FROM t WHERE 0;
    END;
    """
    parts = list(statements(script))
    assert len(parts) == 2
    assert parts[1].startswith("CREATE TRIGGER") and parts[1].endswith("END;")
    with pytest.raises(ValueError, match="incomplete"):
        list(statements("CREATE TABLE t (a"))


def test_areas_come_after_the_areas_they_require():
    names = [a.name for a in schema.discover()]
    for a in schema.discover():
        for dep in a.requires:
            assert names.index(dep) < names.index(a.name)
