"""Whatever a radio answers, the drivers end in an error in words (a ``UserFacingError``), never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import plugins.rf_mesh
from fieldtool.clock import Clock
from fieldtool.domain.errors import UserFacingError
from firmware_sim.radios.transport import serve_socket
from plugins.gprs import Driver as Gprs

AT_TOKENS = [b"\r\nOK\r\n", b"\r\nERROR\r\n", b"\r\n+CME ERROR: 10\r\n", b"\r\n+CME ERROR: SIM busy\r\n",
             b"\r\n+CSQ: 99,99\r\n", b"\r\n+CSQ: 40,1\r\n", b"\r\n+CESQ: 99,99,255,255,20,45\r\n",
             b'\r\n+CREG: 2,1,"1A2B","01A2D103",7\r\n', b"\r\n+CREG: 5\r\n", b'\r\n+COPS: 0,0,"A",7\r\n',
             b"\r\n+COPS: 9,9\r\n", b"\r\n+CPIN: READY\r\n", b"\r\n+CGATT: 1\r\n", b'\r\n+CCLK: "26/02/30,25:00:00+00"\r\n',
             b"\r\nRING\r\n", b"\r\n+QPING: 0,4,4,0,20,30,25\r\n", b"\r\n+QPING: 0,\"1.2.3.4\",32,x,255\r\n",
             b"\r\nQuectel\r\n", b"\x00\xff\x13", b"\r\n"]
DONGLE_TOKENS = [b"$1 OK proto=1.0 tech=rf_mesh*", b"$! EVT kind=boot*45\r\n", b"\x00\xfe$", b"*00\r\n",
                 b"$2 NODE id=C-1 rssi=abc*", b"$3 ERR code=503*", b"$4 OK count=x*", b"\r\n"]


class Scripted:
    """Answers every command line with the next scripted reply (and then with silence)."""

    def __init__(self, replies: list[bytes], end: bytes):
        self.replies, self.end = list(replies), end

    def serve(self, stream, stop):
        while not stop.is_set():
            data = stream.read(0.005)
            if data is None:
                return
            for _ in range(data.count(self.end)):
                if self.replies:
                    stream.write(self.replies.pop(0))


def _checksummed(tokens: list[bytes]) -> bytes:
    out = b""
    for t in tokens:
        if t.endswith(b"*") and t.startswith(b"$"):
            body = t[1:-1]
            cs = 0
            for b in body:
                cs ^= b
            t = t + f"{cs:02X}\r\n".encode()
        out += t
    return out


replies_at = st.lists(st.lists(st.sampled_from(AT_TOKENS) | st.binary(max_size=12), max_size=4).map(b"".join),
                      max_size=25)
replies_dongle = st.lists(st.lists(st.sampled_from(DONGLE_TOKENS) | st.binary(max_size=12), max_size=4)
                          .map(_checksummed), max_size=10)
FAST = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CLOCK = Clock(0.01)


@FAST
@given(replies_at)
def test_gprs_driver_on_any_modem_output(replies):
    served = serve_socket(lambda: Scripted(replies, b"\r"))
    try:
        d = Gprs(served.url, clock=CLOCK, settings={"command_timeout_s": 2.0, "sync_timeout_s": 2.0})
        try:
            d.open()
            d.survey()
            d.link_test("headend.ami.example", count=2)
            d.network_time()
        except UserFacingError:
            pass
        finally:
            d.close()
    finally:
        served.stop()


@FAST
@given(replies_dongle)
def test_dongle_driver_on_any_dongle_output(replies):
    served = serve_socket(lambda: Scripted(replies, b"\n"))
    try:
        d = plugins.rf_mesh.Driver(served.url, clock=CLOCK, settings={"command_timeout_s": 2.0, "survey_dwell_s": 0.5})
        try:
            d.open()
            d.survey()
            d.link_test("ami", count=2)
            d.registration_status("M")
            d.network_time()
        except UserFacingError:
            pass
        finally:
            d.close()
    finally:
        served.stop()
