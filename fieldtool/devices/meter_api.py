"""The protocol-neutral interface of an optical-port meter, and the results it gives.

A protocol plug-in (entry point group ``fieldtool.meter_protocols``) is a ``MeterProtocol`` subclass:
``probe(port, ctx)`` says quickly whether the meter on the port speaks it; ``open(port, ctx)`` starts a
session (``MeterSession``) that does the installer's operations. Sessions belong to one thread (MeterLink's
worker for the port) and take a ``progress(step, fraction)`` callback and the ``cancel`` event from ``ctx``.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from importlib.metadata import entry_points
from typing import Any

from fieldtool.clock import Clock
from fieldtool.devices.transcript import Transcript
from fieldtool.domain.errors import UserFacingError
from fieldtool.protocols.c1218.errors import ProtocolError

Progress = Callable[[str, float], None]


class NotDetected(ProtocolError):
    """The meter did not answer this protocol's first request (try the next protocol)."""


@dataclass(frozen=True)
class MeterIdentity:
    protocol: str
    manufacturer: str
    model: str
    serial: str  # manufacturer serial (ST1)
    meter_id: str  # utility meter number (ST5)
    fw_version: str
    form: str | None = None
    details: dict = field(default_factory=dict)  # protocol specifics (ST0 summary, nameplate ...)


@dataclass(frozen=True)
class Health:
    ok: bool
    critical: list[str]
    non_critical: list[str]
    not_monitored: list[str]
    modes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Registration:
    state: str  # not_started, scanning, joining, registered, failed, lost
    comm_address: str | None
    rssi_dbm: int | None
    since: datetime | None
    neighbours: int | None = None
    last_attempt: datetime | None = None


@dataclass(frozen=True)
class ClockCheck:
    meter: datetime | None
    tool: datetime
    drift_s: float | None


@dataclass(frozen=True)
class RegisterValue:
    register: str  # kwh_delivered, kwh_received, kvarh_total, kw_max_demand_delivered, power_factor ...
    value: float
    unit: str


@dataclass(frozen=True)
class InstallInfo:
    """What the installer writes into the new meter (I1FR8, I1FR10, I1FR11)."""

    service_point_id: str
    work_order_id: str = ""
    removed_meter_id: str = ""
    removed_final_read: float | None = None
    customer_id: str = ""
    installer_id: str = ""
    installed_at: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class ProgramResult:
    requested: str
    program_id: str  # as read back after the load
    loaded_at: datetime | None
    verified: bool


@dataclass(frozen=True)
class LogEntry:
    at: datetime | None
    code: int
    text: str


@dataclass(frozen=True)
class SignalSample:
    at: datetime | None
    rssi_dbm: int
    link_quality: int | None = None


@dataclass(frozen=True)
class SwitchStatus:
    """The service (disconnect) switch as the meter reports it."""

    state: str  # closed, open, armed
    last_operation: str  # none, open, close, arm
    result: str  # none, in_progress, succeeded, stuck, refused_load_voltage
    load_voltage: bool  # voltage present on the customer's side
    operations: int
    last_operation_at: datetime | None = None


class SwitchNotSupported(UserFacingError):
    """The meter (or its protocol) has no service switch the tool can operate."""


