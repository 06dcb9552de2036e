"""Vendor profiles of the simulated meters: where real meters differ, these differ.

Data order, string vs BCD ids, time format, packet-size and baud limits, the standard tables and procedures
supported, the manufacturer-table numbers (``fieldtool.protocols.c1219.mfg.MFG_MAPS``), the status flags a
model monitors, and the metering itself (single-phase residential vs polyphase CT-rated commercial with VAR,
power factor, demand and pulse outputs), and the service (disconnect) switch residential meters carry with the
time its relay takes to move (the CT-rated meter has none). ``PROFILES`` holds the ANSI C12.18 meters; ``OTHER_PROTOCOLS`` the
IEC 62056-21 one (hosted by ``iec_host``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldtool.protocols.c1219.registers import Uom
from fieldtool.protocols.c1219.st0 import GenConfig
from fieldtool.protocols.c1219.standard import flag_mask

RESIDENTIAL_UOMS = (
    Uom(0, 0, 0, q1=True, q4=True),  # 0 Wh delivered
    Uom(0, 0, 0, q2=True, q3=True),  # 1 Wh received
    Uom(0, 2, 0, q1=True, q4=True),  # 2 W demand delivered
    Uom(0, 2, 0, q2=True, q3=True),  # 3 W demand received
)
COMMERCIAL_UOMS = RESIDENTIAL_UOMS + (
    Uom(1, 0, 0, q1=True, q2=True),  # 4 varh delivered (Q1+Q2)
    Uom(1, 0, 0, q3=True, q4=True),  # 5 varh received (Q3+Q4)
    Uom(2, 0, 0, q1=True, q4=True),  # 6 VAh delivered
)


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    protocol: str = "c1218"
    manufacturer: str = "ACME"
    model: str = "R1"
    hw: tuple[int, int] = (1, 0)
    fw: tuple[int, int] = (1, 0)
    config: GenConfig = field(default_factory=GenConfig)
    max_packet_size: int = 256
    max_nbr_packets: int = 4
    bauds: tuple[int, ...] = (9600,)
    turnaround_s: float = 0.010  # processing time before each transmission
    form: str = "2S"
    meter_class: int = 200
    voltage: tuple[int, int] = (240, 240)
    wiring: int = 1
    test_amps_x10: int = 300
    kh_x100: int = 720
    elements: int = 1
    ct_rated: bool = False
    status_monitored: int = 0x3FFF
    uoms: tuple[Uom, ...] = RESIDENTIAL_UOMS
    summations: tuple[int, ...] = (0, 1)  # ST22 source indices
    demands: tuple[int, ...] = (2, 3)
    nbr_tiers: int = 0
    delivered_kw: float = 1.2  # average load
    received_kw: float = 0.35  # rooftop solar back-feed
    kvar: float = 0.0
    pulse_outputs: tuple[tuple[int, int], ...] = ()  # (source index, Wh per pulse x100)
    identity_feature: bool = False  # Identify feature 0x07 (device identity)
    switch_settle_s: float | None = None  # service (disconnect) switch: time the relay takes to move; None = none

    @property
    def packet_limits(self) -> tuple[int, int]:
        return self.max_packet_size, self.max_nbr_packets


def _std(*extra: int) -> frozenset[int]:
    return frozenset({0, 1, 3, 5, 6, 7, 8, 12, 21, 22, 23, 52, *extra})


PROFILES: dict[str, Profile] = {}


def _add(p: Profile) -> None:
    PROFILES[p.name] = p


_add(Profile(
    name="acme-r1",
    description="ACME R1 residential 2S, LSB-first, string ids, UINT8 time fields, 256-byte packets, up to 19200 baud",
    manufacturer="ACME", model="R1-2S", fw=(3, 2),
    config=GenConfig(data_order=0, char_format=1, tm_format=2, data_access_method=3, id_form=0, ni_format1=8,
                     ni_format2=8, std_tbls_used=_std(55), mfg_tbls_used=frozenset(range(14)),
                     std_tbls_write=frozenset({5, 6, 7}), mfg_tbls_write=frozenset({1, 4, 7, 11}),
                     std_proc_used=frozenset({6, 7, 8, 10, 11}), mfg_proc_used=frozenset({1, 2})),
    max_packet_size=256, max_nbr_packets=4, bauds=(9600, 14400, 19200), identity_feature=True,
    switch_settle_s=0.8,
))  # fmt: skip
_add(Profile(
    name="borealis-rx",
    description="Borealis RX residential 2S, MSB-first, BCD ids, BCD time, 128-byte packets, 9600 only; "
    "no battery, so low_battery is not monitored; no ST55",
    manufacturer="BORX", model="RX-200", fw=(7, 11), hw=(2, 1),
    config=GenConfig(data_order=1, char_format=2, tm_format=1, data_access_method=1, id_form=1, ni_format1=9,
                     ni_format2=7, dim_mfg_tbls_used=10, std_tbls_used=_std(),
                     mfg_tbls_used=frozenset(range(64, 78)), std_tbls_write=frozenset({6, 7}),
                     mfg_tbls_write=frozenset({65, 68, 71, 75}), std_proc_used=frozenset({7, 10}),
                     mfg_proc_used=frozenset({1, 2})),
    max_packet_size=128, max_nbr_packets=2, bauds=(9600,), turnaround_s=0.015, switch_settle_s=1.5,
    status_monitored=0x3FFF & ~flag_mask(["low_battery", "demand_overload"]),
))  # fmt: skip
_add(Profile(
    name="cirrus-ct",
    description="Cirrus CX polyphase CT-rated 9S commercial: kWh/kvarh/kVAh both ways, PF, demand with tiers, "
    "pulse outputs; LSB-first, string ids, UINT32-minutes time, 1024-byte packets, up to 57600 baud",
    manufacturer="CIRR", model="CX-9S", fw=(12, 4), hw=(4, 0),
    config=GenConfig(data_order=0, char_format=1, tm_format=3, data_access_method=3, id_form=0, ni_format1=0,
                     ni_format2=1, dim_mfg_tbls_used=18, dim_mfg_status_used=2, std_tbls_used=_std(55),
                     mfg_tbls_used=frozenset({110, 112, 114, 116, 118, 120, 122, 124, 126, 128, 130, 132, 134, 140, 141}),
                     std_tbls_write=frozenset({6, 7}), mfg_tbls_write=frozenset({112, 118, 124, 132, 140}),
                     std_proc_used=frozenset({6, 7, 8, 10, 11}), mfg_proc_used=frozenset({1})),
    max_packet_size=1024, max_nbr_packets=8, bauds=(9600, 19200, 38400, 57600), turnaround_s=0.008,
    form="9S", meter_class=20, voltage=(120, 480), wiring=3, test_amps_x10=25, kh_x100=180, elements=3,
    ct_rated=True, uoms=COMMERCIAL_UOMS, summations=(0, 1, 4, 5, 6), demands=(2, 3), nbr_tiers=2,
    delivered_kw=42.0, received_kw=6.5, kvar=11.0, pulse_outputs=((0, 1000), (4, 1000)),
))  # fmt: skip
# Other protocols are kept apart from the ANSI profiles (callers iterate PROFILES for C12.18 meters).
OTHER_PROTOCOLS: dict[str, Profile] = {}
OTHER_PROTOCOLS["ftk-iec3p"] = (Profile(
    name="ftk-iec3p",
    protocol="iec62056-21",
    description="FTk IEC 62056-21 mode C polyphase meter (3P4W 230/400 V): readout and programming mode with "
    "password, R1/W1 of the installer fields; 300 baud sign-on, up to 9600",
    manufacturer="FTk", model="FT-IEC 3P", fw=(2, 4), bauds=(300, 1200, 2400, 4800, 9600), form="",
    wiring=3, elements=3,
))  # fmt: skip
ALL_PROFILES = {**PROFILES, **OTHER_PROTOCOLS}


def get(name: str) -> Profile:
    try:
        return ALL_PROFILES[name]
    except KeyError:
        raise SystemExit(f"unknown meter profile {name!r}; known: {', '.join(sorted(ALL_PROFILES))}") from None


def describe() -> list[dict]:
    return [
        {"name": p.name, "protocol": p.protocol, "manufacturer": p.manufacturer, "model": p.model, "form": p.form,
         "description": p.description, "bauds": list(p.bauds), "max_packet_size": p.max_packet_size,
         "data_order": "msb_first" if p.config.data_order else "lsb_first",
         "id_form": "bcd" if p.config.id_form else "string", "tm_format": p.config.tm_format}
        for p in ALL_PROFILES.values()
    ]  # fmt: skip
