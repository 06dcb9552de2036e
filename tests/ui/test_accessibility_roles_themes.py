"""Accessibility and keyboard: for every role and every theme, every control a person can operate has an
accessible name and a touch-sized height, Alt+N puts the keyboard focus on the page's first control, and an
alert stands out by colour and border (never by sound alone)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible, QColor
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QSlider,
    QTextEdit,
    QWidget,
)

from fieldtool.config import load_config
from fieldtool.domain.roles import Role
from fieldtool.services.context import AppContext
from fieldtool.services.users import LocalUser
from fieldtool.ui.main_window import MainWindow, UiState
from fieldtool.ui.pages import PAGES
from fieldtool.ui.qt import Qt
from fieldtool.ui.theme import PALETTES, apply_theme
from fieldtool.ui.widgets import Banner

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QPlainTextEdit, QTextEdit,
            QSlider)  # fmt: skip
MIN_HEIGHT = 44  # px: a gloved finger on a touch screen


def _controls(page: QWidget):
    """The controls a person operates on the page; the inner parts of a composite control (a combo box's line
    edit, a table's headers) are reached through it and are not counted separately."""
    for w in page.findChildren(QWidget):
        if not isinstance(w, CONTROLS) or not w.isVisibleTo(page):
            continue
        parent, inner = w.parentWidget(), False
        while parent is not None and parent is not page:
            inner |= isinstance(parent, CONTROLS) and not isinstance(parent, QAbstractButton)
            parent = parent.parentWidget()
        if not inner:
            yield w


def _name(w: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(w)
    return (iface.text(QAccessible.Text.Name) if iface is not None else "").strip()


def _window(ctx, role: Role, theme: str) -> MainWindow:
    apply_theme(QApplication.instance(), theme, 12)
    c = AppContext(ctx.paths, load_config(ctx.paths), ctx.store, user=LocalUser("a11y", role))
    window = MainWindow(c, PAGES, UiState(theme, 12))
    window.resize(1280, 800)
    return window


def test_every_control_is_named_and_touch_sized_for_every_role_and_theme(qtbot, ctx):
    seen, problems = set(), []
    for role in Role:
        window = _window(ctx, role, "normal")
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        for theme in PALETTES:
            apply_theme(QApplication.instance(), theme, 12)
            for page in window.pages:
                window.go_to(page)
                qtbot.waitUntil(lambda p=page, w=window: w.stack.currentWidget() is p and p.isVisible())
                QApplication.processEvents()  # the style sheet's sizes are laid out
                seen.add(type(page))
                for w in _controls(page):
                    label = f"{theme}/{role}/{page.title}: {type(w).__name__} {getattr(w, 'text', lambda: '')()!r}"
                    if not _name(w):
                        problems.append(f"{label} has no accessible name")
                    if isinstance(w, QAbstractButton | QLineEdit | QComboBox) and w.height() < MIN_HEIGHT:
                        problems.append(f"{label} is {w.height()} px high")
        for b in window.buttons.buttons():
            assert b.height() >= MIN_HEIGHT and _name(b)
        window.close()
    assert seen == set(PAGES)  # every page was shown to some role
    assert not problems, "\n".join(sorted(set(problems)))


def test_alt_n_puts_the_focus_on_each_pages_first_control(qtbot, ctx):
    for role in Role:
        window = _window(ctx, role, "normal")
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(lambda w=window: QApplication.activeWindow() is w)
        window.buttons.button(0).setFocus()  # start from the mode buttons, as after a click
        for index, page in reversed(list(enumerate(window.pages))):
            qtbot.keyClick(window, Qt.Key(Qt.Key.Key_1 + index), Qt.KeyboardModifier.AltModifier)
            assert window.stack.currentWidget() is page, f"{role}: Alt+{index + 1} did not show {page.title}"
            focused = QApplication.focusWidget()
            assert focused is not None and page.isAncestorOf(focused), f"{role}/{page.title}: focus on {focused}"
            assert focused.focusPolicy() & Qt.FocusPolicy.TabFocus
        window.close()


@pytest.mark.parametrize("theme", list(PALETTES))
def test_alerts_stand_out_without_sound(qtbot, theme):
    apply_theme(QApplication.instance(), theme, 12)
    host = QWidget()
    qtbot.addWidget(host)
    banner = Banner(host)
    banner.resize(600, 80)
    host.resize(640, 120)
    host.show()
    assert banner.isHidden()
    window_bg = host.grab().toImage().pixelColor(630, 110)
    for severity in ("block", "warn"):
        banner.show_message("Meter not issued to you: scan another meter.", severity)
        assert banner.isVisible() and severity in banner.accessibleDescription()
        img = banner.grab().toImage()
        inside = img.pixelColor(img.width() // 2, img.height() - 8)
        assert _distance(inside, window_bg) > 60, f"{theme}/{severity}: the alert does not stand out"
        assert banner.font().bold() or "bold" in QApplication.instance().styleSheet()


def _distance(a: QColor, b: QColor) -> int:
    return abs(a.red() - b.red()) + abs(a.green() - b.green()) + abs(a.blue() - b.blue())
