"""Custody against the real store: moves with outbox rows, history, receipt, pallets, stock, pairing."""

from __future__ import annotations

import dataclasses

import pytest

from fieldtool.domain.custody import Move, MoveRequest, State
from fieldtool.domain.errors import NotAllowed, UserFacingError
from fieldtool.domain.receipt import ScannedUnit
from fieldtool.services.custody import CustodyService
from fieldtool.store.db import open_store
from tests.custody.helpers import SteppingClock, meter, notice, order


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "ft.db")
    yield s
    s.close()


@pytest.fixture
def svc(store):
    return CustodyService(store, clock=SteppingClock())


def req(svc, asset_id, move, **kw):
    base = dict(actor="wh-1", at=svc.clock.now(), location="warehouse", document="T-1")
    base.update(kw)
    return MoveRequest(asset_id, move, **base)


def received(svc, n=12):
    svc.import_order(order(n))
    svc.import_notice(notice(n), actor="vendor-edi")
    svc.receive("ASN-1", [ScannedUnit(meter(i), "2S-CL200") for i in range(n)], actor="wh-1")


def test_notice_creates_assets_with_value_and_queues_events(svc, store):
    svc.import_order(order(3, price=91.25))
    out = svc.import_notice(notice(3), actor="vendor-edi")
    assert out == {"moved": [meter(0), meter(1), meter(2)], "excepted": [], "refused": []}
    a = svc.repo.get(meter(1))
    assert a.state is State.SHIPPED_BY_VENDOR and a.value == 91.25 and a.lot_number == "LOT-1"
    assert a.components == {"comm_module": "CM00000001"} and a.container == "BOX-0"
    events = store.outbox.list()
    assert [e.kind for e in events] == ["custody"] * 3
    p = events[0].payload
    assert (p["action"], p["other_kind"], p["asset_ids"], p["asset_type"]) == ("Other", "ShippedByVendor",
                                                                             [meter(0)], "meter")
    assert p["document"] == "ASN-1" and p["value"] == 91.25 and p["actor"] == "vendor-edi"
    assert p["from_location"] is None and p["to_location"] == "vendor" and p["lot_number"] == "LOT-1"


def test_receipt_reconciles_and_receives_only_what_matches(svc, store):
    svc.import_order(order(4))
    svc.import_notice(notice(4), actor="edi")
    scans = [ScannedUnit(meter(0), "2S-CL200"), ScannedUnit(meter(0)), ScannedUnit(meter(1), "12S-CL200"),
             ScannedUnit("XX999"), ScannedUnit(meter(2))]
    rec, batch = svc.receive("ASN-1", scans, actor="wh-1")
    assert [r.asset_id for r in batch.moved] == [meter(0), meter(2)]
    assert rec.missing == (meter(3),) and rec.extra == ("XX999",) and rec.duplicates == ((meter(0), 2),)
    assert svc.repo.get(meter(1)).state is State.SHIPPED_BY_VENDOR  # wrong type: held, not received
    assert svc.repo.get(meter(0)).state is State.RECEIVED_AT_WAREHOUSE
    received_events = [e.payload for e in store.outbox.list() if e.payload["action"] == "Received"]
    assert [p["asset_ids"] for p in received_events] == [[meter(0)], [meter(2)]]
    assert received_events[0]["from_location"] == "vendor" and received_events[0]["to_location"] == "warehouse"
    with pytest.raises(UserFacingError, match="No ship notice"):
        svc.receive("ASN-404", scans, actor="wh-1")


def test_history_in_order_with_who_when_where_document(svc):
    received(svc, 2)
    svc.move(req(svc, meter(0), Move.RELEASE, document="LOT-1"))
    h = svc.history(meter(0))
    assert [m.move for m in h["moves"]] == [Move.SHIP_BY_VENDOR, Move.RECEIVE_AT_WAREHOUSE, Move.RELEASE]
    assert [m.document for m in h["moves"]] == ["ASN-1", "ASN-1", "LOT-1"]
    assert all(m.actor and m.location and m.at for m in h["moves"])
    assert h["moves"][0].at < h["moves"][1].at < h["moves"][2].at
    with pytest.raises(UserFacingError, match="not known"):
        svc.history("nope")


def test_refused_move_writes_nothing(svc, store):
    received(svc, 1)
    before = len(store.outbox.list())
    with pytest.raises(NotAllowed, match="received at warehouse"):
        svc.move(req(svc, meter(0), Move.INSTALL, document="WO-1"))
    assert len(store.outbox.list()) == before and len(svc.repo.history(meter(0))) == 2


def test_history_is_append_only(svc, store):
    received(svc, 1)
    import sqlite3
    with pytest.raises(sqlite3.DatabaseError, match="never deleted"), store.transaction() as c:
        c.execute("DELETE FROM custody_moves")


