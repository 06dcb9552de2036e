"""Custody and bench throughput on a real store file: a 2,000-meter shipment from notice to lot release.

Run: .venv/bin/python bench/custody.py [UNITS]   — ends with one JSON line of figures.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fieldtool.domain.bench import BenchSettings, LoadPoint  # noqa: E402
from fieldtool.domain.receipt import ExpectedUnit, OrderLine, PurchaseOrder, ScannedUnit, ShipNotice  # noqa: E402
from fieldtool.services.bench import BenchService  # noqa: E402
from fieldtool.services.custody import CustodyService  # noqa: E402
from fieldtool.services.report import lot_report_html  # noqa: E402
from fieldtool.store.db import open_store  # noqa: E402


def main(n: int = 2000) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "bench.db")
        custody = CustodyService(store)
        bench = BenchService(store, custody=custody, settings=BenchSettings(required_tests=("accuracy",)))
        ids = [f"AM{20_000_000 + i}" for i in range(n)]
        units = tuple(ExpectedUnit(m, "2S-CL200", container=f"PAL-{i // 100}",
                                   components={"comm_module": f"CM{i:08d}"}) for i, m in enumerate(ids))
        figures: dict = {"units": n}
        t = time.perf_counter()
        custody.import_order(PurchaseOrder("PO-B", (OrderLine("2S-CL200", n, 80.0),)))
        custody.import_notice(ShipNotice("ASN-B", units, po_number="PO-B", lot_number="LOT-B"), actor="edi")
        figures["notice_import_s"] = round(time.perf_counter() - t, 3)
        t = time.perf_counter()
        rec, batch = custody.receive("ASN-B", [ScannedUnit(m, "2S-CL200") for m in ids], actor="wh")
        figures["receipt_s"] = round(time.perf_counter() - t, 3)
        figures["receipt_units_per_s"] = round(n / figures["receipt_s"])
        t = time.perf_counter()
        bench.receive_lot("LOT-B", None, document="ASN-B", actor="wh")
        plan = bench.plan("LOT-B", actor="shop", seed=1)
        picks = plan["pick_list"]
        bench.pick("LOT-B", picks, actor="wh")
        bench.check_in("LOT-B", picks, actor="shop")
        good = {LoadPoint.FULL_LOAD: 100.0, LoadPoint.LIGHT_LOAD: 100.1, LoadPoint.POWER_FACTOR: 99.9}
        for m in picks:
            bench.record_accuracy("LOT-B", m, good, actor="shop")
        figures["sample_tested_s"] = round(time.perf_counter() - t, 3)
        t = time.perf_counter()
        decision = bench.decide("LOT-B", actor="lead")
        figures["decide_and_release_s"] = round(time.perf_counter() - t, 3)
        figures["released"] = len(decision["moved"])
        t = time.perf_counter()
        html = lot_report_html(bench.status("LOT-B"), generated_at="now")
        figures["report_html_s"] = round(time.perf_counter() - t, 3)
        figures["report_bytes"] = len(html)
        t = time.perf_counter()
        custody.history(ids[5])
        figures["history_ms"] = round((time.perf_counter() - t) * 1000, 2)
        figures["plan"] = plan["plan"]
        store.close()
        return figures


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)))
