"""HTML to PDF with Qt's rich-text engine (QTextDocument + QPdfWriter), no other dependency.

Works without a screen: with no Qt application running it starts a ``QApplication`` on the
``offscreen`` platform (unless ``QT_QPA_PLATFORM`` says otherwise). Call it from one thread at a time;
Qt's text layout is not to be shared between threads.
"""

from __future__ import annotations

import os
from pathlib import Path

from fieldtool.domain.errors import UserFacingError

_APP = None  # kept alive for the process: Qt needs its application object while it renders


def _ensure_app():
    global _APP
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        # A full QApplication (not only QGuiApplication), so windows opened later in the same process work.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = _APP = QApplication(["fieldtool-report"])
    return app


def html_to_pdf(html: str, path: Path) -> None:
    """Render ``html`` onto A4 pages at 300 dpi and write the PDF to ``path``."""
    _ensure_app()
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
    writer.setTitle("Lot acceptance report")
    writer.setCreator("fieldtool")
    doc = QTextDocument()
    doc.setHtml(html)
    doc.print_(writer)  # paginates to the writer's page and scales the layout to its resolution
    del writer  # flushes and closes the file
    if not path.exists() or path.stat().st_size == 0:
        raise UserFacingError(f"The PDF {path} could not be written.", hint="Check the folder is writable.")
