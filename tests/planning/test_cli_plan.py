"""``fieldtool plan forecast|schedule`` end to end, as a planner or a script runs them."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

from tests.conftest import cli_json, run_cli
from tests.planning.plans import plan_data

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "rollout-plan.json"


def test_forecast_of_the_demo_plan():
    out = cli_json("plan", "forecast", "--plan", str(DEMO))
    assert out["plan_id"] == "DEMO-2027" and out["meter_types_needed"] == 4
    assert out["forms_needed"] == ["12S", "16S", "2S"] and out["han_device_types_needed"] == 1
    assert out["totals"]["needed_by_kind"]["maintenance"] > 0
    assert set(out["totals"]["needed_by_kind"]) == {"rollout", "maintenance", "panel_upgrade",
                                                    "route_maintenance", "incomplete_installation", "new_accounts"}
    series = {(s["district"], s["item"]): s for s in out["series"]}
    north = series[("NORTH", "AMI-2S-RF")]
    assert len(north["stock"]) == len(out["weeks"]) == len(north["safety"])
    assert north["demand"]["new_accounts"][-1] == 2
    for o in out["purchase_orders"]:
        assert o["place_by"] >= out["as_of"]
    assert "flags" not in out


def test_forecast_filters_and_refusal(tmp_path):
    out = cli_json("plan", "forecast", "--plan", str(DEMO), "--district", "EAST", "--item", "PCT-ZB")
    assert [(s["district"], s["item"]) for s in out["series"]] == [("EAST", "PCT-ZB")]
    bad = plan_data()
    bad["service_points"][0]["district"] = "NOWHERE"
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(bad))
    r = run_cli("plan", "forecast", "--plan", str(p), "--json")
    assert r.returncode == 1
    assert "service_points[0] (district NOWHERE, type A)" in json.loads(r.stdout)["error"]
    assert "not one of the plan's districts" in r.stderr


def test_schedule_exports_csv_and_json_kept_off_read_dates(tmp_path):
    info = cli_json("plan", "schedule", "--plan", str(DEMO), "--out", str(tmp_path / "s.csv"))
    assert info["format"] == "csv" and info["guard_days"] == 2
    rows = list(csv.DictReader((tmp_path / "s.csv").read_text(encoding="utf-8").splitlines()))
    assert len(rows) == info["work_orders"] == 7254
    assert {"work_order_id", "date", "district", "crew", "billing_cycle", "account_number", "meter_type",
            "next_read_date"} <= set(rows[0])
    for row in rows:
        assert int(row["days_to_read"]) > 2
    accounts = [r["account_number"] for r in rows if r["account_number"]]
    assert accounts == ["4000123401", "4000123402", "4000123409", "4000123417"]
    info = cli_json("plan", "schedule", "--plan", str(DEMO), "--out", str(tmp_path / "s.json"))
    doc = json.loads((tmp_path / "s.json").read_text())
    assert doc["plan_id"] == "DEMO-2027" and len(doc["work_orders"]) == 7254
    assert doc["work_orders"][0]["date"] == info["first_date"]
    # the two exports carry the same work orders in the same order
    assert [{k: ("" if v is None else str(v)) for k, v in wo.items()} for wo in doc["work_orders"]] == rows
    # HAN devices: 90 thermostats over NORTH's first line, 35 over EAST's line, one per service point
    han = [r for r in rows if r["han_devices"]]
    assert len(han) == 125 and {r["han_devices"] for r in han} == {"PCT-ZB=1"}
    assert len({r["work_order_id"] for r in rows}) == len(rows)


def test_schedule_uses_the_configured_guard_days(tmp_path, fieldtool_home):
    (fieldtool_home / "config").mkdir(parents=True)
    (fieldtool_home / "config" / "fieldtool.toml").write_text("[checks]\nbilling_guard_days = 3\n")
    info = cli_json("plan", "schedule", "--plan", str(DEMO), "--out", str(tmp_path / "s.json"))
    assert info["guard_days"] == 3
    doc = json.loads((tmp_path / "s.json").read_text())
    reads = {"01": 2, "02": 6, "03": 10, "04": 15, "05": 20, "06": 24}
    for wo in doc["work_orders"]:
        day = date.fromisoformat(wo["date"])
        read_day = reads[wo["billing_cycle"]]
        for month_shift in (-1, 0, 1):
            first = (day.replace(day=1) + timedelta(days=32 * month_shift)).replace(day=1)
            assert abs((day - first.replace(day=read_day)).days) > 3


def test_schedule_refuses_an_unknown_extension(tmp_path):
    r = run_cli("plan", "schedule", "--plan", str(DEMO), "--out", str(tmp_path / "s.xlsx"))
    assert r.returncode == 1 and "must end in .csv or .json" in r.stderr


def test_forecast_with_a_stock_file_flags_districts_and_fixes(tmp_path):
    stock = {
        "as_of": "2027-05-03",
        "stock": [
            {"location": "NORTH", "item": "AMI-2S-RF", "on_hand": 10},
            {"location": "SOUTH", "item": "AMI-2S-RF", "on_hand": 2500},
            {"location": "warehouse", "item": "AMI-2S-RF", "on_hand": 100},
            {"location": "SOUTH", "item": "AMI-2S-PLC", "on_hand": 600, "in_transit": 96, "arrives": "2027-05-10"},
        ],
        "installs_done": [{"district": "NORTH", "item": "AMI-2S-RF", "quantity": 1000},
                          {"district": "SOUTH", "item": "AMI-2S-PLC", "quantity": 900}],
    }
    p = tmp_path / "stock.json"
    p.write_text(json.dumps(stock))
    out = cli_json("plan", "forecast", "--plan", str(DEMO), "--stock", str(p), "--no-series")
    assert out["as_of"] == "2027-05-03"
    flags = {(f["district"], f["item"], f["status"]): f for f in out["flags"]}
    north = flags[("NORTH", "AMI-2S-RF", "below_min")]
    south = flags[("SOUTH", "AMI-2S-RF", "above_max")]
    moves = [(f["action"], f["source"], f["destination"]) for f in north["fixes"]]
    assert moves[0] == ("transfer", "SOUTH", "NORTH")
    assert south["fixes"][0]["action"] == "transfer" and south["fixes"][0]["destination"] == "NORTH"
    assert sum(f["quantity"] for f in north["fixes"]) == north["maximum"] - north["projected"]
    # 1000 of NORTH's 3304 AMI-2S-RF service points are done: the rest is scheduled from the stock date
    assert out["items"][0]["installs"] == 5104 - 1000
