"""``fieldtool gui``: the desktop application."""

from __future__ import annotations

from fieldtool.cli._common import command


def register(sub) -> None:
    p = command(sub, "gui", _gui, "start the desktop application")
    p.add_argument("--user", help="log in as this person with the password in FIELDTOOL_LOGIN_PASSWORD")


def _gui(args):
    from fieldtool.ui.app import run

    code = run(user=args.user)
    if code:
        raise SystemExit(code)
    return None
