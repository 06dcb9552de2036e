"""Sync throughput against the local reference back office (run in its own process, plain HTTP on loopback).

1. 10,000 queued events drained in batches (``sync.batch_size``, default 200): total time and events/s;
   the same drain one request per event, measured on 1,000 events in the same run: events/s; the ratio.
2. Pulling 50,000 work orders into the store, then a second pull with nothing changed.

Prints one JSON line at the end. Usage: ``.venv/bin/python bench/sync_drain.py [--events N] [--work-orders N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=10_000)
    ap.add_argument("--single", type=int, default=1_000, help="events sent one request each")
    ap.add_argument("--work-orders", type=int, default=50_000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    os.environ.update(FIELDTOOL_HOME=str(tmp / "home"), FIELDTOOL_PASSPHRASE="bench", FIELDTOOL_KEYRING="off")
    from fieldtool.services.sync import SyncService
    from fieldtool.store.db import open_store
    from fieldtool.store.outbox import OutboxEvent
    from fieldtool.store.vault import open_vault
    from fieldtool.sync.settings import SyncSettings

    t = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "firmware_sim", "backoffice", "--listen", "127.0.0.1:0",
                               "--db", str(tmp / "bo.db"), "--plain-http", "--work-orders", str(args.work_orders)],
                              stdout=subprocess.PIPE, text=True)
    info = json.loads(server.stdout.readline())
    seed_s = time.perf_counter() - t
    try:
        store = open_store()
        settings = SyncSettings(page_size=5000)
        svc = SyncService(store, open_vault(store), settings=settings)
        svc.login(info["url"], info["demo"]["demo_installer"], info["demo"]["password"])
        jobs = [f"WO-N{i:05d}" for i in range(1, 13)]

        def enqueue(n: int) -> None:
            t0 = datetime.now(UTC)
            store.outbox.enqueue([OutboxEvent.new(
                "transition", {"from_state": "a", "to_state": "b", "event": "E", "actor": "bench",
                               "at": t0.isoformat()}, at=t0 + timedelta(microseconds=i), job_id=jobs[i % 12])
                for i in range(n)])

        t = time.perf_counter()
        pull1 = svc.pull()
        pull_s = time.perf_counter() - t
        t = time.perf_counter()
        pull2 = svc.pull()
        pull2_s = time.perf_counter() - t

        enqueue(args.events)
        t = time.perf_counter()
        batched = svc.drain.drain_once()
        drain_s = time.perf_counter() - t

        single = SyncService(store, svc.vault, settings=replace(settings, batch_size=1))
        enqueue(args.single)
        t = time.perf_counter()
        one = single.drain.drain_once()
        single_s = time.perf_counter() - t
    finally:
        server.terminate()
        server.wait(10)
    rate, single_rate = args.events / drain_s, args.single / single_s
    out = {
        "events": args.events, "batch_size": settings.batch_size, "drain_s": round(drain_s, 2),
        "events_per_s": round(rate), "delivered": batched.pushed,
        "single_events": args.single, "single_events_per_s": round(single_rate, 1), "single_delivered": one.pushed,
        "ratio": round(rate / single_rate, 1),
        "work_orders": args.work_orders, "seed_s": round(seed_s, 1), "pull_s": round(pull_s, 2),
        "pulled": pull1.pulled, "second_pull_s": round(pull2_s, 3), "second_pulled": pull2.pulled,
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
