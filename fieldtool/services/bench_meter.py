"""The meter on the bench, as the bench tests need it: the seam between bench mode and the optical port.

``BenchMeter`` is the small interface the communications and disconnect-switch tests run through;
``open_bench_meter(url)`` gives the real one, built on ``fieldtool.devices.meter.MeterLink`` (identify,
health flags, registers, the remote-disconnect procedure). Tests of bench mode itself may pass any object
with these two methods.

Thread rule: a ``BenchMeter`` is used from one thread at a time (the port's); the service calls it from the
thread the caller runs the test on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.domain.bench import CommsObservation, SwitchStep
from fieldtool.domain.errors import UserCancelled, UserFacingError

Progress = Callable[[int, int, str], None]


class SwitchUnsupported(UserFacingError):
    """The meter or its driver has no service-switch procedure: the disconnect test is recorded as not run."""


class BenchMeter(Protocol):
    def observe(self) -> CommsObservation:
        """Identify the meter, read its health flags and its registers (the communications test)."""

    def switch(self, state: str) -> None:
        """Command the service switch ``open`` or ``closed`` (the remote connect/disconnect procedure)."""

    def switch_state(self) -> str | None:
        """The switch state the meter reports now (``open``/``closed``), None if it does not say."""

    def close(self) -> None:
        """Release the port."""


def disconnect_procedure(meter: BenchMeter, *, clock: Clock = SYSTEM_CLOCK, settle_s: float = 2.0,
                         progress: Progress | None = None,
                         cancel: threading.Event | None = None) -> list[SwitchStep]:
    """Open the switch, read it back, close it, read it back; the switch is left closed.

    ``settle_s`` (configured) is the wait between a command and the read-back: a latching relay takes a
    moment and meters report the commanded state only once it has moved.
    """
    steps = []
    for i, state in enumerate(("open", "closed")):
        if cancel is not None and cancel.is_set():
            if steps:  # never leave a meter disconnected because someone pressed cancel
                meter.switch("closed")
            raise UserCancelled()
        if progress:
            progress(i, 2, f"switch {state}")
        meter.switch(state)
        clock.sleep(settle_s)
        steps.append(SwitchStep(state, meter.switch_state()))
    if progress:
        progress(2, 2, "switch test done")
    return steps


def open_bench_meter(url: str, *, clock: Clock = SYSTEM_CLOCK, settings=None) -> BenchMeter:
    """The meter on the optical probe at ``url`` (``COM3``, ``/dev/ttyUSB0``, ``socket://host:port``);
    ``settings`` is the ``[optical]`` configuration section (default: read from the file)."""
    from fieldtool.services.bench_meterlink import MeterLinkBench

    return MeterLinkBench.open(url, clock=clock, settings=settings)
