"""The radio simulators as the demo starts them: `python -m firmware_sim radios`, and the world part."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fieldtool.clock import Clock
from firmware_sim.radios import world_part
from firmware_sim.radios.setup import build_world, dongle_config, modem_config
from plugins.gprs import Driver as Gprs
from plugins.rf_mesh import Driver as RfMesh


def test_cli_prints_its_addresses_and_serves_until_stopped(tmp_path):
    world = tmp_path / "world.json"
    world.write_text(json.dumps({"position": {"lat": 45.5017, "lon": -73.5673},
                                 "modem": {"registration": "roaming"}, "rf_mesh": {"meters": {"X": "dead"}}}))
    p = subprocess.Popen([sys.executable, "-m", "firmware_sim", "radios", "--world", str(world), "--scale", "0.05"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        info = json.loads(p.stdout.readline())
        urls = {r["plugin"]: r["url"] for r in info["radios"]}
        assert set(urls) == {"gprs", "rf_mesh", "plc"} and all(u.startswith("socket://127.0.0.1:") for u in urls.values())
        assert {s["technology"] for s in info["sites"]} == {"gprs", "rf_mesh", "plc"}
        with Gprs(urls["gprs"]) as modem:
            assert modem.survey().registration == "registered, roaming"
        with RfMesh(urls["rf_mesh"]) as dongle:
            assert dongle.registration_status("X").state.value == "no_answer"
    finally:
        p.terminate()
        assert p.wait(timeout=10) == 0


def test_cli_refuses_a_bad_world_in_words(tmp_path):
    bad = tmp_path / "world.json"
    bad.write_text(json.dumps({"modem": {"volume": 11}}))
    r = subprocess.run([sys.executable, "-m", "firmware_sim", "radios", "--world", str(bad)],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 2 and "unknown setting(s) volume" in r.stderr


def test_world_part_starts_every_radio_and_logs_soft_registrations(tmp_path):
    stops = []

    class Ctx:
        base_dir = tmp_path
        meters = 3
        backoffice_url = None
        host = "127.0.0.1"

        def on_stop(self, fn):
            stops.append(fn)

    out = world_part.start(Ctx())
    try:
        # the installer walks the scanning area's demo NMEA log; the sites are placed around its start
        assert out["position"]["nmea_log"].endswith("gps-walk.nmea") and out["position"]["accuracy_m"] > 0
        urls = {r["plugin"]: r["url"] for r in out["radios"]}
        with RfMesh(urls["rf_mesh"]) as dongle:
            assert dongle.send_soft_registration({"meter_number": "AMI0000001"}).accepted
        line = json.loads(Path(out["soft_registrations"]).read_text().splitlines()[0])
        assert line["record"] == {"meter_number": "AMI0000001"} and line["via"]
    finally:
        for fn in stops:
            fn()
    assert len(stops) == 3


def test_world_settings():
    spec = {"sites": [{"id": "C-1", "technology": "rf_mesh", "role": "collector", "lat": 1.0, "lon": 2.0}],
            "faults": {"down": ["C-1"]}, "plc": {"garbage": True}}
    w = build_world(spec, clock=Clock(0.1), position=(1.001, 2.0))
    assert [s.id for s in w.sites] == ["C-1"] and w.links("rf_mesh") == []
    assert dongle_config(spec, "plc").garbage and dongle_config(spec, "plc").technology == "plc"
    assert modem_config({}).sim == "ready"
