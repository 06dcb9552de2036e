"""Per-unit bench verdicts: accuracy against class limits, the test-board CSV, comms and disconnect."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtool.domain.bench import (
    DEFAULT_REQUIRED,
    BenchTest,
    CommsObservation,
    LoadPoint,
    Outcome,
    SwitchStep,
    judge_accuracy,
    judge_comms,
    judge_disconnect,
    limits_for,
    parse_test_board_csv,
    required_tests,
    unit_verdict,
)
from fieldtool.domain.errors import InputError

FL, LL, PF = LoadPoint.FULL_LOAD, LoadPoint.LIGHT_LOAD, LoadPoint.POWER_FACTOR


def test_class_limits_and_overrides():
    lim = limits_for(0.5)
    assert (lim.full_load, lim.light_load, lim.power_factor) == (0.5, 0.5, 0.5)
    lim = limits_for(0.2, light_load=0.4)
    assert (lim.full_load, lim.light_load, lim.power_factor) == (0.2, 0.4, 0.2)
    with pytest.raises(InputError):
        limits_for(0)
    with pytest.raises(InputError):
        limits_for(0.5, power_factor=-1)


def test_accuracy_at_the_limit_passes_beyond_fails():
    lim = limits_for(0.5, power_factor=1.0)
    res = {r.point: r for r in judge_accuracy({FL: 100.5, LL: 99.49, PF: 101.0}, lim)}
    assert res[FL].passed and res[FL].error_pct == 0.5
    assert not res[LL].passed and res[LL].error_pct == pytest.approx(-0.51)
    assert res[PF].passed and res[PF].limit_pct == 1.0


def test_accuracy_needs_every_point_and_plausible_numbers():
    with pytest.raises(InputError, match="power_factor"):
        judge_accuracy({FL: 100, LL: 100}, limits_for(0.5))
    with pytest.raises(InputError, match="not plausible"):
        judge_accuracy({FL: 0.2, LL: 100, PF: 100}, limits_for(0.5))  # the error typed, not the registration
    with pytest.raises(InputError, match="number"):
        judge_accuracy({FL: float("nan"), LL: 100, PF: 100}, limits_for(0.5))


def test_csv_import():
    text = "\ufeffMeter_Number,full_load_pct,light_load_pct,power_factor_pct,board_position\n" \
           "M1,100.02,99.91,100.10,3\nM2,99.4,100,100,4\n"
    rows = parse_test_board_csv(text)
    assert rows == {"M1": {FL: 100.02, LL: 99.91, PF: 100.10}, "M2": {FL: 99.4, LL: 100.0, PF: 100.0}}


@pytest.mark.parametrize("text,match", [
    ("meter_number,full_load_pct\nM1,100\n", "lacks the column"),
    ("meter_number,full_load_pct,light_load_pct,power_factor_pct\nM1,abc,100,100\n", "Line 2: full_load_pct"),
    ("meter_number,full_load_pct,light_load_pct,power_factor_pct\nM1,100,100,100\nM1,100,100,100\n", "twice"),
    ("meter_number,full_load_pct,light_load_pct,power_factor_pct\n,100,100,100\n", "no meter number"),
    ("meter_number,full_load_pct,light_load_pct,power_factor_pct\n", "no rows"),
    ("meter_number,full_load_pct,light_load_pct,power_factor_pct\nM1,100,5,100\n", "Line 2: .*not plausible"),
])
def test_csv_refusals_name_the_line(text, match):
    with pytest.raises(InputError, match=match):
        parse_test_board_csv(text)


@given(st.text(max_size=300))
def test_csv_random_text_raises_only_our_error(text):
    with contextlib.suppress(InputError):
        parse_test_board_csv(text)


def test_comms_verdicts():
    good = CommsObservation("M1", registers={"kwh_delivered": 0.0})
    assert judge_comms("M1", good) == (Outcome.PASSED, [])
    outcome, reasons = judge_comms("M2", CommsObservation("M1", critical_flags=("ram_failure",), registers={}))
    assert outcome is Outcome.FAILED
    assert reasons == ["the meter answers as M1, not M2", "critical self-test flags: ram_failure",
                       "no registers could be read"]
    # non-critical flags alone do not fail the meter
    assert judge_comms("M1", CommsObservation("M1", health_flags=("low_battery",), registers={"kwh": 1.0}))[0] \
        is Outcome.PASSED


def test_disconnect_verdicts():
    ok = [SwitchStep("open", "open"), SwitchStep("closed", "closed")]
    assert judge_disconnect(ok) == (Outcome.PASSED, [])
    stuck = [SwitchStep("open", "closed"), SwitchStep("closed", "closed")]
    assert judge_disconnect(stuck)[1] == ["commanded open, the meter reports closed"]
    assert judge_disconnect([SwitchStep("open", None)])[0] is Outcome.FAILED
    assert "must open and close" in judge_disconnect([SwitchStep("open", "open")])[1][0]


def test_unit_verdict_never_counts_not_run_as_passed():
    P, F, N = Outcome.PASSED, Outcome.FAILED, Outcome.NOT_RUN
    all_pass = {BenchTest.COMMS: P, BenchTest.DISCONNECT: P, BenchTest.ACCURACY: P, BenchTest.HAN: N}
    assert unit_verdict(all_pass, DEFAULT_REQUIRED) is P
    assert unit_verdict(all_pass, DEFAULT_REQUIRED | {BenchTest.HAN}) is None
    assert unit_verdict({**all_pass, BenchTest.ACCURACY: F}, DEFAULT_REQUIRED) is F
    assert unit_verdict({BenchTest.COMMS: P}, DEFAULT_REQUIRED) is None
    assert unit_verdict({BenchTest.COMMS: F}, DEFAULT_REQUIRED) is F


def test_required_tests_from_config():
    assert required_tests(["comms", "han"]) == {BenchTest.COMMS, BenchTest.HAN}
    with pytest.raises(InputError, match="Unknown bench test"):
        required_tests(["smoke"])


@pytest.mark.parametrize("bad", ["0.5", None, float("inf"), True])
def test_bad_configured_limits_are_refused_in_words(bad):
    with pytest.raises(InputError, match="accuracy_class"):
        limits_for(bad)
    with pytest.raises(InputError, match="required_tests"):
        required_tests("comms")
