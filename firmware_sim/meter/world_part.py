"""The meters of ``python -m firmware_sim world``: one simulated meter per profile, round-robin, numbered
like the demo's issued stock (72600101, ...). When the world has a back office, each meter that registers
on the (simulated) AMI network is reported to its head-end, as a real head-end would hear it."""

from __future__ import annotations

import logging
import threading

from fieldtool.protocols.c1219 import mfg
from firmware_sim.meter.profiles import PROFILES
from firmware_sim.meter.server import MeterOptions, MeterServer
from firmware_sim.meter.state import utc

log = logging.getLogger("firmware_sim.meter.world")


def start(ctx) -> dict:
    meters, servers = [], []
    names = [n for n, p in PROFILES.items() if p.protocol == "c1218"]
    for i in range(max(0, int(getattr(ctx, "meters", len(names))))):
        name = names[i % len(names)]
        state = ctx.base_dir / f"meter-{i}-{name}.json"
        number = f"726001{i + 1:02d}"
        server = MeterServer(PROFILES[name], state, MeterOptions(serial=f"{90000000 + i:08d}", meter_id=number,
                                                               power_up="first-contact"))
        url = server.listen_socket(getattr(ctx, "host", "127.0.0.1"), 0)
        ctx.on_stop(server.stop)
        servers.append(server)
        ctx.meter_servers = [*getattr(ctx, "meter_servers", []), server]  # the HAN head-end reaches their ESIs
        meters.append({"profile": name, "url": url, "meter_id": server.shared.state.meter_id, "state_file": str(state)})
    if getattr(ctx, "backoffice_url", None) and hasattr(ctx, "report_registration"):
        stop = threading.Event()
        ctx.on_stop(stop.set)
        threading.Thread(target=_report_registrations, args=(ctx, servers, stop), daemon=True,
                         name="meters→head-end").start()  # fmt: skip
    return {"meters": meters}


def _report_registrations(ctx, servers: list[MeterServer], stop: threading.Event) -> None:
    reported: set[str] = set()
    while not stop.wait(0.5):
        for srv in servers:
            with srv.shared.lock:
                st = srv.shared.state
                if st.meter_id in reported or srv.shared.started is None:
                    continue
                ns = srv.tables.registration_now()
                if mfg.REGISTRATION_STATES.get(ns["state"]) != "registered":
                    continue
                rec = st.install_record
                now = srv.shared.started + srv.shared.elapsed()
                delivered, received, _ = st.energy(srv.profile, now)
                at = utc(st.meter_time(now)).isoformat()
                fields = {
                    "form": srv.profile.form, "program_id": st.program.get("program_id"),
                    "comm_address": ns["comm_address"].hex().upper(), "technology": "rf_mesh",
                    "position": {"lat": rec["latitude_e7"] / 1e7, "lon": rec["longitude_e7"] / 1e7}
                    if rec.get("latitude_e7") else None,
                    "reads": [{"register": "kwh_delivered", "value": round(delivered / 1000, 3), "unit": "kWh",
                               "read_at": at},
                              {"register": "kwh_received", "value": round(received / 1000, 3), "unit": "kWh",
                               "read_at": at}],
                }  # fmt: skip
                number = st.meter_id
            try:
                ctx.report_registration(number, **fields)
                reported.add(number)
            except Exception as e:  # the back office may be down: the head-end tries again next round
                log.info("head-end report of %s failed: %s", number, e)
