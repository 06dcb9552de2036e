"""``make screenshots``: every main screen rendered offscreen into ``docs/screenshots/*.png``.

A fresh store in a temporary FIELDTOOL_HOME gets the demo day (``resources/demo/work-orders.json``); each page of
``ui/pages.py`` is shown in a main window for a role that may see it, and the job list once per theme. Run with
``QT_QPA_PLATFORM=offscreen`` (the Makefile does), so no display is needed.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "resources" / "demo" / "work-orders.json"
SIZE = (1280, 800)
SHOWN_JOB = "WO-260312-001"
ROLE_ORDER = ("supervisor", "technician", "planner")  # the first that may see a page shows it


def slug(page_cls) -> str:
    return page_cls.__name__.removesuffix("Page").lower()


def render_all(out_dir: Path, *, size: tuple[int, int] = SIZE) -> list[Path]:
    """Render every page (and the job list in every theme) to ``out_dir``; returns the files written."""
    from fieldtool.config import load_config, paths
    from fieldtool.domain.roles import Role, can
    from fieldtool.services.context import AppContext
    from fieldtool.services.install import InstallService
    from fieldtool.services.users import LocalUser
    from fieldtool.store.db import open_store
    from fieldtool.ui.exchange_page import ExchangePage
    from fieldtool.ui.jobs_page import JobsPage
    from fieldtool.ui.main_window import MainWindow, UiState
    from fieldtool.ui.pages import PAGES
    from fieldtool.ui.qt import QApplication
    from fieldtool.ui.theme import PALETTES, apply_theme

    app = QApplication.instance() or QApplication(["fieldtool-screenshots"])
    out_dir.mkdir(parents=True, exist_ok=True)
    p = paths().ensure()
    store = open_store(p.database)
    install = InstallService(store)
    install.import_download(json.loads(DEMO.read_text(encoding="utf-8")))
    # One job part-way through, so the exchange screen shows a step, its inputs, a finding and the history.
    install.start(SHOWN_JOB, "INS-042")
    for name, data in (("scan_meter", {"meter_number": "72600101"}),
                       ("arrive", {"position": {"lat": 36.757815, "lon": -119.81631, "accuracy_m": 4.0}}),
                       ("verify_old_meter", {"meter_number": "V123456", "form": "2S"}),
                       ("final_read", {"value": 47100})):
        install.feed_named(SHOWN_JOB, name, data)
    written: list[Path] = []

    def settle(page) -> None:
        """Let the page's background loading finish, so the picture shows data, not a progress bar."""
        deadline = time.monotonic() + 10
        app.processEvents()
        while page.ops.op is not None and page.ops.op.running and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        for _ in range(20):  # the layouts of what the result built settle over a few passes of the loop
            app.processEvents()
            time.sleep(0.01)

    def shoot(role: str, theme: str, pages: list, name_of) -> None:
        apply_theme(app, theme, 12)
        ctx = AppContext(p, load_config(p), store, user=LocalUser("Ana Installer", Role(role)))
        window = MainWindow(ctx, PAGES, UiState(theme, 12))
        window.resize(*size)
        window.show()
        for page in window.pages:
            if type(page) in pages:
                window.go_to(page)
                if isinstance(page, ExchangePage):
                    page.open_job(SHOWN_JOB)
                settle(page)
                path = out_dir / f"{name_of(type(page))}.png"
                window.grab().save(str(path))
                written.append(path)
        window.close()
        window.deleteLater()
        app.processEvents()

    todo = list(PAGES)
    for role in ROLE_ORDER:
        mine = [c for c in todo if not c.capability or can(role, c.capability)]
        todo = [c for c in todo if c not in mine]
        if mine:
            shoot(role, "normal", mine, slug)
    for theme in PALETTES:
        shoot("installer", theme, [JobsPage], lambda cls, t=theme: f"jobs-{t}")
    store.close()
    return written


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(argv[0]) if argv else ROOT / "docs" / "screenshots"
    with tempfile.TemporaryDirectory(prefix="fieldtool-screens-") as home:
        os.environ.update(FIELDTOOL_HOME=home, FIELDTOOL_KEYRING="off")
        os.environ.setdefault("FIELDTOOL_PASSPHRASE", "screenshots")
        for path in render_all(out):
            print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
