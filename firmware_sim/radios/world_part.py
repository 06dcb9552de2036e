"""The radios' part of ``python -m firmware_sim world``: a modem, an RF-mesh and a PLC dongle on loopback.

The installer's position is replayed from a demo NMEA log when one is in the repository (``*.nmea`` under
``resources/`` or ``firmware_sim/``), else fixed at the demo district; soft-registrations the AMI receives
through a dongle are appended to ``radios/soft-registrations.jsonl`` in the world's folder.
"""

from __future__ import annotations

from pathlib import Path

from firmware_sim.radios.cli import start_radios
from firmware_sim.radios.setup import build_world

REPO = Path(__file__).resolve().parents[2]


def demo_nmea() -> Path | None:
    for folder in (REPO / "resources", REPO / "firmware_sim"):
        logs = sorted(folder.rglob("*.nmea")) if folder.is_dir() else []
        if logs:
            return logs[0]
    return None


def start(ctx) -> dict:
    track = demo_nmea()
    try:
        world = build_world({}, nmea=track)
    except ValueError:  # a log without a usable fix: fall back to the fixed demo position
        world = build_world({})
    folder = Path(ctx.base_dir) / "radios"
    folder.mkdir(parents=True, exist_ok=True)
    world.log_path = folder / "soft-registrations.jsonl"
    served = start_radios(world, {}, host=getattr(ctx, "host", "127.0.0.1"))
    for s in served.values():
        ctx.on_stop(s.stop)
    lat, lon, accuracy = world.position.now()
    return {"radios": [{"plugin": k, "url": s.url} for k, s in served.items()],
            "soft_registrations": str(world.log_path),
            "position": {"nmea_log": str(track) if world.position.track else None, "lat": lat, "lon": lon,
                         "accuracy_m": accuracy}}
