"""Bench mode for the meter shop: run a lot from its plan to its decision and report (UC134 step 4, I1BR3).

The screen follows the lot: open it from the units received at the warehouse, make the plan (the seed is
recorded), scan the pick list out and in, test each sampled unit (optical port, accuracy typed in or from
the test board's CSV), decide, ship back, print the report. Every step runs in the background through the
op helper; the table shows every sampled unit's tests and verdict.
"""

from __future__ import annotations

from fieldtool.domain.bench import LoadPoint, parse_test_board_csv
from fieldtool.domain.errors import InputError
from fieldtool.services.bench import BenchService
from fieldtool.services.custody import CustodyService
from fieldtool.ui.main_window import Page
from fieldtool.ui.qt import (
    QT_TRANSLATE_NOOP,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)
from fieldtool.ui.widgets import big_button, title

SAMPLE_COLUMNS = (QT_TRANSLATE_NOOP("BenchPage", "Sample"), QT_TRANSLATE_NOOP("BenchPage", "Meter"),
                  QT_TRANSLATE_NOOP("BenchPage", "Custody"), QT_TRANSLATE_NOOP("BenchPage", "Comms"),
                  QT_TRANSLATE_NOOP("BenchPage", "Disconnect"), QT_TRANSLATE_NOOP("BenchPage", "Accuracy"),
                  "HAN", QT_TRANSLATE_NOOP("BenchPage", "Verdict"))


def _spin(name: str) -> QDoubleSpinBox:
    s = QDoubleSpinBox()
    s.setAccessibleName(name)
    s.setRange(50.0, 150.0)
    s.setDecimals(3)
    s.setValue(100.0)
    s.setSuffix(" %")
    return s


