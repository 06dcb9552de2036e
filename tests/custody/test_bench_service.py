"""A lot through bench mode on the real store, with meters behind the BenchMeter seam."""

from __future__ import annotations

import threading

import pytest

from fieldtool.domain.bench import BenchSettings, BenchTest, CommsObservation, LoadPoint, Outcome
from fieldtool.domain.custody import State
from fieldtool.domain.errors import InputError, NotAllowed, UserCancelled
from fieldtool.domain.receipt import ScannedUnit
from fieldtool.services.bench import BenchService
from fieldtool.services.custody import CustodyService
from fieldtool.store.db import open_store
from tests.custody.helpers import SteppingClock, meter, notice, order

GOOD = {LoadPoint.FULL_LOAD: 100.02, LoadPoint.LIGHT_LOAD: 99.9, LoadPoint.POWER_FACTOR: 100.1}
BAD = {LoadPoint.FULL_LOAD: 100.02, LoadPoint.LIGHT_LOAD: 98.9, LoadPoint.POWER_FACTOR: 100.1}


class BenchMeterDouble:
    """A meter on the bench whose answers are set by the test (a stuck relay, a dead RAM, another number)."""

    def __init__(self, number, *, critical=(), stuck=False, module=None):
        self.number, self.critical, self.stuck, self.module = number, critical, stuck, module
        self.state = "closed"
        self.commands = []

    def observe(self):
        return CommsObservation(self.number, "ACME", "SN1", "1.2", ("low_battery",) if self.critical else (),
                                tuple(self.critical), {"kwh_delivered": 0.0}, self.module)

    def switch(self, state):
        self.commands.append(state)
        if not self.stuck:
            self.state = state

    def switch_state(self):
        return self.state

    def close(self):
        pass


@pytest.fixture
def env(tmp_path):
    store = open_store(tmp_path / "ft.db")
    clock = SteppingClock()
    custody = CustodyService(store, clock=clock)
    bench = BenchService(store, custody=custody, clock=clock, settings=BenchSettings(switch_settle_s=0.5))
    yield store, custody, bench
    store.close()


def lot_of(custody, bench, n, lot="LOT-1"):
    custody.import_order(order(n))
    custody.import_notice(notice(n, lot=lot), actor="edi")
    custody.receive("ASN-1", [ScannedUnit(meter(i)) for i in range(n)], actor="wh-1")
    bench.receive_lot(lot, None, document="ASN-1", actor="wh-1")


def test_plan(env):
    store, custody, bench = env
    lot_of(custody, bench, 300)
    out = bench.plan("LOT-1", actor="shop-1", seed=42)
    assert out["plan"]["scheme"] == "double" and out["plan"]["plan_letter"] == "H"
    assert len(out["pick_list"]) == 32 and out["seed"] == 42
    again = bench.status("LOT-1")
    assert again["seed"] == 42 and [s["asset_id"] for s in again["samples"]] == out["pick_list"]
    with pytest.raises(NotAllowed, match="already has its plan"):
        bench.plan("LOT-1", actor="shop-1")


def test_lot_needs_received_units(env):
    store, custody, bench = env
    custody.import_notice(notice(3), actor="edi")
    with pytest.raises(NotAllowed, match="shipped by vendor"):
        bench.receive_lot("L2", [meter(0), meter(1)], document="ASN-1", actor="wh")
    with pytest.raises(InputError, match="at least 2"):
        bench.receive_lot("L3", None, document="ASN-1", actor="wh")


def run_sample(bench, lot, units, *, failing=(), actor="shop-1"):
    bench.pick(lot, units, actor="wh-1")
    bench.check_in(lot, units, actor=actor)
    for u in units:
        m = BenchMeterDouble(u, critical=("ram_failure",) if u in failing else ())
        bench.run_comms(lot, u, m, actor=actor)
        bench.run_disconnect(lot, u, m, actor=actor)
        bench.record_accuracy(lot, u, GOOD, actor=actor)


