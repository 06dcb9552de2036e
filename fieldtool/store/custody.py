"""The custody repository: assets, their history, shipping documents and receipts.

Every write joins the caller's ``store.transaction()`` (or opens its own), so a move, the asset's new
state and the move's outbox rows commit together (``services/custody.py`` does that).
"""

from __future__ import annotations

import json
from typing import Any

from fieldtool.domain.custody import Asset, AssetKind, Move, MoveRecord, State
from fieldtool.store._rows import dump, load, stamp, unstamp

_ASSET_COLUMNS = ("asset_id, kind, state, asset_type, manufacturer, manufacturer_serial, lot_number, po_number, "
                  "value, currency, components, location, holder, updated_at, container")
_MOVE_COLUMNS = ("id, asset_id, move, from_state, to_state, actor, at, location, document, action_taken, "
                 "asset_status, other_kind, reason, holder, disposal_method, disposal_cost, components")


def _asset(row) -> Asset:
    return Asset(
        asset_id=row[0], kind=AssetKind(row[1]), state=State(row[2]) if row[2] else None, asset_type=row[3],
        manufacturer=row[4], manufacturer_serial=row[5], lot_number=row[6], po_number=row[7], value=row[8],
        currency=row[9], components=load(row[10]), location=row[11], holder=row[12], updated_at=unstamp(row[13]),
        container=row[14],
    )


def _move(row) -> MoveRecord:
    return MoveRecord(
        id=row[0], asset_id=row[1], move=Move(row[2]), from_state=State(row[3]) if row[3] else None,
        to_state=State(row[4]), actor=row[5], at=unstamp(row[6]), location=row[7], document=row[8],
        action_taken=row[9], asset_status=row[10], other_kind=row[11], reason=row[12], holder=row[13],
        disposal_method=row[14], disposal_cost=row[15], components=load(row[16]),
    )


class CustodyRepo:
    """Assets and moves of one store. Reads see committed data (or this thread's open transaction)."""

    def __init__(self, store):
        self.store = store

    def get(self, asset_id: str) -> Asset | None:
        with self.store.reading() as c:
            row = c.execute(f"SELECT {_ASSET_COLUMNS} FROM custody_assets WHERE asset_id = ?", (asset_id,)).fetchone()
        return _asset(row) if row else None

    def many(self, asset_ids: list[str]) -> dict[str, Asset]:
        out: dict[str, Asset] = {}
        with self.store.reading() as c:
            for start in range(0, len(asset_ids), 500):  # stay under SQLite's variable limit
                chunk = asset_ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for row in c.execute(f"SELECT {_ASSET_COLUMNS} FROM custody_assets WHERE asset_id IN ({marks})",
                                     chunk):
                    out[row[0]] = _asset(row)
        return out

    def list(self, *, state: State | None = None, lot_number: str | None = None, holder: str | None = None,
             container: str | None = None, limit: int = 100_000) -> list[Asset]:
        where, args = [], []
        for column, value in (("state", state), ("lot_number", lot_number), ("holder", holder),
                              ("container", container)):
            if value is not None:
                where.append(f"{column} = ?")
                args.append(str(value))
        sql = f"SELECT {_ASSET_COLUMNS} FROM custody_assets"
        if where:
            sql += " WHERE " + " AND ".join(where)
        with self.store.reading() as c:
            return [_asset(r) for r in c.execute(sql + " ORDER BY asset_id LIMIT ?", (*args, limit))]

    def component_owners(self, serials: list[str]) -> dict[str, str]:
        """serial -> the asset it is recorded on."""
        if not serials:
            return {}
        marks = ",".join("?" * len(serials))
        with self.store.reading() as c:
            return dict(c.execute(f"SELECT serial, asset_id FROM custody_components WHERE serial IN ({marks})",
                                  serials).fetchall())

    def save(self, asset: Asset, record: MoveRecord | None) -> None:
        """Write the asset's current state, its component index and (if given) the history record."""
        with self.store.transaction() as c:
            c.execute(
                f"INSERT INTO custody_assets ({_ASSET_COLUMNS}) VALUES ({','.join('?' * 15)}) "
                "ON CONFLICT (asset_id) DO UPDATE SET kind=excluded.kind, state=excluded.state, "
                "asset_type=excluded.asset_type, manufacturer=excluded.manufacturer, "
                "manufacturer_serial=excluded.manufacturer_serial, lot_number=excluded.lot_number, "
                "po_number=excluded.po_number, value=excluded.value, currency=excluded.currency, "
                "components=excluded.components, location=excluded.location, holder=excluded.holder, "
                "updated_at=excluded.updated_at, container=excluded.container",
                (asset.asset_id, asset.kind.value, asset.state.value if asset.state else None, asset.asset_type,
                 asset.manufacturer, asset.manufacturer_serial, asset.lot_number, asset.po_number, asset.value,
                 asset.currency, dump(asset.components), asset.location, asset.holder, stamp(asset.updated_at),
                 asset.container),
            )
            c.execute("DELETE FROM custody_components WHERE asset_id = ?", (asset.asset_id,))
            c.executemany(
                "INSERT INTO custody_components (serial, kind, asset_id) VALUES (?, ?, ?) "
                "ON CONFLICT (serial) DO UPDATE SET kind = excluded.kind, asset_id = excluded.asset_id",
                [(serial, kind, asset.asset_id) for kind, serial in asset.components.items()],
            )
            if record is not None:
                c.execute(
                    f"INSERT INTO custody_moves ({_MOVE_COLUMNS}) VALUES ({','.join('?' * 17)})",
                    (record.id, record.asset_id, record.move.value,
                     record.from_state.value if record.from_state else None, record.to_state.value, record.actor,
                     stamp(record.at), record.location, record.document, record.action_taken, record.asset_status,
                     record.other_kind, record.reason, record.holder, record.disposal_method,
                     record.disposal_cost, dump(record.components)),
                )

    def history(self, asset_id: str) -> list[MoveRecord]:
        """Every move of the asset, oldest first."""
        with self.store.reading() as c:
            rows = c.execute(f"SELECT {_MOVE_COLUMNS} FROM custody_moves WHERE asset_id = ? ORDER BY seq",
                             (asset_id,)).fetchall()
        return [_move(r) for r in rows]

    def save_document(self, document: str, kind: str, body: dict[str, Any], *, po_number: str | None,
                      vendor: str | None, at) -> None:
        with self.store.transaction() as c:
            c.execute(
                "INSERT INTO custody_documents (document, kind, po_number, vendor, created_at, body) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (document) DO UPDATE SET kind = excluded.kind, "
                "po_number = excluded.po_number, vendor = excluded.vendor, body = excluded.body",
                (document, kind, po_number, vendor, stamp(at), dump(body)),
            )

    def document(self, document: str) -> tuple[str, dict[str, Any]] | None:
        """(kind, body) of a stored ship notice or purchase order."""
        with self.store.reading() as c:
            row = c.execute("SELECT kind, body FROM custody_documents WHERE document = ?", (document,)).fetchone()
        return (row[0], load(row[1])) if row else None

    def save_receipt(self, receipt_id: str, document: str, *, actor: str, at, location: str,
                     result: dict[str, Any]) -> None:
        with self.store.transaction() as c:
            c.execute("INSERT INTO custody_receipts (id, document, actor, at, location, result) "
                      "VALUES (?, ?, ?, ?, ?, ?)",
                      (receipt_id, document, actor, stamp(at), location, json.dumps(result, sort_keys=True)))
