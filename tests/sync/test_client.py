"""The client and the drain at their edges: address rules, malformed replies, clock skew, revoked sign-ins,
a conflicting duplicate, photos."""

from __future__ import annotations

import hashlib
import json
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fieldtool.clock import Clock
from fieldtool.domain.errors import InputError
from fieldtool.store.outbox import OutboxEvent
from fieldtool.sync.client import BackOfficeClient, Session, SyncError, check_server_url
from firmware_sim.backoffice.auth import revoke_installer
from tests.sync.conftest import FAST, make_service, server_events, signed_in, transition


def test_plain_http_only_to_loopback():
    assert check_server_url("http://127.0.0.1:8000/") == "http://127.0.0.1:8000"
    assert check_server_url("http://[::1]:8000") == "http://[::1]:8000"
    assert check_server_url("https://bo.example.net") == "https://bo.example.net"
    for bad in ("http://10.1.2.3:80", "http://bo.example.net", "ftp://x", "bo.example.net"):
        with pytest.raises(InputError):
            check_server_url(bad)


SESSION = Session("http://127.0.0.1:9", "inst-001", str(uuid.uuid4()), "s", "tok", "ref", 3600.0,
                  datetime.now(UTC).isoformat(), {})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(st.binary(max_size=300), st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20).map(lambda v: json.dumps(v).encode())), status=st.sampled_from([200, 200, 400, 401, 500, 503]))
def test_any_reply_is_used_or_refused_in_words(body, status):
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=body))
    client = BackOfficeClient(SESSION.server, FAST, session=SESSION, transport=transport)
    ev = {"id": str(uuid.uuid4())}
    with pytest.raises(SyncError) as e:  # never a KeyError, TypeError or a half-used reply
        client.post_events([ev])
    assert str(e.value)


def test_malformed_replies_leave_the_outbox_queued_with_the_reason(backoffice):
    svc = make_service(backoffice.url)
    svc.store.outbox.enqueue([transition("WO-N00001", i, datetime.now(UTC) + timedelta(microseconds=i))
                              for i in range(3)])
    replies = iter([b"<html>gateway</html>", json.dumps({"results": [{"id": "x", "status": "accepted"}],
                                                         "server_time": "2026-11-26T09:00:00Z"}).encode()])
    svc.transport = httpx.MockTransport(lambda request: httpx.Response(200, content=next(replies)))
    for expected in ("not JSON", "other events than the ones sent"):
        svc.drain._client = None
        time.sleep(0.06)  # past the (test-sized) back-off
        tally = svc.drain.drain_once()
        assert tally.errors == 1 and tally.pushed == 0
        rows = svc.store.outbox.list()
        assert {r.state for r in rows} == {"queued"} and expected in rows[0].last_error
    assert server_events(backoffice) == []


class SkewedClock(Clock):
    def __init__(self, skew: timedelta):
        super().__init__()
        self.skew = skew

    def now(self):
        return super().now() + self.skew


@pytest.mark.parametrize("skew", [timedelta(hours=-5), timedelta(hours=7)])
def test_clock_skew_does_not_break_tokens_or_delivery(backoffice, server_clock, skew):
    svc = make_service(backoffice.url, clock=SkewedClock(skew))
    token = svc.session().access_token
    svc.store.outbox.enqueue([transition("WO-N00002", 0, datetime.now(UTC) + skew)])
    counts = svc.run_once()
    assert counts["pushed"] == 1 and counts["errors"] == 0
    assert svc.session().access_token == token  # no needless refresh: lifetime counted on our own clock
    assert abs(svc.drain._client.server_skew_s - skew.total_seconds()) < 60
    server_clock.offset = timedelta(hours=3)  # now the token really expired on the server
    svc.store.outbox.enqueue([transition("WO-N00002", 1, datetime.now(UTC) + skew + timedelta(seconds=1))])
    assert svc.run_once()["pushed"] == 1
    assert svc.session().access_token != token  # refreshed and kept in the vault


def test_a_revoked_sign_in_keeps_events_queued_and_says_log_in_again(backoffice):
    svc = make_service(backoffice.url)
    with backoffice.backoffice.db.tx() as c:
        revoke_installer(c, "inst-001")
    svc.store.outbox.enqueue([transition("WO-N00003", 0, datetime.now(UTC))])
    counts = svc.run_once()
    assert counts["errors"] == 1 and counts["queued"] == 1
    view = svc.status.snapshot()
    assert view.signed_in is False and "log in again" in view.last_error.lower()
    svc.login(backoffice.url, "inst-001", "demo-password")
    assert svc.run_once()["pushed"] == 1


def test_a_conflicting_duplicate_is_rejected_the_installer_told_and_the_data_kept(backoffice):
    svc = make_service(backoffice.url)
    first = transition("WO-N00004", 0, datetime.now(UTC))
    svc.store.outbox.enqueue([first])
    assert svc.run_once()["pushed"] == 1
    # A restored backup brings back the same event id with different content.
    svc.store.close()
    svc.store.path.unlink()
    other = make_service(backoffice.url)
    edited = OutboxEvent(first.id, first.kind, 1, {**first.payload, "to_state": "edited"}, first.job_id,
                         first.correlation_id, first.created_at)
    other.store.outbox.enqueue([edited])
    counts = other.run_once()
    assert counts["rejected"] == 1 and counts["pushed"] == 0
    row = other.store.outbox.get(first.id)
    assert row.state == "rejected" and row.payload["to_state"] == "edited"  # the data stays
    assert "different event with this id" in row.reject_reason and "[conflict]" in row.reject_reason
    assert other.status.snapshot().rejected == 1


