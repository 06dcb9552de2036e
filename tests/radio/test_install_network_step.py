"""Step 7.1A.2 inside the install service: the job waits for registration in vain, the radio network test
runs through the plug-in on the simulated dongle, the meter's own signal-strength log and network address
come over the optical port from the simulated meter (I1FR34), and the report is kept with the transition."""

from __future__ import annotations

from datetime import timedelta

from fieldtool.config import Config
from fieldtool.domain.coverage import Verdict
from fieldtool.domain.exchange_events import JudgeCoverage, ReportMarginalCoverage, SoftRegister
from fieldtool.services.install import InstallService
from fieldtool.services.network_test import network_tester_for
from fieldtool.store.coverage import CoverageReports
from fieldtool.store.db import open_store
from firmware_sim.radios.dongle import DongleConfig, DongleSim
from firmware_sim.radios.world import PositionSource, RadioWorld, default_sites, offset
from tests.foundation.test_install_service import DEMO, HERE, JOB, T0, FakeClock, MeterDouble, to_install
from tests.optical.conftest import link, meter  # noqa: F401 - the optical tests' simulated meter fixtures


def marginal_world(clock) -> RadioWorld:
    """The town's network shifted away until the premise hears its best neighbour at -93..-98 dBm over a
    clean route: marginal RF coverage at the meter."""
    for metres in range(600, 2500, 50):
        for north, east in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
            world = RadioWorld(default_sites(*offset(HERE.lat, HERE.lon, north * metres, east * metres)),
                               PositionSource(HERE.lat, HERE.lon, clock=clock), clock=clock)
            links = world.links("rf_mesh")
            if links and -98 <= links[0].rssi_dbm <= -93 and world.path_to_ami("rf_mesh")[1] > 0.995:
                return world
    raise AssertionError("no marginal placement")


def test_network_step_of_the_install_service(tmp_path, serve, link, meter):  # noqa: F811
    clock = FakeClock(T0)
    clock.scale = 0.05  # device delays and timeouts at 1/20; the wall clock moves by hand
    world = marginal_world(clock)
    url = serve(lambda: DongleSim(world, DongleConfig()))
    config = Config({"exchange": {"registration_timeout_s": 120.0, "registration_poll_s": 5.0},
                     "radio": {"rf_mesh_port": url, "link_test_packets": 5, "survey_dwell_s": 1.0}})
    store = open_store(tmp_path / "t.db", clock=clock)
    try:
        svc = InstallService(store, clock, config)
        svc.import_download(DEMO)
        to_install(svc, clock)
        double = MeterDouble(polls=None)  # self-check, identify, write; then it never registers
        for _ in range(3):
            svc.device_step(JOB, meter=double)
        assert svc.await_registration(JOB, double).to_state == "network_test"
        _, optical_url = meter("acme-r1")
        optical = link(optical_url)
        job = svc.job(JOB)
        tester = network_tester_for(store, svc.work_order(JOB), job, config=config, clock=clock, meter_link=optical)
        assert tester.technologies() == ["rf_mesh"]
        t = svc.device_step(JOB, network=tester)
        assert t.to_state == "coverage"
        report = tester.last_report
        assert report.verdict is Verdict.MARGINAL, report.reasons
        # the unregistered meter reports no network address over the optical port, so it is not asked over the air
        assert report.meter_address is None and report.meter_registration is None
        # the meter logs its signal as it goes; the report holds the log as read during the test
        assert report.meter_signal_log and all(-100 < s.signal_dbm < -50 for s in report.meter_signal_log)
        assert all(s.at is not None and s.link_quality is not None for s in report.meter_signal_log)
        assert report.position == HERE and report.job_id == JOB and report.meter_number == job.actual.new_meter_number
        for event in (JudgeCoverage(Verdict.MARGINAL), ReportMarginalCoverage(t.job.network_tests[-1].detail),
                      SoftRegister()):
            clock.at += timedelta(seconds=30)
            svc.feed(JOB, event)
        assert svc.job(JOB).state == "awaiting_verification"
        assert CoverageReports(store).list(job_id=JOB) == [report]
        kinds = [e.kind for e in store.outbox.list() if e.job_id == JOB]
        assert "coverage_report" in kinds
    finally:
        store.close()