def test_whole_lot_accepted_after_first_sample(env):
    store, custody, bench = env
    lot_of(custody, bench, 20)  # C -> E single plan, n 13
    units = bench.plan("LOT-1", actor="shop-1", seed=7)["pick_list"]
    run_sample(bench, "LOT-1", units)
    assert all(custody.repo.get(u).state is State.TESTED_PASSED for u in units)
    status = bench.status("LOT-1")
    han = status["samples"][0]["tests"]["han"]
    assert han["outcome"] == "not_run" and "no HAN device" in han["reasons"][0]
    out = bench.decide("LOT-1", actor="shop-lead")
    assert (out["decision"], out["defects"], out["status"]) == ("accept", 0, "accepted")
    rest = [meter(i) for i in range(20) if meter(i) not in units]
    assert sorted(out["moved"]) == sorted(rest)
    assert all(custody.repo.get(u).state is State.RELEASED for u in rest)
    back = bench.return_samples("LOT-1", actor="shop-1")
    assert sorted(back["released"]) == sorted(units)
    events = store.outbox.list()
    results = [e.payload for e in events if e.kind == "bench_result"]
    assert len(results) == 13 and {r["verdict"] for r in results} == {"pass"}
    assert results[0]["tests"]["han"]["outcome"] == "not_run" and len(results[0]["test_points"]) == 3
    actions = [e.payload["action"] for e in events if e.kind == "custody"]
    assert actions.count("PlacedIntoInventory") == 20 and actions.count("Tested") == 13
    release = next(e.payload for e in events if e.kind == "custody" and e.payload["action"] == "PlacedIntoInventory")
    assert release["document"] == "LOT-1" and "accepted after sample 1 (0 defective)" in release["reason"]


def test_rejected_lot_goes_back_to_vendor(env):
    store, custody, bench = env
    lot_of(custody, bench, 20)
    units = bench.plan("LOT-1", actor="shop-1", seed=7)["pick_list"]
    run_sample(bench, "LOT-1", units, failing=units[:1])
    assert custody.repo.get(units[0]).state is State.TESTED_FAILED
    hist = custody.repo.history(units[0])
    assert "comms: critical self-test flags: ram_failure" in hist[-1].reason
    out = bench.decide("LOT-1", actor="shop-lead")
    assert out["decision"] == "reject" and out["defects"] == 1
    assert custody.repo.get(units[1]).state is State.LOT_REJECTED
    assert custody.repo.get(meter(19) if meter(19) not in units else units[-1]).state is State.LOT_REJECTED
    back = bench.return_to_vendor("LOT-1", actor="wh-1", document="RMA-55")
    assert len(back["moved"]) == 20
    assert all(a.state is State.RETURNED_TO_VENDOR for a in custody.repo.list(lot_number="LOT-1"))


def test_double_plan_second_sample_then_accept(env):
    store, custody, bench = env
    lot_of(custody, bench, 300)  # H: 32/32, Ac1 0 Re1 2, Ac2 1 Re2 2
    first = bench.plan("LOT-1", actor="shop-1", seed=3)["pick_list"]
    run_sample(bench, "LOT-1", first, failing=first[:1])
    out = bench.decide("LOT-1", actor="lead")
    assert out["decision"] == "second_sample" and len(out["second_sample"]) == 32
    assert not set(out["second_sample"]) & set(first)
    assert [p["asset_id"] for p in bench.pick_list("LOT-1")] == out["second_sample"]
    run_sample(bench, "LOT-1", out["second_sample"])
    out2 = bench.decide("LOT-1", actor="lead")
    assert (out2["stage"], out2["decision"], out2["defects"]) == (2, "accept", 0)  # cumulative 1 <= Ac2 1
    assert bench.status("LOT-1")["decisions"][0]["decision"] == "second_sample"


def test_double_plan_second_sample_then_reject(env):
    store, custody, bench = env
    lot_of(custody, bench, 300)
    first = bench.plan("LOT-1", actor="shop-1", seed=3)["pick_list"]
    run_sample(bench, "LOT-1", first, failing=first[:1])
    second = bench.decide("LOT-1", actor="lead")["second_sample"]
    run_sample(bench, "LOT-1", second, failing=second[:1])
    out = bench.decide("LOT-1", actor="lead")
    assert out["decision"] == "reject" and out["defects"] == 1
    states = {a.state for a in custody.repo.list(lot_number="LOT-1")}
    assert states == {State.LOT_REJECTED, State.TESTED_FAILED}


def test_decision_waits_for_every_unit(env):
    store, custody, bench = env
    lot_of(custody, bench, 20)
    units = bench.plan("LOT-1", actor="s", seed=1)["pick_list"]
    run_sample(bench, "LOT-1", units[:-1])
    with pytest.raises(NotAllowed, match="1 unit"):
        bench.decide("LOT-1", actor="s")


def test_results_need_the_unit_at_the_shop_and_in_the_sample(env):
    store, custody, bench = env
    lot_of(custody, bench, 20)
    units = bench.plan("LOT-1", actor="s", seed=1)["pick_list"]
    outsider = next(meter(i) for i in range(20) if meter(i) not in units)
    with pytest.raises(NotAllowed, match="not in the open sample"):
        bench.record_accuracy("LOT-1", outsider, GOOD, actor="s")
    bench.pick("LOT-1", units[:1], actor="wh")
    with pytest.raises(NotAllowed, match="Scan it in at the shop first"):
        bench.record_accuracy("LOT-1", units[0], GOOD, actor="s")
    with pytest.raises(InputError, match="Not on the pick list"):
        bench.pick("LOT-1", [outsider], actor="wh")


