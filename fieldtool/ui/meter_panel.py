"""The meter panel: choose the optical port (simulated meters are listed as such), connect, see the health
check with its critical and non-critical flags, and the session transcript as it is written.

Ports: the serial ports the machine has (pyserial's list), plus the simulated meters of a running
``python -m firmware_sim world`` listed in ``<data>/simulators.json`` (``make demo`` writes it), plus
anything typed (``socket://host:port``, a pty path). Connecting and identifying run on an io worker.
"""

from __future__ import annotations

import json
import threading

from serial.tools import list_ports

from fieldtool.devices.meter import MeterLink, meter_password
from fieldtool.ui.qt import (
    QComboBox,
    QCoreApplication,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTimer,
    QVBoxLayout,
)
from fieldtool.ui.widgets import Banner, OpStrip, big_button


def known_ports(data_dir) -> list[tuple[str, str]]:
    """(label, url) of every port worth offering."""
    out = [(f"{p.device} — {p.description}", p.device) for p in list_ports.comports()]
    sims = data_dir / "simulators.json"
    if sims.exists():
        try:
            for m in json.loads(sims.read_text(encoding="utf-8")).get("meters", []):
                out.append((QCoreApplication.translate("MeterPanel", "simulator: {profile} at {url}").format(
                    profile=m.get("profile", "meter"), url=m["url"]), m["url"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # a stale or foreign file: offer only the real ports
    return out


_links_lock = threading.Lock()


def shared_link(ctx, url: str) -> MeterLink:
    """The one ``MeterLink`` per port of this application (kept on the context)."""
    with _links_lock:
        links = ctx.__dict__.setdefault("meter_links", {})
        if url not in links:
            settings = ctx.config.section("optical")
            links[url] = MeterLink(url, settings=settings, clock=ctx.clock, password=meter_password(settings),
                                   transcript_dir=ctx.paths.log_dir / "optical")
        return links[url]


class MeterPanel(QGroupBox):
    def __init__(self, ctx):
        super().__init__()
        self.setTitle(self.tr("Meter (optical port)"))
        self.ctx = ctx
        self.setAccessibleName(self.tr("meter panel"))
        self._link: MeterLink | None = None
        lay = QVBoxLayout(self)
        row = QHBoxLayout()
        self.port = QComboBox()
        self.port.setEditable(True)
        self.port.setAccessibleName(self.tr("optical port"))
        row.addWidget(self.port, 1)
        row.addWidget(big_button(self.tr("Rescan"), self.rescan, name=self.tr("rescan ports")))
        row.addWidget(big_button(self.tr("Connect"), self.connect_meter, primary=True, name=self.tr("connect to the meter")))
        lay.addLayout(row)
        self.banner = Banner()
        lay.addWidget(self.banner)
        self.ops = OpStrip(self.banner)
        lay.addWidget(self.ops)
        self.identity = QLabel(self.tr("Not connected."))
        self.identity.setWordWrap(True)
        self.identity.setAccessibleName(self.tr("meter identity"))
        lay.addWidget(self.identity)
        self.health = QLabel("")
        self.health.setWordWrap(True)
        self.health.setAccessibleName(self.tr("meter health"))
        lay.addWidget(self.health)
        self.transcript = QPlainTextEdit()
        self.transcript.setReadOnly(True)
        self.transcript.setMaximumBlockCount(2000)
        self.transcript.setAccessibleName(self.tr("session transcript"))
        lay.addWidget(QLabel(self.tr("Session transcript")))
        lay.addWidget(self.transcript, 1)
        self._shown_lines = 0
        self.timer = QTimer(self)
        self.timer.setInterval(300)
        self.timer.timeout.connect(self._poll_transcript)
        self.timer.start()
        self.rescan()

    def rescan(self) -> None:
        current = self.port.currentText()
        self.port.clear()
        for label, url in known_ports(self.ctx.paths.data_dir):
            self.port.addItem(label, url)
        if current:
            self.port.setEditText(current)

    def url(self) -> str:
        data = self.port.currentData()
        text = self.port.currentText().strip()
        return data if data and self.port.itemText(self.port.currentIndex()) == text else text

    def link_for(self, url: str) -> MeterLink:
        """The link to the meter on ``url``, opened on first use and shared by every screen (one port, one
        worker). Call it on a worker: reading the meter password unlocks the vault, which takes a moment."""
        self._link = shared_link(self.ctx, url)
        return self._link

    def connect_meter(self) -> None:
        url = self.url()
        if not url:
            self.banner.show_message(self.tr("Choose or type the optical port first."), "warn")
            return

        def work(op):
            link = self.link_for(url)
            link.progress = lambda step, fraction: op.progress(fraction, step)
            link.external_cancel = op.cancel_event
            try:
                return link.identify_and_check_health()
            finally:
                link.external_cancel = None

        self.banner.clear_message()
        self.ops.start(self.tr("Connecting to the meter"), work, on_success=self._show)

    def _show(self, result: dict) -> None:
        i, h, reg = result["identity"], result["health"], result["registration"]
        self.identity.setText(self.tr("{maker} {model} · meter {meter} · serial {serial} · form {form} · {protocol} · "
                                      "network: {network}").format(
            maker=i.manufacturer, model=i.model, meter=i.meter_id, serial=i.serial, form=i.form or "?",
            protocol=i.protocol, network=reg.state))
        crit, non = h.critical, h.non_critical
        if crit:
            self.health.setText(self.tr("Critical: {flags}. Replace the meter.").format(flags=", ".join(crit)))
            self.health.setProperty("severity", "block")
        elif non:
            self.health.setText(self.tr("Healthy, with non-critical flags: {flags}").format(flags=", ".join(non)))
            self.health.setProperty("severity", "warn")
        else:
            self.health.setText(self.tr("Healthy: no status flags."))
            self.health.setProperty("severity", "ok")
        self.health.style().unpolish(self.health)
        self.health.style().polish(self.health)

    def _poll_transcript(self) -> None:
        link = self._link
        if link is None:
            return
        lines = link.transcript.lines()
        if link is not getattr(self, "_transcript_of", None) or len(lines) < self._shown_lines:
            self._transcript_of = link
            self._shown_lines = 0
            self.transcript.clear()
        for line in lines[self._shown_lines:]:
            self.transcript.appendPlainText(str(line))
        self._shown_lines = len(lines)
