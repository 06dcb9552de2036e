"""A bad plan is refused with every problem named by its entry, and capacity gaps in crew-days."""

from __future__ import annotations

import pytest

from fieldtool.domain.actuals import parse_actuals
from fieldtool.domain.calendar import make_calendar
from fieldtool.domain.errors import InputError
from fieldtool.domain.planfile import PlanningPolicy, parse_plan
from fieldtool.domain.schedule import build_schedule
from tests.planning.plans import plan_data


def refused(data) -> str:
    with pytest.raises(InputError) as e:
        parse_plan(data)
    return str(e.value)


def test_unknown_district_and_meter_type_name_the_line():
    data = plan_data()
    data["service_points"].append({"district": "WEST", "billing_cycle": "01", "meter_type": "A", "count": 5})
    data["service_points"].append({"district": "N", "billing_cycle": "01", "meter_type": "Z9", "count": 5})
    text = refused(data)
    assert "service_points[1] (district WEST, type A): district 'WEST' is not one of the plan's districts" in text
    assert "service_points[2] (district N, type Z9): meter type 'Z9' is not one of the plan's meter types" in text


def test_negative_quantities_are_refused():
    data = plan_data()
    data["service_points"][0]["count"] = -3
    data["districts"][0]["opening_stock"] = {"A": -1}
    data["demand"] = [{"kind": "maintenance", "district": "N", "item": "A", "per_week": -2}]
    text = refused(data)
    assert "service_points[0] (district N, type A): count is -3: it may not be negative" in text
    assert "districts[0].opening_stock: A: quantity -1 is negative" in text
    assert "demand[0] (district N, item A): per_week is -2: it may not be negative" in text


def test_other_mistakes_each_named():
    data = plan_data(window={"start": "2027-03-26", "end": "2027-03-01"}, work_days=["mon", "funday"])
    data["items"].append({"code": "A", "form": "2S", "lead_time_days": 10})
    data["billing_cycles"].append({"id": "02"})
    data["demand"] = [{"kind": "theft", "district": "N", "item": "A", "per_week": 1}]
    text = refused(data)
    for part in ("window: ends (2027-03-01) before it starts (2027-03-26)", "'funday' is not a weekday",
                 "item code 'A' appears twice", "billing_cycles[1]: needs a read_day",
                 "kind 'theft' is not one of: maintenance"):
        assert part in text


def test_window_too_short_for_the_crews_says_how_many_crew_days_are_missing():
    plan = parse_plan(plan_data(window={"start": "2027-03-01", "end": "2027-03-12"}))  # 10 work days
    with pytest.raises(InputError) as e:
        build_schedule(plan, make_calendar(plan, plan.as_of), 2)
    # 100 installs at 5 a crew-day = 20 crew-days; 1 crew x 10 days = 10
    assert "district N: 100 installs need 20 crew-days" in str(e.value)
    assert "10 crew-days are missing" in str(e.value)


def test_billing_guard_days_can_leave_work_unplaced():
    # a one-week window whose every day is within 2 days of cycle 01's read on 2027-03-03
    data = plan_data(window={"start": "2027-03-01", "end": "2027-03-05"},
                     billing_cycles=[{"id": "01", "read_dates": ["2027-03-03"]}])
    data["service_points"][0]["count"] = 10
    data["districts"][0]["crews"] = 2
    plan = parse_plan(data)
    with pytest.raises(InputError) as e:
        build_schedule(plan, make_calendar(plan, plan.as_of), 2)
    assert "10 installs (cycle 01: 10) find no free day outside the billing guard days" in str(e.value)
    assert "2 crew-days are missing" in str(e.value)


def test_stock_file_checked_against_the_plan():
    plan = parse_plan(plan_data())
    with pytest.raises(InputError) as e:
        parse_actuals({"as_of": "2027-03-08",
                       "stock": [{"location": "MOON", "item": "A", "on_hand": 3},
                                 {"location": "N", "item": "A", "on_hand": -4}],
                       "installs_done": [{"district": "N", "item": "Q", "quantity": 1}]}, plan)
    text = str(e.value)
    assert "stock[0] (location MOON, item A): location 'MOON' is neither a district" in text
    assert "stock[1] (location N, item A): on_hand is -4: it may not be negative" in text
    assert "installs_done[0] (district N, item Q): item 'Q' is not one of the plan's" in text


def test_planning_settings_refuse_negatives():
    with pytest.raises(InputError, match="safety_weeks"):
        PlanningPolicy(safety_weeks=-1)