class SwitchFailed(UserFacingError):
    """The meter took the switch command but the switch did not end where it was told to."""

    def __init__(self, message: str, status: SwitchStatus, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.status = status


@dataclass
class SessionContext:
    """What a protocol needs besides the port: settings, secrets, clock, transcript, progress, cancel."""

    settings: Any  # config.OpticalSettings
    password: bytes | None
    clock: Clock
    transcript: Transcript
    progress: Progress = lambda step, fraction: None
    cancel: threading.Event = field(default_factory=threading.Event)


class MeterSession(ABC):
    """One open session with a meter. Every method may raise ``UserFacingError`` (in words) or
    ``UserCancelled``; ``close`` never raises."""

    protocol = ""

    @abstractmethod
    def identify(self) -> MeterIdentity:
        """Implemented by each protocol."""

    @abstractmethod
    def health(self) -> Health:
        """Implemented by each protocol."""

    def self_test(self) -> Health:
        """Run the meter's self-test now where it can, then the health check. A protocol without a local
        self-test reports the flags as they stand."""
        return self.health()

    def clear_status(self) -> Health:
        """Clear the meter's status flags (those a clear can reset) and report what remains."""
        raise ProtocolError(f"A {self.protocol} meter has no status flags the tool can clear.",
                            hint="Clear them with the vendor's tool.")

    @abstractmethod
    def clock_check(self) -> ClockCheck:
        """Implemented by each protocol."""

    @abstractmethod
    def read_registers(self) -> list[RegisterValue]:
        """Implemented by each protocol."""

    @abstractmethod
    def read_table(self, table: int) -> tuple[bytes, Any]:
        """(raw bytes, decoded JSON-able value or None) of one table, by the protocol's numbering."""
        """Implemented by each protocol."""

    @abstractmethod
    def write_install_info(self, info: InstallInfo) -> dict:
        """Implemented by each protocol."""

    @abstractmethod
    def set_clock(self, when: datetime) -> ClockCheck:
        """Implemented by each protocol."""

    @abstractmethod
    def load_program(self, program: dict) -> ProgramResult:
        """Implemented by each protocol."""

    @abstractmethod
    def registration_status(self) -> Registration:
        """Implemented by each protocol."""

    @abstractmethod
    def program_id(self) -> str | None:
        """The program the meter runs now (step 8.2)."""
        """Implemented by each protocol."""

    @abstractmethod
    def event_log(self) -> list[LogEntry]:
        """Implemented by each protocol."""

    @abstractmethod
    def signal_log(self) -> list[SignalSample]:
        """Implemented by each protocol."""

    def read_mfg(self, name: str) -> dict:
        """A shared manufacturer table by name (``c1219.mfg.SPECS``), decoded. Protocols without
        manufacturer tables refuse in words."""
        raise ProtocolError(f"A {self.protocol} meter has no '{name}' table the tool can read.")

    def write_mfg(self, name: str, values: dict) -> None:
        """Write a shared manufacturer table by name (the HAN join list and command queue)."""
        raise ProtocolError(f"A {self.protocol} meter has no '{name}' table the tool can write.")

    def switch(self, state: str) -> SwitchStatus:
        """Command the service switch to ``open``, ``closed`` or ``armed`` and wait until it has moved.
        Raises ``SwitchFailed`` when it did not, ``SwitchNotSupported`` when there is no switch."""
        raise SwitchNotSupported(f"A {self.protocol} meter has no service switch the tool can operate.",
                                 hint="Test the disconnect switch with the vendor's tool, or not at all.")  # fmt: skip

    def switch_state(self) -> SwitchStatus:
        """The service switch's state, last operation and count."""
        raise SwitchNotSupported(f"A {self.protocol} meter does not report a service switch to the tool.",
                                 hint="Test the disconnect switch with the vendor's tool, or not at all.")  # fmt: skip

    def keep_alive(self) -> None:  # noqa: B027 - optional: a protocol without keep-alive does nothing
        """Traffic that keeps the session from timing out while the installer is busy."""

    @abstractmethod
    def close(self) -> None:
        """Implemented by each protocol."""


class MeterProtocol(ABC):
    """A plug-in: ``name`` as in the entry point, ``probe`` and ``open``."""

    name = ""

    @abstractmethod
    def probe(self, port, ctx: SessionContext) -> bool:
        """Implemented by each protocol."""

    @abstractmethod
    def open(self, port, ctx: SessionContext) -> MeterSession:
        """Start a session with the meter on ``port``."""


def load_protocols() -> list[MeterProtocol]:
    """Every installed protocol, C12.18 first (ANSI meters answer Identify fast; IEC sign-on is slow)."""
    found = []
    for ep in entry_points(group="fieldtool.meter_protocols"):
        try:
            cls = ep.load()
        except (ImportError, AttributeError):
            continue  # a declared plug-in that is not installed (yet)
        found.append(cls())
    return sorted(found, key=lambda p: (p.name != "c1218", p.name))
