"""``fieldtool secrets``: store a secret (value from standard input) and list the names of those stored.

Values never appear on the command line (where ``ps`` and shell history would see them) and are never
printed.
"""

from __future__ import annotations

import getpass
import sys

from fieldtool.cli._common import command, group
from fieldtool.domain.errors import InputError


def register(sub) -> None:
    g = group(sub, "secrets", "meter passwords, HAN link keys and back-office tokens, kept encrypted")
    p = command(g, "set", _set, "store a secret; its value is read from standard input")
    p.add_argument("name", help="e.g. meter:AMI-17:password, han:0013A20040B5F1C2:link_key, backoffice:token")
    command(g, "list", _list, "the names of the stored secrets (never their values)")
    p = command(g, "delete", _delete, "forget a secret")
    p.add_argument("name")
    command(g, "passphrase", _passphrase,
            "set a new vault passphrase (FIELDTOOL_NEW_PASSPHRASE, or asked twice at the terminal)")


def _vault():
    from fieldtool.logs import setup_logging
    from fieldtool.store.db import open_store
    from fieldtool.store.vault import open_vault

    setup_logging()
    store = open_store()
    return open_vault(store)


def _set(args):
    if sys.stdin.isatty():
        value = getpass.getpass(f"Value of {args.name}: ")
    else:
        value = sys.stdin.read()
        # one trailing line end is the shell's (echo, a heredoc), not part of the secret
        value = value[:-2] if value.endswith("\r\n") else value[:-1] if value.endswith("\n") else value
    if not value:
        raise InputError(f"No value for {args.name} was given on standard input.",
                         hint=f"Example: printf '%s' \"$TOKEN\" | fieldtool secrets set {args.name}")
    vault = _vault()
    vault.set(args.name, value)
    return {"name": args.name, "stored": True}


def _list(args):
    return {"names": _vault().names()}


def _delete(args):
    vault = _vault()
    if not vault.delete(args.name):
        raise InputError(f"There is no secret named {args.name} in the vault.")
    return {"name": args.name, "deleted": True}


def _passphrase(args):
    from fieldtool.store.vault import new_passphrase

    vault = _vault()  # unlocked the usual way first: only someone who can open it may change it
    vault.set_passphrase(new_passphrase())
    return {"passphrase_set": True, "unlocked_with": vault.method}
