"""Custody use cases: import a ship notice or purchase order, receive against it, move one asset or a whole
pallet, show an asset's history. The same scan screen serves warehouse, meter shop, district and installer.

Transaction rule: each move commits the asset's new state, its history row, the installer's issued-stock
list (``store.stock``) and its outbox row in one ``store.transaction()``; a pallet or receipt is one
transaction with a savepoint per unit, so one refused unit does not hold back the rest, and every refusal
is reported with its reason.
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.domain.codec import from_data, to_data
from fieldtool.domain.custody import (
    Asset,
    AssetKind,
    CustodySettings,
    Move,
    MoveRecord,
    MoveRequest,
    State,
    apply_move,
    container_split,
)
from fieldtool.domain.errors import InputError, UserCancelled, UserFacingError
from fieldtool.domain.model import IssuedMeter
from fieldtool.domain.receipt import PurchaseOrder, Reconciliation, ScannedUnit, ShipNotice, reconcile
from fieldtool.store.custody import CustodyRepo
from fieldtool.store.outbox import OutboxEvent

EVENT_SCHEMA = 1
Progress = Callable[[int, int, str], None]


CUSTODY_EVENT = "custody"  # the back-office contract's event kind for a custody move (sync/openapi.yaml)


# The actionTakenKind values the back-office contract accepts (``CustodyPayload.action`` in sync/openapi.yaml;
# a test keeps this list equal to the contract's, without parsing the contract on every command).
CONTRACT_ACTIONS = frozenset({
    "Received", "PlacedIntoInventory", "CheckedOut", "Installed", "PlacedIntoService", "Connected", "Disconnected",
    "Removed", "Inspected", "Tested", "Repaired", "Adjusted", "Calibrated", "Checked", "Treated",
    "ReturnedToInventory", "Retired", "Destroyed", "Replaced", "Read", "Other"})


def event_payload(before: Asset, after: Asset, record: MoveRecord) -> dict:
    """A move as the back office receives it: a MultiSpeak v5 assetHistoryEvent in the contract's shape.

    ``action`` is the v5 actionTakenKind (``other_kind`` with ``Other``); a v5 value the contract does not
    list yet (Repaired, Replaced) travels as ``Other`` with the value as ``other_kind``. The fields after
    ``position`` are ours, so the back office can keep the full history (state, document, value, disposal,
    module serials).
    """
    action, other_kind = record.action_taken, record.other_kind
    if action not in CONTRACT_ACTIONS:
        action, other_kind = "Other", other_kind or action
    return {
        "action": action, "other_kind": other_kind, "asset_ids": [after.asset_id],
        "asset_type": after.kind.value, "from_location": before.location, "to_location": record.location,
        "holder": after.holder, "actor": record.actor, "lot_number": after.lot_number,
        "po_number": after.po_number, "position": None,
        "move_id": record.id, "move": record.move.value, "at": record.at.isoformat(),
        "from_state": record.from_state.value if record.from_state else None, "to_state": record.to_state.value,
        "asset_status": record.asset_status, "document": record.document, "reason": record.reason,
        "meter_type": after.asset_type, "manufacturer_serial": after.manufacturer_serial,
        "value": after.value, "currency": after.currency, "disposal_method": record.disposal_method,
        "disposal_cost": record.disposal_cost, "components": dict(after.components),
    }


@dataclass
class BatchResult:
    """The outcome of a pallet, box or receipt: what moved, what was left out, what was refused and why."""

    moved: list[MoveRecord] = field(default_factory=list)
    excepted: list[str] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)  # {"asset_id", "reason"}

    def as_dict(self) -> dict:
        return {"moved": [r.asset_id for r in self.moved], "excepted": self.excepted, "refused": self.refused}


class CustodyService:
    """Custody moves on one store. ``ids`` makes record ids (UUIDs; tests may fix them)."""

    def __init__(self, store, *, settings: CustodySettings | None = None, clock: Clock = SYSTEM_CLOCK,
                 ids: Callable[[], str] = lambda: str(uuid.uuid4())):
        self.store = store
        self.repo = CustodyRepo(store)
        self.settings = settings or CustodySettings()
        self.clock = clock
        self.ids = ids

    # -- one asset ---------------------------------------------------------------------------------------

    def move(self, req: MoveRequest, *, correlation_id: str | None = None, new: Asset | None = None,
             job_id: str | None = None) -> MoveRecord:
        """Apply one move and commit it with its outbox row; ``NotAllowed``/``InputError`` on refusal.

        ``new`` describes an asset the tool does not track yet (a ship-notice line, an old meter coming off
        the wall); for a tracked asset it is ignored.
        """
        with self.store.transaction():
            asset = self.repo.get(req.asset_id)
            if asset is None:
                asset = new or self._untracked(req)
            owners = self.repo.component_owners(sorted(set(req.observed_components.values())))
            after, record = apply_move(asset, req, self.ids(), paired_elsewhere=owners,
                                       disposal_methods=frozenset(self.settings.disposal_methods))
            if req.move is Move.PAIR_COMPONENT:
                self._unpair_elsewhere(after, owners, req)
            self.repo.save(after, record)
            self._keep_stock(asset, after)
            self.store.outbox.enqueue([OutboxEvent.new(
                CUSTODY_EVENT, event_payload(asset, after, record), at=record.at, job_id=job_id,
                correlation_id=correlation_id, schema_version=EVENT_SCHEMA)])
        return record

    def _untracked(self, req: MoveRequest) -> Asset:
        if req.move in (Move.REMOVE, Move.ORDER, Move.SHIP_BY_VENDOR):
            return Asset(req.asset_id, currency=self.settings.currency)
        raise UserFacingError(f"{req.asset_id} is not known to custody.",
                              hint="Import its ship notice first, or check the number scanned.")

    def _unpair_elsewhere(self, asset: Asset, owners: dict[str, str], req: MoveRequest) -> None:
        """A module re-paired onto this asset is no longer on the asset it was recorded on."""
        for serial, owner in owners.items():
            if owner == asset.asset_id:
                continue
            other = self.repo.get(owner)
            kept = {k: v for k, v in other.components.items() if v != serial}
            self.repo.save(dataclasses.replace(other, components=kept), None)

    def _keep_stock(self, before: Asset, after: Asset) -> None:
        """Keep the installers' issued-stock lists current (the meter-not-issued check reads them)."""
        if after.kind is not AssetKind.METER or before.holder == after.holder:
            return
        if before.holder:
            current = self.store.stock.issued(before.holder) or []
            self.store.stock.replace_issued(before.holder,
                                            [m for m in current if m.meter_number != before.asset_id])
        if after.holder:
            current = self.store.stock.issued(after.holder) or []
            if all(m.meter_number != after.asset_id for m in current):
                current.append(IssuedMeter(after.asset_id, after.asset_type or "", after.holder))
            self.store.stock.replace_issued(after.holder, current)

    def history(self, asset_id: str) -> dict:
        asset = self.repo.get(asset_id)
        if asset is None:
            raise UserFacingError(f"{asset_id} is not known to custody.")
        return {"asset": asset, "moves": self.repo.history(asset_id)}

    # -- many assets -------------------------------------------------------------------------------------

    def move_many(self, asset_ids: list[str], template: MoveRequest, *, excepted: list[str] = (),
                  correlation_id: str | None = None, new: dict[str, Asset] | None = None,
                  progress: Progress | None = None, cancel: threading.Event | None = None) -> BatchResult:
        """Apply ``template`` to each asset (its ``asset_id`` replaced).

        One transaction for the batch, one savepoint per unit: a refused unit is rolled back alone and
        reported, the others commit together (one disk sync for a whole pallet instead of one per meter).
        ``cancel`` (checked between units) rolls the whole batch back.
        """
        result = BatchResult(excepted=list(excepted))
        correlation_id = correlation_id or self.ids()
        with self.store.transaction():
            for i, asset_id in enumerate(asset_ids):
                if cancel is not None and cancel.is_set():
                    raise UserCancelled()
                if progress:
                    progress(i, len(asset_ids), asset_id)
                try:
                    record = self.move(dataclasses.replace(template, asset_id=asset_id),
                                       correlation_id=correlation_id, new=(new or {}).get(asset_id))
                except UserFacingError as e:
                    result.refused.append({"asset_id": asset_id, "reason": str(e)})
                else:
                    result.moved.append(record)
        return result

    def move_container(self, container: str | None, template: MoveRequest, *, contents: list[str] | None = None,
                       exceptions: list[str] = ()) -> BatchResult:
        """Move every unit of a pallet or box; units scanned as exceptions stay where they are.

        The contents come from the container label as parsed (``contents``) or, given only the container's
        id, from the ship notice that packed it.
        """
        if contents is None:
            if not container:
                raise InputError("Scan the pallet or box label, or list its contents.")
            contents = [a.asset_id for a in self.repo.list(container=container)]
            if not contents:
                raise UserFacingError(f"No unit is recorded in container {container}.",
                                      hint="Its ship notice may not be imported; scan the units one by one.")
        moving, excepted = container_split(contents, list(exceptions))
        return self.move_many(moving, template, excepted=excepted, correlation_id=container or None)

    # -- documents and receipt ---------------------------------------------------------------------------

    def import_order(self, order: PurchaseOrder) -> dict:
        if not order.lines:
            raise InputError(f"Purchase order {order.document} has no lines.")
        self.repo.save_document(order.document, "purchase_order", dataclasses.asdict(order), po_number=order.document,
                                vendor=order.vendor, at=self.clock.now())
        return {"document": order.document, "lines": len(order.lines),
                "quantity": sum(line.quantity for line in order.lines)}

    def import_notice(self, notice: ShipNotice, *, actor: str, location: str = "vendor",
                      at: datetime | None = None) -> dict:
        """Store the notice and start tracking each unit as shipped by the vendor (UC134 step 3.2)."""
        if not notice.units:
            raise InputError(f"Ship notice {notice.document} lists no units.")
        ids = [u.asset_id for u in notice.units]
        if len(set(ids)) != len(ids):
            raise InputError(f"Ship notice {notice.document} lists a unit twice.")
        prices = self._order_prices(notice.po_number)
        self.repo.save_document(notice.document, "ship_notice", dataclasses.asdict(notice),
                                po_number=notice.po_number, vendor=notice.vendor, at=at or self.clock.now())
        new = {u.asset_id: Asset(
            u.asset_id, kind=AssetKind(u.kind), asset_type=u.asset_type, manufacturer=notice.manufacturer,
            manufacturer_serial=u.manufacturer_serial, lot_number=notice.lot_number, po_number=notice.po_number,
            value=u.value if u.value is not None else prices.get(u.asset_type), currency=self.settings.currency,
            components=dict(u.components), container=u.container) for u in notice.units}
        template = MoveRequest("", Move.SHIP_BY_VENDOR, actor=actor, at=at or self.clock.now(), location=location,
                               document=notice.document)
        return self.move_many(ids, template, new=new, correlation_id=notice.document).as_dict()

    def _order_prices(self, po_number: str | None) -> dict[str, float]:
        found = self.repo.document(po_number) if po_number else None
        if not found or found[0] != "purchase_order":
            return {}
        return {line["asset_type"]: line["unit_price"] for line in found[1]["lines"]
                if line.get("unit_price") is not None}

    def receive(self, document: str, scans: list[ScannedUnit], *, actor: str, location: str | None = None,
                at: datetime | None = None) -> tuple[Reconciliation, BatchResult]:
        """Reconcile the scans against a ship notice or purchase order and receive the units that match.

        Units missing, extra, of the wrong type or scanned twice are reported, not received (a duplicate
        scan is still received once). The reconciliation is kept and queued for the back office.
        """
        found = self.repo.document(document)
        if found is None:
            raise UserFacingError(f"No ship notice or purchase order {document} is known.",
                                  hint="Import it first (fieldtool custody notice import / order import).")
        kind, body = found
        at = at or self.clock.now()
        location = location or self.settings.warehouse_location
        if kind == "ship_notice":
            notice = from_data(ShipNotice, body, f"ship notice {document}")
            order = self.repo.document(notice.po_number) if notice.po_number else None
            lines = from_data(PurchaseOrder, order[1]).lines if order and order[0] == "purchase_order" else ()
            rec = reconcile(scans, notice=notice.units, order=lines)
        else:
            rec = reconcile(scans, order=from_data(PurchaseOrder, body, f"purchase order {document}").lines)
        template = MoveRequest("", Move.RECEIVE_AT_WAREHOUSE, actor=actor, at=at, location=location,
                               document=document)
        batch = self.move_many(list(rec.accepted), template, correlation_id=document)
        summary = receipt_dict(rec, batch)
        # Kept here for the warehouse; the back office learns of each unit from its receive move (the
        # contract has no event kind for a whole reconciliation yet).
        self.repo.save_receipt(self.ids(), document, actor=actor, at=at, location=location, result=summary)
        return rec, batch


def receipt_dict(rec: Reconciliation, batch: BatchResult) -> dict:
    """The shape ``fieldtool custody receive --json`` prints."""
    return {
        "expected": rec.expected, "scanned": rec.scanned, "clean": rec.clean and not batch.refused,
        "received": [r.asset_id for r in batch.moved], "refused": batch.refused,
        "missing": list(rec.missing), "extra": list(rec.extra),
        "wrong_type": [{"asset_id": w.asset_id, "expected": w.expected, "scanned": w.scanned}
                       for w in rec.wrong_type],
        "duplicates": [{"asset_id": u, "times": n} for u, n in rec.duplicates],
        "by_type": [{"asset_type": t.asset_type, "ordered": t.ordered, "received": t.received}
                    for t in rec.by_type],
        "problems": rec.problems() + [f"{r['asset_id']}: {r['reason']}" for r in batch.refused],
    }


def history_dict(history: dict) -> dict:
    """The shape ``fieldtool custody history --json`` prints."""
    asset = to_data(history["asset"])
    return {"asset": asset, "moves": [to_data(m) for m in history["moves"]]}


__all__ = ["CustodyService", "BatchResult", "State", "receipt_dict", "history_dict", "CUSTODY_EVENT"]