def test_accuracy_failure_and_manual_entries(env):
    store, custody, bench = env
    lot_of(custody, bench, 20)
    units = bench.plan("LOT-1", actor="s", seed=1)["pick_list"]
    bench.pick("LOT-1", units, actor="wh")
    bench.check_in("LOT-1", units, actor="s")
    out = bench.record_accuracy("LOT-1", units[0], BAD, actor="s")
    assert out["outcome"] == "failed" and out["verdict"] == "failed"  # one failed test decides the unit
    assert custody.repo.get(units[0]).state is State.TESTED_FAILED
    with pytest.raises(NotAllowed, match="A pass cannot be typed in"):
        bench.record_manual("LOT-1", units[1], BenchTest.COMMS, Outcome.PASSED, "looks fine", actor="s")
    out = bench.record_manual("LOT-1", units[1], BenchTest.DISCONNECT, Outcome.FAILED, "cracked cover", actor="s")
    assert out["verdict"] == "failed"


def test_stuck_switch_and_module_swap_fail(env):
    store, custody, bench = env
    lot_of(custody, bench, 20)
    units = bench.plan("LOT-1", actor="s", seed=1)["pick_list"]
    bench.pick("LOT-1", units, actor="wh")
    bench.check_in("LOT-1", units, actor="s")
    stuck = BenchMeterDouble(units[0], stuck=True)
    assert bench.run_disconnect("LOT-1", units[0], stuck, actor="s")["outcome"] == "failed"
    assert stuck.commands == ["open", "closed"]  # the procedure always ends by closing the switch
    swapped = BenchMeterDouble(units[1], module="CM-FOREIGN")
    assert bench.run_comms("LOT-1", units[1], swapped, actor="s")["outcome"] == "failed"
    detail = bench.status("LOT-1")["samples"][1]["tests"]["comms"]
    assert any("CM-FOREIGN" in r for r in detail["reasons"])


def test_cancelled_disconnect_leaves_switch_closed_and_records_nothing(env):
    store, custody, bench = env
    lot_of(custody, bench, 20)
    units = bench.plan("LOT-1", actor="s", seed=1)["pick_list"]
    bench.pick("LOT-1", units, actor="wh")
    bench.check_in("LOT-1", units, actor="s")
    cancel = threading.Event()
    m = BenchMeterDouble(units[0])
    original = m.switch

    def switch_then_cancel(state):
        original(state)
        cancel.set()

    m.switch = switch_then_cancel  # the person presses cancel while the switch is open
    with pytest.raises(UserCancelled):
        bench.run_disconnect("LOT-1", units[0], m, actor="s", cancel=cancel)
    assert m.commands == ["open", "closed"] and m.state == "closed"
    assert bench.outcomes("LOT-1", units[0]) == {}


def test_hundred_percent_lot_is_screened(env):
    store, custody, bench = env
    lot_of(custody, bench, 5)
    out = bench.plan("LOT-1", actor="s", seed=1)
    assert out["plan"]["scheme"] == "100%" and len(out["pick_list"]) == 5
    run_sample(bench, "LOT-1", out["pick_list"], failing=out["pick_list"][:1])
    d = bench.decide("LOT-1", actor="s")
    assert d["decision"] == "screened" and d["defects"] == 1
    back = bench.return_samples("LOT-1", actor="s")
    assert len(back["released"]) == 4
    assert bench.return_to_vendor("LOT-1", actor="s", document="RMA-1")["moved"] == [out["pick_list"][0]]


def test_meter_without_switch_procedure_records_disconnect_not_run(env):
    from fieldtool.services.bench_meter import SwitchUnsupported

    class NoSwitch(BenchMeterDouble):
        def switch(self, state):
            raise SwitchUnsupported("no service-switch procedure")

    store, custody, bench = env
    lot_of(custody, bench, 20)
    units = bench.plan("LOT-1", actor="s", seed=1)["pick_list"]
    bench.pick("LOT-1", units, actor="wh")
    bench.check_in("LOT-1", units, actor="s")
    m = NoSwitch(units[0])
    bench.run_comms("LOT-1", units[0], m, actor="s")
    out = bench.run_disconnect("LOT-1", units[0], m, actor="s")
    assert (out["outcome"], out["verdict"]) == ("not_run", None)
    bench.record_accuracy("LOT-1", units[0], GOOD, actor="s")
    assert bench.verdict("LOT-1", units[0]) is None  # not run is never a pass: the unit stays open
    assert custody.repo.get(units[0]).state is State.RECEIVED_AT_SHOP
