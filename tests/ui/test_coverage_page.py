import json
from datetime import UTC, datetime

from fieldtool.domain.coverage import CoverageReport, Verdict
from fieldtool.domain.model import Position
from fieldtool.store.coverage import CoverageReports
from fieldtool.ui.coverage_page import CoveragePage
from fieldtool.ui.main_window import MainWindow


def test_coverage_reports_show_and_export(qtbot, ctx, tmp_path):
    at = datetime(2026, 3, 12, 17, 0, tzinfo=UTC)
    reports = CoverageReports(ctx.store)
    for i, (v, lat) in enumerate([(Verdict.ADEQUATE, 36.7578), (Verdict.MARGINAL, 36.7590), (Verdict.NONE, 36.7602)]):
        reports.add(CoverageReport(f"r{i}", "rf_mesh", v, at, "rssi_dbm", -80.0 - 10 * i, (), Position(lat, -119.8163, 5.0),
                                   job_id=f"WO-{i}"))
    w = MainWindow(ctx, [CoveragePage])
    qtbot.addWidget(w)
    w.show()
    page = w.page(CoveragePage)
    qtbot.waitUntil(lambda: page.reports.count() == 3, timeout=10000)
    out = tmp_path / "coverage.geojson"
    page.export("geojson", str(out))
    qtbot.waitUntil(lambda: out.exists() and page.banner.isVisible(), timeout=10000)
    data = json.loads(out.read_text())
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 3
