"""The cellular plug-in against the simulated modem, over socket:// and a pty."""

from __future__ import annotations

import threading

import pytest

from fieldtool.domain.errors import UserCancelled
from fieldtool.radio import Capability, RadioError, RadioNotSupported, RadioTimeout
from plugins.gprs import Driver

FAST = {"command_timeout_s": 3.0, "ping_timeout_s": 2.0, "sync_timeout_s": 1.0}


def driver(url, clock, **settings):
    return Driver(url, clock=clock, settings={**FAST, **settings})


@pytest.mark.parametrize("pty", [False, True])
def test_identify_and_survey(modem_url, clock, pty):
    with driver(modem_url(pty=pty), clock) as d:
        assert (d.info.vendor, d.info.model, d.info.address) == ("Quectel", "BG96", "867698041234567")
        assert d.capabilities() == {Capability.SURVEY, Capability.LINK_TEST, Capability.NETWORK_TIME}
        steps = []
        s = d.survey(progress=lambda done, total, words: steps.append((done, total)))
    assert steps[0] == (0, 7) and steps[-1] == (7, 7)
    assert s.registration == "registered, home network" and s.registered
    assert s.operator == "Northwind Mobile" and s.access_technology == "E-UTRAN" and s.attached
    # the serving cell is 1.2 km away: RSRP = 35 - (128.1 + 37.6 log10 1.2) ≈ -96 dBm, ± shadowing
    assert -110 < s.signal_dbm < -85
    assert s.neighbours[0].id == "01A2D103" and s.details["area"] == "1A2B"


def test_urcs_interleaved_and_garbage_do_not_break_replies(modem_url, clock):
    with driver(modem_url(interleave_urcs=True, garbage=True), clock) as d:
        s = d.survey()
        assert s.registered
        assert any(u.startswith("+CEREG: 1") for u in d.urcs)
        assert d.last_registration is not None and d.last_registration.registered


def test_registration_change_reaches_the_driver_as_urc(modem_url, world, clock):
    with driver(modem_url(), clock) as d:
        assert d.survey().registered
        world.faults["down"] = ["01A2D103", "01A2E207"]  # both cells go off the air
        s = d.survey()
        assert not s.registered and s.registration == "not registered, searching" and s.neighbours == ()
        assert d.last_registration is not None and d.last_registration.stat == 2


@pytest.mark.parametrize(
    ("config", "words"),
    [({"sim": "absent"}, "SIM not inserted"), ({"sim": "pin"}, r"asks for its PIN \(\+CPIN: SIM PIN\)"),
     ({"sim": "absent", "cmee_verbose": False}, r"SIM not inserted \(\+CME ERROR 10\)")],
)
def test_sim_faults_are_refused_in_words(modem_url, clock, config, words):
    with pytest.raises(RadioError, match=words):
        driver(modem_url(**config), clock).open()


def test_denied_and_weak_signal(modem_url, clock):
    with driver(modem_url(registration="denied"), clock) as d:
        s = d.survey()
    assert s.registration == "registration denied" and s.registered is False
    with driver(modem_url(signal_dbm=-121), clock) as d:
        s = d.survey()
    assert s.signal_dbm == -121 and s.registered


def test_gsm_only_modem_has_no_rsrp(modem_url, clock):
    with driver(modem_url(rat="gsm", signal_dbm=-85), clock) as d:
        s = d.survey()
    assert s.details["rsrp_dbm"] is None and s.access_technology == "GSM"
    assert s.signal_dbm == pytest.approx(-85, abs=4) and s.details["registration_via"] == "CGREG"


def test_a_command_the_modem_ignores_times_out_in_words(modem_url, clock):
    with driver(modem_url(ignore=["+COPS"]), clock) as d, pytest.raises(RadioTimeout, match=r"AT\+COPS\?"):
        d.survey()


def test_nothing_on_the_port(serve, clock):
    class Mute:
        def serve(self, stream, stop):
            while not stop.is_set() and stream.read(0.01) is not None:
                pass

    with pytest.raises(RadioTimeout, match="No modem answers AT"):
        driver(serve(Mute), clock).open()


def test_link_test_with_progress(modem_url, clock):
    seen = []
    with driver(modem_url(), clock) as d:
        r = d.link_test("headend.ami.example", count=4, progress=lambda done, total, w: seen.append(done))
    assert (r.sent, r.received, r.loss_pct) == (4, 4, 0.0)
    assert seen == [1, 2, 3, 4] and all(15 <= t <= 200 for t in r.rtt_ms)
    assert r.signal_dbm is not None


def test_link_test_failures(modem_url, clock):
    with driver(modem_url(), clock) as d, pytest.raises(RadioError, match="resolved"):
        d.link_test("nowhere.invalid", count=2)
    with driver(modem_url(registration="searching"), clock) as d, pytest.raises(RadioError, match="not active"):
        d.link_test("headend.ami.example", count=2)
    with driver(modem_url(supports_qping=False), clock) as d:
        assert Capability.LINK_TEST not in d.capabilities()
        with pytest.raises(RadioNotSupported):
            d.link_test("headend.ami.example")
        with pytest.raises(RadioNotSupported):
            d.registration_status("x")


def test_link_test_cancel(modem_url, clock):
    cancel = threading.Event()
    with driver(modem_url(), clock) as d:
        with pytest.raises(UserCancelled):
            d.link_test("headend.ami.example", count=10, progress=lambda *a: cancel.set(), cancel=cancel)
        assert d.survey().registered  # the modem and the driver stay usable


def test_network_time(modem_url, clock):
    with driver(modem_url(clock_offset_s=42), clock) as d:
        t = d.network_time()
    assert t.source == "cellular network (NITZ)" and 40 <= t.offset_s <= 44
    with driver(modem_url(registration="searching"), clock) as d, pytest.raises(RadioError, match="no network time"):
        d.network_time()


def test_probe(modem_url, dongle_url, clock):
    assert Driver.probe(modem_url(), clock=clock).vendor == "Quectel"
    assert Driver.probe(dongle_url(), clock=clock) is None  # a dongle is not a modem
