"""``fieldtool meter ...`` end to end: a child-process CLI against a child-process simulated meter, over
socket:// and over a pty."""

from __future__ import annotations

import json

import pytest

from fieldtool.domain.model import PlannedRemoval, ServicePoint, WorkOrder, WorkOrderKind, WorkOrderStatus
from tests.conftest import cli_json, run_cli

from .conftest import C1218_PROFILES, write_config

IDENTIFY_KEYS = {"protocol", "manufacturer", "model", "serial", "meter_id", "fw_version", "form", "health",
                 "registration", "clock"}  # fmt: skip


@pytest.mark.parametrize("profile,listen,full", [("acme-r1", "socket", True), ("borealis-rx", "pty", True),
                                                 ("cirrus-ct", "socket", False)])  # fmt: skip
def test_cli_identify_and_installer_writes(sim_process, fieldtool_home, tmp_path, profile, listen, full):
    write_config(fieldtool_home)
    state = tmp_path / "meter.json"
    url = sim_process("--profile", profile, "--listen", "socket://127.0.0.1:0" if listen == "socket" else "pty",
                      "--state", str(state), "--fault", "clock-drift=120")  # fmt: skip
    out = cli_json("meter", "identify", "--port", url)
    assert set(out) == IDENTIFY_KEYS and out["protocol"] == "c1218"
    assert set(out["health"]) == {"ok", "critical", "non_critical", "not_monitored"}
    assert set(out["registration"]) == {"state", "comm_address", "rssi_dbm", "since"}
    assert 118 <= out["clock"]["drift_s"] <= 122
    if not full:
        return
    fixed = cli_json("meter", "set-clock", "--port", url)
    assert abs(fixed["after"]["drift_s"]) <= 1 and fixed["before"]["drift_s"] >= 118
    prog = cli_json("meter", "load-program", "--port", url, "--program", "C-TOU-DMD")
    assert prog["verified"] and prog["program_id"] == "C-TOU-DMD"
    st1 = cli_json("meter", "read", "--port", url, "--table", "1")
    assert st1["table"] == 1 and st1["decoded"]["serial"] == out["serial"] and st1["hex"]
    saved = json.loads(state.read_text())
    assert saved["program"]["program_id"] == "C-TOU-DMD"


def test_cli_write_install_from_the_work_order(sim_process, fieldtool_home):
    from fieldtool.store.db import open_store

    write_config(fieldtool_home)
    order = WorkOrder(
        id="WO-1001", kind=WorkOrderKind.EXCHANGE, status=WorkOrderStatus.OPEN, district="D1", route="R7",
        service_point=ServicePoint("4401234", "88001234", "J. Smith", "1 Main St", lat=34.1, lon=-118.2),
        removal=PlannedRemoval("OLD778899", "2S"),
    )  # fmt: skip
    with open_store() as store:
        store.work_orders.upsert_many([order])
    url = sim_process("--profile", "acme-r1")
    out = cli_json("meter", "write-install", "--port", url, "--work-order", "WO-1001", "--final-read", "41234.5",
                   "--installer", "I-42")  # fmt: skip
    assert out["verified"] and out["work_order"] == "WO-1001" and out["written"] == ["ST6", "MT1"]
    st6 = cli_json("meter", "read", "--port", url, "--table", "ST6")["decoded"]
    assert (st6["service_point_id"], st6["customer_id"]) == ("4401234", "88001234")
    rec = cli_json("meter", "read", "--port", url, "--table", "MT1")["decoded"]
    assert rec["removed_meter_id"] == "OLD778899" and rec["removed_final_read_milli"] == 41234500
    r = run_cli("meter", "write-install", "--port", url, "--work-order", "NOPE", "--json")
    assert r.returncode == 1 and "no work order NOPE" in json.loads(r.stdout)["error"]


def test_cli_errors_are_words(sim_process, fieldtool_home):
    write_config(fieldtool_home, password_unprotected="short")
    url = sim_process("--profile", "acme-r1")
    r = run_cli("meter", "identify", "--port", url, "--json")
    assert r.returncode == 1 and "exactly 20 bytes" in json.loads(r.stdout)["error"]
    write_config(fieldtool_home, password_unprotected="X" * 20)
    r = run_cli("meter", "identify", "--port", url, "--json")
    assert r.returncode == 1 and "refused the password for user 2" in r.stderr
    r = run_cli("meter", "identify", "--port", "socket://127.0.0.1:9", "--json")
    assert r.returncode == 1 and "could not be opened" in json.loads(r.stdout)["error"]
    write_config(fieldtool_home)
    r = run_cli("meter", "read", "--port", url, "--table", "bogus", "--json")
    assert r.returncode == 1 and "not a table number" in r.stdout


def test_cli_password_from_the_vault(sim_process, fieldtool_home):
    write_config(fieldtool_home, password_unprotected="")
    r = run_cli("secrets", "set", "meter:c1218:password", input="MASTER00000000000000\n")
    assert r.returncode == 0, r.stderr
    url = sim_process("--profile", "cirrus-ct")
    out = cli_json("meter", "load-program", "--port", url, "--program", "R-FLAT-1")
    assert out["verified"]


def test_simulator_lists_profiles():
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "firmware_sim", "meter", "--list-profiles", "--json"],
                       capture_output=True, text=True, timeout=60)  # fmt: skip
    items = json.loads(r.stdout)
    assert {i["name"] for i in items} >= set(C1218_PROFILES) and len(C1218_PROFILES) >= 3
    assert len({(i["data_order"], i["id_form"], i["tm_format"]) for i in items}) >= 3
