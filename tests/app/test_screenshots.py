"""``make screenshots``: every page and the job list in every theme render offscreen, non-blank, full size;
the committed images in docs/screenshots are the same set."""

from __future__ import annotations

from PySide6.QtGui import QImage

from fieldtool.ui.pages import PAGES
from fieldtool.ui.screenshots import ROOT, SIZE, render_all, slug
from fieldtool.ui.theme import PALETTES


def _distinct_colours(img: QImage, step: int = 16) -> int:
    return len({img.pixel(x, y) for x in range(0, img.width(), step) for y in range(0, img.height(), step)})


def test_every_screen_renders(qapp, tmp_path):
    written = render_all(tmp_path)
    expected = {f"{slug(c)}.png" for c in PAGES} | {f"jobs-{t}.png" for t in PALETTES}
    assert {p.name for p in written} == expected
    for path in written:
        img = QImage(str(path))
        assert img.width() == SIZE[0] and img.height() >= SIZE[1], path.name
        assert _distinct_colours(img) > 8, f"{path.name} looks blank"
    # the themes differ: the night job list is darker than the normal one
    normal, night = QImage(str(tmp_path / "jobs-normal.png")), QImage(str(tmp_path / "jobs-night.png"))
    assert normal.pixelColor(5, 5).lightness() > night.pixelColor(5, 5).lightness()
    assert expected <= {p.name for p in (ROOT / "docs" / "screenshots").glob("*.png")}
