"""The meter-exchange workflow (UC134 scenario 3.1.1, steps 6.1-9 with the 7.1A path): one transition table.

``TABLE`` is the only place that says which event is allowed at which step and where it leads; the GUI and
the CLI draw their steps from it (``allowed(step, kind)`` gives each event's name, label and inputs).
``step(order, job, event, ...)`` applies one event: it refuses an event the step does not allow
(``NotAllowed`` naming both), refuses a *gated* event while a warn is unacknowledged or a block is not
overridden, folds the event's data into the job and runs every check of ``checks.py`` on the result.

Work-order kinds share the table: a new set skips the old meter (6.2-6.4), a removal skips the new one
(6.5-7.1A). A HAN-only order has its own workflow (HAN provisioning) and is refused here.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum, StrEnum
from typing import get_type_hints

from fieldtool.domain import findings as findings_mod
from fieldtool.domain.checks import normalize_meter_number, run_checks
from fieldtool.domain.errors import NotAllowed
from fieldtool.domain.exchange_events import (
    EVENTS,
    Arrive,
    CannotComplete,
    Event,
    FinalRead,
    HanDevicesFound,
    IdentifyMeter,
    InstallMeter,
    JudgeCoverage,
    NetworkTested,
    RecordAsFound,
    Registered,
    RegistrationTimedOut,
    RemoveOldMeter,
    ReplaceMeter,
    Report,
    ReportMarginalCoverage,
    ScanMeter,
    SelfCheck,
    SoftRegister,
    Verification,
    VerifyOldMeter,
    WriteMeter,
)
from fieldtool.domain.exchange_job import (  # noqa: F401  (settings and timers are part of this API)
    ExchangeJob,
    ExchangeSettings,
    capture,
    new_job,
    over_install_target,
    registration_due_at,
)
from fieldtool.domain.findings import Finding, open_findings
from fieldtool.domain.model import IssuedMeter, WorkOrder, WorkOrderKind


class Step(StrEnum):
    SCAN_METER = "scan_meter"
    TRAVEL = "travel"
    VERIFY_OLD_METER = "verify_old_meter"
    FINAL_READ = "final_read"
    REMOVE_OLD_METER = "remove_old_meter"
    INSTALL_METER = "install_meter"
    SELF_CHECK = "self_check"
    SELF_CHECK_FAILED = "self_check_failed"
    IDENTIFY_METER = "identify_meter"
    WRITE_METER = "write_meter"
    REGISTRATION = "registration"
    NETWORK_TEST = "network_test"
    COVERAGE = "coverage"
    METER_FAULT = "meter_fault"
    MARGINAL_COVERAGE = "marginal_coverage"
    SOFT_REGISTRATION = "soft_registration"
    REPORT = "report"
    AWAITING_VERIFICATION = "awaiting_verification"
    DISCREPANCY = "discrepancy"
    COMPLETE = "complete"
    CANNOT_COMPLETE = "cannot_complete"


# (UC134 step number, what the installer sees)
STEP_LABELS: dict[Step, tuple[str, str]] = {
    Step.SCAN_METER: ("6.1", "Scan the meter issued to you"),
    Step.TRAVEL: ("6.2", "Travel to the job site"),
    Step.VERIFY_OLD_METER: ("6.2", "Verify the old meter and record what you find"),
    Step.FINAL_READ: ("6.3", "Take the old meter's final read"),
    Step.REMOVE_OLD_METER: ("6.4", "Remove the old meter"),
    Step.INSTALL_METER: ("6.5", "Install the new meter"),
    Step.SELF_CHECK: ("6.5.1", "Wait for the meter's self-check"),
    Step.SELF_CHECK_FAILED: ("6.5.1", "The self-check failed: check again or replace the meter"),
    Step.IDENTIFY_METER: ("6.6", "Read the meter's id and form"),
    Step.WRITE_METER: ("6.7", "Write location, service point and removed-meter data into the meter"),
    Step.REGISTRATION: ("7.1", "Wait for the meter to register on the AMI network"),
    Step.NETWORK_TEST: ("7.1A.1-2", "The meter did not register: test the network"),
    Step.COVERAGE: ("7.1A.3", "Decide whether the network coverage is adequate"),
    Step.METER_FAULT: ("7.1A.4", "Coverage is adequate: replace the meter"),
    Step.MARGINAL_COVERAGE: ("7.1A.5", "Report marginal coverage"),
    Step.SOFT_REGISTRATION: ("7.1A.6", "Queue the soft-registration"),
    Step.REPORT: ("7.2-7.3", "Report the installation to the AMI"),
    Step.AWAITING_VERIFICATION: ("8", "Waiting for the back office to verify"),
    Step.DISCREPANCY: ("8.1", "The back office found discrepancies"),
    Step.COMPLETE: ("9", "Installation complete"),
    Step.CANNOT_COMPLETE: ("-", "Cannot complete: a go-back was created"),
}

EX, NS, RM = WorkOrderKind.EXCHANGE, WorkOrderKind.NEW_SET, WorkOrderKind.REMOVAL
ANY = frozenset({EX, NS, RM})
INSTALLS = frozenset({EX, NS})
REMOVES = frozenset({EX, RM})


@dataclass(frozen=True)
class Row:
    """``event`` at ``state`` leads to ``to`` (or, by the event's outcome, to ``to[outcome]``).

    ``gated``: refused while a finding is open (warn not acknowledged, block not overridden).
    """

    state: Step
    event: type[Event]
    to: Step | Mapping[str, Step]
    kinds: frozenset[WorkOrderKind] = ANY
    gated: bool = False

    def target(self, event: Event) -> Step:
        return self.to if isinstance(self.to, Step) else self.to[event.outcome]


S = Step
_SELF_CHECK = {"passed": S.IDENTIFY_METER, "failed": S.SELF_CHECK_FAILED}
_VERDICT = {"accepted": S.COMPLETE, "rejected": S.DISCREPANCY}
_AFTER_INSTALL = (S.SELF_CHECK, S.SELF_CHECK_FAILED, S.IDENTIFY_METER, S.WRITE_METER)
_NOT_REGISTERED = (S.REGISTRATION, S.NETWORK_TEST, S.COVERAGE, S.METER_FAULT, S.MARGINAL_COVERAGE, S.SOFT_REGISTRATION)
_BEFORE_INSTALL = (S.SCAN_METER, S.TRAVEL, S.VERIFY_OLD_METER, S.FINAL_READ, S.REMOVE_OLD_METER, S.INSTALL_METER)
_ON_SITE = (S.VERIFY_OLD_METER, S.FINAL_READ, S.REMOVE_OLD_METER, S.INSTALL_METER, *_AFTER_INSTALL, *_NOT_REGISTERED, S.REPORT)

TABLE: tuple[Row, ...] = (
    # 6.1 - 6.4: the issued meter, the trip, the old meter
    Row(S.SCAN_METER, ScanMeter, S.TRAVEL, INSTALLS),
    Row(S.TRAVEL, Arrive, S.VERIFY_OLD_METER, REMOVES),
    Row(S.TRAVEL, Arrive, S.INSTALL_METER, frozenset({NS})),
    Row(S.VERIFY_OLD_METER, VerifyOldMeter, S.FINAL_READ, REMOVES),
    Row(S.FINAL_READ, FinalRead, S.REMOVE_OLD_METER, REMOVES),
    Row(S.FINAL_READ, VerifyOldMeter, S.FINAL_READ, REMOVES),
    Row(S.REMOVE_OLD_METER, RemoveOldMeter, S.INSTALL_METER, frozenset({EX}), gated=True),
    Row(S.REMOVE_OLD_METER, RemoveOldMeter, S.REPORT, frozenset({RM}), gated=True),
    Row(S.REMOVE_OLD_METER, FinalRead, S.REMOVE_OLD_METER, REMOVES),
    Row(S.REMOVE_OLD_METER, VerifyOldMeter, S.REMOVE_OLD_METER, REMOVES),
    # a different meter may be scanned until it is in the socket
    *(Row(s, ScanMeter, s, INSTALLS) for s in (S.TRAVEL, S.VERIFY_OLD_METER, S.FINAL_READ, S.REMOVE_OLD_METER, S.INSTALL_METER)),
    # 6.5 - 6.7: the new meter
    Row(S.INSTALL_METER, InstallMeter, S.SELF_CHECK, INSTALLS, gated=True),
    Row(S.SELF_CHECK, SelfCheck, _SELF_CHECK, INSTALLS),
    Row(S.SELF_CHECK_FAILED, SelfCheck, _SELF_CHECK, INSTALLS),
    Row(S.SELF_CHECK_FAILED, ReplaceMeter, S.INSTALL_METER, INSTALLS),
    Row(S.IDENTIFY_METER, IdentifyMeter, S.WRITE_METER, INSTALLS),
    Row(S.WRITE_METER, IdentifyMeter, S.WRITE_METER, INSTALLS),
    Row(S.WRITE_METER, ReplaceMeter, S.INSTALL_METER, INSTALLS),
    Row(S.WRITE_METER, WriteMeter, S.REGISTRATION, INSTALLS, gated=True),
    # 7 - 7.1A: registration, or the network test and soft-registration
    Row(S.REGISTRATION, RegistrationTimedOut, S.NETWORK_TEST, INSTALLS),
    Row(S.NETWORK_TEST, NetworkTested, S.COVERAGE, INSTALLS),
    Row(S.COVERAGE, NetworkTested, S.COVERAGE, INSTALLS),
    Row(S.COVERAGE, JudgeCoverage, {"adequate": S.METER_FAULT, "marginal": S.MARGINAL_COVERAGE}, INSTALLS),
    Row(S.METER_FAULT, ReplaceMeter, S.INSTALL_METER, INSTALLS),
    Row(S.METER_FAULT, SoftRegister, S.AWAITING_VERIFICATION, INSTALLS, gated=True),
    Row(S.MARGINAL_COVERAGE, ReportMarginalCoverage, S.SOFT_REGISTRATION, INSTALLS),
    Row(S.SOFT_REGISTRATION, SoftRegister, S.AWAITING_VERIFICATION, INSTALLS, gated=True),
    *(Row(s, Registered, S.REPORT, INSTALLS) for s in _NOT_REGISTERED),
    *(Row(s, WriteMeter, s, INSTALLS) for s in (*_NOT_REGISTERED, S.REPORT)),
    # 7.2 - 9: report, verification, completion; a late registration still clears the manual route (I1BR5)
    Row(S.REPORT, Report, S.AWAITING_VERIFICATION, gated=True),
    Row(S.AWAITING_VERIFICATION, Verification, _VERDICT),
    Row(S.DISCREPANCY, Verification, _VERDICT),
    *(Row(s, Registered, s, INSTALLS) for s in (S.AWAITING_VERIFICATION, S.DISCREPANCY, S.COMPLETE)),
    # HAN devices found once the new meter is up (7.4.4)
    *(Row(s, HanDevicesFound, s, INSTALLS) for s in (*_AFTER_INSTALL, *_NOT_REGISTERED, S.REPORT)),
    # as-found conditions may be recorded at any step on site (I1FR28)
    *(Row(s, RecordAsFound, s) for s in _ON_SITE),
    # cannot complete (I1BR4): before the new meter is in service, or when verification needs a revisit
    *(Row(s, CannotComplete, S.CANNOT_COMPLETE) for s in (*_BEFORE_INSTALL, S.SELF_CHECK_FAILED, S.DISCREPANCY)),
)

START: dict[WorkOrderKind, Step] = {EX: S.SCAN_METER, NS: S.SCAN_METER, RM: S.TRAVEL}
TERMINAL = frozenset({S.COMPLETE, S.CANNOT_COMPLETE})


@dataclass(frozen=True)
class Input:
    name: str
    type: str
    required: bool


@dataclass(frozen=True)
class EventSpec:
    """What the GUI and CLI need to offer one event at a step."""

    name: str
    label: str
    inputs: tuple[Input, ...]
    to: tuple[str, ...]  # the step(s) it may lead to
    gated: bool


def rows(state: Step | str, kind: WorkOrderKind) -> list[Row]:
    return [r for r in TABLE if r.state == state and kind in r.kinds]


def allowed(state: Step | str, kind: WorkOrderKind) -> list[EventSpec]:
    """The events of ``state``: the ones that move the job on first, corrections next, the exit last."""
    out = []
    for r in sorted(rows(state, kind), key=lambda r: (r.event is CannotComplete, r.to == r.state)):
        to = (r.to,) if isinstance(r.to, Step) else tuple(dict.fromkeys(r.to.values()))
        out.append(EventSpec(r.event.name, r.event.label, inputs(r.event), tuple(str(t) for t in to), r.gated))
    return out


def step_label(state: Step | str) -> dict[str, str]:
    number, label = STEP_LABELS[Step(state)]
    return {"step": str(state), "uc_step": number, "label": label}


def inputs(event: type[Event]) -> tuple[Input, ...]:
    hints = get_type_hints(event)
    return tuple(
        Input(f.name, _type_words(hints[f.name]), f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
        for f in dataclasses.fields(event)
    )


def _type_words(tp) -> str:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_words(a) for a in typing.get_args(tp) if a is not type(None))
    if origin in (tuple, list):
        return f"list of {_type_words(typing.get_args(tp)[0])}"
    if isinstance(tp, type) and issubclass(tp, Enum):
        return "one of " + " / ".join(str(m.value) for m in tp)
    if dataclasses.is_dataclass(tp):
        return "{" + ", ".join(f.name for f in dataclasses.fields(tp)) + "}"
    names = {str: "text", float: "number", int: "whole number", bool: "true/false", datetime: "time (ISO 8601)"}
    return names.get(tp, getattr(tp, "__name__", str(tp)))


def event_class(name: str) -> type[Event]:
    try:
        return EVENTS[name]
    except KeyError:
        raise NotAllowed(f"There is no event called {name!r}.", hint=f"Events: {', '.join(EVENTS)}.") from None


def start(order: WorkOrder, installer_id: str, at: datetime, correlation_id: str = "") -> ExchangeJob:
    if order.kind not in START:
        raise NotAllowed(
            f"Work order {order.id} is {order.kind.value}: it has no meter exchange.",
            hint="Use the HAN provisioning workflow.",
        )
    return new_job(order.id, order.kind, installer_id, START[order.kind], at, correlation_id)


@dataclass(frozen=True)
class Transition:
    """One applied event: the job after it and what the checks found."""

    job: ExchangeJob
    from_state: str
    to_state: str
    event: Event
    at: datetime
    by: str
    new_findings: tuple[Finding, ...]  # findings not reported before this event


def step(
    order: WorkOrder,
    job: ExchangeJob,
    event: Event,
    *,
    at: datetime,
    by: str,
    stock: Sequence[IssuedMeter] | None,
) -> Transition:
    """Apply ``event`` at time ``at`` by person ``by``; ``stock`` is the installer's issued meters or None."""
    state = Step(job.state)
    matches = [r for r in rows(state, order.kind) if r.event is type(event)]
    if not matches:
        names = ", ".join(s.name for s in allowed(state, order.kind)) or "none (the job is finished)"
        raise NotAllowed(
            f"The event {event.name!r} is not allowed at step {state.value!r} "
            f"({STEP_LABELS[state][1]}) of work order {order.id}.",
            hint=f"Allowed here: {names}.",
        )
    row = matches[0]
    if row.gated:
        held = open_findings(job.findings, job.acknowledgements, job.overrides)
        if held:
            what = "; ".join(f"{f.rule} ({f.severity.value}): {f.message}" for f in held)
            raise NotAllowed(
                f"{event.name!r} must wait at step {state.value!r}: open finding(s): {what}",
                hint="Acknowledge a warning with a reason, capture a block's value again, or have a supervisor override.",
            )
    after = capture(job, event, at, by)
    to = row.target(event)
    after = replace(after, state=to.value)
    findings = tuple(recheck(order, after, stock, at))
    after = replace(after, findings=findings, corrected_old_meter_number=_corrected(order, after))
    new = tuple(f for f in findings if not any(f.same_as(g) for g in job.findings))
    return Transition(after, state.value, to.value, event, at, by, new)


def recheck(order: WorkOrder, job: ExchangeJob, stock: Sequence[IssuedMeter] | None, now: datetime) -> list[Finding]:
    """Every check on the job's captured values. Before the meter is set, today is the prospective install
    date, so a billing-date conflict shows at the start of the job rather than at the socket."""
    actual = job.actual
    if actual.installed_at is None and Step(job.state) not in TERMINAL:
        actual = replace(actual, installed_at=job.removed_at or now)
    return run_checks(order, actual, stock, now)


def _corrected(order: WorkOrder, job: ExchangeJob) -> str | None:
    wall = job.actual.old_meter_number
    if wall is None or order.removal is None:
        return None
    same = normalize_meter_number(wall) == normalize_meter_number(order.removal.meter_number)
    return None if same else wall


def acknowledge(job: ExchangeJob, rule: str, *, reason: str, by: str, at: datetime) -> ExchangeJob:
    """The job with every open warn of ``rule`` acknowledged (a block raises ``NotAllowed``)."""
    acks = findings_mod.acknowledge(
        job.findings, job.acknowledgements, job.overrides, rule, reason=reason, by=by, at=at
    )
    return replace(job, acknowledgements=(*job.acknowledgements, *acks))


def override(job: ExchangeJob, rule: str, *, supervisor: str, reason: str, by: str, at: datetime) -> ExchangeJob:
    """The job with every open finding of ``rule`` overridden by ``supervisor``."""
    new = findings_mod.override(
        job.findings, job.acknowledgements, job.overrides, rule, supervisor=supervisor, reason=reason, by=by, at=at
    )
    return replace(job, overrides=(*job.overrides, *new))
