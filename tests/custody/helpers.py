"""Shared set-up for custody and bench tests: a real store, a clock that steps, a ship notice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fieldtool.clock import Clock
from fieldtool.domain.receipt import ExpectedUnit, OrderLine, PurchaseOrder, ShipNotice

BASE = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


class SteppingClock(Clock):
    """Each ``now()`` is one second after the last; sleeps only advance the time."""

    def __init__(self):
        super().__init__(scale=0.0)
        self.t = BASE

    def now(self):
        self.t += timedelta(seconds=1)
        return self.t

    def sleep(self, configured: float) -> None:
        self.t += timedelta(seconds=configured)


def meter(i: int) -> str:
    return f"AM{10_000_000 + i:08d}"


def notice(n: int, *, document="ASN-1", lot="LOT-1", po="PO-1", per_box=10, start=0) -> ShipNotice:
    units = tuple(
        ExpectedUnit(meter(i), "2S-CL200", manufacturer_serial=f"SN{i:09d}", container=f"BOX-{i // per_box}",
                     components={"comm_module": f"CM{i:08d}"})
        for i in range(start, start + n)
    )
    return ShipNotice(document, units, po_number=po, vendor="Acme Metering", manufacturer="ACME", lot_number=lot)


def order(n: int, *, document="PO-1", price=84.5) -> PurchaseOrder:
    return PurchaseOrder(document, (OrderLine("2S-CL200", n, price),), vendor="Acme Metering")
