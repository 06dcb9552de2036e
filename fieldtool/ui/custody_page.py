"""The custody scan screen: one screen for warehouse, meter shop, district and installer (I1FR3, I1FR14).

Choose the move, say where and under which document, then scan: each scan (a keyboard-wedge scanner types
the number and Enter) joins the list; a pallet or box label moves every unit packed in it, with exceptions
scanned one by one. "Apply" commits the moves in the background; each refusal is listed with its reason.
The history box shows one unit's whole custody history.
"""

from __future__ import annotations

import dataclasses

from fieldtool.domain.custody import DISPOSAL_MOVES, Move, MoveRequest
from fieldtool.domain.labels import parse_label
from fieldtool.services.custody import CustodyService
from fieldtool.ui.main_window import Page
from fieldtool.ui.qt import (
    QT_TRANSLATE_NOOP,
    QCheckBox,
    QComboBox,
    QCoreApplication,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)
from fieldtool.ui.widgets import big_button, title

HISTORY_COLUMNS = (QT_TRANSLATE_NOOP("CustodyPage", "When"), QT_TRANSLATE_NOOP("CustodyPage", "Move"), QT_TRANSLATE_NOOP("CustodyPage", "From"), QT_TRANSLATE_NOOP("CustodyPage", "To"),
                   QT_TRANSLATE_NOOP("CustodyPage", "Who"), QT_TRANSLATE_NOOP("CustodyPage", "Where"), QT_TRANSLATE_NOOP("CustodyPage", "Document"), QT_TRANSLATE_NOOP("CustodyPage", "Reason"))


def _table(headers, name: str) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels([QCoreApplication.translate("CustodyPage", h) for h in headers])
    t.setAccessibleName(name)
    t.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move inside it
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    return t


def _fill(table: QTableWidget, rows: list[tuple]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem("" if value is None else str(value)))
    table.resizeColumnsToContents()


