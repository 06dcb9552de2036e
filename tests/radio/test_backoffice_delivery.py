"""The area's events reach the reference back office and are accepted; after the installer has left, the
registration watch asks the head-end view through the back office and ends when the head-end hears the meter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fieldtool.domain.coverage import CoverageReport, HeardNode, RadioSettings, SignalSample, Verdict
from fieldtool.domain.model import Position
from fieldtool.services.network_test import record_coverage
from fieldtool.services.registration_watch import RegistrationWatcher, headend_check
from firmware_sim.backoffice.headend import HeadEndReporter
from tests.sync.conftest import HEADEND_KEY, make_service, start_backoffice

JOB = "WO-N00001"


def test_coverage_and_watch_events_are_accepted_and_the_headend_ends_the_watch(tmp_path):
    running = start_backoffice(tmp_path / "bo" / "backoffice.db")
    svc = make_service(running.url)
    try:
        store = svc.store
        now = datetime.now(UTC)
        report = CoverageReport(
            id="7d4c1a52-2f0e-4a53-9a36-3f1f7a0c2b11", technology="rf_mesh", verdict=Verdict.MARGINAL,
            measured_at=now, metric="rssi_dbm", value=-96.5, reasons=("signal -96.5 dBm RSSI is below -90",),
            position=Position(36.7578, -119.8163, 4.5, now), loss_pct=10.0, rtt_avg_ms=82.0, via="C-101",
            heard=(HeardNode("C-101", "collector", -96.5, 11.5, 112, 0),), meter_registration="not_registered",
            meter_signal_log=(SignalSample(now - timedelta(minutes=15), -97.0, 150), SignalSample(None, -95.0)),
            plugin="rf_mesh", job_id=JOB, meter_number="AMI900001", installer_id="inst-001")
        assert record_coverage(store, report)
        client = svc.client()
        watcher = RegistrationWatcher(store, settings=RadioSettings(), check=headend_check(client.registration))
        watcher.watch(job_id=JOB, meter_number="AMI900001", technology="rf_mesh", now=now)
        watcher.installer_left(JOB, "AMI900001", now)
        (first,) = watcher.run_due(now + timedelta(minutes=15))
        assert first.last_state == "not_registered" and first.outcome is None
        HeadEndReporter(running.url, HEADEND_KEY).heard("AMI900001", comm_address="rf:00:11")
        (second,) = watcher.run_due(now + timedelta(minutes=30))
        assert second.outcome == "registered"
        client.close()
        svc.run_once()
        counts = store.outbox.counts()
        rejected = [(e.kind, e.reject_reason) for e in store.outbox.list(state="rejected")]
        assert rejected == [] and counts["delivered"] == 5 and counts["queued"] == counts["attempted"] == 0
    finally:
        svc.store.close()
        running.stop()
        running.backoffice.db.close()


def test_watch_run_through_the_headend_from_the_command_line(tmp_path, fieldtool_home, capsys):
    import json

    from fieldtool.cli import main

    running = start_backoffice(tmp_path / "bo" / "backoffice.db")
    try:
        make_service(running.url).store.close()  # signs this laptop in (session kept in the vault)
        (fieldtool_home / "config").mkdir(parents=True, exist_ok=True)
        (fieldtool_home / "config" / "fieldtool.toml").write_text("[radio]\nregistration_retry_interval_s = 0\n")
        assert main(["coverage", "watch", "--job-id", JOB, "--meter-number", "AMI900002", "--json"]) == 0
        HeadEndReporter(running.url, HEADEND_KEY).heard("AMI900002")
        capsys.readouterr()
        assert main(["coverage", "watch-run", "--headend", "--json"]) == 0
        (done,) = json.loads(capsys.readouterr().out)
        assert (done["meter_number"], done["outcome"], done["last_state"]) == ("AMI900002", "registered", "registered")
    finally:
        running.stop()
        running.backoffice.db.close()
