"""The installer's issued stock: the meters each installer was issued (from the work-order download;
the custody area keeps it current). ``issued`` tells "no list known" (None) from "an empty list"."""

from __future__ import annotations

from fieldtool.domain.model import IssuedMeter
from fieldtool.store._rows import stamp
from fieldtool.store.work_orders import meter_key


class Stock:
    """The issued-stock repository of one store (joins an open ``store.transaction()``)."""

    def __init__(self, store):
        self.store = store

    def replace_issued(self, installer_id: str, meters: list[IssuedMeter]) -> None:
        """Replace this installer's whole list (an empty list means: issued nothing)."""
        rows, seen = [], set()
        for position, m in enumerate(meters):
            key = meter_key(m.meter_number)
            if key in seen:
                continue  # the same meter listed twice is still one meter
            seen.add(key)
            rows.append((installer_id, key, m.meter_number, m.meter_type, position))
        with self.store.transaction() as c:
            c.execute(
                "INSERT INTO stock_lists (installer_id, replaced_at) VALUES (?, ?) "
                "ON CONFLICT (installer_id) DO UPDATE SET replaced_at = excluded.replaced_at",
                (installer_id, stamp(self.store.clock.now())),
            )
            c.execute("DELETE FROM issued_meters WHERE installer_id = ?", (installer_id,))
            c.executemany(
                "INSERT INTO issued_meters (installer_id, meter_key, meter_number, meter_type, position) "
                "VALUES (?, ?, ?, ?, ?)",
                rows,
            )

    def issued(self, installer_id: str) -> list[IssuedMeter] | None:
        """This installer's issued meters in list order, or None when no list is known."""
        with self.store.reading() as c:
            known = c.execute("SELECT 1 FROM stock_lists WHERE installer_id = ?", (installer_id,)).fetchone()
            if not known:
                return None
            rows = c.execute(
                "SELECT meter_number, meter_type FROM issued_meters WHERE installer_id = ? ORDER BY position",
                (installer_id,),
            ).fetchall()
        return [IssuedMeter(number, meter_type, installer_id) for number, meter_type in rows]

    def is_issued(self, installer_id: str, meter_number: str) -> bool | None:
        """Whether this meter is on the installer's list (normalised number); None when no list is known."""
        with self.store.reading() as c:
            known = c.execute("SELECT 1 FROM stock_lists WHERE installer_id = ?", (installer_id,)).fetchone()
            if not known:
                return None
            row = c.execute(
                "SELECT 1 FROM issued_meters WHERE installer_id = ? AND meter_key = ?",
                (installer_id, meter_key(meter_number)),
            ).fetchone()
        return row is not None

    def installers(self) -> list[str]:
        """The installers whose list is known."""
        with self.store.reading() as c:
            return [r[0] for r in c.execute("SELECT installer_id FROM stock_lists ORDER BY installer_id")]
