"""Long planning runs report progress and can be cancelled (the GUI shows both)."""

from __future__ import annotations

import pytest

from fieldtool.domain.errors import UserCancelled
from fieldtool.services import planning
from tests.planning.test_cli_plan import DEMO


def test_progress_rises_to_one():
    seen = []
    planning.run(planning.load_plan(DEMO), progress=seen.append)
    assert seen and seen[-1] == 1.0
    assert all(a <= b for a, b in zip(seen, seen[1:], strict=False))


def test_cancel_stops_the_schedule_and_the_export(tmp_path):
    plan = planning.load_plan(DEMO)
    with pytest.raises(UserCancelled):
        planning.run(plan, cancel=lambda: True)
    result = planning.run(plan)
    with pytest.raises(UserCancelled):
        planning.export_schedule(result.schedule, tmp_path / "s.csv", cancel=lambda: True)
    assert list(tmp_path.iterdir()) == []  # no half-written file left behind
