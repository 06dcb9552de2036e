"""Coverage reports out of the store: GeoJSON (RFC 7946) and CSV for GIS and spreadsheets, and the plot data
the GUI draws (points on a local metric grid, coloured by verdict)."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

from fieldtool.domain.codec import to_data
from fieldtool.domain.coverage import CoverageReport

CSV_COLUMNS = (
    "id", "measured_at", "job_id", "meter_number", "meter_address", "technology", "verdict", "metric", "value",
    "loss_pct", "rtt_avg_ms", "via", "operator", "network_registration", "meter_registration", "lat", "lon",
    "accuracy_m", "fix_time", "heard_count", "best_neighbour", "plugin", "radio", "reasons",
)
VERDICT_COLOURS = {"adequate": "#1a9641", "marginal": "#fdae61", "none": "#d7191c"}


def _row(r: CoverageReport) -> dict[str, Any]:
    p = r.position
    best = max(r.heard, key=lambda h: h.signal if h.signal is not None else -1e9, default=None)
    return {
        "id": r.id, "measured_at": r.measured_at.isoformat(), "job_id": r.job_id, "meter_number": r.meter_number,
        "meter_address": r.meter_address, "technology": r.technology, "verdict": r.verdict.value,
        "metric": r.metric, "value": r.value, "loss_pct": r.loss_pct, "rtt_avg_ms": r.rtt_avg_ms, "via": r.via,
        "operator": r.operator, "network_registration": r.network_registration,
        "meter_registration": r.meter_registration, "lat": p.lat if p else None, "lon": p.lon if p else None,
        "accuracy_m": p.accuracy_m if p else None,
        "fix_time": p.fix_time.isoformat() if p and p.fix_time else None,
        "heard_count": len(r.heard), "best_neighbour": best.id if best else None, "plugin": r.plugin,
        "radio": r.radio, "reasons": "; ".join(r.reasons),
    }


def to_geojson(reports: Iterable[CoverageReport]) -> dict[str, Any]:
    """A FeatureCollection; a report without a position is a Feature with ``geometry: null`` (RFC 7946 §3.2)."""
    features = []
    for r in reports:
        props = _row(r)
        props.pop("lat"), props.pop("lon")
        props["heard"] = to_data(r.heard)
        props["marker-color"] = VERDICT_COLOURS[r.verdict.value]  # simplestyle: GIS viewers colour by it
        geometry = None
        if r.position is not None:
            # RFC 7946: longitude first, WGS 84, at most ~0.1 m precision is honest for a GPS fix
            geometry = {"type": "Point", "coordinates": [round(r.position.lon, 7), round(r.position.lat, 7)]}
        features.append({"type": "Feature", "id": r.id, "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def to_csv(reports: Iterable[CoverageReport]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writeheader()
    for r in reports:
        writer.writerow({k: ("" if v is None else v) for k, v in _row(r).items()})
    return out.getvalue()


def plot_data(reports: Iterable[CoverageReport]) -> dict[str, Any]:
    """Points east/north in metres from the reports' centre (equirectangular; fine over a district),
    each with its verdict, colour and value; plus counts per verdict and the bounds."""
    located = [r for r in reports if r.position is not None]
    counts = Counter(r.verdict.value for r in located)
    if not located:
        return {"origin": None, "points": [], "counts": dict(counts), "bounds": None}
    lat0 = sum(r.position.lat for r in located) / len(located)
    lon0 = sum(r.position.lon for r in located) / len(located)
    k = math.cos(math.radians(lat0))
    points = []
    for r in located:
        east = math.radians(r.position.lon - lon0) * 6_371_000.0 * k
        north = math.radians(r.position.lat - lat0) * 6_371_000.0
        points.append({
            "id": r.id, "x_m": round(east, 1), "y_m": round(north, 1), "verdict": r.verdict.value,
            "colour": VERDICT_COLOURS[r.verdict.value], "technology": r.technology, "metric": r.metric,
            "value": r.value, "accuracy_m": r.position.accuracy_m, "meter_number": r.meter_number,
            "label": f"{r.meter_number or r.job_id or ''} {r.verdict.value}".strip(),
        })
    xs, ys = [p["x_m"] for p in points], [p["y_m"] for p in points]
    return {"origin": {"lat": lat0, "lon": lon0}, "points": points, "counts": dict(counts),
            "bounds": {"x_min": min(xs), "x_max": max(xs), "y_min": min(ys), "y_max": max(ys)}}
