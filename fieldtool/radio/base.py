"""The radio plug-in contract: what every radio driver (ours in ``plugins/``, or a vendor's) implements.

A driver talks to one radio attached to the field tool (a cellular modem, an RF-mesh or PLC field dongle)
through a port URL (``/dev/ttyUSB0``, ``COM4``, ``socket://127.0.0.1:7001``). Its life is
``probe`` (is this my radio?) → ``open`` → any of the operations its ``capabilities`` declare → ``close``.

Thread rule: a driver instance is used by one thread at a time (the port's worker thread); its methods
block. Long operations (``survey``, ``link_test``) take ``progress(done, total, message)`` and a ``cancel``
``threading.Event``; when the event is set they stop at the next packet and raise ``UserCancelled``.
Every failure the installer can act on is a ``RadioError`` (a ``UserFacingError``) in words.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any, ClassVar

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.domain.errors import UserCancelled
from fieldtool.radio.errors import RadioNotSupported
from fieldtool.radio.results import (
    DeviceInfo,
    LinkTestResult,
    NetworkTime,
    RegistrationStatus,
    SoftRegistrationReceipt,
    SurveyResult,
)

API_VERSION = "1.0"
"""The plug-in API this fieldtool offers. A manifest's ``api`` list must name a version of the same major and
a minor not above ours (``1.0`` runs here; ``2.0`` or ``1.1`` does not)."""

Progress = Callable[[int, int, str], None]
PROBE_SETTINGS = {"command_timeout_s": 1.0, "sync_timeout_s": 0.5, "hello_retries": 0}  # a probe is a quick "no"


class Capability(StrEnum):
    SURVEY = "survey"  # neighbours (collectors, relays, concentrators, cells) with their signal
    LINK_TEST = "link_test"  # N packets to an address: loss, round-trip time, signal
    METER_REGISTRATION = "meter_registration"  # a meter's registration state, asked over the air
    SOFT_REGISTRATION = "soft_registration"  # carry a soft-registration to the AMI when in range
    NETWORK_TIME = "network_time"  # the network's time


class RadioDriver(ABC):
    """One radio on one port. Subclasses set ``name`` and ``technologies`` (matching their manifest)."""

    name: ClassVar[str] = ""
    technologies: ClassVar[tuple[str, ...]] = ()

    def __init__(self, port_url: str, *, clock: Clock = SYSTEM_CLOCK, settings: Mapping[str, Any] | None = None):
        self.port_url = port_url
        self.clock = clock
        self.settings = dict(settings or {})
        self.info: DeviceInfo | None = None

    # -- life cycle -------------------------------------------------------------------------------------
    @classmethod
    def probe(cls, port_url: str, *, clock: Clock = SYSTEM_CLOCK) -> DeviceInfo | None:
        """Is the radio on ``port_url`` one this driver speaks? Returns its identity, or None; never raises
        for a foreign device (zigpy's ``probe``)."""
        driver = cls(port_url, clock=clock, settings=PROBE_SETTINGS)
        try:
            return driver.open()
        except Exception:  # a foreign device answers garbage or nothing: that is a "no", not an error
            return None
        finally:
            driver.close()

    @abstractmethod
    def open(self) -> DeviceInfo:
        """Open the port, identify the radio and set it up; returns (and keeps in ``info``) its identity."""

    @abstractmethod
    def close(self) -> None:
        """Release the port. Safe to call twice or after a failed ``open``."""

    def __enter__(self) -> RadioDriver:
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @abstractmethod
    def capabilities(self) -> frozenset[Capability]:
        """What this radio can do, as declared after ``open`` (a modem without ping support has no link test)."""

    # -- operations (default: not supported) -------------------------------------------------------------
    def survey(self, *, progress: Progress | None = None, cancel: threading.Event | None = None) -> SurveyResult:
        """Listen for the network around: collectors, relays or cells, each with its signal."""
        raise self._unsupported(Capability.SURVEY)

    def link_test(
        self,
        target: str,
        *,
        count: int = 10,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> LinkTestResult:
        """Send ``count`` packets to ``target`` (a meter's network address, a collector, or ``ami``)."""
        raise self._unsupported(Capability.LINK_TEST)

    def registration_status(self, meter_address: str) -> RegistrationStatus:
        """Ask a meter over the air whether it has registered with the AMI."""
        raise self._unsupported(Capability.METER_REGISTRATION)

    def send_soft_registration(self, payload: Mapping[str, Any]) -> SoftRegistrationReceipt:
        """Hand a soft-registration (UC134 7.1A.6) to the AMI through this radio; refuses when out of range."""
        raise self._unsupported(Capability.SOFT_REGISTRATION)

    def network_time(self) -> NetworkTime:
        """The network's time, and how far the tool's clock is from it."""
        raise self._unsupported(Capability.NETWORK_TIME)

    # -- helpers for drivers -----------------------------------------------------------------------------
    def setting(self, key: str, default: float) -> float:
        """A numeric driver setting (``command_timeout_s``, ``ping_timeout_s`` ...) or its default."""
        return float(self.settings.get(key, default))

    def _unsupported(self, what: Capability) -> RadioNotSupported:
        return RadioNotSupported(f"The {self.name or type(self).__name__} radio cannot do {what.value.replace('_', ' ')}.")

    @staticmethod
    def check_cancel(cancel: threading.Event | None) -> None:
        if cancel is not None and cancel.is_set():
            raise UserCancelled()

    @staticmethod
    def report(progress: Progress | None, done: int, total: int, message: str) -> None:
        if progress is not None:
            progress(done, total, message)
