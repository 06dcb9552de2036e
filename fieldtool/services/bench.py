"""Bench mode: sample-test an incoming lot and accept or reject it (UC134 steps 4.1-4.5, I1BR3).

The flow of a lot: ``receive_lot`` (units at the warehouse) -> ``plan`` (sample plan from the lot size,
seed recorded, first sample drawn) -> ``pick`` (the warehouse scans the pick list out to the shop) ->
``check_in`` (the shop scans them in) -> per-unit results (``run_comms``, ``run_disconnect``,
``record_accuracy``, ``record``) -> ``decide`` (accept / reject / draw the second sample; then again) ->
``return_samples`` and ``return_to_vendor``. A unit's custody moves to tested-passed or tested-failed as
soon as its last required test is in; on accept the lot is released for distribution, on reject it is
quarantined for return to the vendor.

Transaction rule: a result, the custody move it causes and their outbox rows commit together; a decision
commits together with every release or quarantine move it causes (or nothing, if cancelled).
"""

from __future__ import annotations

import secrets
import threading
import uuid
from collections.abc import Callable
from datetime import datetime

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.domain import sampling
from fieldtool.domain.bench import (
    BenchSettings,
    BenchTest,
    LoadPoint,
    Outcome,
    judge_accuracy,
    judge_comms,
    judge_disconnect,
    required_tests,
    unit_verdict,
)
from fieldtool.domain.custody import Move, MoveRequest, State
from fieldtool.domain.errors import InputError, NotAllowed, UserCancelled, UserFacingError
from fieldtool.services.bench_decision import LotDecisions
from fieldtool.services.bench_han import HAN_NOT_RUN, run_han
from fieldtool.services.bench_meter import BenchMeter, Progress, SwitchUnsupported, disconnect_procedure
from fieldtool.services.custody import BatchResult, CustodyService
from fieldtool.store.bench import BenchRepo, Lot, Result
from fieldtool.store.outbox import OutboxEvent

OPEN = ("received", "sampling_1", "sampling_2")


