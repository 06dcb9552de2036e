"""Every custody and bench event the tool queues is valid under the back-office contract (sync/openapi.yaml)."""

from __future__ import annotations

from fieldtool.domain.custody import TRANSITIONS, Asset, Move, MoveRequest, apply_move
from fieldtool.services.custody import CUSTODY_EVENT, event_payload
from fieldtool.sync.contract import EVENT_KINDS, problems
from tests.custody.helpers import BASE


def test_action_list_is_the_contracts():
    from fieldtool.services.custody import CONTRACT_ACTIONS
    from fieldtool.sync.contract import document

    schema = document()["components"]["schemas"]["CustodyPayload"]
    assert set(schema["properties"]["action"]["enum"]) == CONTRACT_ACTIONS


def test_every_move_gives_a_valid_custody_payload():
    assert CUSTODY_EVENT in EVENT_KINDS
    for move, rule in TRANSITIONS.items():
        state = next(iter(s for s in rule.sources if s is not None), None)
        before = Asset("M1", state=state, location="warehouse", lot_number="L1", po_number="PO-1", value=80.0,
                       components={"comm_module": "CM1"})
        req = MoveRequest("M1", move, actor="tech", at=BASE, location="shop", document="D1", reason="r",
                          holder="inst-1", disposal_method="e_waste_recycler", disposal_cost=2.0,
                          observed_components={"comm_module": "CM2"} if move is Move.PAIR_COMPONENT else {})
        after, record = apply_move(before, req, "id-1")
        payload = event_payload(before, after, record)
        assert problems("CustodyPayload", payload) == [], (move, payload)
        if move is Move.REPAIR:  # v5 Repaired is in the contract's list: sent as it is
            assert (payload["action"], payload["other_kind"]) == ("Repaired", None)


def test_bench_result_payload_is_valid(tmp_path):
    from fieldtool.domain.bench import BenchSettings, LoadPoint
    from fieldtool.domain.receipt import ScannedUnit
    from fieldtool.services.bench import BenchService
    from fieldtool.services.custody import CustodyService
    from fieldtool.store.db import open_store
    from tests.custody.helpers import SteppingClock, meter, notice

    with open_store(tmp_path / "ft.db") as store:
        custody = CustodyService(store, clock=SteppingClock())
        bench = BenchService(store, custody=custody, clock=custody.clock,
                             settings=BenchSettings(required_tests=("accuracy",)))
        custody.import_notice(notice(5), actor="edi")
        custody.receive("ASN-1", [ScannedUnit(meter(i)) for i in range(5)], actor="wh")
        bench.receive_lot("LOT-1", None, document="ASN-1", actor="wh")
        picks = bench.plan("LOT-1", actor="s", seed=1)["pick_list"]
        bench.pick("LOT-1", picks, actor="wh")
        bench.check_in("LOT-1", picks, actor="s")
        regs = {LoadPoint.FULL_LOAD: 100.0, LoadPoint.LIGHT_LOAD: 103.0, LoadPoint.POWER_FACTOR: 100.0}
        bench.record_accuracy("LOT-1", picks[0], regs, actor="s")
        events = store.outbox.list()
        assert {e.kind for e in events} <= set(EVENT_KINDS)
        results = [e for e in events if e.kind == "bench_result"]
        assert len(results) == 1 and results[0].payload["verdict"] == "fail"
        for e in events:
            schema = "CustodyPayload" if e.kind == "custody" else "BenchResultPayload"
            assert problems(schema, e.payload) == [], e.payload
