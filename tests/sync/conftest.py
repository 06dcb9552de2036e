"""A reference back office per test (plain HTTP on loopback unless the test asks for TLS), with a clock the
test can move, and helpers to sign a client in."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from fieldtool.sync.client import BackOfficeClient
from fieldtool.sync.settings import SyncSettings
from firmware_sim.backoffice import server as bo_server
from firmware_sim.backoffice.app import BackOffice
from firmware_sim.backoffice.db import BackOfficeDb
from firmware_sim.backoffice.seed import DEMO_PASSWORD, seed

HEADEND_KEY = "test-headend-key"


class MovableClock:
    """The back office's wall clock, which a test can move forward (token expiry)."""

    def __init__(self):
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.fixture
def server_clock():
    return MovableClock()


def start_backoffice(path, clock=None, tls_dir=None, access_ttl=3600.0, work_orders=12):
    db = BackOfficeDb(path)
    seed(db, work_orders=work_orders, demo_file=None)
    bo = BackOffice(db, now=clock, access_ttl=access_ttl, headend_key=HEADEND_KEY)
    return bo_server.start(bo, tls_dir=tls_dir)


@pytest.fixture
def backoffice(tmp_path, server_clock):
    running = start_backoffice(tmp_path / "bo" / "backoffice.db", server_clock)
    yield running
    running.stop()
    running.backoffice.db.close()


FAST = SyncSettings(connect_timeout_s=2.0, read_timeout_s=5.0, batch_size=100, backoff_initial_s=0.01,
                    backoff_max_s=0.05, interval_s=0.05, refresh_margin_s=1.0)


def signed_in(url: str, user: str = "inst-001", settings: SyncSettings = FAST, **kw) -> BackOfficeClient:
    client = BackOfficeClient(url, settings, **kw)
    device = str(uuid.uuid4())
    secret = client.enroll(user, DEMO_PASSWORD, device, "test laptop")
    client.login(user, DEMO_PASSWORD, device, secret)
    return client


def make_service(url: str, settings: SyncSettings = FAST, user: str = "inst-001", **kw):
    """A SyncService on this test's own store and vault, signed in to ``url``."""
    from fieldtool.services.sync import SyncService
    from fieldtool.store.db import open_store
    from fieldtool.store.vault import open_vault

    store = open_store()
    svc = SyncService(store, open_vault(store), settings=settings, **kw)
    svc.login(url, user, DEMO_PASSWORD)
    return svc


def transition(job_id: str, n: int, at: datetime):
    """A valid workflow-transition outbox event (the n-th of its job)."""
    from fieldtool.store.outbox import OutboxEvent

    return OutboxEvent.new("transition", {"from_state": f"s{n}", "to_state": f"s{n + 1}", "event": f"Step{n}",
                                          "actor": "inst-001", "at": at.isoformat()}, at=at, job_id=job_id)


def server_events(running) -> list:
    """Every event the back office holds, in the order it took them in."""
    with running.backoffice.db.tx() as c:
        return c.execute("SELECT id, job_id, seq, body FROM events ORDER BY seq").fetchall()
