"""Store benchmark: 100,000 work orders; route list, meter and address look-ups; one transition's commit.

Targets (issue 2): listing a route's jobs, finding a job by meter number or by address <= 20 ms median;
committing one workflow transition with its outbox rows <= 5 ms median. The fsync cost is measured on
its own (one 4 KiB write + fsync in the same folder) and as the difference between the commit with
``synchronous=FULL`` (what the tool runs) and with ``synchronous=OFF`` (bench only).

    .venv/bin/python bench/store.py [--orders 100000] [--keep DIR]

Ends with one JSON line of figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the realistic work orders of the tests

from fieldtool.store.db import open_store  # noqa: E402
from fieldtool.store.outbox import OutboxEvent  # noqa: E402
from tests.store.factories import BASE, STREETS, old_meter_number, work_order  # noqa: E402


def timed(fn, args_list) -> list[float]:
    out = []
    for args in args_list:
        t = time.perf_counter()
        fn(*args)
        out.append((time.perf_counter() - t) * 1000)
    return out


def summary(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {"median_ms": round(statistics.median(ms), 3), "p95_ms": round(ms[int(len(ms) * 0.95) - 1], 3)}


def fsync_ms(folder: Path, n: int = 200) -> list[float]:
    path = folder / "fsync.probe"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    block = os.urandom(4096)
    try:
        out = []
        for i in range(n):
            os.pwrite(fd, block, (i % 16) * 4096)
            t = time.perf_counter()
            os.fsync(fd)
            out.append((time.perf_counter() - t) * 1000)
        return out
    finally:
        os.close(fd)
        path.unlink()


def transitions(store, jobs: list[str], rng: random.Random) -> list[float]:
    out = []
    for n, job in enumerate(jobs):
        at = BASE + timedelta(minutes=n)
        data = {"kwh": round(rng.uniform(10_000, 12_000), 1), "read_at": at.isoformat()}
        t = time.perf_counter()
        store.record_transition(
            job, actor="INST-042", at=at, from_state="old_meter_verified", to_state="final_read_taken",
            event="final_read", data=data, snapshot={"state": "final_read_taken", "final_read": data},
            outbox=[OutboxEvent.new("meter.reading", {"job_id": job, **data}, at=at, job_id=job),
                    OutboxEvent.new("exchange.step", {"job_id": job, "step": "final_read"}, at=at, job_id=job)],
        )
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--keep", help="build the store in this folder and keep it")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="fieldtool-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench.db"
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    rng = random.Random(42)
    store = open_store(path)

    t = time.perf_counter()
    for start in range(0, args.orders, 5000):
        store.work_orders.upsert_many([work_order(i) for i in range(start, min(start + 5000, args.orders))])
    load_s = time.perf_counter() - t
    size_mb = (path.stat().st_size + Path(f"{path}-wal").stat().st_size) / 1e6
    print(f"loaded {store.work_orders.count()} work orders in {load_s:.1f} s ({size_mb:.0f} MB)")

    routes = [f"R{rng.randrange(args.orders // 100):04d}" for _ in range(200)]
    store.work_orders.list(route=routes[0])  # warm the cache as a day's use would
    route = summary(timed(lambda r: store.work_orders.list(route=r), [(r,) for r in routes]))
    assert len(store.work_orders.list(route=routes[0])) == 100

    def typed(n: str) -> str:  # as installers type it: dashes, spaces, leading zeros
        return rng.choice([n, f"0{n}", f"{n[:2]}-{n[2:]}", f"{n[:4]} {n[4:]}"])

    numbers = [typed(old_meter_number(rng.randrange(args.orders))) for _ in range(500)]
    meter = summary(timed(lambda n: store.work_orders.find_by_meter(n), [(n,) for n in numbers]))
    assert store.work_orders.find_by_meter(numbers[0])

    streets = [f"{rng.randrange(1, 398)} {rng.choice(STREETS).split()[0][:5].lower()}" for _ in range(500)]
    address = summary(timed(lambda a: store.work_orders.find_by_address(a, limit=20), [(a,) for a in streets]))

    jobs = [f"WO-{i:06d}" for i in rng.sample(range(args.orders), 600)]
    full = summary(transitions(store, jobs[:300], rng))
    store.conn.execute("PRAGMA synchronous = OFF")  # bench only: the same commit without fsync
    no_sync = summary(transitions(store, jobs[300:], rng))
    store.conn.execute("PRAGMA synchronous = FULL")
    fsync = summary(fsync_ms(folder))
    store.close()

    print(f"list a route's 100 jobs: median {route['median_ms']} ms (p95 {route['p95_ms']})")
    print(f"find by meter number: median {meter['median_ms']} ms (p95 {meter['p95_ms']})")
    print(f"find by address: median {address['median_ms']} ms (p95 {address['p95_ms']})")
    print(f"commit one transition + 2 outbox rows (synchronous=FULL): median {full['median_ms']} ms "
          f"(p95 {full['p95_ms']})")
    print(f"fsync cost: one 4 KiB fsync median {fsync['median_ms']} ms; the same commit without fsync "
          f"(synchronous=OFF) median {no_sync['median_ms']} ms, so fsync is "
          f"{full['median_ms'] - no_sync['median_ms']:.3f} ms of it")
    print(json.dumps({
        "bench": "store", "work_orders": args.orders, "load_s": round(load_s, 2), "size_mb": round(size_mb, 1),
        "route_list": route, "find_by_meter": meter, "find_by_address": address,
        "transition_commit": full, "transition_commit_without_fsync": no_sync, "fsync_4k": fsync,
    }))
    if not args.keep:
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
