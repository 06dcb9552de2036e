"""Telling our store from everything else, before and while it is used.

Before SQLite writes anything, ``check_file`` reads the header: a file that is not SQLite, or is another
program's database, is refused with ``InputError`` and never written to. ``check_integrity`` refuses a
damaged store. ``raise_if_outside_cause`` turns SQLite errors with a cause outside the program (damage,
a full disk, a read-only folder, another process holding the store) into errors in words.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from fieldtool.domain.errors import InputError, UserFacingError
from fieldtool.store.migrations import current_versions

APPLICATION_ID = 0x46544C44  # "FTLD" in the SQLite header: marks the file as fieldtool's
SQLITE_MAGIC = b"SQLite format 3\x00"
QUICK_CHECK_MAX_BYTES = 64 * 2**20  # above this, opening checks the schema only (see check_integrity)

DAMAGE_SIGNS = ("malformed", "not a database", "could not decode", "disk i/o error", "corrupt")


def raise_if_outside_cause(e: sqlite3.DatabaseError, path: Path) -> None:
    """Causes outside the program, found while working, are told in words, not as a crash: damage (a
    bad page, bytes that are not UTF-8), a full disk, a read-only folder, a store another process holds.
    Constraint errors and the like are bugs and stay what they are. The transaction was rolled back, so
    nothing of the step is in the store; the caller still holds what was captured."""
    text = str(e).lower()
    if any(sign in text for sign in DAMAGE_SIGNS):
        raise damaged(path, [str(e)]) from e
    if "full" in text:
        raise UserFacingError(f"The disk holding {path} is full: this step was not saved.",
                              hint="Free some space (photos, old exports) and do the step again.") from e
    if "readonly" in text or "read-only" in text:
        raise UserFacingError(f"The store {path} cannot be written (the file or its folder is read-only): "
                              "this step was not saved.", hint="Check the data folder's permissions.") from e
    if "locked" in text or "busy" in text:
        raise refusal(e, path) from e


def refusal(e: sqlite3.Error, path: Path) -> InputError:
    text = str(e)
    if "locked" in text or "busy" in text:
        return InputError(f"The store {path} is in use by another fieldtool that did not let go ({text}).",
                          hint="Close the other fieldtool window or command and try again.")
    return damaged(path, [text])


def damaged(path: Path, problems: list[str]) -> InputError:
    return InputError(
        f"The store {path} is damaged ({'; '.join(problems)}). It was left as it is.",
        hint="Keep the file for recovery, move it aside and start fieldtool again; "
        "unsent work will have to be recovered from the damaged file.",
    )


def check_file(path: Path) -> bool:
    """Refuse what is not ours without writing to it; True when the file is new (absent or empty)."""
    try:
        with path.open("rb") as f:
            header = f.read(100)
    except FileNotFoundError:
        return True
    except OSError as e:
        raise InputError(f"The store {path} cannot be read: {e.strerror}.") from e
    if not header:
        return True
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise InputError(
            f"{path} is not a fieldtool database: it is not an SQLite file (it may be damaged). "
            "It was left as it is.",
            hint="Move it aside (keep it: it may hold captured data) and start fieldtool again.",
        )
    app_id = int.from_bytes(header[68:72], "big")
    if app_id == APPLICATION_ID:
        return False
    if app_id == 0 and not _tables(path):
        return True  # an empty SQLite file: nothing to lose, adopt it
    raise InputError(
        f"{path} is an SQLite database of another program, not fieldtool's. It was left as it is.",
        hint="Point FIELDTOOL_HOME at another folder, or move the file aside.",
    )


def _tables(path: Path) -> list[str]:
    """The tables of a foreign SQLite file, read without writing to it (any doubt: it has some)."""
    try:
        ro = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return [r[0] for r in ro.execute("SELECT name FROM sqlite_master")]
        finally:
            ro.close()
    except sqlite3.DatabaseError:
        return ["(unreadable)"]


def check_integrity(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a damaged store before anything is written. The schema is always read; the page-level
    ``quick_check`` runs when the file is small enough for it to be quick (it reads every page: about
    0.25 s for a 160 MB store); ``Store.check()`` runs the full check on demand."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        current_versions(conn)
        problems = ["ok"]
        if path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
            problems = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
    except sqlite3.Error as e:
        raise refusal(e, path) from e
    except UnicodeDecodeError as e:
        raise damaged(path, [f"text that is not UTF-8: {e.reason}"]) from e
    if problems != ["ok"]:
        raise damaged(path, problems)
