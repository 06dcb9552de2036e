"""The radio world the simulated dongles and modem live in: sites on a map, and path loss by distance.

Sites are RF-mesh collectors and relays, PLC concentrators and repeaters, and cellular base stations, each
at a latitude/longitude. The installer (with the dongle, standing at the meter) is at a position that comes
from a fixed setting or from a replayed NMEA log, so coverage changes as the installer moves — as it does.

Path loss models (each a textbook model with its usual parameters):
- RF mesh, 900 MHz ISM: log-distance, PL(d) = 31.7 dB + 10·n·log10(d / 1 m), n = 3.2 (suburban clutter),
  log-normal shadowing σ = 4 dB; noise floor −108 dBm; collectors radiate 36 dBm EIRP.
- PLC, CENELEC-A band on the low-voltage network: 12 dB coupling loss plus 0.05 dB per metre of cable, the
  cable 1.3 times the straight distance; transmit level 120 dBµV over a 60 dBµV noise floor.
- Cellular (LTE macro, 3GPP TR 36.942 urban): PL = 128.1 + 37.6·log10(d / 1 km); reference-signal power
  18 dBm per resource element plus 17 dBi antenna gain gives RSRP.
Shadowing is drawn from a generator seeded by the site and a ~50 m map cell, so one place always measures
the same (up to the small per-packet fading the devices add).
"""

from __future__ import annotations

import math
import random
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldtool.clock import Clock

EARTH_RADIUS_M = 6_371_000.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


