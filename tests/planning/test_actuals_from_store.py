"""Actuals built from the store's completed jobs and from custody assets, and re-projected."""

from __future__ import annotations

import dataclasses

from fieldtool.domain.custody import Asset, State
from fieldtool.domain.model import PlannedHanDevice, PlannedInstall, WorkOrderStatus
from fieldtool.domain.planfile import parse_plan
from fieldtool.services import planning
from fieldtool.store.db import open_store
from tests.planning.plans import plan_data
from tests.store.factories import work_order


def test_installs_done_come_from_completed_jobs_and_stock_from_custody(tmp_path):
    data = plan_data()
    data["districts"].append({"id": "S", "crews": 1, "installs_per_crew_day": 5})
    data["items"].append({"code": "PCT", "kind": "han", "lead_time_days": 10})
    plan = parse_plan(data)
    orders = []
    for i in range(6):
        wo = work_order(i)
        orders.append(dataclasses.replace(
            wo, district="N", status=WorkOrderStatus.COMPLETED if i < 4 else WorkOrderStatus.OPEN,
            install=PlannedInstall(meter_type="A", form="2S"),
            han_devices=(PlannedHanDevice("000D6F0000ABCDE" + str(i), "PCT"),) if i == 0 else ()))
    with open_store(tmp_path / "f.db") as store:
        store.work_orders.upsert_many(orders)
        assets = ([Asset(f"M{k}", state=State.RECEIVED_AT_DISTRICT, asset_type="A", location="N") for k in range(7)]
                  + [Asset("M90", state=State.ISSUED_TO_INSTALLER, asset_type="A", location="N"),
                     Asset("M91", state=State.SHIPPED_TO_DISTRICT, asset_type="A", location="S"),
                     Asset("M92", state=State.RELEASED, asset_type="A", location="Central"),
                     Asset("M93", state=State.RECEIVED_AT_SHOP, asset_type="A", location="Meter shop"),
                     Asset("M94", state=State.INSTALLED, asset_type="A", location="N"),
                     Asset("X1", state=State.RECEIVED_AT_DISTRICT, asset_type="OTHER", location="N")])
        actuals = planning.actuals_from_store(store, plan, plan.window_start, assets)
    assert actuals.installs_done == {("N", "A"): 4, ("N", "PCT"): 1}
    assert actuals.on_hand == {("N", "A"): 8, ("warehouse", "A"): 1}
    assert sorted((t.location, t.item, t.quantity) for t in actuals.in_transit) == [
        ("S", "A", 1), ("warehouse", "A", 1)]
    result = planning.run(plan, actuals)
    assert len(result.schedule) == 100 - 4
    assert result.forecast.stock[0, 0, 0] == 8 - result.forecast.needed[0, 0, 0]


def test_stock_is_read_from_the_custody_records_in_the_store(tmp_path):
    from fieldtool.store.custody import CustodyRepo

    plan = parse_plan(plan_data())
    with open_store(tmp_path / "f.db") as store:
        repo = CustodyRepo(store)
        for k in range(5):
            repo.save(Asset(f"M{k}", state=State.RECEIVED_AT_DISTRICT, asset_type="A", location="N"), None)
        repo.save(Asset("M9", state=State.SHIPPED_TO_DISTRICT, asset_type="A", location="N"), None)
        actuals = planning.actuals_from_store(store, plan, plan.window_start)
    assert actuals.on_hand == {("N", "A"): 5}
    assert [(t.location, t.item, t.quantity) for t in actuals.in_transit] == [("N", "A", 1)]
