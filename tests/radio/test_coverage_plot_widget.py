"""The coverage plot widget renders offscreen: dots in their verdict's colour where the reports were taken."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fieldtool.domain.coverage import CoverageReport, Verdict
from fieldtool.domain.model import Position
from fieldtool.services.coverage_export import VERDICT_COLOURS, plot_data

pytest.importorskip("PySide6")


def reports():
    at = datetime(2026, 3, 12, tzinfo=UTC)
    spots = [(Verdict.ADEQUATE, 45.5000, -73.5000), (Verdict.MARGINAL, 45.5020, -73.4980),
             (Verdict.NONE, 45.4985, -73.5030)]
    return [CoverageReport(f"r{i}", "rf_mesh", v, at, "rssi_dbm", -80.0, (), Position(lat, lon, 6.0))
            for i, (v, lat, lon) in enumerate(spots)]


def test_plot_draws_each_report_in_its_colour(qtbot):
    from fieldtool.ui.coverage_plot import CoveragePlot

    w = CoveragePlot()
    qtbot.addWidget(w)
    w.resize(480, 360)
    data = plot_data(reports())
    w.set_data(data)
    image = w.grab().toImage()
    for pt in data["points"]:
        x, y = w.to_pixels(pt["x_m"], pt["y_m"])
        assert image.pixelColor(x, y).name() == VERDICT_COLOURS[pt["verdict"]], pt
    # the marginal point is ~220 m north-east of the adequate one: north is up, east is right
    ax, ay = w.to_pixels(data["points"][0]["x_m"], data["points"][0]["y_m"])
    mx, my = w.to_pixels(data["points"][1]["x_m"], data["points"][1]["y_m"])
    assert mx > ax and my < ay
    assert w.toolTip() == "1 adequate, 1 marginal, 1 none"


def test_empty_plot_says_so(qtbot):
    from fieldtool.ui.coverage_plot import CoveragePlot

    w = CoveragePlot()
    qtbot.addWidget(w)
    w.set_data(plot_data([]))
    assert w.summary() == "No coverage reports with a position yet."
    assert not w.grab().isNull()
