"""Receipt against the purchase order and the advance ship notice (UC134 steps 3.2-3.4, I1FR3).

The warehouse technician scans what arrived; ``reconcile`` compares the scans with what the shipping notice
lists unit by unit (meter numbers and types) and with what the purchase order asks for by type and
quantity. It names every difference: missing, extra, wrong type, scanned twice, over or short on the order.

Pure. Labels are parsed before they reach this module (``domain/labels.py``); a scan here is already a
meter number with the type read from its label, when the label carries one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ExpectedUnit:
    """One line of the advance ship notice: a unit, its type, and what the vendor tells about it."""

    asset_id: str
    asset_type: str
    kind: str = "meter"  # meter, han_device, comm_module
    manufacturer_serial: str | None = None
    value: float | None = None  # unit price (I1BR2); else the order line's
    container: str | None = None  # pallet or box label (SSCC) it is packed in
    components: dict[str, str] = field(default_factory=dict)  # e.g. {"comm_module": "CM-..."}


@dataclass(frozen=True)
class OrderLine:
    """One line of the purchase order: a type and a quantity."""

    asset_type: str
    quantity: int
    unit_price: float | None = None


@dataclass(frozen=True)
class ShipNotice:
    """The vendor's advance ship notice (MultiSpeak EndDeviceShipment): which units are coming."""

    document: str  # the notice / shipping ticket number
    units: tuple[ExpectedUnit, ...]
    po_number: str | None = None
    vendor: str | None = None
    manufacturer: str | None = None
    lot_number: str | None = None  # the manufacturing lot, when one notice is one lot


@dataclass(frozen=True)
class PurchaseOrder:
    document: str  # the PO number (and release)
    lines: tuple[OrderLine, ...]
    vendor: str | None = None


@dataclass(frozen=True)
class ScannedUnit:
    asset_id: str
    asset_type: str | None = None  # None when the label does not say


@dataclass(frozen=True)
class WrongType:
    asset_id: str
    expected: str | None  # None: the type is not on the purchase order at all
    scanned: str


@dataclass(frozen=True)
class TypeCount:
    asset_type: str
    ordered: int
    received: int

    @property
    def difference(self) -> int:
        return self.received - self.ordered


@dataclass(frozen=True)
class Reconciliation:
    """What arrived against what was expected. ``accepted`` are the units fit to be received."""

    expected: int
    scanned: int  # distinct units scanned
    accepted: tuple[str, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]
    wrong_type: tuple[WrongType, ...]
    duplicates: tuple[tuple[str, int], ...]  # (unit, times scanned)
    by_type: tuple[TypeCount, ...]

    @property
    def clean(self) -> bool:
        return not (self.missing or self.extra or self.wrong_type or self.duplicates
                    or any(t.difference for t in self.by_type))

    def problems(self) -> list[str]:
        """Each difference in words, for the warehouse technician."""
        out = []
        if self.missing:
            out.append(f"{len(self.missing)} missing: {', '.join(self.missing)}")
        if self.extra:
            out.append(f"{len(self.extra)} not on the notice or order: {', '.join(self.extra)}")
        for w in self.wrong_type:
            want = f"expected {w.expected}" if w.expected else "type not on the purchase order"
            out.append(f"{w.asset_id} is {w.scanned}, {want}")
        for unit, times in self.duplicates:
            out.append(f"{unit} scanned {times} times")
        for t in self.by_type:
            if t.difference > 0:
                out.append(f"{t.asset_type}: {t.difference} more than ordered ({t.received} of {t.ordered})")
            elif t.difference < 0:
                out.append(f"{t.asset_type}: {-t.difference} short of the order ({t.received} of {t.ordered})")
        return out


def reconcile(scans: Iterable[ScannedUnit], *, notice: Iterable[ExpectedUnit] = (),
              order: Iterable[OrderLine] = ()) -> Reconciliation:
    """Compare scans with the ship notice (unit by unit) and the purchase order (type by type).

    Without a notice, units of a type on the order are accepted up to the ordered quantity, in scan order;
    the rest are extra. A unit whose label shows no type is taken at the notice's word.
    """
    scans = list(scans)
    notice = {u.asset_id: u.asset_type for u in notice}
    order_lines = list(order)
    counts = Counter(s.asset_id for s in scans)
    duplicates = tuple((u, n) for u, n in counts.items() if n > 1)
    first: dict[str, ScannedUnit] = {}
    for s in scans:
        first.setdefault(s.asset_id, s)
    ordered = Counter()
    for line in order_lines:
        ordered[line.asset_type] += line.quantity

    accepted: list[str] = []
    extra: list[str] = []
    wrong: list[WrongType] = []
    received_by_type: Counter = Counter()
    for unit, scan in first.items():
        if notice:
            if unit not in notice:
                extra.append(unit)
                continue
            expected = notice[unit]
            if scan.asset_type and scan.asset_type != expected:
                wrong.append(WrongType(unit, expected, scan.asset_type))
                continue
            unit_type = expected
        else:
            unit_type = scan.asset_type
            if order_lines and unit_type is None:
                extra.append(unit)  # nothing to check it against: leave it for a person to look at
                continue
            if order_lines and unit_type not in ordered:
                wrong.append(WrongType(unit, None, unit_type))
                continue
            if order_lines and received_by_type[unit_type] >= ordered[unit_type]:
                extra.append(unit)
                continue
        received_by_type[unit_type] += 1
        accepted.append(unit)

    by_type = tuple(TypeCount(t, ordered[t], received_by_type[t]) for t in sorted(ordered))
    missing = tuple(u for u in notice if u not in first)
    return Reconciliation(
        expected=len(notice) if notice else sum(ordered.values()), scanned=len(first),
        accepted=tuple(accepted), missing=missing, extra=tuple(extra), wrong_type=tuple(wrong),
        duplicates=duplicates, by_type=by_type,
    )


def scans_from_labels(labels) -> tuple[list[ScannedUnit], list[str]]:
    """Scans from parsed labels (``domain.labels.Label``): a meter-number label is one unit, a packing label
    every meter number it lists, a HAN install-code label its EUI-64. Anything else is a problem in words
    (the label is not lost: the caller shows it); nothing here raises for outside text."""
    scans: list[ScannedUnit] = []
    problems: list[str] = []
    for label in labels:
        f = label.fields
        if label.kind == "meter_number":
            scans.append(ScannedUnit(f["meter_number"]))
        elif label.kind == "packing" and f.get("meter_numbers"):
            scans.extend(ScannedUnit(m) for m in f["meter_numbers"])
        elif label.kind == "packing" and f.get("meter_number"):
            scans.append(ScannedUnit(f["meter_number"]))
        elif label.kind == "install_code" and f.get("eui64"):
            scans.append(ScannedUnit(f["eui64"]))
        elif label.kind == "unrecognised":
            problems.append(f"{label.text.strip()[:40]!r}: {label.reason}")
        else:
            what = {"manufacturer_serial": "a manufacturer serial", "packing": "a packing label without meter "
                    "numbers", "install_code": "an install code without its EUI-64"}.get(label.kind, label.kind)
            problems.append(f"{label.text.strip()[:40]!r} is {what}; scan the utility meter number instead.")
        problems.extend(f"{label.text.strip()[:40]!r}: {p}" for p in label.problems)
    return scans, problems
