"""Projected stock of one district and item against its minimum, maximum and safety lines (the planner).

A plain QWidget drawn with QPainter, so it needs nothing beyond PySide6's QtGui/QtWidgets. Feed it one entry
of ``plan forecast``'s ``series`` (``domain.planreport.chart_series``) and the week starts. ``point_for``
maps a (week, quantity) to the pixel it is drawn at, which is what the tests check. GUI thread only.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

LINES = (  # key, label, colour, pen width, style; drawn in this order, stock last (on top)
    ("maximum", QT_TRANSLATE_NOOP("StockChart", "max"), QColor(46, 125, 50), 2, Qt.PenStyle.DashLine),
    ("minimum", QT_TRANSLATE_NOOP("StockChart", "min"), QColor(239, 108, 0), 2, Qt.PenStyle.DashLine),
    ("safety", QT_TRANSLATE_NOOP("StockChart", "safety (3 months)"), QColor(198, 40, 40), 2, Qt.PenStyle.SolidLine),
    ("stock", QT_TRANSLATE_NOOP("StockChart", "projected stock"), QColor(21, 101, 192), 3, Qt.PenStyle.SolidLine),
)
BACKGROUND = QColor(255, 255, 255)
AXIS = QColor(90, 90, 90)


class StockChart(QWidget):
    MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 56, 16, 28, 36

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.series: dict | None = None
        self.weeks: list[date] = []
        self.setMinimumSize(320, 200)
        self.setAccessibleName(self.tr("projected stock chart"))

    def set_series(self, series: dict, weeks: list) -> None:
        """Show one district and item; ``weeks`` are the week starts (dates or ISO strings)."""
        self.series = series
        self.weeks = [w if isinstance(w, date) else date.fromisoformat(str(w)) for w in weeks]
        self.setToolTip(f"{series['district']} - {series['item']}")
        self.update()

    # --- geometry -------------------------------------------------------------------------------------
    def plot_rect(self) -> QRectF:
        return QRectF(self.MARGIN_LEFT, self.MARGIN_TOP,
                      max(1, self.width() - self.MARGIN_LEFT - self.MARGIN_RIGHT),
                      max(1, self.height() - self.MARGIN_TOP - self.MARGIN_BOTTOM))

    def value_range(self) -> tuple[int, int]:
        values = [v for key, *_ in LINES for v in (self.series or {}).get(key, [])]
        low, high = min(values + [0]), max(values + [1])
        return low, high + max(1, (high - low) // 20)  # a little headroom above the top line

    def point_for(self, week: int, value: float) -> QPointF:
        r = self.plot_rect()
        n = max(1, len(self.weeks) - 1)
        low, high = self.value_range()
        x = r.left() + r.width() * week / n
        y = r.bottom() - r.height() * (value - low) / (high - low)
        return QPointF(round(x), round(y))

    # --- drawing --------------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        if not self.series or not self.weeks:
            p.setPen(AXIS)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No forecast loaded"))
            p.end()
            return
        self._axes(p)
        for key, _label, colour, width, style in LINES:
            values = self.series.get(key, [])
            pen = QPen(colour, width, style)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            p.setPen(pen)
            p.drawPolyline(QPolygonF([self.point_for(w, v) for w, v in enumerate(values)]))
        self._legend(p)
        p.end()

    def _axes(self, p: QPainter) -> None:
        r = self.plot_rect()
        p.setPen(QPen(AXIS, 1))
        p.drawLine(r.bottomLeft(), r.bottomRight())
        p.drawLine(r.bottomLeft(), r.topLeft())
        low, high = self.value_range()
        if low < 0:  # below zero means installs due with no meter: mark where zero is
            p.setPen(QPen(AXIS, 1, Qt.PenStyle.DotLine))
            zero = self.point_for(0, 0).y()
            p.drawLine(QPointF(r.left(), zero), QPointF(r.right(), zero))
            p.setPen(QPen(AXIS, 1))
        font = QFont(p.font())
        font.setPointSize(8)
        p.setFont(font)
        for frac in (0.0, 0.5, 1.0):
            value = low + (high - low) * frac
            y = r.bottom() - r.height() * frac
            p.drawText(QRectF(0, y - 8, self.MARGIN_LEFT - 6, 16),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{value:,.0f}")
        step = max(1, len(self.weeks) // 6)
        for w in range(0, len(self.weeks), step):
            x = min(self.point_for(w, low).x(), self.width() - 42)
            p.drawText(QRectF(x - 40, r.bottom() + 4, 80, 16), Qt.AlignmentFlag.AlignHCenter,
                       self.weeks[w].isoformat())
        title = f"{self.series['district']} - {self.series['item']}"
        p.drawText(QRectF(self.MARGIN_LEFT, 4, r.width(), 18), Qt.AlignmentFlag.AlignLeft, title)

    def _legend(self, p: QPainter) -> None:
        x = self.width() - self.MARGIN_RIGHT
        for _key, words, colour, width, style in reversed(LINES):
            label = self.tr(words)
            text_w = p.fontMetrics().horizontalAdvance(label)
            x -= text_w + 30
            p.setPen(QPen(colour, width, style))
            p.drawLine(QPointF(x, 12), QPointF(x + 18, 12))
            p.setPen(AXIS)
            p.drawText(QPointF(x + 22, 16), label)
