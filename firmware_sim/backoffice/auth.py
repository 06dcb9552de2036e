"""Installers, enrolled devices and bearer tokens of the reference back office.

Passwords and device secrets are kept as scrypt / SHA-256 hashes, tokens only as SHA-256 hashes: a copy of
the database gives nobody a way in. An access token and its refresh token form a *pair*; refreshing
revokes the old pair once the new access token is first used (a refresh reply lost on a bad network
leaves the old pair working, so the device is not signed out by the network); revoking a device revokes
every pair it holds.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from firmware_sim.backoffice.db import dumps, loads


class AuthError(Exception):
    """Refused; ``code`` is the contract's machine code (token_expired, bad_credentials ...)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Principal:
    installer_id: str
    name: str
    district: str
    roles: tuple[str, ...]
    device_id: str
    pair: str

    def installer(self) -> dict:
        return {"id": self.installer_id, "name": self.name, "district": self.district, "roles": list(self.roles)}


def hash_password(password: str, salt: bytes | None = None) -> tuple[bytes, bytes]:
    salt = salt or secrets.token_bytes(16)
    return salt, hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**12, r=8, p=1, dklen=32)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def add_installer(c: sqlite3.Connection, id: str, name: str, district: str, roles: list[str], password: str) -> None:
    salt, digest = hash_password(password)
    c.execute(
        "INSERT OR REPLACE INTO installers(id, name, district, roles, pw_salt, pw_hash) VALUES(?,?,?,?,?,?)",
        (id, name, district, dumps(roles), salt, digest),
    )


def check_password(c: sqlite3.Connection, user: str, password: str) -> sqlite3.Row:
    row = c.execute("SELECT * FROM installers WHERE id=?", (user,)).fetchone()
    if row is None or not hmac.compare_digest(hash_password(password, row["pw_salt"])[1], row["pw_hash"]):
        raise AuthError("bad_credentials", "The user name or password is wrong.")
    return row


def enroll(c: sqlite3.Connection, user: str, password: str, device_id: str, name: str, now: datetime) -> str:
    """Enroll (or re-enroll) a device for an installer; returns the new device secret."""
    check_password(c, user, password)
    secret = secrets.token_urlsafe(32)
    c.execute("UPDATE tokens SET revoked=1 WHERE device_id=?", (device_id,))
    c.execute(
        "INSERT OR REPLACE INTO devices(id, installer_id, name, secret_hash, enrolled_at, revoked) VALUES(?,?,?,?,?,0)",
        (device_id, user, name, _sha(secret), now.isoformat()),
    )
    return secret


def login(c, user: str, password: str, device_id: str, device_secret: str, now: datetime, ttl: dict) -> dict:
    row = check_password(c, user, password)
    dev = c.execute("SELECT * FROM devices WHERE id=?", (device_id,)).fetchone()
    if dev is None or dev["revoked"] or not hmac.compare_digest(dev["secret_hash"], _sha(device_secret)):
        raise AuthError("device_unknown", "This device is not enrolled with the back office (or was withdrawn).")
    if dev["installer_id"] != user:
        raise AuthError("device_unknown", "This device is enrolled for another installer; enroll it again.")
    return _issue(c, row, device_id, now, ttl)


def refresh(c, refresh_token: str, device_id: str, now: datetime, ttl: dict) -> dict:
    tok = c.execute("SELECT * FROM tokens WHERE hash=? AND kind='refresh'", (_sha(refresh_token),)).fetchone()
    if tok is None or tok["device_id"] != device_id:
        raise AuthError("token_invalid", "The refresh token is not known; log in again.")
    if tok["revoked"]:
        raise AuthError("token_revoked", "This sign-in was withdrawn by the back office; log in again.")
    if tok["expires_at"] <= now.timestamp():
        raise AuthError("token_expired", "The sign-in has run out; log in again.")
    dev = c.execute("SELECT revoked FROM devices WHERE id=?", (device_id,)).fetchone()
    if dev is None or dev["revoked"]:
        raise AuthError("token_revoked", "This device was withdrawn by the back office; enroll it again.")
    row = c.execute("SELECT * FROM installers WHERE id=?", (tok["installer_id"],)).fetchone()
    return _issue(c, row, device_id, now, ttl, parent=tok["pair"])


def _issue(c, row, device_id: str, now: datetime, ttl: dict, parent: str | None = None) -> dict:
    pair = secrets.token_hex(8)
    access, refresh_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    t = now.timestamp()
    c.execute(
        "INSERT INTO tokens(hash, kind, installer_id, device_id, expires_at, pair, parent) VALUES(?,?,?,?,?,?,?)",
        (_sha(access), "access", row["id"], device_id, t + ttl["access"], pair, parent),
    )
    c.execute(
        "INSERT INTO tokens(hash, kind, installer_id, device_id, expires_at, pair, parent) VALUES(?,?,?,?,?,?,?)",
        (_sha(refresh_token), "refresh", row["id"], device_id, t + ttl["refresh"], pair, parent),
    )
    return {
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": int(ttl["access"]),
        "expires_at": datetime.fromtimestamp(t + ttl["access"], now.tzinfo).isoformat(),
        "refresh_token": refresh_token,
        "refresh_expires_in": int(ttl["refresh"]),
        "installer": {"id": row["id"], "name": row["name"], "district": row["district"], "roles": loads(row["roles"])},
        "server_time": now.isoformat(),
    }


def authenticate(c, header: str | None, now: datetime) -> Principal:
    """The principal of an ``Authorization: Bearer ...`` header, or ``AuthError``."""
    if not header or not header.startswith("Bearer "):
        raise AuthError("token_missing", "Sign in first: this needs a bearer token.")
    tok = c.execute(
        "SELECT t.*, i.name, i.district, i.roles, d.revoked AS dev_revoked FROM tokens t "
        "JOIN installers i ON i.id=t.installer_id LEFT JOIN devices d ON d.id=t.device_id "
        "WHERE t.hash=? AND t.kind='access'",
        (_sha(header[7:].strip()),),
    ).fetchone()
    if tok is None:
        raise AuthError("token_invalid", "The back office does not know this token; log in again.")
    if tok["revoked"] or tok["dev_revoked"]:
        raise AuthError("token_revoked", "This sign-in was withdrawn by the back office; log in again.")
    if tok["expires_at"] <= now.timestamp():
        raise AuthError("token_expired", "The access token has run out; refresh it.")
    if tok["parent"]:
        # First use of a refreshed pair: now the device surely holds it, so the old pair can go.
        c.execute("UPDATE tokens SET revoked=1 WHERE pair=?", (tok["parent"],))
        c.execute("UPDATE tokens SET parent=NULL WHERE pair=?", (tok["pair"],))
    return Principal(tok["installer_id"], tok["name"], tok["district"], tuple(loads(tok["roles"])),
                     tok["device_id"], tok["pair"])


def revoke_pair(c, pair: str) -> None:
    c.execute("UPDATE tokens SET revoked=1 WHERE pair=?", (pair,))


def revoke_installer(c, installer_id: str) -> int:
    """Withdraw every sign-in of an installer (a lost laptop); returns how many tokens were live."""
    return c.execute("UPDATE tokens SET revoked=1 WHERE installer_id=? AND revoked=0", (installer_id,)).rowcount
