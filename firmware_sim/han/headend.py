"""A simulated AMI head-end for the HAN: it takes the back office's pending HAN requests, carries them to the
simulated meters' ESIs (as the AMI network would) and reports each meter's HAN back (I1FR45).

Thread rule: one daemon thread polls every ``interval_s``; ``stop()`` ends it. ``meters()`` returns the
running ``MeterServer`` objects at the time of the call (the world's meters start after this part).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import httpx

log = logging.getLogger("firmware_sim.han.headend")


class HanHeadEnd:
    def __init__(self, backoffice_url: str, headend_key: str, meters: Callable[[], list], *,
                 ca_file: str | None = None, interval_s: float = 0.2):  # fmt: skip
        self.http = httpx.Client(base_url=backoffice_url, verify=ca_file or True, timeout=5.0,
                                 headers={"Authorization": f"Bearer {headend_key}"})  # fmt: skip
        self.meters = meters
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="han head-end", daemon=True)

    def start(self) -> HanHeadEnd:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.http.close()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.cycle()
            except (httpx.HTTPError, ValueError) as e:  # the back office restarting: try again next time
                log.info("HAN head-end cycle failed: %s", e)

    def cycle(self) -> int:
        """One round: carry every pending request, report every meter's HAN. Returns requests carried."""
        r = self.http.get("/headend/v1/han/requests")
        r.raise_for_status()
        by_meter = {(s.shared.state.meter_id or "").strip(): s for s in self.meters()}
        carried: dict[str, list[str]] = {}
        for req in r.json()["requests"]:
            server = by_meter.get(req["meter_number"])
            if server is None:
                continue  # not a meter this head-end reaches (yet)
            server.han.apply(req)
            carried.setdefault(req["meter_number"], []).append(req["request_id"])
        for number, server in by_meter.items():
            if not number:
                continue
            report = {"meter_number": number, **server.han.wire(), "carried": carried.get(number, [])}
            self.http.post("/headend/v1/han/status", json=report).raise_for_status()
        return sum(len(v) for v in carried.values())
