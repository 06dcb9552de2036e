"""UC134 step 8: the Meter Management System verifies an installation against what the meter told the head-end.

8.1 compares the field tool's record (old and new meter ids, LAT/LONG, form, reads) with the plan and with
what the head-end heard from the new meter; 8.2 compares the program id the meter reports with the program
intended for the tariff; 8.3 records the program download when they differ. Pure functions over plain
dicts: the caller (``events.py``) decides when the head-end has heard enough to verify.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from fieldtool.sync.event_types import event_type

DEFAULT_TOLERANCES = {"read_variance_pct": 25.0, "read_variance_min": 50.0, "gps_distance_m": 100.0}


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(min(1.0, math.sqrt(a)))


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def _reading(side: dict | None, register: str = "kwh_delivered") -> dict | None:
    for r in (side or {}).get("readings") or []:
        if r["register"] == register:
            return r
    reads = (side or {}).get("readings") or []
    return reads[0] if reads else None


def _issue(field: str, field_tool: Any, head_end: Any, message: str) -> dict:
    return {"field": field, "field_tool": field_tool, "head_end": head_end, "message": message}


def check_plan(payload: dict, plan: dict | None) -> list[dict]:
    """The 8.1 checks that need only the plan: removed meter id, forms, final read, LAT/LONG."""
    if plan is None:
        return []
    out: list[dict] = []
    tol = {**DEFAULT_TOLERANCES, **(plan.get("tolerances") or {})}
    old, new, removal = payload.get("old_meter"), payload.get("new_meter"), plan.get("removal")
    if old and removal and old["meter_number"] != removal["meter_number"]:
        out.append(_issue("old_meter.meter_number", old["meter_number"], removal["meter_number"],
                          f"The removed meter {old['meter_number']} is not the planned {removal['meter_number']}."))
    if old and new and old.get("form") and new.get("form") and old["form"] != new["form"]:
        out.append(_issue("form", new["form"], old["form"],
                          f"Form {old['form']} was removed but form {new['form']} was installed."))
    final = _reading(old)
    if final and removal and removal.get("last_read") is not None and removal.get("last_read_date"):
        days = max(0.0, (_time(final["read_at"]).date() - date.fromisoformat(removal["last_read_date"])).days)
        usage = (removal.get("avg_daily_usage") or 0.0) * days
        rollover = 10 ** int(removal.get("dials") or 5)
        expected = (removal["last_read"] + usage) % rollover
        band = max(tol["read_variance_pct"] / 100.0 * usage, tol["read_variance_min"])
        diff = abs(final["value"] - expected)
        if min(diff, rollover - diff) > band:
            out.append(_issue("old_meter.final_read", final["value"], round(expected, 1),
                              f"The final read {final['value']} is outside {expected:.0f} ± {band:.0f}."))
    sp, pos = plan.get("service_point") or {}, payload.get("position")
    if pos and sp.get("lat") is not None and sp.get("lon") is not None:
        d = distance_m(pos["lat"], pos["lon"], sp["lat"], sp["lon"])
        if d - (pos.get("accuracy_m") or 0.0) > tol["gps_distance_m"]:
            out.append(_issue("position", [pos["lat"], pos["lon"]], [sp["lat"], sp["lon"]],
                              f"The installation was recorded {d:.0f} m from the service point's coordinates."))
    return out


def check_head_end(payload: dict, reg: dict, plan: dict | None) -> list[dict]:
    """The 8.1 checks against what the head-end heard from the new meter."""
    out: list[dict] = []
    new = payload.get("new_meter") or {}
    tol = {**DEFAULT_TOLERANCES, **((plan or {}).get("tolerances") or {})}
    if new.get("form") and reg.get("form") and new["form"] != reg["form"]:
        out.append(_issue("new_meter.form", new["form"], reg["form"],
                          f"The field tool recorded form {new['form']}; the meter reports form {reg['form']}."))
    if new.get("comm_address") and reg.get("comm_address") and new["comm_address"] != reg["comm_address"]:
        out.append(_issue("new_meter.comm_address", new["comm_address"], reg["comm_address"],
                          "The meter's network address differs from the one the field tool recorded."))
    if new.get("program_id") and reg.get("program_id") and new["program_id"] != reg["program_id"]:
        out.append(_issue("new_meter.program_id", new["program_id"], reg["program_id"],
                          "The program id the field tool read differs from the one the meter reports."))
    pos, hpos = payload.get("position"), reg.get("position")
    if pos and hpos:
        d = distance_m(pos["lat"], pos["lon"], hpos["lat"], hpos["lon"])
        if d > tol["gps_distance_m"] + (pos.get("accuracy_m") or 0.0) + (hpos.get("accuracy_m") or 0.0):
            out.append(_issue("position", [pos["lat"], pos["lon"]], [hpos["lat"], hpos["lon"]],
                              f"The head-end places the meter {d:.0f} m from where it was recorded."))
    mine = _reading(new)
    if mine:
        theirs = next((r for r in reg.get("reads") or [] if r["register"] == mine["register"]), None)
        if theirs is not None:
            # A register only counts up; a later head-end read below the installation read, or far above
            # it, means the wrong read or the wrong meter was recorded.
            gap = theirs["value"] - mine["value"]
            later = _time(theirs["read_at"]) >= _time(mine["read_at"])
            if (later and gap < -0.5) or abs(gap) > tol["read_variance_min"] * 4:
                out.append(_issue("new_meter.installation_read", mine["value"], theirs["value"],
                                  f"The installation read {mine['value']} does not fit the head-end's read "
                                  f"{theirs['value']}."))
    return out


def verdicts(payload: dict, plan: dict | None, reg: dict, intended_program: str | None) -> list[dict]:
    """Steps 8.1, 8.2 and (when needed) 8.3 for one soft-registration record the head-end has heard."""
    issues = check_plan(payload, plan) + check_head_end(payload, reg, plan)
    out = [{"step": "8.1", "outcome": "discrepancy" if issues else "match", "discrepancies": issues,
            "program": None, "event_type": None}]
    if intended_program:
        program = {"intended": intended_program, "reported": reg.get("program_id")}
        if reg.get("program_id") == intended_program:
            out.append({"step": "8.2", "outcome": "program_ok", "discrepancies": [], "program": program,
                        "event_type": None})
        else:
            out.append({"step": "8.2", "outcome": "program_change_required", "discrepancies": [],
                        "program": program, "event_type": event_type("program_mismatch")})
            out.append({"step": "8.3", "outcome": "program_change_sent", "discrepancies": [], "program": program,
                        "event_type": event_type("reprogrammed")})
    return out
