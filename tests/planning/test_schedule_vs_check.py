"""The schedule and the installer's ``billing-read-date`` check agree: no scheduled install would be flagged."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from fieldtool.domain.calendar import make_calendar, read_dates
from fieldtool.domain.checks import Actual, billing_read_date
from fieldtool.domain.model import Tolerances
from fieldtool.domain.schedule import build_schedule
from fieldtool.services.planning import load_plan
from tests.store.factories import work_order

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "rollout-plan.json"


def test_no_scheduled_install_trips_the_billing_read_date_check():
    plan = load_plan(DEMO)
    for guard in (0, 2, 3):
        schedule = build_schedule(plan, make_calendar(plan, plan.as_of), guard)
        cycles = {c.id: c for c in plan.billing_cycles}
        base = work_order(1)
        seen = 0
        for row in schedule.rows():
            day = date.fromisoformat(row["date"])
            installed = datetime.combine(day, time(10), tzinfo=UTC)
            for read in read_dates(cycles[row["billing_cycle"]], day - timedelta(days=31), day + timedelta(days=31)):
                order = dataclasses.replace(base, meter_read_date=read, tolerances=Tolerances(billing_guard_days=guard))
                assert billing_read_date(order, Actual(installed_at=installed), None, installed) == [], (row, read)
                seen += 1
        assert seen > len(schedule)
