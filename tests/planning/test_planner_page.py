"""The planner's screen: a forecast runs off the GUI thread, fills the chart and tables, and exports."""

from __future__ import annotations

import json
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from fieldtool.config import load_config, paths  # noqa: E402
from fieldtool.domain.roles import Role  # noqa: E402
from fieldtool.services.context import AppContext  # noqa: E402
from fieldtool.services.users import LocalUser  # noqa: E402
from fieldtool.store.db import open_store  # noqa: E402
from fieldtool.ui.jobs_page import JobsPage  # noqa: E402
from fieldtool.ui.main_window import MainWindow  # noqa: E402
from fieldtool.ui.pages import PAGES  # noqa: E402
from fieldtool.ui.planner_page import PlannerPage  # noqa: E402
from fieldtool.ui.stock_chart import BACKGROUND  # noqa: E402
from tests.planning.test_cli_plan import DEMO  # noqa: E402


@pytest.fixture
def window(qtbot, fieldtool_home):
    p = paths().ensure()
    store = open_store(p.database)
    ctx = AppContext(p, load_config(p), store, user=LocalUser("pat", Role.PLANNER))
    w = MainWindow(ctx, PAGES)
    qtbot.addWidget(w)
    w.show()
    yield w
    store.close()


def test_the_planner_sees_the_planning_screen_and_not_the_jobs(window):
    assert window.page(PlannerPage) is not None and window.page(JobsPage) is None


def test_forecast_fills_chart_tables_and_exports(qtbot, window, tmp_path):
    page = window.page(PlannerPage)
    page.plan_path.setText(str(DEMO))
    page.forecast_button.click()
    qtbot.waitUntil(lambda: page.result is not None, timeout=20000)
    assert "4 meter type(s) needed" in page.summary.text()
    assert page.orders.rowCount() == len(page.report["purchase_orders"]) > 0
    assert page.shortfalls.rowCount() == len(page.report["shortfalls"])
    page.district.setCurrentText("SOUTH")
    page.item.setCurrentText("AMI-2S-PLC")
    assert (page.chart.series["district"], page.chart.series["item"]) == ("SOUTH", "AMI-2S-PLC")
    page.tabs.setCurrentWidget(page.chart)
    page.chart.resize(700, 300)
    image = page.chart.grab().toImage()
    assert sum(image.pixelColor(x, y) != BACKGROUND for x in range(0, 700, 7) for y in range(0, 300, 7)) > 100
    out = tmp_path / "schedule.json"
    page.out_path.setText(str(out))
    page.export_button.click()
    qtbot.waitUntil(out.exists, timeout=20000)
    assert len(json.loads(out.read_text())["work_orders"]) == 7254


def test_a_bad_plan_is_shown_in_words(qtbot, window, tmp_path):
    page = window.page(PlannerPage)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"plan_id": "X"}))
    page.plan_path.setText(str(bad))
    page.forecast_button.click()
    qtbot.waitUntil(lambda: "window" in page.banner.text(), timeout=20000)
    assert "is refused" in page.banner.text() and page.result is None
