"""``python -m firmware_sim radios``: a simulated cellular modem and RF-mesh / PLC dongles, on loopback
TCP (``socket://``) or on ptys; prints one JSON object with their addresses and runs until interrupted."""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path

from fieldtool.clock import Clock
from firmware_sim.radios.dongle import DongleSim
from firmware_sim.radios.modem import ModemSim
from firmware_sim.radios.setup import build_world, dongle_config, load_world_file, modem_config
from firmware_sim.radios.transport import serve_pty, serve_socket

KINDS = ("gprs", "rf_mesh", "plc")


def register(sub) -> None:
    p = sub.add_parser("radios", help="simulated cellular modem and RF-mesh / PLC field dongles",
                       description=__doc__)
    p.add_argument("--only", action="append", choices=KINDS, help="start only these radios (repeatable)")
    p.add_argument("--pty", action="store_true", help="serve on ptys (serial device paths) instead of TCP")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--world", type=Path, help="world file (JSON or TOML): sites, position, faults, device settings")
    p.add_argument("--nmea", type=Path, help="replay this NMEA log as the installer's position (1 Hz, looping)")
    p.add_argument("--position", help="LAT,LON of the installer (instead of an NMEA log)")
    p.add_argument("--scale", type=float, default=1.0, help="multiply every device delay by this")
    p.set_defaults(run=run)


def start_radios(world, spec: dict, *, kinds=KINDS, pty: bool = False, host: str = "127.0.0.1") -> dict:
    """Start each radio; returns ``{kind: Served}``."""
    makers = {
        "gprs": lambda: ModemSim(world, modem_config(spec)),
        "rf_mesh": lambda: DongleSim(world, dongle_config(spec, "rf_mesh")),
        "plc": lambda: DongleSim(world, dongle_config(spec, "plc")),
    }
    return {k: (serve_pty(makers[k]) if pty else serve_socket(makers[k], host)) for k in kinds}


def run(args) -> int:
    try:
        spec = load_world_file(args.world) if args.world else {}
        position = tuple(float(v) for v in args.position.split(",")) if args.position else None
        if position is not None and len(position) != 2:
            raise ValueError("--position is LAT,LON")
        world = build_world(spec, clock=Clock(args.scale), nmea=args.nmea, position=position,
                            base=args.world.parent if args.world else None)
        modem_config(spec), dongle_config(spec, "rf_mesh"), dongle_config(spec, "plc")  # refuse bad settings now
    except (OSError, ValueError, TypeError) as e:
        print(f"firmware_sim radios: {e}", file=sys.stderr)
        return 2
    served = start_radios(world, spec, kinds=tuple(args.only or KINDS), pty=args.pty, host=args.host)
    lat, lon, acc = world.position.now()
    print(json.dumps({"radios": [{"plugin": k, "url": s.url} for k, s in served.items()],
                      "position": {"lat": lat, "lon": lon, "accuracy_m": acc},
                      "sites": [{"id": s.id, "technology": s.technology, "role": s.role, "lat": s.lat, "lon": s.lon}
                                for s in world.sites]}), flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: done.set())
    try:
        done.wait()
    except KeyboardInterrupt:
        pass
    for s in served.values():
        s.stop()
    return 0