class BenchPage(Page):
    title = QT_TRANSLATE_NOOP("BenchPage", "Bench")
    capability = "bench"

    def __init__(self, window):
        super().__init__(window)
        custody = CustodyService(self.ctx.store, settings=self.ctx.config.section("custody"), clock=self.ctx.clock)
        self.service = BenchService(self.ctx.store, custody=custody, settings=self.ctx.config.section("bench"),
                                    clock=self.ctx.clock)
        self.status: dict | None = None
        lay = QVBoxLayout(self)
        lay.addWidget(title(self.tr("Bench mode: lot acceptance")))
        lay.addWidget(self.banner)
        form = QFormLayout()
        self.lot = QLineEdit()
        self.lot.setAccessibleName(self.tr("lot"))
        self.lot.returnPressed.connect(self.refresh)
        self.document = QLineEdit()
        self.document.setAccessibleName(self.tr("lot document"))
        self.document.setPlaceholderText(self.tr("ship notice or PO (to open a lot); RMA number (to return to the vendor)"))
        form.addRow(self.tr("Lot"), self.lot)
        form.addRow(self.tr("Document"), self.document)
        lay.addLayout(form)
        steps = QHBoxLayout()
        for text, slot in ((self.tr("Show"), self.refresh), (self.tr("Open lot"), self.open_lot),
                           (self.tr("Plan"), self.plan), (self.tr("Decide"), self.decide),
                           (self.tr("Samples back"), self.return_samples),
                           (self.tr("Return to vendor"), self.return_to_vendor)):
            steps.addWidget(big_button(text, slot, name=self.tr("lot {step}").format(step=text.lower())))
        steps.addStretch(1)
        lay.addLayout(steps)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("lot summary"))
        lay.addWidget(self.summary)
        scan = QHBoxLayout()
        self.scan = QLineEdit()
        self.scan.setAccessibleName(self.tr("sample scans"))
        self.scan.setPlaceholderText(self.tr("scan sampled units (separated by spaces)"))
        scan.addWidget(self.scan, 1)
        scan.addWidget(big_button(self.tr("Send to shop"), self.pick, name=self.tr("pick to meter shop")))
        scan.addWidget(big_button(self.tr("Check in"), self.check_in, name=self.tr("check in at meter shop")))
        lay.addLayout(scan)
        self.samples = QTableWidget(0, len(SAMPLE_COLUMNS))
        self.samples.setHorizontalHeaderLabels([self.tr(c) for c in SAMPLE_COLUMNS])
        self.samples.setAccessibleName(self.tr("sampled units"))
        self.samples.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move inside it
        self.samples.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.samples.itemSelectionChanged.connect(self._selected)
        lay.addWidget(self.samples, 2)
        unit = QGridLayout()
        self.meter = QLineEdit()
        self.meter.setAccessibleName(self.tr("meter under test"))
        self.port = QLineEdit()
        self.port.setAccessibleName(self.tr("optical probe"))
        self.port.setPlaceholderText(self.tr("COM3, /dev/ttyUSB0 or socket://127.0.0.1:PORT"))
        self.fl, self.ll, self.pf = _spin("full load"), _spin("light load"), _spin("power factor")
        self.csv = QLineEdit()
        self.csv.setAccessibleName(self.tr("test-board file"))
        self.csv.setPlaceholderText(self.tr("test-board CSV: meter_number,full_load_pct,light_load_pct,power_factor_pct"))
        unit.addWidget(QLabel(self.tr("Meter")), 0, 0)
        unit.addWidget(self.meter, 0, 1)
        unit.addWidget(QLabel(self.tr("Probe")), 0, 2)
        unit.addWidget(self.port, 0, 3)
        unit.addWidget(big_button(self.tr("Optical tests"), self.run_tests, name=self.tr("run comms and switch tests")), 0, 4)
        unit.addWidget(QLabel(self.tr("FL / LL / PF")), 1, 0)
        loads = QHBoxLayout()
        for s in (self.fl, self.ll, self.pf):
            loads.addWidget(s)
        unit.addLayout(loads, 1, 1, 1, 3)
        unit.addWidget(big_button(self.tr("Record accuracy"), self.record_accuracy), 1, 4)
        unit.addWidget(QLabel(self.tr("Test board")), 2, 0)
        unit.addWidget(self.csv, 2, 1, 1, 3)
        unit.addWidget(big_button(self.tr("Import CSV"), self.import_csv, name=self.tr("import test-board file")), 2, 4)
        lay.addLayout(unit)
        report = QHBoxLayout()
        self.report_path = QLineEdit()
        self.report_path.setAccessibleName(self.tr("report file"))
        self.report_path.setPlaceholderText(self.tr("lot-report.pdf or lot-report.html"))
        report.addWidget(self.report_path, 1)
        report.addWidget(big_button(self.tr("Write report"), self.write_report))
        lay.addLayout(report)
        lay.addWidget(self.ops)

    # --- helpers --------------------------------------------------------------------------------------
    def _lot_id(self) -> str | None:
        lot = self.lot.text().strip()
        if not lot:
            self.banner.show_message(self.tr("Type or scan the lot first."), "warn")
        return lot or None

    def _run(self, label: str, fn, *, message=None, kind: str = "store") -> None:
        """Run ``fn()`` in the background, then show ``message(result)`` and refresh the lot."""
        lot = self.lot.text().strip()

        def done(result) -> None:
            if message:
                self.banner.show_message(message(result), "info")
            if lot:
                self.refresh()

        self.ops.start(label, lambda op: fn(), kind=kind, on_success=done)

    def _who(self) -> str:
        return self.ctx.user.name

    # --- lot steps ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        if lot := self._lot_id():
            self.ops.start(self.tr("Lot {lot}").format(lot=lot), lambda op: self.service.status(lot), kind="store", on_success=self._show)

    def open_lot(self) -> None:
        if lot := self._lot_id():
            doc = self.document.text().strip()
            self._run(self.tr("Opening the lot"), lambda: self.service.receive_lot(lot, None, document=doc, actor=self._who()),
                      message=lambda r: self.tr("Lot {lot}: {n} units received.").format(lot=r.lot_id, n=r.lot_size))

    def plan(self) -> None:
        if lot := self._lot_id():
            self._run(self.tr("Choosing the plan"), lambda: self.service.plan(lot, actor=self._who()),
                      message=lambda r: self.tr("Plan {scheme} (seed {seed}): pick {n}.").format(
                          scheme=r["plan"]["scheme"], seed=r["seed"], n=len(r["pick_list"])))

    def _scans(self) -> list[str]:
        return self.scan.text().split()

    def pick(self) -> None:
        if lot := self._lot_id():
            units = self._scans()
            self._run(self.tr("Sending to the shop"), lambda: self.service.pick(lot, units, actor=self._who()).as_dict(),
                      message=lambda r: self.tr("{moved} sent, {refused} refused.").format(
                          moved=len(r["moved"]), refused=len(r["refused"])))

    def check_in(self) -> None:
        if lot := self._lot_id():
            units = self._scans()
            self._run(self.tr("Checking in"), lambda: self.service.check_in(lot, units, actor=self._who()).as_dict(),
                      message=lambda r: self.tr("{moved} checked in, {refused} refused.").format(
                          moved=len(r["moved"]), refused=len(r["refused"])))

    def decide(self) -> None:
        if lot := self._lot_id():
            self._run(self.tr("Deciding"), lambda: self.service.decide(lot, actor=self._who()),
                      message=lambda r: self.tr("Sample {stage}: {defects} defective: {decision}.").format(
                          stage=r["stage"], defects=r["defects"], decision=r["decision"]))

    def return_samples(self) -> None:
        if lot := self._lot_id():
            self._run(self.tr("Samples back to the warehouse"), lambda: self.service.return_samples(lot, actor=self._who()),
                      message=lambda r: self.tr("{returned} returned, {released} released.").format(
                          returned=len(r["returned"]), released=len(r["released"])))

    def return_to_vendor(self) -> None:
        if lot := self._lot_id():
            rma = self.document.text().strip()
            self._run(self.tr("Returning to the vendor"),
                      lambda: self.service.return_to_vendor(lot, actor=self._who(), document=rma),
                      message=lambda r: self.tr("{n} unit(s) on their way back to the vendor.").format(n=len(r["moved"])))

    # --- unit tests -----------------------------------------------------------------------------------
    def run_tests(self) -> None:
        lot, meter, port = self._lot_id(), self.meter.text().strip(), self.port.text().strip()
        if not lot or not meter or not port:
            self.banner.show_message(self.tr("Choose the lot, the meter and the probe port."), "warn")
            return
        service, who, clock = self.service, self._who(), self.ctx.clock
        optical = self.ctx.config.section("optical")

        def work(op):  # worker thread: the probe's port thread does the talking
            from fieldtool.services.bench_meter import open_bench_meter

            def progress(i, n, text):
                op.progress(i / max(n, 1), text)

            link = open_bench_meter(port, clock=clock, settings=optical)
            try:
                comms = service.run_comms(lot, meter, link, actor=who, progress=progress, cancel=op.cancel_event)
                switch = service.run_disconnect(lot, meter, link, actor=who, progress=progress,
                                                cancel=op.cancel_event)
                return [comms, switch]
            finally:
                link.close()

        self.ops.start(self.tr("Testing {meter}").format(meter=meter), work, kind="io", on_success=self._tested)

    def _tested(self, results: list[dict]) -> None:
        self.banner.show_message("; ".join(f"{r['test']}: {r['outcome']}" for r in results)
                                 + " — " + self.tr("verdict {verdict}").format(verdict=results[-1]["verdict"] or self.tr("open")), "info")
        self.refresh()

    def record_accuracy(self) -> None:
        lot, meter = self._lot_id(), self.meter.text().strip()
        if not lot or not meter:
            return
        regs = {LoadPoint.FULL_LOAD: self.fl.value(), LoadPoint.LIGHT_LOAD: self.ll.value(),
                LoadPoint.POWER_FACTOR: self.pf.value()}
        self._run(self.tr("Recording accuracy"), lambda: self.service.record_accuracy(lot, meter, regs, actor=self._who()),
                  message=lambda r: self.tr("{meter}: accuracy {outcome}.").format(meter=meter, outcome=r["outcome"]))

    def import_csv(self) -> None:
        lot, path = self._lot_id(), self.csv.text().strip()
        if not lot or not path:
            return

        def work():
            try:
                with open(path, encoding="utf-8", newline="") as f:
                    rows = parse_test_board_csv(f.read())
            except (OSError, UnicodeDecodeError) as e:
                raise InputError(f"The test-board file {path} cannot be read: {e}") from e
            return self.service.import_accuracy(lot, rows, actor=self._who(), source=f"csv:{path}")

        self._run(self.tr("Importing the test board"), work,
                  message=lambda r: self.tr("{recorded} recorded, {refused} refused.").format(
                      recorded=sum("error" not in x for x in r), refused=sum("error" in x for x in r)))

    def write_report(self) -> None:
        lot, path = self._lot_id(), self.report_path.text().strip()
        if not lot or not path:
            return
        from fieldtool.services.report import write_lot_report

        status = self.service.status(lot)
        written = write_lot_report(status, path, generated_at=self.ctx.clock.now().isoformat(timespec="seconds"))
        self.banner.show_message(self.tr("Report written: {path}").format(path=written), "info")

    # --- display --------------------------------------------------------------------------------------
    def _show(self, status: dict) -> None:
        self.status = status
        plan = status.get("plan") or {}
        self.summary.setText(
            self.tr("Lot {lot} · {n} units · {status}").format(lot=status["lot_id"], n=status["lot_size"],
                                                               status=status["status"])
            + (" · " + self.tr("plan {letter} {scheme} · seed {seed}").format(
                letter=plan.get("plan_letter"), scheme=plan.get("scheme"), seed=status["seed"]) if plan else "")
            + (" · " + self.tr("decision {decision}").format(decision=status["decision"])
               if status.get("decision") else ""))
        self.samples.setRowCount(len(status["samples"]))
        for r, s in enumerate(status["samples"]):
            tests = s["tests"]
            cells = [s["stage"], s["asset_id"], s["state"].replace("_", " ")] + [
                tests.get(t, {}).get("outcome", "—") for t in ("comms", "disconnect", "accuracy", "han")
            ] + [s["verdict"] or "open"]
            for c, value in enumerate(cells):
                self.samples.setItem(r, c, QTableWidgetItem(str(value)))
        self.samples.resizeColumnsToContents()

    def _selected(self) -> None:
        rows = {i.row() for i in self.samples.selectedItems()}
        if rows and self.status:
            self.meter.setText(self.status["samples"][min(rows)]["asset_id"])
