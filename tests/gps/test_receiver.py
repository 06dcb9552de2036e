"""The receiver over TCP (socket://), gating, staleness, averaging with cancel, and the gps CLI."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from fieldtool.devices.gps import GpsReceiver, GpsSettings, replay
from fieldtool.domain.errors import InputError, UserCancelled
from tests.conftest import cli_json, run_cli

DEMO_LOG = Path(__file__).resolve().parents[2] / "resources" / "demo" / "gps-walk.nmea"


class NmeaServer:
    """A GNSS receiver on TCP (like gpsd's raw port or a phone's NMEA-over-TCP app) sending ``lines``."""

    def __init__(self, lines: list[bytes], interval_s: float = 0.002):
        self.lines, self.interval_s = lines, interval_s
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"socket://127.0.0.1:{self.sock.getsockname()[1]}"
        self.sent = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        try:
            conn, _ = self.sock.accept()
        except OSError:
            return  # closed before anyone connected
        with conn:
            # pyserial's socket:// drains whatever has arrived while it opens; a receiver that talks
            # at once would lose its first lines to that, so the test receiver starts a moment later.
            time.sleep(0.2)
            try:
                for line in self.lines:
                    conn.sendall(line)
                    time.sleep(self.interval_s)
            except OSError:
                return  # the receiver hung up (the test is done with it)
            self.sent.set()
            time.sleep(30)

    def close(self):
        self.sock.close()


@pytest.fixture
def demo_lines():
    return DEMO_LOG.read_bytes().splitlines(keepends=True)


def test_demo_log_replay():
    r = replay(DEMO_LOG)
    assert r.decoder.counts["fixes"] == 324 and r.decoder.errors == 3
    assert {k: r.decoder.counts[k] for k in ("checksum", "truncated", "garbage")} == {"checksum": 1, "truncated": 1, "garbage": 1}
    assert all(g.fix.time.isoformat().startswith("2026-11-26T14:") for g in r.fixes)
    assert r.average.used == 10


def test_averaging_at_the_meter_rejects_the_multipath_fix():
    r = replay(DEMO_LOG)
    standing = [g for g in r.fixes if 120 <= (g.fix.time.minute - 5) * 60 + g.fix.time.second < 180]
    from fieldtool.devices.gps import average_fixes

    avg = average_fixes(standing, GpsSettings())
    assert avg.used == 59 and avg.rejected == 1
    assert avg.accuracy_m < 10


def test_receiver_over_tcp_fix_then_stale(demo_lines):
    server = NmeaServer(demo_lines[:400])
    settings = GpsSettings(stale_after_s=0.3)
    try:
        with GpsReceiver(server.url, settings) as rx:
            assert server.sent.wait(10)
            deadline = time.monotonic() + 5
            while rx.status()["state"] != "fix" and time.monotonic() < deadline:
                time.sleep(0.01)
            st = rx.status()
            assert st["state"] == "fix" and st["counts"]["fixes"] > 30 and st["satellites_in_view"] == 11
            pos = rx.position()
            assert pos.accuracy_m and pos.fix_time.year == 2026 and pos.source == "gps"
            time.sleep(0.4)  # the receiver goes quiet
            assert rx.status()["state"] == "stale" and rx.position() is None
    finally:
        server.close()


def test_average_waits_for_new_fixes_and_can_be_cancelled(demo_lines):
    server = NmeaServer(demo_lines[100:], interval_s=0.001)
    try:
        with GpsReceiver(server.url, GpsSettings(average_timeout_s=10)) as rx:
            seen = []
            avg = rx.average(5, progress=lambda got, n: seen.append(got))
            assert avg.used + avg.rejected == 5 and seen[-1] == 5
            cancel = threading.Event()
            cancel.set()
            with pytest.raises(UserCancelled):
                rx.average(5, cancel=cancel)
    finally:
        server.close()


def test_average_gives_up_in_words_when_fixes_do_not_come():
    server = NmeaServer([b"$GPGGA,123520.00,,,,,0,00,99.99,,,,,,*5B\r\n"])
    try:
        with GpsReceiver(server.url, GpsSettings(average_timeout_s=0.3)) as rx, \
                pytest.raises(InputError, match="Only 0 of 3 usable GPS fixes"):  # fmt: skip
            rx.average(3)
    finally:
        server.close()


def test_poor_fixes_are_kept_but_not_usable():
    from fieldtool.devices.gps import gate
    from fieldtool.protocols.nmea import Fix

    s = GpsSettings(min_satellites=5, max_hdop=3)
    assert gate(Fix(None, 1, 2, 1, 4, 1.0), s, 0).reason == "only 4 satellites (at least 5 needed)"
    assert "HDOP 4.0" in gate(Fix(None, 1, 2, 1, 9, 4.0), s, 0).reason
    assert gate(Fix(None, 1, 2, 6, 9, 1.0), s, 0).usable  # dead reckoning is a fix, with a poor accuracy
    assert gate(Fix(None, 1, 2, 6, 9, 1.0), s, 0).accuracy_m == 50.0


def test_cli_gps_replay_shape():
    out = cli_json("gps", "replay", str(DEMO_LOG))
    assert (out["sentences"], out["fixes"], out["errors"]) == (2304, 324, 3)
    assert set(out["last"]) == {"lat", "lon", "accuracy_m", "time"}
    assert out["last"]["time"] == "2026-11-26T14:10:29+00:00"
    assert {"lat", "lon", "accuracy_m", "used", "rejected"} <= set(out["average"])


def test_cli_gps_read_over_tcp(demo_lines):
    server = NmeaServer(demo_lines[:300], interval_s=0.0005)
    try:
        out = cli_json("gps", "read", "--port", server.url, "--seconds", "1.5")
    finally:
        server.close()
    assert out["fixes"] > 20 and out["errors"] == 1 and out["last"]["lat"] == pytest.approx(45.501, abs=0.01)


def test_cli_gps_errors_in_words(tmp_path):
    r = run_cli("gps", "replay", str(tmp_path / "none.nmea"), "--json")
    assert r.returncode == 1 and "Cannot read the NMEA log" in r.stderr
    r = run_cli("gps", "read", "--json")
    assert r.returncode == 1 and "No GPS port" in r.stderr


def test_position_source_for_the_exchange(demo_lines):
    from fieldtool.devices.gps import GpsPositionSource
    from fieldtool.domain.exchange_devices import PositionSource

    server = NmeaServer(demo_lines[800:], interval_s=0.001)
    try:
        with GpsReceiver(server.url, GpsSettings(average_timeout_s=10)) as rx:
            source = GpsPositionSource(rx, n=4)
            assert isinstance(source, PositionSource)
            steps = []
            pos = source.fix(lambda f, words: steps.append((f, words)), threading.Event())
    finally:
        server.close()
    assert pos.source == "gps" and pos.accuracy_m > 0 and pos.fix_time.year == 2026
    assert steps[-1] == (1.0, "4 of 4 GPS fixes")
