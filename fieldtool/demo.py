"""``make demo`` (headless, until the GUI exists): a morning on route R-07 walked through the exchange workflow.

It imports ``resources/demo/work-orders.json`` into a fresh store in a temporary folder and walks three jobs
with the inputs an installer gives and the answers a meter gives, printing every step, every finding and
every refusal: a clean exchange with a wrong scan, an odd read and a program mismatch; a meter bank where the
new meter does not register (7.1A: network test, marginal coverage, soft-registration); and a job that
cannot be completed (go-back). Time runs on a simulated clock, so the run takes seconds and ends by itself.
"""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fieldtool.clock import Clock
from fieldtool.config import Config
from fieldtool.domain.errors import UserFacingError
from fieldtool.domain.exchange import STEP_LABELS, Step
from fieldtool.domain.findings import open_findings

DEMO_FILE = Path(__file__).resolve().parents[1] / "resources" / "demo" / "work-orders.json"
START = datetime.fromisoformat("2026-03-12T08:05:00-07:00")


class SimulatedClock(Clock):
    """The demo's wall clock: it moves when the installer works (``advance``) or waits (``sleep``)."""

    def __init__(self, at: datetime):
        super().__init__()
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, minutes: float) -> None:
        self.at += timedelta(minutes=minutes)

    def sleep(self, configured: float) -> None:
        self.at += timedelta(seconds=configured)


class Walk:
    def __init__(self, svc, clock: SimulatedClock, out=print):
        self.svc, self.clock, self.out = svc, clock, out

    def job(self, work_order_id: str) -> None:
        wo = self.svc.work_order(work_order_id)
        sp = wo.service_point
        self.out(f"\n== {wo.id}  {wo.kind.value}  {sp.customer_name}, {sp.premise_address}")
        plan = []
        if wo.removal:
            plan.append(f"remove {wo.removal.meter_number} (form {wo.removal.form}, last read {wo.removal.last_read:g})")
        if wo.install:
            plan.append(f"install {wo.install.meter_type} (form {wo.install.form}, program {wo.install.program_id})")
        self.out(f"   plan: {'; '.join(plan)}")
        job = self.svc.start(work_order_id)
        self._step(job.state)
        self._findings(job.findings, [])

    def _step(self, state: str) -> None:
        number, label = STEP_LABELS[Step(state)]
        self.out(f"[{number}] {label}")

    def _findings(self, findings, before) -> None:
        for f in findings:
            if not any(f.same_as(b) for b in before):
                self.out(f"     ! {f.severity.value.upper()} {f.rule}: {f.message}")
        for b in before:
            if b.severity.value != "info" and not any(b.same_as(f) for f in findings):
                self.out(f"     ok {b.rule}: holds now")

    def event(self, work_order_id: str, name: str, data: dict[str, Any] | None = None, *, who: str = "installer",
              minutes: float = 1.0) -> bool:
        self.clock.advance(minutes)
        shown = json.dumps(data, ensure_ascii=False) if data else ""
        self.out(f"   {who}: {name} {shown}".rstrip())
        before = self.svc.job(work_order_id)
        try:
            t = self.svc.feed_named(work_order_id, name, data or {}, by="backoffice" if who == "back office" else None)
        except UserFacingError as e:
            self.out(f"     refused: {e}")
            return False
        self._findings(t.job.findings, before.findings if t.to_state != Step.CANNOT_COMPLETE else t.job.findings)
        if t.to_state != t.from_state:
            self._step(t.to_state)
        return True

    def ack(self, work_order_id: str, rule: str, reason: str) -> None:
        job = self.svc.acknowledge(work_order_id, rule, reason)
        self.out(f"   installer acknowledges {rule}: {reason!r}  (by {job.acknowledgements[-1].by} at {_hhmm(self.clock.now())})")

    def override(self, work_order_id: str, rule: str, supervisor: str, reason: str) -> None:
        self.svc.override(work_order_id, rule, supervisor, reason)
        self.out(f"   supervisor {supervisor} overrides {rule}: {reason!r}  (at {_hhmm(self.clock.now())})")

    def wait_for_registration(self, work_order_id: str) -> None:
        self.out(f"   waiting for the meter to register ({self.svc.settings.registration_timeout_s:g} s allowed, I1NFR2) ...")
        while self.svc.job(work_order_id).state == Step.REGISTRATION:
            self.clock.sleep(self.svc.settings.registration_poll_s)
            t = self.svc.tick(work_order_id)
            if t is not None:
                self.out(f"   the meter did not register in {self.svc.settings.registration_timeout_s:g} s")
                self._step(t.to_state)

    def summary(self, work_order_id: str) -> None:
        job = self.svc.job(work_order_id)
        on_site = job.time_on_site_s(self.clock.now())
        held = open_findings(job.findings, job.acknowledgements, job.overrides)
        line = f"   -> {job.state}"
        if on_site is not None:
            target = self.svc.settings.install_target_min
            line += f"; {on_site / 60:.0f} min on site (target under {target:g}, I1NFR2)"
        line += f"; manual reading route: {'yes' if job.manual_read_route else 'no'}"
        line += f"; open findings: {', '.join(f.rule for f in held) or 'none'}"
        self.out(line)


