"""What the back office hears about an exchange: the outbox rows of each transition.

Kinds and payloads follow the back-office contract (``fieldtool/sync/openapi.yaml``):

- ``transition`` for every step (from, to, event, actor, time, captured data), acknowledgements and
  overrides included, so the back office has the job's whole history;
- ``as_found`` when conditions are recorded (I1FR28);
- ``coverage_report`` per technology tested when marginal coverage is reported (7.1A.5, I1FR33);
- ``soft_registration`` when the installer reports (7.2) or leaves a soft-registration (7.1A.6): the
  contract's exchange record plus the whole I1FR16/I1FR17 record under ``record``;
- ``go_back`` when the job cannot be completed (I1BR4).

Every row of a job carries the job's correlation id.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fieldtool.domain import registration
from fieldtool.domain.codec import to_data
from fieldtool.domain.exchange import Transition
from fieldtool.domain.exchange_events import (
    CannotComplete,
    GoBackReason,
    RecordAsFound,
    Report,
    ReportMarginalCoverage,
    SoftRegister,
    VerifyOldMeter,
)
from fieldtool.domain.exchange_job import ExchangeJob
from fieldtool.domain.model import WorkOrder, WorkOrderKind
from fieldtool.store.outbox import OutboxEvent

WORK_KIND = {WorkOrderKind.EXCHANGE: "exchange", WorkOrderKind.NEW_SET: "install", WorkOrderKind.REMOVAL: "remove"}
GO_BACK_STATUS = {
    GoBackReason.NO_ACCESS: "waitingToBeScheduled",
    GoBackReason.CUSTOMER_REFUSED: "waitingToBeScheduled",
    GoBackReason.UNSAFE: "waitingOnApproval",
    GoBackReason.CONTRACTOR_NEEDED: "waitingOnApproval",
    GoBackReason.METER_FAILED: "waitingOnMaterial",
    GoBackReason.VERIFICATION_FAILED: "waitingToBeScheduled",
}


def _row(kind: str, payload: dict[str, Any], job: ExchangeJob, at: datetime) -> OutboxEvent:
    return OutboxEvent.new(kind, payload, at=at, job_id=job.work_order_id, correlation_id=job.correlation_id or None)


def transition_row(
    job: ExchangeJob, *, from_state: str | None, to_state: str, event: str, actor: str, at: datetime, data: dict
) -> OutboxEvent:
    payload = {"from_state": from_state or "", "to_state": to_state, "event": event, "actor": actor,
               "at": at.isoformat(), "data": to_data(data)}
    return _row("transition", payload, job, at)


def rows_for(order: WorkOrder, t: Transition, credential_refs: tuple[str, ...] = ()) -> list[OutboxEvent]:
    """The rows one applied event produces (the ``transition`` row first)."""
    job, e, at = t.job, t.event, t.at
    out = [transition_row(job, from_state=t.from_state, to_state=t.to_state, event=e.name, actor=t.by, at=at,
                          data=to_data(e))]
    if isinstance(e, VerifyOldMeter | RecordAsFound) and (e.conditions or isinstance(e, RecordAsFound)):
        payload = {
            "conditions": sorted(str(c) for c in e.conditions),
            "meter_number": job.actual.old_meter_number,
            "notes": e.notes,
            "photo_ids": list(getattr(e, "photo_ids", ())),
        }
        out.append(_row("as_found", payload, job, at))
    if isinstance(e, ReportMarginalCoverage):
        out += [_row("coverage_report", coverage_payload(job, tech), job, at)
                for tech in dict.fromkeys(n.technology for n in job.network_tests)]
    if isinstance(e, Report | SoftRegister):
        out.append(_row("soft_registration", exchange_record(order, job, at, credential_refs), job, at))
    if isinstance(e, CannotComplete):
        payload = {"reason": str(e.reason), "notes": e.notes, "status": GO_BACK_STATUS[e.reason], "photo_ids": []}
        out.append(_row("go_back", payload, job, at))
    return out


def coverage_payload(job: ExchangeJob, technology: str) -> dict[str, Any]:
    tests = [n for n in job.network_tests if n.technology == technology]
    return {
        "meter_number": job.actual.new_meter_number or "",
        "technology": technology,
        "verdict": str(job.coverage) if job.coverage else None,
        "position": to_data(job.actual.position),
        "samples": [{"measured_at": (job.written_at or job.started_at).isoformat(), "rssi_dbm": n.signal_dbm,
                     "snr_db": None, "link_quality": None, "neighbours": None} for n in tests],
        "notes": job.coverage_notes,
    }


def exchange_record(order: WorkOrder, job: ExchangeJob, at: datetime, credential_refs=()) -> dict[str, Any]:
    """The contract's exchange record (old side, new side, registration) with the full I1FR16/17 record."""
    kind = "installation_report" if job.registration else "soft_registration"
    rec = registration.build(order, job, record_id=str(uuid.uuid4()), created_at=at, kind=kind,
                             credential_refs=credential_refs)
    a, sp = job.actual, order.service_point
    old = None
    if order.removal is not None:
        old = {"meter_number": rec.removed_meter_id, "form": a.old_meter_form or order.removal.form, "readings": []}
        if a.final_read is not None:
            old["readings"].append({"register": "kwh_delivered", "value": a.final_read, "unit": "kWh",
                                    "read_at": (a.read_at or at).isoformat(), "reason": "removal"})
    new = None
    if order.install is not None and a.new_meter_number:
        ident = job.identified
        new = {"meter_number": a.new_meter_number, "form": a.new_meter_form, "meter_type": a.new_meter_type,
               "manufacturer": ident.manufacturer if ident else None,
               "manufacturer_serial": ident.manufacturer_serial if ident else None,
               "comm_module_serial": ident.comm_module_serial if ident else None,
               "comm_address": rec.comms_address, "program_id": a.program_id, "readings": []}
        if ident and ident.install_read is not None:
            new["readings"].append({"register": "kwh_delivered", "value": ident.install_read, "unit": "kWh",
                                    "read_at": (a.installed_at or at).isoformat(), "reason": "installation"})
    reg = job.registration
    if order.install is None:
        registration_status = {"status": "soft", "seen_at": None, "network": None, "reason": "removal: no meter installed"}
    elif reg:
        registration_status = {"status": "registered", "seen_at": job.registered_at.isoformat() if job.registered_at else None,
                               "network": reg.technology, "reason": None}
    else:
        registration_status = {"status": "soft", "seen_at": None, "network": rec.technology,
                               "reason": f"not registered; coverage {job.coverage or 'not judged'}"}
    return {
        "work_kind": WORK_KIND[order.kind],
        "service_point": {"isp_number": sp.isp_number, "account_number": sp.account_number,
                          "location_id": rec.location_id},
        "old_meter": old,
        "new_meter": new,
        "position": to_data(a.position),
        "completed_at": at.isoformat(),
        "registration": registration_status,
        "han_devices": [{"eui64": e, "device_type": None, "comm_address": None} for e in rec.customer_devices_present],
        "installer_id": job.installer_id,
        "record": registration.to_json(rec),
    }
