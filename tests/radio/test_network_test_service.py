"""UC134 7.1A end to end at service level: the exchange reaches 7.1A, the network test runs through the
radio plug-in against the simulated dongle, the verdict drives the workflow, the report is kept and queued,
and the registration watcher carries on after the installer has left."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from fieldtool.clock import Clock
from fieldtool.domain import exchange as ex
from fieldtool.domain.coverage import RadioSettings, SignalSample, Verdict
from fieldtool.domain.exchange_devices import NetworkTester
from fieldtool.domain.exchange_events import (
    JudgeCoverage,
    RegistrationTimedOut,
    ReportMarginalCoverage,
    SoftRegister,
)
from fieldtool.domain.model import Position
from fieldtool.radio.registry import discover
from fieldtool.services.network_test import MeterAtHand, RadioNetworkTester, read_meter_signal_log
from fieldtool.services.registration_watch import RegistrationWatcher, radio_check, radio_soft_sender
from fieldtool.store.coverage import CoverageReports
from fieldtool.store.db import open_store
from firmware_sim.radios.dongle import DongleConfig, DongleSim
from firmware_sim.radios.world import PositionSource, RadioWorld, default_sites, offset
from plugins.rf_mesh import Driver as RfMesh
from tests.domain.factories import SP, STOCK, order
from tests.domain.test_exchange import HAPPY, run
from tests.radio.conftest import contract_problems

METER = "00124B00AABBCCDD"


class SteppedClock(Clock):
    """Wall time moved by hand (the watcher's 15-minute interval without waiting); delays scaled down."""

    def __init__(self, start: datetime, scale: float):
        super().__init__(scale)
        self.t = start

    def now(self) -> datetime:
        return self.t


@pytest.fixture
def site_world(clock):
    return RadioWorld(default_sites(SP.lat, SP.lon), PositionSource(SP.lat, SP.lon, clock=clock), clock=clock)


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "field.db")
    yield s
    s.close()


@pytest.fixture
def settings(site_world, serve):
    url = serve(lambda: DongleSim(site_world, DongleConfig(meters={METER: "ok"})))
    return RadioSettings(rf_mesh_port=url, link_test_packets=6, command_timeout_s=3.0, ping_timeout_s=2.0,
                         survey_dwell_s=1.0)


class OpticalSignalLog:
    """The meter's signal-strength log as the optical port's MeterLink gives it (I1FR34)."""

    def read_signal_log(self, progress, cancel):
        return [{"at": datetime(2026, 3, 12, 9, 0, tzinfo=UTC), "rssi_dbm": -97.0, "neighbours": 2},
                {"at": datetime(2026, 3, 12, 9, 15, tzinfo=UTC), "rssi_dbm": -95.5, "neighbours": 3}]


def marginal_spot(world) -> tuple[float, float]:
    """Walk away from the best collector until the strongest neighbour is heard at -93..-98 dBm with a
    clean route: marginal by signal alone."""
    for metres in range(100, 4000, 20):
        for bearing in range(0, 360, 15):
            import math

            lat, lon = offset(SP.lat, SP.lon, metres * math.cos(math.radians(bearing)),
                              metres * math.sin(math.radians(bearing)))
            world.position.move_to(lat, lon)
            links = world.links("rf_mesh")
            path, ok = world.path_to_ami("rf_mesh")
            if links and -98 <= links[0].rssi_dbm <= -93 and ok > 0.995:
                return lat, lon
    raise AssertionError("no marginal spot in this world")


def make_tester(store, settings, clock, position, **kw):
    meter = MeterAtHand("rf_mesh", METER, "AMI0000001", "WO-1", "INS-042")
    return RadioNetworkTester(store, settings=settings, meter=meter, clock=clock, position=position, **kw)


