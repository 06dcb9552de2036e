"""The forecast as JSON-able data: the CLI's ``plan forecast`` output and the chart's series.

Shapes are documented in ``docs/cli.md`` (planning section). Pure.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from fieldtool.domain.forecast import ROLLOUT, Forecast
from fieldtool.domain.planfile import ItemKind
from fieldtool.domain.stockwatch import StockFlag


def items_needed(fc: Forecast) -> dict[str, Any]:
    """Fewer meter types is cheaper (UC134 1.4): which types and forms the plan really uses."""
    used = fc.needed.sum(axis=(0, 2))
    meters = [(it, int(used[k])) for k, it in enumerate(fc.plan.items) if it.kind == ItemKind.METER]
    han = [(it, int(used[k])) for k, it in enumerate(fc.plan.items) if it.kind == ItemKind.HAN]
    return {
        "meter_types_needed": sum(1 for _, n in meters if n),
        "forms_needed": sorted({it.form for it, n in meters if n and it.form}),
        "han_device_types_needed": sum(1 for _, n in han if n),
        "items": [{"item": it.code, "kind": it.kind.value, "form": it.form,
                   "installs": int(fc.installs[:, k].sum()), "needed": int(used[k])}
                  for k, it in enumerate(fc.plan.items)],
        "unused_items": [it.code for it, n in meters + han if not n],
    }


def chart_series(fc: Forecast, d: int, i: int) -> dict[str, Any]:
    """One district and item: projected stock against its minimum, maximum and safety lines."""
    def ints(a: np.ndarray) -> list[int]:
        return [int(x) for x in a]

    return {
        "district": fc.plan.districts[d].id,
        "item": fc.plan.items[i].code,
        "kind": fc.plan.items[i].kind.value,
        "installs": ints(fc.installs[d, i]),
        "demand": {k: ints(v[d, i]) for k, v in fc.demand.items() if k != ROLLOUT and v[d, i].any()},
        "needed": ints(fc.needed[d, i]),
        "receipts": ints(fc.receipts[d, i]),
        "stock": ints(fc.stock[d, i]),
        "minimum": ints(fc.minimum[d, i]),
        "maximum": ints(fc.maximum[d, i]),
        "safety": ints(fc.safety[d, i]),
    }


def series_keys(fc: Forecast, district: str | None = None, item: str | None = None) -> list[tuple[int, int]]:
    """The (district, item) pairs with any demand or stock, optionally only one district and/or item."""
    live = (fc.needed.any(axis=2)) | (fc.stock.any(axis=2))
    out = []
    for d, i in zip(*np.nonzero(live), strict=True):
        if district and fc.plan.districts[d].id != district:
            continue
        if item and fc.plan.items[i].code != item:
            continue
        out.append((int(d), int(i)))
    return out


def forecast_report(fc: Forecast, flags: list[StockFlag] | None = None, *, district: str | None = None,
                    item: str | None = None, with_series: bool = True) -> dict[str, Any]:
    ordered: dict[str, int] = {}
    for o in fc.orders:
        ordered[o.item] = ordered.get(o.item, 0) + o.quantity
    report: dict[str, Any] = {
        "plan_id": fc.plan.plan_id,
        "as_of": fc.as_of,
        "window": {"start": fc.plan.window_start, "end": fc.plan.window_end},
        "policy": dataclasses.asdict(fc.policy),
        "weeks": [fc.week_start(w) for w in range(fc.weeks)],
        **items_needed(fc),
        "totals": {
            "installs": int(fc.installs.sum()),
            "needed_by_kind": {k: int(v.sum()) for k, v in fc.demand.items()},
            "ordered": ordered,
        },
        "purchase_orders": [
            {"item": o.item, "quantity": o.quantity, "place_by": o.place_by, "delivered_by": o.delivered_by,
             "ship_by": o.ship_by, "district_week": fc.week_start(o.week)}
            for o in fc.orders
        ],
        "shortfalls": [dataclasses.asdict(s) for s in fc.shortfalls],
        "warehouse": [{"item": it.code, "stock": [int(x) for x in fc.warehouse[k]]}
                      for k, it in enumerate(fc.plan.items) if fc.warehouse[k].any()],
    }
    if flags is not None:
        report["flags"] = [dataclasses.asdict(f) for f in flags]
    if with_series:
        report["series"] = [chart_series(fc, d, i) for d, i in series_keys(fc, district, item)]
    return report
