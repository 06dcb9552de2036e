"""Actuals against plan: stock on hand and in transit per location, installs done (UC134 step 5).

The stock file (``fieldtool plan forecast --stock FILE``) and ``services.planning.actuals_from_store`` both
produce an ``Actuals``. Format (documented in ``docs/planning.md``)::

    {"as_of": "2027-05-03",
     "stock": [{"location": "NORTH", "item": "AMI-2S", "on_hand": 340, "in_transit": 96,
                "arrives": "2027-05-10"},
               {"location": "warehouse", "item": "AMI-2S", "on_hand": 1200}],
     "installs_done": [{"district": "NORTH", "item": "AMI-2S", "quantity": 5120}]}

``location`` is a district id or ``warehouse`` (the corporate warehouse). Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from fieldtool.domain.errors import InputError
from fieldtool.domain.planfile import MAX_LEAD_DAYS, ItemKind, Plan
from fieldtool.domain.planparse import Reader

WAREHOUSE = "warehouse"


@dataclass(frozen=True)
class InTransit:
    location: str
    item: str
    quantity: int
    arrives: date | None = None  # None: after the usual transfer time


@dataclass(frozen=True)
class Actuals:
    as_of: date
    on_hand: dict[tuple[str, str], int] = field(default_factory=dict)  # (location, item) -> quantity
    in_transit: tuple[InTransit, ...] = ()
    installs_done: dict[tuple[str, str], int] = field(default_factory=dict)  # (district, item) -> quantity


def parse_actuals(data: Any, plan: Plan, where: str = "stock file") -> Actuals:
    """Check a stock file against the plan: every location and item must be the plan's; no negatives."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: must be a JSON object, not {type(data).__name__}.")
    r = Reader(where)
    r.known_keys(data, "stock file", {"as_of", "stock", "installs_done"})
    districts = {d.id for d in plan.districts}
    items = {i.code for i in plan.items}
    as_of = r.date(data, "as_of", "stock file")
    on_hand: dict[tuple[str, str], int] = {}
    transit = []
    for i, e in r.entries(data, "stock"):
        at = f"stock[{i}] (location {e.get('location')}, item {e.get('item')})"
        r.known_keys(e, at, {"location", "item", "on_hand", "in_transit", "arrives"})
        loc, item = r.str(e, "location", at), r.str(e, "item", at)
        if loc and loc != WAREHOUSE and loc not in districts:
            r.error(at, f"location {loc!r} is neither a district of the plan nor {WAREHOUSE!r}")
        if item and item not in items:
            r.error(at, f"item {item!r} is not one of the plan's meter or HAN device types")
        held = r.int(e, "on_hand", at, default=0, minimum=0) or 0
        moving = r.int(e, "in_transit", at, default=0, minimum=0) or 0
        key = (loc, item)
        on_hand[key] = on_hand.get(key, 0) + held
        if moving:
            transit.append(InTransit(loc, item, moving, r.date(e, "arrives", at, required=False)))
    done: dict[tuple[str, str], int] = {}
    for i, e in r.entries(data, "installs_done", required=False):
        at = f"installs_done[{i}] (district {e.get('district')}, item {e.get('item')})"
        r.known_keys(e, at, {"district", "item", "quantity"})
        dist, item = r.str(e, "district", at), r.str(e, "item", at)
        if dist and dist not in districts:
            r.error(at, f"district {dist!r} is not one of the plan's districts")
        if item and item not in items:
            r.error(at, f"item {item!r} is not one of the plan's meter or HAN device types")
        qty = r.int(e, "quantity", at, minimum=0) or 0
        done[(dist, item)] = done.get((dist, item), 0) + qty
    if as_of and (plan.window_start - as_of).days > MAX_LEAD_DAYS:
        r.error("stock file", f"as_of {as_of} is more than {MAX_LEAD_DAYS // 365} years before the window starts")
    if as_of and as_of > plan.window_end:
        r.error("stock file", f"as_of {as_of} is after the roll-out window ends ({plan.window_end})")
    r.raise_if_any()
    return Actuals(as_of, on_hand, tuple(transit), done)


def remaining_per_line(plan: Plan, actuals: Actuals | None) -> np.ndarray:
    """Service points still to install per plan line: installs done are taken from a district's lines of
    that meter type in file order (the order they are scheduled in)."""
    left = np.array([ln.count for ln in plan.service_points], dtype=np.int64)
    if actuals is None:
        return left
    kinds = {i.code: i.kind for i in plan.items}
    for (district, item), qty in actuals.installs_done.items():
        if kinds.get(item) != ItemKind.METER:
            continue  # HAN devices follow their service points (docs/planning.md)
        for k, ln in enumerate(plan.service_points):
            if qty <= 0:
                break
            if ln.district == district and ln.meter_type == item:
                take = min(qty, int(left[k]))
                left[k] -= take
                qty -= take
    return left


# Custody states (domain/custody.py) as the planner counts them: where the asset can be used from.
_DISTRICT_ON_HAND = ("received_at_district", "issued_to_installer")
_DISTRICT_IN_TRANSIT = ("shipped_to_district",)
_WAREHOUSE_ON_HAND = ("released",)
# Delivered but not yet released by the meter shop's sample test, or shipped by the vendor (ASN).
_WAREHOUSE_IN_TRANSIT = ("shipped_by_vendor", "received_at_warehouse", "sent_to_meter_shop", "received_at_shop",
                         "tested_passed", "returned_to_warehouse")


def actuals_from_records(plan: Plan, as_of: date, assets, installs_done: dict[tuple[str, str], int]) -> Actuals:
    """Actuals from custody assets (``domain.custody.Asset``: state, asset_type, location) and the installs
    done per (district, item). Assets of types the plan does not know, or at locations that are neither a
    district nor the warehouse, are left out (they belong to other work)."""
    items = {i.code for i in plan.items}
    districts = {d.id for d in plan.districts}
    on_hand: dict[tuple[str, str], int] = {}
    transit: dict[tuple[str, str], int] = {}
    for a in assets:
        state = str(a.state) if a.state is not None else None
        item = a.asset_type
        if item not in items:
            continue
        if state in _DISTRICT_ON_HAND and a.location in districts:
            on_hand[(a.location, item)] = on_hand.get((a.location, item), 0) + 1
        elif state in _DISTRICT_IN_TRANSIT and a.location in districts:
            transit[(a.location, item)] = transit.get((a.location, item), 0) + 1
        elif state in _WAREHOUSE_ON_HAND:
            on_hand[(WAREHOUSE, item)] = on_hand.get((WAREHOUSE, item), 0) + 1
        elif state in _WAREHOUSE_IN_TRANSIT:
            transit[(WAREHOUSE, item)] = transit.get((WAREHOUSE, item), 0) + 1
    moving = tuple(InTransit(loc, item, n) for (loc, item), n in sorted(transit.items()))
    done = {k: v for k, v in installs_done.items() if k[0] in districts and k[1] in items}
    return Actuals(as_of, on_hand, moving, done)
