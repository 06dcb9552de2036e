"""The application's registration watch (I1NFR3): the head-end when the laptop is signed in, else the radio."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fieldtool.config import Config, paths
from fieldtool.services.context import AppContext
from fieldtool.services.watch_start import start_watching
from fieldtool.store.db import open_store
from firmware_sim.backoffice.headend import HeadEndReporter
from tests.radio.test_network_test_service import METER, SteppedClock
from tests.sync.conftest import HEADEND_KEY, make_service, start_backoffice


def test_signed_in_the_watch_asks_the_head_end_and_stops_with_the_context(tmp_path):
    running = start_backoffice(tmp_path / "bo" / "backoffice.db")
    svc = make_service(running.url)
    try:
        ctx = AppContext(paths(), Config({}), svc.store)
        ctx.sync = svc
        watcher = start_watching(ctx)
        assert watcher.source == "head-end" and ctx.registration_watcher is watcher
        assert watcher._thread.is_alive()
        now = datetime.now(UTC)
        watcher.watch(job_id="WO-1", meter_number="AMI900001", technology="rf_mesh", now=now)
        (first,) = watcher.run_due(now + timedelta(minutes=15))
        assert first.last_state == "not_registered" and first.outcome is None
        HeadEndReporter(running.url, HEADEND_KEY).heard("AMI900001", comm_address="rf:00:11")
        (second,) = watcher.run_due(now + timedelta(minutes=30))
        assert second.outcome == "registered"
        ctx.close()
        assert not watcher._thread.is_alive()
    finally:
        running.stop()
        running.backoffice.db.close()


def test_not_signed_in_the_watch_asks_the_configured_radio(tmp_path, dongle_url, clock):
    start = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
    url = dongle_url(meters={METER: "ok"})
    config = Config({"radio": {"rf_mesh_port": url, "command_timeout_s": 3.0}})
    ctx = AppContext(paths(), config, open_store(tmp_path / "field.db"), SteppedClock(start, clock.scale))
    watcher = start_watching(ctx)
    try:
        assert watcher.source == "radio"
        watcher.watch(job_id="WO-2", meter_number="AMI0000002", technology=None, meter_address=METER, now=start)
        (seen,) = watcher.run_due(start + timedelta(minutes=15))
        assert seen.attempts == 1 and seen.last_state == "registered" and seen.outcome == "registered"
        # a watch without a meter address cannot be asked over the air: it stays, and is tried again later
        watcher.watch(job_id="WO-3", meter_number="AMI0000003", technology="rf_mesh", now=start)
        (unasked,) = watcher.run_due(start + timedelta(minutes=30))
        assert unasked.outcome is None and unasked.last_state != "registered"
    finally:
        ctx.close()
    assert not watcher._thread.is_alive()
