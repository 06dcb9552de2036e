"""The coverage plot: where the network was tested and what the verdict was, on a local metric grid.

Draws ``services.coverage_export.plot_data`` — points east/north in metres — as dots coloured by verdict,
each with its GPS accuracy as a faint circle, a scale bar and a legend with counts. Paint only; the data is
computed off the GUI thread by whoever calls ``set_data``.
"""

from __future__ import annotations

import math
from typing import Any

from fieldtool.ui.qt import QColor, QPainter, QPen, QSize, Qt, QWidget

MARGIN = 28
DOT = 9
NICE = (1, 2, 5)


def _scale_length(span_m: float) -> float:
    """A round length (1, 2, 5 × 10^n m) near a quarter of the span."""
    target = max(span_m / 4, 1.0)
    exp = math.floor(math.log10(target))
    return max(n * 10**exp for n in NICE if n * 10**exp <= target * 1.5) if target >= 1 else 1.0


class CoveragePlot(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._data: dict[str, Any] = {"points": [], "counts": {}, "bounds": None}
        self.setMinimumSize(240, 200)
        self.setAccessibleName(self.tr("coverage plot"))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(480, 360)

    def set_data(self, data: dict[str, Any]) -> None:
        self._data = data
        self.setToolTip(self.summary())
        self.update()

    def summary(self) -> str:
        counts = self._data.get("counts") or {}
        if not counts:
            return self.tr("No coverage reports with a position yet.")
        return ", ".join(f"{n} {verdict}" for verdict, n in sorted(counts.items()))

    def to_pixels(self, x_m: float, y_m: float) -> tuple[int, int]:
        """Metres east/north to widget pixels: equal scale on both axes, north up."""
        b = self._data.get("bounds") or {"x_min": 0, "x_max": 0, "y_min": 0, "y_max": 0}
        span_x = max(b["x_max"] - b["x_min"], 1.0)
        span_y = max(b["y_max"] - b["y_min"], 1.0)
        w, h = self.width() - 2 * MARGIN, self.height() - 2 * MARGIN
        k = min(w / span_x, h / span_y)
        cx, cy = (b["x_min"] + b["x_max"]) / 2, (b["y_min"] + b["y_max"]) / 2
        return round(self.width() / 2 + (x_m - cx) * k), round(self.height() / 2 - (y_m - cy) * k)

    def metres_per_pixel(self) -> float:
        x0, _ = self.to_pixels(0, 0)
        x1, _ = self.to_pixels(100, 0)
        return 100 / max(abs(x1 - x0), 1e-9)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        points = self._data.get("points") or []
        if not points:
            p.setPen(self.palette().text().color())
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.summary())
            p.end()
            return
        mpp = self.metres_per_pixel()
        for pt in points:
            x, y = self.to_pixels(pt["x_m"], pt["y_m"])
            colour = QColor(pt["colour"])
            if pt.get("accuracy_m"):
                r = max(DOT, round(pt["accuracy_m"] / mpp))
                halo = QColor(colour)
                halo.setAlpha(50)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(halo)
                p.drawEllipse(x - r, y - r, 2 * r, 2 * r)
            p.setPen(QPen(QColor("#202020"), 1))
            p.setBrush(colour)
            p.drawEllipse(x - DOT // 2, y - DOT // 2, DOT, DOT)
        self._scale_bar(p, mpp)
        self._legend(p)
        p.end()

    def _scale_bar(self, p: QPainter, mpp: float) -> None:
        length = _scale_length(mpp * (self.width() - 2 * MARGIN))
        px = round(length / mpp)
        y = self.height() - 10
        p.setPen(QPen(self.palette().text().color(), 2))
        p.drawLine(MARGIN, y, MARGIN + px, y)
        label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
        p.drawText(MARGIN + px + 6, y + 4, label)

    def _legend(self, p: QPainter) -> None:
        from fieldtool.services.coverage_export import VERDICT_COLOURS

        counts = self._data.get("counts") or {}
        y = 16
        for verdict, colour in VERDICT_COLOURS.items():
            p.setPen(QPen(QColor("#202020"), 1))
            p.setBrush(QColor(colour))
            p.drawEllipse(8, y - 8, DOT, DOT)
            p.setPen(self.palette().text().color())
            p.drawText(8 + DOT + 6, y, f"{verdict} ({counts.get(verdict, 0)})")
            y += 16
