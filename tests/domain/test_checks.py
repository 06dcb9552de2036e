"""Every rule of I1FR15 at its boundaries: holds -> nothing; violated -> a finding with its severity."""

from __future__ import annotations

import contextlib
import dataclasses
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtool.domain.checks import RULES, Actual, distance_m, normalize_meter_number, run_checks
from fieldtool.domain.codec import from_data
from fieldtool.domain.errors import InputError
from fieldtool.domain.exchange_events import EVENTS
from fieldtool.domain.model import PlannedInstall, Position, Severity, Tolerances, WorkOrderKind
from tests.domain.factories import NOW, REMOVAL, SP, STOCK, order

B, W, INF = Severity.BLOCK, Severity.WARN, Severity.INFO


def findings(actual: Actual, wo=None, stock=STOCK, now=NOW):
    return [(f.rule, f.severity) for f in run_checks(wo or order(), actual, stock, now)]


def test_rule_ids_are_exactly_the_issue_s():
    assert list(RULES) == [
        "old-meter-number", "meter-form", "final-read", "gps-distance", "meter-not-issued", "meter-type",
        "han-ids", "program-id", "billing-read-date",
    ]


def test_nothing_captured_means_no_rule_runs():
    assert run_checks(order(), Actual(), STOCK, NOW) == []


# old-meter-number ------------------------------------------------------------------------------------
@pytest.mark.parametrize("wall", ["V123456", "v123456", "V-123 456", "0V123456", " v_123456 "])
def test_old_meter_number_normalized_match_holds(wall):
    assert findings(Actual(old_meter_number=wall)) == []


def test_old_meter_number_mismatch_warns_with_both_values():
    (f,) = run_checks(order(), Actual(old_meter_number="V123465"), STOCK, NOW)
    assert (f.rule, f.severity, f.planned, f.actual) == ("old-meter-number", W, "V123456", "V123465")
    assert "V123465" in f.message and "V123456" in f.message


def test_normalize_keeps_inner_zeros():
    assert normalize_meter_number("00-10 0a") == "100A"


# meter-form ------------------------------------------------------------------------------------------
def test_meter_form_same_holds_case_and_spaces():
    assert findings(Actual(old_meter_form="2S", new_meter_form="2 s")) == []


def test_meter_form_differs_blocks():
    (f,) = run_checks(order(), Actual(old_meter_form="2S", new_meter_form="12S"), STOCK, NOW)
    assert (f.rule, f.severity, f.planned, f.actual) == ("meter-form", B, "2S", "12S")


def test_meter_form_uses_planned_old_form_when_removed_form_not_captured():
    assert findings(Actual(new_meter_form="12S")) == [("meter-form", B)]


def test_meter_form_new_set_compares_with_planned_install_form():
    wo = order(kind=WorkOrderKind.NEW_SET, removal=None)
    assert findings(Actual(new_meter_form="2S"), wo) == []
    assert findings(Actual(new_meter_form="16S"), wo) == [("meter-form", B)]


# final-read: expected 41250 + 20/day x 30 days = 41850, band max(25% of 600, 50) = 150 -----------------
@pytest.mark.parametrize("read", [41700.0, 41850.0, 42000.0])
def test_final_read_inside_band_and_exactly_at_tolerance_holds(read):
    assert findings(Actual(final_read=read, read_at=NOW)) == []


@pytest.mark.parametrize("read", [41699.5, 42000.5])
def test_final_read_just_outside_band_warns(read):
    (f,) = run_checks(order(), Actual(final_read=read, read_at=NOW), STOCK, NOW)
    assert (f.rule, f.severity, f.actual) == ("final-read", W, read)
    assert f.planned["expected_read"] == 41850.0 and f.planned["band"] == 150.0


def test_final_read_minimum_band_applies_for_small_usage():
    wo = order(removal=replace(REMOVAL, avg_daily_usage=1.0))  # expected 30, 25% = 7.5 < 50 units
    assert findings(Actual(final_read=41250 + 80.0, read_at=NOW), wo) == []
    assert findings(Actual(final_read=41250 + 80.5, read_at=NOW), wo) == [("final-read", W)]


def test_final_read_rollover_for_the_number_of_dials_is_not_an_error():
    wo = order(removal=replace(REMOVAL, last_read=99_800.0))  # 5 dials: rolls over at 100000
    assert findings(Actual(final_read=400.0, read_at=NOW), wo) == []  # 600 used


def test_final_read_rollover_depends_on_dials():
    four = order(removal=replace(REMOVAL, dials=4, last_read=9_800.0))
    assert findings(Actual(final_read=400.0, read_at=NOW), four) == []
    five = order(removal=replace(REMOVAL, dials=5, last_read=9_800.0))
    (f,) = run_checks(five, Actual(final_read=400.0, read_at=NOW), STOCK, NOW)
    assert (f.rule, f.severity) == ("final-read", B) and "below the last read" in f.message


def test_final_read_below_last_read_blocks_possible_tampering():
    (f,) = run_checks(order(), Actual(final_read=41_100.0, read_at=NOW), STOCK, NOW)
    assert (f.severity, f.actual) == (B, 41_100.0) and "tampering" in f.message


