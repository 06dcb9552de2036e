"""English and Spanish: the committed Spanish catalogue translates every string the screens mark, the
compiled .qm matches it, and with Spanish loaded the log-in and the main window speak Spanish."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from fieldtool.config import load_config
from fieldtool.domain.roles import Role
from fieldtool.services.context import AppContext
from fieldtool.services.users import LocalUser
from fieldtool.ui.i18n import install_translator
from fieldtool.ui.main_window import MainWindow, UiState
from fieldtool.ui.pages import PAGES
from fieldtool.ui.qt import QApplication
from fieldtool.ui.widgets import Banner, OpStrip

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "fieldtool_es.ts"


def test_every_marked_string_has_a_spanish_translation(tmp_path):
    # the catalogue is up to date with the sources: lupdate into a copy finds nothing new
    fresh = tmp_path / "es.ts"
    fresh.write_bytes(TS.read_bytes())
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    r = subprocess.run([str(lupdate), *map(str, sorted((ROOT / "fieldtool" / "ui").glob("*.py"))), "-ts", str(fresh)],
                       capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 0, r.stderr
    messages = list(ET.parse(fresh).iter("message"))
    assert len(messages) >= 24
    missing = [m.find("source").text for m in messages
               if m.find("translation").get("type") in ("unfinished", "obsolete", "vanished")
               or not (m.find("translation").text or "").strip()]  # fmt: skip
    assert not missing, f"not translated (run make translations and write the Spanish): {missing}"


def test_spanish_is_shown_when_chosen(qtbot, ctx):
    app = QApplication.instance()
    assert install_translator(app, "es")
    try:
        c = AppContext(ctx.paths, load_config(ctx.paths), ctx.store, user=LocalUser("ana", Role.INSTALLER))
        window = MainWindow(c, PAGES, UiState())
        qtbot.addWidget(window)
        labels = [b.text().split("\n")[0] for b in window.buttons.buttons()]
        assert labels[:2] == ["Trabajos", "Cambio de medidor"] and "Conflictos" in labels
        strip = OpStrip(Banner())
        qtbot.addWidget(strip)
        assert strip.cancel_button.text() == "Cancelar"
        from fieldtool.ui.login import LoginDialog

        dialog = LoginDialog(_vault_with_user(c))
        qtbot.addWidget(dialog)
        assert dialog.windowTitle() == "fieldtool — iniciar sesión" and dialog.ok.text() == "Iniciar sesión"
    finally:
        install_translator(app, "en")
    window2 = MainWindow(c, PAGES, UiState())
    qtbot.addWidget(window2)
    assert window2.buttons.button(0).text().startswith("Jobs")


def _vault_with_user(ctx):
    from fieldtool.services import users

    vault = ctx.vault
    if not users.users(vault):
        users.add_user(vault, "ana", "installer", "a long password 1")
    return vault
