"""Scanning: the camera preview with the decoded symbols drawn on it, what each label means, and the scan
handed to the job being worked. Keyboard-wedge scanners need no screen: a burst of keys anywhere is a scan
(the main window's detector), and it lands here too.

The camera and the decoder run on an io worker (``devices.scanning.live``); the preview is sent to the GUI at
most ``PREVIEW_FPS`` times a second, downscaled, so the screen never holds up the camera.
"""

from __future__ import annotations

import time

import cv2

from fieldtool.devices.scanning.camera import Camera
from fieldtool.devices.scanning.dedup import ScanDeduplicator
from fieldtool.devices.scanning.factory import decoder_from_settings
from fieldtool.devices.scanning.live import live_scans
from fieldtool.domain.labels import parse_label
from fieldtool.ui.main_window import Page
from fieldtool.ui.qt import (
    QT_TRANSLATE_NOOP,
    QColor,
    QCoreApplication,
    QHBoxLayout,
    QImage,
    QLabel,
    QLineEdit,
    QListWidget,
    QObject,
    QPainter,
    QPen,
    QPixmap,
    Qt,
    QVBoxLayout,
    Signal,
)
from fieldtool.ui.widgets import big_button, title

PREVIEW_FPS = 10
PREVIEW_WIDTH = 640


class _Frames(QObject):
    frame = Signal(QImage, list)  # the preview and the outlines of the symbols on it
    scan = Signal(str, str, bool)  # symbology, text, gs1


def describe(text: str, symbology: str | None = None, gs1: bool | None = None) -> str:
    label = parse_label(text, gs1=gs1, symbology=symbology)
    if label.kind == "unrecognised":
        return QCoreApplication.translate("ScanPage", "{text} — not recognised: {reason}").format(
            text=text, reason=label.reason)
    fields = ", ".join(f"{k}: {v}" for k, v in label.fields.items())
    meanings = ", ".join(f"{k}: {v}" for k, v in label.meanings.items())
    problems = "; ".join(label.problems)
    return " — ".join(x for x in (text, f"{label.kind}: {fields}", meanings, problems and QCoreApplication.translate("ScanPage", "PROBLEM: {problems}").format(problems=problems))
                      if x)


