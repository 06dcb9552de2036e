"""Starting the desktop application: theme, language, the store, the vault, log-in, the main window."""

from __future__ import annotations

import os
import sys

from fieldtool.domain.errors import InputError, UserFacingError
from fieldtool.services import users
from fieldtool.services.context import AppContext
from fieldtool.ui.i18n import install_translator
from fieldtool.ui.login import LoginDialog
from fieldtool.ui.main_window import MainWindow, UiState
from fieldtool.ui.pages import PAGES
from fieldtool.ui.qt import QApplication, QCoreApplication, QInputDialog, QLineEdit, QMessageBox
from fieldtool.ui.theme import apply_theme


def _ask_passphrase(prompt: str) -> str:
    text, ok = QInputDialog.getText(None, QCoreApplication.translate("App", "fieldtool — unlock"), prompt,
                                    QLineEdit.EchoMode.Password)
    if not ok:
        raise InputError(QCoreApplication.translate("App", "The vault was not unlocked."),
                         hint=QCoreApplication.translate("App", "Start the tool again and type the passphrase."))
    return text


def unlock_vault(ctx: AppContext):
    """The vault through the keyring or FIELDTOOL_PASSPHRASE, else by asking in a dialog."""
    from fieldtool.store.vault import open_vault

    if ctx._vault is None:
        ctx._vault = open_vault(ctx.store, prompt=_ask_passphrase)
    return ctx._vault


def start_sync(ctx: AppContext):
    """When this laptop is signed in to a back office, sync in the background (the status bar shows it)."""
    from fieldtool.services.sync import SyncService

    service = SyncService.from_context(ctx)
    if service.session() is None:
        return None
    ctx.sync = service
    service.start()
    return service


def run(argv: list[str] | None = None, *, user: str | None = None) -> int:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("fieldtool")
    try:
        ctx = AppContext.open()
        settings = ctx.config.section("ui")
        apply_theme(app, settings.theme, settings.font_pt)
        install_translator(app, settings.language)
        vault = unlock_vault(ctx)
        password = os.environ.get("FIELDTOOL_LOGIN_PASSWORD")
        if user and password is not None:
            ctx.user = users.log_in(vault, user, password)
        else:
            dialog = LoginDialog(vault)
            if not dialog.exec():
                return 0
            ctx.user = dialog.user
    except UserFacingError as e:
        QMessageBox.critical(None, "fieldtool", str(e))
        return 1
    start_sync(ctx)
    window = MainWindow(ctx, PAGES, UiState(settings.theme, settings.font_pt))
    window.resize(1280, 800)
    window.show()
    try:
        return app.exec()
    finally:
        ctx.close()
