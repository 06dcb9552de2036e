"""The reference back office's HAN side: requests from the field (``han_request`` events, link keys sealed
to the head-end's key) waiting for the head-end, and each meter's ESI as the head-end last reported it."""

from __future__ import annotations

import base64
import json

from cryptography.hazmat.primitives import serialization

from fieldtool.domain.errors import InputError
from fieldtool.sync import han_seal

SCHEMA = (  # one statement each: executescript would commit the request's open transaction
    """CREATE TABLE IF NOT EXISTS han_requests (
        request_id TEXT PRIMARY KEY, meter_number TEXT NOT NULL, action TEXT NOT NULL, eui64 TEXT NOT NULL,
        body TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'queued', created_at TEXT NOT NULL)""",
    "CREATE TABLE IF NOT EXISTS han_status (meter_number TEXT PRIMARY KEY, reported_at TEXT NOT NULL, body TEXT NOT NULL)",
)
KEY_ID = "headend-han-1"


def ensure(c) -> None:
    for statement in SCHEMA:
        c.execute(statement)
    if c.execute("SELECT 1 FROM meta WHERE key='han_private_key'").fetchone() is None:
        k, _ = han_seal.new_key_pair()
        c.execute("INSERT INTO meta(key, value) VALUES('han_private_key', ?)", (han_seal.private_to_hex(k),))


def _private(c):
    ensure(c)
    return han_seal.private_from_hex(c.execute("SELECT value FROM meta WHERE key='han_private_key'").fetchone()[0])


def sealing_key(c) -> dict:
    pub = _private(c).public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {"key_id": KEY_ID, "public_key": base64.b64encode(pub).decode()}


def take_request(c, who, ev: dict, at: str) -> None:
    """The effect of a ``han_request`` event: open the sealed key and queue the request for the head-end."""
    p = dict(ev["payload"])
    sealed = p.pop("sealed_link_key", None)
    p["link_key"], state = None, "queued"
    if sealed is not None:
        try:
            key = han_seal.open_sealed(_private(c), sealed, han_seal.aad(p["meter_number"], p["eui64"]))
            p["link_key"] = key.hex().upper()
        except InputError:
            state = "refused"  # sealed to another key or altered: kept, never carried to the meter
    ensure(c)
    c.execute("INSERT OR IGNORE INTO han_requests(request_id, meter_number, action, eui64, body, state, created_at) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)", (p["request_id"], p["meter_number"], p["action"], p["eui64"], json.dumps(p),
                                               state, at))  # fmt: skip


def pending(c) -> dict:
    ensure(c)
    rows = c.execute("SELECT body FROM han_requests WHERE state='queued' ORDER BY rowid").fetchall()
    return {"requests": [json.loads(r[0]) for r in rows]}


def report(c, data: dict, at: str) -> dict:
    ensure(c)
    body = {k: data[k] for k in ("network", "devices", "commands")}
    c.execute("INSERT OR REPLACE INTO han_status(meter_number, reported_at, body) VALUES (?, ?, ?)",
              (data["meter_number"], at, json.dumps(body)))
    for rid in data["carried"]:
        c.execute("UPDATE han_requests SET state='carried' WHERE request_id=?", (rid,))
    return {"recorded": True}


def status(c, meter_number: str) -> dict:
    ensure(c)
    row = c.execute("SELECT reported_at, body FROM han_status WHERE meter_number=?", (meter_number,)).fetchone()
    body = json.loads(row[1]) if row else {"network": None, "devices": [], "commands": []}
    reqs = c.execute("SELECT request_id, action, eui64, state FROM han_requests WHERE meter_number=? ORDER BY rowid",
                     (meter_number,)).fetchall()  # fmt: skip
    return {"meter_number": meter_number, "reported_at": row[0] if row else None, **body,
            "requests": [{"request_id": r[0], "action": r[1], "eui64": r[2],
                          "state": r[3]} for r in reqs]}  # fmt: skip
