"""The work-order download: the demo day parses; a bad file is refused whole, naming record and field."""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtool.domain.errors import InputError
from fieldtool.domain.model import Tolerances, WorkOrderKind
from fieldtool.domain.workorders import parse_download

DEMO = json.loads((Path(__file__).parents[2] / "resources/demo/work-orders.json").read_text())
DEFAULTS = Tolerances(gps_distance_m=120.0, billing_guard_days=3)


def bad(mutate) -> str:
    doc = copy.deepcopy(DEMO)
    mutate(doc)
    with pytest.raises(InputError) as e:
        parse_download(doc, DEFAULTS)
    return str(e.value)


def test_demo_day_parses_with_every_kind_and_the_stock():
    d = parse_download(DEMO, DEFAULTS)
    assert len(d.work_orders) >= 12 and d.installer_id == "INS-042"
    assert {o.kind for o in d.work_orders} == set(WorkOrderKind)
    assert len(d.issued_stock) == 14 and all(m.installer_id == "INS-042" for m in d.issued_stock)
    assert all(o.installer_id == "INS-042" for o in d.work_orders)


def test_tolerances_record_over_file_over_configuration():
    d = parse_download(DEMO, DEFAULTS)
    rural = next(o for o in d.work_orders if o.id == "WO-260312-012")
    town = next(o for o in d.work_orders if o.id == "WO-260312-001")
    assert rural.tolerances.gps_distance_m == 250.0 and town.tolerances.gps_distance_m == 120.0
    assert town.tolerances.billing_guard_days == 3 and town.tolerances.read_variance_pct == 25.0


def test_shared_coordinates_in_the_file_mark_a_meter_bank():
    doc = copy.deepcopy(DEMO)
    for rec in doc["work_orders"][2:6]:
        rec["service_point"].pop("meters_at_coordinate")
    banks = [o.service_point.meters_at_coordinate for o in parse_download(doc, DEFAULTS).work_orders[2:6]]
    assert banks == [4, 4, 4, 4]


def test_bad_field_names_the_record_and_the_field():
    msg = bad(lambda d: d["work_orders"][3]["removal"].update(last_read_date="11/02/2026"))
    assert "work order WO-260312-004 (record 4): removal.last_read_date" in msg and "nothing was changed" in msg


def test_every_bad_record_is_listed_at_once():
    def two(d):
        d["work_orders"][0]["kind"] = "swap"
        del d["work_orders"][5]["service_point"]["isp_number"]
    msg = bad(two)
    assert "WO-260312-001 (record 1): kind: 'swap' is not one of" in msg
    assert "WO-260312-006 (record 6): service_point.isp_number: is missing" in msg


@pytest.mark.parametrize(
    "mutate,words",
    [
        (lambda d: d["work_orders"][0].pop("removal"), "removal: is required for a exchange job"),
        (lambda d: d["work_orders"][0]["removal"].update(dials=5, last_read=100000), "does not fit 5 dials"),
        (lambda d: d["work_orders"][8]["han_devices"][0].update(eui64="00124B0001A2B3"), "is not 16 hex digits"),
        (lambda d: d["work_orders"][8]["han_devices"][0].update(install_code="83FED3407A"), "install_code"),
        (lambda d: d["work_orders"][0]["service_point"].update(lat=136.0), "is not a latitude"),
        (lambda d: d["work_orders"][0].update(window_end="2026-03-12T07:00:00-07:00"), "before window_start"),
        (lambda d: d["work_orders"][1].update(id="WO-260312-001"), "appears 2 times"),
        (lambda d: d["work_orders"][0].update(tolerances={"gps_distance_m": -1}), "must be a number not below 0"),
        (lambda d: d["work_orders"][0].update(colour="red"), "unknown field(s): colour"),
        (lambda d: d.update(schema_version=9), "schema_version 9"),
        (lambda d: d["issued_stock"].append(d["issued_stock"][0]), "listed 2 times"),
        (lambda d: d.pop("installer_id"), "issued_stock needs installer_id"),
        (lambda d: d.update(work_orders={}), "work_orders must be a list"),
        (lambda d: d["work_orders"].append(7), "record 15: must be an object"),
        (lambda d: d.update(generated_at="yesterday"), "generated_at"),
    ],
)
def test_bad_input_refused_in_words(mutate, words):
    assert words in bad(mutate)


def test_no_stock_list_is_none_not_empty():
    doc = copy.deepcopy(DEMO)
    doc.pop("issued_stock")
    assert parse_download(doc, DEFAULTS).issued_stock is None
    doc["issued_stock"] = []
    assert parse_download(doc, DEFAULTS).issued_stock == ()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_random_documents_raise_only_input_error(doc):
    with contextlib.suppress(InputError):
        parse_download(doc, DEFAULTS)


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_random_damage_to_a_record_raises_only_input_error(data):
    doc = copy.deepcopy(DEMO)
    rec = doc["work_orders"][data.draw(st.integers(0, len(doc["work_orders"]) - 1))]
    target = rec
    for _ in range(data.draw(st.integers(0, 2))):
        dicts = [k for k, v in target.items() if isinstance(v, dict)]
        if not dicts:
            break
        target = target[data.draw(st.sampled_from(sorted(dicts)))]
    key = data.draw(st.sampled_from(sorted(target)))
    target[key] = data.draw(json_values)
    with contextlib.suppress(InputError):
        parse_download(doc, DEFAULTS)
