"""The meter shop's per-unit tests and their verdicts (UC134 step 4.3, I1FR5, I1FR6).

A sampled unit gets four tests: the communications test (identify, health flags, registers through the
optical port), the disconnect-switch test, accuracy at the full-load, light-load and power-factor test points
(ANSI C12.1 test points, docs/field-data.md §C4) and the HAN device bench test. A unit passes when every
required test passed; a test that was not run is never counted as passed.

Accuracy readings come typed in or from a test-board CSV (``parse_test_board_csv``; columns documented in
docs/cli.md). Pure: no I/O, no clock.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from enum import StrEnum

from fieldtool.domain.errors import InputError


class BenchTest(StrEnum):
    COMMS = "comms"
    DISCONNECT = "disconnect"
    ACCURACY = "accuracy"
    HAN = "han"


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_RUN = "not_run"


class LoadPoint(StrEnum):
    FULL_LOAD = "full_load"  # full-load test amperes, unity PF
    LIGHT_LOAD = "light_load"  # light-load test amperes (about 10 % of TA), unity PF
    POWER_FACTOR = "power_factor"  # full-load test amperes at 0.5 PF lagging


@dataclass(frozen=True)
class AccuracyLimits:
    """Largest allowed |registration - 100 %| at each test point, in percent."""

    accuracy_class: float
    full_load: float
    light_load: float
    power_factor: float

    def at(self, point: LoadPoint) -> float:
        return getattr(self, point.value)


def limits_for(accuracy_class: float, full_load: float | None = None, light_load: float | None = None,
               power_factor: float | None = None) -> AccuracyLimits:
    """The limits in force: the class's ± value at each point unless the utility set a point's own limit."""
    def positive(v) -> bool:
        return not isinstance(v, bool) and isinstance(v, int | float) and math.isfinite(v) and v > 0

    if not positive(accuracy_class):
        raise InputError(f"[bench] accuracy_class must be a number above zero, not {accuracy_class!r}.")
    values = {"full_load": full_load, "light_load": light_load, "power_factor": power_factor}
    for name, v in values.items():
        if v is not None and not positive(v):
            raise InputError(f"[bench] {name}_limit_pct must be a number above zero, not {v!r}.")
    return AccuracyLimits(accuracy_class, *(accuracy_class if v is None else v for v in values.values()))


@dataclass(frozen=True)
class PointResult:
    point: LoadPoint
    registration_pct: float  # 100.0 = registers exactly
    error_pct: float  # registration - 100
    limit_pct: float
    passed: bool


def judge_accuracy(registrations: dict[LoadPoint, float], limits: AccuracyLimits) -> list[PointResult]:
    """Judge each test point; all three points are required."""
    missing = [p.value for p in LoadPoint if p not in registrations]
    if missing:
        raise InputError(f"Accuracy needs every test point; missing: {', '.join(missing)}.")
    out = []
    for point in LoadPoint:
        reg = _percent(registrations[point], point.value)
        error = round(reg - 100.0, 6)
        limit = limits.at(point)
        out.append(PointResult(point, reg, error, limit, abs(error) <= limit))
    return out


def _percent(value, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"The {what.replace('_', ' ')} registration must be a number in percent, not {value!r}.")
    if not 50.0 <= value <= 150.0:
        # A registration this far off is a typing slip (error typed instead of registration) or a dead meter.
        raise InputError(f"A {what.replace('_', ' ')} registration of {value} % is not plausible.",
                         hint="Enter the percent registration (100 = exact), e.g. 99.85, not the error.")
    return float(value)


# The test-board CSV: one row per meter, percent registration at each point.
CSV_COLUMNS = ("meter_number", "full_load_pct", "light_load_pct", "power_factor_pct")


def parse_test_board_csv(text: str) -> dict[str, dict[LoadPoint, float]]:
    """Rows of a test-board export: ``meter_number, full_load_pct, light_load_pct, power_factor_pct``.

    Extra columns are ignored (boards add their own); a missing column, a meter twice or a value that is
    not a number is refused naming the line.
    """
    if text.startswith("\ufeff"):
        text = text[1:]  # Excel's byte-order mark
    try:
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error as e:
        raise InputError(f"The test-board file is not CSV: {e}") from e
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise InputError(f"The test-board file lacks the column(s): {', '.join(missing)}.",
                         hint=f"Expected a header row with: {', '.join(CSV_COLUMNS)}.")
    reader.fieldnames = header
    out: dict[str, dict[LoadPoint, float]] = {}
    try:
        for row in reader:
            line = reader.line_num
            meter = (row.get("meter_number") or "").strip()
            if not meter:
                raise InputError(f"Line {line} of the test-board file has no meter number.")
            if meter in out:
                raise InputError(f"Line {line}: meter {meter} appears twice in the test-board file.")
            values = {}
            for point in LoadPoint:
                raw = (row.get(f"{point.value}_pct") or "").strip()
                try:
                    number = float(raw)
                except ValueError:
                    raise InputError(f"Line {line}: {point.value}_pct {raw!r} is not a number.") from None
                try:
                    values[point] = _percent(number, point.value)
                except InputError as e:
                    raise InputError(f"Line {line}: {e}") from None
            out[meter] = values
    except csv.Error as e:
        raise InputError(f"The test-board file is not valid CSV: {e}") from e
    if not out:
        raise InputError("The test-board file has no rows.")
    return out


def unit_verdict(outcomes: dict[BenchTest, Outcome], required: frozenset[BenchTest]) -> Outcome | None:
    """FAILED if any test failed; PASSED when every required test passed; None while incomplete.

    A required test that was not run keeps the unit incomplete: "not run" is never a pass.
    """
    if any(o is Outcome.FAILED for o in outcomes.values()):
        return Outcome.FAILED
    if all(outcomes.get(t) is Outcome.PASSED for t in required):
        return Outcome.PASSED
    return None


DEFAULT_REQUIRED = frozenset({BenchTest.COMMS, BenchTest.DISCONNECT, BenchTest.ACCURACY})


def required_tests(names: list[str] | tuple[str, ...]) -> frozenset[BenchTest]:
    """The configured list of required tests, checked."""
    if isinstance(names, str) or not isinstance(names, list | tuple):
        raise InputError(f"[bench] required_tests must be a list such as [\"comms\", \"accuracy\"], not {names!r}.")
    try:
        return frozenset(BenchTest(n) for n in names)
    except ValueError:
        raise InputError(f"Unknown bench test in the configuration: {list(names)}.",
                         hint=f"Known tests: {', '.join(t.value for t in BenchTest)}.") from None


@dataclass(frozen=True)
class CommsObservation:
    """What the communications test read from a meter through its optical port."""

    meter_number: str | None  # the utility meter number the meter reports (None: not programmed)
    manufacturer: str | None = None
    manufacturer_serial: str | None = None
    firmware: str | None = None
    health_flags: tuple[str, ...] = ()  # every set flag (ST3), by name
    critical_flags: tuple[str, ...] = ()  # the subset the meter or utility counts as critical
    registers: dict[str, float] | None = None
    comm_module_serial: str | None = None


def judge_comms(unit_id: str, obs: CommsObservation) -> tuple[Outcome, list[str]]:
    """The meter must answer as the unit scanned, report no critical self-test flag (I1FR6) and give registers."""
    reasons = []
    if obs.meter_number and obs.meter_number != unit_id:
        reasons.append(f"the meter answers as {obs.meter_number}, not {unit_id}")
    if obs.critical_flags:
        reasons.append(f"critical self-test flags: {', '.join(obs.critical_flags)}")
    if not obs.registers:
        reasons.append("no registers could be read")
    return (Outcome.FAILED if reasons else Outcome.PASSED), reasons


@dataclass(frozen=True)
class SwitchStep:
    """One step of the disconnect-switch procedure: what was commanded and what the meter then reported."""

    commanded: str  # "open" or "closed"
    reported: str | None  # None: the meter did not answer


def judge_disconnect(steps: list[SwitchStep]) -> tuple[Outcome, list[str]]:
    """The switch must follow an open and a close command, in that order at least once."""
    reasons = [f"commanded {s.commanded}, the meter reports {s.reported or 'nothing'}"
               for s in steps if s.reported != s.commanded]
    commanded = [s.commanded for s in steps]
    if "open" not in commanded or "closed" not in commanded:
        reasons.append("the procedure must open and close the switch")
    return (Outcome.FAILED if reasons else Outcome.PASSED), reasons


@dataclass(frozen=True)
class BenchSettings:
    """Configuration section ``[bench]`` (docs/configuration.md)."""

    accuracy_class: float = 0.5  # ANSI C12.20 class: ± this many percent at each test point
    full_load_limit_pct: float | None = None  # a point's own limit, where the utility's spec sets one
    light_load_limit_pct: float | None = None
    power_factor_limit_pct: float | None = None
    required_tests: tuple[str, ...] = ("comms", "disconnect", "accuracy")
    switch_settle_s: float = 2.0  # wait after a switch command before reading the switch state back

    def limits(self) -> AccuracyLimits:
        return limits_for(self.accuracy_class, self.full_load_limit_pct, self.light_load_limit_pct,
                          self.power_factor_limit_pct)
