"""How a simulated meter (or radio network) tells the back office's head-end that it heard a meter.

``HeadEndReporter(url, key, ca_file).report([...])`` posts to ``/headend/v1/registrations`` (see the
contract's ``HeadEndReport``). The world hands parts ``ctx.report_registration(**fields)``, built on this.
"""

from __future__ import annotations

from datetime import UTC, datetime

import httpx


class HeadEndReporter:
    def __init__(self, url: str, key: str, ca_file: str | None = None, timeout: float = 10.0):
        self.http = httpx.Client(base_url=url, verify=ca_file or True, timeout=timeout,
                                 headers={"Authorization": f"Bearer {key}"})

    def report(self, registrations: list[dict]) -> dict:
        """Record what the head-end heard; returns ``{"recorded", "verifications"}``."""
        r = self.http.post("/headend/v1/registrations", json={"registrations": registrations})
        r.raise_for_status()
        return r.json()

    def heard(self, meter_number: str, *, form: str | None = None, program_id: str | None = None,
              comm_address: str | None = None, technology: str | None = "rf_mesh", position: dict | None = None,
              reads: list[dict] | None = None, at: datetime | None = None) -> dict:
        """One meter heard now (its first registration, or a later read)."""
        return self.report([{
            "meter_number": meter_number, "heard_at": (at or datetime.now(UTC)).isoformat(),
            "comm_address": comm_address, "technology": technology, "form": form, "program_id": program_id,
            "position": position, "reads": reads or [],
        }])

    def close(self) -> None:
        self.http.close()