def test_final_read_zero_usage_warns():
    (f,) = run_checks(order(), Actual(final_read=41_250.0, read_at=NOW), STOCK, NOW)
    assert (f.rule, f.severity) == ("final-read", W) and "No usage" in f.message


def test_final_read_zero_usage_on_the_day_of_the_last_read_holds():
    wo = order(removal=replace(REMOVAL, last_read_date=NOW.date()))
    assert findings(Actual(final_read=41_250.0, read_at=NOW), wo) == []


@pytest.mark.parametrize("read", [100_000.0, -1.0])
def test_final_read_that_the_dials_cannot_show_blocks(read):
    assert findings(Actual(final_read=read, read_at=NOW)) == [("final-read", B)]


def test_final_read_without_last_read_in_plan_says_so_as_info():
    wo = order(removal=replace(REMOVAL, last_read=None))
    assert findings(Actual(final_read=41_850.0), wo) == [("final-read", INF)]


def test_final_read_without_average_usage_info_unless_register_went_back():
    wo = order(removal=replace(REMOVAL, avg_daily_usage=None))
    assert findings(Actual(final_read=41_850.0), wo) == [("final-read", INF)]
    assert findings(Actual(final_read=41_000.0), wo) == [("final-read", B)]


def test_final_read_dated_before_last_read_warns():
    assert findings(Actual(final_read=41_850.0, read_at=datetime(2026, 2, 1, tzinfo=UTC))) == [("final-read", W)]


def test_final_read_time_defaults_to_now():
    later = NOW + timedelta(days=30)  # 60 days: expected 42450, band 300
    assert findings(Actual(final_read=41_850.0), now=later) == [("final-read", W)]


# gps-distance ------------------------------------------------------------------------------------------
def _north(metres: float) -> float:
    return SP.lat + metres / distance_m(0, 0, 1, 0)


def test_distance_is_haversine():
    assert distance_m(SP.lat, SP.lon, _north(150), SP.lon) == pytest.approx(150, abs=0.01)


def test_gps_exactly_at_tolerance_after_accuracy_holds_and_just_over_warns():
    d = distance_m(SP.lat, SP.lon, _north(150), SP.lon)
    pos = Position(_north(150), SP.lon, accuracy_m=50.0)
    assert findings(Actual(position=pos), order(tolerances=Tolerances(gps_distance_m=d - 50.0))) == []
    assert findings(Actual(position=pos), order(tolerances=Tolerances(gps_distance_m=d - 50.1))) == [("gps-distance", W)]


def test_gps_accuracy_allowance():
    assert findings(Actual(position=Position(_north(150), SP.lon, accuracy_m=60.0))) == []
    (f,) = run_checks(order(), Actual(position=Position(_north(150), SP.lon, accuracy_m=40.0)), STOCK, NOW)
    assert f.severity is W and f.actual["distance_m"] == pytest.approx(150, abs=0.1)
    assert findings(Actual(position=Position(_north(150), SP.lon))) == [("gps-distance", W)]  # unknown: no allowance


def test_gps_fix_too_coarse_to_confirm_warns():
    assert findings(Actual(position=Position(SP.lat, SP.lon, accuracy_m=100.0))) == []
    assert findings(Actual(position=Position(SP.lat, SP.lon, accuracy_m=3000.0))) == [("gps-distance", W)]


def test_gps_stale_fix_boundary():
    fresh = Position(SP.lat, SP.lon, 5.0, fix_time=NOW - timedelta(seconds=300))
    stale = Position(SP.lat, SP.lon, 5.0, fix_time=NOW - timedelta(seconds=301))
    assert findings(Actual(position=fresh)) == []
    (f,) = run_checks(order(), Actual(position=stale), STOCK, NOW)
    assert f.severity is W and "old" in f.message


def test_gps_fix_age_is_judged_when_the_job_took_it():
    pos = Position(SP.lat, SP.lon, 5.0, fix_time=NOW - timedelta(seconds=60))
    assert findings(Actual(position=pos, position_captured_at=NOW), now=NOW + timedelta(hours=1)) == []


def test_gps_shared_coordinate_without_location_id_blocks():
    wo = order(service_point=replace(SP, meters_at_coordinate=6, location_id="BANK-A-3"))
    here = Position(SP.lat, SP.lon, 5.0)
    assert findings(Actual(position=here), wo) == [("gps-distance", B)]
    assert findings(Actual(position=here, location_id="bank-a-3"), wo) == []
    assert findings(Actual(position=here, location_id="BANK-A-4"), wo) == [("gps-distance", W)]


@pytest.mark.parametrize("pos", [Position(float("nan"), SP.lon), Position(SP.lat, 181.0), Position(SP.lat, SP.lon, -1.0)])
def test_gps_invalid_fix_blocks_rather_than_passing(pos):
    assert findings(Actual(position=pos)) == [("gps-distance", B)]


def test_final_read_not_a_number_blocks():
    assert findings(Actual(final_read=float("nan"), read_at=NOW)) == [("final-read", B)]