def _hhmm(at: datetime) -> str:
    return at.astimezone(START.tzinfo).strftime("%H:%M")


def walk_the_morning(w: Walk) -> None:
    here = {"lat": 36.757841, "lon": -119.816280, "accuracy_m": 3.5}
    j = "WO-260312-001"
    w.job(j)
    w.event(j, "scan_meter", {"meter_number": "AMI2600999"}, minutes=0)
    w.event(j, "scan_meter", {"meter_number": "AMI2600101"})
    w.event(j, "arrive", {"position": here}, minutes=12)  # time on site runs from here
    w.event(j, "verify_old_meter", {"meter_number": "V123456", "form": "2S"})
    w.event(j, "final_read", {"value": 41_480})
    w.event(j, "remove_old_meter")
    w.event(j, "final_read", {"value": 41_480})  # read again: the dials say the same
    w.ack(j, "final-read", "read twice; customer says they were away for two weeks")
    w.event(j, "remove_old_meter")
    w.event(j, "install_meter", minutes=2)
    w.event(j, "self_check", {"passed": True}, who="meter")
    w.event(j, "identify_meter", {"meter_number": "AMI2600101", "form": "2S", "meter_type": "AMI-R2S-240",
                                  "program_id": "DEFAULT-01", "manufacturer_serial": "A1-7730015"}, who="meter")
    w.event(j, "write_meter", {"position": here})
    w.override(j, "program-id", "SUP-7", "the head-end downloads RES-TOU-D-4 over the air (step 8.3)")
    w.event(j, "write_meter", {"position": here})
    w.event(j, "registered", {"comms_address": "fd00:7::2a1", "technology": "rf_mesh", "signal_dbm": -71}, who="meter")
    w.event(j, "report")
    w.event(j, "verification", {"accepted": True, "program_id": "RES-TOU-D-4"}, who="back office", minutes=30)
    w.summary(j)

    bank = {"lat": 36.761209, "lon": -119.804405, "accuracy_m": 6.0}
    j = "WO-260312-003"
    w.job(j)
    w.event(j, "scan_meter", {"meter_number": "AMI2600102"}, minutes=0)
    w.event(j, "arrive", {"position": bank}, minutes=9)
    w.event(j, "final_read", {"value": 15_800})  # too early: the old meter is not verified yet
    w.event(j, "verify_old_meter", {"meter_number": "V220101", "form": "2S", "location_id": "BANK-A-1",
                                    "conditions": ["energy_theft_suspected"], "notes": "seal cut, jumper marks on the jaws"})
    w.event(j, "final_read", {"value": 15_800})
    w.event(j, "remove_old_meter")
    w.event(j, "install_meter", minutes=2)
    w.event(j, "self_check", {"passed": True, "warnings": ["low_battery"]}, who="meter")
    w.event(j, "identify_meter", {"meter_number": "AMI2600102", "form": "2S", "program_id": "RES-TOU-D-4"}, who="meter")
    w.event(j, "write_meter", {"position": bank})
    w.wait_for_registration(j)
    w.event(j, "network_tested", {"technology": "rf_mesh", "reachable": True, "signal_dbm": -108,
                                  "detail": "1 neighbour"}, who="radio")
    w.event(j, "judge_coverage", {"verdict": "marginal"})
    w.event(j, "report_marginal_coverage", {"notes": "meter room in the basement, one neighbour at -108 dBm"})
    w.event(j, "soft_register")
    w.summary(j)

    j = "WO-260312-008"
    w.job(j)
    w.event(j, "scan_meter", {"meter_number": "AMI2600201"}, minutes=20)
    w.event(j, "arrive", minutes=15)
    w.ack(j, "billing-read-date", "route reader informed; read date moves to the 16th")
    w.event(j, "cannot_complete", {"reason": "no_access", "notes": "guard dog loose in the yard; owner not reachable"})
    w.summary(j)


def main(argv: list[str] | None = None) -> int:
    from fieldtool.services.install import InstallService
    from fieldtool.store.db import open_store

    print("fieldtool demo: a morning of meter exchanges on route R-07 (headless: the GUI is started with `fieldtool gui`)")
    with tempfile.TemporaryDirectory(prefix="fieldtool-demo-") as tmp:
        clock = SimulatedClock(START)
        store = open_store(Path(tmp) / "fieldtool.db", clock=clock)
        try:
            svc = InstallService(store, clock, Config())
            result = svc.import_download(json.loads(DEMO_FILE.read_text(encoding="utf-8")), str(DEMO_FILE.name))
            print(f"store: {store.path} (fresh, removed at the end); clock: simulated from {START.isoformat()}")
            print(f"imported {result.imported} work orders and {result.issued_stock} issued meters for {result.installer_id}")
            walk_the_morning(Walk(svc, clock))
            counts: dict[str, int] = {}
            for row in store.outbox.list():
                counts[row.kind] = counts.get(row.kind, 0) + 1
            print(f"\noutbox, waiting for the back office: {sum(counts.values())} events "
                  f"({', '.join(f'{n} {k}' for k, n in sorted(counts.items()))})")
        finally:
            store.close()
    print("demo finished.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
