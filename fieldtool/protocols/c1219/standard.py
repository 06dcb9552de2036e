"""Standard tables an installer tool reads: ST1, ST3, ST5, ST6, ST52, ST55 (ansi-c12.md §3.2–3.6).

Each codec takes the meter's ``Format`` (from ST0). Decoders accept a longer table than the layout
(later editions append fields) and refuse a shorter one with ``ProtocolError``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime

from fieldtool.protocols.c1218.errors import ProtocolError
from fieldtool.protocols.c1219.datatypes import Format


def _need(raw: bytes, n: int, table: str) -> None:
    if len(raw) < n:
        raise ProtocolError(f"The meter's {table} is {len(raw)} bytes; at least {n} are needed.")


# -- ST1 ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GeneralMfgId:
    manufacturer: str
    model: str
    hw_version: int
    hw_revision: int
    fw_version: int
    fw_revision: int
    serial: str

    def encode(self, fmt: Format) -> bytes:
        return (fmt.pack_string(self.manufacturer, 4) + fmt.pack_string(self.model, 8)
                + bytes([self.hw_version, self.hw_revision, self.fw_version, self.fw_revision])
                + fmt.pack_ident(self.serial, 16))  # fmt: skip

    @classmethod
    def decode(cls, raw: bytes, fmt: Format) -> GeneralMfgId:
        _need(raw, 16 + fmt.ident_len(16), "ST1")
        return cls(fmt.string(raw[0:4]), fmt.string(raw[4:12]), raw[12], raw[13], raw[14], raw[15],
                   fmt.ident(raw[16 : 16 + fmt.ident_len(16)]))  # fmt: skip


# -- ST3 ---------------------------------------------------------------------------------------
STATUS_FLAGS = (
    "unprogrammed", "configuration_error", "self_check_error", "ram_failure", "rom_failure",
    "nonvolatile_memory_failure", "clock_error", "measurement_error", "low_battery", "low_loss_potential",
    "demand_overload", "power_failure", "tamper_detect", "reverse_rotation",
)  # fmt: skip
# Critical: the meter cannot meter or bill correctly and must not stay on the wall (I1FR6). The rest
# the installer can clear or explain (set the clock, clear tamper after the install, DG back-feed ...).
CRITICAL_FLAGS = frozenset({
    "unprogrammed", "configuration_error", "self_check_error", "ram_failure", "rom_failure",
    "nonvolatile_memory_failure", "measurement_error",
})  # fmt: skip
MODES = ("metering", "test_mode", "meter_shop_mode", "factory")


@dataclass(frozen=True)
class EdModeStatus:
    mode: int  # ED_MODE bits
    std_status1: int
    std_status2: int
    mfg_status: bytes

    def encode(self, fmt: Format) -> bytes:
        return bytes([self.mode]) + fmt.pack_uint(self.std_status1, 2) + bytes([self.std_status2]) + self.mfg_status

    @classmethod
    def decode(cls, raw: bytes, fmt: Format, dim_mfg_status: int = 0) -> EdModeStatus:
        _need(raw, 4, "ST3")
        return cls(raw[0], fmt.uint(raw[1:3]), raw[3], bytes(raw[4 : 4 + dim_mfg_status]))

    @property
    def modes(self) -> list[str]:
        return [m for i, m in enumerate(MODES) if self.mode >> i & 1]

    @property
    def flags(self) -> list[str]:
        return [f for i, f in enumerate(STATUS_FLAGS) if self.std_status1 >> i & 1]

    def health(self, monitored_mask: int = 0x3FFF) -> dict:
        """Flags split for the health check: set critical / set non-critical / not monitored by this meter."""
        monitored = {f for i, f in enumerate(STATUS_FLAGS) if monitored_mask >> i & 1}
        up = [f for f in self.flags if f in monitored]
        critical = [f for f in up if f in CRITICAL_FLAGS]
        return {
            "ok": not critical,
            "critical": critical,
            "non_critical": [f for f in up if f not in CRITICAL_FLAGS],
            "not_monitored": [f for f in STATUS_FLAGS if f not in monitored],
        }


def flag_mask(names) -> int:
    return sum(1 << STATUS_FLAGS.index(n) for n in names)


# -- ST5 ---------------------------------------------------------------------------------------
def decode_st5(raw: bytes, fmt: Format) -> str:
    _need(raw, fmt.ident_len(20), "ST5")
    return fmt.ident(raw[: fmt.ident_len(20)])


def encode_st5(meter_id: str, fmt: Format) -> bytes:
    return fmt.pack_ident(meter_id, 20)


# -- ST6 ---------------------------------------------------------------------------------------
# (name, string-form length, kind): kind "s" string, "id" STRING(20)/BCD(10) by ID_FORM, "b" binary, "u" UINT8
ST6_FIELDS = (
    ("owner_name", 20, "s"), ("utility_div", 20, "s"), ("service_point_id", 20, "id"), ("elec_addr", 20, "id"),
    ("device_id", 20, "id"), ("util_ser_nbr", 20, "id"), ("customer_id", 20, "id"), ("coordinate_1", 10, "b"),
    ("coordinate_2", 10, "b"), ("coordinate_3", 10, "b"), ("tariff_id", 8, "s"), ("ex1_sw_vendor", 4, "s"),
    ("ex1_sw_version_number", 1, "u"), ("ex1_sw_revision_number", 1, "u"), ("ex2_sw_vendor", 4, "s"),
    ("ex2_sw_version_number", 1, "u"), ("ex2_sw_revision_number", 1, "u"), ("programmer_name", 10, "s"),
    ("misc_id", 30, "s"),
)  # fmt: skip


def st6_layout(fmt: Format) -> dict[str, tuple[int, int]]:
    """Field name -> (offset, length) for this meter's ID_FORM (230 bytes string form, 180 BCD form)."""
    out, at = {}, 0
    for name, size, kind in ST6_FIELDS:
        n = fmt.ident_len(size) if kind == "id" else size
        out[name] = (at, n)
        at += n
    return out


