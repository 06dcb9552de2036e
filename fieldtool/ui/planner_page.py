"""The planner's screen: forecast a roll-out plan (optionally against a stock file), see each district's
projected stock against its min/max/safety lines, the purchase orders, shortfalls and stock flags, and
export the billing-aware schedule (UC134 steps 1-3, 5; I1FR25, I1FR27).

Forecasts and exports run off the GUI thread through the op helper, with progress and cancel.
"""

from __future__ import annotations

from fieldtool.domain.planreport import chart_series, forecast_report, series_keys
from fieldtool.services import planning
from fieldtool.ui.main_window import Page
from fieldtool.ui.qt import (
    QT_TRANSLATE_NOOP,
    QComboBox,
    QCoreApplication,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
)
from fieldtool.ui.stock_chart import StockChart
from fieldtool.ui.widgets import big_button, title

# Column titles are marked for lupdate (context PlannerPage) and translated when the table is made.
ORDER_COLUMNS = [(QT_TRANSLATE_NOOP("PlannerPage", "Item"), "item"), (QT_TRANSLATE_NOOP("PlannerPage", "Quantity"), "quantity"),
                 (QT_TRANSLATE_NOOP("PlannerPage", "Place by"), "place_by"),
                 (QT_TRANSLATE_NOOP("PlannerPage", "Delivered by"), "delivered_by"),
                 (QT_TRANSLATE_NOOP("PlannerPage", "Ship by"), "ship_by"),
                 (QT_TRANSLATE_NOOP("PlannerPage", "District week"), "district_week")]
SHORT_COLUMNS = [(QT_TRANSLATE_NOOP("PlannerPage", "District"), "district"), (QT_TRANSLATE_NOOP("PlannerPage", "Item"), "item"),
                 (QT_TRANSLATE_NOOP("PlannerPage", "From week"), "first_week"),
                 (QT_TRANSLATE_NOOP("PlannerPage", "Weeks"), "weeks"),
                 (QT_TRANSLATE_NOOP("PlannerPage", "Below safety"), "worst"),
                 (QT_TRANSLATE_NOOP("PlannerPage", "Without meters"), "without_meters"),
                 (QT_TRANSLATE_NOOP("PlannerPage", "Why"), "reason")]
FLAG_COLUMNS = [(QT_TRANSLATE_NOOP("PlannerPage", "District"), "district"), (QT_TRANSLATE_NOOP("PlannerPage", "Item"), "item"),
                (QT_TRANSLATE_NOOP("PlannerPage", "Status"), "status"), (QT_TRANSLATE_NOOP("PlannerPage", "Week"), "week_start"),
                (QT_TRANSLATE_NOOP("PlannerPage", "Projected"), "projected"),
                (QT_TRANSLATE_NOOP("PlannerPage", "Min"), "minimum"), (QT_TRANSLATE_NOOP("PlannerPage", "Max"), "maximum"),
                (QT_TRANSLATE_NOOP("PlannerPage", "Fix"), "fixes")]


