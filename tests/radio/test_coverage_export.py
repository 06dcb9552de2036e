"""Coverage export: GeoJSON (RFC 7946), CSV (RFC 4180), and the plot data the GUI draws."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from fieldtool.domain.coverage import CoverageReport, HeardNode, Verdict
from fieldtool.domain.model import Position
from fieldtool.services.coverage_export import CSV_COLUMNS, plot_data, to_csv, to_geojson

AT = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)


def report(i: int, verdict: Verdict, lat: float | None, lon: float | None) -> CoverageReport:
    return CoverageReport(
        id=f"r{i}", technology="rf_mesh", verdict=verdict, measured_at=AT, metric="rssi_dbm", value=-80.0 - 10 * i,
        reasons=("signal, with a comma", 'and "quotes"'), position=Position(lat, lon, 4.0) if lat is not None else None,
        loss_pct=0.0, heard=(HeardNode("C-101", "collector", -80.0, 28.0, 240, 0),), job_id=f"WO-{i}",
        meter_number=f"AMI{i}",
    )


REPORTS = [report(0, Verdict.ADEQUATE, 45.5, -73.5), report(1, Verdict.MARGINAL, 45.501, -73.5),
           report(2, Verdict.NONE, None, None)]


def test_geojson():
    g = to_geojson(REPORTS)
    assert g["type"] == "FeatureCollection" and len(g["features"]) == 3
    first, _, unplaced = g["features"]
    assert first["geometry"] == {"type": "Point", "coordinates": [-73.5, 45.5]}  # longitude first
    assert first["properties"]["marker-color"] == "#1a9641" and first["properties"]["heard"][0]["id"] == "C-101"
    assert "lat" not in first["properties"] and unplaced["geometry"] is None


def test_csv_quotes_and_columns():
    text = to_csv(REPORTS)
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS) and "\r\n" in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["reasons"] == 'signal, with a comma; and "quotes"' and rows[2]["lat"] == ""
    assert rows[1]["verdict"] == "marginal" and rows[0]["best_neighbour"] == "C-101"


def test_plot_data():
    p = plot_data(REPORTS)
    assert p["counts"] == {"adequate": 1, "marginal": 1}  # the unplaced report cannot be drawn
    a, b = p["points"]
    assert round(b["y_m"] - a["y_m"]) == 111 and a["x_m"] == b["x_m"] == 0.0  # 0.001° of latitude ≈ 111 m
    assert p["bounds"]["y_max"] > 0 > p["bounds"]["y_min"]
    assert plot_data([]) == {"origin": None, "points": [], "counts": {}, "bounds": None}