def test_gps_plan_without_coordinates_says_so():
    wo = order(service_point=replace(SP, lat=None, lon=None))
    assert findings(Actual(position=Position(1.0, 2.0, 5.0)), wo) == [("gps-distance", INF)]


# meter-not-issued, meter-type ----------------------------------------------------------------------------
def test_meter_issued_holds_normalized():
    assert findings(Actual(new_meter_number="ami-0000001", installer_id="INS-042")) == []


def test_meter_not_issued_blocks():
    (f,) = run_checks(order(), Actual(new_meter_number="AMI0000099"), STOCK, NOW)
    assert (f.rule, f.severity, f.planned, f.actual) == ("meter-not-issued", B, "INS-042", "AMI0000099")


def test_meter_issued_to_someone_else_blocks():
    assert findings(Actual(new_meter_number="AMI0000001", installer_id="INS-007")) == [("meter-not-issued", B)]


def test_no_stock_list_known_is_info_not_silence():
    assert findings(Actual(new_meter_number="AMI0000001"), stock=None) == [("meter-not-issued", INF)]


def test_empty_stock_list_blocks():
    assert findings(Actual(new_meter_number="AMI0000001"), stock=[]) == [("meter-not-issued", B)]


def test_meter_type_from_capture_or_from_stock():
    assert findings(Actual(new_meter_type="ami-r2s-240")) == []
    assert findings(Actual(new_meter_type="AMI-C12S-480")) == [("meter-type", B)]
    assert findings(Actual(new_meter_number="AMI0000003")) == [("meter-type", B)]  # stock says C12S


def test_meter_type_not_checked_on_a_removal():
    wo = order(kind=WorkOrderKind.REMOVAL, install=None)
    assert findings(Actual(new_meter_type="X"), wo) == []


# han-ids ------------------------------------------------------------------------------------------------
def test_han_ids_same_devices_any_notation_holds():
    assert findings(Actual(han_device_ids=("00:12:4b:00:01:a2:b3:c5", "00124B0001A2B3C4"))) == []


def test_han_ids_missing_and_extra_warn():
    (f,) = run_checks(order(), Actual(han_device_ids=("00124B0001A2B3C4", "00124B0001FFFFFF")), STOCK, NOW)
    assert f.severity is W and f.actual == ["00124B0001A2B3C4", "00124B0001FFFFFF"]
    assert "00124B0001A2B3C5" in f.message and "00124B0001FFFFFF" in f.message


def test_han_ids_none_found_warns_when_planned_and_holds_when_not():
    assert findings(Actual(han_device_ids=())) == [("han-ids", W)]
    assert findings(Actual(han_device_ids=()), order(han_devices=())) == []


# program-id --------------------------------------------------------------------------------------------
def test_program_id():
    assert findings(Actual(program_id="RES-TOU-D")) == []
    assert findings(Actual(program_id="DEFAULT-01")) == [("program-id", B)]
    wo = order(install=PlannedInstall(meter_type="AMI-R2S-240", form="2S"))
    assert findings(Actual(program_id="DEFAULT-01"), wo) == [("program-id", INF)]


# billing-read-date (read date 2026-03-20, guard 2 days) -------------------------------------------------
@pytest.mark.parametrize(
    "day,expected",
    [(17, []), (18, [("billing-read-date", W)]), (20, [("billing-read-date", W)]), (22, [("billing-read-date", W)]), (23, [])],
)
def test_billing_guard_days_boundaries(day, expected):
    assert findings(Actual(installed_at=datetime(2026, 3, day, 10, tzinfo=UTC))) == expected


def test_billing_guard_days_configurable_and_missing_date_is_info():
    wo = order(tolerances=Tolerances(billing_guard_days=0))
    assert findings(Actual(installed_at=datetime(2026, 3, 19, tzinfo=UTC)), wo) == []
    assert findings(Actual(installed_at=NOW), order(meter_read_date=None)) == [("billing-read-date", INF)]


def test_every_rule_can_report_on_one_bad_install():
    bad = Actual(
        old_meter_number="X1", old_meter_form="2S", new_meter_number="AMI0000099", new_meter_form="12S",
        new_meter_type="OTHER", final_read=10.0, read_at=NOW, position=Position(0.0, 0.0, 5.0),
        han_device_ids=(), program_id="P", installed_at=datetime(2026, 3, 20, tzinfo=UTC),
    )
    assert {f.rule for f in run_checks(order(), bad, STOCK, NOW)} == set(RULES)



# outside input: ACTUAL.json and event --data are parsed by the codec; random values raise only InputError
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=12,
)
actual_keys = st.sampled_from([f.name for f in dataclasses.fields(Actual)])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(actual_keys, json_values, max_size=6))
def test_random_actual_values_raise_only_input_error(data):
    with contextlib.suppress(InputError):
        run_checks(order(), from_data(Actual, data, "the actual values"), STOCK, NOW)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(EVENTS)), st.dictionaries(st.text(max_size=12), json_values, max_size=4))
def test_random_event_data_raises_only_input_error(name, data):
    with contextlib.suppress(InputError):
        from_data(EVENTS[name], data, f"event {name}")
