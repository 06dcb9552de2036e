"""Building the simulated radio world from settings: a JSON or TOML file, a position or an NMEA log.

A world file (every key optional)::

    {"position": {"lat": 36.7578, "lon": -119.8163, "accuracy_m": 4},   # or "nmea": "track.nmea"
     "sites": [{"id": "C-101", "technology": "rf_mesh", "role": "collector", "lat": ..., "lon": ...}, ...],
     "faults": {"down": ["C-101"]},
     "modem": {"sim": "absent", "registration": "denied", "signal_dbm": -118, "ignore": ["+COPS"]},
     "rf_mesh": {"meters": {"00124B00AABBCCDD": "dead"}, "join_delay_s": 30},
     "plc": {"garbage": true}}

Without sites, ``default_sites`` places a small town's collectors, relays, concentrators and cells around
the starting position.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path
from typing import Any

from fieldtool.clock import Clock
from firmware_sim.radios.dongle import DongleConfig
from firmware_sim.radios.modem import ModemConfig
from firmware_sim.radios.world import PositionSource, RadioWorld, Site, default_sites

DEFAULT_POSITION = (36.757815, -119.816310)  # the demo district (resources/demo/work-orders.json, Fresno)


def load_world_file(path: Path) -> dict[str, Any]:
    text = Path(path).read_text(encoding="utf-8")
    return tomllib.loads(text) if str(path).endswith(".toml") else json.loads(text)


def _fields(cls, data: dict[str, Any], where: str):
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise ValueError(f"{where}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return cls(**data)


def build_world(spec: dict[str, Any] | None = None, *, clock: Clock | None = None, nmea: Path | None = None,
                position: tuple[float, float] | None = None, base: Path | None = None) -> RadioWorld:
    spec = dict(spec or {})
    clock = clock or Clock()
    pos = spec.get("position", {})
    track = nmea or (Path(base or ".") / pos["nmea"] if pos.get("nmea") else None)
    if track is not None:
        source = PositionSource.from_nmea(Path(track), clock)
    else:
        lat, lon = position or (pos.get("lat", DEFAULT_POSITION[0]), pos.get("lon", DEFAULT_POSITION[1]))
        source = PositionSource(float(lat), float(lon), float(pos.get("accuracy_m", 5.0)), clock=clock)
    sites = [_fields(Site, s, "site") for s in spec.get("sites", [])] or default_sites(*source.now()[:2])
    world = RadioWorld(sites, source, faults=spec.get("faults", {}), clock=clock, seed=int(spec.get("seed", 134)))
    return world


def modem_config(spec: dict[str, Any]) -> ModemConfig:
    return _fields(ModemConfig, spec.get("modem", {}), "modem")


def dongle_config(spec: dict[str, Any], technology: str) -> DongleConfig:
    data = {"model": "FD-900" if technology == "rf_mesh" else "FP-60",
            "address": "00124B0001F00D01" if technology == "rf_mesh" else "00124B0001F0AC01",
            **spec.get(technology, {}), "technology": technology}
    return _fields(DongleConfig, data, technology)
