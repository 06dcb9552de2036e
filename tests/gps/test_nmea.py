"""NMEA decoding: fixes from GGA/RMC, GSA/GSV/GST, and every kind of bad line counted and skipped."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import reduce

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtool.protocols.nmea import NmeaDecoder


def nmea(body: str) -> str:
    return f"${body}*{reduce(lambda a, c: a ^ ord(c), body, 0):02X}"


GGA = nmea("GPGGA,123519.00,4807.038,N,01131.000,E,2,08,0.9,545.4,M,46.9,M,,")
RMC = nmea("GPRMC,123519.00,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W")


def test_gga_with_the_date_from_rmc():
    d = NmeaDecoder()
    assert d.feed_line(RMC) is None  # the first RMC waits: GGA may follow for the same epoch
    fix = d.feed_line(GGA)
    assert fix.time == datetime(1994, 3, 23, 12, 35, 19, tzinfo=UTC)
    assert (round(fix.lat, 5), round(fix.lon, 5)) == (48.1173, 11.51667)
    assert (fix.quality, fix.satellites, fix.hdop, fix.altitude_m) == (2, 8, 0.9, 545.4)
    assert d.counts["fixes"] == 1 and d.errors == 0


def test_gga_only_receiver_uses_the_fallback_date_and_rmc_only_receiver_gives_fixes():
    assert NmeaDecoder(fallback_date=date(2026, 11, 26)).feed_line(GGA).time.date() == date(2026, 11, 26)
    assert NmeaDecoder().feed_line(GGA).time is None  # no date known: said so, not invented
    d = NmeaDecoder()
    fixes = [d.feed_line(RMC), d.feed_line(RMC.replace("123519", "123520")[:-3] + "*00")]
    second = nmea("GPRMC,123520.00,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W")
    assert d.feed_line(second).sentence == "RMC" and fixes[0] is None


def test_midnight_rollover_after_the_rmc_date():
    d = NmeaDecoder()
    d.feed_line(nmea("GPRMC,235959.00,A,4807.038,N,01131.000,E,0,0,311226,,,A"))
    fix = d.feed_line(nmea("GPGGA,000001.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"))
    assert fix.time == datetime(2027, 1, 1, 0, 0, 1, tzinfo=UTC)


def test_gsa_gsv_gst():
    d = NmeaDecoder()
    d.feed_line(nmea("GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1"))
    d.feed_line(nmea("GPGSV,2,1,08,01,40,083,46,02,17,308,41,12,07,344,39,14,22,228,45"))
    d.feed_line(nmea("GPGSV,2,2,08,15,40,083,33,16,17,308,,17,07,344,,18,22,228,30"))
    d.feed_line(nmea("GPGST,123519.00,1.2,0.9,0.7,35.0,0.6,0.8,1.5"))
    fix = d.feed_line(GGA)
    assert (d.sky.mode, d.sky.pdop, d.sky.hdop, d.sky.used) == (3, 2.5, 1.3, ("04", "05", "09", "12", "24"))
    assert d.sky.in_view == 8 and d.sky.snr["01"] == 46 and d.sky.snr["16"] == 0
    assert fix.sigma_m == 1.0  # sqrt(0.6^2 + 0.8^2), the receiver's own estimate for this epoch


def test_bad_lines_are_counted_by_kind_and_skipped():
    d = NmeaDecoder(fallback_date=date(2026, 1, 1))
    lines = [
        GGA[:-2] + "00",  # checksum
        GGA[:40],  # cut short
        nmea("GPGLC,1,2,3"),  # unknown sentence
        "\x8f\xf3\x0b~garbage",  # baud-rate mismatch
        nmea("GPGGA,123519,48|07.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,"),  # corrupt field
        GGA + GGA,  # two sentences spliced together
        "!AIVDM,1,1,,A,13aEOK?P00PD2wVMdLDRhgvL289?,0*26",  # AIS: not ours, not an error
        nmea("GPGGA,123520.00,,,,,0,00,99.99,,,,,,"),  # no fix yet: not an error either
        GGA,
    ]
    fixes = [f for line in lines if (f := d.feed_line(line))]
    assert len(fixes) == 1
    assert {k: d.counts[k] for k in ("checksum", "truncated", "unknown", "garbage", "bad_fields")} == {
        "checksum": 1, "truncated": 1, "unknown": 1, "garbage": 2, "bad_fields": 1}  # fmt: skip
    assert d.errors == 6 and d.counts["ignored"] == 1 and d.counts["no_fix"] == 1
    assert len(d.last_errors) == 6


def test_bytes_split_anywhere_give_the_same_fixes():
    data = ("\r\n".join([RMC, GGA, RMC.replace("123519", "123520"), GGA.replace("123519", "123520")]) + "\r\n").encode()
    whole = NmeaDecoder().feed(data)
    d = NmeaDecoder()
    pieces = [d.feed(data[i : i + 7]) for i in range(0, len(data), 7)]
    assert [f for p in pieces for f in p] == whole and len(whole) == 1


def test_a_stream_without_line_ends_is_dropped_not_kept():
    d = NmeaDecoder()
    for _ in range(10):
        d.feed(b"\x00" * 100)
    assert d.counts["garbage"] >= 1 and len(d._buf) <= 480


@settings(max_examples=200)
@given(st.lists(st.one_of(st.binary(max_size=90), st.sampled_from([GGA.encode(), RMC.encode(), b"\r\n", b"$", b"*"]),
                          st.text(alphabet="$GPGARMC,.*0123456789ABCDEFNSEW", max_size=90).map(str.encode)), max_size=30))
def test_corrupted_and_truncated_streams_never_raise(chunks):
    d = NmeaDecoder(fallback_date=date(2026, 1, 1))
    for c in chunks:
        for fix in d.feed(c):
            assert -90 <= fix.lat <= 90 and -180 <= fix.lon <= 180
