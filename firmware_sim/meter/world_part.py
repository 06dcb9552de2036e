"""The meters of ``python -m firmware_sim world``: one simulated meter per ANSI profile, round-robin,
numbered like the demo's stock (72600101, ...) and powered up at their first optical contact (when the
installer sets them). Reporting them to the back office's head-end is the world's ``HeadEndBridge``, which
reads the state files named here."""

from __future__ import annotations

from firmware_sim.meter.profiles import PROFILES
from firmware_sim.meter.server import MeterOptions, MeterServer


def start(ctx) -> dict:
    meters = []
    names = [n for n, p in PROFILES.items() if p.protocol == "c1218"]
    for i in range(max(0, int(getattr(ctx, "meters", len(names))))):
        name = names[i % len(names)]
        state = ctx.base_dir / f"meter-{i}-{name}.json"
        options = MeterOptions(serial=f"{90000000 + i:08d}", meter_id=f"726001{i + 1:02d}", power_up="first-contact")
        server = MeterServer(PROFILES[name], state, options)
        url = server.listen_socket(getattr(ctx, "host", "127.0.0.1"), 0)
        ctx.on_stop(server.stop)
        meters.append({"profile": name, "url": url, "meter_id": server.shared.state.meter_id, "state_file": str(state)})
    return {"meters": meters}
