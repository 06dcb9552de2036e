"""The bench repository: lots, their units and samples, per-unit results and decisions.

Writes join the caller's ``store.transaction()``; ``services/bench.py`` commits a result together with
the custody move it causes and their outbox rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fieldtool.domain.bench import BenchTest, Outcome
from fieldtool.store._rows import dump, load, stamp, unstamp


@dataclass(frozen=True)
class Lot:
    lot_id: str
    document: str  # the ship notice or PO the lot came under
    asset_type: str | None
    lot_size: int
    created_at: datetime
    actor: str
    seed: int | None  # recorded when the plan is made
    plan: dict | None  # SamplePlan.as_dict()
    status: str  # received, sampling_1, sampling_2, accepted, rejected, screened
    decision: str | None
    decided_at: datetime | None


@dataclass(frozen=True)
class Result:
    id: str
    lot_id: str
    asset_id: str
    test: BenchTest
    outcome: Outcome
    detail: dict
    actor: str
    at: datetime


_LOT = "lot_id, document, asset_type, lot_size, created_at, actor, seed, plan, status, decision, decided_at"
_RESULT = "id, lot_id, asset_id, test, outcome, detail, actor, at"


def _lot(r) -> Lot:
    return Lot(r[0], r[1], r[2], r[3], unstamp(r[4]), r[5], r[6], load(r[7]) if r[7] else None, r[8], r[9],
               unstamp(r[10]))


def _result(r) -> Result:
    return Result(r[0], r[1], r[2], BenchTest(r[3]), Outcome(r[4]), load(r[5]), r[6], unstamp(r[7]))


class BenchRepo:
    def __init__(self, store):
        self.store = store

    def create_lot(self, lot: Lot, units: list[str]) -> None:
        with self.store.transaction() as c:
            c.execute(f"INSERT INTO bench_lots ({_LOT}) VALUES ({','.join('?' * 11)})",
                      (lot.lot_id, lot.document, lot.asset_type, lot.lot_size, stamp(lot.created_at), lot.actor,
                       lot.seed, dump(lot.plan) if lot.plan else None, lot.status, lot.decision,
                       stamp(lot.decided_at)))
            c.executemany("INSERT INTO bench_lot_units (lot_id, asset_id) VALUES (?, ?)",
                          [(lot.lot_id, u) for u in units])

    def get(self, lot_id: str) -> Lot | None:
        with self.store.reading() as c:
            row = c.execute(f"SELECT {_LOT} FROM bench_lots WHERE lot_id = ?", (lot_id,)).fetchone()
        return _lot(row) if row else None

    def lots(self) -> list[Lot]:
        with self.store.reading() as c:
            return [_lot(r) for r in c.execute(f"SELECT {_LOT} FROM bench_lots ORDER BY created_at")]

    def open_lot_of(self, asset_ids: list[str]) -> dict[str, str]:
        """asset -> the undecided lot it already belongs to."""
        out = {}
        with self.store.reading() as c:
            for start in range(0, len(asset_ids), 500):
                chunk = asset_ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                out.update(c.execute(
                    f"SELECT u.asset_id, u.lot_id FROM bench_lot_units u JOIN bench_lots l USING (lot_id) "
                    f"WHERE l.decision IS NULL AND u.asset_id IN ({marks})", chunk).fetchall())
        return out

    def units(self, lot_id: str) -> list[str]:
        with self.store.reading() as c:
            return [r[0] for r in c.execute("SELECT asset_id FROM bench_lot_units WHERE lot_id = ? ORDER BY asset_id",
                                            (lot_id,))]

    def update_lot(self, lot_id: str, **values: Any) -> None:
        sets, args = [], []
        for key, value in values.items():
            if key not in ("seed", "plan", "status", "decision", "decided_at"):
                raise ValueError(key)
            sets.append(f"{key} = ?")
            args.append(dump(value) if key == "plan" else stamp(value) if key == "decided_at" else value)
        with self.store.transaction() as c:
            c.execute(f"UPDATE bench_lots SET {', '.join(sets)} WHERE lot_id = ?", (*args, lot_id))

    def add_sample(self, lot_id: str, stage: int, units: list[str]) -> None:
        with self.store.transaction() as c:
            c.executemany("INSERT INTO bench_samples (lot_id, stage, position, asset_id) VALUES (?, ?, ?, ?)",
                          [(lot_id, stage, i, u) for i, u in enumerate(units)])

    def sample(self, lot_id: str, stage: int | None = None) -> list[tuple[int, str]]:
        """(stage, unit) in pick order."""
        sql = "SELECT stage, asset_id FROM bench_samples WHERE lot_id = ?"
        args: tuple = (lot_id,)
        if stage is not None:
            sql += " AND stage = ?"
            args += (stage,)
        with self.store.reading() as c:
            return [(r[0], r[1]) for r in c.execute(sql + " ORDER BY stage, position", args)]

    def add_result(self, result: Result) -> None:
        with self.store.transaction() as c:
            c.execute(f"INSERT INTO bench_results ({_RESULT}) VALUES ({','.join('?' * 8)})",
                      (result.id, result.lot_id, result.asset_id, result.test.value, result.outcome.value,
                       dump(result.detail), result.actor, stamp(result.at)))

    def results(self, lot_id: str, asset_id: str | None = None) -> list[Result]:
        """Every result row, oldest first."""
        sql = f"SELECT {_RESULT} FROM bench_results WHERE lot_id = ?"
        args: tuple = (lot_id,)
        if asset_id is not None:
            sql += " AND asset_id = ?"
            args += (asset_id,)
        with self.store.reading() as c:
            return [_result(r) for r in c.execute(sql + " ORDER BY seq", args)]

    def add_decision(self, lot_id: str, stage: int, defects: int, decision: str, actor: str, at: datetime) -> None:
        with self.store.transaction() as c:
            c.execute("INSERT INTO bench_decisions (lot_id, stage, defects, decision, actor, at) "
                      "VALUES (?, ?, ?, ?, ?, ?)", (lot_id, stage, defects, decision, actor, stamp(at)))

    def decisions(self, lot_id: str) -> list[dict]:
        with self.store.reading() as c:
            rows = c.execute("SELECT stage, defects, decision, actor, at FROM bench_decisions WHERE lot_id = ? "
                             "ORDER BY stage", (lot_id,)).fetchall()
        return [{"stage": r[0], "defects": r[1], "decision": r[2], "actor": r[3], "at": r[4]} for r in rows]
