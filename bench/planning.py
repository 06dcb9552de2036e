"""Benchmark: forecast and schedule a roll-out of 5 million service points (50 districts, 12 meter types,
20 billing cycles, 3 years). Target: plan check + schedule + forecast <= 30 s on the project machine.

    .venv/bin/python bench/planning.py [--service-points N] [--export]

``--export`` also writes the whole schedule as CSV to a temporary folder and times it. Ends with one JSON
line of figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fieldtool.domain.calendar import make_calendar  # noqa: E402
from fieldtool.domain.forecast import forecast  # noqa: E402
from fieldtool.domain.planfile import PlanningPolicy, parse_plan  # noqa: E402
from fieldtool.domain.planreport import forecast_report  # noqa: E402
from fieldtool.domain.schedule import build_schedule  # noqa: E402


def make_plan(service_points: int, districts: int = 50, types: int = 12, cycles: int = 20, seed: int = 7):
    rng = np.random.default_rng(seed)
    work_days = 3 * 52 * 5 - 30
    per_district = service_points // districts
    crews = int(np.ceil(per_district / work_days / 8 * 1.15))  # 15 % spare for the billing guard days
    items = [{"code": f"AMI-{k:02d}", "form": ["2S", "12S", "16S", "1S"][k % 4],
              "lead_time_days": int(rng.integers(42, 150)), "order_multiple": 96} for k in range(types)]
    items += [{"code": "PCT", "kind": "han", "lead_time_days": 42, "order_multiple": 24},
              {"code": "IHD", "kind": "han", "lead_time_days": 35, "order_multiple": 24}]
    share = rng.dirichlet(np.ones(types) * 0.7, size=districts)  # uneven type mix per district
    lines = []
    for d in range(districts):
        split = rng.multinomial(per_district, np.ones(cycles * types) / (cycles * types)).reshape(cycles, types)
        split = (split * share[d] * types).astype(int)
        split.flat[split.argmax()] += per_district - split.sum()  # exact total per district
        for c in range(cycles):
            for t in range(types):
                if split[c, t] > 0:
                    han = {"PCT": int(split[c, t] // 20)} if t % 3 == 0 else {}
                    lines.append({"district": f"D{d:02d}", "billing_cycle": f"{c + 1:02d}",
                                  "meter_type": f"AMI-{t:02d}", "count": int(split[c, t]),
                                  "route": f"R{d:02d}{c:02d}", **({"han_devices": han} if han else {})})
    return {
        "plan_id": "BENCH", "as_of": "2026-06-01", "window": {"start": "2027-01-04", "end": "2029-12-21"},
        "items": items,
        "districts": [{"id": f"D{d:02d}", "crews": crews, "installs_per_crew_day": 8} for d in range(districts)],
        "billing_cycles": [{"id": f"{c + 1:02d}", "read_day": c + 1 + c // 5} for c in range(cycles)],
        "service_points": lines,
        "demand": [{"kind": "maintenance", "district": f"D{d:02d}", "item": "AMI-00", "per_week": 4}
                   for d in range(districts)]
        + [{"kind": "incomplete_installation", "district": f"D{d:02d}", "item": "AMI-01",
            "share_of_installs": 0.02, "lag_weeks": 2} for d in range(districts)],
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--service-points", type=int, default=5_000_000)
    ap.add_argument("--export", action="store_true", help="also time the CSV export of the whole schedule")
    args = ap.parse_args()
    data = make_plan(args.service_points)
    t0 = time.perf_counter()
    plan = parse_plan(data)
    t1 = time.perf_counter()
    cal = make_calendar(plan, plan.as_of)
    sched = build_schedule(plan, cal, 2)
    t2 = time.perf_counter()
    fc = forecast(plan, sched, PlanningPolicy())
    t3 = time.perf_counter()
    report = forecast_report(fc, with_series=True)
    t4 = time.perf_counter()
    out = {
        "bench": "planning", "service_points": len(sched), "districts": len(plan.districts),
        "meter_types": sum(1 for i in plan.items if i.kind == "meter"), "plan_lines": len(plan.service_points),
        "weeks": fc.weeks, "purchase_orders": len(fc.orders), "series": len(report["series"]),
        "parse_s": round(t1 - t0, 2), "schedule_s": round(t2 - t1, 2), "forecast_s": round(t3 - t2, 2),
        "report_s": round(t4 - t3, 2), "total_s": round(t4 - t0, 2), "target_s": 30,
    }
    if args.export:
        from fieldtool.services.planning import export_schedule

        with tempfile.TemporaryDirectory() as tmp:
            t5 = time.perf_counter()
            info = export_schedule(sched, Path(tmp) / "schedule.csv")
            out["export_csv_s"] = round(time.perf_counter() - t5, 2)
            out["export_csv_mb"] = round((Path(tmp) / "schedule.csv").stat().st_size / 1e6, 1)
            out["exported"] = info["work_orders"]
    out["date"] = date.today().isoformat()
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
