"""Work orders in the store: the whole plan as JSON, plus indexed columns for lists and look-ups.

Look-ups the installer makes on site: a route's jobs in schedule order, a job by the old meter's number
(normalised, so "00-12 345" finds "12345"), a job by address (full-text, every word a prefix:
"12 mapl" finds "12 Maple Street").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from fieldtool.domain.checks import normalize_meter_number
from fieldtool.domain.codec import from_data
from fieldtool.domain.errors import InputError
from fieldtool.domain.model import WorkOrder
from fieldtool.store._rows import dump, load

_WORDS = re.compile(r"\w+", re.UNICODE)


def meter_key(number: str) -> str:
    """A meter number as compared: the ``old-meter-number`` rule's normalisation (case, spaces, dashes,
    dots and leading zeros do not make a different meter), so a look-up finds what the check accepts."""
    return normalize_meter_number(number)


def fts_query(text: str) -> str | None:
    """An FTS5 query in which every word of ``text`` must match as a prefix; None when there are none."""
    words = _WORDS.findall(text)
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


def _search_text(wo: WorkOrder) -> str:
    sp = wo.service_point
    parts = [wo.id, sp.customer_name, sp.isp_number, sp.account_number]
    if wo.removal:
        parts += [wo.removal.meter_number, meter_key(wo.removal.meter_number)]
    return " ".join(p for p in parts if p)


def _row(wo: WorkOrder) -> dict[str, Any]:
    return {
        "id": wo.id,
        "kind": str(wo.kind),
        "status": str(wo.status),
        "district": wo.district,
        "route": wo.route,
        "schedule_order": wo.schedule_order,
        "old_meter_number": meter_key(wo.removal.meter_number) if wo.removal else None,
        "address": wo.service_point.premise_address,
        "installer_id": wo.installer_id,
        "revision": wo.revision,
        "data": dump(wo),
        "search_text": _search_text(wo),
    }


def _decode(data: str) -> WorkOrder:
    """A stored work order back as a ``WorkOrder``; damaged JSON is refused in words, not a crash."""
    record = load(data, "A stored work order")
    where = f"stored work order {record.get('id', '?')}" if isinstance(record, dict) else "stored work order"
    return from_data(WorkOrder, record, where)


_ORDER = " ORDER BY route, schedule_order, id"


class WorkOrders:
    """The work-order repository of one store (joins an open ``store.transaction()``)."""

    def __init__(self, store):
        self.store = store

    def upsert_many(self, orders: list[WorkOrder]) -> int:
        """Insert or replace the given work orders by id, all in one transaction; returns how many."""
        rows = [_row(wo) for wo in orders]
        with self.store.transaction():
            self.store.db["work_orders"].upsert_all(rows, pk="id", batch_size=500)
        return len(rows)

    def get(self, work_order_id: str) -> WorkOrder | None:
        with self.store.reading() as c:
            row = c.execute("SELECT data FROM work_orders WHERE id = ?", (work_order_id,)).fetchone()
        return _decode(row[0]) if row else None

    def list(
        self,
        route: str | None = None,
        status: str | None = None,
        text: str | None = None,
        limit: int | None = None,
        *,
        installer_id: str | None = None,
        district: str | None = None,
    ) -> list[WorkOrder]:
        """Work orders in route and schedule order, filtered by what is given.

        ``text`` is a full-text search over id, address, customer name, ISP, account and old meter
        number (each word a prefix)."""
        where, args = [], []
        for column, value in (("route", route), ("status", status), ("installer_id", installer_id),
                              ("district", district)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(str(value))
        if text is not None:
            query = fts_query(text)
            if query is None:
                return []
            where.append("rowid IN (SELECT rowid FROM work_orders_fts WHERE work_orders_fts MATCH ?)")
            args.append(query)
        sql = "SELECT data FROM work_orders"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += _ORDER
        if limit is not None:
            sql += " LIMIT ?"
            args.append(limit)
        with self.store.reading() as c:
            rows = c.execute(sql, args).fetchall()
        return [_decode(r[0]) for r in rows]

    def find_by_meter(self, number: str) -> list[WorkOrder]:
        """The work orders whose planned removal is this meter (normalised comparison)."""
        key = meter_key(number)
        if not key:
            return []
        with self.store.reading() as c:
            rows = c.execute("SELECT data FROM work_orders WHERE old_meter_number = ?" + _ORDER, (key,))
            return [_decode(r[0]) for r in rows.fetchall()]

    def find_by_address(self, text: str, limit: int = 50) -> list[WorkOrder]:
        """Work orders whose premise address has every word of ``text`` as a word prefix, in route order."""
        query = fts_query(text)
        if query is None:
            return []
        with self.store.reading() as c:
            rows = c.execute(
                "SELECT data FROM work_orders WHERE rowid IN (SELECT rowid FROM work_orders_fts "
                "WHERE work_orders_fts MATCH ?)" + _ORDER + " LIMIT ?",
                ("address : (" + query + ")", limit),
            ).fetchall()
        return [_decode(r[0]) for r in rows]

    def count(self) -> int:
        with self.store.reading() as c:
            return c.execute("SELECT count(*) FROM work_orders").fetchone()[0]

    def set_status(self, work_order_id: str, status: str) -> None:
        """Change one work order's status (column and stored JSON together)."""
        with self.store.transaction() as c:
            n = c.execute(
                "UPDATE work_orders SET status = ?, data = json_set(data, '$.status', ?) WHERE id = ?",
                (str(status), str(status), work_order_id),
            ).rowcount
        if n != 1:
            raise InputError(f"There is no work order {work_order_id}.")


@dataclass(frozen=True)
class JobSummary:
    """What a job list shows, read from indexed columns without decoding the whole plan."""

    id: str
    kind: str
    status: str
    route: str
    schedule_order: int
    old_meter_number: str
    address: str
    customer: str


def summaries(store, *, installer_id: str | None = None) -> list[JobSummary]:
    """Every job (of one installer, when given) in route and schedule order, as light rows."""
    sql = ("SELECT id, kind, status, route, schedule_order, coalesce(json_extract(data, '$.removal.meter_number'), ''),"
           " address, coalesce(json_extract(data, '$.service_point.customer_name'), '') FROM work_orders")
    args: list[Any] = []
    if installer_id is not None:
        sql += " WHERE installer_id = ?"
        args.append(installer_id)
    with store.reading() as c:
        return [JobSummary(*row) for row in c.execute(sql + _ORDER, args)]
