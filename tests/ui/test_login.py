from fieldtool.services import users
from fieldtool.ui.login import LoginDialog


def test_first_run_creates_a_supervisor_then_log_in_checks_the_password(qtbot, ctx):
    first = LoginDialog(ctx.vault)
    qtbot.addWidget(first)
    assert first.first_run
    qtbot.keyClicks(first.name, "sup")
    qtbot.keyClicks(first.password, "super-secret")
    first.submit()
    assert first.user.name == "sup" and first.user.role == "supervisor"

    again = LoginDialog(ctx.vault)
    qtbot.addWidget(again)
    assert not again.first_run
    qtbot.keyClicks(again.name, "sup")
    qtbot.keyClicks(again.password, "wrong-one")
    again.submit()
    assert again.user is None and "not right" in again.banner.text()
    again.password.clear()
    qtbot.keyClicks(again.password, "super-secret")
    again.submit()
    assert again.user == users.LocalUser("sup", "supervisor")
