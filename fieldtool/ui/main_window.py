"""The main window: a column of big mode buttons (by role), the screens, and the status bar.

Screens are ``Page`` widgets registered with the capability they need; the role of the person logged in
decides which are shown. Keyboard: Alt+1..9 switch screens, Ctrl+T cycles the theme (normal, sunlight,
night), Ctrl+= / Ctrl+- change the font size, F1 shows the keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldtool.domain.roles import can
from fieldtool.ui.qt import (
    QApplication,
    QButtonGroup,
    QCoreApplication,
    QEvent,
    QHBoxLayout,
    QKeySequence,
    QLabel,
    QMainWindow,
    QObject,
    QShortcut,
    QStackedWidget,
    Qt,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from fieldtool.ui.theme import PALETTES, apply_theme
from fieldtool.ui.widgets import Banner, OpStrip


class Page(QWidget):
    """A screen. Subclasses set ``title`` and ``capability``; ``activated()`` runs when it is shown."""

    title = ""
    capability = ""

    def __init__(self, window: MainWindow):
        super().__init__()
        self.window_ = window
        self.ctx = window.ctx
        self.banner = Banner()
        self.ops = OpStrip(self.banner)
        self.setAccessibleName(self.display_title())

    @classmethod
    def display_title(cls) -> str:
        """The title in the language of the person (class titles are marked with QT_TRANSLATE_NOOP)."""
        return QCoreApplication.translate(cls.__name__, cls.title)

    def activated(self) -> None:
        pass

    def on_scan(self, text: str) -> None:
        """A keyboard-wedge scan arrived while this screen is shown (the text also went to the focused field)."""

    def wire(self) -> None:
        """Connect to the other screens once all exist (e.g. the job list opens a job in the exchange)."""


class WedgeFilter(QObject):
    """Watches every key press of the application: a fast burst ending in Enter or Tab is a scan (the
    focused field got the characters as usual; the current screen is told, and the status bar shows it)."""

    def __init__(self, window: MainWindow, detector):
        super().__init__(window)
        self.window_ = window
        self.detector = detector

    def eventFilter(self, obj, event):  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.KeyPress and not event.isAutoRepeat():
            key = event.key()
            char = "\r" if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) else "\t" if key == Qt.Key.Key_Tab else event.text()
            if char:
                scan = self.detector.feed(char, event.timestamp() / 1000)
                if scan is not None:
                    self.window_.scanned(scan.text)
        return False


def focus_first(page: QWidget) -> QWidget | None:
    """Put the keyboard focus on the page's first control (in tab order) unless it already is inside the page,
    so Alt+N lands where typing or scanning starts."""
    now = QApplication.focusWidget()
    if now is not None and page.isAncestorOf(now):
        return now
    w = page.nextInFocusChain()
    while w is not None and w is not page and page.isAncestorOf(w):
        if w.isVisibleTo(page) and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
            w.setFocus(Qt.FocusReason.TabFocusReason)
            return w
        w = w.nextInFocusChain()
    return None


@dataclass
class UiState:
    theme: str = "normal"
    font_pt: int = 12


class MainWindow(QMainWindow):
    def __init__(self, ctx, page_classes: list[type[Page]], ui: UiState | None = None):
        super().__init__()
        self.ctx = ctx
        self.ui = ui or UiState()
        self.setWindowTitle(self.tr("fieldtool — {name} ({role})").format(name=ctx.user.name, role=ctx.user.role))
        self.setAccessibleName(self.tr("fieldtool main window"))
        central = QWidget()
        layout = QHBoxLayout(central)
        nav = QVBoxLayout()
        self.stack = QStackedWidget()
        self.buttons = QButtonGroup(self)
        self.buttons.setExclusive(True)
        self.pages: list[Page] = []
        for cls in page_classes:
            if cls.capability and not can(ctx.user.role, cls.capability):
                continue
            page = cls(self)
            index = len(self.pages)
            self.pages.append(page)
            self.stack.addWidget(page)
            b = QToolButton()
            name = page.display_title()
            b.setText(f"{name}\nAlt+{index + 1}" if index < 9 else name)
            b.setAccessibleName(name)
            b.setCheckable(True)
            b.setMinimumSize(140, 64)
            self.buttons.addButton(b, index)
            nav.addWidget(b)
            if index < 9:
                QShortcut(QKeySequence(f"Alt+{index + 1}"), self, activated=lambda i=index: self.show_page(i))
        for page in self.pages:
            page.wire()
        nav.addStretch(1)
        self.buttons.idClicked.connect(self.show_page)
        layout.addLayout(nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        if getattr(ctx, "sync", None) is not None:
            from fieldtool.ui.sync_widgets import SyncBar

            self.sync_bar = SyncBar(ctx.sync)
            self.statusBar().addWidget(self.sync_bar, 1)
        self.user_label = QLabel(f"{ctx.user.name} · {ctx.user.role}")
        self.statusBar().addPermanentWidget(self.user_label)
        QShortcut(QKeySequence("Ctrl+T"), self, activated=self.cycle_theme)
        QShortcut(QKeySequence("Ctrl+="), self, activated=lambda: self.set_font(self.ui.font_pt + 1))
        QShortcut(QKeySequence("Ctrl+-"), self, activated=lambda: self.set_font(self.ui.font_pt - 1))
        from fieldtool.devices.scanning.inputs import WedgeDetector

        self.wedge = WedgeFilter(self, WedgeDetector.from_settings(ctx.config.section("scanning")))
        QApplication.instance().installEventFilter(self.wedge)
        if self.pages:
            self.show_page(0)

    def show_page(self, index: int) -> None:
        if not 0 <= index < len(self.pages):
            return
        self.stack.setCurrentIndex(index)
        self.buttons.button(index).setChecked(True)
        self.pages[index].activated()
        focus_first(self.pages[index])

    def page(self, cls: type[Page]) -> Page | None:
        return next((p for p in self.pages if isinstance(p, cls)), None)

    def go_to(self, page: Page) -> None:
        self.show_page(self.pages.index(page))

    def scanned(self, text: str) -> None:
        self.statusBar().showMessage(self.tr("Scanned: {text}").format(text=text), 5000)
        page = self.stack.currentWidget()
        if isinstance(page, Page):
            page.on_scan(text)

    def closeEvent(self, event):  # noqa: N802 - Qt's name
        QApplication.instance().removeEventFilter(self.wedge)
        super().closeEvent(event)

    def cycle_theme(self) -> None:
        names = list(PALETTES)
        self.ui.theme = names[(names.index(self.ui.theme) + 1) % len(names)]
        apply_theme(QApplication.instance(), self.ui.theme, self.ui.font_pt)
        self.statusBar().showMessage(self.tr("Theme: {theme}").format(theme=self.ui.theme), 3000)

    def set_font(self, pt: int) -> None:
        self.ui.font_pt = max(9, min(28, pt))
        apply_theme(QApplication.instance(), self.ui.theme, self.ui.font_pt)
