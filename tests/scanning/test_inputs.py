"""Keyboard-wedge timing, serial scanner framing and the serial scanner thread, scan de-duplication."""

from __future__ import annotations

import threading

import pytest
import serial
from hypothesis import given
from hypothesis import strategies as st

from fieldtool.devices.scanning.backends import Symbol
from fieldtool.devices.scanning.dedup import ScanDeduplicator
from fieldtool.devices.scanning.inputs import ScannerFramer, SerialScanner, WedgeDetector
from fieldtool.domain.errors import InputError


def type_text(det: WedgeDetector, text: str, start: float, gap: float, end: str = "\r"):
    t, out = start, None
    for ch in text + end:
        r = det.feed(ch, t)
        out = r or out
        t += gap
    return out


def test_a_fast_burst_ending_in_enter_is_a_scan():
    det = WedgeDetector(min_length=4, max_gap_s=0.05)
    scan = type_text(det, "1AL0000000010222R", 10.0, 0.008)
    assert scan.text == "1AL0000000010222R" and scan.source == "wedge"
    assert scan.started == 10.0 and scan.ended == pytest.approx(10.0 + 17 * 0.008)
    assert not det.pending


def test_tab_ends_a_scan_too_and_prefix_suffix_are_removed():
    det = WedgeDetector(prefix="]C0", suffix="#")
    assert type_text(det, "]C0SN12345678#", 0.0, 0.004, end="\t").text == "SN12345678"


def test_typing_is_not_a_scan():
    det = WedgeDetector(max_gap_s=0.05)
    assert type_text(det, "12345678", 0.0, 0.180) is None  # a quick typist: ~180 ms per key
    assert type_text(det, "abc", 5.0, 0.005) is None  # too short for a code


def test_a_pause_inside_the_burst_starts_a_new_one():
    det = WedgeDetector(min_length=4, max_gap_s=0.05)
    for i, ch in enumerate("hello"):  # the person types first ...
        assert det.feed(ch, i * 0.3) is None
    scan = type_text(det, "SN987654", 3.0, 0.01)  # ... then scans in the same field
    assert scan.text == "SN987654"


def test_a_late_enter_is_the_person_pressing_enter():
    det = WedgeDetector(max_gap_s=0.05)
    for i, ch in enumerate("SN987654"):
        det.feed(ch, 1.0 + i * 0.01)
    assert det.feed("\r", 1.0 + 0.07 + 0.5) is None


def test_a_non_character_key_breaks_the_burst():
    det = WedgeDetector()
    for i, ch in enumerate("SN98"):
        det.feed(ch, i * 0.01)
    det.feed("Shift", 0.05)
    assert det.feed("\r", 0.06) is None


@given(st.lists(st.tuples(st.text(max_size=2), st.floats(0, 1, allow_nan=False)), max_size=60))
def test_the_wedge_detector_takes_any_key_sequence(events):
    det = WedgeDetector()
    t = 0.0
    for key, dt in events:
        t += dt
        r = det.feed(key, t)
        assert r is None or len(r.text) >= det.min_length - len(det.prefix) - len(det.suffix)


def test_framer_splits_on_the_suffix_and_checks_the_prefix():
    f = ScannerFramer(prefix=b"\x02", suffix=b"\r")
    assert f.feed(b"\x021AL00000000") == []
    assert f.feed(b"10222R\r\n\x02SN1\r") == ["1AL0000000010222R", "SN1"]
    assert f.feed(b"NOPREFIX\r") == [] and "without the prefix" in f.errors[-1]


def test_framer_bounds_a_code_without_suffix():
    f = ScannerFramer(max_length=64)
    assert f.feed(b"x" * 100) == [] and "dropped" in f.errors[-1]
    assert f.feed(b"SN42\r") == ["SN42"]
    with pytest.raises(InputError):
        ScannerFramer(suffix=b"")


@given(st.binary(max_size=300))
def test_framer_takes_any_bytes(data):
    f = ScannerFramer(prefix=b"]", suffix=b"\r\n")
    for code in f.feed(data):
        assert "\r\n" not in code


def test_serial_scanner_reads_codes_from_the_port():
    port = serial.serial_for_url("loop://", timeout=0.05)
    got, done = [], threading.Event()

    def on_scan(scan):
        got.append(scan)
        if len(got) == 2:
            done.set()

    sc = SerialScanner("loop://", on_scan, port=port, prefix="", suffix="\r").start()
    try:
        port.write(b"1AL0000000010222R\r\n")
        port.write(b"SN12")
        port.write(b"345678\r")
        assert done.wait(3)
    finally:
        sc.stop()
    assert [(s.text, s.source) for s in got] == [("1AL0000000010222R", "serial"), ("SN12345678", "serial")]


def test_serial_scanner_reports_an_unplugged_port():
    class Unplugged:
        in_waiting = 0

        def read(self, n):
            raise serial.SerialException("device reports readiness to read but returned no data")

        def close(self):
            pass

    sc = SerialScanner("/dev/ttyACM9", lambda s: None, port=Unplugged()).start()
    sc._thread.join(2)
    assert "stopped" in sc.error
    sc.stop()


def test_opening_a_missing_port_is_a_clear_error():
    with pytest.raises(InputError, match="Cannot open the port"):
        SerialScanner("/dev/ttyNOPE99", lambda s: None).start()


def _sym(text):
    return Symbol("Code128", text, text.encode(), False, ((0, 0), (1, 0), (1, 1), (0, 1)))


def test_the_same_code_in_consecutive_frames_is_one_scan():
    d = ScanDeduplicator(hold_s=1.0)
    assert [s.text for s in d.new([_sym("A1")], 0.0)] == ["A1"]
    assert d.new([_sym("A1")], 0.033) == []
    assert d.new([], 0.3) == []  # a few frames without it (motion blur)
    assert d.new([_sym("A1"), _sym("B2")], 0.6) == [_sym("B2")]
    assert [s.text for s in d.new([_sym("A1")], 1.7)] == ["A1"]  # gone for more than the hold: a new scan


def test_inputs_from_the_configuration():
    from fieldtool.devices.scanning.settings import ScanningSettings

    s = ScanningSettings(wedge_prefix="]", wedge_max_gap_ms=30, serial_port="loop://", serial_prefix="\x02")
    det = WedgeDetector.from_settings(s)
    assert (det.max_gap_s, det.prefix, det.min_length) == (0.03, "]", 4)
    sc = SerialScanner.from_settings(s, lambda scan: None)
    assert sc.url == "loop://" and sc.framer.prefix == b"\x02" and sc.framer.suffix == b"\r"
    with pytest.raises(InputError, match="No serial scanner"):
        SerialScanner.from_settings(ScanningSettings(), lambda scan: None)
