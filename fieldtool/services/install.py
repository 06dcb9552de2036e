"""The meter exchange as a use case: the download in, events through the workflow and the checks, and every
transition committed with its outbox rows before anyone is told it happened (DESIGN.md §2).

``InstallService`` is what the GUI and the CLI call. Each method that changes something commits it in one
store transaction (``store.record_transition``): the audit row, the job's snapshot and its outbox rows
together, so a crash resumes the job exactly where the last answer said it stood.

Thread rule: methods are synchronous and may block on the store's lock or on a device; the GUI calls them
through its op helper, never on the GUI thread. Device steps take a progress callback and a cancel flag.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.config import Config
from fieldtool.domain import exchange
from fieldtool.domain.checks import Actual, run_checks
from fieldtool.domain.codec import from_data, to_data
from fieldtool.domain.errors import InputError, NotAllowed, UserCancelled
from fieldtool.domain.exchange import Step, Transition
from fieldtool.domain.exchange_devices import CancelFlag, MeterLink, NetworkTester, Progress, install_info
from fieldtool.domain.exchange_events import Event, RegistrationTimedOut, Verification, WriteMeter
from fieldtool.domain.exchange_job import ExchangeJob
from fieldtool.domain.findings import Finding, open_findings
from fieldtool.domain.findings import as_json as finding_json
from fieldtool.domain.model import IssuedMeter, WorkOrder, WorkOrderStatus
from fieldtool.domain.workorders import parse_download
from fieldtool.services import exchange_custody, install_outbox
from fieldtool.services.custody import CustodyService
from fieldtool.store.db import Store

# Statuses the field made that a download saying "open" must not undo. A cannot-complete job sent again as
# open is the go-back being scheduled: it becomes open, and its next start is a new visit.
_LOCAL_STATUSES = {WorkOrderStatus.IN_PROGRESS, WorkOrderStatus.COMPLETED}


@dataclass(frozen=True)
class ImportResult:
    imported: int
    installer_id: str | None
    issued_stock: int | None  # meters on the stock list, None when the file had none
    work_order_ids: tuple[str, ...]
    kept_local_status: tuple[str, ...]  # started jobs whose status the download did not reset


class InstallService:
    def __init__(self, store: Store, clock: Clock = SYSTEM_CLOCK, config: Config | None = None):
        config = config or Config()
        self.store = store
        self.clock = clock
        self.tolerances = config.section("checks")
        self.settings: exchange.ExchangeSettings = config.section("exchange")
        self.custody = CustodyService(store, settings=config.section("custody"), clock=clock)

    # -- the download --------------------------------------------------------------------------------
    def import_download(self, data: Any, source: str = "the work-order file") -> ImportResult:
        """Import a whole download or nothing (see ``domain.workorders``); one transaction."""
        download = parse_download(data, self.tolerances, source)
        orders, kept = [], []
        for wo in download.work_orders:
            stored = self.store.work_orders.get(wo.id)
            if stored is not None and stored.status in _LOCAL_STATUSES and wo.status is WorkOrderStatus.OPEN:
                # the plan is refreshed; the work already done on it is not undone
                wo = replace(wo, status=stored.status)
                kept.append(wo.id)
            orders.append(wo)
        with self.store.transaction():
            self.store.work_orders.upsert_many(orders)
            if download.issued_stock is not None and download.installer_id:
                self.store.stock.replace_issued(download.installer_id, list(download.issued_stock))
        stock = len(download.issued_stock) if download.issued_stock is not None else None
        return ImportResult(len(orders), download.installer_id, stock, tuple(o.id for o in orders), tuple(kept))

    def work_order(self, work_order_id: str) -> WorkOrder:
        wo = self.store.work_orders.get(work_order_id)
        if wo is None:
            raise InputError(f"There is no work order {work_order_id}.", hint="Import the day's work orders first.")
        return wo

    def stock(self, installer_id: str | None) -> list[IssuedMeter] | None:
        return self.store.stock.issued(installer_id) if installer_id else None

    # -- checks on their own ---------------------------------------------------------------------------
    def check(self, work_order_id: str, actual: Actual | dict) -> list[Finding]:
        """Every rule on the plan and the given actual values (``check ID --actual``)."""
        if not isinstance(actual, Actual):
            actual = from_data(Actual, actual, "the actual values")
        order = self.work_order(work_order_id)
        return run_checks(order, actual, self.stock(actual.installer_id or order.installer_id), self.clock.now())

    # -- the exchange ------------------------------------------------------------------------------------
    def job(self, work_order_id: str) -> ExchangeJob | None:
        snap = self.store.exchanges.snapshot(work_order_id)
        return None if snap is None else from_data(ExchangeJob, snap, f"stored exchange {work_order_id}")

    def _job(self, work_order_id: str) -> ExchangeJob:
        job = self.job(work_order_id)
        if job is None:
            raise NotAllowed(f"The exchange of {work_order_id} has not started.", hint="Start it first.")
        return job

    def start(self, work_order_id: str, installer_id: str | None = None) -> ExchangeJob:
        """Start the job's exchange, or return it as it stands when it has started already (resume).

        A job left at ``cannot_complete`` whose work order the back office has sent again as ``open`` (the
        go-back was scheduled) starts a new visit; the old visit stays in the audit trail."""
        order = self.work_order(work_order_id)
        existing = self.job(work_order_id)
        revisit = existing is not None and existing.state == Step.CANNOT_COMPLETE and order.status is WorkOrderStatus.OPEN
        if existing is not None and not revisit:
            return existing
        installer = installer_id or order.installer_id
        if not installer:
            raise InputError(f"Work order {work_order_id} names no installer.", hint="Give --installer.")
        now = self.clock.now()
        job = exchange.start(order, installer, now, correlation_id=str(uuid.uuid4()))
        job = replace(job, findings=tuple(exchange.recheck(order, job, self.stock(installer), now)))
        event, before = ("revisit", existing.state) if revisit else ("start", None)
        data = {"installer_id": installer}
        row = install_outbox.transition_row(job, from_state=before, to_state=job.state, event=event, actor=installer,
                                            at=now, data=data)
        self.store.record_transition(work_order_id, actor=installer, at=now, from_state=before, to_state=job.state,
                                     event=event, data=data, snapshot=to_data(job), outbox=[row],
                                     work_order_status=str(WorkOrderStatus.IN_PROGRESS))
        return job

    def feed(self, work_order_id: str, event: Event, by: str | None = None) -> Transition:
        """Apply one event, run the checks, and commit the transition with its outbox rows."""
        order = self.work_order(work_order_id)
        job = self._job(work_order_id)
        now = self.clock.now()
        t = exchange.step(order, job, event, at=now, by=by or job.installer_id, stock=self.stock(job.installer_id))
        status = {Step.COMPLETE: WorkOrderStatus.COMPLETED, Step.CANNOT_COMPLETE: WorkOrderStatus.CANNOT_COMPLETE}
        new_status = status.get(Step(t.to_state))
        with self.store.transaction():  # custody follows the meters in the same transaction (exchange_custody)
            notes = exchange_custody.follow(self.custody, order, job, t)
            if notes:
                t = replace(t, job=replace(t.job, custody_notes=(*t.job.custody_notes, *notes)))
            self.store.record_transition(
                work_order_id, actor=t.by, at=now, from_state=t.from_state, to_state=t.to_state, event=event.name,
                data=to_data(event), snapshot=to_data(t.job), outbox=install_outbox.rows_for(order, t),
                work_order_status=str(new_status) if new_status and t.from_state != t.to_state else None,
            )
        return t

    def feed_named(self, work_order_id: str, name: str, data: dict | None = None, by: str | None = None) -> Transition:
        """``feed`` an event given by its table name and JSON inputs (the CLI's ``exchange event``)."""
        cls = exchange.event_class(name)
        return self.feed(work_order_id, from_data(cls, data or {}, f"event {name}"), by)

    def acknowledge(self, work_order_id: str, rule: str, reason: str, by: str | None = None) -> ExchangeJob:
        job = self._job(work_order_id)
        now = self.clock.now()
        who = by or job.installer_id
        after = exchange.acknowledge(job, rule, reason=reason, by=who, at=now)
        added = after.acknowledgements[len(job.acknowledgements):]
        return self._answer(job, after, "acknowledge", {"rule": rule, "acknowledged": to_data(added)}, who, now)

    def override(self, work_order_id: str, rule: str, supervisor: str, reason: str, by: str | None = None) -> ExchangeJob:
        job = self._job(work_order_id)
        now = self.clock.now()
        who = by or job.installer_id
        after = exchange.override(job, rule, supervisor=supervisor, reason=reason, by=who, at=now)
        added = after.overrides[len(job.overrides):]
        return self._answer(job, after, "override", {"rule": rule, "overridden": to_data(added)}, who, now)

    def _answer(self, job: ExchangeJob, after: ExchangeJob, event: str, data: dict, actor: str, now: datetime) -> ExchangeJob:
        row = install_outbox.transition_row(after, from_state=job.state, to_state=after.state, event=event,
                                            actor=actor, at=now, data=data)
        self.store.record_transition(job.work_order_id, actor=actor, at=now, from_state=job.state,
                                     to_state=after.state, event=event, data=data, snapshot=to_data(after), outbox=[row])
        return after

    # -- step 8: the back office's verdicts ------------------------------------------------------------------
    def apply_verdicts(self, work_order_id: str, verdicts: list[dict[str, Any]]) -> Transition | None:
        """Turn the back office's verdicts on this job (``Verification`` items of the contract, as the sync
        pulls them) into one ``verification`` event; None when the job is not waiting or nothing is new.

        Accepted when no verdict reports a discrepancy and every required program change was sent (8.3)."""
        job = self.job(work_order_id)
        if job is None or Step(job.state) not in (Step.AWAITING_VERIFICATION, Step.DISCREPANCY):
            return None
        seen = set(job.verification.verdict_ids) if job.verification else set()
        fresh = [v for v in verdicts if v.get("id") not in seen]
        if not fresh:
            return None
        every = sorted(seen | {v["id"] for v in fresh})
        mine = [v for v in verdicts if v.get("id") in set(every)]
        outcomes = [v.get("outcome") for v in mine]
        problems = [d.get("message") or d.get("field", "?") for v in mine for d in v.get("discrepancies") or []]
        program = None
        for v in mine:
            p = v.get("program") or {}
            if v.get("outcome") == "program_change_sent":
                program = p.get("intended") or program
            elif v.get("outcome") == "program_ok":
                program = p.get("reported") or program
        unsent = "program_change_required" in outcomes and "program_change_sent" not in outcomes
        accepted = "discrepancy" not in outcomes and not unsent
        if unsent:
            problems.append("the meter needs a program change the back office has not sent yet (8.3)")
        event = Verification(accepted, tuple(problems), program, tuple(every))
        return self.feed(work_order_id, event, by="backoffice")

    # -- device work ---------------------------------------------------------------------------------------
    def device_step(
        self, work_order_id: str, *, meter: MeterLink | None = None, network: NetworkTester | None = None,
        technology: str | None = None, progress: Progress = lambda f, s: None, cancel: CancelFlag | None = None,
    ) -> Transition | None:
        """Do the device work the current step asks for and feed its result; None when there is nothing yet
        (the meter has not registered and its time is not up)."""
        cancel = cancel or _NeverCancelled()
        order, job = self.work_order(work_order_id), self._job(work_order_id)
        state = Step(job.state)
        needs_meter = (Step.SELF_CHECK, Step.SELF_CHECK_FAILED, Step.IDENTIFY_METER, Step.WRITE_METER, Step.REGISTRATION)
        if state in needs_meter and meter is None:
            raise NotAllowed(f"Step {state.value!r} needs the meter on the optical port.")
        if state in (Step.SELF_CHECK, Step.SELF_CHECK_FAILED):
            return self.feed(work_order_id, meter.self_check(progress, cancel))
        if state is Step.IDENTIFY_METER:
            return self.feed(work_order_id, meter.identify(progress, cancel))
        if state is Step.WRITE_METER:
            meter.write_install_info(install_info(order, job), progress, cancel)
            return self.feed(work_order_id, WriteMeter(job.actual.position, job.actual.location_id))
        if state is Step.REGISTRATION:
            seen = meter.registration_status(progress, cancel)
            if seen is not None:
                return self.feed(work_order_id, seen)
            return self.tick(work_order_id)
        if state in (Step.NETWORK_TEST, Step.COVERAGE):
            if network is None:
                raise NotAllowed("The network test needs a radio plug-in.")
            tech = technology or (order.install.comm_technology if order.install else None) or network.technologies()[0]
            return self.feed(work_order_id, network.test(tech, progress, cancel))
        raise NotAllowed(f"Step {state.value!r} ({exchange.STEP_LABELS[state][1]}) needs the installer, not a device.")

    def tick(self, work_order_id: str) -> Transition | None:
        """Give up waiting for registration once the configured time is up (7.1A.1)."""
        job = self._job(work_order_id)
        due = exchange.registration_due_at(job, self.settings)
        if Step(job.state) is Step.REGISTRATION and due is not None and self.clock.now() >= due:
            return self.feed(work_order_id, RegistrationTimedOut())
        return None

    def await_registration(
        self, work_order_id: str, meter: MeterLink, progress: Progress = lambda f, s: None, cancel: CancelFlag | None = None
    ) -> Transition:
        """Poll the meter until it registers or the time is up; returns the transition that ended the wait."""
        cancel = cancel or _NeverCancelled()
        while True:
            if cancel.is_set():
                raise UserCancelled()
            job = self._job(work_order_id)
            if Step(job.state) is not Step.REGISTRATION:
                raise NotAllowed(f"The job is at step {job.state!r}, not waiting for registration.")
            due = exchange.registration_due_at(job, self.settings)
            left = (due - self.clock.now()).total_seconds() if due else 0
            progress(max(0.0, 1 - left / self.settings.registration_timeout_s), f"waiting for registration, {left:.0f} s left")
            t = self.device_step(work_order_id, meter=meter, progress=progress, cancel=cancel)
            if t is not None:
                return t
            self.clock.sleep(self.settings.registration_poll_s)

    # -- what the screen shows --------------------------------------------------------------------------------
    def show(self, work_order_id: str) -> dict[str, Any]:
        job = self._job(work_order_id)
        now = self.clock.now()
        held = open_findings(job.findings, job.acknowledgements, job.overrides)
        due = exchange.registration_due_at(job, self.settings)
        return {
            "work_order_id": job.work_order_id,
            "kind": job.kind,
            "installer_id": job.installer_id,
            "state": job.state,
            "step": exchange.step_label(job.state),
            "findings": [finding_json(f) | {"open": f in held} for f in job.findings],
            "acknowledgements": to_data(job.acknowledgements),
            "overrides": to_data(job.overrides),
            "next": [to_data(s) for s in exchange.allowed(job.state, job.kind)],
            "captured": to_data(job.actual),
            "as_found": to_data(job.as_found),
            "corrected_old_meter_number": job.corrected_old_meter_number,
            "replaced_meters": list(job.replaced_meters),
            "custody_notes": list(job.custody_notes),
            "registration": to_data(job.registration),
            "coverage": job.coverage,
            "manual_read_route": job.manual_read_route,
            "go_back": to_data(job.go_back),
            "verification": to_data(job.verification),
            "started_at": job.started_at,
            "arrived_at": job.arrived_at,
            "left_at": job.left_at,
            "time_on_site_s": job.time_on_site_s(now),
            "over_install_target": exchange.over_install_target(job, self.settings, now),
            "registration_due_at": due if Step(job.state) is Step.REGISTRATION else None,
            "audit": [{"at": a.at, "actor": a.actor, "from_state": a.from_state, "to_state": a.to_state,
                       "event": a.event, "data": a.data} for a in self.store.exchanges.audit(work_order_id)],
        }


class _NeverCancelled:
    def is_set(self) -> bool:
        return False

