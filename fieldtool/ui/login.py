"""Local log-in (works offline): name and password checked against the vault; the first person to start the
tool on a new laptop creates the first account, a supervisor."""

from __future__ import annotations

from fieldtool.domain.errors import UserFacingError
from fieldtool.domain.roles import Role
from fieldtool.services import users
from fieldtool.ui.qt import QComboBox, QDialog, QFormLayout, QLineEdit, QVBoxLayout
from fieldtool.ui.widgets import Banner, big_button, title


class LoginDialog(QDialog):
    def __init__(self, vault, parent=None):
        super().__init__(parent)
        self.vault = vault
        self.user: users.LocalUser | None = None
        self.first_run = not users.users(vault)
        self.setWindowTitle(self.tr("fieldtool — log in"))
        self.setAccessibleName(self.tr("log in"))
        lay = QVBoxLayout(self)
        lay.addWidget(title(self.tr("Create the first account (supervisor)") if self.first_run else self.tr("Log in")))
        self.banner = Banner()
        lay.addWidget(self.banner)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("user name"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("password"))
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Password"), self.password)
        self.role = QComboBox()
        self.role.setAccessibleName(self.tr("role"))
        self.role.addItems([r.value for r in Role])
        self.role.setCurrentText(Role.SUPERVISOR.value)
        if self.first_run:
            form.addRow(self.tr("Role"), self.role)
        lay.addLayout(form)
        self.ok = big_button(self.tr("Create account") if self.first_run else self.tr("Log in"), self.submit, primary=True)
        self.ok.setDefault(True)
        lay.addWidget(self.ok)
        self.password.returnPressed.connect(self.submit)
        self.name.setFocus()

    def submit(self) -> None:
        try:
            if self.first_run:
                users.add_user(self.vault, self.name.text().strip(), self.role.currentText(), self.password.text())
            self.user = users.log_in(self.vault, self.name.text().strip(), self.password.text())
        except UserFacingError as e:
            self.banner.show_message(str(e), "block")
            self.password.selectAll()
            self.password.setFocus()
            return
        self.accept()
