"""Districts heading below their minimum or above their maximum, and the move that fixes each (step 5).

From actuals, each district's stock is projected with no new shipment: on hand + in transit - demand. Over
the coming transfer and replenishment weeks a district that would end a week below its minimum is short; a
district holding more than its maximum now (and more than its minimum all the way through) has a surplus.
Shortages are fixed first from surplus districts of the same item (a transfer), then from the warehouse (a
shipment), and what remains by a purchase order. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from fieldtool.domain.actuals import WAREHOUSE, Actuals
from fieldtool.domain.forecast import Forecast, ceil_week


@dataclass(frozen=True)
class Fix:
    action: str  # "transfer" (district to district), "ship" (from the warehouse), "order" (from the vendor)
    quantity: int
    source: str  # district id, "warehouse" or "vendor"
    destination: str
    by: date  # ship (or place the order) on or before this day
    late: bool = False  # the day has passed: do it now, the district will still run low


@dataclass(frozen=True)
class StockFlag:
    district: str
    item: str
    status: str  # "below_min" or "above_max"
    week_start: date
    projected: int
    minimum: int
    maximum: int
    fixes: tuple[Fix, ...] = field(default_factory=tuple)


def stock_flags(fc: Forecast, actuals: Actuals) -> list[StockFlag]:
    pol, cal, plan = fc.policy, fc.calendar, fc.plan
    tw = -(-pol.transfer_days // 7)
    horizon = min(fc.weeks, tw + pol.replenish_weeks)
    arrivals = np.zeros_like(fc.needed[:, :, :horizon])
    dists = {d.id: k for k, d in enumerate(plan.districts)}
    items = {it.code: k for k, it in enumerate(plan.items)}
    for t in actuals.in_transit:
        if t.location != WAREHOUSE:
            when = t.arrives or actuals.as_of + timedelta(days=pol.transfer_days)
            w = max(0, ceil_week(cal, when))
            if w < horizon:
                arrivals[dists[t.location], items[t.item], w] += t.quantity
    on_hand = np.zeros(fc.needed.shape[:2], dtype=np.int64)
    for (loc, code), q in actuals.on_hand.items():
        if loc != WAREHOUSE:
            on_hand[dists[loc], items[code]] += q
    proj = on_hand[:, :, None] + np.cumsum(arrivals - fc.needed[:, :, :horizon], axis=2)
    mn, mx = fc.minimum[:, :, :horizon], fc.maximum[:, :, :horizon]
    out = []
    for i, item in enumerate(plan.items):
        surplus = {}
        for d in range(len(plan.districts)):
            spare = int(min(proj[d, i, 0] - mx[d, i, 0], (proj[d, i] - mn[d, i]).min()))
            if spare > 0:
                surplus[d] = spare
        sent: dict[int, list[Fix]] = {d: [] for d in surplus}
        wh = actuals.on_hand.get((WAREHOUSE, item.code), 0)
        shorts = []
        for d in range(len(plan.districts)):
            below = np.flatnonzero(proj[d, i] < mn[d, i])
            if len(below):
                w = int(below[0])
                shorts.append((w, d, int(mx[d, i, w] - proj[d, i, w])))
        for w, d, qty in sorted(shorts):
            by = cal.week_start(w) - timedelta(days=pol.transfer_days)
            fixes = []
            for s in sorted(surplus, key=lambda k: -surplus[k]):
                if qty <= 0:
                    break
                move = min(qty, surplus[s])
                if move > 0:
                    fix = _fix("transfer", move, plan.districts[s].id, plan.districts[d].id, by, actuals.as_of)
                    fixes.append(fix)
                    sent[s].append(fix)
                    surplus[s] -= move
                    qty -= move
            if qty > 0 and wh > 0:
                move = min(qty, wh)
                fixes.append(_fix("ship", move, WAREHOUSE, plan.districts[d].id, by, actuals.as_of))
                wh -= move
                qty -= move
            if qty > 0:
                place = by - timedelta(days=pol.test_days + item.lead_time_days)
                fixes.append(_fix("order", qty, "vendor", plan.districts[d].id, place, actuals.as_of))
            out.append(StockFlag(plan.districts[d].id, item.code, "below_min", cal.week_start(w),
                                 int(proj[d, i, w]), int(mn[d, i, w]), int(mx[d, i, w]), tuple(fixes)))
        for d, fixes in sent.items():
            if surplus[d] > 0:  # what no other district needs goes back to the warehouse
                fixes.append(_fix("ship", surplus[d], plan.districts[d].id, WAREHOUSE, actuals.as_of,
                                  actuals.as_of))
            out.append(StockFlag(plan.districts[d].id, item.code, "above_max", cal.week_start(0),
                                 int(proj[d, i, 0]), int(mn[d, i, 0]), int(mx[d, i, 0]), tuple(fixes)))
    return out


def _fix(action: str, qty: int, source: str, dest: str, by: date, as_of: date) -> Fix:
    return Fix(action, int(qty), source, dest, max(by, as_of), late=by < as_of)
