"""The back office's side of work orders: changing the plan, and the incremental pull by cursor.

Every change of a work order takes the next value of one change sequence; a cursor is an opaque token for
"everything after sequence n". Everyone a job was ever assigned to is remembered (``wo_holders``) so an
installer who loses a job is told (``reassigned``) even after several moves.
"""

from __future__ import annotations

import base64
import sqlite3
from datetime import datetime

from firmware_sim.backoffice.auth import Principal
from firmware_sim.backoffice.db import BackOfficeDb, dumps, loads


class CursorError(ValueError):
    pass


def encode_cursor(kind: str, n: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{n}".encode()).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        k, n = text.split(":")
        if k != kind or int(n) < 0:
            raise ValueError
        return int(n)
    except (ValueError, UnicodeDecodeError) as e:
        raise CursorError(f"The cursor {cursor[:40]!r} was not issued by this back office for {kind}; "
                          "pull again without a cursor.") from e


def put(db: BackOfficeDb, c: sqlite3.Connection, wo: dict, now: datetime) -> bool:
    """Create or change one work order (``wo`` in the contract's WorkOrder shape); False when nothing changed."""
    row = c.execute("SELECT * FROM work_orders WHERE id=?", (wo["id"],)).fetchone()
    if row is not None:
        old = loads(row["data"])
        if {**old, "revision": 0} == {**wo, "revision": 0}:
            return False
        revision = row["revision"] + 1
        prev = row["installer_id"] if row["installer_id"] != wo.get("installer_id") else row["prev_installer_id"]
    else:
        revision, prev = int(wo.get("revision") or 0), None
    wo = {**wo, "revision": revision}
    change = "cancelled" if wo["status"] == "cancelled" else "upsert"
    c.execute(
        "INSERT OR REPLACE INTO work_orders(id, district, installer_id, prev_installer_id, status, revision, seq, "
        "change, changed_at, data) VALUES(?,?,?,?,?,?,?,?,?,?)",
        (wo["id"], wo["district"], wo.get("installer_id"), prev, wo["status"], revision, db.next_seq(c), change,
         now.isoformat(), dumps(wo)),
    )
    if wo.get("installer_id"):
        c.execute("INSERT OR IGNORE INTO wo_holders(installer_id, wo_id) VALUES(?,?)", (wo["installer_id"], wo["id"]))
    sp = wo["service_point"]
    c.execute(
        "INSERT OR REPLACE INTO customers(account_number, customer_name, premise_address, isp_number, district, "
        "meter_number) VALUES(?,?,?,?,?,?)",
        (sp["account_number"], sp["customer_name"], sp["premise_address"], sp["isp_number"], wo["district"],
         (wo.get("removal") or {}).get("meter_number")),
    )
    if wo.get("removal") and wo["status"] not in ("completed", "cancelled"):
        # The old meter is read by hand until it is exchanged for one the head-end hears (I1BR5).
        c.execute("INSERT OR IGNORE INTO manual_route(meter_number, since, reason) VALUES(?,?,?)",
                  (wo["removal"]["meter_number"], now.isoformat(), "legacy meter, read by hand"))
    return True


def page(c: sqlite3.Connection, who: Principal, cursor: str | None, limit: int) -> dict:
    after = decode_cursor("wo", cursor)
    rows = c.execute(
        "SELECT w.* FROM wo_holders h JOIN work_orders w ON w.id=h.wo_id "
        "WHERE h.installer_id=? AND w.seq>? ORDER BY w.seq LIMIT ?",
        (who.installer_id, after, limit + 1),
    ).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    items = []
    for r in rows:
        mine = r["installer_id"] == who.installer_id and r["district"] == who.district
        items.append({
            "id": r["id"],
            "change": r["change"] if mine else "reassigned",
            "revision": r["revision"],
            "changed_at": r["changed_at"],
            "work_order": loads(r["data"]) if mine else None,
        })
    last = rows[-1]["seq"] if rows else after
    return {"items": items, "next_cursor": encode_cursor("wo", last), "has_more": more}


def verifications_page(c: sqlite3.Connection, who: Principal, cursor: str | None, limit: int) -> dict:
    after = decode_cursor("ver", cursor)
    rows = c.execute("SELECT * FROM verifications WHERE installer_id=? AND id>? ORDER BY id LIMIT ?",
                     (who.installer_id, after, limit + 1)).fetchall()
    more = len(rows) > limit
    rows = rows[:limit]
    items = [{"id": r["id"], "job_id": r["job_id"], "event_id": r["event_id"], "correlation_id": r["correlation_id"],
              "step": r["step"], "outcome": r["outcome"], "meter_number": r["meter_number"],
              "discrepancies": loads(r["discrepancies"]), "program": loads(r["program"]),
              "event_type": loads(r["event_type"]), "created_at": r["created_at"]} for r in rows]
    last = rows[-1]["id"] if rows else after
    return {"items": items, "next_cursor": encode_cursor("ver", last), "has_more": more}