def test_pallet_moves_every_unit_but_the_exceptions_and_reports_refusals(svc):
    received(svc, 12)
    svc.move(req(svc, meter(3), Move.RELEASE))  # already released: the pallet's release will refuse it
    out = svc.move_container("BOX-0", req(svc, "", Move.RELEASE, document="LOT-1"), exceptions=[meter(5)])
    assert [r.asset_id for r in out.moved] == [meter(i) for i in range(10) if i not in (3, 5)]
    assert out.excepted == [meter(5)]
    assert out.refused[0]["asset_id"] == meter(3) and "released" in out.refused[0]["reason"]
    assert svc.repo.get(meter(5)).state is State.RECEIVED_AT_WAREHOUSE
    assert svc.repo.get(meter(10)).state is State.RECEIVED_AT_WAREHOUSE  # BOX-1, not scanned
    # contents straight from a parsed packing label
    out = svc.move_container("LABEL-X", req(svc, "", Move.RELEASE), contents=[meter(10), meter(11)])
    assert len(out.moved) == 2
    with pytest.raises(UserFacingError, match="No unit is recorded in container"):
        svc.move_container("BOX-77", req(svc, "", Move.RELEASE))


def test_issue_and_install_keep_the_installers_stock_current(svc, store):
    received(svc, 3)
    for i in range(3):
        for move in (Move.RELEASE, Move.SHIP_TO_DISTRICT, Move.RECEIVE_AT_DISTRICT):
            svc.move(req(svc, meter(i), move))
    assert store.stock.issued("inst-1") is None
    svc.move(req(svc, meter(0), Move.ISSUE_TO_INSTALLER, holder="inst-1", location="district:north"))
    svc.move(req(svc, meter(1), Move.ISSUE_TO_INSTALLER, holder="inst-1", location="district:north"))
    assert [m.meter_number for m in store.stock.issued("inst-1")] == [meter(0), meter(1)]
    svc.move(req(svc, meter(0), Move.INSTALL, location="ISP7000001", document="WO-000001"))
    svc.move(req(svc, meter(1), Move.RETURN_FROM_INSTALLER, location="district:north"))
    assert store.stock.issued("inst-1") == []
    assert svc.repo.get(meter(0)).state is State.INSTALLED


def test_removed_legacy_meter_is_tracked_to_disposal(svc, store):
    svc.move(req(svc, "40000007", Move.REMOVE, location="ISP7000001", document="WO-000001"))
    svc.move(req(svc, "40000007", Move.RETURN_REMOVED))
    rec = svc.move(req(svc, "40000007", Move.SALVAGE, disposal_method="scrap_metal_recycling",
                       disposal_cost=1.75))
    assert rec.action_taken == "Retired" and rec.disposal_cost == 1.75
    assert store.outbox.list()[-1].payload["disposal_method"] == "scrap_metal_recycling"
    svc.move(req(svc, "40000008", Move.REMOVE, location="ISP1"))
    svc.move(req(svc, "40000008", Move.RETURN_REMOVED))
    with pytest.raises(UserFacingError, match="not a configured disposal method"):
        svc.move(req(svc, "40000008", Move.E_WASTE, disposal_method="landfill", disposal_cost=0.0))
    assert svc.repo.get("40000008").state is State.RETURNED


def test_unknown_asset_cannot_be_moved_other_than_created(svc):
    with pytest.raises(UserFacingError, match="not known to custody"):
        svc.move(req(svc, "ZZ1", Move.RECEIVE_AT_WAREHOUSE))


def test_module_pairing_swapped_and_stale(svc):
    received(svc, 2)
    with pytest.raises(NotAllowed, match="swapped"):
        svc.move(req(svc, meter(0), Move.RELEASE, observed_components={"comm_module": "CM99"}))
    with pytest.raises(NotAllowed, match=f"recorded on {meter(1)}"):
        svc.move(req(svc, meter(0), Move.RELEASE, observed_components={"comm_module": "CM00000001"}))
    # the technician moves module CM00000001 onto meter 0 on purpose: meter 1 loses it
    svc.move(req(svc, meter(0), Move.PAIR_COMPONENT, reason="module swapped after drop test",
                 observed_components={"comm_module": "CM00000001"}))
    assert svc.repo.get(meter(0)).components == {"comm_module": "CM00000001"}
    assert svc.repo.get(meter(1)).components == {}
    assert svc.repo.get(meter(0)).state is State.RECEIVED_AT_WAREHOUSE


def test_duplicate_notice_line_refused(svc):
    n = notice(2)
    bad = dataclasses.replace(n, units=n.units + (n.units[0],))
    with pytest.raises(UserFacingError, match="twice"):
        svc.import_notice(bad, actor="edi")
