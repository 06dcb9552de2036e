"""Radio benchmarks: parser throughput, and how long the installer waits for the 7.1A network test.

- AT reply parser: a cellular survey's real reply transcript (echo, URCs inside responses) fed in 64-byte
  chunks, replies parsed per second.
- Dongle line decoder: lines decoded per second.
- The network test of UC134 7.1A.2 at real timing (scale 1.0) against the simulated radios on loopback:
  open, survey (2 s dwell for the dongles), link test of 10 packets, the meter's status, network time, per
  technology — the installer's wait at the meter.

Runs alone: ``.venv/bin/python bench/radio.py``; ends with one JSON line.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fieldtool.clock import Clock  # noqa: E402
from fieldtool.domain.coverage import RadioSettings  # noqa: E402
from fieldtool.protocols.at import AtSession, CommandDone  # noqa: E402
from fieldtool.protocols.dongle import LineDecoder, Message, encode  # noqa: E402
from fieldtool.radio.registry import discover  # noqa: E402
from fieldtool.services.network_test import MeterAtHand, run_network_test  # noqa: E402
from firmware_sim.radios.cli import start_radios  # noqa: E402
from firmware_sim.radios.setup import build_world  # noqa: E402

SURVEY = [
    ("AT+CSQ", b"AT+CSQ\r\r\n+CSQ: 21,99\r\n\r\nOK\r\n"),
    ("AT+CESQ", b"AT+CESQ\r\r\n+CESQ: 99,99,255,255,20,45\r\n\r\n+CEREG: 1,\"1A2B\",\"01A2D103\",7\r\n\r\nOK\r\n"),
    ("AT+CREG?", b"AT+CREG?\r\r\n+CREG: 2,1,\"1A2B\",\"01A2D103\",7\r\n\r\nOK\r\n"),
    ("AT+CEREG?", b"AT+CEREG?\r\r\n+CEREG: 2,1,\"1A2B\",\"01A2D103\",7\r\n\r\nOK\r\n"),
    ("AT+COPS?", b"AT+COPS?\r\r\n+COPS: 0,0,\"Northwind Mobile\",7\r\n\r\nOK\r\n"),
    ("AT+CGATT?", b"AT+CGATT?\r\r\n+CGATT: 1\r\n\r\nOK\r\n"),
]


def at_parser(rounds: int = 3000) -> dict:
    s = AtSession()
    replies = 0
    nbytes = 0
    t0 = time.perf_counter()
    for _ in range(rounds):
        for command, reply in SURVEY:
            s.command(command)
            for i in range(0, len(reply), 64):
                s.receive_data(reply[i:i + 64])
            nbytes += len(reply)
            while (e := s.next_event()) is not None:
                replies += isinstance(e, CommandDone)
    dt = time.perf_counter() - t0
    return {"replies_per_s": round(replies / dt), "mbytes_per_s": round(nbytes / dt / 1e6, 2)}


def dongle_decoder(n: int = 50000) -> dict:
    line = encode(Message("12", "NODE", {"id": "C-101", "role": "collector", "rssi": "-79.1", "lqi": "238",
                                         "snr": "27.2", "hops": "0"}))
    blob = line * n
    d = LineDecoder()
    t0 = time.perf_counter()
    count = sum(len(d.feed(blob[i:i + 4096])) for i in range(0, len(blob), 4096))
    dt = time.perf_counter() - t0
    return {"lines_per_s": round(count / dt)}


def network_tests(repeats: int = 3) -> dict:
    world = build_world({}, clock=Clock(1.0))
    served = start_radios(world, {})
    found = discover()
    settings = RadioSettings(rf_mesh_port=served["rf_mesh"].url, plc_port=served["plc"].url,
                             gprs_port=served["gprs"].url)
    out = {}
    try:
        for tech in ("rf_mesh", "plc", "gprs"):
            times, verdict = [], None
            for _ in range(repeats):
                t0 = time.perf_counter()
                r = run_network_test(MeterAtHand(tech, "00124B00AABBCCDD", "AMI1"), settings=settings,
                                     discovery=found)
                times.append(time.perf_counter() - t0)
                verdict = r.verdict.value
            out[tech] = {"median_s": round(statistics.median(times), 2), "max_s": round(max(times), 2),
                         "verdict": verdict}
    finally:
        for s in served.values():
            s.stop()
    return out


if __name__ == "__main__":
    result = {"at_parser": at_parser(), "dongle_decoder": dongle_decoder(), "network_test": network_tests()}
    print(json.dumps(result))
