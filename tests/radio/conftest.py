"""Radio tests: a scaled clock, a world at a fixed position, and simulators on socket:// or a pty."""

from __future__ import annotations

import pytest

from fieldtool.clock import Clock
from firmware_sim.radios.dongle import DongleConfig, DongleSim
from firmware_sim.radios.modem import ModemConfig, ModemSim
from firmware_sim.radios.transport import serve_pty, serve_socket
from firmware_sim.radios.world import PositionSource, RadioWorld, default_sites

HOME = (45.50170, -73.56730)
SCALE = 0.05  # device delays and host timeouts run at 1/20 of real time


@pytest.fixture
def clock():
    return Clock(SCALE)


@pytest.fixture
def world(clock):
    return RadioWorld(default_sites(*HOME), PositionSource(*HOME, clock=clock), clock=clock)


@pytest.fixture
def serve():
    """serve(make_device, pty=False) -> url; everything started is stopped after the test."""
    started = []

    def start(make_device, *, pty: bool = False) -> str:
        served = serve_pty(make_device) if pty else serve_socket(make_device)
        started.append(served)
        return served.url

    yield start
    for s in started:
        s.stop()


@pytest.fixture
def modem_url(world, serve):
    def make(pty: bool = False, **config) -> str:
        return serve(lambda: ModemSim(world, ModemConfig(**config)), pty=pty)
    return make


@pytest.fixture
def dongle_url(world, serve):
    def make(technology: str = "rf_mesh", pty: bool = False, **config) -> str:
        return serve(lambda: DongleSim(world, DongleConfig(technology=technology, **config)), pty=pty)
    return make


def contract_problems(event) -> list[str]:
    """What the back-office contract says is wrong with an outbox event as it goes on the wire."""
    from datetime import UTC

    from fieldtool.sync import contract

    wire = {"id": event.id, "kind": event.kind, "schema_version": event.schema_version,
            "correlation_id": event.correlation_id, "job_id": event.job_id,
            "occurred_at": event.created_at.astimezone(UTC).isoformat(), "event_type": None,
            "payload": event.payload}
    return contract.problems("Event", wire)
