"""What a simulated meter remembers between sessions, kept in a JSON file.

Energy accumulates with (simulated) wall time from the state's base values at the profile's average load,
so every read shows a meter that is running. The clock is the host's clock plus an offset (SP10 changes it)
plus an optional drift. Everything an installer writes (ST5, ST6, installation record, program, HAN join
list) and the service switch's position are stored here and survives a restart of the simulator.
"""

from __future__ import annotations

import json
import os
import threading
import time
import zlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from firmware_sim.meter.profiles import Profile

PASSWORDS = {  # level -> default 20-byte password (ASCII, padded with ASCII '0' like MSDK's default)
    1: "READER".ljust(20, "0"),
    2: "INSTALLER".ljust(20, "0"),
    3: "MASTER".ljust(20, "0"),
}


@dataclass
class MeterState:
    serial: str = "00000000"
    meter_id: str = ""
    st6: dict = field(default_factory=dict)
    wh_delivered: float = 0.0
    wh_received: float = 0.0
    varh: float = 0.0
    energy_base_time: float = 0.0  # epoch seconds the base values refer to
    max_demand_w: float = 0.0
    demand_resets: int = 0
    clock_offset_s: float = 0.0
    clock_drift_ppm: float = 0.0
    clock_set_time: float = 0.0
    std_status: int = 0
    mode: int = 1  # metering
    program: dict = field(default_factory=dict)
    pending_program: dict = field(default_factory=dict)  # written to program load, not yet activated
    install_record: dict = field(default_factory=dict)
    events: list = field(default_factory=list)  # [epoch s, code, arg]
    signal_log: list = field(default_factory=list)  # [epoch s, rssi, lqi]
    han_join_list: dict = field(default_factory=lambda: {"permit_join_s": 0, "entries": []})
    han_devices: list = field(default_factory=list)
    pulse_outputs: list = field(default_factory=list)
    passwords: dict = field(default_factory=lambda: {str(k): v for k, v in PASSWORDS.items()})
    comm_address: str = ""
    iec: dict = field(default_factory=dict)  # an IEC 62056-21 meter's registers and installer fields
    switch: dict = field(default_factory=dict)  # the service switch (firmware_sim/meter/switch.py); {} = as shipped

    @classmethod
    def fresh(cls, profile: Profile, serial: str | None = None) -> MeterState:
        """A meter as it leaves the factory: default program (I1FR19), no installation data."""
        now = time.time()
        serial = serial or f"{zlib.crc32(profile.name.encode()) % 10**8:08d}"
        return cls(
            serial=serial,
            meter_id=serial[-8:],
            wh_delivered=1234.0,
            energy_base_time=now,
            clock_set_time=now,
            program={"program_id": f"{profile.manufacturer}-DEFAULT", "program_crc": 0x1D0F, "factory_default": 1,
                     "loaded_at": None, "demand_interval_min": 15, "subintervals": 1, "lp_interval_min": 15,
                     "entries": []},  # fmt: skip
            st6={"owner_name": "", "tariff_id": "DEFAULT"},
            comm_address=f"0013A200{int(serial) % 0xFFFFFFFF:08X}",
            pulse_outputs=[{"source_index": s, "wh_per_pulse_x100": w, "enabled": 1} for s, w in profile.pulse_outputs],
            events=[[now, 1, 0]],
        )

    # -- persistence -----------------------------------------------------------------------------
    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def load(cls, path: Path, profile: Profile) -> MeterState:
        if not path.exists():
            return cls.fresh(profile)
        data = json.loads(path.read_text(encoding="utf-8"))
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})

    def save(self, path: Path | None) -> None:
        if path is None:
            return
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=1, default=str), encoding="utf-8")
        os.replace(tmp, path)  # atomic: a killed simulator never leaves half a state file

    # -- running quantities ----------------------------------------------------------------------
    def energy(self, profile: Profile, now: float) -> tuple[float, float, float]:
        hours = max(0.0, now - self.energy_base_time) / 3600.0
        return (self.wh_delivered + profile.delivered_kw * 1000 * hours,
                self.wh_received + profile.received_kw * 1000 * hours,
                self.varh + profile.kvar * 1000 * hours)  # fmt: skip

    def meter_time(self, now: float) -> float:
        return now + self.clock_offset_s + (now - self.clock_set_time) * self.clock_drift_ppm / 1e6

    def set_meter_time(self, meter_epoch: float, now: float) -> None:
        self.clock_offset_s = meter_epoch - now
        self.clock_set_time = now

    def log(self, now: float, code: int, arg: int = 0, keep: int = 50) -> None:
        self.events.append([now, code, arg])
        del self.events[:-keep]


class SharedState:
    """The state with the lock every connection takes before touching it (one meter, many sessions)."""

    def __init__(self, profile: Profile, path: Path | None, *, serial: str | None = None, meter_id: str | None = None):
        self.profile = profile
        self.path = path
        self.lock = threading.RLock()
        fresh = not (path and path.exists())
        self.state = MeterState.fresh(profile, serial) if fresh else MeterState.load(path, profile)
        if fresh and meter_id:
            self.state.meter_id = meter_id
        self.started: float | None = None  # power-up (see MeterOptions.power_up)
        self.save()

    def power_up(self) -> None:
        if self.started is None:
            self.started = time.time()

    def elapsed(self) -> float:
        """Seconds since power-up (0 before it)."""
        return 0.0 if self.started is None else time.time() - self.started

    def save(self) -> None:
        with self.lock:
            self.state.save(self.path)


def utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)
