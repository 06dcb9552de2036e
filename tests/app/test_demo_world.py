"""``make demo`` without a display: the whole simulated world, sign-in and sync, one exchange against a world
meter through ``fieldtool exchange run``, the results synced to the back office, and a clean stop."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from fieldtool import demo_world


@pytest.mark.timeout(240)
def test_make_demo_headless_works_the_day_and_stops_the_world(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "FIELDTOOL_HOME")}
    env["FIELDTOOL_DEMO_DIR"] = str(tmp_path)
    r = subprocess.run([sys.executable, "-m", "fieldtool.demo_world"], env=env, capture_output=True, text=True,
                       timeout=220, cwd=demo_world.ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout
    assert "signed in to the back office as INS-042" in out and "14 jobs on this laptop" in out
    assert "WO-260312-001: scan_meter → arrive" in out and "registered* → report" in out
    assert "now awaiting_verification" in out and "registered True" in out
    assert "0 refused, 0 failed requests" in out and "0 still queued" in out and out.rstrip().endswith("demo finished.")
    assert "WO-260312-001: complete" in out or "WO-260312-001: discrepancy" in out
    home = tmp_path / "home"
    sims = json.loads((home / "data" / "simulators.json").read_text())["meters"]
    assert [m["meter_id"] for m in sims] == ["72600101", "72600102"]
    assert all(m["url"].startswith("socket://127.0.0.1:") for m in sims)
