"""Exchange service benchmark: what one installer action costs end to end.

Measures, on a fresh store holding the demo day: ``run_checks`` alone (every I1FR15 rule on a fully captured
job), the pure workflow step (table, gate, capture, checks), and ``InstallService.feed`` (the step plus
committing the transition, the job's snapshot, the audit row and its outbox rows with ``synchronous=FULL``),
over complete exchanges walked ``--jobs`` times.

    .venv/bin/python bench/exchange.py [--jobs 40]

Ends with one JSON line of figures (milliseconds, medians and 95th percentiles).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fieldtool.clock import Clock  # noqa: E402
from fieldtool.config import Config  # noqa: E402
from fieldtool.domain import exchange  # noqa: E402
from fieldtool.domain.checks import Actual, run_checks  # noqa: E402
from fieldtool.domain.exchange_events import (  # noqa: E402
    Arrive,
    FinalRead,
    IdentifyMeter,
    InstallMeter,
    Registered,
    RemoveOldMeter,
    Report,
    ScanMeter,
    SelfCheck,
    VerifyOldMeter,
    WriteMeter,
)
from fieldtool.domain.model import Position  # noqa: E402
from fieldtool.services.install import InstallService  # noqa: E402
from fieldtool.store.db import open_store  # noqa: E402

DEMO = Path(__file__).resolve().parents[1] / "resources/demo/work-orders.json"
READ_AT = datetime(2026, 3, 12, 16, 0, tzinfo=UTC)
HERE = Position(36.757815, -119.816310, 4.0)


def walk(meter: str, here: Position) -> list:
    return [ScanMeter(meter), Arrive(here), VerifyOldMeter("V123456", "2S"), FinalRead(41_862.0, READ_AT),
            RemoveOldMeter(), InstallMeter(), SelfCheck(True), IdentifyMeter(meter, "2S", None, "RES-TOU-D-4"),
            WriteMeter(here), Registered("fd00::1", "rf_mesh", -70.0), Report()]


def pct(values: list[float], q: float) -> float:
    return round(sorted(values)[min(len(values) - 1, int(q * len(values)))], 3)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=40)
    args = ap.parse_args()
    doc = json.loads(DEMO.read_text())
    template = next(w for w in doc["work_orders"] if w["id"] == "WO-260312-001")
    doc["work_orders"] = [  # one premise each (a shared coordinate would make them a meter bank)
        {**template, "id": f"WO-B{i:05d}", "meter_read_date": None,
         "service_point": {**template["service_point"], "lat": HERE.lat + i * 0.001, "lon": HERE.lon}}
        for i in range(args.jobs)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.db", clock=Clock())
        svc = InstallService(store, Clock(), Config())
        svc.import_download(doc)
        order = svc.work_order("WO-B00000")
        full = Actual("V123456", "2S", "72600101", "2S", "AMI-R2S-240", 41_862.0, READ_AT, HERE, READ_AT, None,
                      ("00124B0001A2B3C4", "00124B0001A2B3C5"), "RES-TOU-D-4", "INS-042", READ_AT)
        stock = svc.stock("INS-042")
        checks = []
        for _ in range(2000):
            t = time.perf_counter()
            run_checks(order, full, stock, READ_AT)
            checks.append((time.perf_counter() - t) * 1000)
        steps, feeds = [], []
        for i in range(args.jobs):
            job_id = f"WO-B{i:05d}"
            svc.start(job_id)
            planned = svc.work_order(job_id)
            pure = exchange.start(planned, "INS-042", READ_AT)
            for e in walk("72600101", replace(HERE, lat=planned.service_point.lat)):
                t = time.perf_counter()
                pure = exchange.step(planned, pure, e, at=READ_AT + timedelta(minutes=1), by="INS-042", stock=stock).job
                steps.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                svc.feed(job_id, e)
                feeds.append((time.perf_counter() - t) * 1000)
        store.close()
    figures = {
        "bench": "exchange", "jobs": args.jobs, "transitions": len(feeds),
        "checks_ms_median": round(statistics.median(checks), 3), "checks_ms_p95": pct(checks, 0.95),
        "step_ms_median": round(statistics.median(steps), 3), "step_ms_p95": pct(steps, 0.95),
        "feed_ms_median": round(statistics.median(feeds), 3), "feed_ms_p95": pct(feeds, 0.95),
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
