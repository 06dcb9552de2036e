"""The events of a meter exchange, as data (frozen dataclasses).

Each event has a ``name`` (what the CLI and the transition table call it), a ``label`` in the installer's
words, its inputs (the dataclass fields) and an ``outcome`` where the next step depends on what happened
(a self-check passed or failed). The events that device work produces (``SelfCheck``, ``IdentifyMeter``,
``Registered``, ``NetworkTested``) are what the device interfaces of ``exchange_devices.py`` return.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from fieldtool.domain.model import AsFoundCondition, Position


class Coverage(StrEnum):
    """The installer's verdict on the AMI network coverage at the meter (7.1A.3)."""

    ADEQUATE = "adequate"  # the network is there: the meter is at fault (7.1A.4 replace it)
    MARGINAL = "marginal"  # report marginal coverage (7.1A.5)
    NONE = "none"  # no coverage at all (reported like marginal)


class GoBackReason(StrEnum):
    """Why a job cannot be completed today (I1BR4); a go-back record is created."""

    NO_ACCESS = "no_access"
    UNSAFE = "unsafe"
    CUSTOMER_REFUSED = "customer_refused"
    CONTRACTOR_NEEDED = "contractor_needed"  # the panel needs a contractor's repair
    METER_FAILED = "meter_failed"  # the new meter failed and no replacement is at hand
    VERIFICATION_FAILED = "verification_failed"  # the back office found discrepancies needing a revisit


@dataclass(frozen=True)
class Event:
    name: ClassVar[str]
    label: ClassVar[str]

    @property
    def outcome(self) -> str:
        return "done"


@dataclass(frozen=True)
class ScanMeter(Event):
    name: ClassVar[str] = "scan_meter"
    label: ClassVar[str] = "Scan the new meter issued to you"
    meter_number: str
    meter_type: str | None = None


@dataclass(frozen=True)
class Arrive(Event):
    name: ClassVar[str] = "arrive"
    label: ClassVar[str] = "Arrived at the premise"
    position: Position | None = None
    location_id: str | None = None  # the socket of this service point where meters share a coordinate


@dataclass(frozen=True)
class VerifyOldMeter(Event):
    name: ClassVar[str] = "verify_old_meter"
    label: ClassVar[str] = "Enter the old meter's number and form"
    meter_number: str
    form: str | None = None
    conditions: tuple[AsFoundCondition, ...] = ()
    notes: str = ""
    location_id: str | None = None  # in a meter bank: which socket (checked before the meter is pulled)


@dataclass(frozen=True)
class RecordAsFound(Event):
    name: ClassVar[str] = "record_as_found"
    label: ClassVar[str] = "Record an as-found condition"
    conditions: tuple[AsFoundCondition, ...] = ()
    notes: str = ""
    photo_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class FinalRead(Event):
    name: ClassVar[str] = "final_read"
    label: ClassVar[str] = "Enter the old meter's final read"
    value: float
    read_at: datetime | None = None


@dataclass(frozen=True)
class RemoveOldMeter(Event):
    name: ClassVar[str] = "remove_old_meter"
    label: ClassVar[str] = "Old meter removed"


@dataclass(frozen=True)
class InstallMeter(Event):
    name: ClassVar[str] = "install_meter"
    label: ClassVar[str] = "New meter set in the socket"


@dataclass(frozen=True)
class SelfCheck(Event):
    """The meter's self-check (6.5.1, I1FR24): ST3 error and warning flags by name."""

    name: ClassVar[str] = "self_check"
    label: ClassVar[str] = "Meter self-check result"
    passed: bool
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def outcome(self) -> str:
        return "passed" if self.passed else "failed"


@dataclass(frozen=True)
class MeterLogEntry:
    """One entry of the meter's event log (C12.19 ST76), as the optical port read it."""

    at: datetime | None
    code: int
    text: str


