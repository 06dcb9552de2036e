"""End to end through ``python -m fieldtool``: import the demo day, check, walk an exchange, read the outbox."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import cli_json, run_cli

DEMO = Path(__file__).parents[2] / "resources/demo/work-orders.json"
JOB = "WO-260312-001"
HERE = {"lat": 36.757815, "lon": -119.816310, "accuracy_m": 4.0}


@pytest.fixture
def imported():
    return cli_json("work-orders", "import", str(DEMO))


def ev(name, data=None, job=JOB):
    args = ["exchange", "event", job, name]
    if data is not None:
        args += ["--data", json.dumps(data)]
    return cli_json(*args)


def refused(*args):
    r = run_cli(*args, "--json")
    assert r.returncode == 1, r.stdout + r.stderr
    assert json.loads(r.stdout)["error"] in r.stderr
    return r.stderr


def test_import_list_show(imported):
    assert imported["imported"] == 14 and imported["installer_id"] == "INS-042" and imported["issued_stock"] == 14
    listed = cli_json("work-orders", "list", "--route", "R-07")["work_orders"]
    assert [w["id"] for w in listed][:3] == ["WO-260312-001", "WO-260312-002", "WO-260312-003"]
    assert listed[0]["exchange_state"] is None and listed[0]["status"] == "open"
    shown = cli_json("work-orders", "show", JOB)
    assert shown["removal"]["meter_number"] == "V123456" and shown["service_point"]["isp_number"] == "ISP-4471902"
    assert cli_json("work-orders", "list", "--status", "completed")["work_orders"] == []


def test_bad_file_is_refused_whole_and_nothing_changes(imported, tmp_path):
    doc = json.loads(DEMO.read_text())
    doc["work_orders"][0]["customer_name_typo"] = "x"
    doc["work_orders"][4]["removal"]["dials"] = "five"
    doc["work_orders"][1]["service_point"]["customer_name"] = "Changed Name"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    err = refused("work-orders", "import", str(bad))
    assert "work order WO-260312-001 (record 1): unknown field(s): customer_name_typo" in err
    assert "work order WO-260312-005 (record 5): removal.dials: must be a whole number" in err
    assert cli_json("work-orders", "show", "WO-260312-002")["service_point"]["customer_name"] == "Daniel Okafor"
    (tmp_path / "garbled.json").write_text("{not json")
    assert "not valid JSON" in refused("work-orders", "import", str(tmp_path / "garbled.json"))


def test_check_prints_findings_in_the_fixed_shape(imported, tmp_path):
    actual = tmp_path / "actual.json"
    actual.write_text(json.dumps({
        "old_meter_number": "V-123456", "old_meter_form": "2S", "new_meter_number": "72600201",
        "new_meter_form": "12S", "final_read": 41_862, "read_at": "2026-03-12T16:40:00Z",
        "position": {"lat": 36.7650, "lon": -119.8163, "accuracy_m": 8}, "han_device_ids": [],
        "program_id": "RES-TOU-D-4", "installer_id": "INS-042",
    }))
    out = cli_json("check", JOB, "--actual", str(actual))
    assert {f["rule"]: f["severity"] for f in out["findings"]} == {
        "meter-form": "block", "gps-distance": "warn", "meter-type": "block"}
    assert all(set(f) == {"rule", "severity", "planned", "actual", "message"} for f in out["findings"])
    gps = next(f for f in out["findings"] if f["rule"] == "gps-distance")
    assert gps["planned"]["tolerance_m"] == 100.0 and gps["actual"]["distance_m"] > 700
    actual.write_text("{}")
    assert cli_json("check", JOB, "--actual", str(actual)) == {"findings": []}
    actual.write_text(json.dumps({"final_read": "lots"}))
    assert "final_read" in refused("check", JOB, "--actual", str(actual))
    actual.write_text(json.dumps({"final_reed": 1}))
    assert "unknown field(s): final_reed" in refused("check", JOB, "--actual", str(actual))
    actual.write_text("{}")
    assert "no work order" in refused("check", "WO-NOPE", "--actual", str(actual))


def test_walk_an_exchange_through_soft_registration(imported):
    out = cli_json("exchange", "start", JOB)
    assert (out["state"], out["next"]) == ("scan_meter", ["scan_meter", "cannot_complete"])
    assert ev("scan_meter", {"meter_number": "72600999"})["findings"][0]["rule"] == "meter-not-issued"
    ev("arrive", {"position": HERE})
    ev("verify_old_meter", {"meter_number": "V123456", "form": "2S", "conditions": ["panel_damaged"],
                            "notes": "cracked meter base"})
    out = ev("final_read", {"value": 41_870, "read_at": "2026-03-12T16:40:00Z"})
    assert out["state"] == "remove_old_meter"
    err = refused("exchange", "event", JOB, "remove_old_meter")
    assert "meter-not-issued" in err and "'remove_old_meter'" in err
    assert "block" in refused("exchange", "ack", JOB, "meter-not-issued", "--reason", "fine")
    out = ev("scan_meter", {"meter_number": "72600101"})  # the other action: a meter issued to me
    assert out["findings"] == []
    for name, data in [("remove_old_meter", None), ("install_meter", None), ("self_check", {"passed": True}),
                       ("identify_meter", {"meter_number": "72600101", "form": "2S", "program_id": "DEFAULT-01"})]:
        out = ev(name, data)
    assert out["state"] == "write_meter" and out["findings"][0]["rule"] == "program-id"
    over = cli_json("exchange", "override", JOB, "program-id", "--supervisor", "SUP-7",
                    "--reason", "head-end downloads the tariff program (8.3)")
    assert over["overridden"][0]["supervisor"] == "SUP-7"
    ev("write_meter", {"position": HERE})
    ev("registration_timeout")
    ev("network_tested", {"technology": "rf_mesh", "reachable": True, "signal_dbm": -107.5})
    ev("judge_coverage", {"verdict": "marginal"})
    ev("report_marginal_coverage", {"notes": "one bar at the wall"})
    out = ev("soft_register")
    assert out == {"state": "awaiting_verification", "findings": out["findings"], "next": ["verification", "registered"]}

    shown = cli_json("exchange", "show", JOB)
    assert shown["manual_read_route"] is True and shown["coverage"] == "marginal"
    assert shown["step"] == {"step": "awaiting_verification", "uc_step": "8", "label": "Waiting for the back office to verify"}
    assert [a["event"] for a in shown["audit"]][:3] == ["start", "scan_meter", "arrive"]
    assert "override" in [a["event"] for a in shown["audit"]] and shown["time_on_site_s"] >= 0

    outbox = cli_json("outbox", "list", "--job", JOB)
    kinds = [e["kind"] for e in outbox["events"]]
    assert {"transition", "as_found", "coverage_report", "soft_registration"} <= set(kinds)
    soft = next(e for e in outbox["events"] if e["kind"] == "soft_registration")
    assert soft["state"] == "queued" and soft["payload"]["registration"]["status"] == "soft"
    assert soft["payload"]["old_meter"]["readings"][0]["value"] == 41_870
    assert soft["payload"]["record"]["meter_damaged"] is True
    assert len({e["correlation_id"] for e in outbox["events"]}) == 1
    assert outbox["counts"]["queued"] == len(outbox["events"])
    assert cli_json("work-orders", "show", JOB)["exchange_state"] == "awaiting_verification"


def test_illegal_event_and_bad_data_are_refused_in_words(imported):
    cli_json("exchange", "start", "WO-260312-002")
    err = refused("exchange", "event", "WO-260312-002", "install_meter")
    assert "'install_meter' is not allowed at step 'scan_meter'" in err and "Allowed here: scan_meter" in err
    assert "not valid JSON" in refused("exchange", "event", "WO-260312-002", "scan_meter", "--data", "{meter")
    assert "meter_number: is missing" in refused("exchange", "event", "WO-260312-002", "scan_meter", "--data", "{}")
    assert "has not started" in refused("exchange", "show", "WO-260312-003")
    assert "HAN" in refused("exchange", "start", "WO-260312-011")
    assert run_cli("exchange", "event", "WO-260312-002", "dance").returncode == 2


def test_cannot_complete_creates_a_go_back(imported):
    cli_json("exchange", "start", "WO-260312-008")
    ev("scan_meter", {"meter_number": "72600201"}, job="WO-260312-008")
    ev("arrive", job="WO-260312-008")
    out = ev("cannot_complete", {"reason": "no_access", "notes": "guard dog loose, owner not home"}, job="WO-260312-008")
    assert out["state"] == "cannot_complete" and out["next"] == []
    assert cli_json("work-orders", "show", "WO-260312-008")["status"] == "cannot_complete"
    go = [e for e in cli_json("outbox", "list", "--job", "WO-260312-008")["events"] if e["kind"] == "go_back"]
    assert go[0]["payload"] == {"reason": "no_access", "notes": "guard dog loose, owner not home",
                                "status": "waitingToBeScheduled", "photo_ids": []}


def test_table_lists_every_step_with_its_events():
    steps = cli_json("exchange", "table")["steps"]
    assert steps[0]["uc_step"] == "6.1" and steps[-1]["step"] == "cannot_complete"
    coverage = next(s for s in steps if s["step"] == "coverage")
    assert [e["name"] for e in coverage["events"]["exchange"]][:2] == ["judge_coverage", "registered"]
