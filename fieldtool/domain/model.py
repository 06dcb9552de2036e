"""The installer's vocabulary: work orders, service points, planned and actual meters, readings, positions.

Frozen dataclasses of plain types. Times are timezone-aware ``datetime`` (UTC unless stated), dates are
``date``; nothing here reads the clock. Conversion to and from JSON is ``domain/codec.py``; the download format is ``domain/workorders.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class WorkOrderKind(StrEnum):
    EXCHANGE = "exchange"  # remove the old meter, install an AMI meter
    NEW_SET = "new_set"  # install where there was no meter
    REMOVAL = "removal"  # remove only
    HAN_ONLY = "han_only"  # provision HAN devices at an existing AMI meter


class WorkOrderStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANNOT_COMPLETE = "cannot_complete"  # a go-back was created
    CANCELLED = "cancelled"  # by the back office


class Severity(StrEnum):
    BLOCK = "block"  # needs a different action or a supervisor override
    WARN = "warn"  # may be acknowledged with a reason
    INFO = "info"


class AsFoundCondition(StrEnum):
    """As-found conditions of UC134 step 6.2 (I1FR28)."""

    ENERGY_THEFT_SUSPECTED = "energy_theft_suspected"
    PANEL_DAMAGED = "panel_damaged"
    WRONG_METER_NUMBER = "wrong_meter_number"
    HAZARD = "hazard"
    NO_ACCESS = "no_access"


@dataclass(frozen=True)
class Position:
    """A GPS position, honest about its accuracy (I1FR7)."""

    lat: float
    lon: float
    accuracy_m: float | None = None  # estimated horizontal accuracy, metres (None: unknown)
    fix_time: datetime | None = None
    source: str = "gps"  # gps, manual, css


@dataclass(frozen=True)
class ServicePoint:
    """The installed service point (ISP) the work order is for."""

    isp_number: str
    account_number: str  # CSS service account number
    customer_name: str
    premise_address: str
    lat: float | None = None  # CSS coordinates
    lon: float | None = None
    location_id: str | None = None  # unique location identifier where meters share a coordinate
    meters_at_coordinate: int = 1  # meters the CSS places at these coordinates (a meter bank: > 1, I1FR7)
    access_notes: str = ""
    hazards: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlannedRemoval:
    """The meter the plan says is on the wall."""

    meter_number: str
    form: str  # ANSI form, e.g. "2S"
    dials: int = 5  # number of register dials; the register rolls over at 10**dials
    multiplier: float = 1.0
    last_read: float | None = None  # kWh, as registered (before the multiplier)
    last_read_date: date | None = None
    avg_daily_usage: float | None = None  # kWh per day, in register units


@dataclass(frozen=True)
class PlannedInstall:
    """The meter the plan says goes up."""

    meter_type: str  # utility meter type / material code
    form: str
    program_id: str | None = None  # the program for the tariff (step 8.2)
    tariff: str | None = None
    comm_technology: str | None = None  # rf_mesh, plc, gprs


@dataclass(frozen=True)
class PlannedHanDevice:
    eui64: str  # 16 upper-case hex digits
    device_type: str  # thermostat, in_home_display, load_control, ...
    install_code: str | None = None  # None: customer supplied, the code comes from the device label
    program: str | None = None  # program enrollment


@dataclass(frozen=True)
class Tolerances:
    """Per-job tolerances; the utility-wide defaults live in the configuration (section ``checks``)."""

    read_variance_pct: float = 25.0  # final read may differ from expected by this share of expected usage
    read_variance_min: float = 50.0  # ... but never less than this many register units
    gps_distance_m: float = 100.0
    gps_max_fix_age_s: float = 300.0
    billing_guard_days: int = 2


@dataclass(frozen=True)
class LegacyIds:
    """Provisioning ids the utility's existing systems keep for this meter (I1FR17), from the MMS plan."""

    tms_pin: str | None = None  # TMS premise identification number
    mv90_device_id: str | None = None
    mv90_recorder_id: str | None = None
    mv90_phone: str | None = None  # the phone line of a telephone-read (MV90) installation
    load_survey_number: str | None = None


@dataclass(frozen=True)
class WorkOrder:
    id: str
    kind: WorkOrderKind
    status: WorkOrderStatus
    service_point: ServicePoint
    district: str
    route: str
    window_start: datetime | None = None
    window_end: datetime | None = None
    billing_cycle: str | None = None
    meter_read_date: date | None = None  # the account's next billing-cycle meter-read date (I1FR25)
    removal: PlannedRemoval | None = None
    install: PlannedInstall | None = None
    han_devices: tuple[PlannedHanDevice, ...] = ()
    installer_id: str | None = None
    schedule_order: int = 0
    tolerances: Tolerances = field(default_factory=Tolerances)
    revision: int = 0  # the back office's revision of the plan
    legacy_ids: LegacyIds = field(default_factory=LegacyIds)


@dataclass(frozen=True)
class IssuedMeter:
    """One meter of an installer's issued stock (filled from the download, kept current by custody)."""

    meter_number: str
    meter_type: str
    installer_id: str


@dataclass(frozen=True)
class MeterAsset:
    """A meter as identified in the field (scan and optical port)."""

    meter_number: str  # the utility meter number (label, ST5)
    meter_type: str | None = None
    form: str | None = None
    manufacturer: str | None = None
    manufacturer_serial: str | None = None  # ST1
    comm_module_serial: str | None = None
    program_id: str | None = None


@dataclass(frozen=True)
class Reading:
    register: str  # "kwh_delivered", "kwh_received", ...
    value: float
    unit: str
    read_at: datetime
    purpose: str  # "removal" or "installation" (CIM ReadingReason)


@dataclass(frozen=True)
class AsFound:
    conditions: frozenset[AsFoundCondition] = frozenset()
    notes: str = ""
    photo_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Photo:
    id: str
    sha256: str
    taken_at: datetime
    path: str
    caption: str = ""
    position: Position | None = None


@dataclass(frozen=True)
class HanDevice:
    """A HAN device found in the field (label scan or discovery)."""

    eui64: str
    device_type: str | None = None
    install_code: str | None = None
