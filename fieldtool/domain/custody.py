"""Asset custody from cradle to grave (UC134 steps 3-6, I1FR3, I1FR14, I1BR2, I1BR6, I1BR7).

Every meter, HAN device and loose communication module is an ``Asset`` with one custody ``State``. A ``Move``
takes it from one state to the next; ``TRANSITIONS`` is the one table of which move is allowed from which
state (``None`` = not tracked yet: the first record the tool gets, e.g. the vendor's shipping notice or an
old electro-mechanical meter coming off the wall). A move not in the table is refused with the reason and
the moves that are allowed. Every move records who, when, where and the document it was made under.

Each move carries its MultiSpeak v5 ``actionTaken`` (and ``otherKind`` where v5 has no value) and the
``assetStatus`` after it, so the back office can map it onto ``AM_Server.ChangeAssets`` /
``assetHistoryEvents`` without a lookup (docs/integration.md §3 and §6.4).

Pure: times and record ids are passed in.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from fieldtool.domain.errors import InputError, NotAllowed


class AssetKind(StrEnum):
    METER = "meter"
    HAN_DEVICE = "han_device"
    COMM_MODULE = "comm_module"


class State(StrEnum):
    ORDERED = "ordered"
    SHIPPED_BY_VENDOR = "shipped_by_vendor"  # advance ship notice received
    RECEIVED_AT_WAREHOUSE = "received_at_warehouse"
    SENT_TO_METER_SHOP = "sent_to_meter_shop"
    RECEIVED_AT_SHOP = "received_at_shop"
    TESTED_PASSED = "tested_passed"
    TESTED_FAILED = "tested_failed"
    RETURNED_TO_WAREHOUSE = "returned_to_warehouse"
    RELEASED = "released"  # lot accepted: released for distribution
    SHIPPED_TO_DISTRICT = "shipped_to_district"
    RECEIVED_AT_DISTRICT = "received_at_district"
    ISSUED_TO_INSTALLER = "issued_to_installer"
    INSTALLED = "installed"
    REMOVED = "removed"
    RETURNED = "returned"  # a removed meter back at the warehouse, waiting for disposal
    SALVAGED = "salvaged"
    E_WASTE = "e_waste"
    LOT_REJECTED = "lot_rejected"  # quarantined until shipped back
    RETURNED_TO_VENDOR = "returned_to_vendor"
    REPAIRED = "repaired"
    REPLACED = "replaced"


class Move(StrEnum):
    ORDER = "order"
    SHIP_BY_VENDOR = "ship_by_vendor"
    RECEIVE_AT_WAREHOUSE = "receive_at_warehouse"
    SEND_TO_SHOP = "send_to_shop"
    RECEIVE_AT_SHOP = "receive_at_shop"
    PASS_TEST = "pass_test"
    FAIL_TEST = "fail_test"
    RETURN_TO_WAREHOUSE = "return_to_warehouse"
    RELEASE = "release"
    SHIP_TO_DISTRICT = "ship_to_district"
    RECEIVE_AT_DISTRICT = "receive_at_district"
    ISSUE_TO_INSTALLER = "issue_to_installer"
    RETURN_FROM_INSTALLER = "return_from_installer"
    INSTALL = "install"
    REMOVE = "remove"
    RETURN_REMOVED = "return_removed"
    SALVAGE = "salvage"
    E_WASTE = "e_waste"
    REJECT_LOT = "reject_lot"
    RETURN_TO_VENDOR = "return_to_vendor"
    REPAIR = "repair"
    REPLACE = "replace"
    PAIR_COMPONENT = "pair_component"  # record a new component serial; the state does not change


@dataclass(frozen=True)
class Rule:
    """One row of the transition table, with its MultiSpeak v5 vocabulary."""

    sources: frozenset[State | None]
    target: State | None  # None: the state does not change (PAIR_COMPONENT)
    action_taken: str  # MultiSpeak v5 actionTakenKind
    asset_status: str  # MultiSpeak v5 assetStatusKind after the move
    other_kind: str | None = None  # MultiSpeak v5 otherKind when action_taken is "Other"


S = State
_IN_SHOP = {S.RECEIVED_AT_WAREHOUSE, S.SENT_TO_METER_SHOP, S.RECEIVED_AT_SHOP, S.TESTED_PASSED,
            S.RETURNED_TO_WAREHOUSE}
TERMINAL = frozenset({S.SALVAGED, S.E_WASTE, S.REPLACED})

TRANSITIONS: dict[Move, Rule] = {
    Move.ORDER: Rule(frozenset({None}), S.ORDERED, "Other", "Other", "Ordered"),
    Move.SHIP_BY_VENDOR: Rule(frozenset({None, S.ORDERED, S.REPAIRED}), S.SHIPPED_BY_VENDOR, "Other", "Other",
                              "ShippedByVendor"),
    Move.RECEIVE_AT_WAREHOUSE: Rule(frozenset({S.ORDERED, S.SHIPPED_BY_VENDOR}), S.RECEIVED_AT_WAREHOUSE,
                                    "Received", "Quarantined"),
    Move.SEND_TO_SHOP: Rule(frozenset({S.RECEIVED_AT_WAREHOUSE}), S.SENT_TO_METER_SHOP, "Other", "Quarantined",
                            "SentToMeterShop"),
    Move.RECEIVE_AT_SHOP: Rule(frozenset({S.SENT_TO_METER_SHOP}), S.RECEIVED_AT_SHOP, "Received", "Quarantined"),
    Move.PASS_TEST: Rule(frozenset({S.RECEIVED_AT_SHOP}), S.TESTED_PASSED, "Tested", "Quarantined"),
    Move.FAIL_TEST: Rule(frozenset({S.RECEIVED_AT_SHOP}), S.TESTED_FAILED, "Tested", "OutOfService"),
    Move.RETURN_TO_WAREHOUSE: Rule(frozenset({S.TESTED_PASSED}), S.RETURNED_TO_WAREHOUSE, "ReturnedToInventory",
                                   "Quarantined"),
    Move.RELEASE: Rule(frozenset({S.RECEIVED_AT_WAREHOUSE, S.RETURNED_TO_WAREHOUSE}), S.RELEASED,
                       "PlacedIntoInventory", "InInventory"),
    Move.SHIP_TO_DISTRICT: Rule(frozenset({S.RELEASED}), S.SHIPPED_TO_DISTRICT, "Other", "InInventory",
                                "ShippedToDistrict"),
    Move.RECEIVE_AT_DISTRICT: Rule(frozenset({S.SHIPPED_TO_DISTRICT}), S.RECEIVED_AT_DISTRICT, "Received",
                                   "InInventory"),
    Move.ISSUE_TO_INSTALLER: Rule(frozenset({S.RECEIVED_AT_DISTRICT}), S.ISSUED_TO_INSTALLER, "CheckedOut",
                                  "CheckedOut"),
    Move.RETURN_FROM_INSTALLER: Rule(frozenset({S.ISSUED_TO_INSTALLER}), S.RECEIVED_AT_DISTRICT,
                                     "ReturnedToInventory", "InInventory"),
    Move.INSTALL: Rule(frozenset({S.ISSUED_TO_INSTALLER}), S.INSTALLED, "Installed", "Installed"),
    Move.REMOVE: Rule(frozenset({None, S.INSTALLED}), S.REMOVED, "Removed", "OutOfService"),
    Move.RETURN_REMOVED: Rule(frozenset({S.REMOVED}), S.RETURNED, "ReturnedToInventory", "OutOfService"),
    Move.SALVAGE: Rule(frozenset({S.RETURNED}), S.SALVAGED, "Retired", "Retired"),
    Move.E_WASTE: Rule(frozenset({S.RETURNED}), S.E_WASTE, "Destroyed", "Destroyed"),
    Move.REJECT_LOT: Rule(frozenset(_IN_SHOP), S.LOT_REJECTED, "Other", "Quarantined", "LotRejected"),
    Move.RETURN_TO_VENDOR: Rule(frozenset({S.TESTED_FAILED, S.LOT_REJECTED}), S.RETURNED_TO_VENDOR, "Other",
                                "OutOfService", "ReturnedToVendor"),
    Move.REPAIR: Rule(frozenset({S.RETURNED_TO_VENDOR}), S.REPAIRED, "Repaired", "OutOfService"),
    Move.REPLACE: Rule(frozenset({S.RETURNED_TO_VENDOR}), S.REPLACED, "Replaced", "Retired"),
    Move.PAIR_COMPONENT: Rule(frozenset(set(State) - TERMINAL), None, "Other", "", "ComponentPaired"),
}

DISPOSAL_MOVES = frozenset({Move.SALVAGE, Move.E_WASTE})
REASON_MOVES = frozenset({Move.FAIL_TEST, Move.REJECT_LOT, Move.RETURN_TO_VENDOR, Move.PAIR_COMPONENT})
COMM_MODULE = "comm_module"  # the component kind whose pairing I1BR7 is about


@dataclass(frozen=True)
class CustodySettings:
    """Configuration section ``[custody]`` (docs/configuration.md)."""

    currency: str = "USD"
    disposal_methods: tuple[str, ...] = ("scrap_metal_recycling", "e_waste_recycler", "vendor_take_back")
    warehouse_location: str = "warehouse"
    meter_shop_location: str = "meter_shop"


@dataclass(frozen=True)
class Asset:
    """One tracked asset. ``components`` maps a component kind (``comm_module``, ...) to its serial."""

    asset_id: str  # utility meter number, or EUI-64 for a HAN device, or the module serial
    kind: AssetKind = AssetKind.METER
    state: State | None = None
    asset_type: str | None = None  # utility meter type / material code
    manufacturer: str | None = None
    manufacturer_serial: str | None = None
    lot_number: str | None = None
    po_number: str | None = None
    value: float | None = None  # purchase value per unit (I1BR2), in ``currency``
    currency: str = "USD"
    components: dict[str, str] = field(default_factory=dict)
    location: str | None = None
    holder: str | None = None  # the installer it is issued to
    updated_at: datetime | None = None
    container: str | None = None  # the pallet or box (SSCC or box label) it was shipped in


@dataclass(frozen=True)
class MoveRequest:
    """A move as scanned: which asset, which move, who, when, where, and under which document."""

    asset_id: str
    move: Move
    actor: str
    at: datetime
    location: str
    document: str  # PO, ship notice, transfer, lot, work order or RMA number
    reason: str = ""
    holder: str | None = None  # installer id, for issue_to_installer
    disposal_method: str | None = None
    disposal_cost: float | None = None
    observed_components: dict[str, str] = field(default_factory=dict)  # serials read or scanned now


@dataclass(frozen=True)
class MoveRecord:
    """One line of an asset's history, as stored and as queued for the back office."""

    id: str
    asset_id: str
    move: Move
    from_state: State | None
    to_state: State
    actor: str
    at: datetime
    location: str
    document: str
    action_taken: str
    asset_status: str
    other_kind: str | None = None
    reason: str = ""
    holder: str | None = None
    disposal_method: str | None = None
    disposal_cost: float | None = None
    components: dict[str, str] = field(default_factory=dict)


