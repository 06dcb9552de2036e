"""The workload of the crash test: exchange transitions as the installer's tool commits them.

``run(db_path, seed, fd)`` opens the store and walks jobs through the meter-exchange steps (with the
7.1A registration-failure path and "cannot complete" exits), committing each step with
``record_transition`` and its outbox rows, and sometimes draining outbox rows as sync would. After each
commit it writes one JSON line to ``fd``: the transition's client id, the job, the new state and the
outbox ids. It never returns; the test kills it with SIGKILL.
"""

from __future__ import annotations

import json
import os
import random
import uuid
from datetime import UTC, datetime, timedelta

from fieldtool.store.db import open_store
from fieldtool.store.outbox import OutboxEvent

# state -> (event, next state, outbox kinds); the exchange of UC134 3.1.1 in the installer's words.
STEPS: dict[str | None, list[tuple[str, str, tuple[str, ...]]]] = {
    None: [("scan_issued_meter", "issued_meter_scanned", ("custody.meter_picked",))],
    "issued_meter_scanned": [("arrive", "arrived", ())],
    "arrived": [("verify_old_meter", "old_meter_verified", ()),
                ("cannot_complete", "cannot_complete", ("work_order.go_back",))],
    "old_meter_verified": [("final_read", "final_read_taken", ("meter.reading",))],
    "final_read_taken": [("remove", "old_meter_removed", ("meter.removed",))],
    "old_meter_removed": [("install", "new_meter_installed", ("meter.installed",))],
    "new_meter_installed": [("self_check", "self_check_passed", ())],
    "self_check_passed": [("check_id_and_form", "meter_checked", ())],
    "meter_checked": [("write_install_info", "install_info_written", ())],
    "install_info_written": [("registration_seen", "registered", ("registration.seen",)),
                             ("registration_timed_out", "registration_failed", ())],
    "registration_failed": [("network_test", "coverage_reported", ("coverage.report",))],
    "coverage_reported": [("soft_register", "registered", ("soft_registration", "meter.manual_read_flag"))],
    "registered": [("report", "reported", ("exchange.report",))],
    "reported": [("complete", "complete", ("work_order.completed",))],
}
FINAL = {"complete", "cannot_complete"}


def step_data(rng: random.Random, event: str, job: str, at: datetime) -> dict:
    """Captured data of the kind each step records."""
    if event == "scan_issued_meter":
        return {"meter_number": f"AMI-{rng.randrange(10**7):07d}", "symbology": "code128"}
    if event == "verify_old_meter":
        return {"old_meter_number": job.replace("WO-", "4"), "as_found": rng.sample(
            ["panel_damaged", "energy_theft_suspected", "hazard"], rng.randrange(2))}
    if event == "final_read":
        return {"kwh": round(rng.uniform(10_000, 12_000), 1), "read_at": at.isoformat()}
    if event == "registration_seen":
        return {"rssi_dbm": rng.randrange(-95, -60), "network": "rf_mesh"}
    if event == "cannot_complete":
        return {"reason": rng.choice(["no_access", "unsafe", "customer_refused", "panel_needs_contractor"])}
    return {"note": event, "position": {"lat": 52.0 + rng.random() / 100, "lon": -1.5, "accuracy_m": 4.0}}


def run(db_path: str, seed: int, fd: int) -> None:
    rng = random.Random(seed)
    store = open_store(db_path)
    states = store.exchanges.states()
    with store.reading() as c:
        jobs = [r[0] for r in c.execute("SELECT id FROM work_orders ORDER BY id")]
    at = datetime(2026, 3, 2, 8, 0, tzinfo=UTC) + timedelta(hours=seed)
    os.write(fd, b'{"ready": true}\n')
    while True:
        open_jobs = [j for j in jobs if states.get(j) not in FINAL]
        if not open_jobs:
            os.write(fd, b'{"done": true}\n')
            return
        job = rng.choice(open_jobs[:3])  # an installer works a few jobs at once, not all
        state = states.get(job)
        event, to_state, kinds = rng.choice(STEPS[state])
        at += timedelta(seconds=rng.randrange(5, 90))
        transition_id = str(uuid.uuid4())
        data = step_data(rng, event, job, at) | {"transition_id": transition_id, "outbox_count": len(kinds)}
        outbox = [
            OutboxEvent.new(kind, {"transition_id": transition_id, "job_id": job, "step": event,
                                   "captured": data}, at=at, job_id=job, correlation_id=transition_id)
            for kind in kinds
        ]
        status = {"complete": "completed", "cannot_complete": "cannot_complete"}.get(
            to_state, "in_progress" if state is None else None)
        entry = store.record_transition(
            job, actor="INST-042", at=at, from_state=state, to_state=to_state, event=event, data=data,
            snapshot={"state": to_state, "last_event": event, "captured": data}, outbox=outbox,
            work_order_status=status,
        )
        states[job] = to_state
        os.write(fd, (json.dumps({"t": transition_id, "seq": entry.seq, "job": job, "to": to_state,
                                  "outbox": [e.id for e in outbox]}) + "\n").encode())
        if rng.random() < 0.3:  # the sync thread's share of the work: send and acknowledge some rows
            due = store.outbox.due(at, limit=3)
            if due:
                store.outbox.mark_attempted([e.id for e in due], at)
                for e in due:
                    if rng.random() < 0.8:
                        store.outbox.mark_delivered(e.id, at)
                    else:
                        store.outbox.mark_failed(e.id, "timed out", at + timedelta(seconds=30))


if __name__ == "__main__":  # python -m tests.store.crash_workload DB SEED: report on standard output
    import sys

    run(sys.argv[1], int(sys.argv[2]), sys.stdout.fileno())