@dataclass(frozen=True)
class IdentifyMeter(Event):
    """What the new meter says about itself over the optical port (6.6)."""

    name: ClassVar[str] = "identify_meter"
    label: ClassVar[str] = "Meter identified"
    meter_number: str
    form: str
    meter_type: str | None = None
    program_id: str | None = None
    manufacturer: str | None = None
    manufacturer_serial: str | None = None
    comm_module_serial: str | None = None
    firmware_version: str | None = None
    install_read: float | None = None  # the new meter's register at installation
    channels: tuple[str, ...] = ()  # the metering channels it records ("kwh_delivered", "kwh_received")
    log: tuple[MeterLogEntry, ...] = ()


@dataclass(frozen=True)
class WriteMeter(Event):
    """Location, ISP and removed-meter data written into the meter (6.7), with the GPS fix taken there."""

    name: ClassVar[str] = "write_meter"
    label: ClassVar[str] = "Location and service point written into the meter"
    position: Position | None = None
    location_id: str | None = None


@dataclass(frozen=True)
class Registered(Event):
    name: ClassVar[str] = "registered"
    label: ClassVar[str] = "Meter registered on the AMI network"
    comms_address: str | None = None
    technology: str | None = None
    signal_dbm: float | None = None


@dataclass(frozen=True)
class RegistrationTimedOut(Event):
    name: ClassVar[str] = "registration_timeout"
    label: ClassVar[str] = "Meter did not register in time"


@dataclass(frozen=True)
class NetworkTested(Event):
    name: ClassVar[str] = "network_tested"
    label: ClassVar[str] = "Network test result"
    technology: str
    reachable: bool
    signal_dbm: float | None = None
    detail: str = ""


@dataclass(frozen=True)
class JudgeCoverage(Event):
    name: ClassVar[str] = "judge_coverage"
    label: ClassVar[str] = "Coverage verdict"
    verdict: Coverage

    @property
    def outcome(self) -> str:
        return "adequate" if self.verdict is Coverage.ADEQUATE else "marginal"


@dataclass(frozen=True)
class HanDevicesFound(Event):
    """The HAN devices found at the premise (label scans or discovery through the meter, step 7.4.4)."""

    name: ClassVar[str] = "han_devices_found"
    label: ClassVar[str] = "HAN devices found"
    device_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReplaceMeter(Event):
    """Take the new meter out and set another (7.1A.4, or after a failed self-check)."""

    name: ClassVar[str] = "replace_meter"
    label: ClassVar[str] = "Replace the new meter with another"
    meter_number: str
    meter_type: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class ReportMarginalCoverage(Event):
    name: ClassVar[str] = "report_marginal_coverage"
    label: ClassVar[str] = "Report marginal coverage"
    notes: str = ""


@dataclass(frozen=True)
class SoftRegister(Event):
    name: ClassVar[str] = "soft_register"
    label: ClassVar[str] = "Queue the soft-registration and leave"


@dataclass(frozen=True)
class Report(Event):
    name: ClassVar[str] = "report"
    label: ClassVar[str] = "Report the installation and leave"


@dataclass(frozen=True)
class Verification(Event):
    """The back office's verification verdict (step 8), arriving with a later sync."""

    name: ClassVar[str] = "verification"
    label: ClassVar[str] = "Back-office verification result"
    accepted: bool
    discrepancies: tuple[str, ...] = ()
    program_id: str | None = None
    verdict_ids: tuple[int, ...] = ()  # the back office's verdicts this answer is made of

    @property
    def outcome(self) -> str:
        return "accepted" if self.accepted else "rejected"


@dataclass(frozen=True)
class CannotComplete(Event):
    name: ClassVar[str] = "cannot_complete"
    label: ClassVar[str] = "Cannot complete: create a go-back"
    reason: GoBackReason
    notes: str = ""


EVENTS: dict[str, type[Event]] = {
    cls.name: cls
    for cls in (
        ScanMeter, Arrive, VerifyOldMeter, RecordAsFound, FinalRead, RemoveOldMeter, InstallMeter, SelfCheck,
        IdentifyMeter, WriteMeter, HanDevicesFound, Registered, RegistrationTimedOut, NetworkTested, JudgeCoverage,
        ReplaceMeter, ReportMarginalCoverage, SoftRegister, Report, Verification, CannotComplete,
    )
}
