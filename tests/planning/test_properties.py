"""Properties over random plans: the schedule keeps every rule, and following the suggested orders the
projected stock never ends a week below the safety stock once an order can arrive."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fieldtool.domain.calendar import make_calendar, read_dates, within_guard
from fieldtool.domain.errors import InputError
from fieldtool.domain.forecast import forecast
from fieldtool.domain.planfile import PlanningPolicy, parse_plan
from fieldtool.domain.schedule import build_schedule

START = date(2027, 3, 1)


@st.composite
def plans(draw):
    n_items = draw(st.integers(1, 3))
    items = [{"code": f"M{k}", "form": "2S", "lead_time_days": draw(st.integers(0, 120)),
              "order_multiple": draw(st.sampled_from([1, 12, 48]))} for k in range(n_items)]
    items.append({"code": "H", "kind": "han", "lead_time_days": draw(st.integers(0, 60))})
    districts = [{"id": f"D{k}", "crews": draw(st.integers(1, 3)), "installs_per_crew_day": draw(st.integers(1, 8)),
                  "opening_stock": {"M0": draw(st.integers(0, 80))}} for k in range(draw(st.integers(1, 3)))]
    cycles = [{"id": f"C{k}", "read_day": draw(st.integers(1, 28))} for k in range(draw(st.integers(1, 4)))]
    lines = [{"district": draw(st.sampled_from(districts))["id"], "billing_cycle": draw(st.sampled_from(cycles))["id"],
              "meter_type": draw(st.sampled_from(items[:n_items]))["code"], "count": draw(st.integers(0, 150)),
              "han_devices": {"H": draw(st.integers(0, 20))}} for _ in range(draw(st.integers(1, 6)))]
    for line in lines:
        if not line["count"]:
            line["han_devices"] = {}
    demand = [{"kind": "maintenance", "district": districts[0]["id"], "item": "M0",
               "per_week": draw(st.integers(1, 5))}] if draw(st.booleans()) else []
    end = START + timedelta(days=draw(st.integers(20, 150)))
    as_of = START - timedelta(days=draw(st.integers(0, 200)))
    return {"plan_id": "P", "as_of": str(as_of), "window": {"start": str(START), "end": str(end)},
            "items": items, "districts": districts, "billing_cycles": cycles, "service_points": lines,
            "demand": demand, "warehouse_stock": {"M0": draw(st.integers(0, 100))}}


def scheduled(data, guard):
    plan = parse_plan(data)
    try:
        return plan, build_schedule(plan, make_calendar(plan, plan.as_of), guard)
    except InputError:
        assume(False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(), st.integers(0, 3))
def test_schedule_keeps_billing_guard_capacity_and_window(data, guard):
    plan, s = scheduled(data, guard)
    cal = s.calendar
    assert Counter(s.line_of.tolist()) == {ln.index: ln.count for ln in plan.service_points if ln.count}
    per_day = Counter()
    for line_i, day, crew in zip(s.line_of, s.day_of, s.crew_of, strict=True):
        line = plan.service_points[line_i]
        district = plan.district(line.district)
        when = cal.date(day)
        assert plan.window_start <= when <= plan.window_end and when.weekday() < 5
        assert 1 <= crew <= district.crews
        cycle = next(c for c in plan.billing_cycles if c.id == line.billing_cycle)
        reads = read_dates(cycle, when - timedelta(days=40), when + timedelta(days=40))
        assert not any(within_guard(when, r, guard) for r in reads), (when, reads)
        per_day[(line.district, when)] += 1
    for (d, _), n in per_day.items():
        assert n <= plan.district(d).crews * plan.district(d).installs_per_crew_day


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(), st.integers(0, 26), st.integers(1, 6), st.integers(0, 14), st.integers(0, 21))
def test_following_the_orders_stock_never_falls_below_safety(data, safety, replenish, transfer, test):
    plan, s = scheduled(data, 2)
    policy = PlanningPolicy(safety, replenish, transfer, test)
    fc = forecast(plan, s, policy)
    n_d, n_i, n_w = fc.needed.shape
    # the forecast's demand is the schedule's: every meter and HAN device of every service point
    assert fc.installs[:, :-1].sum() == len(s)
    assert fc.installs[:, -1].sum() == sum(ln.han_devices.get("H", 0) for ln in plan.service_points)
    # replay the orders: the warehouse never ships what it has not got, and no order is placed in the past
    arrive = np.zeros((n_i, n_w + 400), dtype=np.int64)
    for o in fc.orders:
        assert o.place_by >= fc.as_of and o.quantity > 0
        assert o.quantity % plan.item(o.item).order_multiple == 0
        arrive[[it.code for it in plan.items].index(o.item), o.week] += o.quantity
    for i, item in enumerate(plan.items):
        held = plan.warehouse_stock.get(item.code, 0) + np.cumsum(arrive[i, :n_w]) - np.cumsum(
            fc.receipts[:, i].sum(axis=0))
        assert (held >= 0).all()
        for d, district in enumerate(plan.districts):
            stock = district.opening_stock.get(item.code, 0) + np.cumsum(fc.receipts[d, i] - fc.needed[d, i])
            assert (stock == fc.stock[d, i]).all()
            after = np.arange(n_w) >= fc.first_order_week[i]
            assert (stock[after] >= fc.safety[d, i][after]).all()
            assert (fc.safety[d, i] <= fc.minimum[d, i]).all() and (fc.minimum[d, i] <= fc.maximum[d, i]).all()
