"""``fieldtool store``: where the local store is, what it holds, and whether the file is sound."""

from __future__ import annotations

from fieldtool.cli._common import command, group
from fieldtool.domain.errors import InputError


def register(sub) -> None:
    g = group(sub, "store", "the local database")
    command(g, "info", _info, "where the store is, its schema versions and what it holds")
    command(g, "check", _check, "read every page of the store and report damage")


def _open():
    from fieldtool.store.db import open_store

    return open_store()


def _info(args):
    with _open() as store:
        wal = store.path.with_name(store.path.name + "-wal")
        return {
            "path": str(store.path),
            "size_bytes": store.path.stat().st_size + (wal.stat().st_size if wal.exists() else 0),
            "schema_versions": store.schema_versions(),
            "work_orders": store.work_orders.count(),
            "outbox": store.outbox.counts(),
        }


def _check(args):
    with _open() as store:
        problems = store.check()
    if problems:
        raise InputError(f"The store {store.path} is damaged: {'; '.join(problems)}",
                         hint="Keep the file for recovery and tell your supervisor.")
    return {"path": str(store.path), "ok": True}
