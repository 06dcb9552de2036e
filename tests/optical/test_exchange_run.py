"""A whole exchange headless: the workflow's meter steps over the optical port, the rest from an answers file;
in process and through ``fieldtool exchange run`` over socket:// and a pty."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fieldtool.config import Config
from fieldtool.domain.errors import InputError
from fieldtool.services.exchange_run import check_answers, run_exchange
from fieldtool.services.install import InstallService
from fieldtool.store.db import open_store
from firmware_sim.meter.behaviour import Behaviour
from tests.conftest import cli_json

from .conftest import SCALE, write_config

DEMO = Path(__file__).parents[2] / "resources/demo/work-orders.json"
JOB = "WO-260312-001"
HERE = {"lat": 36.757815, "lon": -119.816310, "accuracy_m": 4.0}
ANSWERS = {
    "installer": "INS-042",
    "events": {
        "scan_meter": {"meter_number": "72600101"},
        "arrive": {"position": HERE},
        "verify_old_meter": {"meter_number": "V123456", "form": "2S"},
        "final_read": {"value": 41870, "read_at": "2026-03-12T16:40:00Z"},
        "remove_old_meter": {},
        "install_meter": {},
        "report": {},
    },
    "as_found": {"conditions": ["panel_damaged"], "notes": "cracked meter base cover"},
}
EXPECTED = ["scan_meter", "arrive", "record_as_found", "verify_old_meter", "final_read", "remove_old_meter",
            "install_meter", "self_check", "identify_meter", "identify_meter", "write_meter", "registered", "report"]  # fmt: skip


def test_exchange_in_process(meter, link):
    srv, url = meter("acme-r1", meter_id="72600101",
                     behaviour=Behaviour(registration="after:8", time_scale=SCALE))  # fmt: skip
    with open_store() as store:
        svc = InstallService(store, config=Config({"exchange": {"registration_poll_s": 0.1}}))
        svc.import_download(json.loads(DEMO.read_text()))
        out = run_exchange(svc, JOB, link(url), ANSWERS, poll_s=0.05)
    assert out["stopped"] is None and out["state"] == "awaiting_verification", out
    assert [s["event"] for s in out["steps"]] == EXPECTED
    assert [s["source"] for s in out["steps"]][7:12] == ["meter"] * 5
    assert out["steps"][8]["findings"][0]["rule"] == "program-id"  # the factory program, cured by 8.3
    assert out["identified"]["meter_number"] == "72600101" and out["identified"]["form"] == "2S"
    assert out["program"] == {"intended": "RES-TOU-D-4", "reported": "RES-TOU-D-4", "loaded": True, "matches": True,
                              "loaded_at": out["program"]["loaded_at"]}  # fmt: skip
    assert abs(out["clock"]["drift_s"]) <= 1
    rec = srv.shared.state.install_record
    assert rec["service_point_id"] == "ISP-4471902" and rec["removed_meter_id"] == "V123456"
    assert rec["removed_final_read_milli"] == 41870000 and rec["work_order_id"] == JOB
    assert srv.shared.state.program["program_id"] == "RES-TOU-D-4"


def test_answers_missing_a_step_stop_there_and_resume(meter, link):
    _, url = meter("acme-r1", meter_id="72600101", behaviour=Behaviour(registration="after:0", time_scale=SCALE))
    partial = {**ANSWERS, "events": {k: v for k, v in ANSWERS["events"].items() if k != "final_read"}}
    with open_store() as store:
        svc = InstallService(store, config=Config({"exchange": {"registration_poll_s": 0.1}}))
        svc.import_download(json.loads(DEMO.read_text()))
        lk = link(url)
        out = run_exchange(svc, JOB, lk, partial, poll_s=0.05)
        assert out["state"] == "final_read" and out["stopped"]["needs"] == "final_read"
        out = run_exchange(svc, JOB, lk, ANSWERS, poll_s=0.05)
    assert out["state"] == "awaiting_verification"
    assert [s["event"] for s in out["steps"]][0] == "final_read"


def test_answers_are_checked():
    with pytest.raises(InputError, match="unknown key"):
        check_answers({"evnts": {}})
    with pytest.raises(InputError, match="must map event names"):
        check_answers({"events": {"scan_meter": "AMI1"}})


@pytest.mark.parametrize("listen", ["pty"])  # socket:// is covered in process above and by the meter CLI tests
def test_cli_exchange_run(sim_process, fieldtool_home, tmp_path, listen):
    write_config(fieldtool_home)
    cfg = fieldtool_home / "config" / "fieldtool.toml"
    cfg.write_text(cfg.read_text() + "[exchange]\nregistration_poll_s = 0.1\n")
    cli_json("work-orders", "import", str(DEMO))
    url = sim_process("--profile", "acme-r1", "--meter-id", "72600101", "--registration", "after:5",
                      "--listen", "socket://127.0.0.1:0" if listen == "socket" else "pty")  # fmt: skip
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(ANSWERS))
    out = cli_json("exchange", "run", JOB, "--port", url, "--answers", str(answers))
    assert out["state"] == "awaiting_verification" and [s["event"] for s in out["steps"]] == EXPECTED
    shown = cli_json("exchange", "show", JOB)
    assert shown["registration"]["comms_address"] and shown["state"] == "awaiting_verification"
