"""What a check reports, and how a person answers it.

A ``Finding`` is one violated rule: its id, a severity, the planned and actual values and a message the
installer understands. A **warn** may be acknowledged with a reason (``Acknowledgement``); a **block** needs
a different action (capture the value again, scan another meter) or a supervisor's ``Override``; an
**info** needs nothing. Both answers record who gave them and when, and the finding they answered: when the
captured value changes, the check reports a new finding and the old answer no longer covers it.

Pure: times and people are passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fieldtool.domain.errors import NotAllowed
from fieldtool.domain.model import Severity


@dataclass(frozen=True)
class Finding:
    """One violated rule. ``planned``/``actual`` are plain JSON values (str, number, list, dict)."""

    rule: str
    severity: Severity
    message: str
    planned: Any | None = None  # None: the plan has nothing to compare (an info finding)
    actual: Any | None = None

    def same_as(self, other: Finding) -> bool:
        """The same rule reporting on the same values (the message may be reworded between versions)."""
        return (self.rule, self.severity, self.planned, self.actual) == (
            other.rule,
            other.severity,
            other.planned,
            other.actual,
        )


def as_json(f: Finding) -> dict[str, Any]:
    """The fixed shape of a finding on the command line and the wire: rule, severity, planned, actual, message."""
    return {"rule": f.rule, "severity": str(f.severity), "planned": f.planned, "actual": f.actual, "message": f.message}


@dataclass(frozen=True)
class Acknowledgement:
    """A warn the installer accepted, with the reason (for example "customer confirmed solar panels")."""

    finding: Finding
    reason: str
    by: str
    at: datetime


@dataclass(frozen=True)
class Override:
    """A supervisor let the job go on despite a finding (usually a block)."""

    finding: Finding
    supervisor: str
    reason: str
    by: str
    at: datetime


def is_resolved(finding: Finding, acks: Iterable[Acknowledgement], overrides: Iterable[Override]) -> bool:
    if finding.severity is Severity.INFO:
        return True
    if any(o.finding.same_as(finding) for o in overrides):
        return True
    return finding.severity is Severity.WARN and any(a.finding.same_as(finding) for a in acks)


def open_findings(
    findings: Iterable[Finding], acks: Sequence[Acknowledgement], overrides: Sequence[Override]
) -> list[Finding]:
    """The warns not acknowledged and the blocks not overridden: these hold the job up."""
    return [f for f in findings if not is_resolved(f, acks, overrides)]


def acknowledge(
    findings: Sequence[Finding],
    acks: Sequence[Acknowledgement],
    overrides: Sequence[Override],
    rule: str,
    *,
    reason: str,
    by: str,
    at: datetime,
) -> list[Acknowledgement]:
    """Acknowledge every open warn of ``rule``; a block cannot be acknowledged."""
    reason = (reason or "").strip()
    if not reason:
        raise NotAllowed(f"Say why you accept the warning of {rule}.", hint="Give a reason.")
    pending = [f for f in open_findings(findings, acks, overrides) if f.rule == rule]
    warns = [f for f in pending if f.severity is Severity.WARN]
    if not warns:
        if pending:
            raise NotAllowed(
                f"{rule} is a block, not a warning: it cannot be acknowledged.",
                hint="Capture the value again, take the other action it names, or ask a supervisor to override.",
            )
        raise NotAllowed(f"There is no open warning of {rule} on this job.")
    return [Acknowledgement(f, reason, by, at) for f in warns]


def override(
    findings: Sequence[Finding],
    acks: Sequence[Acknowledgement],
    overrides: Sequence[Override],
    rule: str,
    *,
    supervisor: str,
    reason: str,
    by: str,
    at: datetime,
) -> list[Override]:
    """A supervisor overrides every open finding of ``rule`` (blocks, and warns with them)."""
    supervisor = (supervisor or "").strip()
    reason = (reason or "").strip()
    if not supervisor:
        raise NotAllowed("An override needs the supervisor's code.")
    if not reason:
        raise NotAllowed(f"Say why the supervisor overrides {rule}.", hint="Give a reason.")
    if supervisor.casefold() == (by or "").strip().casefold():
        raise NotAllowed("An installer cannot override their own job; a supervisor's code is needed.")
    pending = [f for f in open_findings(findings, acks, overrides) if f.rule == rule]
    if not pending:
        raise NotAllowed(f"There is no open finding of {rule} on this job to override.")
    return [Override(f, supervisor, reason, by, at) for f in pending]
