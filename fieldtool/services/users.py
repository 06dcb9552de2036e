"""Local log-in: it works offline. Each person's password is checked against a scrypt hash kept in the vault.

The back-office token is fetched at the next sync; local log-in never needs the network.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass

from fieldtool.domain.errors import InputError, NotAllowed
from fieldtool.domain.roles import Role

_PREFIX = "user:"
_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}


@dataclass(frozen=True)
class LocalUser:
    name: str
    role: Role


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)


def add_user(vault, name: str, role: Role | str, password: str) -> LocalUser:
    if not _NAME.match(name):
        raise InputError(f"The user name {name!r} is not valid.", hint="Use letters, digits, dot, dash or underscore.")
    try:
        role = Role(role)
    except ValueError:
        raise InputError(f"There is no role {role!r}.", hint=f"Choose one of: {', '.join(r.value for r in Role)}.") from None
    if len(password) < 6:
        raise InputError("The password is too short.", hint="Use at least 6 characters.")
    salt = os.urandom(16)
    record = {"role": role.value, "salt": salt.hex(), "hash": _hash(password, salt).hex()}
    vault.set(_PREFIX + name, json.dumps(record))
    return LocalUser(name, role)


def users(vault) -> list[LocalUser]:
    out = []
    for key in sorted(vault.names()):
        if key.startswith(_PREFIX):
            out.append(LocalUser(key[len(_PREFIX):], Role(json.loads(vault.get(key))["role"])))
    return out


def log_in(vault, name: str, password: str) -> LocalUser:
    """The person, if the name and password match; otherwise a refusal that does not say which was wrong."""
    refusal = NotAllowed("The name or the password is not right.", hint="Try again, or ask your supervisor.")
    if _PREFIX + name not in set(vault.names()):
        _hash(password, b"0" * 16)  # same time whether or not the name exists
        raise refusal
    record = json.loads(vault.get(_PREFIX + name))
    if not hmac.compare_digest(_hash(password, bytes.fromhex(record["salt"])), bytes.fromhex(record["hash"])):
        raise refusal
    return LocalUser(name, Role(record["role"]))
