"""The AMI network between the world's simulated meters and the back office's head-end.

A real meter joins the network once it is powered at the premise and reports itself to the head-end. Here
a meter counts as installed when its state file (``firmware_sim/meter/state.py``, written atomically by
the meter simulator) holds an installation record — the field tool writes it over the optical port — and
``join_s`` seconds later the bridge reports it as heard: its meter id, form, program id, network address,
the position the installer wrote, and its kWh register. A new program id (step 8.3) is reported again.

Thread rule: one polling thread; ``stop()`` ends it. Reports go through ``ctx.report_registration``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)


class HeadEndBridge:
    def __init__(self, ctx, meters: list[dict], *, join_s: float = 2.0, poll_s: float = 0.5):
        self.ctx = ctx
        self.meters = [m for m in meters if m.get("state_file")]
        self.join_s, self.poll_s = join_s, poll_s
        self.reported: dict[str, tuple] = {}  # state file -> what was last reported
        self.seen_at: dict[str, tuple[tuple, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="headend-bridge", daemon=True)

    def start(self) -> HeadEndBridge:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.wait(self.poll_s):
            try:
                self.poll_once()
            except Exception:  # a half-written or odd state file must not stop the network
                log.exception("head-end bridge poll failed")

    def poll_once(self, now: float | None = None) -> int:
        """Report every meter that is due; returns how many were reported."""
        now = time.monotonic() if now is None else now
        done = 0
        for meter in self.meters:
            path = Path(meter["state_file"])
            try:
                state = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            record = state.get("install_record") or {}
            if not record:
                continue
            key = (json.dumps(record, sort_keys=True, default=str), (state.get("program") or {}).get("program_id"))
            if self.reported.get(str(path)) == key:
                continue
            first = self.seen_at.get(str(path))
            if first is None or first[0] != key:
                self.seen_at[str(path)] = (key, now)
                if self.join_s > 0:
                    continue
            elif now - first[1] < self.join_s:
                continue
            self.ctx.report_registration(state["meter_id"], **_heard(meter, state, record))
            self.reported[str(path)] = key
            done += 1
        return done


def _heard(meter: dict, state: dict, record: dict) -> dict:
    from firmware_sim.meter.profiles import PROFILES
    from firmware_sim.meter.state import MeterState

    profile = PROFILES.get(meter.get("profile", ""))
    wh = float(state.get("wh_delivered", 0.0))
    if profile is not None:  # the register as it stands now, as the meter itself computes it
        wh = MeterState.load(Path(meter["state_file"]), profile).energy(profile, time.time())[0]
    lat, lon = record.get("latitude_e7"), record.get("longitude_e7")
    position = {"lat": lat / 1e7, "lon": lon / 1e7, "accuracy_m": None} if lat and lon else None
    return {
        "form": profile.form if profile else None,
        "program_id": (state.get("program") or {}).get("program_id"),
        "comm_address": state.get("comm_address") or None,
        "technology": "rf_mesh",
        "position": position,
        "reads": [{"register": "kwh_delivered", "value": round(wh / 1000.0, 3),
                   "unit": "kWh", "read_at": datetime.now(UTC).isoformat()}],
    }
