"""Small widgets shared by every screen: big buttons, alert banners, a progress strip with cancel."""

from __future__ import annotations

from collections.abc import Callable

from fieldtool.ui.ops import Op, error_text
from fieldtool.ui.qt import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget


def big_button(text: str, on_click: Callable[[], None] | None = None, *, primary: bool = False,
               name: str | None = None) -> QPushButton:
    b = QPushButton(text)
    b.setAccessibleName(name or text.replace("&", ""))
    b.setMinimumHeight(44)
    if primary:
        b.setProperty("primary", True)
    if on_click is not None:
        b.clicked.connect(on_click)
    return b


def title(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "title")
    label.setAccessibleName(text)
    return label


class Banner(QLabel):
    """An alert that stands out without sound: colour, heavy border, and words that say what to do."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setAccessibleName(self.tr("alert"))
        self.hide()

    def show_message(self, text: str, severity: str = "info") -> None:
        self.setProperty("severity", severity)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setText(text)
        self.setAccessibleDescription(f"{severity}: {text}")
        self.show()

    def clear_message(self) -> None:
        self.setText("")
        self.hide()


class OpStrip(QFrame):
    """Progress and Cancel for whatever background operation the screen is running; errors go to a banner."""

    def __init__(self, banner: Banner, parent: QWidget | None = None):
        super().__init__(parent)
        self.banner = banner
        self.op: Op | None = None
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("")
        self.bar = QProgressBar()
        self.bar.setAccessibleName(self.tr("progress"))
        self.cancel_button = big_button(self.tr("Cancel"), self.cancel, name=self.tr("cancel operation"))
        lay.addWidget(self.label, 2)
        lay.addWidget(self.bar, 3)
        lay.addWidget(self.cancel_button)
        self.hide()

    def start(self, label: str, fn, *, kind: str = "io", on_success=None, on_failure=None) -> Op:
        """Run ``fn(ctx)`` in the background, showing progress; success goes to ``on_success(result)``."""
        if self.op is not None and self.op.running:
            self.op.cancel()
        self.label.setText(label)
        self.bar.setRange(0, 0)
        self.show()

        def failed(e: Exception) -> None:
            self.banner.show_message(error_text(e), "block")
            if on_failure:
                on_failure(e)

        self.op = Op(
            fn,
            kind=kind,
            on_success=on_success,
            on_failure=failed,
            on_progress=self._progress,
            on_cancelled=lambda: self.banner.show_message(self.tr("{label}: cancelled.").format(label=label), "info"),
            on_finished=self.hide,
        ).run()
        return self.op

    def cancel(self) -> None:
        if self.op is not None:
            self.op.cancel()

    def _progress(self, fraction: float, text: str) -> None:
        if fraction < 0:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(fraction * 1000))
        if text:
            self.label.setText(text)
