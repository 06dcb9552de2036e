"""HAN devices: discover and diagnose the customer's HAN through the meter's ESI, provision devices (label scan or
typed install code, programs), and watch each device climb the readiness ladder with the live log (I1FR47).

For installers at the meter (optical probe) and customer representatives after installation. Every call
runs on an io worker through ``HanService`` with progress and Cancel; log entries arrive as they happen.
"""

from __future__ import annotations

from fieldtool.devices.han import OpticalHanTransport
from fieldtool.domain.labels import parse_label
from fieldtool.services.han import DeviceRequest, HanService
from fieldtool.ui.main_window import Page
from fieldtool.ui.meter_panel import MeterPanel
from fieldtool.ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QCheckBox,
    QCoreApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    Signal,
)
from fieldtool.ui.widgets import big_button, title

COLUMNS = ["EUI64", QT_TRANSLATE_NOOP("HanPage", "Type"), QT_TRANSLATE_NOOP("HanPage", "State"),
           QT_TRANSLATE_NOOP("HanPage", "Ladder"), "LQI", "RSSI dBm", QT_TRANSLATE_NOOP("HanPage", "Programs"),
           QT_TRANSLATE_NOOP("HanPage", "What to do")]
PROGRAMS = ("load_control", "price", "messaging")
_PROGRAM_WORDS = (QT_TRANSLATE_NOOP("HanPage", "load control"), QT_TRANSLATE_NOOP("HanPage", "price"),
                  QT_TRANSLATE_NOOP("HanPage", "messaging"))


class _Log(QObject):
    entry = Signal(str)


