"""Taking in a batch of field events, and what each kind does to the back office's records.

Rules (the contract's): an event id seen before with the same canonical body is a ``duplicate``; with a
different body it is ``rejected`` as a ``conflict`` and the new body is kept in ``refused_events`` for a
person to inspect; an invalid event is rejected with the validator's reasons and kept the same way; an
event for another district's job is ``forbidden``. The caller runs ``ingest`` inside one transaction.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from fieldtool.sync import contract
from firmware_sim.backoffice import verify
from firmware_sim.backoffice.auth import Principal
from firmware_sim.backoffice.db import dumps, loads


def ingest(c: sqlite3.Connection, who: Principal, events: list, now: datetime) -> list[dict]:
    """One result per event, in order; effects of accepted events are applied as they go."""
    at = now.isoformat()
    return [_one(c, who, ev, at) for ev in events]


def _refuse(c, who: Principal, ev, code: str, reason: str, at: str) -> dict:
    event_id = ev.get("id") if isinstance(ev, dict) else None
    c.execute(
        "INSERT INTO refused_events(event_id, installer_id, code, reason, received_at, body) VALUES(?,?,?,?,?,?)",
        (str(event_id) if event_id is not None else None, who.installer_id, code, reason, at, dumps(ev)),
    )
    corr = ev.get("correlation_id") if isinstance(ev, dict) else None
    return {"id": str(event_id), "status": "rejected", "code": code, "reason": reason,
            "correlation_id": corr if isinstance(corr, str) else None, "received_at": at}


def _one(c, who: Principal, ev, at: str) -> dict:
    if isinstance(ev, dict) and isinstance(ev.get("id"), str):
        seen = c.execute("SELECT hash, received_at FROM events WHERE id=?", (ev["id"],)).fetchone()
        if seen is not None:
            if seen["hash"] == contract.body_hash(ev):
                return {"id": ev["id"], "status": "duplicate", "code": None, "reason": None,
                        "correlation_id": ev.get("correlation_id"), "received_at": seen["received_at"]}
            return _refuse(c, who, ev, "conflict",
                           "The back office already holds a different event with this id; this copy was "
                           "kept for inspection and not applied.", at)
    found = contract.problems("Event", ev)
    if found:
        return _refuse(c, who, ev, "invalid", "The event is not valid: " + "; ".join(found) + ".", at)
    if ev["job_id"] is not None:
        wo = c.execute("SELECT district FROM work_orders WHERE id=?", (ev["job_id"],)).fetchone()
        if wo is None:
            return _refuse(c, who, ev, "unknown_job", f"The back office has no work order {ev['job_id']}.", at)
        if wo["district"] != who.district:
            return _refuse(c, who, ev, "forbidden",
                           f"Work order {ev['job_id']} belongs to another district than yours.", at)
    if ev["kind"] == "photo":
        p = ev["payload"]
        row = c.execute("SELECT sha256, complete FROM photos WHERE photo_id=?", (p["photo_id"],)).fetchone()
        if row is None or not row["complete"] or row["sha256"] != p["sha256"]:
            return _refuse(c, who, ev, "photo_incomplete",
                           "The photo's bytes have not fully arrived (or their SHA-256 differs); upload them first.",
                           at)
    c.execute(
        "INSERT INTO events(id, hash, kind, job_id, correlation_id, installer_id, received_at, body) "
        "VALUES(?,?,?,?,?,?,?,?)",
        (ev["id"], contract.body_hash(ev), ev["kind"], ev["job_id"], ev["correlation_id"], who.installer_id, at,
         dumps(ev)),
    )
    effect = _EFFECTS.get(ev["kind"])
    if effect:
        effect(c, who, ev, at)
    return {"id": ev["id"], "status": "accepted", "code": None, "reason": None,
            "correlation_id": ev["correlation_id"], "received_at": at}


def _soft_registration(c, who: Principal, ev: dict, at: str) -> None:
    p = ev["payload"]
    old, new = p.get("old_meter"), p.get("new_meter")
    if old:
        c.execute("DELETE FROM manual_route WHERE meter_number=?", (old["meter_number"],))
        c.execute("UPDATE inventory SET status='Removed', holder=NULL WHERE meter_number=?", (old["meter_number"],))
    if not new:
        return
    c.execute("UPDATE inventory SET status='Installed', holder=NULL, location=? WHERE meter_number=?",
              (p["service_point"]["isp_number"], new["meter_number"]))
    reg = c.execute("SELECT * FROM registrations WHERE meter_number=?", (new["meter_number"],)).fetchone()
    if reg is None:
        # I1BR5: a meter the head-end has not heard stays on the manual reading route.
        c.execute("INSERT OR IGNORE INTO manual_route(meter_number, since, reason) VALUES(?,?,?)",
                  (new["meter_number"], at, "installed, not yet heard by the head-end"))
        c.execute("INSERT OR REPLACE INTO pending_verifications(event_id, meter_number) VALUES(?,?)",
                  (ev["id"], new["meter_number"]))
    else:
        run_verification(c, ev, who.installer_id, _registration(reg), at)


def _custody(c, who: Principal, ev: dict, at: str) -> None:
    p = ev["payload"]
    status = {"Received": "InInventory", "PlacedIntoInventory": "InInventory", "CheckedOut": "CheckedOut",
              "ReturnedToInventory": "InInventory", "Installed": "Installed", "Removed": "Removed",
              "Retired": "Retired", "Destroyed": "Destroyed"}.get(p["action"])
    if status is None:
        return
    holder = p.get("holder") if p["action"] == "CheckedOut" else None
    for asset in p["asset_ids"]:
        c.execute(
            "INSERT INTO inventory(meter_number, meter_type, district, status, holder, location) "
            "VALUES(?, 'unknown', ?, ?, ?, ?) ON CONFLICT(meter_number) DO UPDATE SET status=excluded.status, "
            "holder=excluded.holder, location=COALESCE(excluded.location, inventory.location)",
            (asset, who.district, status, holder, p.get("to_location")),
        )


def _han_request(c, who: Principal, ev: dict, at: str) -> None:
    from firmware_sim.backoffice.han import take_request

    take_request(c, who, ev, at)


_EFFECTS = {"soft_registration": _soft_registration, "custody": _custody, "han_request": _han_request}


def _registration(row) -> dict:
    return {"meter_number": row["meter_number"], "heard_at": row["heard_at"], "comm_address": row["comm_address"],
            "technology": row["technology"], "form": row["form"], "program_id": row["program_id"],
            "position": loads(row["position"]), "reads": loads(row["reads"])}


def run_verification(c, ev: dict, installer_id: str, reg: dict, at: str) -> int:
    """Record the step-8 verdicts of one soft-registration event; returns how many were recorded."""
    plan_row = c.execute("SELECT data FROM work_orders WHERE id=?", (ev["job_id"],)).fetchone() if ev["job_id"] else None
    plan = loads(plan_row["data"]) if plan_row else None
    intended = None
    if plan and plan.get("install"):
        intended = plan["install"].get("program_id")
        if not intended and plan["install"].get("tariff"):
            prog = c.execute("SELECT program_id FROM programs WHERE tariff=?", (plan["install"]["tariff"],)).fetchone()
            intended = prog["program_id"] if prog else None
    found = verify.verdicts(ev["payload"], plan, reg, intended)
    for v in found:
        c.execute(
            "INSERT INTO verifications(installer_id, job_id, event_id, correlation_id, step, outcome, meter_number, "
            "discrepancies, program, event_type, created_at) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
            (installer_id, ev["job_id"], ev["id"], ev["correlation_id"], v["step"], v["outcome"],
             ev["payload"]["new_meter"]["meter_number"], dumps(v["discrepancies"]), dumps(v["program"]),
             dumps(v["event_type"]), at),
        )
    return len(found)


def head_end_report(c, registrations: list[dict], at: str) -> tuple[int, int]:
    """Record what the head-end heard; verify installations that were waiting for these meters."""
    made = 0
    for r in registrations:
        c.execute(
            "INSERT OR REPLACE INTO registrations(meter_number, heard_at, comm_address, technology, form, program_id, "
            "position, reads) VALUES(?,?,?,?,?,?,?,?)",
            (r["meter_number"], r["heard_at"], r.get("comm_address"), r.get("technology"), r.get("form"),
             r.get("program_id"), dumps(r.get("position")), dumps(r.get("reads") or [])),
        )
        c.execute("DELETE FROM manual_route WHERE meter_number=?", (r["meter_number"],))
        reg = _registration(c.execute("SELECT * FROM registrations WHERE meter_number=?", (r["meter_number"],)).fetchone())
        waiting = c.execute("SELECT p.event_id, e.body, e.installer_id FROM pending_verifications p "
                            "JOIN events e ON e.id=p.event_id WHERE p.meter_number=?", (r["meter_number"],)).fetchall()
        for w in waiting:
            made += run_verification(c, loads(w["body"]), w["installer_id"], reg, at)
            c.execute("DELETE FROM pending_verifications WHERE event_id=?", (w["event_id"],))
    return len(registrations), made


def registration_view(c, meter_number: str) -> dict:
    row = c.execute("SELECT * FROM registrations WHERE meter_number=?", (meter_number,)).fetchone()
    on_route = c.execute("SELECT 1 FROM manual_route WHERE meter_number=?", (meter_number,)).fetchone() is not None
    if row is None:
        return {"meter_number": meter_number, "registered": False, "heard_at": None, "comm_address": None,
                "technology": None, "form": None, "program_id": None, "position": None, "reads": [],
                "manual_read_route": on_route}
    return {**_registration(row), "registered": True, "manual_read_route": on_route}
