"""What ``python -m firmware_sim world`` hands each part's ``world_part.start(ctx)``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from firmware_sim.backoffice.headend import HeadEndReporter


@dataclass
class WorldContext:
    base_dir: Path  # a folder for the part's state files (its own sub-folder is up to the part)
    meters: int  # how many simulated meters the world should have
    backoffice_url: str | None
    host: str = "127.0.0.1"
    ca_file: str | None = None  # the back office's self-signed certificate (None with plain HTTP)
    headend_key: str | None = None  # what a head-end sends to /headend/v1/registrations
    stops: list[Callable[[], None]] = field(default_factory=list)
    _reporter: HeadEndReporter | None = None

    def on_stop(self, fn: Callable[[], None]) -> None:
        """Register cleanup; called in reverse order when the world stops."""
        self.stops.append(fn)

    def report_registration(self, meter_number: str, **fields) -> dict:
        """Tell the back office's head-end that it heard ``meter_number`` (fields: form, program_id,
        comm_address, technology, position {lat, lon}, reads [{register, value, unit, read_at}])."""
        if self.backoffice_url is None or self.headend_key is None:
            raise RuntimeError("the world has no back office")
        if self._reporter is None:
            self._reporter = HeadEndReporter(self.backoffice_url, self.headend_key, self.ca_file)
            self.on_stop(self._reporter.close)
        return self._reporter.heard(meter_number, **fields)
