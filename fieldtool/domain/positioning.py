"""How good a GNSS position is, and one honest position from several fixes. Pure.

Estimated accuracy: where the receiver sends GST, its own 1-sigma error; otherwise HDOP times a
user-equivalent range error (UERE) that depends on the fix quality (autonomous GPS a few metres,
SBAS/DGPS about a metre, RTK centimetres). Accuracy is reported at about 95 % (2DRMS = 2 x sigma x HDOP),
which is what a distance check must allow for.

Averaging: fixes far from the median position (multipath jumps, a bad epoch) are rejected, the rest are
averaged with weights 1/accuracy^2. The averaged accuracy is never claimed better than the best single
fix kept: GNSS errors are correlated over minutes, so a short average does not shrink them by sqrt(N).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

EARTH_RADIUS_M = 6_371_008.8

# 1-sigma user-equivalent range error in metres, by GGA fix quality.
UERE_M = {1: 3.5, 2: 1.0, 3: 3.5, 4: 0.02, 5: 0.3, 6: 25.0, 9: 1.0}
HDOP_UNKNOWN = 2.0  # assumed when a receiver gives no HDOP (RMC-only streams)
QUALITY_NAMES = {0: "no fix", 1: "GPS", 2: "DGPS/SBAS", 3: "PPS", 4: "RTK fixed", 5: "RTK float",
                 6: "dead reckoning", 7: "manual", 8: "simulation", 9: "WAAS"}  # fmt: skip


def estimate_accuracy(quality: int, hdop: float | None, sigma_m: float | None = None) -> float | None:
    """Horizontal accuracy (metres, ~95 %) of one fix; None for fixes that are not measurements
    (quality 0 no fix, 7 manual input, 8 simulator)."""
    if quality in (0, 7, 8):
        return None
    if sigma_m is not None and sigma_m > 0:
        return round(2.0 * sigma_m, 2)
    uere = UERE_M.get(quality, 3.5)
    return round(2.0 * uere * (hdop if hdop and hdop > 0 else HDOP_UNKNOWN), 2)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Sample:
    lat: float
    lon: float
    accuracy_m: float | None
    time: datetime | None = None


@dataclass(frozen=True)
class Average:
    lat: float
    lon: float
    accuracy_m: float
    time: datetime | None  # the newest fix used
    used: int
    rejected: int
    spread_m: float  # RMS distance of the used fixes from the average


def average(samples: Sequence[Sample], *, k: float = 3.0, min_reject_m: float = 5.0) -> Average | None:
    """One position from several fixes, with outliers rejected; None for no samples.

    A fix is an outlier when it lies more than ``max(k * median distance, min_reject_m)`` from the median
    position (robust against up to half of the fixes being off).
    """
    if not samples:
        return None
    mlat = statistics.median(s.lat for s in samples)
    mlon = statistics.median(s.lon for s in samples)
    dists = [distance_m(mlat, mlon, s.lat, s.lon) for s in samples]
    limit = max(k * statistics.median(dists), min_reject_m)
    kept = [s for s, d in zip(samples, dists, strict=True) if d <= limit]
    known = [s.accuracy_m for s in kept if s.accuracy_m]
    fallback = statistics.median(known) if known else 2.0 * UERE_M[1] * HDOP_UNKNOWN
    weights = [1.0 / (s.accuracy_m or fallback) ** 2 for s in kept]
    total = sum(weights)
    lat = sum(w * s.lat for w, s in zip(weights, kept, strict=True)) / total
    lon = sum(w * s.lon for w, s in zip(weights, kept, strict=True)) / total
    spread = math.sqrt(sum(distance_m(lat, lon, s.lat, s.lon) ** 2 for s in kept) / len(kept))
    accuracy = max(2.0 * spread, min(known) if known else fallback)
    times = [s.time for s in kept if s.time]
    return Average(lat, lon, round(accuracy, 2), max(times) if times else None, len(kept),
                   len(samples) - len(kept), round(spread, 2))  # fmt: skip


def is_stale(fix_age_s: float | None, max_age_s: float) -> bool:
    """A fix older than ``max_age_s`` (or no fix at all) must not be handed to the checks as current."""
    return fix_age_s is None or fix_age_s > max_age_s