@dataclass(frozen=True)
class UtilInfo:
    owner_name: str = ""
    utility_div: str = ""
    service_point_id: str = ""
    elec_addr: str = ""
    device_id: str = ""
    util_ser_nbr: str = ""
    customer_id: str = ""
    coordinate_1: bytes = bytes(10)
    coordinate_2: bytes = bytes(10)
    coordinate_3: bytes = bytes(10)
    tariff_id: str = ""
    ex1_sw_vendor: str = ""
    ex1_sw_version_number: int = 0
    ex1_sw_revision_number: int = 0
    ex2_sw_vendor: str = ""
    ex2_sw_version_number: int = 0
    ex2_sw_revision_number: int = 0
    programmer_name: str = ""
    misc_id: str = ""

    def encode(self, fmt: Format) -> bytes:
        return b"".join(encode_st6_field(name, getattr(self, name), fmt) for name, _, _ in ST6_FIELDS)

    @classmethod
    def decode(cls, raw: bytes, fmt: Format) -> UtilInfo:
        layout = st6_layout(fmt)
        _need(raw, sum(n for _, n in layout.values()), "ST6")
        values = {}
        kinds = {name: kind for name, _, kind in ST6_FIELDS}
        for name, (at, n) in layout.items():
            chunk = raw[at : at + n]
            kind = kinds[name]
            values[name] = (fmt.ident(chunk) if kind == "id" else bytes(chunk) if kind == "b"
                            else chunk[0] if kind == "u" else fmt.string(chunk))  # fmt: skip
        return cls(**values)

    def with_fields(self, **changes) -> UtilInfo:
        known = {f.name for f in fields(self)}
        bad = set(changes) - known
        if bad:
            raise ValueError(f"ST6 has no field(s) {sorted(bad)}")
        return replace(self, **changes)


def encode_st6_field(name: str, value, fmt: Format) -> bytes:
    """One ST6 field's bytes, for a partial write by offset."""
    size, kind = next((s, k) for n, s, k in ST6_FIELDS if n == name)
    if kind == "id":
        return fmt.pack_ident(value, size)
    if kind == "b":
        return bytes(value)[:size].ljust(size, b"\x00")
    if kind == "u":
        return bytes([value])
    return fmt.pack_string(value, size)


# -- ST52 / ST55 -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Clock:
    """ST52 CLOCK_TBL (and the first fields of ST55)."""

    time: datetime | None
    day_of_week: int = 7  # 0 Sunday ... 6 Saturday, 7 undefined
    dst: bool = False
    gmt: bool = True
    tz_applied: bool = False
    dst_applied: bool = False
    dst_supported: bool = False
    status: int | None = None  # ST55 STATUS (tier, season ...) when read from ST55

    @property
    def qual(self) -> int:
        return ((self.day_of_week & 7) | self.dst << 3 | self.gmt << 4 | self.tz_applied << 5
                | self.dst_applied << 6 | self.dst_supported << 7)  # fmt: skip

    def encode(self, fmt: Format, st55: bool = False) -> bytes:
        t = fmt.pack_ltime(self.time) if self.time else bytes(fmt.ltime_len)
        tail = fmt.pack_uint(self.status or 0, 2) if st55 else b""
        return t + bytes([self.qual]) + tail

    @classmethod
    def decode(cls, raw: bytes, fmt: Format, st55: bool = False) -> Clock:
        n = fmt.ltime_len
        _need(raw, n + 1 + (2 if st55 else 0), "ST55" if st55 else "ST52")
        q = raw[n]
        return cls(fmt.ltime(raw[:n]), q & 7, bool(q & 8), bool(q & 16), bool(q & 32), bool(q & 64),
                   bool(q & 128), fmt.uint(raw[n + 1 : n + 3]) if st55 else None)  # fmt: skip

    @property
    def tier(self) -> int | None:
        return None if self.status is None else self.status & 7

    @property
    def season(self) -> int | None:
        return None if self.status is None else self.status >> 12 & 0x0F
