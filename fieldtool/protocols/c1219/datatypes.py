"""C12.19 atomic types as ST0 says to read them: integers, strings, BCD, times, non-integer formats.

A ``Format`` (built from ST0 by ``GenConfig.format``) carries the choices one meter made: data order,
character format, time format, id form, integer and non-integer formats. Every table codec takes one, so
the same code reads an LSB-first meter with string ids and an MSB-first one with BCD ids.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fieldtool.protocols.c1218.errors import ProtocolError

CHARSETS = {1: "ascii", 2: "latin-1", 3: "utf-8", 4: "utf-16-le", 5: "utf-32-le"}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# NI_FORMAT code -> (byte length, kind); ansi-c12.md §3.1.
NI_FORMATS = {
    0: (8, "float64"), 1: (4, "float32"), 2: (12, "floatchar"), 3: (6, "floatchar"), 4: (4, "int32e4"),
    5: (6, "bcd"), 6: (4, "bcd"), 7: (3, "int"), 8: (4, "int"), 9: (5, "int"), 10: (6, "int"), 11: (8, "int"),
    12: (8, "bcd"), 13: (21, "floatchar"),
}  # fmt: skip
LTIME_LEN = {0: 0, 1: 6, 2: 6, 3: 5, 4: 4}
STIME_LEN = {0: 0, 1: 5, 2: 5, 3: 4, 4: 4}


@dataclass(frozen=True)
class Format:
    """How one meter encodes table contents (from its ST0)."""

    data_order: int = 0  # 0 least-significant byte first, 1 most-significant first
    char_format: int = 1  # 1 ISO-646, 2 ISO-8859-1, 3 UTF-8, ...
    tm_format: int = 2
    id_form: int = 0  # 0 STRING, 1 BCD
    int_format: int = 0  # 0 two's complement
    ni_format1: int = 8
    ni_format2: int = 8

    @property
    def order(self) -> str:
        return "little" if self.data_order == 0 else "big"

    # -- integers --------------------------------------------------------------------------------
    def uint(self, b: bytes) -> int:
        return int.from_bytes(b, self.order)

    def pack_uint(self, v: int, n: int) -> bytes:
        return int(v).to_bytes(n, self.order)

    def int(self, b: bytes) -> int:
        raw = int.from_bytes(b, self.order)
        top = 1 << (8 * len(b) - 1)
        if not raw & top:
            return raw
        if self.int_format == 0:
            return raw - (top << 1)
        if self.int_format == 1:
            return -((~raw) & ((top << 1) - 1))
        return -(raw & (top - 1))

    def pack_int(self, v: int, n: int) -> bytes:
        top = 1 << (8 * n - 1)
        if v >= 0:
            return v.to_bytes(n, self.order)
        if self.int_format == 0:
            return (v + (top << 1)).to_bytes(n, self.order)
        if self.int_format == 1:
            return ((~(-v)) & ((top << 1) - 1)).to_bytes(n, self.order)
        return ((-v) | top).to_bytes(n, self.order)

    # -- strings and ids -------------------------------------------------------------------------
    def string(self, b: bytes) -> str:
        try:
            return b.decode(CHARSETS.get(self.char_format, "latin-1")).rstrip(" \x00")
        except UnicodeDecodeError as e:
            raise ProtocolError(f"A meter text field is not valid {CHARSETS.get(self.char_format)}: {e}") from e

    def pack_string(self, s: str, n: int) -> bytes:
        raw = s.encode(CHARSETS.get(self.char_format, "latin-1"), "replace")
        if len(raw) > n:
            raise ValueError(f"{s!r} is longer than the {n}-byte field")
        return raw.ljust(n, b" ")

    def ident(self, b: bytes) -> str:
        """An identity field: STRING or BCD by ID_FORM."""
        if self.id_form == 1:
            return bcd_digits(b).lstrip("0")  # right-aligned with leading zeros; all zeros = not set
        return self.string(b)

    def pack_ident(self, s: str, string_len: int) -> bytes:
        return pack_bcd_digits(s, string_len // 2) if self.id_form == 1 else self.pack_string(s, string_len)

    def ident_len(self, string_len: int) -> int:
        return string_len // 2 if self.id_form == 1 else string_len

    # -- times -----------------------------------------------------------------------------------
    @property
    def ltime_len(self) -> int:
        return LTIME_LEN[self.tm_format]

    @property
    def stime_len(self) -> int:
        return STIME_LEN[self.tm_format]

    def ltime(self, b: bytes) -> datetime | None:
        """LTIME_DATE (meter time, taken as UTC here; the caller applies the meter's zone)."""
        try:
            if self.tm_format in (1, 2):
                f = [from_bcd(x) for x in b[:6]] if self.tm_format == 1 else list(b[:6])
                year = 1900 + f[0] if f[0] >= 90 else 2000 + f[0]  # termineter's century rule [UNVERIFIED]
                return datetime(year, f[1], f[2], f[3], f[4], f[5], tzinfo=UTC)
            if self.tm_format == 3:
                return EPOCH + timedelta(minutes=self.uint(b[:4]), seconds=b[4])
            if self.tm_format == 4:
                return EPOCH + timedelta(seconds=self.uint(b[:4]))
        except (ValueError, IndexError, OverflowError) as e:
            raise ProtocolError(f"The meter's date/time bytes {b.hex()} are not a valid time: {e}") from e
        return None

    def pack_ltime(self, t: datetime) -> bytes:
        t = t.astimezone(UTC)
        if self.tm_format in (1, 2):
            f = [t.year % 100, t.month, t.day, t.hour, t.minute, t.second]
            return bytes(to_bcd(x) for x in f) if self.tm_format == 1 else bytes(f)
        secs = int((t - EPOCH).total_seconds())
        if self.tm_format == 3:
            return self.pack_uint(secs // 60, 4) + bytes([secs % 60])
        if self.tm_format == 4:
            return self.pack_uint(secs, 4)
        return b""

    # -- non-integer formats ---------------------------------------------------------------------
    def ni_len(self, which: int = 1) -> int:
        return NI_FORMATS[self.ni_format1 if which == 1 else self.ni_format2][0]

    def ni(self, b: bytes, which: int = 1) -> float:
        size, kind = NI_FORMATS[self.ni_format1 if which == 1 else self.ni_format2]
        b = b[:size]
        if kind == "float64":
            return struct.unpack("<d" if self.data_order == 0 else ">d", b)[0]
        if kind == "float32":
            return struct.unpack("<f" if self.data_order == 0 else ">f", b)[0]
        if kind == "int32e4":
            return self.int(b) / 10_000
        if kind == "int":
            return float(self.int(b))
        if kind == "bcd":
            return float(bcd_digits(b) or 0)
        try:
            return float(b.decode("ascii").strip())
        except ValueError as e:
            raise ProtocolError(f"The meter's number {b!r} is not a FLOAT-CHAR value.") from e

    def pack_ni(self, v: float, which: int = 1) -> bytes:
        size, kind = NI_FORMATS[self.ni_format1 if which == 1 else self.ni_format2]
        if kind == "float64":
            return struct.pack("<d" if self.data_order == 0 else ">d", v)
        if kind == "float32":
            return struct.pack("<f" if self.data_order == 0 else ">f", v)
        if kind == "int32e4":
            return self.pack_int(round(v * 10_000), 4)
        if kind == "int":
            return self.pack_int(round(v), size)
        if kind == "bcd":
            return pack_bcd_digits(str(round(abs(v))), size)
        return f"{v:{size}.{max(0, size - 8)}f}".encode("ascii")[:size].rjust(size)


def from_bcd(b: int) -> int:
    hi, lo = b >> 4, b & 0x0F
    if hi > 9 or lo > 9:
        raise ValueError(f"0x{b:02X} is not BCD")
    return hi * 10 + lo


def to_bcd(v: int) -> int:
    return ((v // 10) << 4) | (v % 10)


def bcd_digits(b: bytes) -> str:
    """BCD bytes as a digit string; 0xF nibbles (padding) are skipped."""
    out = []
    for x in b:
        for n in (x >> 4, x & 0x0F):
            if n == 0x0F:
                continue
            if n > 9:
                raise ProtocolError(f"The meter's BCD field {b.hex()} holds a non-digit nibble.")
            out.append(str(n))
    return "".join(out)


def pack_bcd_digits(digits: str, n: int) -> bytes:
    if digits and not digits.isdigit() or len(digits) > 2 * n:
        raise ValueError(f"{digits!r} does not fit a {n}-byte BCD field (digits only, at most {2 * n})")
    return bytes.fromhex(digits.rjust(2 * n, "0"))
