"""The state of one exchange job: where it stands and everything captured so far.

``ExchangeJob`` is the snapshot the store keeps after every transition (``to_data`` / ``from_data``), so a
crash or power cut resumes the job where it stood. ``capture(job, event, at, by)`` folds one event's data
into it; the transition table (``exchange.py``) decides whether the event is allowed and where it leads.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from fieldtool.domain.checks import Actual
from fieldtool.domain.exchange_events import (
    Arrive,
    CannotComplete,
    Coverage,
    Event,
    FinalRead,
    GoBackReason,
    HanDevicesFound,
    IdentifyMeter,
    InstallMeter,
    JudgeCoverage,
    NetworkTested,
    RecordAsFound,
    Registered,
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
from fieldtool.domain.findings import Acknowledgement, Finding, Override
from fieldtool.domain.model import AsFound, WorkOrderKind


@dataclass(frozen=True)
class GoBack:
    """A job that cannot be completed today and needs another visit (I1BR4)."""

    reason: GoBackReason
    notes: str
    at: datetime
    by: str
    at_step: str
    old_meter_removed: bool


@dataclass(frozen=True)
class ExchangeJob:
    work_order_id: str
    kind: WorkOrderKind
    installer_id: str
    state: str  # a ``Step`` value (kept as text so the snapshot reads back without the table)
    started_at: datetime
    actual: Actual = Actual()
    as_found: AsFound = AsFound()
    corrected_old_meter_number: str | None = None  # set when the meter on the wall differs from the plan
    scanned_meter_number: str | None = None  # the label scanned at 6.1 (the meter's own id comes at 6.6)
    identified: IdentifyMeter | None = None
    self_check: SelfCheck | None = None
    registration: Registered | None = None
    registered_at: datetime | None = None
    network_tests: tuple[NetworkTested, ...] = ()
    coverage: Coverage | None = None
    coverage_notes: str = ""
    replaced_meters: tuple[str, ...] = ()  # new meters taken out again (failed self-check, 7.1A.4)
    custody_notes: tuple[str, ...] = ()  # custody moves the exchange could not make (services/exchange_custody)
    verification: Verification | None = None
    go_back: GoBack | None = None
    findings: tuple[Finding, ...] = ()
    acknowledgements: tuple[Acknowledgement, ...] = ()
    overrides: tuple[Override, ...] = ()
    arrived_at: datetime | None = None
    removed_at: datetime | None = None
    written_at: datetime | None = None
    left_at: datetime | None = None  # report, soft-registration or go-back: the installer leaves
    completed_at: datetime | None = None
    manual_read_route: bool = True  # I1BR5: the service point stays on manual reads until the meter talks
    soft_registered: bool = False
    correlation_id: str = ""  # ties the job's back-office events together

    def time_on_site_s(self, now: datetime) -> float | None:
        """Seconds from arrival to leaving (or to ``now`` while on site); I1NFR2 wants under 15 minutes."""
        if self.arrived_at is None:
            return None
        return ((self.left_at or now) - self.arrived_at).total_seconds()


def new_job(
    work_order_id: str, kind: WorkOrderKind, installer_id: str, state: str, at: datetime, correlation_id: str = ""
) -> ExchangeJob:
    # A removal leaves no meter behind, so there is nothing to keep on the manual reading route.
    return ExchangeJob(
        work_order_id,
        kind,
        installer_id,
        state,
        at,
        actual=Actual(installer_id=installer_id),
        manual_read_route=kind is not WorkOrderKind.REMOVAL,
        correlation_id=correlation_id,
    )


def _leave(job: ExchangeJob, at: datetime) -> datetime | None:
    return job.left_at or (at if job.arrived_at is not None else None)


def capture(job: ExchangeJob, event: Event, at: datetime, by: str) -> ExchangeJob:
    """The job with ``event``'s data folded in (no checks, no table: see ``exchange.step``)."""
    a = job.actual
    match event:
        case ScanMeter(meter_number=number, meter_type=mtype):
            return replace(
                job,
                scanned_meter_number=number,
                identified=None,
                actual=replace(a, new_meter_number=number, new_meter_type=mtype, new_meter_form=None, program_id=None),
            )
        case Arrive(position=pos, location_id=loc):
            job = replace(job, arrived_at=job.arrived_at or at)
            return replace(job, actual=_located(a, pos, loc, at))
        case VerifyOldMeter(meter_number=number, form=form, conditions=conds, notes=notes, location_id=loc):
            job = _as_found(job, conds, notes, ())
            return replace(job, actual=replace(_located(a, None, loc, at), old_meter_number=number, old_meter_form=form))
        case RecordAsFound(conditions=conds, notes=notes, photo_ids=photos):
            return _as_found(job, conds, notes, photos)
        case FinalRead(value=value, read_at=read_at):
            return replace(job, actual=replace(a, final_read=value, read_at=read_at or at))
        case RemoveOldMeter():
            return replace(job, removed_at=at)
        case InstallMeter():
            return replace(job, actual=replace(a, installed_at=at), self_check=None, registration=None)
        case SelfCheck():
            return replace(job, self_check=event)
        case IdentifyMeter():
            return replace(
                job,
                identified=event,
                actual=replace(
                    a,
                    new_meter_number=event.meter_number,
                    new_meter_form=event.form,
                    new_meter_type=event.meter_type or a.new_meter_type,
                    program_id=event.program_id,
                ),
            )
        case WriteMeter(position=pos, location_id=loc):
            return replace(job, written_at=at, actual=_located(a, pos, loc, at))
        case HanDevicesFound(device_ids=ids):
            return replace(job, actual=replace(a, han_device_ids=tuple(ids)))
        case Registered():
            return replace(job, registration=event, registered_at=at, manual_read_route=False)
        case NetworkTested():
            return replace(job, network_tests=(*job.network_tests, event))
        case JudgeCoverage(verdict=verdict):
            return replace(job, coverage=verdict)
        case ReplaceMeter(meter_number=number, meter_type=mtype):
            taken_out = a.new_meter_number
            return replace(
                job,
                replaced_meters=(*job.replaced_meters, taken_out) if taken_out else job.replaced_meters,
                scanned_meter_number=number,
                identified=None,
                self_check=None,
                registration=None,
                actual=replace(a, new_meter_number=number, new_meter_type=mtype, new_meter_form=None, program_id=None),
            )
        case ReportMarginalCoverage(notes=notes):
            return replace(job, coverage_notes=notes)
        case SoftRegister():
            return replace(job, soft_registered=True, left_at=_leave(job, at))
        case Report():
            return replace(job, left_at=_leave(job, at))
        case Verification(program_id=program):
            actual = replace(a, program_id=program) if program else a
            done = at if event.accepted else None
            return replace(job, verification=event, actual=actual, completed_at=done)
        case CannotComplete(reason=reason, notes=notes):
            back = GoBack(reason, notes, at, by, job.state, job.removed_at is not None)
            return replace(job, go_back=back, left_at=_leave(job, at))
    return job