def offset(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    return (
        lat + math.degrees(north_m / EARTH_RADIUS_M),
        lon + math.degrees(east_m / (EARTH_RADIUS_M * math.cos(math.radians(lat)))),
    )


@dataclass(frozen=True)
class Site:
    id: str
    technology: str  # rf_mesh, plc, gprs
    role: str  # collector, relay, concentrator, repeater, cell
    lat: float
    lon: float
    operator: str | None = None  # cellular: operator name
    plmn: str | None = None  # cellular: MCC+MNC
    area: str | None = None  # cellular: TAC/LAC, hex
    hops_to_ami: int = 0  # a relay or repeater is one more hop away than its collector


@dataclass(frozen=True)
class Link:
    site: Site
    distance_m: float
    rssi_dbm: float  # RF: received level; PLC: level in dBµV; cellular: RSRP
    snr_db: float
    loss_probability: float

    @property
    def lqi(self) -> int:
        return max(0, min(255, round(255 * (self.snr_db + 5) / 35)))


def _loss(snr_db: float, snr50: float, slope: float) -> float:
    """Packet error rate as a logistic of SNR (the waterfall curve of a coded link)."""
    return 1.0 / (1.0 + math.exp((snr_db - snr50) / slope))


@dataclass
class PositionSource:
    """Where the installer is: a fixed setting, or an NMEA log replayed at its 1 Hz pace (looping)."""

    lat: float
    lon: float
    accuracy_m: float = 5.0
    track: list[tuple[float, float, float]] = field(default_factory=list)  # (lat, lon, accuracy)
    clock: Clock = field(default_factory=Clock)
    started: float = 0.0

    @classmethod
    def from_nmea(cls, path: Path, clock: Clock) -> PositionSource:
        track = read_nmea_track(path)
        if not track:
            raise ValueError(f"{path} has no usable GGA fix")
        lat, lon, acc = track[0]
        return cls(lat, lon, acc, track, clock, clock.monotonic())

    def now(self) -> tuple[float, float, float]:
        if not self.track:
            return self.lat, self.lon, self.accuracy_m
        elapsed = (self.clock.monotonic() - self.started) / max(self.clock.scale, 1e-9)
        return self.track[int(elapsed) % len(self.track)]

    def move_to(self, lat: float, lon: float, accuracy_m: float = 5.0) -> None:
        self.track = []
        self.lat, self.lon, self.accuracy_m = lat, lon, accuracy_m


def read_nmea_track(path: Path) -> list[tuple[float, float, float]]:
    """The usable fixes of an NMEA 0183 log, decoded and gated by the tool's own GPS code
    (``fieldtool.devices.gps``: bad checksums and garbage skipped, accuracy estimated from quality and HDOP)."""
    from fieldtool.devices.gps import replay
    from fieldtool.domain.errors import InputError

    try:
        fixes = replay(path).fixes
    except InputError as e:
        raise ValueError(str(e)) from None
    return [(g.fix.lat, g.fix.lon, g.accuracy_m) for g in fixes if g.usable and g.accuracy_m is not None]


class RadioWorld:
    """Sites, the installer's position, faults, and what the AMI has received. Shared by every device view."""

    def __init__(self, sites: list[Site], position: PositionSource, *, seed: int = 134,
                 faults: dict[str, Any] | None = None, clock: Clock | None = None):
        self.sites = sites
        self.position = position
        self.seed = seed
        self.faults = dict(faults or {})
        self.clock = clock or Clock()
        self.lock = threading.Lock()
        self.soft_registrations: list[dict[str, Any]] = []
        self.log_path: Path | None = None

    def site(self, site_id: str) -> Site | None:
        return next((s for s in self.sites if s.id == site_id), None)

    def _shadow(self, site: Site, lat: float, lon: float, sigma: float) -> float:
        cell = (round(lat * 2000), round(lon * 2000))  # ~55 m by ~40 m map cells
        return random.Random(f"{self.seed}:{site.id}:{cell}").gauss(0.0, sigma)

    def up(self, site: Site) -> bool:
        return site.id not in set(self.faults.get("down", ()))

    def link(self, site: Site, lat: float, lon: float) -> Link:
        d = max(1.0, distance_m(lat, lon, site.lat, site.lon))
        shadow = self._shadow(site, lat, lon, 4.0 if site.technology != "plc" else 2.0)
        if site.technology == "rf_mesh":
            rssi = 36.0 - (31.7 + 32.0 * math.log10(d)) + shadow
            snr = rssi + 108.0
            return Link(site, d, round(rssi, 1), round(snr, 1), _loss(snr, 6.0, 1.5))
        if site.technology == "plc":
            level = 120.0 - (12.0 + 0.05 * 1.3 * d) + shadow  # dBµV
            snr = level - 60.0
            return Link(site, d, round(level, 1), round(snr, 1), _loss(snr, 2.0, 1.2))
        rsrp = 35.0 - (128.1 + 37.6 * math.log10(d / 1000.0)) + shadow
        snr = rsrp + 124.0  # thermal noise per 15 kHz RE (-132 dBm) plus an 8 dB receiver noise figure
        return Link(site, d, round(rsrp, 1), round(snr, 1), _loss(snr, -3.0, 1.5))

    def links(self, technology: str) -> list[Link]:
        """Every working site of a technology, as heard from the installer's position, strongest first."""
        lat, lon, _ = self.position.now()
        out = [self.link(s, lat, lon) for s in self.sites if s.technology == technology and self.up(s)]
        return sorted(out, key=lambda k: k.snr_db, reverse=True)

    def path_to_ami(self, technology: str) -> tuple[list[Link], float]:
        """The best route from the installer to a collector (directly or through one relay) and its
        end-to-end delivery probability; none when even the best would lose most packets (a mesh node
        cannot join a route whose beacons it hears less than one time in ten)."""
        heard = self.links(technology)
        best: tuple[list[Link], float] = ([], 0.0)
        for first in heard:
            if first.site.role in ("collector", "concentrator"):
                ok = 1 - first.loss_probability
                if ok > best[1]:
                    best = ([first], ok)
                continue
            for head in (s for s in self.sites if s.technology == technology and self.up(s)):
                if head.role not in ("collector", "concentrator"):
                    continue
                # Relays are mounted high and near their collector; their uplink is the site-to-site link.
                up = self.link(head, first.site.lat, first.site.lon)
                ok = (1 - first.loss_probability) * (1 - _loss(up.snr_db + 10.0, 6.0, 1.5))
                if ok > best[1]:
                    best = ([first, up], ok)
        return best if best[1] >= 0.1 else ([], 0.0)

    def receive_soft_registration(self, record: dict[str, Any]) -> None:
        with self.lock:
            self.soft_registrations.append(record)
            if self.log_path is not None:
                import json

                with self.log_path.open("a", encoding="utf-8") as f:
                    f.write(json.dumps(record) + "\n")


def default_sites(lat: float, lon: float) -> list[Site]:
    """A small town's worth of infrastructure around (lat, lon): what the demo and the tests walk through."""

    def at(north: float, east: float) -> tuple[float, float]:
        return offset(lat, lon, north, east)

    return [
        Site("C-101", "rf_mesh", "collector", *at(280, 290)),
        Site("R-17", "rf_mesh", "relay", *at(-150, -880), hops_to_ami=1),
        Site("C-205", "rf_mesh", "collector", *at(-2500, -300)),
        Site("DC-7", "plc", "concentrator", *at(40, 140)),
        Site("DC-9", "plc", "concentrator", *at(700, -60)),
        Site("RP-3", "plc", "repeater", *at(-380, 20), hops_to_ami=1),
        Site("01A2D103", "gprs", "cell", *at(-850, -850), operator="Northwind Mobile", plmn="302720", area="1A2B"),
        Site("01A2E207", "gprs", "cell", *at(3200, 2600), operator="Northwind Mobile", plmn="302720", area="1A2C"),
    ]
