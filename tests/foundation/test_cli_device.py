"""``fieldtool exchange device``: the meter steps of an exchange through the optical port, end to end, against
a simulated meter in its own process (``python -m firmware_sim meter``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import cli_json, run_cli

DEMO = Path(__file__).parents[2] / "resources/demo/work-orders.json"
JOB = "WO-260312-001"
MASTER = "MASTER".ljust(20, "0")


@pytest.fixture
def sim_meter():
    procs = []

    def start(*args: str) -> str:
        p = subprocess.Popen([sys.executable, "-m", "firmware_sim", "meter", "--json", "--pacing", "off",
                              "--time-scale", "0.1", *args], stdout=subprocess.PIPE, text=True, env=dict(os.environ))
        procs.append(p)
        line = p.stdout.readline()
        assert line, "the simulated meter printed nothing"
        return json.loads(line)["url"]

    yield start
    for p in procs:
        p.terminate()
        p.wait(timeout=10)


@pytest.fixture
def configured(fieldtool_home):
    cfg = fieldtool_home / "config"
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "fieldtool.toml").write_text(
        "[optical]\nresponse_timeout_s = 0.2\ninterchar_timeout_s = 0.05\nchannel_traffic_timeout_s = 0.6\n"
        f'busy_retry_delay_s = 0.01\npassword_unprotected = "{MASTER}"\n'
        "[exchange]\nregistration_timeout_s = 8.0\nregistration_poll_s = 0.2\n", encoding="utf-8")
    cli_json("work-orders", "import", str(DEMO))
    cli_json("exchange", "start", JOB)
    for name, data in [("scan_meter", {"meter_number": "72600101"}),
                       ("arrive", {"position": {"lat": 36.757815, "lon": -119.816310, "accuracy_m": 4}}),
                       ("verify_old_meter", {"meter_number": "V123456", "form": "2S"}),
                       ("final_read", {"value": 41_862, "read_at": "2026-03-12T16:40:00Z"}),
                       ("remove_old_meter", {}), ("install_meter", {})]:
        cli_json("exchange", "event", JOB, name, "--data", json.dumps(data))


def test_meter_steps_through_the_optical_port(configured, sim_meter):
    url = sim_meter("--serial", "72600101", "--registration", "after:10")
    r = run_cli("exchange", "device", JOB, "--json")
    assert r.returncode == 1 and "give --port" in r.stderr
    out = cli_json("exchange", "device", JOB, "--port", url)
    assert out["event"]["name"] == "self_check" and out["event"]["passed"] is True
    assert out["state"] == "identify_meter"
    out = cli_json("exchange", "device", JOB, "--port", url)
    assert out["event"]["meter_number"] == "72600101" and out["event"]["program_id"] == "ACME-DEFAULT"
    assert [f["rule"] for f in out["findings"] if f["severity"] == "block"] == ["program-id"]
    r = run_cli("exchange", "device", JOB, "--port", url, "--json")
    assert r.returncode == 1 and "program-id" in r.stderr  # 6.7 waits for the block to be answered
    cli_json("exchange", "override", JOB, "program-id", "--supervisor", "SUP-7", "--reason", "over the air (8.3)")
    out = cli_json("exchange", "device", JOB, "--port", url)
    assert out["event"]["name"] == "write_meter" and out["state"] == "registration"
    out = cli_json("exchange", "device", JOB, "--port", url, "--wait")
    assert out["event"]["name"] == "registered" and out["event"]["comms_address"]
    assert out["state"] == "report" and out["next"][0] == "report"
    assert cli_json("exchange", "show", JOB)["manual_read_route"] is False


def test_device_needs_a_device_step_and_a_port(fieldtool_home):
    cli_json("work-orders", "import", str(DEMO))
    cli_json("exchange", "start", "WO-260312-002")
    r = run_cli("exchange", "device", "WO-260312-002", "--json")
    assert r.returncode == 1 and "needs the installer, not a device" in r.stderr