def _label(state: State | None) -> str:
    return "not tracked yet" if state is None else state.value.replace("_", " ")


def allowed_moves(state: State | None) -> list[Move]:
    return [m for m, rule in TRANSITIONS.items() if state in rule.sources]


def _require(req: MoveRequest, disposal_methods: frozenset[str] | None) -> None:
    missing = [name for name in ("actor", "location", "document") if not str(getattr(req, name) or "").strip()]
    if missing:
        raise InputError(f"The {req.move.value.replace('_', ' ')} of {req.asset_id} needs: {', '.join(missing)}.",
                         hint="Every custody move records who, where and under which document.")
    if req.at.tzinfo is None:
        raise InputError("The time of a custody move must carry its time zone.")
    if req.move in REASON_MOVES and not req.reason.strip():
        raise InputError(f"Say why: {req.move.value.replace('_', ' ')} needs a reason.")
    if req.move is Move.ISSUE_TO_INSTALLER and not (req.holder or "").strip():
        raise InputError("Name the installer the meter is issued to.")
    if req.move in DISPOSAL_MOVES:
        if not (req.disposal_method or "").strip():
            raise InputError("A disposal needs its method (I1BR6).")
        if disposal_methods and req.disposal_method not in disposal_methods:
            raise InputError(f"{req.disposal_method!r} is not a configured disposal method.",
                             hint=f"Configured: {', '.join(sorted(disposal_methods))}.")
        if req.disposal_cost is None or req.disposal_cost < 0:
            raise InputError("A disposal needs its cost (zero or more) for the business cost analysis (I1BR6).")
    if req.move is Move.PAIR_COMPONENT and not req.observed_components:
        raise InputError("Scan the serial of the component to pair.")


