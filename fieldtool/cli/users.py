"""``fieldtool users``: local accounts for log-in on this laptop (password from stdin)."""

from __future__ import annotations

import sys

from fieldtool.cli._common import command, group
from fieldtool.services import users
from fieldtool.services.context import AppContext


def register(sub) -> None:
    g = group(sub, "users", "local accounts (log-in works offline)")
    p = command(g, "add", _add, "add a person; the password is read from stdin")
    p.add_argument("name")
    p.add_argument("--role", required=True, help="installer, technician, warehouse, csr, planner or supervisor")
    command(g, "list", _list, "the accounts on this laptop")


def _add(args):
    password = sys.stdin.readline().rstrip("\r\n")
    ctx = AppContext.open()
    try:
        u = users.add_user(ctx.vault, args.name, args.role, password)
    finally:
        ctx.close()
    return {"name": u.name, "role": u.role}


def _list(args):
    ctx = AppContext.open()
    try:
        return [{"name": u.name, "role": u.role} for u in users.users(ctx.vault)]
    finally:
        ctx.close()
