"""Decode benchmark: per-frame time at 720p and 1080p, read rate on badly photographed labels, live path.

    .venv/bin/python bench/decode.py [--per-kind N] [--seed S] [--quick]

1. Frame time: the first pass (``Decoder.first_pass``) and the whole pipeline (first pass + recovery within
   the configured budget) per frame, median and p95, at 1280x720 and 1920x1080, for zxing-cpp and zbar.
2. Read rate (the recovery budget counted in the decoding thread's CPU time, see ``CpuClock``; a second
   zxing run with the budget in wall time shows what the machine's current load costs): the share of
   labels whose exact text is read, on a generated corpus of every symbology
   (QR, Code 128, Code 39, ITF-14, DataMatrix, GS1-128), each label photographed badly in software
   (random mix of rotation, perspective, blur, noise, low contrast, glare, JPEG). Wrong reads counted apart.
3. Live: a generated 30 fps 720p video played at camera speed into the camera thread (latest frame wins)
   and the live decoder; reports frames captured / decoded / dropped, capture-to-result latency, labels read.

Targets (issue 5): read rate >= 97 %, first pass <= 15 ms median at 720p, live path keeps up at 30 fps.
The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fieldtool.clock import SYSTEM_CLOCK, Clock  # noqa: E402
from fieldtool.devices.scanning.camera import Camera  # noqa: E402
from fieldtool.devices.scanning.dedup import ScanDeduplicator  # noqa: E402
from fieldtool.devices.scanning.factory import decoder_from_settings  # noqa: E402
from fieldtool.devices.scanning.live import LiveStats, live_scans  # noqa: E402
from fieldtool.devices.scanning.pipeline import Decoder, to_gray  # noqa: E402
from fieldtool.devices.scanning.settings import ScanningSettings  # noqa: E402
from tests.scanning import labelsynth as ls  # noqa: E402
from tests.scanning.videos import scan_video  # noqa: E402

SIZES = {"720p": (1280, 720), "1080p": (1920, 1080)}


def ms(values: list[float]) -> dict:
    v = sorted(values)
    return {"median_ms": round(statistics.median(v) * 1000, 2), "p95_ms": round(v[int(0.95 * (len(v) - 1))] * 1000, 2)}


class CpuClock(Clock):
    """The recovery budget counted in the decoding thread's CPU time: on this shared build machine other
    work takes most of the CPU, and a wall-clock budget would then measure the machine's load rather than
    the decoder. On a field laptop doing nothing else the two are the same."""

    def monotonic(self) -> float:
        return time.thread_time()


def decoder(backend: str, settings: ScanningSettings, clock: Clock = SYSTEM_CLOCK) -> Decoder:
    d = decoder_from_settings(settings, backend)
    d.clock = clock
    return d


def run_corpus(backend: str, corpus: list, settings: ScanningSettings, clock: Clock) -> dict:
    d = decoder(backend, settings, clock)
    first, full, first_cpu, full_cpu = [], [], [], []
    read, wrong = Counter(), Counter()
    per_kind = Counter(s.symbology if s.text[:2] != "01" else "GS1-128" for s in corpus)
    for s in corpus:
        gray = to_gray(s.image)
        t, c = time.perf_counter(), time.thread_time()
        d.first_pass(gray)
        first.append(time.perf_counter() - t)
        first_cpu.append(time.thread_time() - c)
        t, c = time.perf_counter(), time.thread_time()
        r = d.decode(gray)
        full.append(time.perf_counter() - t)
        full_cpu.append(time.thread_time() - c)
        kind = s.symbology if s.text[:2] != "01" else "GS1-128"
        texts = [x.text for x in r.symbols]
        if s.text in texts:
            read[kind] += 1
        elif texts:
            wrong[kind] += 1
    total = sum(read.values())
    return {
        "first_pass": ms(first),
        "pipeline": ms(full),
        # CPU time of the decoding thread: what the decode costs, whatever else the machine is doing
        "first_pass_cpu": ms(first_cpu),
        "pipeline_cpu": ms(full_cpu),
        "read": total,
        "labels": len(corpus),
        "read_rate": round(total / len(corpus), 4),
        "wrong_reads": sum(wrong.values()),
        "by_symbology": {k: f"{read[k]}/{n}" for k, n in per_kind.items()},
    }


def run_live(settings: ScanningSettings, seconds: float) -> dict:
    plan, frames = [], 0
    kinds = ["Code128", "QRCode", "DataMatrix", "GS1-128", "Code39", "ITF"]
    i = 0
    while frames < seconds * 30:
        plan += [(None, 15), (kinds[i % len(kinds)], 30)]
        frames += 45
        i += 1
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "live.avi"
        texts = scan_video(path, plan, size=(1280, 720), seed=3)
        d = decoder("zxing", settings)
        stats = LiveStats()
        latencies = []
        start = time.perf_counter()
        with Camera(str(path), pace="realtime") as cam:
            scans = []
            for scan in live_scans(cam, d, budget_s=settings.live_budget_ms / 1000,
                                   dedup=ScanDeduplicator(settings.dedup_hold_s), stats=stats):  # fmt: skip
                scans.append(scan.symbol.text)
                latencies.append(scan.latency_s)
            captured, dropped = cam.captured, cam.dropped
        wall = time.perf_counter() - start
    decoded = stats.frames
    mean_decode = stats.decode_s_total / max(decoded, 1)
    return {
        "fps_source": 30,
        "frames_captured": captured,
        "frames_decoded": decoded,
        "frames_dropped": dropped,
        "wall_s": round(wall, 2),
        "capture_fps": round(captured / wall, 1),
        "mean_decode_ms": round(mean_decode * 1000, 2),
        "mean_decode_cpu_ms": round(stats.decode_cpu_s_total / max(decoded, 1) * 1000, 2),
        "latency_median_ms": round(statistics.median(stats.latencies_s) * 1000, 1),
        "latency_p95_ms": round(sorted(stats.latencies_s)[int(0.95 * (len(stats.latencies_s) - 1))] * 1000, 1),
        "max_latency_ms": round(stats.max_latency_s * 1000, 1),
        "scan_latency_median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "labels_shown": len(texts),
        "labels_read": len(set(scans) & set(texts)),
        "extra_scans": len(scans) - len(set(scans) & set(texts)),  # a label scanned twice, or a misread
        "repeated_scans": len(scans) - len(set(scans)),
        "misreads": sorted(set(scans) - set(texts)),
        # keeping up: the camera ran at its rate, and 95 % of the frames were decoded within two frame
        # intervals of their capture (latest frame wins: a slow frame drops frames, it never queues them)
        "keeps_up": captured / wall >= 29 and sorted(stats.latencies_s)[int(0.95 * (len(stats.latencies_s) - 1))] <= 2 / 30,
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--per-kind", type=int, default=30, help="labels per symbology in the 720p corpus")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--quick", action="store_true", help="a small run (8 per kind, 4 s of video)")
    args = p.parse_args()
    n = 8 if args.quick else args.per_kind
    settings = ScanningSettings()
    out: dict = {"bench": "decode", "recovery_budget_ms": settings.recovery_budget_ms,
                 "live_budget_ms": settings.live_budget_ms, "labels_per_symbology": n}  # fmt: skip
    corpora = {"720p": ls.corpus(n, seed=args.seed, size=SIZES["720p"]),
               "1080p": ls.corpus(max(3, n // 3), seed=args.seed + 1, size=SIZES["1080p"])}  # fmt: skip
    for backend in ("zxing", "zbar"):
        for res, corpus in corpora.items():
            r = run_corpus(backend, corpus, settings, CpuClock())
            out[f"{backend}_{res}"] = r
            print(f"{backend:5s} {res:5s} first pass {r['first_pass']['median_ms']:6.2f} ms median "
                  f"(cpu {r['first_pass_cpu']['median_ms']:.2f}) "
                  f"{r['first_pass']['p95_ms']:7.2f} p95 | pipeline {r['pipeline']['median_ms']:6.2f} / "
                  f"{r['pipeline']['p95_ms']:7.2f} ms | read {r['read']}/{r['labels']} "
                  f"({100 * r['read_rate']:.1f} %), wrong {r['wrong_reads']} | {r['by_symbology']}", flush=True)  # fmt: skip
    wall = run_corpus("zxing", corpora["720p"], settings, SYSTEM_CLOCK)
    out["zxing_720p_wall_budget"] = {k: wall[k] for k in ("read", "labels", "read_rate", "wrong_reads", "pipeline")}
    print(f"zxing 720p  with the budget in wall time at this machine's load: read {wall['read']}/{wall['labels']} "
          f"({100 * wall['read_rate']:.1f} %)", flush=True)  # fmt: skip
    live = run_live(settings, 4 if args.quick else 12)
    out["live_720p_30fps"] = live
    print(f"live  720p  {live['frames_captured']} frames at {live['capture_fps']} fps, decoded {live['frames_decoded']}, "
          f"dropped {live['frames_dropped']}, mean decode {live['mean_decode_ms']} ms (cpu "
          f"{live['mean_decode_cpu_ms']}), latency median "
          f"{live['latency_median_ms']} p95 {live['latency_p95_ms']} max {live['max_latency_ms']} ms, labels "
          f"{live['labels_read']}/{live['labels_shown']}", flush=True)  # fmt: skip
    z = out["zxing_720p"]
    out["targets"] = {
        "read_rate_ge_97pct": z["read_rate"] >= 0.97,
        "first_pass_720p_median_le_15ms": z["first_pass"]["median_ms"] <= 15,
        "first_pass_720p_cpu_median_le_15ms": z["first_pass_cpu"]["median_ms"] <= 15,
        "live_keeps_up_30fps": live["keeps_up"],
    }
    out["load_average_1min"] = round(os.getloadavg()[0], 2)  # other work on the machine inflates wall times
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
