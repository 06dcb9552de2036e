"""NMEA 0183 from a GNSS receiver, sans-IO: bytes or lines in, fixes out (pynmea2 parses the sentences).

GGA gives the fix (quality, satellites, HDOP, altitude) with the time of day; RMC gives the date (and
is the fix when a receiver sends no GGA); GSA the DOPs and fix mode; GSV the satellites in view; GST,
where a receiver sends it, its own error estimate. A bad checksum, a truncated or spliced line, an
unknown sentence or garbage between sentences is counted and skipped, never fatal
(docs/field-data.md B3 lists what real logs contain). pynmea2 checks a checksum whenever one is present
and validates fields lazily, so coordinates are read inside the same guard.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pynmea2

ERROR_KINDS = ("checksum", "truncated", "unknown", "garbage", "bad_fields")
MAX_LINE = 120  # NMEA limits a sentence to 82 characters; longer "lines" are two spliced together


@dataclass(frozen=True)
class Fix:
    """One position fix as the receiver reported it."""

    time: datetime | None  # UTC; None while no date is known (GGA carries only the time of day)
    lat: float
    lon: float
    quality: int  # GGA fix quality: 1 GPS, 2 DGPS/SBAS, 4 RTK fixed, 5 RTK float, 6 dead reckoning ...
    satellites: int | None
    hdop: float | None
    altitude_m: float | None = None
    sigma_m: float | None = None  # 1-sigma horizontal error from GST, when the receiver sends it
    sentence: str = "GGA"


@dataclass
class SkyView:
    """What GSA and GSV said last: fix mode, DOPs, satellites used and in view."""

    mode: int | None = None  # 1 no fix, 2 2D, 3 3D
    pdop: float | None = None
    hdop: float | None = None
    vdop: float | None = None
    used: tuple[str, ...] = ()
    in_view: int | None = None
    snr: dict[str, int] = field(default_factory=dict)  # PRN -> C/N0 dB-Hz


def _float(v) -> float | None:
    try:
        return float(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _int(v) -> int | None:
    try:
        return int(v) if v not in (None, "") else None
    except (TypeError, ValueError):
        return None


class NmeaDecoder:
    """Turns NMEA text into ``Fix`` objects and keeps counts of what was good and bad.

    ``fallback_date``: the date to give GGA fixes before any RMC/ZDA has said which day it is (the device
    passes today's UTC date; a log replay relies on the log's RMC sentences).
    """

    def __init__(self, fallback_date: date | None = None, keep_errors: int = 20):
        self.fallback_date = fallback_date
        self.counts: Counter[str] = Counter()  # sentences, fixes, no_fix, ignored and the ERROR_KINDS
        self.last_errors: deque[str] = deque(maxlen=keep_errors)
        self.sky = SkyView()
        self._buf = b""
        self._date: date | None = None
        self._last_tod: time | None = None
        self._rmc_since_gga = 0
        self._gst: tuple[time, float] | None = None
        self._gsv: dict[str, int] = {}

    @property
    def errors(self) -> int:
        return sum(self.counts[k] for k in ERROR_KINDS)

    def feed(self, data: bytes) -> list[Fix]:
        """Bytes as they arrive from a port; a line split across reads is joined."""
        self._buf += data
        *lines, self._buf = self._buf.split(b"\n")
        if len(self._buf) > 4 * MAX_LINE:  # no newline for far too long: garbage, drop it
            self._error("garbage", f"{len(self._buf)} bytes without a line end")
            self._buf = b""
        out = []
        for raw in lines:
            fix = self.feed_line(raw.decode("ascii", errors="replace"))
            if fix is not None:
                out.append(fix)
        return out

    def feed_line(self, line: str) -> Fix | None:
        line = line.strip().replace("$$", "$")
        if not line:
            return None
        if not line.startswith("$") or len(line) > MAX_LINE:
            if line.startswith("!"):  # AIS and other encapsulated sentences: not ours, not an error
                self.counts["ignored"] += 1
            else:
                self._error("garbage", line)
            return None
        if "*" not in line[-4:]:
            # Receivers always send a checksum; a line without one was cut short (a buffer overrun, a
            # dropped byte) and its last field cannot be trusted.
            self._error("truncated", line)
            return None
        try:
            msg = pynmea2.parse(line)
        except pynmea2.ChecksumError:
            self._error("checksum", line)
            return None
        except pynmea2.SentenceTypeError:
            self._error("unknown", line)
            return None
        except pynmea2.ParseError:
            self._error("garbage", line)
            return None
        self.counts["sentences"] += 1
        try:
            return self._handle(msg)
        except (ValueError, TypeError, AttributeError) as e:  # lazily validated fields
            self.counts["sentences"] -= 1
            self._error("bad_fields", f"{line} ({e})")
            return None

    def _error(self, kind: str, detail: str) -> None:
        self.counts[kind] += 1
        self.last_errors.append(f"{kind}: {detail[:100]}")

    def _handle(self, msg) -> Fix | None:
        kind = msg.sentence_type if hasattr(msg, "sentence_type") else ""
        if kind == "GGA":
            self._rmc_since_gga = 0
            quality = _int(msg.gps_qual) or 0
            if quality == 0 or not msg.lat or not msg.lon:
                self.counts["no_fix"] += 1
                return None
            lat, lon = msg.latitude, msg.longitude  # may raise ValueError for corrupt fields
            tod = msg.timestamp
            sigma = None
            if self._gst and tod and self._gst[0] == tod:
                sigma = self._gst[1]
            fix = Fix(self._datetime(tod), lat, lon, quality, _int(msg.num_sats), _float(msg.horizontal_dil),
                      _float(msg.altitude), sigma, "GGA")  # fmt: skip
            return self._counted(fix)
        if kind == "RMC":
            if msg.datestamp:
                self._date = msg.datestamp
                self._last_tod = msg.timestamp
            self._rmc_since_gga += 1
            if msg.status != "A":
                self.counts["no_fix"] += 1
                return None
            # A receiver that sends GGA gives the richer fix there; RMC is the fix only when a second
            # RMC came without a GGA in between (so one epoch never yields two fixes).
            if self._rmc_since_gga < 2:
                return None
            lat, lon = msg.latitude, msg.longitude
            return self._counted(Fix(self._datetime(msg.timestamp), lat, lon, 1, None, self.sky.hdop, sentence="RMC"))
        if kind == "ZDA":
            self._date = date(int(msg.year), int(msg.month), int(msg.day))
            self._last_tod = msg.timestamp
        elif kind == "GSA":
            used = tuple(p for i in range(1, 13) if (p := getattr(msg, f"sv_id{i:02d}", "")))
            self.sky.mode, self.sky.used = _int(msg.mode_fix_type), used
            self.sky.pdop, self.sky.hdop, self.sky.vdop = _float(msg.pdop), _float(msg.hdop), _float(msg.vdop)
        elif kind == "GSV":
            if _int(msg.msg_num) == 1:
                self._gsv = {}
            for i in range(1, 5):
                prn = getattr(msg, f"sv_prn_num_{i}", "")
                if prn:
                    self._gsv[prn] = _int(getattr(msg, f"snr_{i}", "")) or 0
            self.sky.in_view = _int(msg.num_sv_in_view)
            if _int(msg.msg_num) == _int(msg.num_messages):
                self.sky.snr = dict(self._gsv)
        elif kind == "GST":
            slat, slon = _float(msg.std_dev_latitude), _float(msg.std_dev_longitude)
            if slat is not None and slon is not None and msg.timestamp:
                self._gst = (msg.timestamp, (slat * slat + slon * slon) ** 0.5)
        return None

    def _counted(self, fix: Fix) -> Fix:
        self.counts["fixes"] += 1
        return fix

    def _datetime(self, tod: time | None) -> datetime | None:
        if tod is None:
            return None
        day = self._date or self.fallback_date
        if day is None:
            return None
        # The date came with an earlier sentence; a time of day far before it means midnight has passed.
        if self._date and self._last_tod and _seconds(tod) < _seconds(self._last_tod) - 12 * 3600:
            day = day + timedelta(days=1)
        return datetime.combine(day, tod.replace(tzinfo=None), tzinfo=UTC)


def _seconds(t: time) -> float:
    return t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6
