"""Forecasts computed by hand (policy: 2 safety weeks, 1 replenish week, 7 days transfer, no test days).

Week 0 is the Monday of the planning date. The base plan installs 25 meters a week (1 crew x 5 a day) in
weeks 8-11 (2027-03-01 .. 03-26). safety(w) = demand of weeks w+1..w+2, min(w) = w+1..w+3,
max(w) = w+1..w+4; a week that would end below min gets a shipment topping it up to max.
"""

from __future__ import annotations

from datetime import date

from fieldtool.domain.calendar import make_calendar
from fieldtool.domain.forecast import forecast
from fieldtool.domain.planfile import PlanningPolicy, parse_plan
from fieldtool.domain.schedule import build_schedule
from tests.planning.plans import plan_data

POLICY = PlanningPolicy(safety_weeks=2, replenish_weeks=1, transfer_days=7, test_days=0)


def run(data):
    plan = parse_plan(data)
    cal = make_calendar(plan, plan.as_of)
    return forecast(plan, build_schedule(plan, cal, 2), POLICY)


def test_lead_time_longer_than_the_safety_window():
    # 35 days vendor lead + 7 transfer: the first order placed on the planning date reaches the district in
    # week 6; that is 6 weeks of lead for a 2-week safety window, so the order goes out long before the need.
    fc = run(plan_data())
    a = fc.stock[0, 0]
    assert list(fc.installs[0, 0, 8:12]) == [25, 25, 25, 25]
    assert fc.first_order_week[0] == 6
    # week 5 wants 50 (min 25) but nothing can arrive yet; week 6 gets max(6) = weeks 7..10 = 75
    assert list(fc.receipts[0, 0, 4:12]) == [0, 0, 75, 0, 25, 0, 0, 0]
    assert list(a[4:12]) == [0, 0, 75, 75, 75, 50, 25, 0]
    orders = [(o.quantity, o.place_by, o.week) for o in fc.orders]
    assert orders == [(75, date(2027, 1, 4), 6), (25, date(2027, 1, 18), 8)]
    assert fc.shortfalls == []
    assert (a >= fc.safety[0, 0]).all()


def test_district_starting_at_zero_stock_with_late_planning_date():
    # planned a week before the window: the warehouse's 30 meters ship in week 1, the first order (14 days
    # lead + 7 transfer) arrives in week 3; weeks 0-2 are below safety and week 2 has 20 installs without meters
    data = plan_data(as_of="2027-02-22", warehouse_stock={"A": 30})
    data["items"][0]["lead_time_days"] = 14
    fc = run(data)
    assert fc.first_order_week[0] == 3
    assert list(fc.receipts[0, 0, :5]) == [0, 30, 0, 70, 0]
    assert list(fc.stock[0, 0, :5]) == [0, 5, -20, 25, 0]
    assert [(o.quantity, o.place_by) for o in fc.orders] == [(70, date(2027, 2, 22))]
    [short] = fc.shortfalls
    assert (short.district, short.item, short.first_week) == ("N", "A", date(2027, 2, 22))
    assert (short.weeks, short.worst, short.without_meters) == (3, 70, 20)
    assert "14 days vendor lead time" in short.reason


def test_a_type_needed_only_late_is_ordered_late():
    data = plan_data(window={"start": "2027-03-01", "end": "2027-04-30"})
    data["items"].append({"code": "B", "form": "12S", "lead_time_days": 35})
    data["service_points"].append({"district": "N", "billing_cycle": "01", "meter_type": "B", "count": 50,
                                   "not_before": "2027-04-19"})
    fc = run(data)
    b = 1
    assert list(fc.installs[0, b, 14:17]) == [0, 25, 25]  # weeks of 04-12, 04-19, 04-26
    # nothing of B is held before min(w) > 0: three weeks ahead of its first install (2 safety + 1 transfer)
    assert not fc.receipts[0, b, :12].any()
    assert fc.receipts[0, b, 12] == 50 and fc.stock[0, b, 12] == 50
    [order_b] = [o for o in fc.orders if o.item == "B"]
    assert (order_b.quantity, order_b.week, order_b.place_by) == (50, 12, date(2027, 2, 15))
    assert fc.shortfalls == []


def test_other_demand_lines_add_to_what_is_needed():
    data = plan_data(demand=[
        {"kind": "maintenance", "district": "N", "item": "A", "per_week": 2, "start": "2027-03-01",
         "end": "2027-03-14"},
        {"kind": "incomplete_installation", "district": "N", "item": "A", "share_of_installs": 0.1,
         "lag_weeks": 1},
    ])
    fc = run(data)
    assert list(fc.demand["maintenance"][0, 0, 7:11]) == [0, 2, 2, 0]
    # 10 % of 25 a week one week later, rounded on the running total: 2.5 -> 3, 5 -> 5, 7.5 -> 8, 10
    assert list(fc.demand["incomplete_installation"][0, 0, 8:13]) == [0, 3, 2, 3, 2]
    assert fc.needed[0, 0].sum() == 100 + 4 + 10
