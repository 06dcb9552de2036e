"""The ``gps-distance`` rule of I1FR15: where the installer stands against where the customer system
says the meter is, honest about the fix's accuracy and age, and the unique location id of I1FR7."""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING

from fieldtool.domain.findings import Finding
from fieldtool.domain.model import Severity, WorkOrder

if TYPE_CHECKING:
    from fieldtool.domain.checks import Actual, Stock

BLOCK, WARN, INFO = Severity.BLOCK, Severity.WARN, Severity.INFO
EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _valid(value: float, limit: float | None = None) -> bool:
    if not math.isfinite(value):
        return False
    return abs(value) <= limit if limit is not None else value >= 0


def gps_distance(order: WorkOrder, actual: Actual, stock: Stock, now: datetime) -> list[Finding]:
    pos = actual.position
    if pos is None:
        return []
    sp, tol, out = order.service_point, order.tolerances, []
    here = {"lat": pos.lat, "lon": pos.lon, "accuracy_m": pos.accuracy_m}
    if not _valid(pos.lat, 90) or not _valid(pos.lon, 180) or (pos.accuracy_m is not None and not _valid(pos.accuracy_m)):
        return [Finding("gps-distance", BLOCK, "The position is not a valid fix (latitude, longitude or accuracy "
                        "out of range). Take the fix again.", None, here)]
    if pos.fix_time is not None:
        age = ((actual.position_captured_at or now) - pos.fix_time).total_seconds()
        if age > tol.gps_max_fix_age_s:
            out.append(
                Finding(
                    "gps-distance",
                    WARN,
                    f"The GPS fix is {age:.0f} s old (at most {tol.gps_max_fix_age_s:g} s). Take a new fix.",
                    {"max_fix_age_s": tol.gps_max_fix_age_s},
                    {**here, "fix_age_s": round(age, 1)},
                )
            )
    if sp.lat is None or sp.lon is None:
        out.append(Finding("gps-distance", INFO, "The plan has no coordinates; the position was not checked.", None, here))
    else:
        d = distance_m(sp.lat, sp.lon, pos.lat, pos.lon)
        accuracy = pos.accuracy_m or 0.0
        planned = {"lat": sp.lat, "lon": sp.lon, "tolerance_m": tol.gps_distance_m}
        if accuracy > tol.gps_distance_m:
            out.append(
                Finding(
                    "gps-distance",
                    WARN,
                    f"The fix is only good to ±{accuracy:g} m, too coarse to confirm the location "
                    f"(tolerance {tol.gps_distance_m:g} m). Wait for a better fix.",
                    planned,
                    {**here, "distance_m": round(d, 1)},
                )
            )
        elif d - accuracy > tol.gps_distance_m:
            out.append(
                Finding(
                    "gps-distance",
                    WARN,
                    f"You are {d:.0f} m from the customer system's coordinates (±{accuracy:g} m fix, tolerance "
                    f"{tol.gps_distance_m:g} m). Check that this is the right premise.",
                    planned,
                    {**here, "distance_m": round(d, 1)},
                )
            )
    out.extend(_location_id(order, actual))
    return out


def _location_id(order: WorkOrder, actual: Actual) -> list[Finding]:
    sp, given = order.service_point, (actual.location_id or "").strip()
    if sp.meters_at_coordinate > 1 and not given:
        return [
            Finding(
                "gps-distance",
                BLOCK,
                f"{sp.meters_at_coordinate} meters share these coordinates: give the unique location "
                "identifier of this meter's socket (I1FR7).",
                {"meters_at_coordinate": sp.meters_at_coordinate, "location_id": sp.location_id},
                {"location_id": None},
            )
        ]
    if sp.location_id and given and given.casefold() != sp.location_id.strip().casefold():
        return [
            Finding(
                "gps-distance",
                WARN,
                f"The meter is at location {given}, the plan says {sp.location_id}. Check the socket.",
                {"location_id": sp.location_id},
                {"location_id": given},
            )
        ]
    return []