class PlannerPage(Page):
    title = QT_TRANSLATE_NOOP("PlannerPage", "Planning")
    capability = "plan"

    def __init__(self, window):
        super().__init__(window)
        self.result: planning.PlanRun | None = None
        self.report: dict | None = None
        lay = QVBoxLayout(self)
        lay.addWidget(title(self.tr("Deployment planning")))
        lay.addWidget(self.banner)
        form = QFormLayout()
        self.plan_path = QLineEdit()
        self.plan_path.setAccessibleName(self.tr("plan file"))
        self.plan_path.setPlaceholderText(self.tr("roll-out plan (.json), see docs/planning.md"))
        self.stock_path = QLineEdit()
        self.stock_path.setAccessibleName(self.tr("stock file"))
        self.stock_path.setPlaceholderText(self.tr("optional: stock on hand, in transit, installs done (.json)"))
        self.out_path = QLineEdit()
        self.out_path.setAccessibleName(self.tr("schedule export file"))
        self.out_path.setPlaceholderText(self.tr("schedule.csv or schedule.json"))
        form.addRow(self.tr("Plan"), self.plan_path)
        form.addRow(self.tr("Stock"), self.stock_path)
        form.addRow(self.tr("Export to"), self.out_path)
        lay.addLayout(form)
        buttons = QHBoxLayout()
        self.forecast_button = big_button(self.tr("Forecast"), self.forecast, primary=True)
        self.export_button = big_button(self.tr("Export schedule"), self.export)
        buttons.addWidget(self.forecast_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        pick = QHBoxLayout()
        self.district = QComboBox()
        self.district.setAccessibleName(self.tr("district"))
        self.item = QComboBox()
        self.item.setAccessibleName(self.tr("meter or HAN device type"))
        pick.addWidget(QLabel(self.tr("District")))
        pick.addWidget(self.district, 1)
        pick.addWidget(QLabel(self.tr("Type")))
        pick.addWidget(self.item, 1)
        lay.addLayout(pick)
        self.chart = StockChart()
        self.tabs = QTabWidget()
        self.orders = _table(ORDER_COLUMNS, self.tr("purchase orders"))
        self.shortfalls = _table(SHORT_COLUMNS, self.tr("shortfalls"))
        self.flags = _table(FLAG_COLUMNS, self.tr("stock flags"))
        self.tabs.addTab(self.chart, self.tr("Stock"))
        self.tabs.addTab(self.orders, self.tr("Purchase orders"))
        self.tabs.addTab(self.shortfalls, self.tr("Shortfalls"))
        self.tabs.addTab(self.flags, self.tr("Stock flags"))
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.ops)
        self.district.currentIndexChanged.connect(self._pick)
        self.item.currentIndexChanged.connect(self._pick)

    # --- actions --------------------------------------------------------------------------------------
    def forecast(self) -> None:
        plan_path, stock_path = self.plan_path.text().strip(), self.stock_path.text().strip()
        if not plan_path:
            self.banner.show_message(self.tr("Choose a plan file first."), "warn")
            return
        config, today = self.ctx.config, self.ctx.clock.now().date()
        forecasting = self.tr("Forecasting")

        def work(op):  # worker thread: no widgets here
            plan = planning.load_plan(plan_path)
            actuals = planning.load_actuals(stock_path, plan) if stock_path else None
            result = planning.run(plan, actuals, config=config, today=today,
                                  progress=lambda f: op.progress(f, forecasting), cancel=lambda: op.cancelled)
            return result, forecast_report(result.forecast, result.flags, with_series=False)

        self.ops.start(self.tr("Forecasting"), work, on_success=self._show)

    def export(self) -> None:
        out = self.out_path.text().strip()
        if self.result is None:
            self.banner.show_message(self.tr("Run a forecast first; the export is its schedule."), "warn")
            return
        if not out:
            self.banner.show_message(self.tr("Type where the schedule goes (a .csv or .json file)."), "warn")
            return
        schedule = self.result.schedule
        self.ops.start(self.tr("Exporting the schedule"), lambda op: planning.export_schedule(
            schedule, out, cancel=lambda: op.cancelled), on_success=self._exported)

    # --- results --------------------------------------------------------------------------------------
    def _show(self, outcome) -> None:
        self.result, self.report = outcome
        r = self.report
        parts = [self.tr("{n} meter type(s) needed ({forms})").format(n=r["meter_types_needed"],
                                                                       forms=", ".join(r["forms_needed"])),
                 self.tr("{n} installs").format(n=f"{r['totals']['installs']:,}"),
                 self.tr("{n} purchase order(s)").format(n=len(r["purchase_orders"])),
                 self.tr("{n} shortfall(s)").format(n=len(r["shortfalls"]))]
        if "flags" in r:
            parts.append(self.tr("{n} stock flag(s)").format(n=len(r["flags"])))
        self.summary.setText(" · ".join(parts))
        self.banner.show_message(self.tr("Forecast ready."), "info")
        self.keys = series_keys(self.result.forecast)
        fc = self.result.forecast
        self.district.blockSignals(True)
        self.item.blockSignals(True)
        self.district.clear()
        self.item.clear()
        self.district.addItems(sorted({fc.plan.districts[d].id for d, _ in self.keys}))
        self.item.addItems([it.code for it in fc.plan.items])
        self.district.blockSignals(False)
        self.item.blockSignals(False)
        _fill(self.orders, ORDER_COLUMNS, r["purchase_orders"])
        _fill(self.shortfalls, SHORT_COLUMNS, r["shortfalls"])
        _fill(self.flags, FLAG_COLUMNS, r.get("flags", []))
        self._pick()

    def _pick(self) -> None:
        if self.result is None:
            return
        fc = self.result.forecast
        d = next((k for k, x in enumerate(fc.plan.districts) if x.id == self.district.currentText()), None)
        i = next((k for k, x in enumerate(fc.plan.items) if x.code == self.item.currentText()), None)
        if d is not None and i is not None:
            self.chart.set_series(chart_series(fc, d, i), [fc.week_start(w) for w in range(fc.weeks)])

    def _exported(self, info: dict) -> None:
        self.banner.show_message(self.tr("{n} work orders written to {path}.").format(
            n=f"{info['work_orders']:,}", path=info["path"]), "info")


def _table(columns, name: str) -> QTableWidget:
    t = QTableWidget(0, len(columns))
    t.setHorizontalHeaderLabels([QCoreApplication.translate("PlannerPage", c) for c, _ in columns])
    t.setAccessibleName(name)
    t.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move inside it
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    return t


def _fill(table: QTableWidget, columns, rows: list[dict]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, (_, key) in enumerate(columns):
            value = row[key]
            if key == "fixes":
                value = "; ".join(f"{f['action']} {f['quantity']} {f['source']} -> {f['destination']} by {f['by']}"
                                  + (" (late)" if f["late"] else "") for f in value)
            table.setItem(r, c, QTableWidgetItem(str(value)))
    table.resizeColumnsToContents()
