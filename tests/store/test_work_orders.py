"""Work orders and issued stock in the store: round trip, lists, look-ups by meter number and address."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtool.domain.model import IssuedMeter, WorkOrderStatus
from fieldtool.store.db import open_store
from fieldtool.store.work_orders import fts_query, meter_key
from tests.store.factories import old_meter_number, work_order


@pytest.fixture(scope="module")
def searchable(tmp_path_factory):
    s = open_store(tmp_path_factory.mktemp("search") / "s.db")
    s.work_orders.upsert_many([work_order(i, per_route=10) for i in range(50)])
    yield s
    s.close()


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "s.db")
    s.work_orders.upsert_many([work_order(i, per_route=10) for i in range(50)])
    yield s
    s.close()


def test_round_trip_is_exact(store):
    assert store.work_orders.get("WO-000017") == work_order(17, per_route=10)
    assert store.work_orders.get("WO-999999") is None
    assert store.work_orders.count() == 50


def test_route_list_is_in_schedule_order(store):
    jobs = store.work_orders.list(route="R0002")
    assert [w.id for w in jobs] == [f"WO-{i:06d}" for i in range(20, 30)]
    assert store.work_orders.list(route="R0002", limit=3) == jobs[:3]
    assert store.work_orders.list(route="nowhere") == []


def test_filters_combine(store):
    store.work_orders.set_status("WO-000021", WorkOrderStatus.COMPLETED)
    assert store.work_orders.get("WO-000021").status == WorkOrderStatus.COMPLETED
    assert [w.id for w in store.work_orders.list(route="R0002", status="completed")] == ["WO-000021"]
    assert len(store.work_orders.list(status=WorkOrderStatus.OPEN)) == 49
    assert len(store.work_orders.list(installer_id="INST-000")) == 50


@pytest.mark.parametrize("typed", ["40000147", "040000147", "40-000 147", " 40.000.147 ", "040000147"])
def test_find_by_meter_normalises_case_spaces_dashes_and_leading_zeros(store, typed):
    assert old_meter_number(21) == "40000147"
    assert [w.id for w in store.work_orders.find_by_meter(typed)] == ["WO-000021"]


def test_meter_key_is_the_check_rules_normalisation():
    from fieldtool.domain.checks import normalize_meter_number

    assert meter_key("ab-0012") == meter_key("AB0012") == "AB0012"
    for typed in ("00-12 345a", "AMI_26.001", "  ", "000"):
        assert meter_key(typed) == normalize_meter_number(typed)


def test_find_by_address_needs_every_word_as_a_prefix(store):
    addresses = {w.id: w.service_point.premise_address for w in store.work_orders.list()}
    assert addresses["WO-000012"] == "13 Maple Street, Northfield"
    found = [w.id for w in store.work_orders.find_by_address("13 maple")]
    assert found == ["WO-000012"]
    assert [w.id for w in store.work_orders.find_by_address("13 MAPLE st northf")] == ["WO-000012"]
    assert store.work_orders.find_by_address("13 oak") == []
    # the customer name is not part of the address
    assert store.work_orders.find_by_address("okafor") == []
    assert store.work_orders.find_by_address("  -- ") == []


def test_search_text_is_safe_with_fts_syntax(store):
    for text in ['"', "AND", "NEAR(", "*", "13 OR 14", "Rue de l'Église"]:
        store.work_orders.list(text=text)
        store.work_orders.find_by_address(text)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=40))
def test_any_typed_search_runs_without_error(searchable, text):
    searchable.work_orders.list(text=text)
    searchable.work_orders.find_by_address(text)
    searchable.work_orders.find_by_meter(text)


def test_accents_and_case_do_not_matter(store):
    w = work_order(60, per_route=10)
    w = dataclasses.replace(w, service_point=dataclasses.replace(
        w.service_point, premise_address="4 Rue de l'Église, Saint-Rémy"))
    store.work_orders.upsert_many([w])
    assert fts_query("Église") == '"Église"*'
    for typed in ("rue de l'eglise", "EGLISE remy", "4 ÉGLISE"):
        assert [x.id for x in store.work_orders.find_by_address(typed)] == [w.id], typed


def test_text_search_covers_names_and_numbers(store):
    w = work_order(33, per_route=10)
    assert [x.id for x in store.work_orders.list(text=w.service_point.customer_name)] == [w.id]
    assert [x.id for x in store.work_orders.list(text=w.service_point.account_number)] == [w.id]
    assert [x.id for x in store.work_orders.list(text="WO-000033")] == [w.id]


def test_an_update_moves_every_index(store):
    w = work_order(5, per_route=10)
    moved = dataclasses.replace(
        w,
        route="R9999",
        service_point=dataclasses.replace(w.service_point, premise_address="1 Quarry Hill, Westerly"),
        removal=dataclasses.replace(w.removal, meter_number="ZX-77"),
        revision=2,
    )
    store.work_orders.upsert_many([moved])
    assert store.work_orders.count() == 50
    assert store.work_orders.get(w.id) == moved
    assert [x.id for x in store.work_orders.list(route="R9999")] == [w.id]
    assert w.id not in [x.id for x in store.work_orders.list(route="R0000")]
    assert [x.id for x in store.work_orders.find_by_meter("zx77")] == [w.id]
    assert store.work_orders.find_by_meter(w.removal.meter_number) == []
    assert [x.id for x in store.work_orders.find_by_address("quarry")] == [w.id]
    assert w.id not in [x.id for x in store.work_orders.find_by_address(w.service_point.premise_address)]


def test_issued_stock_knows_no_list_from_an_empty_one(store):
    assert store.stock.issued("INST-7") is None
    assert store.stock.is_issued("INST-7", "AMI-1") is None
    store.stock.replace_issued("INST-7", [])
    assert store.stock.issued("INST-7") == []
    assert store.stock.is_issued("INST-7", "AMI-1") is False
    meters = [IssuedMeter("AMI-00017", "AMI-R2S-240", "INST-7"), IssuedMeter("AMI-00018", "AMI-R2S-240", "INST-7")]
    store.stock.replace_issued("INST-7", meters + [IssuedMeter("ami-000 17", "AMI-R2S-240", "INST-7")])
    assert store.stock.issued("INST-7") == meters
    assert store.stock.is_issued("INST-7", "ami00017") is True
    store.stock.replace_issued("INST-7", meters[1:])
    assert store.stock.issued("INST-7") == meters[1:]
    assert store.stock.installers() == ["INST-7"]
