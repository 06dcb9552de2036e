"""Districts heading below min / above max, and the fixes, computed by hand.

Two districts of 100 service points each, 25 installs a week from 2027-03-01 (week 0); policy: 2 safety
weeks, 1 replenish week, 7 days transfer: min(w) = demand of weeks w+1..w+3, max(w) = w+1..w+4, so
min(0) = max(0) = 75 (the roll-out ends in week 3); the watch looks 2 weeks ahead (transfer + replenish).
"""

from __future__ import annotations

from datetime import date

from fieldtool.domain.actuals import Actuals, remaining_per_line
from fieldtool.domain.calendar import make_calendar
from fieldtool.domain.forecast import forecast
from fieldtool.domain.planfile import PlanningPolicy, parse_plan
from fieldtool.domain.schedule import build_schedule
from fieldtool.domain.stockwatch import Fix, stock_flags
from tests.planning.plans import plan_data

POLICY = PlanningPolicy(safety_weeks=2, replenish_weeks=1, transfer_days=7, test_days=0)


def flags_for(on_hand, installs_done=None):
    data = plan_data()
    data["districts"].append({"id": "S", "crews": 1, "installs_per_crew_day": 5})
    data["service_points"].append({"district": "S", "billing_cycle": "01", "meter_type": "A", "count": 100})
    plan = parse_plan(data)
    actuals = Actuals(date(2027, 3, 1), on_hand, (), installs_done or {})
    cal = make_calendar(plan, actuals.as_of)
    fc = forecast(plan, build_schedule(plan, cal, 2, remaining_per_line(plan, actuals)), POLICY, actuals)
    return fc, {(f.district, f.status): f for f in stock_flags(fc, actuals)}


def test_short_district_is_fed_from_the_district_with_surplus_and_the_rest_goes_back():
    fc, flags = flags_for({("N", "A"): 10, ("S", "A"): 200, ("warehouse", "A"): 20})
    assert list(fc.minimum[0, 0, :2]) == [75, 50] and list(fc.maximum[0, 0, :2]) == [75, 50]
    north = flags[("N", "below_min")]
    # N: 10 - 25 = -15 at the end of week 0, below its min of 75: it needs 75 + 15 = 90
    assert (north.projected, north.minimum, north.maximum) == (-15, 75, 75)
    # ships by the Monday a week earlier (2027-02-22): already past, so now and marked late
    assert north.fixes == (Fix("transfer", 90, "S", "N", date(2027, 3, 1), late=True),)
    south = flags[("S", "above_max")]
    # S: 175 and 150 against min 75/50, max 75: 100 spare; 90 go to N, 10 back to the warehouse
    assert south.fixes == (Fix("transfer", 90, "S", "N", date(2027, 3, 1), late=True),
                           Fix("ship", 10, "S", "warehouse", date(2027, 3, 1)))
    assert len(flags) == 2


def test_without_surplus_the_warehouse_ships_then_the_vendor_is_ordered_from():
    fc, flags = flags_for({("N", "A"): 10, ("S", "A"): 100, ("warehouse", "A"): 20})
    north = flags[("N", "below_min")]
    assert [(f.action, f.quantity, f.source) for f in north.fixes] == [("ship", 20, "warehouse"),
                                                                      ("order", 70, "vendor")]
    assert north.fixes[1].late  # 35 days lead: that order should have gone out in January
    assert ("S", "above_max") not in flags and ("S", "below_min") not in flags


def test_installs_done_shrink_what_is_scheduled():
    fc, flags = flags_for({("N", "A"): 100, ("S", "A"): 100}, {("N", "A"): 60})
    assert fc.installs[0, 0].sum() == 40 and fc.installs[1, 0].sum() == 100