class CustodyPage(Page):
    title = QT_TRANSLATE_NOOP("CustodyPage", "Custody")
    capability = "custody"

    def __init__(self, window):
        super().__init__(window)
        self.service = CustodyService(self.ctx.store, settings=self.ctx.config.section("custody"),
                                      clock=self.ctx.clock)
        self.rules = self.ctx.config.section("scanning").label_rules()
        lay = QVBoxLayout(self)
        lay.addWidget(title(self.tr("Custody scans")))
        lay.addWidget(self.banner)
        form = QFormLayout()
        self.move = QComboBox()
        self.move.setAccessibleName(self.tr("move"))
        self.move.addItems([m.value.replace("_", " ") for m in Move])
        self.location = QLineEdit()
        self.location.setAccessibleName(self.tr("location after the move"))
        self.document = QLineEdit()
        self.document.setAccessibleName(self.tr("document"))
        self.document.setPlaceholderText(self.tr("PO, ship notice, transfer, lot, work order or RMA number"))
        self.holder = QLineEdit()
        self.holder.setAccessibleName(self.tr("installer"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("reason"))
        self.disposal_method = QComboBox()
        self.disposal_method.setAccessibleName(self.tr("disposal method"))
        self.disposal_method.addItems(list(self.service.settings.disposal_methods))
        self.disposal_cost = QDoubleSpinBox()
        self.disposal_cost.setAccessibleName(self.tr("disposal cost"))
        self.disposal_cost.setMaximum(1e6)
        for label, widget in ((self.tr("Move"), self.move), (self.tr("Where"), self.location),
                              (self.tr("Document"), self.document), (self.tr("Installer"), self.holder),
                              (self.tr("Reason"), self.reason), (self.tr("Disposal method"), self.disposal_method),
                              (self.tr("Disposal cost"), self.disposal_cost)):
            form.addRow(label, widget)
        lay.addLayout(form)
        scan_row = QHBoxLayout()
        self.scan = QLineEdit()
        self.scan.setAccessibleName(self.tr("scan"))
        self.scan.setPlaceholderText(self.tr("scan a meter, or a pallet/box label"))
        self.scan.returnPressed.connect(self.add_scan)
        self.container = QCheckBox(self.tr("Pallet or box label"))
        self.container.setAccessibleName(self.tr("scan is a pallet or box label"))
        scan_row.addWidget(self.scan, 3)
        scan_row.addWidget(self.container)
        lay.addLayout(scan_row)
        self.scans = QListWidget()
        self.scans.setAccessibleName(self.tr("scanned units"))
        self.exceptions = QLineEdit()
        self.exceptions.setAccessibleName(self.tr("exceptions"))
        self.exceptions.setPlaceholderText(self.tr("units of the pallet to leave where they are, separated by spaces"))
        lay.addWidget(self.scans, 1)
        lay.addWidget(self.exceptions)
        buttons = QHBoxLayout()
        self.apply_button = big_button(self.tr("Apply move"), self.apply, primary=True)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(big_button(self.tr("Clear scans"), self.scans.clear))
        buttons.addStretch(1)
        lay.addLayout(buttons)
        self.results = _table((QT_TRANSLATE_NOOP("CustodyPage", "Unit"), QT_TRANSLATE_NOOP("CustodyPage", "Result")),
                              self.tr("move results"))
        lay.addWidget(self.results, 1)
        hist = QHBoxLayout()
        self.history_unit = QLineEdit()
        self.history_unit.setAccessibleName(self.tr("history of unit"))
        self.history_unit.setPlaceholderText(self.tr("meter number"))
        self.history_unit.returnPressed.connect(self.show_history)
        hist.addWidget(self.history_unit, 1)
        hist.addWidget(big_button(self.tr("Show history"), self.show_history))
        lay.addLayout(hist)
        self.history = _table(HISTORY_COLUMNS, self.tr("custody history"))
        lay.addWidget(self.history, 2)
        lay.addWidget(self.ops)
        self.last_result: dict | None = None

    def add_scan(self) -> None:
        """A scan joins the list; a carton label adds every meter it lists, a HAN label its EUI-64."""
        text = self.scan.text().strip()
        self.scan.clear()
        if not text:
            return
        label = parse_label(text, rules=self.rules)
        if label.kind == "packing" and label.fields.get("meter_numbers"):
            self.scans.addItems(label.fields["meter_numbers"])
        elif label.kind == "install_code" and label.fields.get("eui64"):
            self.scans.addItem(label.fields["eui64"])
        else:
            self.scans.addItem(text)  # a meter number, even one the utility's pattern does not know

    def _request(self) -> MoveRequest:
        move = Move(self.move.currentText().replace(" ", "_"))
        disposal = move in DISPOSAL_MOVES
        return MoveRequest(
            "", move, actor=self.ctx.user.name, at=self.ctx.clock.now(), location=self.location.text().strip(),
            document=self.document.text().strip(), reason=self.reason.text().strip(),
            holder=self.holder.text().strip() or None,
            disposal_method=self.disposal_method.currentText() if disposal else None,
            disposal_cost=self.disposal_cost.value() if disposal else None)

    def apply(self) -> None:
        units = [self.scans.item(i).text() for i in range(self.scans.count())]
        if not units:
            self.banner.show_message(self.tr("Scan a unit or a pallet label first."), "warn")
            return
        template, service = self._request(), self.service
        as_container, exceptions = self.container.isChecked(), self.exceptions.text().split()

        def work(op):  # worker thread: no widgets here
            def progress(i, n, text):
                op.progress(i / max(n, 1), text)

            if as_container:
                results = [service.move_container(c, template, exceptions=exceptions) for c in units]
            else:
                results = [service.move_many(units, template, progress=progress, cancel=op.cancel_event)]
            moved = [r.asset_id for res in results for r in res.moved]
            refused = [x for res in results for x in res.refused]
            excepted = [x for res in results for x in res.excepted]
            return {"moved": moved, "refused": refused, "excepted": excepted}

        self.ops.start(self.tr("{move}: {n} scan(s)").format(move=template.move.value.replace("_", " "), n=len(units)), work, kind="store",
                       on_success=self._applied)

    def _applied(self, result: dict) -> None:
        self.last_result = result
        rows = [(u, self.tr("moved")) for u in result["moved"]] + [(u, self.tr("left in place (exception)"))
                                                           for u in result["excepted"]]
        rows += [(r["asset_id"], self.tr("REFUSED: {reason}").format(reason=r["reason"])) for r in result["refused"]]
        _fill(self.results, rows)
        severity = "warn" if result["refused"] else "info"
        self.banner.show_message(self.tr("{moved} moved, {refused} refused, {excepted} left as exceptions.").format(
            moved=len(result["moved"]), refused=len(result["refused"]), excepted=len(result["excepted"])), severity)
        if not result["refused"]:
            self.scans.clear()

    def show_history(self) -> None:
        unit, service = self.history_unit.text().strip(), self.service
        if not unit:
            return
        self.ops.start(self.tr("History of {unit}").format(unit=unit), lambda op: service.history(unit), kind="store",
                       on_success=self._history)

    def _history(self, h: dict) -> None:
        rows = [(m.at.isoformat(timespec="seconds"), m.move.value, m.from_state.value if m.from_state else "",
                 m.to_state.value, m.actor, m.location, m.document, m.reason) for m in h["moves"]]
        _fill(self.history, rows)
        asset = dataclasses.asdict(h["asset"])
        self.banner.show_message(f"{asset['asset_id']}: {asset['state']} at {asset['location']}"
                                 + (f", value {asset['value']} {asset['currency']}" if asset["value"] else ""),
                                 "info")
