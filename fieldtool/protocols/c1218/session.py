"""Session rules of C12.18 as data: timeouts, retry policy and the service sequence.

These are plain values and small state machines; the device layer enforces the timeouts with its clock,
so tests scale them down through configuration (``Timeouts.scaled``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from fieldtool.protocols.c1218 import services as sv
from fieldtool.protocols.c1218.errors import RETRYABLE_CODES


@dataclass(frozen=True)
class Timeouts:
    """C12.18 timeouts in seconds (ansi-c12.md §1.4); C12.21 doubles some of them."""

    response: float = 2.0  # waiting for an ACK or for the first byte of a response
    interchar: float = 0.5  # silence inside a packet
    channel_traffic: float = 6.0  # the meter drops the session after this much silence
    link_retries: int = 3  # retransmissions of one packet

    @property
    def keep_alive(self) -> float:
        """Send Wait (or any traffic) this long after the last exchange (MSDK: traffic timeout - 2 s)."""
        return max(self.channel_traffic - 2.0, self.channel_traffic / 2)

    def scaled(self, factor: float) -> Timeouts:
        return replace(
            self,
            response=self.response * factor,
            interchar=self.interchar * factor,
            channel_traffic=self.channel_traffic * factor,
        )


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long apart a ``bsy`` / ``dnr`` answer is retried (MSDK: 20 times, 2 s apart)."""

    count: int = 20
    delay: float = 2.0

    def should_retry(self, code: int, attempt: int) -> bool:
        """``attempt`` counts the retries already made for this request."""
        return code in RETRYABLE_CODES and attempt < self.count


class SessionState(StrEnum):
    BASE = "base"  # nothing said yet, or after Terminate
    IDENTIFIED = "identified"  # Identify answered; Negotiate allowed
    SESSION = "session"  # logged on
    SECURED = "secured"  # Security accepted: the user's clearance applies


# Which requests each state accepts (ansi-c12.md §2.3; the simulated meter answers isss otherwise).
ALLOWED: dict[SessionState, tuple[type, ...]] = {
    SessionState.BASE: (sv.Identify, sv.Terminate),
    SessionState.IDENTIFIED: (sv.Identify, sv.Negotiate, sv.Logon, sv.Wait, sv.Terminate),
    SessionState.SESSION: (sv.Security, sv.Read, sv.Write, sv.Wait, sv.Logoff, sv.Terminate),
    SessionState.SECURED: (sv.Security, sv.Read, sv.Write, sv.Wait, sv.Logoff, sv.Terminate),
}


def allowed(state: SessionState, request) -> bool:
    return isinstance(request, ALLOWED[state])


def next_state(state: SessionState, request) -> SessionState:
    """The state after ``request`` was answered ``<ok>``."""
    match request:
        case sv.Identify():
            return SessionState.IDENTIFIED
        case sv.Logon():
            return SessionState.SESSION
        case sv.Security():
            return SessionState.SECURED
        case sv.Logoff():
            return SessionState.IDENTIFIED
        case sv.Terminate():
            return SessionState.BASE
    return state


def service_name(request) -> str:
    """The word used in messages: identify, negotiate, logon, security, read, write, ..."""
    return type(request).__name__.lower()
