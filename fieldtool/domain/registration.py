"""The installation / soft-registration record sent to the AMI (UC134 7.2 and 7.1A.6; I1FR16, I1FR17).

One record shape serves both: ``kind="installation_report"`` when the meter registered and the field tool
reports the installation (7.2), ``kind="soft_registration"`` when it did not and the field tool supplies
as much as it can for the back office to register it (7.1A.6). The record carries every I1FR16 field, the
TMS, MV90 and NetComm lists of I1FR17, and what step 7.2 adds: the corrected meter number, theft and
damage flags, the self-test results and the signal strength.

Security credentials are carried **by reference** (vault names, e.g. ``meter:AMI0000001:password``),
never by value: the record is stored in the outbox in clear and the values travel from the vault.
JSON through ``to_json`` / ``from_json`` with ``SCHEMA_VERSION``; see ``docs/soft-registration.md``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fieldtool.domain.checks import normalize_eui64
from fieldtool.domain.codec import from_data, to_data
from fieldtool.domain.errors import InputError
from fieldtool.domain.exchange_events import Coverage, MeterLogEntry, NetworkTested
from fieldtool.domain.exchange_job import ExchangeJob
from fieldtool.domain.model import AsFoundCondition, Position, WorkOrder

SCHEMA_VERSION = 1
KINDS = ("installation_report", "soft_registration")


@dataclass(frozen=True)
class HanDeviceRecord:
    eui64: str
    comms_address: str | None = None  # network address where it differs from the EUI64
    device_type: str | None = None
    installed_by_utility: bool = False
    programs: tuple[str, ...] = ()  # programs applicable to the device
    credential_ref: str | None = None  # vault name of its install code / link key


@dataclass(frozen=True)
class TmsIds:
    """I1FR17, TMS: PIN, channel information, meter serial number and program id."""

    pin: str | None
    channels: tuple[str, ...]
    meter_serial_number: str | None
    program_id: str | None


@dataclass(frozen=True)
class Mv90Ids:
    """I1FR17, MV90: meter number, phone number, device id, channel information and recorder id."""

    meter_number: str | None
    phone_number: str | None
    device_id: str | None
    channels: tuple[str, ...]
    recorder_id: str | None


@dataclass(frozen=True)
class NetCommIds:
    """I1FR17, NetComm: lat/long, meter prefix/suffix, meter serial number, customer address, CSS installed
    service number, CSS service account number, load survey number, radio serial number."""

    lat: float | None
    lon: float | None
    meter_prefix: str | None
    meter_suffix: str | None
    meter_serial_number: str | None
    customer_address: str
    css_isp_number: str
    css_account_number: str
    load_survey_number: str | None
    radio_serial_number: str | None


@dataclass(frozen=True)
class SelfTestResult:
    passed: bool
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class SoftRegistration:
    schema_version: int
    record_id: str  # client UUID, the back office de-duplicates by it
    kind: str  # installation_report | soft_registration
    work_order_id: str
    created_at: datetime
    installer_id: str
    # I1FR16
    new_meter_id: str | None
    new_meter_install_read: float | None
    comms_address: str | None
    meter_log: tuple[MeterLogEntry, ...]
    removed_meter_id: str | None
    removed_meter_read: float | None
    removed_read_at: datetime | None
    security_credential_refs: tuple[str, ...]
    customer_devices_present: tuple[str, ...]  # EUI64 of every HAN device found at the premise
    program_id: str | None  # the program the meter reports running
    han_devices: tuple[HanDeviceRecord, ...]
    applicable_programs: tuple[str, ...]  # programs applicable to the customer's devices
    applicable_credential_refs: tuple[str, ...]
    # I1FR17
    tms: TmsIds
    mv90: Mv90Ids
    netcomm: NetCommIds
    # step 7.2 and 6.2
    corrected_meter_number: str | None
    energy_theft_suspected: bool
    meter_damaged: bool  # panel or meter damage found on site
    as_found_conditions: tuple[AsFoundCondition, ...]
    as_found_notes: str
    self_test: SelfTestResult | None
    signal_dbm: float | None
    technology: str | None
    network_tests: tuple[NetworkTested, ...]
    coverage: Coverage | None
    coverage_notes: str
    position: Position | None
    location_id: str | None
    installed_at: datetime | None
    manual_read_route: bool  # I1BR5: keep the service point on the manual reading route


def split_meter_number(number: str | None) -> tuple[str | None, str | None]:
    """Prefix and suffix of a utility meter number: at the first dash, else the leading letters
    (the type code of I1FR4) and the rest."""
    if not number:
        return None, None
    if "-" in number:
        head, tail = number.split("-", 1)
        return head or None, tail or None
    m = re.match(r"([A-Za-z]*)(.*)", number)
    return (m.group(1) or None), (m.group(2) or None)


def build(
    order: WorkOrder,
    job: ExchangeJob,
    *,
    record_id: str,
    created_at: datetime,
    kind: str,
    credential_refs: Sequence[str] = (),
) -> SoftRegistration:
    """The record for ``job`` as it stands; ``credential_refs`` are the vault names of the meter's secrets."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    a, sp, ident, legacy = job.actual, order.service_point, job.identified, order.legacy_ids
    found = tuple(normalize_eui64(e) for e in a.han_device_ids or ())
    han = tuple(
        HanDeviceRecord(
            normalize_eui64(d.eui64),
            device_type=d.device_type,
            installed_by_utility=d.install_code is not None,
            programs=(d.program,) if d.program else (),
            credential_ref=f"han:{normalize_eui64(d.eui64)}:link_key",
        )
        for d in order.han_devices
    )
    channels = ident.channels if ident else ()
    serial = ident.manufacturer_serial if ident else None
    pos = a.position
    lat, lon = (pos.lat, pos.lon) if pos else (sp.lat, sp.lon)
    prefix, suffix = split_meter_number(a.new_meter_number)
    conditions = tuple(sorted(job.as_found.conditions))
    reg = job.registration
    return SoftRegistration(
        schema_version=SCHEMA_VERSION,
        record_id=record_id,
        kind=kind,
        work_order_id=order.id,
        created_at=created_at,
        installer_id=job.installer_id,
        new_meter_id=a.new_meter_number,
        new_meter_install_read=ident.install_read if ident else None,
        comms_address=reg.comms_address if reg else None,
        meter_log=ident.log if ident else (),
        removed_meter_id=a.old_meter_number or (order.removal.meter_number if order.removal else None),
        removed_meter_read=a.final_read,
        removed_read_at=a.read_at,
        security_credential_refs=tuple(credential_refs),
        customer_devices_present=found,
        program_id=a.program_id,
        han_devices=han,
        applicable_programs=tuple(sorted({p for d in han for p in d.programs})),
        applicable_credential_refs=tuple(d.credential_ref for d in han if d.credential_ref),
        tms=TmsIds(legacy.tms_pin, channels, serial, a.program_id),
        mv90=Mv90Ids(a.new_meter_number, legacy.mv90_phone, legacy.mv90_device_id, channels, legacy.mv90_recorder_id),
        netcomm=NetCommIds(
            lat, lon, prefix, suffix, serial, sp.premise_address, sp.isp_number, sp.account_number,
            legacy.load_survey_number, ident.comm_module_serial if ident else None,
        ),
        corrected_meter_number=job.corrected_old_meter_number,
        energy_theft_suspected=AsFoundCondition.ENERGY_THEFT_SUSPECTED in job.as_found.conditions,
        meter_damaged=AsFoundCondition.PANEL_DAMAGED in job.as_found.conditions,
        as_found_conditions=conditions,
        as_found_notes=job.as_found.notes,
        self_test=SelfTestResult(job.self_check.passed, job.self_check.errors, job.self_check.warnings)
        if job.self_check
        else None,
        signal_dbm=reg.signal_dbm if reg else _best_signal(job.network_tests),
        technology=reg.technology if reg else (order.install.comm_technology if order.install else None),
        network_tests=job.network_tests,
        coverage=job.coverage,
        coverage_notes=job.coverage_notes,
        position=pos,
        location_id=a.location_id or sp.location_id,
        installed_at=a.installed_at,
        manual_read_route=job.manual_read_route,
    )


def _best_signal(tests: Sequence[NetworkTested]) -> float | None:
    levels = [t.signal_dbm for t in tests if t.signal_dbm is not None]
    return max(levels) if levels else None


def to_json(record: SoftRegistration) -> dict[str, Any]:
    return to_data(record)


def from_json(data: Any) -> SoftRegistration:
    """Read a record back; a newer schema version than this tool knows is refused in words."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    if not isinstance(version, int) or isinstance(version, bool):
        raise InputError("soft-registration record: schema_version is missing or not a whole number")
    if version > SCHEMA_VERSION:
        raise InputError(
            f"soft-registration record: schema version {version} is newer than this tool knows ({SCHEMA_VERSION}).",
            hint="Update fieldtool.",
        )
    where = f"soft-registration record {data.get('record_id', '?')}"
    return from_data(SoftRegistration, data, where)
