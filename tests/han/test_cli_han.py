"""``fieldtool han`` end to end: child processes against a simulated meter with a HAN, over socket://."""

from __future__ import annotations

import json

from fieldtool.store.db import open_store
from tests.conftest import cli_json, run_cli

LCS, DOOR, PCT = "00137A0000A1B203", "00124B0001C0FFEE", "00137A0000A1B201"


def _config(home):
    cfg = home / "config"
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "fieldtool.toml").write_text(
        "[optical]\nresponse_timeout_s = 0.2\ninterchar_timeout_s = 0.05\nchannel_traffic_timeout_s = 0.6\n"
        'password_unprotected = "INSTALLER00000000000"\n'
        "[han]\nlocal_timeout_s = 0.6\nlocal_join_timeout_s = 0.9\npoll_interval_s = 0.02\n", encoding="utf-8")


def test_link_key_prints_the_documented_shape():
    out = cli_json("han", "link-key", "83FE D340 7A93 9723 A5C6 39B2 6916 D505 C3B5")
    assert out == {"install_code": "83FED3407A939723A5C639B26916D505C3B5", "crc_ok": True,
                   "link_key": "66B6900981E1EE3CA4206B6B861C02BB", "code_bytes": 16}


def test_link_key_refuses_a_bad_crc_and_a_bad_length():
    r = run_cli("han", "link-key", "83FED3407A939723A5C639B26916D505C3B6", "--json")
    assert r.returncode == 1 and "check digits do not match" in json.loads(r.stdout)["error"]
    r = run_cli("han", "link-key", "83FED3407A", "--json")
    assert r.returncode == 1 and "10 hex digits" in json.loads(r.stdout)["error"]


def test_discover_provision_and_log_over_the_optical_port(han_meter, fieldtool_home):
    _config(fieldtool_home)
    srv, url = han_meter()
    found = cli_json("han", "discover", "--port", url, "--job", "WO-1")
    assert {d["eui64"] for d in found["devices"]} >= {LCS, DOOR, PCT}
    out = cli_json("han", "provision", "--port", url, "--job", "WO-1", "--meter", "90000000",
                   "--device", f"{LCS},code=1234 5678 90AB BA9E,programs=load_control,location=garage",
                   "--device", f"{PCT},programs=price+messaging")
    assert out["all_participating"], out
    assert out["devices"][0]["acknowledgements"][0]["reply"]["message"] == "Report Event Status"
    test = cli_json("han", "test", "--port", url, "--job", "WO-1")
    assert {f["eui64"]: f["problem"] for f in test["findings"]}[DOOR] == "incompatible"
    log = cli_json("han", "log", "WO-1")
    assert log["entries"][0]["seq"] < log["entries"][-1]["seq"]
    assert {d["eui64"]: d["rung"] for d in log["devices"]} == {LCS: "participating", PCT: "participating"}
    with open_store(fieldtool_home / "data" / "fieldtool.db") as store:
        assert len([e for e in store.outbox.list() if e.kind == "han_provisioning"]) == 2


def test_provision_with_a_wrong_code_ends_in_guidance(han_meter, fieldtool_home):
    _config(fieldtool_home)
    _, url = han_meter()
    out = cli_json("han", "provision", "--port", url, "--job", "WO-2", "--meter", "1",
                   "--device", f"{LCS},code=11223344556677884AF7,programs=load_control")
    dev = out["devices"][0]
    assert not out["all_participating"] and dev["failure"] == "wrong_key" and "install code" in dev["guidance"]


def test_a_bad_device_argument_is_refused_in_words(fieldtool_home):
    r = run_cli("han", "provision", "--port", "socket://127.0.0.1:9", "--meter", "1",
                "--device", f"{LCS},programs=heating", "--json")
    assert r.returncode == 1 and "unknown program heating" in json.loads(r.stdout)["error"]


def test_han_install_follows_the_work_order_and_tells_the_exchange(han_meter, fieldtool_home):
    from dataclasses import replace

    from fieldtool.domain.model import PlannedHanDevice
    from tests.domain.factories import order

    _config(fieldtool_home)
    _, url = han_meter()
    wo = replace(order(), han_devices=(PlannedHanDevice(LCS, "load_control", None, "load_control"),
                                       PlannedHanDevice(PCT, "thermostat", None, "price")))
    with open_store(fieldtool_home / "data" / "fieldtool.db") as store:
        store.work_orders.upsert_many([wo])
    out = cli_json("han", "install", "--port", url, "--job", wo.id, "--meter", "90000000",
                   "--label", f"{LCS}=1234567890ABBA9E")
    assert out["ok"] and sorted(out["device_ids"]) == sorted([LCS, PCT]) and out["exchange"] == "not started"
    assert [m["eui64"] for m in out["match"]["matched"]] == [LCS, PCT]
