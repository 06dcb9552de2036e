"""The planner's stock chart renders the forecast offscreen with each line where its numbers say."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before pytest-qt makes the QApplication

from fieldtool.domain.calendar import make_calendar
from fieldtool.domain.forecast import forecast
from fieldtool.domain.planfile import PlanningPolicy, parse_plan
from fieldtool.domain.planreport import chart_series
from fieldtool.domain.schedule import build_schedule
from tests.planning.plans import plan_data

pytest.importorskip("PySide6.QtWidgets")

from fieldtool.ui.stock_chart import BACKGROUND, LINES, StockChart  # noqa: E402

COLOUR = {key: colour for key, _, colour, *_ in LINES}


def near(image, point, colour, radius=1) -> bool:
    """The line's colour within a pixel of ``point`` (pen widths are 2-3 px, centred on the point)."""
    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            c = image.pixelColor(int(point.x()) + dx, int(point.y()) + dy)
            if (c.red(), c.green(), c.blue()) == (colour.red(), colour.green(), colour.blue()):
                return True
    return False


@pytest.fixture
def series():
    plan = parse_plan(plan_data(window={"start": "2027-03-01", "end": "2027-05-28"}))
    fc = forecast(plan, build_schedule(plan, make_calendar(plan, plan.as_of), 2),
                  PlanningPolicy(safety_weeks=4, replenish_weeks=2, transfer_days=7, test_days=0))
    return chart_series(fc, 0, 0), [fc.week_start(w) for w in range(fc.weeks)]


def test_chart_draws_stock_min_max_and_safety_where_they_belong(qtbot, series):
    data, weeks = series
    chart = StockChart()
    qtbot.addWidget(chart)
    chart.resize(800, 400)
    chart.set_series(data, weeks)
    image = chart.grab().toImage()
    drawn = sum(1 for x in range(0, 800, 4) for y in range(0, 400, 4)
                if image.pixelColor(x, y) != BACKGROUND)
    assert drawn > 200  # not blank
    checked = 0
    for w in range(len(weeks)):
        others = {k: data[k][w] for k in COLOUR}
        for key, value in others.items():
            # only where no later-drawn line is within a few pixels, so this line is the one on top
            later = [k for k in list(COLOUR)[list(COLOUR).index(key) + 1:]]
            p = chart.point_for(w, value)
            if all(abs(chart.point_for(w, others[k]).y() - p.y()) > 4 for k in later):
                assert near(image, p, COLOUR[key]), (key, w, value)
                checked += 1
    assert checked > 20
    # and the stock line is not drawn where the numbers are not: a point well above the top line is clear
    top = max(max(data[k]) for k in COLOUR)
    assert not near(image, chart.point_for(len(weeks) // 2, top * 1.04), COLOUR["stock"], radius=0) or top == 0


def test_empty_chart_says_so(qtbot):
    chart = StockChart()
    qtbot.addWidget(chart)
    chart.resize(400, 200)
    image = chart.grab().toImage()
    assert any(image.pixelColor(x, 100) != BACKGROUND for x in range(100, 300))
