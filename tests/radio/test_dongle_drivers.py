"""The RF-mesh and PLC plug-ins against the simulated dongles: coverage that depends on where one stands."""

from __future__ import annotations

import threading

import pytest

import plugins.plc
import plugins.rf_mesh
from fieldtool.domain.errors import UserCancelled
from fieldtool.radio import Capability, RadioError, RadioReplyError, RadioTimeout, RegistrationState
from firmware_sim.radios.world import offset
from tests.radio.conftest import HOME

FAST = {"command_timeout_s": 3.0, "ping_timeout_s": 2.0, "survey_dwell_s": 1.0}
DRIVERS = {"rf_mesh": plugins.rf_mesh.Driver, "plc": plugins.plc.Driver}


def driver(technology, url, clock):
    return DRIVERS[technology](url, clock=clock, settings=FAST)


@pytest.mark.parametrize("technology", ["rf_mesh", "plc"])
@pytest.mark.parametrize("pty", [False, True])
def test_identify_survey_and_link_test(dongle_url, clock, technology, pty):
    with driver(technology, dongle_url(technology, pty=pty), clock) as d:
        assert d.info.technology == technology and d.info.protocol_version == "1.0"
        assert d.capabilities() == frozenset(Capability)
        heard = []
        s = d.survey(progress=lambda done, total, words: heard.append(words))
        r = d.link_test("ami", count=5)
    ids = [n.id for n in s.neighbours]
    assert heard[0] == "listening" and len(heard) - 1 == len(ids) >= 2
    if technology == "rf_mesh":
        assert ids[0] == "C-101" and {"R-17", "C-205"} <= set(ids)  # the nearest collector is the strongest
        assert all(n.lqi is not None and n.rssi_dbm < -60 for n in s.neighbours)
    else:
        assert ids[0] == "DC-7" and s.neighbours[0].snr_db > 20
    assert r.via == ids[0] and r.sent == 5 and r.received >= 4 and all(t > 15 for t in r.rtt_ms)


def test_coverage_follows_the_installer(dongle_url, world, clock):
    url = dongle_url("rf_mesh")
    with driver("rf_mesh", url, clock) as d:
        near = d.survey()
        world.position.move_to(*offset(*HOME, -3500, 3500))  # 5 km south-east: beyond every collector
        far = d.survey()
        with pytest.raises(RadioError, match="no collector in range"):
            d.link_test("ami", count=3)
        status = d.registration_status("00124B00AABBCCDD")
        with pytest.raises(RadioError, match="no collector in range"):
            d.send_soft_registration({"meter": "M-1"})
    assert far.signal_dbm is None or far.signal_dbm < near.signal_dbm - 15
    assert status.state is RegistrationState.NOT_REGISTERED


def test_position_from_a_replayed_nmea_log(tmp_path, clock):
    from firmware_sim.radios.setup import build_world

    def gga(lat, lon):
        def dm(v, width):
            d = int(abs(v))
            return f"{d:0{width}d}{(abs(v) - d) * 60:07.4f}"
        body = f"GPGGA,120000.00,{dm(lat, 2)},{'N' if lat >= 0 else 'S'},{dm(lon, 3)},{'E' if lon >= 0 else 'W'},1,08,0.9,30.0,M,-34.0,M,,"
        cs = 0
        for ch in body.encode():
            cs ^= ch
        return f"${body}*{cs:02X}"

    log = tmp_path / "walk.nmea"
    log.write_text("\n".join([gga(*HOME), "$GPGGA,garbage*00", gga(*offset(*HOME, 300, 300))]) + "\n")
    world = build_world({}, nmea=log, clock=clock)
    lat, lon, acc = world.position.now()
    assert (round(lat, 4), round(lon, 4)) == (round(HOME[0], 4), round(HOME[1], 4)) and 0 < acc < 10
    assert len(world.position.track) == 2  # the damaged sentence was skipped


def test_meter_status_states(world, serve, clock):
    from firmware_sim.radios.dongle import DongleConfig, DongleSim

    cfg = DongleConfig(meters={"DEAD": "dead", "NEW": "unjoined", "BAD": "denied"}, join_delay_s=10)
    url = serve(lambda: DongleSim(world, cfg))
    with driver("rf_mesh", url, clock) as d:
        assert d.registration_status("DEAD").state is RegistrationState.NO_ANSWER
        assert d.registration_status("NEW").state is RegistrationState.NOT_REGISTERED
        assert d.registration_status("BAD").state is RegistrationState.DENIED
        first = d.registration_status("00124B00AABBCCDD")
        assert first.state is RegistrationState.JOINING and first.via == "C-101"
        clock.sleep(11)  # 10 device seconds later the meter has joined
        assert d.registration_status("00124B00AABBCCDD").state is RegistrationState.REGISTERED
        lost = d.link_test("DEAD", count=2)
    assert lost.received == 0 and lost.loss_pct == 100.0


def test_soft_registration_in_parts_reaches_the_ami(dongle_url, world, clock):
    record = {"meter_number": "M-20001", "isp": "ISP-77", "removed_meter": "OLD-1", "final_read": 12345.6,
              "notes": "x" * 600}
    with driver("plc", dongle_url("plc"), clock) as d:
        receipt = d.send_soft_registration(record)
    assert receipt.accepted and receipt.via == "DC-7"
    (got,) = world.soft_registrations
    assert got["record"] == record and got["ref"] == receipt.reference


def test_network_time(dongle_url, clock):
    with driver("rf_mesh", dongle_url(clock_offset_s=-7.5), clock) as d:
        t = d.network_time()
    assert t.source == "collector C-101" and -8.5 < t.offset_s < -6.5


def test_cancel_stops_a_long_link_test(dongle_url, clock):
    cancel = threading.Event()
    with driver("plc", dongle_url("plc"), clock) as d:
        with pytest.raises(UserCancelled):
            d.link_test("ami", count=60, progress=lambda done, *a: done >= 2 and cancel.set(), cancel=cancel)
        assert d.network_time().source.startswith("concentrator")  # usable right after


def test_damaged_lines_are_survived_and_retried(dongle_url, clock):
    with driver("rf_mesh", dongle_url(garbage=True, corrupt_every=4), clock) as d:
        assert d.survey().neighbours
        assert d.network_time().utc is not None
        assert d.send_soft_registration({"m": "1" * 400}).accepted


def test_refusals(dongle_url, clock):
    with pytest.raises(RadioError, match="speaks protocol 2.0"):
        driver("rf_mesh", dongle_url(protocol="2.0"), clock).open()
    with pytest.raises(RadioError, match="is a plc radio, not rf_mesh"):
        driver("rf_mesh", dongle_url("plc"), clock).open()
    with pytest.raises(RadioTimeout, match="No radio dongle answers"):
        driver("rf_mesh", dongle_url(silent=True), clock).open()
    with driver("rf_mesh", dongle_url(), clock) as d, pytest.raises(RadioError, match="unknown command"):
        d.request("SELFDESTRUCT")
    with pytest.raises(RadioError, match="cannot be opened"):
        driver("rf_mesh", "/dev/no-such-dongle", clock).open()


def test_a_flood_of_garbage_is_our_error(serve, clock):
    class Noisy:
        def serve(self, stream, stop):
            while not stop.is_set():
                if stream.read(0.01) is None:
                    return
                stream.write(b"$1 OK*00\r\n" * 5)

    with pytest.raises(RadioReplyError, match="garbled"):
        driver("rf_mesh", serve(Noisy), clock).open()
