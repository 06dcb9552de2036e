"""The IEC 62056-21 plug-in against the simulated IEC meter: detection after C12.18, programming-mode reads
and writes, clock, BCC errors, refusals, and the CLI over a pty."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest

from fieldtool.devices.iec_meter import IecError
from fieldtool.devices.meter_api import InstallInfo
from tests.conftest import cli_json, run_cli

from .conftest import write_config


def test_detected_after_c1218_and_installer_operations(meter, link):
    srv, url = meter("ftk-iec3p")
    lk = link(url)
    t0 = time.monotonic()
    assert lk.open() == "iec62056-21"
    assert time.monotonic() - t0 < 3  # C12.18 gives up after one silent response timeout
    r = lk.identify_and_check_health()
    ident = r["identity"]
    assert (ident.protocol, ident.manufacturer, ident.model) == ("iec62056-21", "FTk", "FT-IEC 3P")
    assert ident.meter_id == srv.shared.state.meter_id and ident.fw_version == "V2.04"
    assert r["health"].ok and len(r["health"].not_monitored) == 14 and r["registration"].state == "unknown"
    regs = {v.register: v.value for v in lk.read_registers()}
    assert regs == {"kwh_delivered": 4521.7, "kwh_received": 312.4, "kw_max_demand_delivered": 3.214}
    out = lk.write_install_info(InstallInfo("4401234", removed_meter_id="V1", removed_final_read=41870.5,
                                            customer_id="8001", latitude=36.75, longitude=-119.8))  # fmt: skip
    assert out["verified"] and srv.shared.state.iec["registers"]["C.90.4"][0] == "41870.500"
    assert lk.program_id() is None
    assert lk.load_program("R-TOU-2").program_id == "R-TOU-2"
    assert lk.set_clock(datetime.now(UTC) + timedelta(days=1)).drift_s >= 86000
    assert abs(lk.set_clock().drift_s) <= 2
    with pytest.raises(Exception, match="no C12.19 tables"):
        lk.read_table(1)


def test_bcc_errors_are_naked_and_recovered(meter, link):
    _, url = meter("ftk-iec3p", faults={"crc-errors": 2})
    lk = link(url)
    assert lk.identify().manufacturer == "FTk"
    assert any(x.text == "bad BCC: NAK" for x in lk.transcript.lines())


def test_wrong_iec_password_is_said_in_words(meter, link):
    _, url = meter("ftk-iec3p")
    with pytest.raises(IecError, match="refused the programming password"):
        link(url, iec_password_unprotected="99999999").open()


def test_cli_identify_iec_over_a_pty(sim_process, fieldtool_home):
    write_config(fieldtool_home)
    url = sim_process("--profile", "ftk-iec3p", "--listen", "pty")
    out = cli_json("meter", "identify", "--port", url, "--protocol", "iec62056-21")
    assert out["protocol"] == "iec62056-21" and out["manufacturer"] == "FTk" and out["form"] is None
    assert out["registration"]["state"] == "unknown" and out["clock"]["drift_s"] is not None
    r = run_cli("meter", "read", "--port", url, "--protocol", "iec62056-21", "--table", "1", "--json")
    assert r.returncode == 1 and "no C12.19 tables" in json.loads(r.stdout)["error"]