class ScanPage(Page):
    title = QT_TRANSLATE_NOOP("ScanPage", "Scan")
    capability = ""

    def __init__(self, window):
        super().__init__(window)
        self.signals = _Frames()
        self.signals.frame.connect(self._show_frame)
        self.signals.scan.connect(self.add_scan)
        lay = QVBoxLayout(self)
        lay.addWidget(title(self.tr("Scan labels")))
        lay.addWidget(self.banner)
        row = QHBoxLayout()
        self.source = QLineEdit()
        self.source.setPlaceholderText(self.tr("Camera number (0) or a video file"))
        self.source.setAccessibleName(self.tr("camera or video source"))
        self.source.setText(str(self.ctx.config.section("scanning").camera_device))
        row.addWidget(self.source, 2)
        self.start_button = big_button(self.tr("Start camera"), self.start_camera, primary=True)
        self.stop_button = big_button(self.tr("Stop"), self.stop_camera)
        row.addWidget(self.start_button)
        row.addWidget(self.stop_button)
        lay.addLayout(row)
        lay.addWidget(self.ops)
        body = QHBoxLayout()
        self.preview = QLabel(self.tr("No camera running."))
        self.preview.setMinimumSize(320, 240)
        self.preview.setAccessibleName(self.tr("camera preview"))
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body.addWidget(self.preview, 3)
        side = QVBoxLayout()
        self.scans = QListWidget()
        self.scans.setAccessibleName(self.tr("scans"))
        self.scans.setWordWrap(True)
        side.addWidget(QLabel(self.tr("Scans (newest first)")))
        side.addWidget(self.scans, 1)
        self.manual = QLineEdit()
        self.manual.setPlaceholderText(self.tr("Type or wedge-scan a label here, then Enter"))
        self.manual.setAccessibleName(self.tr("label text"))
        self.manual.returnPressed.connect(lambda: (self.add_scan("typed", self.manual.text(), False),
                                                   self.manual.clear()))
        side.addWidget(self.manual)
        self.use_button = big_button(self.tr("Use in the job"), self.use_in_job, name=self.tr("use the selected scan in the job"))
        side.addWidget(self.use_button)
        body.addLayout(side, 2)
        lay.addLayout(body, 1)
        self.last_text = ""

    def start_camera(self) -> None:
        text = self.source.text().strip() or "0"
        source: int | str = int(text) if text.isdigit() else text
        settings = self.ctx.config.section("scanning")
        signals = self.signals

        def work(op):
            decoder = decoder_from_settings(settings)
            camera = Camera(source, width=settings.camera_width, height=settings.camera_height,
                            fps=settings.camera_fps).start()
            preview = _PreviewTap(camera, signals)
            try:
                for scan in live_scans(preview, decoder, budget_s=settings.live_budget_ms / 1000,
                                       dedup=ScanDeduplicator(settings.dedup_hold_s), cancel=op.cancel_event):
                    preview.outline(scan.symbol.position)
                    signals.scan.emit(scan.symbol.symbology, scan.symbol.text, bool(scan.symbol.gs1))
            finally:
                camera.stop()
            return camera.error

        self.ops.start(self.tr("Camera running"), work, on_success=self._stopped)

    def stop_camera(self) -> None:
        self.ops.cancel()

    def _stopped(self, error) -> None:
        if error:
            self.banner.show_message(self.tr("The camera stopped: {error}").format(error=error), "warn")

    def _show_frame(self, image: QImage, outlines: list) -> None:
        pix = QPixmap.fromImage(image)
        if outlines:
            painter = QPainter(pix)
            painter.setPen(QPen(QColor("#00e000"), 4))
            for poly in outlines:
                for (x1, y1), (x2, y2) in zip(poly, poly[1:] + poly[:1], strict=True):
                    painter.drawLine(int(x1), int(y1), int(x2), int(y2))
            painter.end()
        self.preview.setPixmap(pix)

    def add_scan(self, symbology: str, text: str, gs1: bool) -> None:
        if not text.strip():
            return
        self.last_text = text.strip()
        self.scans.insertItem(0, f"[{symbology}] {describe(text, symbology, gs1)}")
        self.scans.setCurrentRow(0)

    def on_scan(self, text: str) -> None:
        """A keyboard-wedge scan while this screen is shown."""
        self.add_scan("wedge", text, False)

    def use_in_job(self) -> None:
        from fieldtool.ui.exchange_page import ExchangePage

        page = self.window_.page(ExchangePage)
        if page is None or not self.last_text:
            self.banner.show_message(self.tr("Scan something, and open a job first."), "warn")
            return
        if page.take_scan(self.last_text):
            self.window_.go_to(page)
        else:
            self.banner.show_message(self.tr("The job's current step takes no scanned number."), "info")


class _PreviewTap:
    """Stands in for the camera in ``live_scans``: passes frames through and sends a small copy to the
    screen now and then, with the outlines of what was read on the frame before."""

    def __init__(self, camera: Camera, signals: _Frames):
        self.camera = camera
        self.clock = camera.clock
        self.signals = signals
        self.last = 0.0
        self.scale = 1.0
        self.outlines: list = []

    def next_frame(self, timeout: float = 1.0):
        frame = self.camera.next_frame(timeout)
        now = time.monotonic()
        if frame is not None and now - self.last >= 1 / PREVIEW_FPS:
            self.last = now
            h, w = frame.image.shape[:2]
            self.scale = min(1.0, PREVIEW_WIDTH / w)
            small = cv2.resize(frame.image, (int(w * self.scale), int(h * self.scale)))
            rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)
            image = QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0], QImage.Format.Format_RGB888).copy()
            self.signals.frame.emit(image, self.outlines)
            self.outlines = []
        return frame

    def outline(self, position) -> None:
        self.outlines.append([(x * self.scale, y * self.scale) for x, y in position])