def _located(a: Actual, pos, loc: str | None, at: datetime) -> Actual:
    """A new fix replaces the old one; a location id given replaces the old one; absent ones keep theirs."""
    if loc is not None:
        a = replace(a, location_id=loc)
    return replace(a, position=pos, position_captured_at=at) if pos is not None else a


def _as_found(job: ExchangeJob, conds, notes: str, photos) -> ExchangeJob:
    found = job.as_found
    merged_notes = "\n".join(n for n in (found.notes, notes.strip()) if n)
    return replace(
        job,
        as_found=AsFound(found.conditions | frozenset(conds), merged_notes, (*found.photo_ids, *photos)),
    )


@dataclass(frozen=True)
class ExchangeSettings:
    """Configuration section ``[exchange]`` (I1NFR2 figures by default)."""

    registration_timeout_s: float = 120.0  # self-test plus registration, from setting the meter
    registration_poll_s: float = 5.0  # how often the registration status is asked while waiting
    install_target_min: float = 15.0  # complete installation time on site


def registration_due_at(job: ExchangeJob, settings: ExchangeSettings) -> datetime | None:
    """When waiting for registration gives way to the network test (7.1A.1)."""
    if job.actual.installed_at is None:
        return None
    return job.actual.installed_at + timedelta(seconds=settings.registration_timeout_s)


def over_install_target(job: ExchangeJob, settings: ExchangeSettings, now: datetime) -> bool | None:
    on_site = job.time_on_site_s(now)
    return None if on_site is None else on_site > settings.install_target_min * 60
