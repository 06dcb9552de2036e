"""Resumable photo uploads: announce (id, SHA-256, size), then chunks at the offset the back office holds.

The bytes are appended to ``<db>-photos/<id>.part``; when the last byte arrives the SHA-256 is checked and
the file renamed to ``<id>``. A wrong hash discards the bytes (the upload starts again at 0). Announcing the
same id again with the same hash and size is harmless, with another hash it is refused.
"""

from __future__ import annotations

import hashlib
import sqlite3

from firmware_sim.backoffice.auth import Principal
from firmware_sim.backoffice.db import BackOfficeDb

CHUNK_SIZE = 1 << 20


class PhotoError(Exception):
    def __init__(self, status: int, code: str, message: str, state: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.state = status, code, state


def _state(row) -> dict:
    return {"photo_id": row["photo_id"], "sha256": row["sha256"], "size": row["size"], "received": row["received"],
            "complete": bool(row["complete"]), "chunk_size": CHUNK_SIZE}


def announce(c: sqlite3.Connection, who: Principal, photo_id: str, body: dict) -> dict:
    row = c.execute("SELECT * FROM photos WHERE photo_id=?", (photo_id,)).fetchone()
    if row is None:
        c.execute("INSERT INTO photos(photo_id, installer_id, job_id, sha256, size, content_type, received, complete) "
                  "VALUES(?,?,?,?,?,?,0,0)",
                  (photo_id, who.installer_id, body.get("job_id"), body["sha256"], body["size"],
                   body.get("content_type") or "image/jpeg"))
        row = c.execute("SELECT * FROM photos WHERE photo_id=?", (photo_id,)).fetchone()
    elif row["sha256"] != body["sha256"] or row["size"] != body["size"]:
        raise PhotoError(409, "conflict", "A different photo was announced with this id.")
    return _state(row)


def get(c: sqlite3.Connection, photo_id: str) -> dict:
    row = c.execute("SELECT * FROM photos WHERE photo_id=?", (photo_id,)).fetchone()
    if row is None:
        raise PhotoError(404, "not_found", "No photo with this id was announced.")
    return _state(row)


def chunk(db: BackOfficeDb, c: sqlite3.Connection, photo_id: str, offset: int, data: bytes) -> dict:
    row = c.execute("SELECT * FROM photos WHERE photo_id=?", (photo_id,)).fetchone()
    if row is None:
        raise PhotoError(404, "not_found", "Announce the photo before sending its bytes.")
    if row["complete"]:
        return _state(row)
    if offset != row["received"]:
        raise PhotoError(409, "offset", f"The back office holds {row['received']} bytes; send from there.", _state(row))
    if len(data) > CHUNK_SIZE or offset + len(data) > row["size"]:
        raise PhotoError(400, "too_large", "The chunk is larger than allowed or runs past the announced size.")
    part = db.photo_dir / f"{photo_id}.part"
    with open(part, "ab") as f:
        f.truncate(offset)  # a chunk whose reply was lost may have left bytes past the recorded offset
        f.write(data)
    received, complete = offset + len(data), 0
    if received == row["size"]:
        digest = hashlib.sha256(part.read_bytes()).hexdigest()
        if digest != row["sha256"]:
            part.unlink()
            c.execute("UPDATE photos SET received=0 WHERE photo_id=?", (photo_id,))
            raise PhotoError(422, "sha256_mismatch",
                             "The photo's bytes arrived but their SHA-256 differs from the announced one; "
                             "the upload starts again.")
        part.replace(db.photo_dir / photo_id)
        complete = 1
    c.execute("UPDATE photos SET received=?, complete=? WHERE photo_id=?", (received, complete, photo_id))
    return _state(c.execute("SELECT * FROM photos WHERE photo_id=?", (photo_id,)).fetchone())
