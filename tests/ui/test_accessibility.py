"""Rugged-laptop accessibility, checked on the real main window of every role with every screen: accessible
names on every control, 44 px targets under every theme, Tab through every screen with a visible focus mark,
and Alt+1..9 to reach the screens."""

import pytest

from fieldtool.domain.roles import Role
from fieldtool.services.users import LocalUser
from fieldtool.ui.main_window import MainWindow
from fieldtool.ui.ops import pool
from fieldtool.ui.pages import PAGES
from fieldtool.ui.qt import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QColor,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTabBar,
    QToolButton,
    QWidget,
)
from fieldtool.ui.theme import PALETTES, apply_theme
from tests.ui.conftest import make_work_orders

CONTROLS = (QPushButton, QToolButton, QCheckBox, QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox,
            QPlainTextEdit)
TARGETS = (QPushButton, QToolButton, QLineEdit, QComboBox)  # what a gloved finger presses: >= 44 px
INSIDE = (QComboBox, QAbstractSpinBox, QLineEdit, QAbstractItemView, QTabBar, QPlainTextEdit)  # their own parts


def _describe(w: QWidget) -> str:
    text = w.text() if hasattr(w, "text") and callable(w.text) else ""
    return f"{type(w).__name__}({w.accessibleName() or w.objectName() or text!r})"


def controls(root: QWidget) -> list[QWidget]:
    """The controls a person uses on ``root`` (not the inner parts of a combo, a spin box or a table)."""
    out = []
    for w in root.findChildren(QWidget):
        if not isinstance(w, CONTROLS):
            continue
        p, inner = w.parentWidget(), False
        while p is not None and p is not root:
            if isinstance(p, INSIDE):
                inner = True
                break
            p = p.parentWidget()
        if not inner:
            out.append(w)
    return out


def _settle():
    for kind in ("store", "io"):
        pool(kind).waitForDone(10000)
    QApplication.processEvents()


@pytest.fixture
def window_for(qtbot, ctx):
    made = []

    def make(role: Role) -> MainWindow:
        ctx.user = LocalUser(f"a11y-{role}", role)
        w = MainWindow(ctx, PAGES)
        qtbot.addWidget(w)
        w.resize(1280, 800)
        w.show()
        qtbot.waitExposed(w)
        made.append(w)
        return w

    yield make
    for w in made:
        for page in w.pages:
            page.ops.cancel()
    _settle()
    apply_theme(QApplication.instance(), "normal", 12)


@pytest.mark.parametrize("role", list(Role))
def test_every_control_has_an_accessible_name_and_a_44px_target(window_for, role):
    w = window_for(role)
    assert w.pages, f"{role} sees no screen"
    unnamed = [_describe(c) for c in controls(w) if not c.accessibleName().strip()]
    assert unnamed == []
    for theme in PALETTES:
        apply_theme(QApplication.instance(), theme, 12)
        for i, page in enumerate(w.pages):
            w.show_page(i)
            QApplication.processEvents()
            small = []
            for c in controls(page) + [w.buttons.button(i)]:
                if not isinstance(c, TARGETS):
                    continue
                height = c.height() if c.isVisible() else c.minimumSizeHint().height()
                if height < 44:
                    small.append(f"{_describe(c)}: {height} px")
            assert small == [], f"{theme} theme, {page.title} screen"
    _settle()


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.TECHNICIAN, Role.PLANNER])
def test_tab_reaches_every_control_and_alt_digits_reach_every_screen(qtbot, ctx, window_for, role):
    ctx.store.work_orders.upsert_many(make_work_orders(50))  # a full table must not trap Tab in its cells
    w = window_for(role)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    for i, page in enumerate(w.pages[:9]):
        qtbot.keyClick(w, Qt.Key(Qt.Key.Key_1 + i), Qt.KeyboardModifier.AltModifier)
        assert w.stack.currentIndex() == i, f"Alt+{i + 1} did not open {page.title}"
        assert w.buttons.button(i).isChecked()
        qtbot.waitUntil(lambda p=page: not (p.ops.op and p.ops.op.running), timeout=10000)
        QApplication.processEvents()
        # everything a person can use must be on the Tab chain (a control only a mouse can focus fails)
        wanted = {c for c in controls(page) if c.isVisible() and c.isEnabled()
                  and c.focusPolicy() != Qt.FocusPolicy.NoFocus}
        assert wanted, page.title
        start = w.buttons.button(i)
        start.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(lambda s=start: QApplication.focusWidget() is s, timeout=2000)
        reached = []
        for _ in range(400):
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
            f = QApplication.focusWidget()
            if f is start:
                break
            reached.append(f)
        else:
            pytest.fail(f"Tab never came back round on {page.title}: stuck at {_describe(QApplication.focusWidget())}")
        missed = sorted(_describe(c) for c in wanted - set(reached))
        assert missed == [], f"Tab does not reach these on {page.title}"
    _settle()


@pytest.mark.parametrize("theme", list(PALETTES))
def test_the_focused_control_is_visibly_marked(qtbot, window_for, theme):
    apply_theme(QApplication.instance(), theme, 12)
    w = window_for(Role.SUPERVISOR)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    focus = QColor(PALETTES[theme]["focus"])
    page = w.pages[0]
    for c in (page.search, w.buttons.button(0), next(b for b in controls(page) if isinstance(b, QPushButton))):
        w.buttons.button(1).setFocus()
        QApplication.processEvents()
        before = c.grab().toImage()
        c.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(c.hasFocus, timeout=2000)
        after = c.grab().toImage()
        assert before != after, _describe(c)
        # the focus ring is the theme's focus colour along the left edge
        y = after.height() // 2
        edge = [QColor(after.pixel(x, y)) for x in range(0, 3)]
        assert any(abs(p.red() - focus.red()) + abs(p.green() - focus.green()) + abs(p.blue() - focus.blue()) < 40
                   for p in edge), f"{_describe(c)}: no {focus.name()} ring under the {theme} theme"
    _settle()
