import pytest

from fieldtool.ui.qt import QApplication, QPushButton
from fieldtool.ui.theme import PALETTES, apply_theme, style_sheet


@pytest.mark.parametrize("theme", list(PALETTES))
def test_every_theme_gives_44px_targets(qtbot, theme):
    apply_theme(QApplication.instance(), theme, 14)
    b = QPushButton("OK")
    qtbot.addWidget(b)
    b.show()
    assert b.sizeHint().height() >= 44 or b.minimumSizeHint().height() >= 44
    assert "$" not in style_sheet(theme)
    apply_theme(QApplication.instance(), "normal", 12)


def test_unknown_theme_is_refused():
    with pytest.raises(ValueError):
        style_sheet("disco")
