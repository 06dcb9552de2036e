"""``fieldtool login / sync / outbox / conflicts`` end to end, in child processes, against the reference back
office; and a sync process killed with SIGKILL in the middle of a drain."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import tomli_w

from fieldtool.config import paths
from fieldtool.store.db import open_store
from firmware_sim.backoffice.faultproxy import FaultProxy, Faults
from tests.conftest import cli_json, run_cli
from tests.sync.conftest import server_events, transition

KEYS = {"pulled", "pushed", "duplicates", "rejected", "errors", "queued"}


def _fast_config():
    p = paths().ensure()
    p.config_file.write_text(tomli_w.dumps({"sync": {
        "backoff_initial_s": 0.01, "backoff_max_s": 0.05, "interval_s": 0.05, "batch_size": 100,
        "read_timeout_s": 5.0, "connect_timeout_s": 2.0}}))


def _login(url):
    return cli_json("login", "--server", url, "--user", "inst-001", input="demo-password\n")


def test_login_sync_retry_and_conflicts(backoffice):
    _fast_config()
    r = run_cli("login", "--server", backoffice.url, "--user", "inst-001", "--json", input="wrong\n")
    assert r.returncode == 1 and "password is wrong" in json.loads(r.stdout)["error"]
    me = cli_json("login", "--server", backoffice.url, "--user", "inst-001", env={"FIELDTOOL_PASSWORD": "demo-password"})
    assert me["district"] == "north" and me["server"] == backoffice.url
    first = cli_json("sync", "--server", backoffice.url, "--once")
    assert set(first) == KEYS and first["pulled"] == 12 and first["queued"] == 0
    store = open_store()
    now = datetime.now(UTC)
    good = transition("WO-N00001", 0, now)
    bad = transition("WO-N00001", 1, now + timedelta(seconds=1))
    bad = bad.__class__(**{**bad.__dict__, "payload": {"to_state": "x"}})
    store.record_transition("WO-N00002", actor="inst-001", at=now, from_state=None, to_state="arrived",
                            event="Arrived", snapshot={}, work_order_status="in_progress")
    store.outbox.enqueue([good, bad])
    store.close()
    second = cli_json("sync", "--once")
    assert second == {"pulled": 0, "pushed": 1, "duplicates": 0, "rejected": 1, "errors": 0, "queued": 0}
    rejected = cli_json("outbox", "list", "--state", "rejected")["events"]
    assert [r["id"] for r in rejected] == [bad.id] and "from_state is a required property" in rejected[0]["reject_reason"]
    again = cli_json("outbox", "retry", bad.id)
    assert again["state"] == "queued" and "[invalid]" in again["previous_reason"]

    db = backoffice.backoffice.db
    with db.tx() as c:
        from firmware_sim.backoffice import plan

        wo = json.loads(c.execute("SELECT data FROM work_orders WHERE id='WO-N00002'").fetchone()["data"])
        plan.put(db, c, {**wo, "status": "cancelled"}, datetime.now(UTC))
    third = cli_json("sync", "--once")
    assert third["pulled"] == 1 and third["rejected"] == 1  # the retried event is refused again, for the same reason
    assert cli_json("verifications", "--job", "WO-N00001") == []  # the head-end has not heard a new meter
    listed = cli_json("conflicts", "list")
    assert [c["job_id"] for c in listed] == ["WO-N00002"] and listed[0]["change"] == "cancelled"
    done = cli_json("conflicts", "resolve", "WO-N00002", "--accept-server")
    assert done["resolution"] == "accept_server" and done["resolved_at"]
    r = run_cli("conflicts", "resolve", "WO-N00002", "--keep-local", "--json")
    assert r.returncode == 1 and "no open conflict" in json.loads(r.stdout)["error"]


def test_sync_without_login_or_to_an_unreachable_server():
    r = run_cli("sync", "--server", "http://127.0.0.1:9", "--once", "--json")
    assert r.returncode == 1 and "not signed in" in json.loads(r.stdout)["error"]


def test_streaming_sync_and_a_kill_mid_drain_loses_and_doubles_nothing(backoffice):
    _fast_config()
    proxy = FaultProxy(backoffice.url, Faults(seed=3)).start()
    try:
        _login(proxy.url)
        store = open_store()
        t0 = datetime.now(UTC)
        events = [transition(f"WO-N{1 + i % 12:05d}", i // 12, t0 + timedelta(microseconds=i)) for i in range(3000)]
        store.outbox.enqueue(events)
        store.close()
        proxy.faults.rates.update({"delay": 0.5, "cut": 0.1})
        proxy.faults.delay_s = 0.05
        child = subprocess.Popen([sys.executable, "-m", "fieldtool", "sync", "--json"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, env=dict(os.environ))
        deadline = time.monotonic() + 40
        while len(server_events(backoffice)) < 500:
            assert time.monotonic() < deadline and child.poll() is None
            time.sleep(0.02)
        child.send_signal(signal.SIGKILL)  # the laptop dies mid-drain
        child.wait(10)
        proxy.faults.rates.clear()
        streamed = subprocess.Popen([sys.executable, "-m", "fieldtool", "sync", "--json"], stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, env=dict(os.environ))
        lines = []
        while True:  # one JSON object per cycle until everything is delivered
            lines.append(json.loads(streamed.stdout.readline()))
            assert set(lines[-1]) == KEYS
            if lines[-1]["queued"] == 0 and not lines[-1]["errors"]:
                break
        streamed.send_signal(signal.SIGINT)
        assert streamed.wait(10) == 130
    finally:
        proxy.stop()
    rows = server_events(backoffice)
    assert sorted(r["id"] for r in rows) == sorted(e.id for e in events)
    assert open_store().outbox.counts()["delivered"] == 3000
