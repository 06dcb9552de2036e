"""``make demo`` (headless): a morning on route R-07 walked through the exchange workflow and the checks.

It imports ``resources/demo/work-orders.json`` into a fresh store in a temporary folder and walks three jobs
with the inputs an installer gives, printing every step, every finding and every refusal: an exchange with
a wrong scan, an odd read and a program mismatch; a meter bank where the new meter does not register (7.1A:
network test, marginal coverage, soft-registration); and a job that cannot be completed (go-back).

The new meters are simulated meters (``firmware_sim.meter``) powered up when the installer sets them, and
the self-check, identification, step 6.7's writes and the registration wait go through the real optical
stack (C12.18 over ``socket://127.0.0.1``); the network test of 7.1A.2 goes through the RF-mesh plug-in to
a simulated dongle in a simulated town (``firmware_sim.radios``). Time runs 50 times faster than real time (meters and tool
alike), so the run takes seconds and ends by itself.
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
from fieldtool.domain.codec import to_data
from fieldtool.domain.errors import UserFacingError
from fieldtool.domain.exchange import STEP_LABELS, Step
from fieldtool.domain.findings import open_findings

DEMO_FILE = Path(__file__).resolve().parents[1] / "resources" / "demo" / "work-orders.json"
START = datetime.fromisoformat("2026-03-12T08:05:00-07:00")
SCALE = 0.02  # one simulated second takes 20 ms, for the tool's waits and the meters' self-test and registration
SIM_PASSWORD = b"MASTER".ljust(20, b"0")  # the simulated meters' master password (a real one lives in the vault)


class SimulatedClock(Clock):
    """The demo's wall clock: it jumps while the installer works (``advance``) and runs ``1/SCALE`` times
    faster than real time while the tool waits (``sleep``), in step with the simulated meters."""

    def __init__(self, at: datetime):
        super().__init__(SCALE)
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, minutes: float) -> None:
        self.at += timedelta(minutes=minutes)

    def sleep(self, configured: float) -> None:
        super().sleep(configured)
        self.at += timedelta(seconds=configured)


class SimulatedMeters:
    """New meters for the demo: each powers up when it is set in the socket and answers on the optical port."""

    def __init__(self, clock: SimulatedClock):
        self.clock = clock
        self.servers, self.links = [], []

    def power_up(self, job_id: str, serial: str, registration: str = "default"):
        """The meter is set in the socket: it powers up and runs its self-test (5 s) before anything else."""
        from fieldtool.devices.exchange_meter import OpticalMeter
        from fieldtool.devices.meter import MeterLink
        from firmware_sim.meter import profiles
        from firmware_sim.meter.behaviour import Behaviour
        from firmware_sim.meter.server import MeterOptions, MeterServer

        server = MeterServer(profiles.get("acme-r1"), None, MeterOptions(
            pacing=False, behaviour=Behaviour("clean", 5.0, registration, SCALE), serial=serial))
        self.servers.append(server)
        link = MeterLink(server.listen_socket(), password=SIM_PASSWORD)
        self.links.append(link)
        self.job_id = job_id
        self.clock.sleep(6.0)  # the installer watches the display until the power-up self-test is done
        return OpticalMeter(link, work_order_id=self.job_id, installer_id="INS-042")

    def close(self) -> None:
        for link in self.links:
            link.close()
        for server in self.servers:
            server.stop()


class SimulatedRadio:
    """The RF-mesh radio of the laptop against a simulated network whose collectors are far enough from
    ``where`` that the installer hears them only at a marginal level (a basement meter room)."""

    def __init__(self, store, clock: SimulatedClock, where: tuple[float, float], job_id: str, meter_number: str):
        import math

        from fieldtool.domain.coverage import RadioSettings
        from fieldtool.services.network_test import MeterAtHand, RadioNetworkTester
        from firmware_sim.radios.dongle import DongleConfig, DongleSim
        from firmware_sim.radios.transport import serve_socket
        from firmware_sim.radios.world import PositionSource, RadioWorld, default_sites, offset

        world_clock = Clock(SCALE)
        world = None
        for metres in range(200, 6000, 100):  # place the town's collectors until the meter room is marginal
            for bearing in range(0, 360, 30):
                a = math.radians(bearing)
                centre = offset(*where, metres * math.cos(a), metres * math.sin(a))
                w = RadioWorld(default_sites(*centre), PositionSource(*where, clock=world_clock), clock=world_clock)
                heard, (_, ok) = w.links("rf_mesh"), w.path_to_ami("rf_mesh")
                if heard and -98 <= heard[0].rssi_dbm <= -93 and ok > 0.995:
                    world = w
                    break
            if world:
                break
        self.served = serve_socket(lambda: DongleSim(world, DongleConfig()))
        # generous timeouts: at 50 times real speed they are still only a second of real time
        settings = RadioSettings(rf_mesh_port=self.served.url, link_test_packets=6, survey_dwell_s=1.0,
                                 command_timeout_s=50.0, ping_timeout_s=25.0)
        self.tester = RadioNetworkTester(store, settings=settings, clock=clock,
                                         meter=MeterAtHand("rf_mesh", None, meter_number, job_id, "INS-042"))

    def close(self) -> None:
        self.served.stop()


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

    def device(self, work_order_id: str, meter) -> None:
        """One step done by the meter over the optical port; prints what the meter answered."""
        before = self.svc.job(work_order_id)
        step = before.state
        try:
            t = self.svc.device_step(work_order_id, meter=meter)
        except UserFacingError as e:
            self.out(f"     refused: {e}")
            return
        if t is None:
            return
        shown = {k: v for k, v in to_data(t.event).items() if v not in (None, (), [], "")}
        if step == Step.WRITE_METER:
            shown = {"written": "service point, account, location, removed meter and its final read"}
        if t.event.name == "identify_meter":
            shown["log"] = [e["text"] for e in shown.get("log", [])]
        self.out(f"   meter (optical port): {t.event.name} {json.dumps(shown, ensure_ascii=False)}")
        self._findings(t.job.findings, before.findings)
        if t.to_state != t.from_state:
            self._step(t.to_state)

    def network_test(self, work_order_id: str, radio: SimulatedRadio) -> None:
        t = self.svc.device_step(work_order_id, network=radio.tester, technology="rf_mesh")
        e = t.event
        self.out(f"   radio (rf_mesh plug-in): network_tested {json.dumps(to_data(e), ensure_ascii=False)}")
        if t.to_state != t.from_state:
            self._step(t.to_state)

    def ack(self, work_order_id: str, rule: str, reason: str) -> None:
        job = self.svc.acknowledge(work_order_id, rule, reason)
        self.out(f"   installer acknowledges {rule}: {reason!r}  (by {job.acknowledgements[-1].by} at {_hhmm(self.clock.now())})")

    def override(self, work_order_id: str, rule: str, supervisor: str, reason: str) -> None:
        self.svc.override(work_order_id, rule, supervisor, reason)
        self.out(f"   supervisor {supervisor} overrides {rule}: {reason!r}  (at {_hhmm(self.clock.now())})")

    def wait_for_registration(self, work_order_id: str, meter) -> None:
        allowed = self.svc.settings.registration_timeout_s
        self.out(f"   waiting for the meter to register ({allowed:g} s allowed for self-test and registration, I1NFR2) ...")
        started = self.clock.now()
        t = self.svc.await_registration(work_order_id, meter)
        waited = (self.clock.now() - started).total_seconds()
        if t.event.name == "registered":
            self.out(f"   meter (optical port): registered after {waited:.0f} s, address {t.event.comms_address}, "
                     f"{t.event.signal_dbm:g} dBm")
        else:
            self.out(f"   the meter did not register in {allowed:g} s")
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


def walk_the_morning(w: Walk, meters: SimulatedMeters) -> None:
    here = {"lat": 36.757841, "lon": -119.816280, "accuracy_m": 3.5}
    j = "WO-260312-001"
    w.job(j)
    w.event(j, "scan_meter", {"meter_number": "72600999"}, minutes=0)
    w.event(j, "scan_meter", {"meter_number": "72600101"})
    w.event(j, "arrive", {"position": here}, minutes=12)  # time on site runs from here
    w.event(j, "verify_old_meter", {"meter_number": "V123456", "form": "2S"})
    w.event(j, "final_read", {"value": 41_480})
    w.event(j, "remove_old_meter")
    w.event(j, "final_read", {"value": 41_480})  # read again: the dials say the same
    w.ack(j, "final-read", "read twice; customer says they were away for two weeks")
    w.event(j, "remove_old_meter")
    w.event(j, "install_meter", minutes=2)
    meter = meters.power_up(j, "72600101")
    w.device(j, meter)  # 6.5.1 self-check
    w.device(j, meter)  # 6.6 identity, form, program, log
    w.device(j, meter)  # 6.7 refused while the program differs
    w.override(j, "program-id", "SUP-7", "the head-end downloads RES-TOU-D-4 over the air (step 8.3)")
    w.device(j, meter)  # 6.7 written
    w.wait_for_registration(j, meter)
    w.event(j, "report")
    w.event(j, "verification", {"accepted": True, "program_id": "RES-TOU-D-4"}, who="back office", minutes=30)
    w.summary(j)

    bank = {"lat": 36.761209, "lon": -119.804405, "accuracy_m": 6.0}
    j = "WO-260312-003"
    w.job(j)
    w.event(j, "scan_meter", {"meter_number": "72600102"}, minutes=0)
    w.event(j, "arrive", {"position": bank}, minutes=9)
    w.event(j, "final_read", {"value": 15_800})  # too early: the old meter is not verified yet
    w.event(j, "verify_old_meter", {"meter_number": "V220101", "form": "2S", "location_id": "BANK-A-1",
                                    "conditions": ["energy_theft_suspected"], "notes": "seal cut, jumper marks on the jaws"})
    w.event(j, "final_read", {"value": 15_800})
    w.event(j, "remove_old_meter")
    w.event(j, "install_meter", minutes=2)
    meter = meters.power_up(j, "72600102", registration="never")
    w.device(j, meter)
    w.device(j, meter)
    w.override(j, "program-id", "SUP-7", "the head-end downloads RES-TOU-D-4 over the air (step 8.3)")
    w.device(j, meter)
    w.wait_for_registration(j, meter)
    radio = SimulatedRadio(w.svc.store, w.clock, (bank["lat"], bank["lon"]), j, "72600102")
    try:
        w.network_test(j, radio)
        verdict = radio.tester.last_report.verdict.value
    finally:
        radio.close()
    w.event(j, "judge_coverage", {"verdict": verdict})
    w.event(j, "report_marginal_coverage", {"notes": "meter room in the basement; the network test says " + verdict})
    w.event(j, "soft_register")
    w.summary(j)

    j = "WO-260312-008"
    w.job(j)
    w.event(j, "scan_meter", {"meter_number": "72600201"}, minutes=20)
    w.event(j, "arrive", minutes=15)
    w.ack(j, "billing-read-date", "route reader informed; read date moves to the 16th")
    w.event(j, "cannot_complete", {"reason": "no_access", "notes": "guard dog loose in the yard; owner not reachable"})
    w.summary(j)


def main(argv: list[str] | None = None) -> int:
    from fieldtool.services.install import InstallService
    from fieldtool.store.db import open_store

    print("fieldtool demo: a morning of meter exchanges on route R-07, new meters simulated on the optical port "
          "(headless; the GUI is `fieldtool gui`)")
    with tempfile.TemporaryDirectory(prefix="fieldtool-demo-") as tmp:
        clock = SimulatedClock(START)
        store = open_store(Path(tmp) / "fieldtool.db", clock=clock)
        try:
            svc = InstallService(store, clock, Config())
            result = svc.import_download(json.loads(DEMO_FILE.read_text(encoding="utf-8")), str(DEMO_FILE.name))
            print(f"store: {store.path} (fresh, removed at the end); clock: from {START.isoformat()}, "
                  f"{1 / SCALE:g} times faster than real time")
            print(f"imported {result.imported} work orders and {result.issued_stock} issued meters for {result.installer_id}")
            meters = SimulatedMeters(clock)
            try:
                walk_the_morning(Walk(svc, clock), meters)
            finally:
                meters.close()
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
