"""Small plans for the planning tests, built as the JSON a forecaster writes."""

from __future__ import annotations

import copy

BASE = {
    "plan_id": "T",
    "as_of": "2027-01-04",
    "window": {"start": "2027-03-01", "end": "2027-03-26"},
    "items": [{"code": "A", "form": "2S", "lead_time_days": 35}],
    "districts": [{"id": "N", "crews": 1, "installs_per_crew_day": 5}],
    # one read date far from the window: no billing guard in the way of the hand computations
    "billing_cycles": [{"id": "01", "read_dates": ["2030-01-01"]}],
    "service_points": [{"district": "N", "billing_cycle": "01", "meter_type": "A", "count": 100}],
}


def plan_data(**changes) -> dict:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return data
