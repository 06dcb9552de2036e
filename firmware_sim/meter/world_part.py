"""The meters of ``python -m firmware_sim world``: one simulated meter per profile, round-robin."""

from __future__ import annotations

from firmware_sim.meter.profiles import PROFILES
from firmware_sim.meter.server import MeterOptions, MeterServer


def start(ctx) -> dict:
    meters = []
    names = [n for n, p in PROFILES.items() if p.protocol == "c1218"]
    for i in range(max(0, int(getattr(ctx, "meters", len(names))))):
        name = names[i % len(names)]
        state = ctx.base_dir / f"meter-{i}-{name}.json"
        server = MeterServer(PROFILES[name], state, MeterOptions(serial=f"{90000000 + i:08d}"))
        url = server.listen_socket(getattr(ctx, "host", "127.0.0.1"), 0)
        ctx.on_stop(server.stop)
        meters.append({"profile": name, "url": url, "state_file": str(state)})
    return {"meters": meters}