class BenchService(LotDecisions):
    han_not_run_reason = HAN_NOT_RUN

    def __init__(self, store, *, custody: CustodyService, settings: BenchSettings | None = None,
                 clock: Clock = SYSTEM_CLOCK, ids: Callable[[], str] = lambda: str(uuid.uuid4())):
        self.store = store
        self.repo = BenchRepo(store)
        self.custody = custody
        self.settings = settings or BenchSettings()
        self.required = required_tests(self.settings.required_tests)
        self.clock = clock
        self.ids = ids

    # -- the lot -----------------------------------------------------------------------------------------

    def lot(self, lot_id: str) -> Lot:
        lot = self.repo.get(lot_id)
        if lot is None:
            raise UserFacingError(f"There is no lot {lot_id}.", hint="Receive it first: fieldtool bench lot receive.")
        return lot

    def receive_lot(self, lot_id: str, units: list[str] | None, *, document: str, actor: str) -> Lot:
        """Open a lot of units received at the warehouse (by default: every received unit of lot ``lot_id``)."""
        if self.repo.get(lot_id):
            raise NotAllowed(f"Lot {lot_id} exists already.")
        if units is None:
            units = [a.asset_id for a in self.custody.repo.list(lot_number=lot_id, state=State.RECEIVED_AT_WAREHOUSE)]
        units = list(dict.fromkeys(units))
        if len(units) < 2:
            raise InputError(f"Lot {lot_id} has {len(units)} unit(s) at the warehouse; a lot needs at least 2.")
        assets = self.custody.repo.many(units)
        problems = [f"{u} is not known to custody" for u in units if u not in assets]
        problems += [f"{a.asset_id} is {a.state.value.replace('_', ' ') if a.state else 'not tracked'}"
                     for a in assets.values() if a.state is not State.RECEIVED_AT_WAREHOUSE]
        problems += [f"{u} is already in open lot {other}" for u, other in self.repo.open_lot_of(units).items()]
        if problems:
            raise NotAllowed("Only units received at the warehouse can make a lot: " + "; ".join(problems) + ".")
        types = sorted({a.asset_type or "" for a in assets.values()})
        lot = Lot(lot_id, document, types[0] if len(types) == 1 else None, len(units), self.clock.now(), actor,
                  None, None, "received", None, None)
        self.repo.create_lot(lot, units)
        return lot

    def plan(self, lot_id: str, *, actor: str, seed: int | None = None) -> dict:
        """Choose the plan from the lot size, record the seed and draw the first sample (the pick list)."""
        lot = self.lot(lot_id)
        if lot.status != "received":
            raise NotAllowed(f"Lot {lot_id} already has its plan (seed {lot.seed}).")
        plan = sampling.plan_for(lot.lot_size)
        seed = secrets.randbelow(2**31) if seed is None else seed
        first = sampling.draw(self.repo.units(lot_id), plan, seed, 1)
        with self.store.transaction():
            self.repo.update_lot(lot_id, seed=seed, plan=plan.as_dict(), status="sampling_1")
            self.repo.add_sample(lot_id, 1, first)
        return {"lot_id": lot_id, "seed": seed, "plan": plan.as_dict(), "pick_list": first}

    def _plan(self, lot: Lot) -> sampling.SamplePlan:
        if lot.plan is None:
            raise NotAllowed(f"Lot {lot.lot_id} has no plan yet.", hint="Run: fieldtool bench lot plan.")
        return sampling.SamplePlan.from_dict(lot.plan)

    def _stage(self, lot: Lot) -> int:
        if lot.status not in ("sampling_1", "sampling_2"):
            raise NotAllowed(f"Lot {lot.lot_id} is {lot.status}; it has no sample open.")
        return int(lot.status[-1])

    def pick_list(self, lot_id: str) -> list[dict]:
        """The units of the open sample with where custody has them now."""
        lot = self.lot(lot_id)
        stage = self._stage(lot)
        units = [u for _, u in self.repo.sample(lot_id, stage)]
        assets = self.custody.repo.many(units)
        return [{"asset_id": u, "state": assets[u].state.value, "location": assets[u].location} for u in units]

    def _scan_moves(self, lot_id: str, scans: list[str], move: Move, *, actor: str, location: str,
                    document: str | None) -> BatchResult:
        lot = self.lot(lot_id)
        stage = self._stage(lot)
        wanted = {u for _, u in self.repo.sample(lot_id, stage)}
        stray = [s for s in scans if s not in wanted]
        if stray:
            raise InputError(f"Not on the pick list of lot {lot_id}: {', '.join(stray)}.",
                             hint="Put them back; only the sampled units go to the meter shop.")
        template = MoveRequest("", move, actor=actor, at=self.clock.now(), location=location,
                               document=document or lot_id)
        return self.custody.move_many(list(dict.fromkeys(scans)), template, correlation_id=lot_id)

    def pick(self, lot_id: str, scans: list[str], *, actor: str, document: str | None = None) -> BatchResult:
        """The warehouse scans sampled units out to the meter shop (step 4.1)."""
        return self._scan_moves(lot_id, scans, Move.SEND_TO_SHOP, actor=actor,
                                location=self.custody.settings.meter_shop_location, document=document)

    def check_in(self, lot_id: str, scans: list[str], *, actor: str) -> BatchResult:
        """The meter shop scans the sampled units in (step 4.2)."""
        return self._scan_moves(lot_id, scans, Move.RECEIVE_AT_SHOP, actor=actor,
                                location=self.custody.settings.meter_shop_location, document=None)

    # -- per-unit results --------------------------------------------------------------------------------

    def record(self, lot_id: str, asset_id: str, test: BenchTest, outcome: Outcome, detail: dict, *,
               actor: str, at: datetime | None = None) -> dict:
        """Record one test result; when it completes the unit, move its custody to tested passed/failed.

        The unit must be in the open sample and scanned in at the shop. A unit judged passed takes only
        "passed" and "not run" results (a test beyond the required ones, e.g. the disconnect test where
        only comms is required); a failed one takes any (its verdict stays failed), so the report shows every test.
        """
        lot = self.lot(lot_id)
        stage = self._stage(lot)
        if asset_id not in {u for _, u in self.repo.sample(lot_id, stage)}:
            raise NotAllowed(f"{asset_id} is not in the open sample of lot {lot_id}.")
        at = at or self.clock.now()
        result = Result(self.ids(), lot_id, asset_id, test, outcome, detail, actor, at)
        with self.store.transaction():  # the state check and the writes see the same committed state
            asset = self.custody.repo.get(asset_id)
            # A failed unit may still get its other tests recorded (they cannot make it pass); a passed one
            # only "passed" or "not run" (which cannot make it fail): its custody has already moved on.
            open_states = (State.RECEIVED_AT_SHOP, State.TESTED_FAILED) + (
                (State.TESTED_PASSED,) if outcome in (Outcome.NOT_RUN, Outcome.PASSED) else ())
            if asset.state not in open_states:
                state = asset.state.value.replace("_", " ")
                hint = "Scan it in at the shop first." if asset.state is State.SENT_TO_METER_SHOP else None
                raise NotAllowed(f"{asset_id} is {state}; results are recorded for units received at the shop.",
                                 hint=hint)
            self.repo.add_result(result)
            outcomes = self.outcomes(lot_id, asset_id)
            verdict = unit_verdict(outcomes, self.required)
            if verdict is not None and asset.state is State.RECEIVED_AT_SHOP:
                if BenchTest.HAN not in outcomes:
                    self._record_han_not_run(lot_id, asset_id, actor, at)
                reasons = [f"{r.test.value}: {'; '.join(r.detail.get('reasons', [])) or 'failed'}"
                           for r in self._latest(lot_id, asset_id).values() if r.outcome is Outcome.FAILED]
                self.custody.move(MoveRequest(
                    asset_id, Move.PASS_TEST if verdict is Outcome.PASSED else Move.FAIL_TEST, actor=actor, at=at,
                    location=self.custody.settings.meter_shop_location, document=lot_id,
                    reason="; ".join(reasons)), correlation_id=lot_id)
                self._queue_result(lot_id, asset_id, verdict, actor, at)
        return {"asset_id": asset_id, "test": test.value, "outcome": outcome.value,
                "verdict": verdict.value if verdict else None}

    def _record_han_not_run(self, lot_id: str, asset_id: str, actor: str, at: datetime) -> None:
        detail = {"reasons": [HAN_NOT_RUN]}
        self.repo.add_result(Result(self.ids(), lot_id, asset_id, BenchTest.HAN, Outcome.NOT_RUN, detail, actor, at))

    def _latest(self, lot_id: str, asset_id: str) -> dict[BenchTest, Result]:
        latest: dict[BenchTest, Result] = {}
        for r in self.repo.results(lot_id, asset_id):
            latest[r.test] = r
        return latest

    def outcomes(self, lot_id: str, asset_id: str) -> dict[BenchTest, Outcome]:
        return {t: r.outcome for t, r in self._latest(lot_id, asset_id).items()}

    def record_manual(self, lot_id: str, asset_id: str, test: BenchTest, outcome: Outcome, reason: str, *,
                      actor: str) -> dict:
        """A person may fail a unit (cracked cover, wrong nameplate) or mark a test not run, with a reason;
        a pass is only ever the tool's judgement of a test it ran or readings it was given."""
        if outcome is Outcome.PASSED:
            raise NotAllowed("A pass cannot be typed in: run the test, or enter the readings it judges.")
        if not reason.strip():
            raise InputError("Say why the unit fails or why the test was not run.")
        return self.record(lot_id, asset_id, test, outcome, {"reasons": [reason.strip()], "manual": True},
                           actor=actor)

    def record_accuracy(self, lot_id: str, asset_id: str, registrations: dict[LoadPoint, float], *, actor: str,
                        source: str = "typed") -> dict:
        points = judge_accuracy(registrations, self.settings.limits())
        detail = {"source": source, "accuracy_class": self.settings.accuracy_class,
                  "points": [{"point": p.point.value, "registration_pct": p.registration_pct,
                              "error_pct": p.error_pct, "limit_pct": p.limit_pct, "passed": p.passed}
                             for p in points],
                  "reasons": [f"{p.point.value} error {p.error_pct:+.3f} % beyond ±{p.limit_pct} %"
                              for p in points if not p.passed]}
        outcome = Outcome.PASSED if all(p.passed for p in points) else Outcome.FAILED
        return self.record(lot_id, asset_id, BenchTest.ACCURACY, outcome, detail, actor=actor)

    def import_accuracy(self, lot_id: str, rows: dict[str, dict[LoadPoint, float]], *, actor: str,
                        source: str) -> list[dict]:
        """Record the accuracy of every unit of a parsed test-board file; a unit refused does not stop the rest."""
        out = []
        for asset_id, registrations in rows.items():
            try:
                out.append(self.record_accuracy(lot_id, asset_id, registrations, actor=actor, source=source))
            except UserFacingError as e:
                out.append({"asset_id": asset_id, "error": str(e)})
        return out

    def run_comms(self, lot_id: str, asset_id: str, meter: BenchMeter, *, actor: str,
                  progress: Progress | None = None, cancel: threading.Event | None = None) -> dict:
        """The communications test through the optical port: identify, health flags, registers."""
        if progress:
            progress(0, 1, "reading the meter")
        obs = meter.observe()
        if cancel is not None and cancel.is_set():
            raise UserCancelled()
        outcome, reasons = judge_comms(asset_id, obs)
        detail = {"meter_number": obs.meter_number, "manufacturer": obs.manufacturer,
                  "manufacturer_serial": obs.manufacturer_serial, "firmware": obs.firmware,
                  "health_flags": list(obs.health_flags), "critical_flags": list(obs.critical_flags),
                  "registers": obs.registers or {}, "comm_module_serial": obs.comm_module_serial,
                  "reasons": reasons}
        asset = self.custody.repo.get(asset_id)
        recorded = asset.components.get("comm_module") if asset else None
        if obs.comm_module_serial and recorded and obs.comm_module_serial != recorded:
            outcome = Outcome.FAILED  # I1BR7: the module in the meter is not the one the vendor paired with it
            reasons.append(f"comm module {obs.comm_module_serial} is not the recorded {recorded}")
        if progress:
            progress(1, 1, "communications test done")
        return self.record(lot_id, asset_id, BenchTest.COMMS, outcome, detail, actor=actor)

    def run_han(self, lot_id: str, asset_id: str, han, transport, requests: list, *, actor: str,
                progress=None, cancel: threading.Event | None = None) -> dict:
        """The HAN device bench test through the bench meter's ESI (``services.bench_han.run_han``)."""
        return run_han(self, han, lot_id, asset_id, transport, requests, actor=actor, progress=progress,
                       cancel=cancel)

    def run_disconnect(self, lot_id: str, asset_id: str, meter: BenchMeter, *, actor: str,
                       progress: Progress | None = None, cancel: threading.Event | None = None) -> dict:
        try:
            steps = disconnect_procedure(meter, clock=self.clock, settle_s=self.settings.switch_settle_s,
                                         progress=progress, cancel=cancel)
        except SwitchUnsupported as e:
            return self.record(lot_id, asset_id, BenchTest.DISCONNECT, Outcome.NOT_RUN, {"reasons": [str(e)]},
                               actor=actor)
        outcome, reasons = judge_disconnect(steps)
        detail = {"steps": [{"commanded": s.commanded, "reported": s.reported} for s in steps], "reasons": reasons}
        return self.record(lot_id, asset_id, BenchTest.DISCONNECT, outcome, detail, actor=actor)

    def _queue_result(self, lot_id: str, asset_id: str, verdict: Outcome, actor: str, at: datetime) -> None:
        """The unit's verdict for the back office (contract kind ``bench_result``), with every test's detail."""
        latest = self._latest(lot_id, asset_id)
        accuracy = latest.get(BenchTest.ACCURACY)
        payload = {
            "lot_number": lot_id, "meter_number": asset_id,
            "verdict": "pass" if verdict is Outcome.PASSED else "fail",
            "test_points": accuracy.detail.get("points", []) if accuracy else [],
            "lot_decision": "pending",
            "tests": {t.value: {"outcome": r.outcome.value, **r.detail} for t, r in latest.items()},
            "actor": actor, "at": at.isoformat(),
        }
        self.store.outbox.enqueue([OutboxEvent.new("bench_result", payload, at=at, correlation_id=lot_id)])