def check_components(asset: Asset, observed: dict[str, str], paired_elsewhere: dict[str, str]) -> list[str]:
    """Problems with the component serials seen now against the record (I1BR7).

    ``paired_elsewhere`` maps a serial to the other asset it is recorded on. A serial that differs from the
    record means the module was swapped; a serial recorded on another asset means one of the two records is
    stale. Each problem is a sentence for the person holding the scanner.
    """
    problems = []
    for kind, serial in sorted(observed.items()):
        recorded = asset.components.get(kind)
        label = kind.replace("_", " ")
        if recorded and recorded != serial:
            problems.append(f"{asset.asset_id}: the {label} is {serial} but the record says {recorded} "
                            "(swapped module?).")
        owner = paired_elsewhere.get(serial)
        if owner and owner != asset.asset_id:
            problems.append(f"{asset.asset_id}: {label} {serial} is recorded on {owner} (stale pairing).")
    return problems


def apply_move(asset: Asset, req: MoveRequest, move_id: str, *, paired_elsewhere: dict[str, str] | None = None,
               disposal_methods: frozenset[str] | None = None) -> tuple[Asset, MoveRecord]:
    """The asset after ``req`` and the history record of it, or ``NotAllowed`` with the reason.

    A component serial that does not match the record, or is recorded on another asset, refuses every move
    except ``pair_component``, which is how the technician records a genuine module change (with a reason).
    """
    if req.asset_id != asset.asset_id:
        raise InputError(f"The move is for {req.asset_id}, not {asset.asset_id}.")
    rule = TRANSITIONS[req.move]
    if asset.state not in rule.sources:
        allowed = ", ".join(m.value for m in allowed_moves(asset.state)) or "none (its custody has ended)"
        raise NotAllowed(
            f"{asset.asset_id} is {_label(asset.state)}: it cannot be moved by '{req.move.value}'.",
            hint=f"Allowed from there: {allowed}.",
        )
    _require(req, disposal_methods)
    observed = {k: v.strip() for k, v in req.observed_components.items() if v and v.strip()}
    problems = check_components(asset, observed, paired_elsewhere or {})
    if req.move is Move.PAIR_COMPONENT:
        problems = []  # recording the module actually fitted is the point of the move (the caller unpairs it)
    if problems:
        raise NotAllowed(" ".join(problems), hint="Check the module, or record the change with pair_component.")
    target = rule.target or asset.state
    components = {**asset.components, **observed}
    holder = req.holder if req.move is Move.ISSUE_TO_INSTALLER else None
    after = dataclasses.replace(asset, state=target, location=req.location, holder=holder,
                                components=components, updated_at=req.at)
    record = MoveRecord(
        id=move_id, asset_id=asset.asset_id, move=req.move, from_state=asset.state, to_state=target,
        actor=req.actor, at=req.at, location=req.location, document=req.document,
        action_taken=rule.action_taken, asset_status=rule.asset_status or _status_of(target),
        other_kind=rule.other_kind, reason=req.reason, holder=holder, disposal_method=req.disposal_method,
        disposal_cost=req.disposal_cost, components=observed,
    )
    return after, record


def _status_of(state: State) -> str:
    """The MultiSpeak assetStatus of a state (for moves that do not change the state)."""
    for rule in TRANSITIONS.values():
        if rule.target is state and rule.asset_status:
            return rule.asset_status
    return "Other"


def container_split(contents: list[str], exceptions: list[str]) -> tuple[list[str], list[str]]:
    """The units a pallet or box scan moves, and those scanned one by one as exceptions (left where they are).

    An exception that is not in the container is refused: it was probably scanned from the wrong box.
    """
    inside = list(dict.fromkeys(contents))
    stray = [e for e in dict.fromkeys(exceptions) if e not in inside]
    if stray:
        raise InputError(f"Not in this container: {', '.join(stray)}.",
                         hint="Scan exceptions only for units that the container label lists.")
    excepted = set(exceptions)
    return [u for u in inside if u not in excepted], [u for u in inside if u in excepted]
