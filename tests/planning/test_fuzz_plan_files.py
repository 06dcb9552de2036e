"""Plan and stock files are outside input: whatever JSON arrives, only our InputError comes out."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtool.domain.actuals import parse_actuals
from fieldtool.domain.errors import InputError
from fieldtool.domain.planfile import parse_plan
from tests.planning.plans import plan_data

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False) | st.text(max_size=12)
    | st.sampled_from(["2027-03-01", "N", "A", "01", "meter", "han", "maintenance", "mon"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8) | st.sampled_from(
        ["district", "meter_type", "count", "code", "id", "kind", "item", "on_hand", "location"]), inner,
        max_size=5),
    max_leaves=25,
)
KEYS = ["plan_id", "as_of", "window", "work_days", "holidays", "items", "districts", "billing_cycles",
        "service_points", "demand", "warehouse_stock"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(KEYS), json_values)
def test_a_plan_with_any_value_in_any_place_is_accepted_or_refused_in_words(key, value):
    data = plan_data()
    data[key] = value
    try:
        parse_plan(data)
    except InputError as e:
        assert str(e).startswith("plan")


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["items", "districts", "service_points", "billing_cycles"]), st.integers(0, 0),
       st.sampled_from(["code", "id", "count", "district", "meter_type", "lead_time_days", "crews",
                        "installs_per_crew_day", "read_day", "read_dates", "han_devices", "accounts",
                        "opening_stock", "not_before", "network_ready", "form", "order_multiple"]), json_values)
def test_any_value_in_an_entry_is_refused_in_words(section, index, field, value):
    data = plan_data()
    data[section][index][field] = value
    try:
        parse_plan(data)
    except InputError:
        pass


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_any_stock_file_is_accepted_or_refused_in_words(value):
    plan = parse_plan(plan_data())
    try:
        parse_actuals(value, plan)
    except InputError:
        pass


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10**7), st.integers(0, 10**5), st.integers(0, 10**4), st.sampled_from(
    ["0001-01-01", "1999-12-31", "2027-02-28", "2040-01-01", "9999-12-31"]), st.integers(1, 31),
    st.integers(0, 10**6))
def test_extreme_numbers_and_dates_are_planned_or_refused_in_words(count, lead, crews, when, read_day, per_week):
    from fieldtool.services import planning

    data = plan_data(as_of=when)
    data["service_points"][0]["count"] = count
    data["items"][0]["lead_time_days"] = lead
    data["districts"][0]["crews"] = crews
    data["billing_cycles"] = [{"id": "01", "read_day": read_day}]
    data["demand"] = [{"kind": "maintenance", "district": "N", "item": "A", "per_week": per_week}]
    try:
        planning.run(parse_plan(data))
    except InputError:
        pass
