"""Network coverage: every network test kept on this laptop (I1FR33, I1FR36) on a local map by verdict, with
the list, and export to GeoJSON or CSV for analysis. Reading and export run on the store worker."""

from __future__ import annotations

from pathlib import Path

from fieldtool.services.coverage_export import plot_data, to_csv, to_geojson
from fieldtool.store.coverage import CoverageReports
from fieldtool.ui.coverage_plot import CoveragePlot
from fieldtool.ui.main_window import Page
from fieldtool.ui.qt import QT_TRANSLATE_NOOP, QFileDialog, QHBoxLayout, QListWidget, QVBoxLayout
from fieldtool.ui.widgets import big_button, title


class CoveragePage(Page):
    title = QT_TRANSLATE_NOOP("CoveragePage", "Coverage")
    capability = "jobs"

    def __init__(self, window):
        super().__init__(window)
        lay = QVBoxLayout(self)
        lay.addWidget(title(self.tr("Network coverage")))
        lay.addWidget(self.banner)
        row = QHBoxLayout()
        row.addWidget(big_button(self.tr("Refresh"), self.reload, name=self.tr("refresh coverage")))
        row.addWidget(big_button(self.tr("Export GeoJSON…"), lambda: self.export("geojson"), name=self.tr("export coverage as GeoJSON")))
        row.addWidget(big_button(self.tr("Export CSV…"), lambda: self.export("csv"), name=self.tr("export coverage as CSV")))
        row.addStretch(1)
        lay.addLayout(row)
        lay.addWidget(self.ops)
        body = QHBoxLayout()
        self.plot = CoveragePlot()
        self.plot.setAccessibleName(self.tr("coverage map"))
        self.plot.setMinimumSize(360, 300)
        body.addWidget(self.plot, 3)
        self.reports = QListWidget()
        self.reports.setAccessibleName(self.tr("coverage reports"))
        body.addWidget(self.reports, 2)
        lay.addLayout(body, 1)

    def activated(self) -> None:
        self.reload()

    def reload(self) -> None:
        store = self.ctx.store

        def work(op):
            reports = CoverageReports(store).list()
            return reports, plot_data(reports)

        self.ops.start(self.tr("Reading coverage reports"), work, kind="store", on_success=self._show)

    def _show(self, result) -> None:
        reports, data = result
        self.plot.set_data(data)
        self.reports.clear()
        for r in reversed(reports):
            value = self.tr("no signal") if r.value is None else f"{r.value:g} ({r.metric})"
            self.reports.addItem(f"{r.measured_at:%Y-%m-%d %H:%M} {r.technology} {r.verdict}: {value} — " + self.tr(
                "job {job}, meter {meter}").format(job=r.job_id or "-", meter=r.meter_number or "-"))

    def export(self, fmt: str, path: str | None = None) -> None:
        if path is None:
            suffix = "GeoJSON (*.geojson)" if fmt == "geojson" else "CSV (*.csv)"
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export coverage"), f"coverage.{fmt}", suffix)
            if not path:
                return
        store = self.ctx.store

        def work(op):
            import json

            reports = CoverageReports(store).list()
            text = json.dumps(to_geojson(reports), indent=1) if fmt == "geojson" else to_csv(reports)
            Path(path).write_text(text, encoding="utf-8")
            return len(reports)

        self.ops.start(self.tr("Exporting coverage"), work, kind="store",
                       on_success=lambda n: self.banner.show_message(
                           self.tr("{n} reports written to {path}.").format(n=n, path=path), "ok"))
