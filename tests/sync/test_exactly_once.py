"""5,000 events through a bad network, with the client crashing and restarting mid-drain: each reaches
the back office exactly once, in order per job, and the outbox ends with every event delivered."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from firmware_sim.backoffice.faultproxy import FaultProxy, Faults
from tests.sync.conftest import FAST, make_service, server_events, transition

RATES = {"drop": 0.07, "delay": 0.05, "error": 0.05, "late_error": 0.06, "cut": 0.07, "duplicate": 0.07,
         "garbage": 0.03}


SETTINGS = replace(FAST, batch_size=50)


class Crash(BaseException):
    """The laptop dies right after the request went out (rows stay ``attempted``)."""


def test_5000_events_exactly_once_in_order(backoffice):
    faults = Faults(seed=11, delay_s=0.02)
    proxy = FaultProxy(backoffice.url, faults).start()
    try:
        svc = make_service(proxy.url, settings=SETTINGS)
        jobs = [f"WO-N{i:05d}" for i in range(1, 13)]
        t0 = datetime.now(UTC)
        events = [transition(jobs[i % len(jobs)], i // len(jobs), t0 + timedelta(microseconds=i)) for i in range(5000)]
        svc.store.outbox.enqueue(events)
        faults.rates.update(RATES)

        # Run 1: the worker thread, stopped cleanly part-way.
        svc.start()
        _wait(lambda: svc.store.outbox.counts()["delivered"] >= 800)
        svc.stop()
        # Run 2: crashes after its request left (the reply is never read).
        svc2 = _restarted(svc, proxy.url)
        original = svc2.drain._client_now().post_events
        calls = {"n": 0}

        def crashing(batch):
            results = original(batch)  # the request reached the back office ...
            calls["n"] += 1
            if calls["n"] == 2:
                raise Crash()  # ... and the laptop dies before the results are recorded
            return results

        svc2.drain._client_now().post_events = crashing
        with pytest.raises(Crash):
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                svc2.drain.drain_once()
                time.sleep(0.01)
        assert svc2.store.outbox.counts()["attempted"] > 0  # left mid-flight by the crash
        # Run 3: a fresh start re-queues what was in flight and finishes the job.
        svc3 = _restarted(svc2, proxy.url)
        svc3.start()
        _wait(lambda: svc3.store.outbox.counts()["delivered"] == 5000, timeout=60)
        svc3.stop()
    finally:
        proxy.stop()

    counts = svc3.store.outbox.counts()
    assert counts == {"queued": 0, "attempted": 0, "delivered": 5000, "rejected": 0}
    rows = server_events(backoffice)
    ids = [r["id"] for r in rows]
    assert len(ids) == 5000 and set(ids) == {e.id for e in events}  # each exactly once
    created = {e.id: i for i, e in enumerate(events)}
    for job in jobs:  # in capture order per job
        order = [created[r["id"]] for r in rows if r["job_id"] == job]
        assert order == sorted(order), job
    # the network really was bad: every kind of fault happened
    assert all(faults.counts[k] >= 1 for k in RATES), faults.counts


def _restarted(svc, url):
    from fieldtool.services.sync import SyncService
    from fieldtool.store.db import open_store
    from fieldtool.store.vault import open_vault

    svc.store.close()
    store = open_store()
    return SyncService(store, open_vault(store), settings=SETTINGS, server=url)


def _wait(cond, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
