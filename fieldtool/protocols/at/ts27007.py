"""Decoders for the 3GPP TS 27.007 responses the field tool reads, with the standard's value tables.

Each ``parse_*`` takes the information-response line(s) of one command and returns plain values; a line of
the wrong shape raises ``InputError`` naming the command and the line. Clause numbers are TS 27.007's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

from fieldtool.domain.errors import InputError

# §9.2.1 / §9.2.2: mobile termination error result codes (the ones a field modem actually returns).
CME_ERRORS: dict[int, str] = {
    0: "phone failure",
    1: "no connection to phone",
    3: "operation not allowed",
    4: "operation not supported",
    5: "PH-SIM PIN required",
    10: "SIM not inserted",
    11: "SIM PIN required",
    12: "SIM PUK required",
    13: "SIM failure",
    14: "SIM busy",
    15: "SIM wrong",
    16: "incorrect password",
    17: "SIM PIN2 required",
    18: "SIM PUK2 required",
    20: "memory full",
    21: "invalid index",
    22: "not found",
    23: "memory failure",
    30: "no network service",
    31: "network timeout",
    32: "network not allowed - emergency calls only",
    50: "incorrect parameters",
    100: "unknown",
    103: "illegal MS",
    106: "illegal ME",
    107: "GPRS services not allowed",
    111: "PLMN not allowed",
    112: "location area not allowed",
    113: "roaming not allowed in this location area",
    132: "service option not supported",
    133: "requested service option not subscribed",
    134: "service option temporarily out of order",
    148: "unspecified GPRS error",
    149: "PDP authentication failure",
}

# §7.2 <stat> of +CREG / +CGREG / +CEREG, in the installer's words.
REGISTRATION_STATES: dict[int, str] = {
    0: "not registered, not searching",
    1: "registered, home network",
    2: "not registered, searching",
    3: "registration denied",
    4: "unknown",
    5: "registered, roaming",
    6: "registered for SMS only, home network",
    7: "registered for SMS only, roaming",
    8: "attached for emergency bearer services only",
    9: "registered for CSFB not preferred, home network",
    10: "registered for CSFB not preferred, roaming",
}
REGISTERED = frozenset({1, 5, 6, 7, 9, 10})

# §7.3 <AcT>
ACCESS_TECHNOLOGIES: dict[int, str] = {
    0: "GSM", 1: "GSM Compact", 2: "UTRAN", 3: "GSM w/EGPRS", 4: "UTRAN w/HSDPA", 5: "UTRAN w/HSUPA",
    6: "UTRAN w/HSDPA and HSUPA", 7: "E-UTRAN", 8: "EC-GSM-IoT", 9: "E-UTRAN (NB-S1)", 10: "E-UTRA 5GCN",
    11: "NR 5GCN", 12: "NG-RAN", 13: "E-UTRA-NR dual connectivity",
}


def cme_error_text(code: int) -> str:
    return CME_ERRORS.get(code, f"error {code}")


def _fields(command: str, line: str, prefix: str) -> list[str]:
    if not line.startswith(prefix):
        raise InputError(f"The modem's reply to {command} was {line!r}, not a {prefix} line.")
    return [f.strip() for f in line[len(prefix):].split(",")]


def _int(command: str, line: str, value: str, lo: int, hi: int, *also: int) -> int:
    if not re.fullmatch(r"\d{1,3}", value) or not (lo <= int(value) <= hi or int(value) in also):
        raise InputError(f"The modem's reply to {command} has {value!r} where {lo}–{hi} belongs: {line!r}.")
    return int(value)


def _one(command: str, lines: tuple[str, ...] | list[str], prefix: str) -> str:
    found = [ln for ln in lines if ln.startswith(prefix)]
    if not found:
        raise InputError(f"The modem answered {command} without a {prefix} line.")
    return found[0]


@dataclass(frozen=True)
class Csq:
    """§8.5 +CSQ: received signal strength (GSM/UTRAN RSSI) and bit error rate class."""

    rssi_dbm: int | None  # None: not known or not detectable (99)
    ber_class: int | None


def parse_csq(lines) -> Csq:
    line = _one("AT+CSQ", lines, "+CSQ:")
    f = _fields("AT+CSQ", line, "+CSQ:")
    if len(f) != 2:
        raise InputError(f"The modem's reply to AT+CSQ has {len(f)} values, not 2: {line!r}.")
    rssi = _int("AT+CSQ", line, f[0], 0, 31, 99)
    ber = _int("AT+CSQ", line, f[1], 0, 7, 99)
    # 0: -113 dBm or less; 1: -111; 2..30: -109..-53 in 2 dB steps; 31: -51 or more.
    return Csq(None if rssi == 99 else -113 + 2 * rssi, None if ber == 99 else ber)


@dataclass(frozen=True)
class Cesq:
    """§8.69 +CESQ: extended signal quality; each value is the lower edge of its 27.007 range."""

    rxlev_dbm: int | None
    ber_class: int | None
    rscp_dbm: int | None
    ecno_db: float | None
    rsrq_db: float | None
    rsrp_dbm: int | None


def parse_cesq(lines) -> Cesq:
    line = _one("AT+CESQ", lines, "+CESQ:")
    f = _fields("AT+CESQ", line, "+CESQ:")
    if len(f) != 6:
        raise InputError(f"The modem's reply to AT+CESQ has {len(f)} values, not 6: {line!r}.")
    rxlev = _int("AT+CESQ", line, f[0], 0, 63, 99)
    ber = _int("AT+CESQ", line, f[1], 0, 7, 99)
    rscp = _int("AT+CESQ", line, f[2], 0, 96, 255)
    ecno = _int("AT+CESQ", line, f[3], 0, 49, 255)
    rsrq = _int("AT+CESQ", line, f[4], 0, 34, 255)
    rsrp = _int("AT+CESQ", line, f[5], 0, 97, 255)
    return Cesq(
        rxlev_dbm=None if rxlev == 99 else -111 + rxlev,  # 0: < -110 dBm ... 63: >= -48 dBm
        ber_class=None if ber == 99 else ber,
        rscp_dbm=None if rscp == 255 else -121 + rscp,  # 0: < -120 dBm ... 96: >= -25 dBm
        ecno_db=None if ecno == 255 else -24.5 + ecno / 2,  # 0: < -24 dB ... 49: >= 0 dB
        rsrq_db=None if rsrq == 255 else -20 + rsrq / 2,  # 0: < -19.5 dB ... 34: >= -3 dB
        rsrp_dbm=None if rsrp == 255 else -141 + rsrp,  # 0: < -140 dBm ... 97: >= -44 dBm
    )


@dataclass(frozen=True)
class Registration:
    """§7.2 +CREG / §10.1.20 +CGREG / §10.1.22 +CEREG read response or URC."""

    command: str  # CREG, CGREG, CEREG
    stat: int
    area: str | None = None  # lac or tac, hex
    cell_id: str | None = None  # hex
    act: int | None = None

    @property
    def registered(self) -> bool:
        return self.stat in REGISTERED

    @property
    def words(self) -> str:
        return REGISTRATION_STATES.get(self.stat, f"state {self.stat}")

    @property
    def access_technology(self) -> str | None:
        return None if self.act is None else ACCESS_TECHNOLOGIES.get(self.act, f"AcT {self.act}")


def parse_registration(line: str, *, unsolicited: bool = False) -> Registration:
    """``+CEREG: 2,1,"1A2B","01A2D103",7`` (read, with ``<n>``) or ``+CEREG: 1,"1A2B",...`` (URC, without)."""
    m = re.match(r"^\+(C5?G?E?REG):", line)
    if not m or m.group(1) not in ("CREG", "CGREG", "CEREG"):
        raise InputError(f"{line!r} is not a network registration line (+CREG/+CGREG/+CEREG).")
    name = m.group(1)
    f = _fields(f"AT+{name}?", line, f"+{name}:")
    if not unsolicited:
        _int(f"AT+{name}?", line, f[0], 0, 5)  # <n>, the URC mode
        f = f[1:]
    if not f or not f[0]:
        raise InputError(f"The modem's registration line has no state: {line!r}.")
    stat = _int(f"AT+{name}?", line, f[0], 0, 11)
    area = f[1].strip('"') or None if len(f) > 1 else None
    cell = f[2].strip('"') or None if len(f) > 2 else None
    for hexval in (area, cell):
        if hexval is not None and not re.fullmatch(r"[0-9A-Fa-f]{1,8}", hexval):
            raise InputError(f"The modem's registration line has {hexval!r} where a hex id belongs: {line!r}.")
    act = _int(f"AT+{name}?", line, f[3], 0, 13) if len(f) > 3 and f[3] else None
    return Registration(name, stat, area, cell, act)


@dataclass(frozen=True)
class Operator:
    """§7.3 +COPS? read response."""

    mode: int  # 0 automatic, 1 manual, 2 deregistered, 3 format only, 4 manual/automatic
    name: str | None
    name_format: int | None  # 0 long alphanumeric, 1 short alphanumeric, 2 numeric (MCC+MNC)
    act: int | None


def parse_cops(lines) -> Operator:
    line = _one("AT+COPS?", lines, "+COPS:")
    m = re.fullmatch(r'\+COPS:\s*(\d)(?:,(\d),"([^"]*)"(?:,(\d{1,2}))?)?', line)
    if not m:
        raise InputError(f"The modem's reply to AT+COPS? is not in the 27.007 shape: {line!r}.")
    mode = _int("AT+COPS?", line, m.group(1), 0, 4)
    fmt = int(m.group(2)) if m.group(2) else None
    if fmt is not None and fmt > 2:
        raise InputError(f"The modem's reply to AT+COPS? names format {fmt}: {line!r}.")
    act = _int("AT+COPS?", line, m.group(4), 0, 13) if m.group(4) else None
    return Operator(mode, m.group(3) if m.group(2) else None, fmt, act)


def parse_cgatt(lines) -> bool:
    """§10.1.9 +CGATT: 1 attached to the packet domain, 0 detached."""
    line = _one("AT+CGATT?", lines, "+CGATT:")
    f = _fields("AT+CGATT?", line, "+CGATT:")
    return _int("AT+CGATT?", line, f[0], 0, 1) == 1 if len(f) == 1 else _bad("AT+CGATT?", line)


def parse_cclk(lines) -> datetime:
    """§8.15 +CCLK: "yy/MM/dd,hh:mm:ss±zz" with zz in quarters of an hour; returned in UTC."""
    line = _one("AT+CCLK?", lines, "+CCLK:")
    m = re.fullmatch(r'\+CCLK:\s*"(\d\d)/(\d\d)/(\d\d),(\d\d):(\d\d):(\d\d)(?:([+-])(\d\d))?"', line)
    if not m:
        raise InputError(f"The modem's reply to AT+CCLK? is not a clock: {line!r}.")
    yy, mo, dd, hh, mi, ss = (int(m.group(i)) for i in range(1, 7))
    quarters = int(m.group(8) or 0) * (-1 if m.group(7) == "-" else 1)
    try:
        # two-digit years: 80..99 are the 1980s RTC reset values some modems boot with
        local = datetime((1900 if yy >= 70 else 2000) + yy, mo, dd, hh, mi, ss, tzinfo=timezone(timedelta(minutes=15 * quarters)))
    except ValueError as e:
        raise InputError(f"The modem's clock is not a valid time ({e}): {line!r}.") from None
    return local.astimezone(UTC)


def _bad(command: str, line: str):
    raise InputError(f"The modem's reply to {command} is not in the 27.007 shape: {line!r}.")
