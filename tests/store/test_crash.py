"""Crash test: a child process commits exchange transitions and is killed with SIGKILL at random moments.

After every kill the store must open cleanly, hold every transition the child reported as committed
exactly once with all its outbox rows, and hold nothing half-written: no audit row without its outbox
rows, no snapshot that disagrees with the audit trail. Most children are forked (no interpreter start-up
per kill) so that 100+ kills fit in seconds; every tenth is a fresh ``python -m`` program. Each kill
lands at a random moment of its work.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import time
from pathlib import Path

import pytest

from fieldtool.store import schema
from fieldtool.store.db import APPLICATION_ID, open_store
from tests.store import crash_workload
from tests.store.factories import work_order

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")

KILLS = 110
ROOT = Path(__file__).resolve().parents[2]


def start_child(target, *args) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do the work, never return into pytest
        os.close(read_end)
        try:
            target(*args, write_end)
        finally:
            os._exit(0)
    os.close(write_end)
    return pid, read_end


def start_program(db_path: str, seed: int) -> tuple[int, int]:
    """The workload as its own program (fork + exec of ``python -m``), reporting on its stdout."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.dup2(write_end, 1)
            os.chdir(ROOT)
            os.execv(sys.executable, [sys.executable, "-m", "tests.store.crash_workload", db_path, str(seed)])
        finally:
            os._exit(127)
    os.close(write_end)
    return pid, read_end


def kill_after(pid: int, read_end: int, delay: float, *, after_lines: int = 0) -> list[dict]:
    """SIGKILL the child once it wrote ``after_lines`` lines (its "ready" line counts) and ``delay``
    seconds more have passed; returns the transitions it reported."""
    chunks = []
    while b"".join(chunks).count(b"\n") < after_lines:
        chunks.append(os.read(read_end, 65536))
        assert chunks[-1], "the child died before it was killed"
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while chunk := os.read(read_end, 65536):
        chunks.append(chunk)
    os.close(read_end)
    text = b"".join(chunks).decode()
    # a line cut short by the kill was never reported
    lines = [json.loads(line) for line in text.split("\n")[:-1]]
    return [line for line in lines if "ready" not in line]


def check_consistent(store) -> dict[str, int]:
    """Nothing half-written: every audit row has its outbox rows, every snapshot matches its trail."""
    c = store.conn
    outbox_by_transition: dict[str, list[str]] = {}
    for event_id, t in c.execute("SELECT id, json_extract(payload, '$.transition_id') FROM outbox"):
        outbox_by_transition.setdefault(t, []).append(event_id)
    seen: dict[str, int] = {}
    last: dict[str, tuple[str, int]] = {}
    for job, to_state, t, n in c.execute(
        "SELECT job_id, to_state, json_extract(data, '$.transition_id'), json_extract(data, '$.outbox_count') "
        "FROM exchange_audit ORDER BY seq"
    ):
        seen[t] = seen.get(t, 0) + 1
        assert len(outbox_by_transition.get(t, [])) == n, f"transition {t} has a partial set of outbox rows"
        last[job] = (to_state, last.get(job, ("", 0))[1] + 1)
    assert set(outbox_by_transition) <= set(seen), "outbox rows without their transition"
    snapshots = {job: (state, n) for job, state, n in c.execute(
        "SELECT job_id, state, transitions FROM exchange_state")}
    assert snapshots == last
    for job, (state, _) in last.items():
        assert store.exchange_snapshot(job)["state"] == state
    unacknowledged = c.execute(
        "SELECT count(*) FROM outbox WHERE state IN ('delivered', 'rejected') "
        "AND (attempts < 1 OR acknowledged_at IS NULL)").fetchone()[0]
    assert unacknowledged == 0, "an outbox row was acknowledged without having been attempted"
    return seen


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(tmp_path):
    path = tmp_path / "crash.db"
    with open_store(path) as store:
        store.work_orders.upsert_many([work_order(i) for i in range(1500)])  # more than 110 kills use
    rng = random.Random(20260302)
    # a quarter of the kills land anywhere from the start (opening, WAL recovery); the rest once the child
    # has opened the store ("ready") and reported 0-4 commits, a random moment later (mid-commit,
    # mid-fsync). The plan is drawn first so that what it guarantees does not depend on the machine's load.
    plan = [(None, rng.uniform(0.0, 0.03)) if rng.random() < 0.25 else (1 + rng.randrange(5), rng.uniform(0.0, 0.008))
            for _ in range(KILLS)]
    reported: dict[str, dict] = {}
    unreported_before = 0
    mid_run_kills = 0
    for kill, (after_lines, delay) in enumerate(plan):
        if kill % 10 == 0:  # every tenth child is a fresh interpreter, nothing inherited from the test
            pid, read_end = start_program(str(path), kill)
        else:
            pid, read_end = start_child(crash_workload.run, str(path), kill)
        lines = kill_after(pid, read_end, delay, after_lines=after_lines or 0)
        assert not any(line.get("done") for line in lines), "the workload ran out of jobs; add work orders"
        mid_run_kills += bool(lines)
        for line in lines:
            assert line["t"] not in reported
            reported[line["t"]] = line
        with open_store(path) as store:
            seen = check_consistent(store)
            for t, line in reported.items():
                assert seen.get(t) == 1, f"reported transition {t} ({line['to']}) is there {seen.get(t, 0)} times"
                for event_id in line["outbox"]:
                    event = store.outbox.get(event_id)
                    assert event is not None and event.payload["transition_id"] == t
            # at most one committed-but-unreported transition per kill: killed after its commit was
            # written (during the fsync, or before the print), it is committed, as it should be
            unreported = len(seen) - len(reported)
            assert unreported - unreported_before <= 1
            unreported_before = unreported
    after_commits = [n for n, _ in plan if n and n >= 2]
    assert len(plan) >= 100 and len(after_commits) >= 50  # the plan itself: enough kills mid-work
    assert mid_run_kills >= len(after_commits)
    assert len(reported) >= sum(n - 1 for n in after_commits)


def create_fresh(path: str, write_end: int) -> None:
    store = open_store(path)
    os.write(write_end, b'{"opened": true}\n')
    store.close()


def test_sigkill_while_the_store_is_being_created_and_migrated(tmp_path):
    rng = random.Random(7)
    expected = {a.name: a.version for a in schema.discover()}
    stages = set()
    for n in range(30):
        path = tmp_path / f"new-{n}.db"
        pid, read_end = start_child(create_fresh, str(path))
        opened = bool(kill_after(pid, read_end, rng.uniform(0.0, 0.05)))
        size = path.stat().st_size if path.exists() else 0
        stages.add("opened" if opened else "mid-migration" if size else "before the first write")
        for _ in range(2):  # and again: the first open must have left a file that is plainly ours
            with open_store(path) as store:
                assert store.schema_versions() == expected
        assert int.from_bytes(path.read_bytes()[68:72], "big") == APPLICATION_ID
    assert stages - {"opened"}, "no kill landed before the store was created; kill sooner"
