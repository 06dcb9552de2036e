"""A whole lot end to end against simulated meters (firmware_sim meter, C12.18 over socket://).

The meters' comms and disconnect-switch tests run through the real MeterLink (the switch through the
manufacturer switch procedure and switch-status table); accuracy comes from a test-board CSV; the lot is decided
with the default ``[bench] required_tests`` (comms, disconnect, accuracy). A stuck switch fails its unit; the
CT meter, which has no switch, has its disconnect test recorded as not run with that reason. Timeouts and the
simulated relay's settle time are scaled by 0.1 on both sides.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from fieldtool.domain.bench import BenchSettings, parse_test_board_csv
from fieldtool.domain.custody import State
from fieldtool.domain.receipt import ExpectedUnit, OrderLine, PurchaseOrder, ScannedUnit, ShipNotice
from fieldtool.services.bench import BenchService
from fieldtool.services.bench_meterlink import MeterLinkBench
from fieldtool.services.custody import CustodyService
from fieldtool.services.report import write_lot_report
from fieldtool.store.db import open_store
from tests.conftest import cli_json
from tests.custody.helpers import SteppingClock

# The optical port and the meter simulator come from the optical work; until they are in the tree these
# tests are skipped (and say so in the summary).
MeterLink = pytest.importorskip("fieldtool.devices.meter", reason="MeterLink is not in this tree yet").MeterLink
OpticalSettings = pytest.importorskip("fieldtool.devices.meter_settings").OpticalSettings
profiles = pytest.importorskip("firmware_sim.meter.profiles")
Behaviour = pytest.importorskip("firmware_sim.meter.behaviour").Behaviour
_server = pytest.importorskip("firmware_sim.meter.server")
MeterOptions, MeterServer = _server.MeterOptions, _server.MeterServer

SCALE = 0.1
PASSWORD = b"MASTER".ljust(20, b"0")
OPTICAL = OpticalSettings(response_timeout_s=2.0 * SCALE, interchar_timeout_s=0.5 * SCALE,
                          channel_traffic_timeout_s=6.0 * SCALE, busy_retry_delay_s=0.01, busy_retries=5)
SELF_TEST_S = 5.0 * SCALE  # the simulated meter's self-test after power-up
RESIDENTIAL = ["acme-r1", "borealis-rx"]  # the 2S meters with a service switch


def module_of(serial: str) -> str:
    """The network address the simulated meter reports once registered (its comm module's identity)."""
    return f"0013A200{int(serial) % 0xFFFFFFFF:08X}"


@pytest.fixture
def meters():
    servers = []

    def start(serials, *, critical=(), stuck=(), profile_names=RESIDENTIAL):
        urls = {}
        for k, serial in enumerate(serials):
            behaviour = Behaviour.parse("critical" if serial in critical else "clean", "after:0", SCALE)
            faults = {"switch-stuck": 1} if serial in stuck else {}
            srv = MeterServer(profiles.get(profile_names[k % len(profile_names)]), None, MeterOptions(
                pacing=False, behaviour=behaviour, time_scale=SCALE, turnaround_s=0.0, serial=serial, faults=faults))
            servers.append(srv)
            urls[serial] = srv.listen_socket()
            srv.shared.power_up()  # on the test board: powered now, not at the first optical contact
        return urls

    yield start
    for s in servers:
        s.stop()


def test_lot_accepted_end_to_end(tmp_path, meters):
    serials = [f"{10_000_000 + i}" for i in range(14)]  # lot of 14: B -> E's single plan, n 13, Ac 0
    urls = meters(serials)
    powered = time.monotonic()
    store = open_store(tmp_path / "ft.db")
    clock = SteppingClock()
    custody = CustodyService(store, clock=clock)
    settings = BenchSettings(switch_settle_s=0.0)
    assert set(settings.required_tests) == {"comms", "disconnect", "accuracy"}  # the default
    bench = BenchService(store, custody=custody, clock=clock, settings=settings)
    custody.import_order(PurchaseOrder("PO-E2E", (OrderLine("2S-CL200", 14, 92.0),)))
    units = tuple(ExpectedUnit(s, "2S-CL200", manufacturer_serial=s, components={"comm_module": module_of(s)})
                  for s in serials)
    custody.import_notice(ShipNotice("ASN-E2E", units, po_number="PO-E2E", lot_number="LOT-E2E"), actor="edi")
    custody.receive("ASN-E2E", [ScannedUnit(s, "2S-CL200") for s in serials], actor="wh")
    bench.receive_lot("LOT-E2E", None, document="ASN-E2E", actor="wh")
    picks = bench.plan("LOT-E2E", actor="shop", seed=11)["pick_list"]
    assert len(picks) == 13
    bench.pick("LOT-E2E", picks, actor="wh")
    bench.check_in("LOT-E2E", picks, actor="shop")
    time.sleep(max(0.0, SELF_TEST_S + 0.1 - (time.monotonic() - powered)))  # wait for the meters' self-test
    for serial in picks:
        meter = MeterLinkBench(MeterLink(urls[serial], settings=OPTICAL, password=PASSWORD))
        try:
            comms = bench.run_comms("LOT-E2E", serial, meter, actor="shop")
            switch = bench.run_disconnect("LOT-E2E", serial, meter, actor="shop")
        finally:
            meter.close()
        assert comms["outcome"] == "passed", bench.status("LOT-E2E")["samples"]
        assert switch["outcome"] == "passed", bench.status("LOT-E2E")["samples"]
        assert switch["verdict"] is None  # accuracy still to come
    board = "meter_number,full_load_pct,light_load_pct,power_factor_pct\n" + "".join(
        f"{s},100.03,99.88,100.21\n" for s in picks)
    assert all(r["verdict"] == "passed" for r in bench.import_accuracy(
        "LOT-E2E", parse_test_board_csv(board), actor="shop", source="board"))
    status = bench.status("LOT-E2E")
    comms_detail = status["samples"][0]["tests"]["comms"]
    assert comms_detail["meter_number"] == status["samples"][0]["asset_id"]
    assert comms_detail["comm_module_serial"] == module_of(status["samples"][0]["asset_id"])
    assert comms_detail["registers"]["kwh_delivered"] > 0
    switch_detail = status["samples"][0]["tests"]["disconnect"]
    assert switch_detail["steps"] == [{"commanded": "open", "reported": "open"},
                                      {"commanded": "closed", "reported": "closed"}]
    decision = bench.decide("LOT-E2E", actor="lead")
    assert decision["decision"] == "accept" and len(decision["moved"]) == 1  # the unit not sampled
    assert sorted(bench.return_samples("LOT-E2E", actor="shop")["released"]) == sorted(picks)
    assert {a.state for a in custody.repo.list(lot_number="LOT-E2E")} == {State.RELEASED}
    path = write_lot_report(bench.status("LOT-E2E"), tmp_path / "lot.pdf", generated_at="2026-03-02T12:00Z")
    assert path.read_bytes().startswith(b"%PDF")
    store.close()


def test_swapped_module_and_failed_self_test_fail_their_units(tmp_path, meters):
    serials = ["20000001", "20000002", "20000003"]  # a lot of 3 is inspected 100 %
    urls = meters(serials, critical={"20000002"})
    powered = time.monotonic()
    store = open_store(tmp_path / "ft.db")
    custody = CustodyService(store, clock=SteppingClock())
    bench = BenchService(store, custody=custody, clock=custody.clock,
                         settings=BenchSettings(required_tests=("comms",)))
    recorded = {s: module_of(s) for s in serials} | {"20000003": "0013A200DEADBEEF"}  # vendor paired another
    units = tuple(ExpectedUnit(s, "2S-CL200", components={"comm_module": recorded[s]}) for s in serials)
    custody.import_notice(ShipNotice("ASN-3", units, lot_number="L3"), actor="edi")
    custody.receive("ASN-3", [ScannedUnit(s) for s in serials], actor="wh")
    bench.receive_lot("L3", None, document="ASN-3", actor="wh")
    picks = bench.plan("L3", actor="shop", seed=1)["pick_list"]
    bench.pick("L3", picks, actor="wh")
    bench.check_in("L3", picks, actor="shop")
    time.sleep(max(0.0, SELF_TEST_S + 0.1 - (time.monotonic() - powered)))
    verdicts = {}
    for serial in serials:
        meter = MeterLinkBench(MeterLink(urls[serial], settings=OPTICAL, password=PASSWORD))
        try:
            verdicts[serial] = bench.run_comms("L3", serial, meter, actor="shop")["verdict"]
        finally:
            meter.close()
    assert verdicts == {"20000001": "passed", "20000002": "failed", "20000003": "failed"}
    samples = {s["asset_id"]: s for s in bench.status("L3")["samples"]}
    assert any("nonvolatile_memory_failure" in r for r in samples["20000002"]["tests"]["comms"]["reasons"])
    assert any("not the recorded 0013A200DEADBEEF" in r for r in samples["20000003"]["tests"]["comms"]["reasons"])
    assert bench.decide("L3", actor="lead")["decision"] == "screened"
    assert sorted(bench.return_to_vendor("L3", actor="wh", document="RMA-8")["moved"]) == ["20000002", "20000003"]
    store.close()


def test_stuck_switch_fails_its_unit_and_a_meter_without_a_switch_says_so(tmp_path, meters):
    serials = ["50000001", "50000002", "50000003"]  # a lot of 3 is inspected 100 %
    urls = meters(serials, stuck={"50000002"}, profile_names=["acme-r1", "borealis-rx", "cirrus-ct"])
    powered = time.monotonic()
    store = open_store(tmp_path / "ft.db")
    custody = CustodyService(store, clock=SteppingClock())
    bench = BenchService(store, custody=custody, clock=custody.clock, settings=BenchSettings(switch_settle_s=0.0))
    custody.import_notice(ShipNotice("ASN-S", tuple(ExpectedUnit(s, "2S-CL200") for s in serials),
                                     lot_number="LS"), actor="edi")  # fmt: skip
    custody.receive("ASN-S", [ScannedUnit(s) for s in serials], actor="wh")
    bench.receive_lot("LS", None, document="ASN-S", actor="wh")
    picks = bench.plan("LS", actor="shop", seed=3)["pick_list"]
    bench.pick("LS", picks, actor="wh")
    bench.check_in("LS", picks, actor="shop")
    time.sleep(max(0.0, SELF_TEST_S + 0.1 - (time.monotonic() - powered)))
    results = {}
    for serial in serials:
        meter = MeterLinkBench(MeterLink(urls[serial], settings=OPTICAL, password=PASSWORD))
        try:
            bench.run_comms("LS", serial, meter, actor="shop")
            results[serial] = bench.run_disconnect("LS", serial, meter, actor="shop")
        finally:
            meter.close()
    assert {s: (r["outcome"], r["verdict"]) for s, r in results.items()} == {
        "50000001": ("passed", None), "50000002": ("failed", "failed"), "50000003": ("not_run", None)}
    tests = {s["asset_id"]: s["tests"]["disconnect"] for s in bench.status("LS")["samples"]}
    assert tests["50000002"]["steps"][0] == {"commanded": "open", "reported": "closed"}  # the relay never moved
    assert "commanded open, the meter reports closed" in tests["50000002"]["reasons"]
    assert "has no service switch" in tests["50000003"]["reasons"][0]
    assert custody.repo.get("50000002").state is State.TESTED_FAILED
    store.close()


def test_bench_lot_test_command_against_a_simulator_process(tmp_path, fieldtool_home):
    sim = subprocess.Popen([sys.executable, "-m", "firmware_sim", "meter", "--json", "--pacing", "off",
                            "--time-scale", str(SCALE), "--serial", "30000001", "--registration", "after:0"],
                           stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        url = json.loads(sim.stdout.readline())["url"]
        powered = time.monotonic()
        (fieldtool_home / "config").mkdir(parents=True)
        (fieldtool_home / "config" / "fieldtool.toml").write_text(
            "[optical]\nresponse_timeout_s = 0.2\ninterchar_timeout_s = 0.05\nchannel_traffic_timeout_s = 0.6\n"
            'password_unprotected = "MASTER00000000000000"\nswitch_timeout_s = 2.0\n'
            '[bench]\nrequired_tests = ["comms", "disconnect"]\nswitch_settle_s = 0.0\n')
        # The lot is set up through the services on the same profile (the CLI steps have their own tests).
        with open_store() as store:
            custody = CustodyService(store)
            bench = BenchService(store, custody=custody, settings=BenchSettings(required_tests=("comms", "disconnect")))
            units = (ExpectedUnit("30000001", "2S-CL200"), ExpectedUnit("30000002", "2S-CL200"))
            custody.import_notice(ShipNotice("ASN-C", units, lot_number="LC"), actor="edi")
            custody.receive("ASN-C", [ScannedUnit("30000001"), ScannedUnit("30000002")], actor="wh")
            bench.receive_lot("LC", None, document="ASN-C", actor="wh")
            bench.plan("LC", actor="shop", seed=5)
            bench.pick("LC", ["30000001"], actor="wh")
            bench.check_in("LC", ["30000001"], actor="shop")
        time.sleep(max(0.0, SELF_TEST_S + 0.1 - (time.monotonic() - powered)))
        out = cli_json("bench", "lot", "test", "LC", "30000001", "--port", url, "--actor", "shop")
        assert [(r["test"], r["outcome"]) for r in out] == [("comms", "passed"), ("disconnect", "passed")]
        assert out[-1]["verdict"] == "passed"
        history = cli_json("custody", "history", "30000001")
        assert history["asset"]["state"] == "tested_passed"
        assert history["moves"][-1]["action_taken"] == "Tested" and history["moves"][-1]["document"] == "LC"
    finally:
        sim.terminate()
        sim.wait(timeout=10)


def test_bench_screen_tests_a_meter_on_the_probe(qtbot, tmp_path, fieldtool_home, meters):
    from fieldtool.config import load_config, paths
    from fieldtool.domain.roles import Role
    from fieldtool.services.context import AppContext
    from fieldtool.services.users import LocalUser
    from fieldtool.ui.bench_page import BenchPage
    from fieldtool.ui.main_window import MainWindow

    serials = ["40000001", "40000002"]
    urls = meters(serials)
    powered = time.monotonic()
    p = paths().ensure()
    store = open_store(p.database)
    cfg = load_config(p)
    cfg.data["optical"] = {"response_timeout_s": 0.2, "interchar_timeout_s": 0.05, "channel_traffic_timeout_s": 0.6,
                           "password_unprotected": PASSWORD.decode()}
    cfg.data["bench"] = {"required_tests": ["comms", "disconnect"], "switch_settle_s": 0.0}
    ctx = AppContext(p, cfg, store, user=LocalUser("tech-1", Role.TECHNICIAN))
    custody = CustodyService(store)
    custody.import_notice(ShipNotice("ASN-G", tuple(ExpectedUnit(s, "2S-CL200") for s in serials),
                                     lot_number="LG"), actor="edi")
    custody.receive("ASN-G", [ScannedUnit(s) for s in serials], actor="wh")
    w = MainWindow(ctx, [BenchPage])
    qtbot.addWidget(w)
    page = w.page(BenchPage)

    def step(fn):
        fn()
        qtbot.waitUntil(lambda: page.ops.op is not None and not page.ops.op.running, timeout=10000)

    page.lot.setText("LG")
    page.document.setText("ASN-G")
    step(page.open_lot)
    step(page.plan)
    page.scan.setText(" ".join(serials))
    step(page.pick)
    step(page.check_in)
    time.sleep(max(0.0, SELF_TEST_S + 0.1 - (time.monotonic() - powered)))
    page.meter.setText(serials[0])
    page.port.setText(urls[serials[0]])
    step(page.run_tests)
    qtbot.waitUntil(lambda: page.status is not None and page.status["samples"][0]["verdict"] == "passed"
                    or "comms: passed" in page.banner.text(), timeout=10000)  # fmt: skip
    assert "comms: passed" in page.banner.text() and "disconnect: passed" in page.banner.text()
    store.close()
