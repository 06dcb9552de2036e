"""The work-order download: the day's plan, its tolerances and the installer's issued stock (UC134 5.2).

``parse_download(data, defaults)`` turns the JSON document (see ``docs/work-orders.md``) into a
``Download``. It is **all or nothing**: every record is checked first, and a file with any bad record is
refused as a whole, with one line per bad record naming the record and the field. A download is one
consistent plan (jobs, their order on the route, the stock issued for them); half of it would send an
installer out with a route that has holes and a stock list that does not match it.

Tolerances: each record's ``tolerances`` keys override the file's ``tolerances``, which override the
utility-wide defaults from the configuration (``[checks]``). Pure: no I/O.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from fieldtool.domain.codec import from_data
from fieldtool.domain.errors import InputError
from fieldtool.domain.model import IssuedMeter, Tolerances, WorkOrder, WorkOrderKind

FORMAT = "fieldtool-work-orders"
SCHEMA_VERSION = 1
MAX_LISTED = 20  # bad records named in one message; the count says how many more
_HEX = re.compile(r"^[0-9A-Fa-f]+$")
_TOLERANCE_KEYS = {f.name for f in fields(Tolerances)}


@dataclass(frozen=True)
class Download:
    installer_id: str | None
    generated_at: datetime | None
    work_orders: tuple[WorkOrder, ...]
    issued_stock: tuple[IssuedMeter, ...] | None  # None: the file carries no stock list


@dataclass(frozen=True)
class _StockEntry:
    meter_number: str
    meter_type: str


def parse_download(data: Any, defaults: Tolerances, source: str = "the work-order file") -> Download:
    """Check and convert a whole download; raise one ``InputError`` naming every bad record."""
    if not isinstance(data, dict):
        raise InputError(f"{source} must be a JSON object with a work_orders list.")
    known = {"format", "schema_version", "generated_at", "installer_id", "tolerances", "issued_stock", "work_orders"}
    unknown = sorted(set(data) - known)
    problems: list[str] = []
    if unknown:
        problems.append(f"unknown field(s) at the top: {', '.join(unknown)}")
    if data.get("format", FORMAT) != FORMAT:
        problems.append(f"format is {data.get('format')!r}, not {FORMAT!r}")
    version = data.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version > SCHEMA_VERSION:
        problems.append(f"schema_version {version!r} is not one this tool reads (up to {SCHEMA_VERSION})")
    installer = data.get("installer_id")
    if installer is not None and (not isinstance(installer, str) or not installer.strip()):
        problems.append("installer_id must be text")
        installer = None
    generated = _generated_at(data.get("generated_at"), problems)
    file_tol = data.get("tolerances", {})
    if not isinstance(file_tol, dict) or set(file_tol) - _TOLERANCE_KEYS:
        problems.append(f"tolerances must be an object with keys among {', '.join(sorted(_TOLERANCE_KEYS))}")
        file_tol = {}
    base_tol = {**{f.name: getattr(defaults, f.name) for f in fields(Tolerances)}, **file_tol}
    _try(problems, lambda: _check_tolerances(from_data(Tolerances, base_tol, "file tolerances"), "file tolerances"))
    stock = _stock(data.get("issued_stock"), installer, problems)
    records = data.get("work_orders")
    if not isinstance(records, list):
        problems.append("work_orders must be a list of work orders")
        records = []
    orders = [o for i, rec in enumerate(records) if (o := _record(i, rec, base_tol, installer, problems))]
    ids = Counter(o.id for o in orders)
    problems += [f"work order {wid}: the id appears {n} times in the file" for wid, n in ids.items() if n > 1]
    if problems:
        listed = "\n  ".join(problems[:MAX_LISTED])
        more = f"\n  ... and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
        raise InputError(
            f"{source} was not imported ({len(problems)} problem(s)); nothing was changed:\n  {listed}{more}",
            hint="Ask the back office for a corrected download.",
        )
    return Download(installer, generated, tuple(mark_shared_coordinates(orders)), stock)


def _generated_at(value: Any, problems: list[str]) -> datetime | None:
    if value is None:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00")) if isinstance(value, str) else None
    except ValueError:
        dt = None
    if dt is None or dt.tzinfo is None:
        problems.append(f"generated_at: {value!r} is not a time like 2026-03-12T05:30:00Z")
        return None
    return dt


def _try(problems: list[str], fn):
    try:
        return fn()
    except InputError as e:
        problems.append(str(e))
        return None


def _stock(raw: Any, installer: str | None, problems: list[str]) -> tuple[IssuedMeter, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        problems.append("issued_stock must be a list of {meter_number, meter_type}")
        return None
    if installer is None:
        problems.append("issued_stock needs installer_id: whose stock is it?")
    out = []
    for i, entry in enumerate(raw):
        item = _try(problems, lambda e=entry, i=i: from_data(_StockEntry, e, f"issued_stock[{i}]"))
        if item is not None:
            out.append(IssuedMeter(item.meter_number.strip(), item.meter_type.strip(), installer or ""))
    for number, n in Counter(m.meter_number for m in out).items():
        if n > 1:
            problems.append(f"issued_stock: meter {number} is listed {n} times")
    return tuple(out)


def _record(i: int, rec: Any, base_tol: dict, installer: str | None, problems: list[str]) -> WorkOrder | None:
    wid = rec.get("id") if isinstance(rec, dict) else None
    where = f"work order {wid} (record {i + 1})" if isinstance(wid, str) and wid else f"record {i + 1}"
    if not isinstance(rec, dict):
        problems.append(f"{where}: must be an object")
        return None
    tol = rec.get("tolerances", {})
    if isinstance(tol, dict):
        rec = {**rec, "tolerances": {**base_tol, **tol}}
    if installer and "installer_id" not in rec:
        rec = {**rec, "installer_id": installer}
    try:
        order = from_data(WorkOrder, rec, where)
    except InputError as e:  # the codec names the whole record "record"; here the record is named already
        problems.append(str(e).replace(f"{where}: record: ", f"{where}: "))
        return None
    before = len(problems)
    for message in _semantics(order):
        problems.append(f"{where}: {message}")
    return order if len(problems) == before else None


def _semantics(o: WorkOrder) -> list[str]:
    """What the types cannot say: the fields a kind of job needs, and values in range."""
    out = []
    if not o.id.strip():
        out.append("id: is empty")
    need = {
        WorkOrderKind.EXCHANGE: ("removal", "install"),
        WorkOrderKind.NEW_SET: ("install",),
        WorkOrderKind.REMOVAL: ("removal",),
        WorkOrderKind.HAN_ONLY: (),
    }[o.kind]
    out += [f"{name}: is required for a {o.kind.value} job" for name in need if getattr(o, name) is None]
    if o.kind is WorkOrderKind.NEW_SET and o.removal is not None:
        out.append("removal: a new set has no meter to remove")
    if o.kind is WorkOrderKind.HAN_ONLY and not o.han_devices:
        out.append("han_devices: a HAN-only job needs at least one device")
    sp = o.service_point
    if (sp.lat is None) != (sp.lon is None):
        out.append("service_point.lat/lon: give both or neither")
    if sp.lat is not None and not -90 <= sp.lat <= 90:
        out.append(f"service_point.lat: {sp.lat} is not a latitude")
    if sp.lon is not None and not -180 <= sp.lon <= 180:
        out.append(f"service_point.lon: {sp.lon} is not a longitude")
    if sp.meters_at_coordinate < 1:
        out.append("service_point.meters_at_coordinate: must be 1 or more")
    if o.window_start and o.window_end and o.window_end < o.window_start:
        out.append("window_end: is before window_start")
    if r := o.removal:
        if not 1 <= r.dials <= 9:
            out.append(f"removal.dials: {r.dials} (a register has 1 to 9 dials)")
        elif r.last_read is not None and not 0 <= r.last_read < 10**r.dials:
            out.append(f"removal.last_read: {r.last_read:g} does not fit {r.dials} dials")
        if r.multiplier <= 0:
            out.append("removal.multiplier: must be above 0")
        if r.avg_daily_usage is not None and r.avg_daily_usage < 0:
            out.append("removal.avg_daily_usage: must not be negative")
        if not r.meter_number.strip():
            out.append("removal.meter_number: is empty")
    for k, d in enumerate(o.han_devices):
        if len(d.eui64) != 16 or not _HEX.match(d.eui64):
            out.append(f"han_devices[{k}].eui64: {d.eui64!r} is not 16 hex digits")
        if d.install_code is not None and (len(d.install_code) not in (16, 20, 28, 36) or not _HEX.match(d.install_code)):
            out.append(f"han_devices[{k}].install_code: not 16, 20, 28 or 36 hex digits (code + CRC)")
    out += _check_tolerances(o.tolerances, "tolerances", raise_=False)
    return out


def _check_tolerances(t: Tolerances, where: str, raise_: bool = True) -> list[str]:
    bad = [
        f"{where}.{f.name}: must be a number not below 0"
        for f in fields(Tolerances)
        if not math.isfinite(getattr(t, f.name)) or getattr(t, f.name) < 0
    ]
    if bad and raise_:
        raise InputError("; ".join(bad))
    return bad


def mark_shared_coordinates(orders: list[WorkOrder]) -> list[WorkOrder]:
    """Where several jobs of the download share one CSS coordinate (a meter bank), each needs a unique
    location identifier (I1FR7): raise ``meters_at_coordinate`` to at least the number of such jobs."""
    counts = Counter(k for o in orders if (k := _coordinate(o)) is not None)
    out = []
    for o in orders:
        k = _coordinate(o)
        n = counts[k] if k is not None else 1
        if n > o.service_point.meters_at_coordinate:
            o = replace(o, service_point=replace(o.service_point, meters_at_coordinate=n))
        out.append(o)
    return out


def _coordinate(o: WorkOrder) -> tuple[float, float] | None:
    sp = o.service_point
    # six decimals are about 0.1 m: the same point as the customer system recorded it
    return None if sp.lat is None or sp.lon is None else (round(sp.lat, 6), round(sp.lon, 6))