class HanPage(Page):
    title = QT_TRANSLATE_NOOP("HanPage", "HAN")
    capability = "han"

    def __init__(self, window):
        super().__init__(window)
        self.logs = _Log()
        self.logs.entry.connect(lambda text: self.log.appendPlainText(text))
        lay = QVBoxLayout(self)
        lay.addWidget(title(self.tr("HAN devices")))
        lay.addWidget(self.banner)
        row = QHBoxLayout()
        self.job = QLineEdit()
        self.job.setPlaceholderText(self.tr("Job or account the HAN work is kept with"))
        self.job.setAccessibleName(self.tr("job"))
        self.meter_number = QLineEdit()
        self.meter_number.setPlaceholderText(self.tr("Meter number"))
        self.meter_number.setAccessibleName(self.tr("meter number"))
        row.addWidget(self.job, 2)
        row.addWidget(self.meter_number, 1)
        row.addWidget(big_button(self.tr("Discover"), self.discover, primary=True, name=self.tr("discover HAN devices")))
        row.addWidget(big_button(self.tr("Diagnose"), self.diagnose, name=self.tr("diagnose the HAN")))
        lay.addLayout(row)
        lay.addWidget(self.ops)
        body = QHBoxLayout()
        left = QVBoxLayout()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("HanPage", c) for c in COLUMNS])
        self.table.setAccessibleName(self.tr("HAN devices"))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move inside it
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        self.table.horizontalHeader().setStretchLastSection(True)
        left.addWidget(self.table, 2)
        prov = QHBoxLayout()
        self.label = QLineEdit()
        self.label.setPlaceholderText(self.tr("Scan the device label, or type EUI64"))
        self.label.setAccessibleName(self.tr("device label or EUI64"))
        self.label.editingFinished.connect(self._parse_label)
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("Install code (grouped as printed)"))
        self.code.setAccessibleName(self.tr("install code"))
        prov.addWidget(self.label, 2)
        prov.addWidget(self.code, 2)
        self.program_boxes = []
        for p in PROGRAMS:
            box = QCheckBox(QCoreApplication.translate("HanPage", p.replace("_", " ")))
            box.setAccessibleName(self.tr("program {name}").format(name=p))
            box.setProperty("program", p)
            self.program_boxes.append(box)
            prov.addWidget(box)
        prov.addWidget(big_button(self.tr("Provision"), self.provision, primary=True, name=self.tr("provision the device")))
        left.addLayout(prov)
        self.code_state = QLabel("")
        self.code_state.setAccessibleName(self.tr("install code check"))
        left.addWidget(self.code_state)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setAccessibleName(self.tr("HAN log"))
        left.addWidget(QLabel(self.tr("Every HAN interaction, live")))
        left.addWidget(self.log, 1)
        body.addLayout(left, 3)
        self.meter = MeterPanel(self.ctx)
        body.addWidget(self.meter, 2)
        lay.addLayout(body, 1)
        self.code.textChanged.connect(self._check_code)

    # -- input -----------------------------------------------------------------------------------------------
    def _parse_label(self) -> None:
        label = parse_label(self.label.text())
        if label.kind == "install_code":
            if label.fields.get("eui64"):
                self.label.setText(label.fields["eui64"])
            if label.fields.get("install_code"):
                self.code.setText(label.fields["install_code"])

    def _check_code(self, text: str) -> None:
        """The CRC checked as the code is typed: never corrected, only reported."""
        from fieldtool.protocols.han.install_code import InstallCodeError, derive_link_key

        if not text.strip():
            self.code_state.setText("")
            return
        try:
            derive_link_key(text)
        except InstallCodeError as e:
            self.code_state.setText(str(e))
            self.code_state.setProperty("severity", "warn")
        else:
            self.code_state.setText(self.tr("Install code CRC correct."))
            self.code_state.setProperty("severity", "ok")
        self.code_state.style().unpolish(self.code_state)
        self.code_state.style().polish(self.code_state)

    def on_scan(self, text: str) -> None:
        self.label.setText(text)
        self._parse_label()

    def activated(self) -> None:
        from fieldtool.ui.exchange_page import ExchangePage

        page = self.window_.page(ExchangePage)
        if page is not None and page.job_id and not self.job.text():
            self.job.setText(page.job_id)
            meter = (page.shown or {}).get("captured", {}).get("new_meter_number")
            if meter:
                self.meter_number.setText(meter)

    # -- work ------------------------------------------------------------------------------------------------
    def _run(self, label: str, fn, on_success) -> None:
        url, job = self.meter.url(), self.job.text().strip()
        if not url or not job:
            self.banner.show_message(self.tr("Give the job (or account) and choose the optical port first."), "warn")
            return
        self.banner.clear_message()
        ctx, logs, panel = self.ctx, self.logs, self.meter

        def work(op):
            settings = ctx.config.section("han")
            svc = HanService(ctx.store, settings=settings, clock=ctx.clock, vault=ctx.vault,
                             on_log=lambda e: logs.entry.emit(f"{e.at[11:19]} {e.path} {e.kind} "
                                                              f"{e.eui64 or ''} {e.text}"))
            transport = OpticalHanTransport(panel.link_for(url), settings)
            return fn(svc, transport, job, op)

        self.ops.start(label, work, on_success=on_success)

    def discover(self) -> None:
        self._run(self.tr("Discovering HAN devices"), lambda svc, t, job, op: svc.discover(job, t), self._show_devices)

    def diagnose(self) -> None:
        self._run(self.tr("Diagnosing the HAN"), lambda svc, t, job, op: svc.diagnose(job, t), self._show_devices)

    def provision(self) -> None:
        eui = self.label.text().strip()
        code = self.code.text().strip() or None
        programs = tuple(b.property("program") for b in self.program_boxes if b.isChecked())
        meter_number = self.meter_number.text().strip()
        request = DeviceRequest(eui, code, programs)

        def fn(svc, t, job, op):
            outcomes = svc.provision(job, t, [request], meter_number=meter_number,
                                     progress=lambda step, f: op.progress(f, step), cancel=op.cancel_event)
            return {"devices": [o.to_json() for o in outcomes]}

        self._run(self.tr("Provisioning {eui}").format(eui=eui), fn, self._show_outcomes)

    # -- showing ---------------------------------------------------------------------------------------------
    def _show_devices(self, found: dict) -> None:
        guidance = {f["eui64"]: f["guidance"] for f in found.get("findings", [])}
        rows = [(d["eui64"], d["device_type"], d["state"], "", str(d["lqi"]), str(d["rssi_dbm"]),
                 ", ".join(d["programs"]), guidance.get(d["eui64"], "")) for d in found["devices"]]
        self._fill(rows)
        if found.get("ok") is True:
            self.banner.show_message(self.tr("The HAN looks healthy: nothing needs attention."), "ok")
        elif guidance.get(None):
            self.banner.show_message(guidance[None], "warn")

    def _show_outcomes(self, result: dict) -> None:
        rows = []
        for o in result["devices"]:
            d = o.get("device") or {}
            rows.append((o["eui64"], d.get("device_type", ""), o["rung"], f"{int(o['progress'] * 100)} %",
                         str(d.get("lqi", "")), str(d.get("rssi_dbm", "")), ", ".join(d.get("programs", [])),
                         o.get("guidance") or ""))
            if o.get("guidance"):
                self.banner.show_message(o["guidance"], "warn")
            elif o["rung"] == "participating":
                self.banner.show_message(self.tr("{eui} is provisioned and participating.").format(eui=o["eui64"]), "ok")
        self._fill(rows)

    def _fill(self, rows) -> None:
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(r, c, item)