def test_7_1A_marginal_coverage_reported_queued_and_soft_registered(store, settings, site_world, clock):
    o = order(meter_read_date=None, han_devices=())
    job = run(o, [*HAPPY[:9], RegistrationTimedOut()])
    assert job.state == "network_test"
    lat, lon = marginal_spot(site_world)
    here = Position(lat, lon, accuracy_m=3.6, fix_time=clock.now())
    t = make_tester(store, settings, clock, here, meter_link=OpticalSignalLog())
    assert isinstance(t, NetworkTester) and t.technologies() == ["rf_mesh"]
    progress = []
    tested = t.test("rf_mesh", lambda f, words: progress.append(f), None)
    report = t.last_report
    assert report.verdict is Verdict.MARGINAL, report.reasons
    assert tested.reachable and tested.signal_dbm == report.value and "coverage marginal" in tested.detail
    assert progress[-1] == 1.0 and all(0 <= f <= 1 for f in progress) and progress == sorted(progress)
    # the workflow takes the measured verdict: 7.1A.3 -> 7.1A.5 -> 7.1A.6
    at = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
    for event in (tested, JudgeCoverage(report.verdict), ReportMarginalCoverage(tested.detail), SoftRegister()):
        at += timedelta(minutes=1)
        job = ex.step(o, job, event, at=at, by="INS-042", stock=STOCK).job
    assert job.state == "awaiting_verification" and job.coverage is Verdict.MARGINAL and job.soft_registered
    # kept and queued together (I1FR33, I1FR36), with position, accuracy, time and the meter's own log (I1FR34)
    (kept,) = CoverageReports(store).list(job_id="WO-1")
    assert kept == report
    assert (kept.position.lat, kept.position.accuracy_m) == (lat, 3.6) and kept.via
    assert kept.meter_registration == "registered" and kept.heard and kept.loss_pct is not None
    assert [s.signal_dbm for s in kept.meter_signal_log] == [-97.0, -95.5]
    (event,) = store.outbox.list()
    assert (event.id, event.kind, event.job_id) == (report.id, "coverage_report", "WO-1")
    assert event.payload["verdict"] == "marginal" and event.payload["position"]["accuracy_m"] == 3.6
    assert event.payload["meter_number"] == "AMI0000001" and event.payload["report_id"] == report.id
    measured, *logged = event.payload["samples"]
    assert measured["rssi_dbm"] == report.value and measured["neighbours"] == len(report.heard)
    assert [s["rssi_dbm"] for s in logged] == [-97.0, -95.5]
    assert contract_problems(event) == []


def test_adequate_and_none(store, settings, site_world, clock):
    here = Position(SP.lat, SP.lon, accuracy_m=5.0)
    t = make_tester(store, settings, clock, lambda: here)
    assert t.test("rf_mesh", lambda *a: None, None).reachable
    assert t.last_report.verdict is Verdict.ADEQUATE and t.last_report.loss_pct <= 10
    site_world.position.move_to(*offset(SP.lat, SP.lon, -3500, 3500))
    tested = t.test("rf_mesh", lambda *a: None, None)
    assert not tested.reachable and t.last_report.verdict is Verdict.NONE
    assert t.last_report.meter_registration == "not_registered"
    assert t.last_report.reasons[-1].startswith("link test to ami: ") and "no collector in range" in tested.detail
    assert [r.verdict for r in CoverageReports(store).list()] == [Verdict.ADEQUATE, Verdict.NONE]
    assert [e.payload["verdict"] for e in store.outbox.list()] == ["adequate", "none"]
    assert all(contract_problems(e) == [] for e in store.outbox.list())


def test_a_missing_port_or_plugin_is_said_in_words(store, clock):
    from fieldtool.domain.errors import UserFacingError

    t = make_tester(store, RadioSettings(), clock, None)
    assert t.technologies() == []
    with pytest.raises(UserFacingError, match="No port is configured for the rf_mesh radio"):
        t.test("rf_mesh", lambda *a: None, None)
    with pytest.raises(UserFacingError, match="No radio plug-in serves the technology 'pager'"):
        t.test("pager", lambda *a: None, None)
    assert store.outbox.list() == []


def test_meter_signal_log_shapes():
    class Sample:
        at = datetime(2026, 3, 12, tzinfo=UTC)
        signal_dbm = -88

    class Link:
        def __init__(self, entries):
            self.entries = entries

        def read_signal_log(self, progress, cancel):
            return self.entries

    direct = SignalSample(datetime(2026, 3, 12, tzinfo=UTC), -90.0)
    assert read_meter_signal_log(Link([direct, Sample()])) == (direct, SignalSample(Sample.at, -88.0))
    assert read_meter_signal_log(object()) == ()
    from fieldtool.domain.errors import InputError

    assert read_meter_signal_log(Link([{"rssi": -80, "link_quality": 170}])) == (SignalSample(None, -80.0, 170),)
    with pytest.raises(InputError, match="Entry 1"):
        read_meter_signal_log(Link([{"at": direct.at}]))


