"""How a simulated meter behaves over time after power-up: self-test outcome and network registration.

By default the self-test finishes after a few seconds and the meter registers with the AMI network well
inside the 2 minutes of I1NFR2. Other behaviours: registers after N seconds, never registers, or flaps
(registered / lost alternating every N seconds). ``time_scale`` shrinks every duration for tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from fieldtool.protocols.c1219.standard import flag_mask

SELF_TEST_OUTCOMES = {
    "clean": 0,
    "non-critical": flag_mask(["low_battery", "tamper_detect"]),
    "critical": flag_mask(["nonvolatile_memory_failure"]),
}


@dataclass(frozen=True)
class Behaviour:
    self_test: str = "clean"
    self_test_s: float = 5.0
    registration: str = "default"  # default | after:N | never | flaps:N
    time_scale: float = 1.0

    @classmethod
    def parse(cls, self_test: str = "clean", registration: str = "default", time_scale: float = 1.0) -> Behaviour:
        if self_test not in SELF_TEST_OUTCOMES:
            raise ValueError(f"self-test outcome must be one of {sorted(SELF_TEST_OUTCOMES)}")
        kind, _, arg = registration.partition(":")
        if kind not in ("default", "after", "never", "flaps") or (kind in ("after", "flaps") and not _num(arg)):
            raise ValueError("registration must be default, after:SECONDS, never or flaps:SECONDS")
        return cls(self_test, 5.0, registration, time_scale)

    def _s(self, v: float) -> float:
        return v * self.time_scale

    def status_flags(self, elapsed: float) -> int:
        """ST3 flags raised by the self-test (none until it has run)."""
        return SELF_TEST_OUTCOMES[self.self_test] if elapsed >= self._s(self.self_test_s) else 0

    def registration_state(self, elapsed: float) -> tuple[str, float | None, int]:
        """(state, seconds since power-up when the current state began, attempts so far)."""
        kind, _, arg = self.registration.partition(":")
        after = self._s(float(arg)) if kind == "after" else self._s(35.0)
        attempts = 1 + int(elapsed // self._s(10.0))
        if elapsed < self._s(self.self_test_s):
            return "not_started", None, 0
        if kind == "never":
            return ("scanning" if elapsed < self._s(60) else "failed"), self._s(self.self_test_s), attempts
        if kind == "flaps":
            period = self._s(float(arg))
            n = math.floor(elapsed / period)
            if n == 0:
                return "joining", self._s(self.self_test_s), attempts
            return ("registered" if n % 2 else "lost"), n * period, attempts
        if elapsed < after:
            return "joining", self._s(self.self_test_s), attempts
        return "registered", after, attempts

    def rssi(self, elapsed: float) -> int:
        """A plausible, slowly wandering signal strength in dBm."""
        return int(-78 + 6 * math.sin(elapsed / max(self._s(30.0), 1e-6)))


def _num(s: str) -> bool:
    try:
        return float(s) >= 0
    except ValueError:
        return False
