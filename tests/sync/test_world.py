"""``python -m firmware_sim world`` and ``backoffice``: addresses as JSON, simulated meters reaching the
head-end view, a clean stop on SIGTERM / SIGINT."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

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


def test_installed_meters_reach_the_head_end_view_through_the_bridge(tmp_path):
    from firmware_sim.meter.profiles import PROFILES
    from firmware_sim.meter.state import MeterState
    from firmware_sim.world.headend_bridge import HeadEndBridge

    ctx, out, stop = start_world(tmp_path / "world", meters=2, plain_http=True)
    try:
        meters = out["meter"]["meters"]
        assert len(meters) == 2 and out["backoffice"]["headend_bridge"]["meters"] == 2
        issued = out["backoffice"]["issued_simulated_meters"]
        assert len(issued) == 2  # in the demo installer's truck, so the field tool may install them
        bridge = HeadEndBridge(ctx, meters, join_s=1.0)
        assert bridge.poll_once(now=0.0) == 0  # factory-fresh meters are not on the network
        first = meters[0]
        profile = PROFILES[first["profile"]]
        state = MeterState.load(Path(first["state_file"]), profile)
        state.install_record = {"service_point_id": "ISP-N000001", "work_order_id": "WO-N00001",
                                "latitude_e7": 455012345, "longitude_e7": -735698765}
        state.save(Path(first["state_file"]))  # what the simulator writes after the field tool's write
        assert bridge.poll_once(now=10.0) == 0  # joining the network takes a moment
        assert bridge.poll_once(now=11.5) == 1
        assert bridge.poll_once(now=20.0) == 0  # reported once
        client = signed_in(out["backoffice"]["url"], out["backoffice"]["demo"]["demo_installer"])
        assert set(issued) <= {m["meter_number"] for m in client.inventory()["issued"]}
        reg = client.registration(state.meter_id)
        assert reg["registered"] and reg["form"] == profile.form and reg["comm_address"] == state.comm_address
        assert reg["program_id"] == state.program["program_id"] and abs(reg["position"]["lat"] - 45.5012345) < 1e-6
        assert reg["reads"][0]["value"] >= state.wh_delivered / 1000.0
    finally:
        stop()