def test_registration_watch_retries_every_interval_after_the_installer_left(store, site_world, settings, clock):
    """I1NFR3: a collector outage keeps the meter off the network; the watcher retries every 15 minutes,
    tells the back office each time (after the installer has left, too), delivers the soft-registration by
    radio once a collector is back, and ends when the meter has registered."""
    start = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
    fake = SteppedClock(start, clock.scale)
    site_world.faults["down"] = ["C-101", "C-205", "R-17"]
    with RfMesh(settings.rf_mesh_port, clock=fake, settings=settings.driver_settings()) as radio:
        w = RegistrationWatcher(store, settings=settings, check=radio_check(radio), send_soft=radio_soft_sender(radio),
                                clock=fake)
        w.watch(job_id="WO-1", meter_number="AMI0000001", technology="rf_mesh", meter_address=METER,
                soft_registration={"meter_number": "AMI0000001", "isp": SP.isp_number})
        assert w.run_due(start + timedelta(minutes=14)) == []  # not due before the interval
        w.installer_left("WO-1", "AMI0000001", start + timedelta(minutes=14))
        (first,) = w.run_due(start + timedelta(minutes=15))
        assert (first.attempts, first.last_state, first.soft_registration_ref) == (1, "not_registered", None)
        assert first.next_check_at == start + timedelta(minutes=30)
        site_world.faults["down"] = []  # the outage ends
        (second,) = w.run_due(start + timedelta(minutes=30))
    assert second.outcome == "registered" and second.ended_at == start + timedelta(minutes=30)
    assert second.soft_registration_ref and site_world.soft_registrations[0]["record"]["isp"] == SP.isp_number
    assert w.active() == []
    told = [(e.payload["event"], e.payload["to_state"], e.payload["data"]["installer_on_site"])
            for e in store.outbox.list()]
    assert told == [("registration_watch_started", "registration_watch:watching", True),
                    ("registration_watch_installer_left", "registration_watch:watching", False),
                    ("registration_retry", "registration_watch:watching", False),
                    ("soft_registration_sent_by_radio", "registration_watch:watching", False),
                    ("meter_registered", "registration_watch:registered", False)]
    assert all(e.kind == "transition" and e.job_id == "WO-1" and contract_problems(e) == [] for e in store.outbox.list())


def test_registration_watch_gives_up_and_says_so(store, clock):
    start = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
    settings = replace(RadioSettings(), registration_retry_interval_s=600, registration_watch_hours=0.5)
    w = RegistrationWatcher(store, settings=settings, check=lambda watch: None, clock=SteppedClock(start, 1.0))
    w.watch(job_id="WO-2", meter_number="AMI0000002", now=start)
    assert [x.attempts for x in w.run_due(start + timedelta(minutes=10))] == [1]
    assert [x.attempts for x in w.run_due(start + timedelta(minutes=20))] == [2]
    (last,) = w.run_due(start + timedelta(minutes=30))
    assert last.outcome == "expired"
    assert store.outbox.list()[-1].payload["event"] == "registration_watch_expired"
    retries = [e.payload["data"]["state"] for e in store.outbox.list() if e.payload["event"] == "registration_retry"]
    assert retries == ["unknown"] * 2


def test_watches_survive_a_restart(tmp_path):
    start = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
    path = tmp_path / "field.db"
    with open_store(path) as s:
        RegistrationWatcher(s, settings=RadioSettings(), check=lambda w: None).watch(
            job_id="WO-3", meter_number="M3", now=start)
    with open_store(path) as s:
        (w,) = RegistrationWatcher(s, settings=RadioSettings(), check=lambda w: None).active()
    assert (w.job_id, w.next_check_at) == ("WO-3", start + timedelta(minutes=15))


def test_headend_check_after_the_installer_left(store):
    from fieldtool.domain.errors import UserFacingError
    from fieldtool.services.registration_watch import headend_check

    answers = iter([UserFacingError("The back office cannot be reached."),
                    {"meter_number": "AMI0000001", "registered": False, "manual_read_route": True},
                    {"meter_number": "AMI0000001", "registered": True, "heard_at": "2026-03-12T10:40:00+00:00",
                     "manual_read_route": False}])

    def lookup(meter_number):
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    start = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
    w = RegistrationWatcher(store, settings=RadioSettings(), check=headend_check(lookup), clock=SteppedClock(start, 1))
    w.watch(job_id="WO-4", meter_number="AMI0000001", now=start)
    states = [w.run_due(start + timedelta(minutes=15 * i))[0].last_state for i in (1, 2, 3)]
    assert states == ["unknown", "not_registered", "registered"]
    assert w.get("WO-4", "AMI0000001").outcome == "registered"


def test_discovery_is_what_the_service_uses():
    assert discover().for_technology("rf_mesh").driver is RfMesh


def test_the_report_carries_the_gps_position_of_the_demo_walk(store, serve, clock):
    """The installer walks the demo NMEA log; the dongle's world follows the same log, and the report keeps
    the averaged GPS position with its accuracy (the scanning area's receiver code decodes both)."""
    from pathlib import Path

    from fieldtool.devices.gps import replay
    from firmware_sim.radios.setup import build_world

    walk = Path(__file__).resolve().parents[2] / "resources" / "demo" / "gps-walk.nmea"
    world = build_world({}, nmea=walk, clock=clock)
    url = serve(lambda: DongleSim(world, DongleConfig()))
    settings = RadioSettings(rf_mesh_port=url, link_test_packets=4, survey_dwell_s=1.0)
    fix = replay(walk).average
    here = Position(fix.lat, fix.lon, fix.accuracy_m, fix.time, "gps")
    t = make_tester(store, settings, clock, lambda: here)
    assert t.test("rf_mesh", lambda *a: None, None).reachable
    kept = CoverageReports(store).get(t.last_report.id)
    assert kept.position == here and kept.position.accuracy_m == fix.accuracy_m and kept.position.fix_time
    assert kept.verdict is Verdict.ADEQUATE and kept.heard[0].id == "C-101"
