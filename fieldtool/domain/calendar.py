"""The planning calendar: day and week numbers, work days, and billing-cycle read dates (I1FR25).

Days are numbered from ``origin``, the Monday of the week of the planning date, so week ``w`` is days
``7w .. 7w+6``. An installation on day ``d`` is kept off an account's billing cycle when it lies more than
``guard_days`` from every read date of that cycle (``|d - read| > guard_days``): the same rule as the
``billing-read-date`` check, which flags an installation *within* the guard days.
"""

from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from fieldtool.domain.planfile import BillingCycle, Plan

FAR = 1 << 30  # "no blocked day ahead"


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def within_guard(install: date, read: date, guard_days: int) -> bool:
    """True when an installation on ``install`` falls within the guard days of the meter-read date."""
    return abs((install - read).days) <= guard_days


@dataclass(frozen=True)
class Calendar:
    origin: date  # Monday of week 0
    as_of: date  # the planning date: nothing can be ordered or shipped before it
    start: date  # first day work may be scheduled
    end: date  # last day of the roll-out window
    n_days: int  # days from origin up to and including end
    workday: np.ndarray  # bool per day: a crew works that day

    def day(self, d: date) -> int:
        return (d - self.origin).days

    def date(self, day: int) -> date:
        return self.origin + timedelta(days=int(day))

    def week_start(self, week: int) -> date:
        return self.origin + timedelta(days=7 * int(week))

    def week_of(self, d: date) -> int:
        return (d - self.origin).days // 7


def make_calendar(plan: Plan, as_of: date) -> Calendar:
    origin = monday(as_of)
    start = max(as_of, plan.window_start)
    n_days = (plan.window_end - origin).days + 1
    days = np.arange(max(n_days, 0))
    weekday = (days + origin.weekday()) % 7
    workday = np.isin(weekday, plan.work_days)
    for h in plan.holidays:
        i = (h - origin).days
        if 0 <= i < n_days:
            workday[i] = False
    workday[: max(0, (start - origin).days)] = False
    return Calendar(origin, as_of, start, plan.window_end, max(n_days, 0), workday)


def read_dates(cycle: BillingCycle, first: date, last: date) -> list[date]:
    """The cycle's meter-read dates between ``first`` and ``last`` (a month's margin each side is kept)."""
    if cycle.read_dates:
        return sorted(cycle.read_dates)
    out = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        day = min(cycle.read_day or 1, _cal.monthrange(y, m)[1])
        out.append(date(y, m, day))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def billing_blocks(plan: Plan, cal: Calendar, guard_days: int) -> tuple[np.ndarray, np.ndarray, list]:
    """Per billing cycle and day: blocked (within the guard days of a read) and days to the next block.

    Returns ``(blocked[C, n_days], next_block[C, n_days], read_days)``; ``read_days[c]`` is the sorted
    array of the cycle's read dates as day numbers (may lie outside the calendar).
    """
    n = cal.n_days
    blocked = np.zeros((len(plan.billing_cycles), n), dtype=bool)
    next_block = np.full((len(plan.billing_cycles), n), FAR, dtype=np.int64)
    first = cal.origin - timedelta(days=62)
    last = cal.end + timedelta(days=62)
    reads = []
    for c, cycle in enumerate(plan.billing_cycles):
        days = np.array([cal.day(r) for r in read_dates(cycle, first, last)], dtype=np.int64)
        reads.append(days)
        for r in days:
            lo, hi = max(0, r - guard_days), min(n, r + guard_days + 1)
            if lo < hi:
                blocked[c, lo:hi] = True
        idx = np.flatnonzero(blocked[c])
        if len(idx):
            pos = np.searchsorted(idx, np.arange(n))
            ok = pos < len(idx)
            next_block[c, ok] = idx[pos[ok]] - np.arange(n)[ok]
    return blocked, next_block, reads
