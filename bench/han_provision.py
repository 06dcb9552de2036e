"""HAN provisioning through the optical port against the simulated meter at real wire speed (9600 baud,
pacing on): the time the installer waits, set against I1NFR5 (10 s per authenticated message exchange).

Run: .venv/bin/python bench/han_provision.py   — ends with one JSON line of figures.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fieldtool.devices.han import OpticalHanTransport  # noqa: E402
from fieldtool.devices.han_settings import HanSettings  # noqa: E402
from fieldtool.devices.meter import MeterLink  # noqa: E402
from fieldtool.services.han import DeviceRequest, HanService  # noqa: E402
from fieldtool.store.db import open_store  # noqa: E402
from firmware_sim.han.devices import demo_premises  # noqa: E402
from firmware_sim.meter import profiles  # noqa: E402
from firmware_sim.meter.server import MeterOptions, MeterServer  # noqa: E402

PCT, LCS = "00137A0000A1B201", "00137A0000A1B203"


def main() -> dict:
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        srv = MeterServer(profiles.get("acme-r1"), None, MeterOptions(pacing=True, han=demo_premises()))
        url = srv.listen_socket()
        link = MeterLink(url, password=b"INSTALLER".ljust(20, b"0"))
        store = open_store(Path(tmp) / "bench.db")
        settings = HanSettings(poll_interval_s=0.25)
        svc, t = HanService(store, settings=settings), OpticalHanTransport(link, settings)
        try:
            t0 = time.perf_counter()
            link.open()
            out["session_open_s"] = round(time.perf_counter() - t0, 3)
            t0 = time.perf_counter()
            found = svc.discover("BENCH", t)
            out["discover_s"] = round(time.perf_counter() - t0, 3)
            out["devices_found"] = len(found["devices"])
            t0 = time.perf_counter()
            a = svc.provision("BENCH", t, [DeviceRequest(PCT, None, ("price", "messaging"))], meter_number="1")[0]
            out["push_two_programs_joined_device_s"] = round(time.perf_counter() - t0, 3)
            t0 = time.perf_counter()
            b = svc.provision("BENCH", t, [DeviceRequest(LCS, "1234567890ABBA9E", ("load_control",))],
                              meter_number="1")[0]
            out["join_and_push_new_device_s"] = round(time.perf_counter() - t0, 3)
            out["simulated_join_delay_s"] = 2.0
            out["outcomes"] = [a.readiness.rung.value, b.readiness.rung.value]
            out["baud"] = link.session.c.baud if link.session else None
        finally:
            link.close()
            store.close()
            srv.stop()
    return out


if __name__ == "__main__":
    print(json.dumps(main()))
