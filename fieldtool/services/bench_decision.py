"""Lot decisions and what follows them: accept (release), reject (quarantine, return to vendor), the
second sample, and the lot's whole status for screens and the report. Mixed into ``BenchService``."""

from __future__ import annotations

import threading
from collections.abc import Callable

from fieldtool.domain import sampling
from fieldtool.domain.bench import BenchTest, Outcome, unit_verdict
from fieldtool.domain.custody import TRANSITIONS, Move, MoveRequest, State
from fieldtool.domain.errors import NotAllowed, UserCancelled
from fieldtool.domain.sampling import Decision, Scheme
from fieldtool.services.custody import BatchResult

Progress = Callable[[int, int, str], None]


class LotDecisions:
    """Needs ``repo``, ``custody``, ``store``, ``clock``, ``required`` and the lot helpers of BenchService."""

    def decide(self, lot_id: str, *, actor: str, progress: Progress | None = None,
               cancel: threading.Event | None = None) -> dict:
        """Decide on the open sample. Every unit of it must be judged (custody tested passed or failed).

        The decision and every custody move it causes commit in one transaction; cancelling rolls all of
        it back.
        """
        lot = self.lot(lot_id)
        stage = self._stage(lot)
        plan = self._plan(lot)
        verdicts = {u: self.verdict(lot_id, u) for _, u in self.repo.sample(lot_id, stage)}
        waiting = [u for u, v in verdicts.items() if v is None]
        if waiting:
            raise NotAllowed(f"{len(waiting)} unit(s) of sample {stage} are not judged yet: {', '.join(waiting)}.")
        defects = sum(1 for v in verdicts.values() if v is Outcome.FAILED)
        if plan.scheme is Scheme.FULL:
            decision, status = "screened", "screened"
        elif stage == 1:
            decision = sampling.decide_first(plan, defects, len(verdicts)).value
            status = {"accept": "accepted", "reject": "rejected", "second_sample": "sampling_2"}[decision]
        else:
            first = sum(1 for _, u in self.repo.sample(lot_id, 1) if self.verdict(lot_id, u) is Outcome.FAILED)
            decision = sampling.decide_second(plan, first, defects, len(verdicts)).value
            status = "accepted" if decision == Decision.ACCEPT else "rejected"
        at = self.clock.now()
        with self.store.transaction():
            self.repo.add_decision(lot_id, stage, defects, decision, actor, at)
            second = []
            if status == "sampling_2":
                second = sampling.draw(self.repo.units(lot_id), plan, lot.seed, 2)
                self.repo.add_sample(lot_id, 2, second)
                self.repo.update_lot(lot_id, status=status)
            else:
                self.repo.update_lot(lot_id, status=status, decision=decision, decided_at=at)
            moves = BatchResult()
            if status == "accepted":
                moves = self._move_lot(lot_id, Move.RELEASE, actor, self.custody.settings.warehouse_location,
                                       f"lot {lot_id} accepted after sample {stage} ({defects} defective)",
                                       progress, cancel)
            elif status == "rejected":
                moves = self._move_lot(lot_id, Move.REJECT_LOT, actor, None,
                                       f"lot {lot_id} rejected after sample {stage} ({defects} defective)",
                                       progress, cancel)
        return {"lot_id": lot_id, "stage": stage, "defects": defects, "decision": decision, "status": status,
                "second_sample": second, **moves.as_dict()}

    def _move_lot(self, lot_id, move: Move, actor, location, reason, progress, cancel) -> BatchResult:
        """Apply ``move`` to every unit of the lot that custody allows it for (the others are not touched)."""
        sources = TRANSITIONS[move].sources
        assets = self.custody.repo.many(self.repo.units(lot_id))
        todo = sorted(a for a, asset in assets.items() if asset.state in sources)
        result = BatchResult()
        at = self.clock.now()
        for i, asset_id in enumerate(todo):
            if cancel is not None and cancel.is_set():
                raise UserCancelled()
            if progress:
                progress(i, len(todo), f"{move.value} {asset_id}")
            req = MoveRequest(asset_id, move, actor=actor, at=at, location=location or assets[asset_id].location,
                              document=lot_id, reason=reason)
            result.moved.append(self.custody.move(req, correlation_id=lot_id))
        return result

    def return_samples(self, lot_id: str, *, actor: str, document: str | None = None) -> dict:
        """The shop ships tested-passed samples back to the warehouse (step 4.5); released if the lot passed."""
        lot = self.lot(lot_id)
        sampled = [u for _, u in self.repo.sample(lot_id)]
        assets = self.custody.repo.many(sampled)
        todo = [u for u in sampled if assets[u].state is State.TESTED_PASSED]
        wh = self.custody.settings.warehouse_location
        template = MoveRequest("", Move.RETURN_TO_WAREHOUSE, actor=actor, at=self.clock.now(), location=wh,
                               document=document or lot_id)
        with self.store.transaction():
            back = self.custody.move_many(todo, template, correlation_id=lot_id)
            released = BatchResult()
            if lot.status in ("accepted", "screened"):
                released = self.custody.move_many([r.asset_id for r in back.moved], MoveRequest(
                    "", Move.RELEASE, actor=actor, at=self.clock.now(), location=wh, document=lot_id),
                    correlation_id=lot_id)
        return {"returned": [r.asset_id for r in back.moved], "released": [r.asset_id for r in released.moved],
                "refused": back.refused + released.refused}

    def return_to_vendor(self, lot_id: str, *, actor: str, document: str, reason: str = "") -> dict:
        """Ship back the failed units and, for a rejected lot, the whole lot (RMA ``document``)."""
        self.lot(lot_id)
        assets = self.custody.repo.many(self.repo.units(lot_id))
        todo = sorted(a for a, asset in assets.items() if asset.state in (State.TESTED_FAILED, State.LOT_REJECTED))
        if not todo:
            raise NotAllowed(f"Lot {lot_id} has no failed or rejected unit waiting to go back to the vendor.")
        template = MoveRequest("", Move.RETURN_TO_VENDOR, actor=actor, at=self.clock.now(), location="vendor",
                               document=document, reason=reason or f"returned under {document} (lot {lot_id})")
        with self.store.transaction():
            return self.custody.move_many(todo, template, correlation_id=lot_id).as_dict()

    def verdict(self, lot_id: str, asset_id: str) -> Outcome | None:
        return unit_verdict(self.outcomes(lot_id, asset_id), self.required)

    def status(self, lot_id: str) -> dict:
        """The whole lot: plan, seed, samples with every unit's results and verdict, decisions."""
        lot = self.lot(lot_id)
        assets = self.custody.repo.many(self.repo.units(lot_id))
        samples = []
        for stage, asset_id in self.repo.sample(lot_id):
            latest = self._latest(lot_id, asset_id)
            tests = {}
            for test in BenchTest:
                r = latest.get(test)
                if r is None and test is BenchTest.HAN:
                    tests[test.value] = {"outcome": "not_run", "reasons": [self.han_not_run_reason]}
                elif r is not None:
                    tests[test.value] = {"outcome": r.outcome.value, "at": r.at.isoformat(), "actor": r.actor,
                                         **r.detail}
            verdict = unit_verdict({t: r.outcome for t, r in latest.items()}, self.required)
            samples.append({"stage": stage, "asset_id": asset_id, "state": assets[asset_id].state.value,
                            "verdict": verdict.value if verdict else None, "tests": tests})
        states: dict[str, int] = {}
        for a in assets.values():
            states[a.state.value] = states.get(a.state.value, 0) + 1
        return {"lot_id": lot.lot_id, "document": lot.document, "asset_type": lot.asset_type,
                "lot_size": lot.lot_size, "created_at": lot.created_at.isoformat(), "created_by": lot.actor,
                "seed": lot.seed, "plan": lot.plan, "status": lot.status, "decision": lot.decision,
                "decided_at": lot.decided_at.isoformat() if lot.decided_at else None,
                "required_tests": sorted(t.value for t in self.required),
                "accuracy_class": self.settings.accuracy_class,
                "samples": samples, "decisions": self.repo.decisions(lot_id), "unit_states": states}
