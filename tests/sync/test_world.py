"""``python -m firmware_sim world`` and ``backoffice``: addresses as JSON, simulated meters reaching the
head-end view, a clean stop on SIGTERM / SIGINT."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from firmware_sim.world.cli import start_world
from tests.sync.conftest import FAST, signed_in


def test_world_in_process_parts_report_registrations(tmp_path):
    ctx, out, stop = start_world(tmp_path / "world", meters=2, plain_http=True)
    try:
        bo = out["backoffice"]
        assert bo["url"].startswith("http://127.0.0.1:") and bo["demo"]["password"]
        ack = ctx.report_registration("AMI900001", form="2S", program_id="PRG-RES-TOU-02")
        assert ack["recorded"] == 1
        client = signed_in(bo["url"], bo["demo"]["demo_installer"])
        assert client.registration("AMI900001")["registered"] is True
        assert client.work_orders(None)["items"]
    finally:
        stop()


def _child(*args):
    return subprocess.Popen([sys.executable, "-m", "firmware_sim", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=dict(os.environ))


def test_world_command_prints_addresses_and_stops_cleanly(tmp_path):
    child = _child("world", "--meters", "2", "--json", "--dir", str(tmp_path / "w"))
    try:
        out = json.loads(child.stdout.readline())
        bo = out["backoffice"]
        assert bo["url"].startswith("https://") and os.path.exists(bo["ca_file"])
        trusting = FAST.__class__(**{**FAST.__dict__, "ca_bundle": bo["ca_file"]})
        assert signed_in(bo["url"], bo["demo"]["demo_installer"], settings=trusting).programs()
    finally:
        child.send_signal(signal.SIGTERM)
        assert child.wait(15) == 0, child.stderr.read()


def test_backoffice_command_keeps_its_store_across_runs(tmp_path):
    db = tmp_path / "bo.db"
    for round in range(2):
        child = _child("backoffice", "--listen", "127.0.0.1:0", "--db", str(db), "--plain-http")
        try:
            out = json.loads(child.stdout.readline())
            client = signed_in(out["url"], out["demo"]["demo_installer"])
            ev = {"id": "7f0c5a2e-3d1b-4c8e-9a6f-0b1c2d3e4f50", "kind": "go_back", "schema_version": 1,
                  "correlation_id": "c", "job_id": None, "occurred_at": "2026-11-26T09:00:00Z", "event_type": None,
                  "payload": {"reason": "no_access", "notes": "gate locked"}}
            assert client.post_events([ev])[0]["status"] == ("accepted" if round == 0 else "duplicate")
        finally:
            child.send_signal(signal.SIGINT)
            assert child.wait(15) == 0
    r = subprocess.run([sys.executable, "-m", "firmware_sim", "backoffice", "--listen", "10.0.0.1:1", "--db",
                        str(db), "--plain-http"], capture_output=True, text=True)
    assert r.returncode == 2 and "loopback" in r.stderr
