"""Every injected fault ends in recovery or in a clear error within the (scaled) C12.18 timeouts."""

from __future__ import annotations

import time

import pytest

from fieldtool.clock import Clock
from fieldtool.devices.c1218_client import C1218Client
from fieldtool.devices.ports import PortError, close_port, open_port
from fieldtool.devices.transcript import Transcript
from fieldtool.domain.errors import UserFacingError
from fieldtool.protocols.c1218 import services as sv
from fieldtool.protocols.c1218.errors import LinkError, ResponseError

from .conftest import SETTINGS

RECOVERS = [
    ("crc-errors", 3, "naks_sent"),
    ("crc-errors", 1, None),  # every first try corrupted: the NAK/retransmit cycle still ends in a clear state
    ("nak-storm", 2, "retransmissions"),
    ("dropped-bytes", 4, "naks_sent"),
    ("duplicate-packets", 1, "duplicates"),
    ("stale-packet", 1, None),
    ("busy", 2, None),
    ("dnr", 2, None),
    ("garbage", 1, "garbage_bytes"),
]


def _session_ops(lk):
    r = lk.identify_and_check_health()
    lk.read_registers()
    lk.read_table(6)
    return r


@pytest.mark.parametrize("fault,n,stat", RECOVERS)
@pytest.mark.parametrize("profile", ["acme-r1", "borealis-rx"])
def test_fault_recovers(meter, link, fault, n, stat, profile):
    if (fault, n) == ("crc-errors", 1):
        # Every packet the meter sends is corrupted once per transmission: nothing can get through.
        _, url = meter(profile, faults={fault: n})
        t0 = time.monotonic()
        with pytest.raises(UserFacingError, match="probe"):
            link(url).open()
        assert time.monotonic() - t0 < 5
        return
    _, url = meter(profile, faults={fault: n})
    lk = link(url)
    t0 = time.monotonic()
    r = _session_ops(lk)
    assert r["identity"].manufacturer and time.monotonic() - t0 < 20
    if stat:
        assert getattr(lk.session.c.link.stats, stat) > 0, lk.session.c.link.stats
    if fault in ("busy", "dnr"):
        assert any(x.direction == "note" and "retry" in x.text for x in lk.transcript.lines())


def test_nak_storm_past_the_retries_is_a_clear_link_error(meter, link):
    _, url = meter("acme-r1", faults={"nak-storm": 5})
    t0 = time.monotonic()
    with pytest.raises(LinkError, match="not acknowledged after 3 retransmissions") as e:
        link(url).open()
    assert "probe" in str(e.value) and time.monotonic() - t0 < 3


def test_busy_past_the_policy_is_a_clear_error(meter, link):
    _, url = meter("acme-r1", faults={"busy": 9})
    with pytest.raises(ResponseError, match=r"stayed busy.*\(bsy\)"):
        link(url, busy_retries=2).open()


@pytest.mark.parametrize("pty", [False, True])
def test_disconnect_mid_session_is_a_clear_error_fast(meter, link, pty):
    _, url = meter("cirrus-ct", faults={"disconnect": 6}, pty=pty)
    lk = link(url)
    t0 = time.monotonic()
    # Silence (probe pulled) ends in "stopped answering"/"not acknowledged", or, when the meter dropped the
    # session meanwhile (channel-traffic timeout), in its isss answer: each says what to do.
    with pytest.raises((LinkError, PortError, ResponseError)) as e:
        _session_ops(lk)
    assert time.monotonic() - t0 < 3
    assert "probe" in str(e.value) or "new session" in str(e.value)


def test_clock_drift_is_reported_and_fixed(meter, link):
    _, url = meter("acme-r1", faults={"clock-drift": 437})
    lk = link(url)
    assert 435 <= lk.clock_check().drift_s <= 439
    assert abs(lk.set_clock().drift_s) <= 1


def test_keep_alive_holds_the_session_past_the_channel_traffic_timeout(meter, link):
    _, url = meter("acme-r1")
    lk = link(url)
    lk.open()
    time.sleep(SETTINGS.channel_traffic_timeout_s * 2.5)  # the worker sends Wait meanwhile
    assert lk.read_table(1)[1]["manufacturer"] == "ACME"
    assert any("70" in x.text.split()[6:7] for x in lk.transcript.lines() if x.direction == "tx" and len(x.text) > 20)


def test_silence_past_the_channel_traffic_timeout_drops_the_session(meter):
    _, url = meter("acme-r1")
    port = open_port(url)
    clock = Clock()
    c = C1218Client(port, clock=clock, timeouts=SETTINGS.timeouts, retry=SETTINGS.retry, transcript=Transcript(clock))
    c.identify()
    c.logon(2, "T")
    time.sleep(SETTINGS.channel_traffic_timeout_s * 1.5)
    with pytest.raises(ResponseError, match=r"in this state of the session \(isss\)"):
        c.request(sv.Read(1), table=1)
    close_port(port)


def test_after_a_dropped_session_the_next_operation_starts_a_new_one(meter, link):
    _, url = meter("acme-r1")
    lk = link(url)
    lk.open()
    lk.session.keep_alive = lambda: None  # the installer's laptop slept: no keep-alive went out
    time.sleep(SETTINGS.channel_traffic_timeout_s * 1.5)
    with pytest.raises(ResponseError, match="isss"):
        lk.read_table(1)
    assert lk.read_table(1)[1]["manufacturer"] == "ACME"