def test_photo_bytes_go_first_and_a_missing_file_is_refused_here_until_restored(backoffice, tmp_path):
    svc = make_service(backoffice.url)
    data = b"\xff\xd8photo" * 5000
    path = tmp_path / "p.jpg"
    payload = {"photo_id": str(uuid.uuid4()), "sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
               "taken_at": datetime.now(UTC).isoformat(), "local_path": str(path)}
    ev = OutboxEvent.new("photo", payload, at=datetime.now(UTC), job_id="WO-N00005")
    svc.store.outbox.enqueue([ev])
    counts = svc.run_once()
    assert counts["rejected"] == 1
    assert "not on this laptop" in svc.store.outbox.get(ev.id).reject_reason
    path.write_bytes(data)
    svc.retry(ev.id)
    assert svc.run_once()["pushed"] == 1
    body = json.loads(server_events(backoffice)[0]["body"])
    assert "local_path" not in body["payload"]  # the laptop's file path stays on the laptop
    assert (backoffice.backoffice.db.photo_dir / payload["photo_id"]).read_bytes() == data


def test_the_background_worker_drains_and_pulls_then_stops_cleanly(backoffice):
    svc = make_service(backoffice.url)
    svc.store.outbox.enqueue([transition("WO-N00006", i, datetime.now(UTC) + timedelta(microseconds=i))
                              for i in range(250)])
    svc.start()
    deadline = time.monotonic() + 20
    while svc.store.outbox.counts()["delivered"] < 250 or svc.store.work_orders.count() < 12:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    svc.stop()
    assert not svc.drain.running
    view = svc.status.snapshot()
    assert view.online and view.queued == 0 and view.last_success is not None and view.last_error is None


def test_signed_in_fixture_client_is_usable(backoffice):
    assert signed_in(backoffice.url).programs()


def test_one_sender_per_outbox_and_a_dead_holder_loses_the_lease(backoffice):
    svc = make_service(backoffice.url)
    svc.store.outbox.enqueue([transition("WO-N00007", 0, datetime.now(UTC))])
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:  # a live process on this machine holds the lease: we wait and say why
        assert svc.state.take_lease(f"{socket.gethostname()}:{other.pid}", datetime.now(UTC), 600)
        counts = svc.run_once()
        assert counts["pushed"] == 0 and counts["queued"] == 1
        assert "Another fieldtool" in svc.status.snapshot().last_error
    finally:
        other.kill()
        other.wait()
    assert svc.run_once()["pushed"] == 1  # its process is gone: the lease is taken over at once


def test_verdicts_come_back_on_the_next_pull_matched_by_correlation_id(backoffice):
    from firmware_sim.backoffice.headend import HeadEndReporter
    from tests.sync.conftest import HEADEND_KEY
    from tests.sync.test_backoffice import exchange

    svc = make_service(backoffice.url)
    wire = exchange(job="WO-N00008", old="LN700008", new="AMI900003")
    ev = OutboxEvent("c2b1f7de-0f6e-4c7a-9d59-6a1f4f1f2a10", "soft_registration", 1, wire["payload"], "WO-N00008",
                     "corr-WO-N00008", datetime.now(UTC))
    svc.store.outbox.enqueue([ev])
    assert svc.run_once()["pushed"] == 1
    body = json.loads(server_events(backoffice)[0]["body"])
    assert body["event_type"] == {"code": "3.6.0.52", "description": "meter replaced (exchange)"}
    HeadEndReporter(backoffice.url, HEADEND_KEY).heard("AMI900003", form="2S", program_id="PRG-RES-TOU-02")
    svc.run_once()
    verdicts = svc.verifications("WO-N00008")
    assert [v["step"] for v in verdicts] == ["8.1", "8.2"]
    assert {v["correlation_id"] for v in verdicts} == {"corr-WO-N00008"} and verdicts[1]["outcome"] == "program_ok"


def test_a_photo_taken_with_the_photo_service_reaches_the_back_office(backoffice, tmp_path):
    import numpy as np

    from fieldtool.domain.model import Position
    from fieldtool.services.photos import PhotoService

    svc = make_service(backoffice.url)
    image = (np.arange(64 * 48 * 3, dtype=np.uint32) % 251).astype(np.uint8).reshape(48, 64, 3)
    attached = PhotoService(svc.store, tmp_path / "photos", svc.clock).attach_image(
        "WO-N00009", image, position=Position(45.5, -73.6, 4.0), caption="meter base", attached_to="meter")
    assert svc.run_once()["pushed"] == 1
    assert svc.store.outbox.get(attached.event_id).state == "delivered"
    held = backoffice.backoffice.db.photo_dir / attached.photo.id
    assert hashlib.sha256(held.read_bytes()).hexdigest() == attached.photo.sha256


def test_sync_settings_outside_the_contract_are_refused_in_words():
    from dataclasses import replace

    from fieldtool.services.sync import _check_settings

    for bad in (replace(FAST, batch_size=501), replace(FAST, page_size=0), replace(FAST, backoff_jitter=1.5)):
        with pytest.raises(InputError, match=r"\[sync\]"):
            _check_settings(bad)
    _check_settings(FAST)


def test_built_from_the_app_context(backoffice):
    from fieldtool.services.context import AppContext
    from fieldtool.services.sync import SyncService

    ctx = AppContext.open()
    try:
        svc = SyncService.from_context(ctx)
        assert svc.login(backoffice.url, "inst-001", "demo-password")["district"] == "north"
        assert svc.run_once()["pulled"] == 12
    finally:
        ctx.close()
