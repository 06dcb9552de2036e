"""Meter forecasting: demand, min/max, the 3-month safety stock and purchase orders (UC134 steps 2-3).

Per district, item (meter type or HAN device type) and week:

- ``installs``: roll-out installs from the schedule; ``demand[kind]``: the other demand lines of I1FR1;
  ``needed``: all of it.
- ``safety`` (I1NFR1): the demand of the next ``safety_weeks`` weeks (13 = three months) — forward cover,
  because roll-out demand rises and falls, so a district keeps three months of *its coming* work.
- ``minimum`` = safety + the demand during the warehouse-to-district transfer; ``maximum`` = minimum + the
  demand of ``replenish_weeks``. These are the district's min/max of step 5.
- ``receipts``: shipments arriving from the warehouse. Whenever a week would end below the minimum, a
  shipment arriving that week tops the district up to its maximum, so stock never ends a week below safety
  once orders can arrive.
- ``stock``: projected stock at the end of the week.

Purchase orders (step 3.1) per item: when the warehouse cannot cover a week's shipments, an order for the
difference (rounded up to the vendor's pack) is placed ``lead + test + transfer`` days earlier. No order is
placed before the planning date; weeks before the first order can arrive live on the stock there is, and any
week below safety is reported as a shortfall with its reason. Pure and numpy-vectorised over districts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from fieldtool.domain.actuals import WAREHOUSE, Actuals
from fieldtool.domain.calendar import Calendar
from fieldtool.domain.planfile import DemandKind, ItemKind, Plan, PlanningPolicy
from fieldtool.domain.schedule import Schedule, line_attr

ROLLOUT = "rollout"


@dataclass(frozen=True)
class PurchaseOrder:
    item: str
    quantity: int
    place_by: date  # order with the vendor on or before this day
    delivered_by: date  # at the warehouse, then sample-tested in the meter shop
    ship_by: date  # leaves the warehouse for the districts
    week: int  # the week the districts receive it


@dataclass(frozen=True)
class Shortfall:
    district: str
    item: str
    first_week: date
    weeks: int
    worst: int  # most meters below safety stock
    without_meters: int  # most installs due with no meter in the district (negative projected stock)
    reason: str


@dataclass
class Forecast:
    plan: Plan
    calendar: Calendar
    policy: PlanningPolicy
    as_of: date
    weeks: int  # weeks reported, from calendar.origin
    installs: np.ndarray  # [D, I, W]
    demand: dict[str, np.ndarray]  # kind -> [D, I, W], ROLLOUT included
    needed: np.ndarray
    receipts: np.ndarray
    stock: np.ndarray
    safety: np.ndarray
    minimum: np.ndarray
    maximum: np.ndarray
    warehouse: np.ndarray  # [I, W] warehouse stock at the end of each week
    first_order_week: np.ndarray  # [I] the first week a new order can arrive in a district
    orders: list[PurchaseOrder] = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)

    def week_start(self, w: int) -> date:
        return self.calendar.week_start(w)


def forecast(plan: Plan, schedule: Schedule, policy: PlanningPolicy, actuals: Actuals | None = None,
             progress: Callable[[float], None] | None = None) -> Forecast:
    cal = schedule.calendar
    as_of = cal.as_of
    tw = -(-policy.transfer_days // 7)
    n_weeks = cal.week_of(plan.window_end) + 1 + policy.safety_weeks
    wx = n_weeks + policy.safety_weeks + tw + policy.replenish_weeks + 1  # room for forward sums
    n_d, n_i = len(plan.districts), len(plan.items)

    installs = _installs(plan, schedule, wx)
    demand = {ROLLOUT: installs}
    for kind in DemandKind:
        demand[kind.value] = np.zeros_like(installs)
    for line in plan.demand:
        d = _index(plan.districts, line.district)
        i = _index(plan.items, line.item)
        demand[line.kind.value][d, i] += _demand_line(line, installs[d, i], cal, as_of, wx)
    needed = sum(demand.values())
    cum = np.concatenate([np.zeros((n_d, n_i, 1), dtype=np.int64), np.cumsum(needed, axis=2)], axis=2)

    def ahead(k: int) -> np.ndarray:  # demand of weeks w+1 .. w+k
        w = np.arange(wx)
        return cum[:, :, np.minimum(w + 1 + k, wx)] - cum[:, :, w + 1]

    safety = ahead(policy.safety_weeks)
    minimum = ahead(policy.safety_weeks + tw)
    maximum = ahead(policy.safety_weeks + tw + policy.replenish_weeks)

    opening, wh_open, arrivals, wh_arrivals = _starting_stock(plan, cal, policy, actuals, wx)
    first_wh = ceil_week(cal, as_of + timedelta(days=policy.transfer_days))
    lead = policy.transfer_days + policy.test_days
    first_po = np.array([ceil_week(cal, as_of + timedelta(days=it.lead_time_days + lead))
                         for it in plan.items], dtype=np.int64)
    receipts = np.zeros_like(needed)
    stock = np.zeros_like(needed)
    warehouse = np.zeros((n_i, wx), dtype=np.int64)
    orders: list[PurchaseOrder] = []
    for i, item in enumerate(plan.items):
        if progress:
            progress(i / max(1, n_i))
        s, wh = opening[:, i].copy(), int(wh_open[i])
        for w in range(wx):
            wh += int(wh_arrivals[i, w])
            t = s + arrivals[:, i, w] - needed[:, i, w]
            need = np.where(t < minimum[:, i, w], maximum[:, i, w] - t, 0) if w >= first_wh else 0 * t
            total = int(need.sum())
            if total > wh and w >= first_po[i]:
                q = -(-(total - wh) // item.order_multiple) * item.order_multiple
                orders.append(_order(cal, policy, item, q, w))
                wh += q
            got = need if total <= wh else _share(need, wh)
            wh -= int(got.sum())
            s = t + got
            receipts[:, i, w], stock[:, i, w], warehouse[i, w] = got, s, wh
    fc = Forecast(plan, cal, policy, as_of, n_weeks, installs[:, :, :n_weeks],
                  {k: v[:, :, :n_weeks] for k, v in demand.items()}, needed[:, :, :n_weeks],
                  receipts[:, :, :n_weeks], stock[:, :, :n_weeks], safety[:, :, :n_weeks],
                  minimum[:, :, :n_weeks], maximum[:, :, :n_weeks], warehouse[:, :n_weeks], first_po, orders)
    fc.shortfalls = _shortfalls(fc, first_wh)
    return fc


def _installs(plan: Plan, schedule: Schedule, wx: int) -> np.ndarray:
    """Roll-out installs per district, item and week: meters by type, and the HAN devices they bring."""
    n_d, n_i = len(plan.districts), len(plan.items)
    week = schedule.day_of.astype(np.int64) // 7
    dist = line_attr(plan, "district")[schedule.line_of]
    key = (dist * n_i + line_attr(plan, "meter_type")[schedule.line_of]) * wx + week
    out = np.bincount(key, minlength=n_d * n_i * wx).reshape(n_d, n_i, wx)
    for h, item in enumerate(plan.items):
        if item.kind != ItemKind.HAN:
            continue
        total = np.array([ln.han_devices.get(item.code, 0) for ln in plan.service_points], dtype=np.int64)
        if not total.any():
            continue
        count = np.maximum(np.array([ln.count for ln in plan.service_points], dtype=np.int64), 1)
        lines = schedule.line_of
        per_unit = total[lines] // count[lines] + (schedule.seq_of < total[lines] % count[lines])
        out[:, h, :] += np.bincount(dist * wx + week, weights=per_unit,
                                    minlength=n_d * wx).reshape(n_d, wx).astype(np.int64)
    return out


def _demand_line(line, installs: np.ndarray, cal: Calendar, as_of: date, wx: int) -> np.ndarray:
    w = np.arange(wx)
    first = cal.week_of(max(line.start or as_of, as_of))
    last = cal.week_of(line.end) if line.end else wx - 1
    inside = (w >= first) & (w <= last)
    if line.per_week:
        return np.where(inside, line.per_week, 0)
    base = np.roll(installs, line.lag_weeks)
    base[: line.lag_weeks] = 0
    # Whole meters: round the running total, so the parts add up to the share of all installs.
    whole = np.floor(np.cumsum(base) * line.share_of_installs + 0.5).astype(np.int64)
    return np.where(inside, np.diff(whole, prepend=0), 0)


def _starting_stock(plan, cal, policy, actuals, wx):
    n_d, n_i = len(plan.districts), len(plan.items)
    items = {it.code: k for k, it in enumerate(plan.items)}
    dists = {d.id: k for k, d in enumerate(plan.districts)}
    opening = np.zeros((n_d, n_i), dtype=np.int64)
    wh = np.zeros(n_i, dtype=np.int64)
    arrivals = np.zeros((n_d, n_i, wx), dtype=np.int64)
    wh_arrivals = np.zeros((n_i, wx), dtype=np.int64)
    if actuals is None:
        for d, district in enumerate(plan.districts):
            for code, q in district.opening_stock.items():
                opening[d, items[code]] = q
        for code, q in plan.warehouse_stock.items():
            wh[items[code]] = q
        return opening, wh, arrivals, wh_arrivals
    for (loc, code), q in actuals.on_hand.items():
        if loc == WAREHOUSE:
            wh[items[code]] += q
        else:
            opening[dists[loc], items[code]] += q
    for t in actuals.in_transit:
        default = policy.transfer_days if t.location != WAREHOUSE else policy.test_days
        when = t.arrives or actuals.as_of + timedelta(days=default)
        w = min(max(0, ceil_week(cal, when)), wx - 1)
        if t.location == WAREHOUSE:
            wh_arrivals[items[t.item], w] += t.quantity
        else:
            arrivals[dists[t.location], items[t.item], w] += t.quantity
    return opening, wh, arrivals, wh_arrivals


def ceil_week(cal: Calendar, d: date) -> int:
    """The first week whose Monday is on or after ``d``."""
    return -(-(d - cal.origin).days // 7)


def _order(cal: Calendar, policy: PlanningPolicy, item, quantity: int, week: int) -> PurchaseOrder:
    arrive = cal.week_start(week)
    ship = arrive - timedelta(days=policy.transfer_days)
    delivered = ship - timedelta(days=policy.test_days)
    return PurchaseOrder(item.code, quantity, delivered - timedelta(days=item.lead_time_days), delivered,
                         ship, week)


def _share(need: np.ndarray, available: int) -> np.ndarray:
    """Too little at the warehouse: each district gets its share of what there is, rounded down, and the
    remainder goes to the largest needs."""
    total = int(need.sum())
    if available <= 0 or total == 0:
        return np.zeros_like(need)
    got = need * available // total
    rest = available - int(got.sum())
    for d in np.argsort(-need, kind="stable")[:rest]:
        got[d] += 1
    return got


def _shortfalls(fc: Forecast, first_wh: int) -> list[Shortfall]:
    out = []
    short = fc.stock < fc.safety
    for d, i in zip(*np.nonzero(short.any(axis=2)), strict=True):
        weeks = np.flatnonzero(short[d, i])
        item = fc.plan.items[i]
        first = int(weeks[0])
        arrive = fc.week_start(max(int(fc.first_order_week[i]), 0))
        if first < fc.first_order_week[i]:
            reason = (f"an order placed on {fc.as_of} ({item.lead_time_days} days vendor lead time, "
                      f"{fc.policy.test_days} days testing, {fc.policy.transfer_days} days transfer) reaches "
                      f"the district in the week of {arrive} at the earliest")
        else:
            reason = "the warehouse cannot cover every district that week"
        out.append(Shortfall(fc.plan.districts[d].id, item.code, fc.week_start(first), len(weeks),
                             int((fc.safety[d, i, weeks] - fc.stock[d, i, weeks]).max()),
                             max(0, -int(fc.stock[d, i].min())), reason))
    return out


def _index(seq, key: str) -> int:
    return next(k for k, x in enumerate(seq) if getattr(x, "id", getattr(x, "code", None)) == key)
