"""Bringing a database's schema up to this code's version, area by area, in one transaction.

``schema_versions`` holds one row per area. ``migrate`` runs every pending script of every area inside
one ``BEGIN IMMEDIATE`` transaction (SQLite DDL is transactional), so a crash or an error part-way leaves
the file exactly as it was. A file whose area versions are newer than this code, or which has areas this
code does not know, is refused without writing anything.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime

from fieldtool.domain.errors import InputError
from fieldtool.store.schema import Area, discover

VERSIONS_TABLE = """
CREATE TABLE IF NOT EXISTS schema_versions (
    area TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    migrated_at TEXT NOT NULL
)
"""


def statements(script: str) -> Iterator[str]:
    """Split an SQL script into complete statements (trigger bodies with ``;`` stay whole).

    ``executescript`` cannot be used: it commits the open transaction first.
    """
    buffer = ""
    parts = script.split(";")
    for i, part in enumerate(parts):
        buffer += part + (";" if i < len(parts) - 1 else "")
        if sqlite3.complete_statement(buffer):
            if buffer.strip(" \t\r\n;"):
                yield buffer.strip()
            buffer = ""
    if buffer.strip(" \t\r\n;"):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buffer.strip()[:80]!r}")


def current_versions(conn: sqlite3.Connection) -> dict[str, int]:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_versions'"
    ).fetchone()
    if not exists:
        return {}
    return {area: version for area, version in conn.execute("SELECT area, version FROM schema_versions")}


def migrate(
    conn: sqlite3.Connection, now: datetime, areas: list[Area] | None = None, *, where: str = "the database"
) -> dict[str, int]:
    """Apply every pending migration in one transaction; returns the versions now in force.

    The connection must be in autocommit mode (``isolation_level=None``) with no transaction open.
    """
    areas = discover() if areas is None else areas
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(VERSIONS_TABLE)
        have = current_versions(conn)
        _refuse_newer(have, areas, where)
        stamp = now.isoformat()
        for area in areas:
            start = have.get(area.name, 0)
            for version in range(start + 1, area.version + 1):
                for sql in statements(area.migrations[version - 1]):
                    conn.execute(sql)
            if area.version != start:
                conn.execute(
                    "INSERT INTO schema_versions (area, version, migrated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (area) DO UPDATE SET version = excluded.version, "
                    "migrated_at = excluded.migrated_at",
                    (area.name, area.version, stamp),
                )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return {area.name: area.version for area in areas}


def _refuse_newer(have: dict[str, int], areas: list[Area], where: str) -> None:
    known = {a.name: a for a in areas}
    unknown = sorted(set(have) - set(known))
    newer = sorted(name for name, v in have.items() if name in known and v > known[name].version)
    if unknown or newer:
        detail = ", ".join(
            [f"{n} version {have[n]} (this version knows {known[n].version})" for n in newer]
            + [f"{n} (unknown here)" for n in unknown]
        )
        raise InputError(
            f"{where} was written by a newer version of fieldtool ({detail}); it was left as it is.",
            hint="Install the newer fieldtool again, or open a different data folder.",
        )
