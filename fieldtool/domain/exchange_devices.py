"""The device work an exchange needs, as interfaces the optical-port and radio issues implement.

The workflow never talks to a port: ``services.install`` asks these interfaces and feeds what they return
(domain events) into the transition table. Implementations live in ``fieldtool/devices`` (the optical port)
and the radio plug-ins; tests use doubles. Every call may block for seconds, so each takes a ``progress``
callback ``(fraction 0..1, words)`` and a ``cancel`` flag, and raises ``UserCancelled`` when cancelled and
``UserFacingError`` (in words) when the device fails. Callers run them off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from fieldtool.domain.exchange_events import IdentifyMeter, NetworkTested, Registered, SelfCheck
from fieldtool.domain.exchange_job import ExchangeJob
from fieldtool.domain.model import Position, WorkOrder

Progress = Callable[[float, str], None]


class CancelFlag(Protocol):
    def is_set(self) -> bool: ...


@dataclass(frozen=True)
class InstallInfo:
    """What the field tool writes into the new meter at step 6.7 (I1FR8, I1FR10, I1FR11)."""

    isp_number: str
    account_number: str
    premise_address: str
    lat: float | None
    lon: float | None
    location_id: str | None
    removed_meter_number: str | None
    removed_final_read: float | None
    removed_read_at: datetime | None
    installed_at: datetime | None
    work_order_id: str = ""
    installer_id: str = ""


def install_info(order: WorkOrder, job: ExchangeJob) -> InstallInfo:
    """The 6.7 data: the position the installer took (else the CSS one) and the meter actually removed."""
    sp, a = order.service_point, job.actual
    lat, lon = (a.position.lat, a.position.lon) if a.position else (sp.lat, sp.lon)
    removed = a.old_meter_number or (order.removal.meter_number if order.removal else None)
    return InstallInfo(
        sp.isp_number,
        sp.account_number,
        sp.premise_address,
        lat,
        lon,
        a.location_id or sp.location_id,
        removed,
        a.final_read,
        a.read_at,
        a.installed_at,
        order.id,
        job.installer_id,
    )


@runtime_checkable
class MeterLink(Protocol):
    """The new meter through the optical port (C12.18/C12.19 or IEC 62056-21), implemented by devices."""

    def self_check(self, progress: Progress, cancel: CancelFlag) -> SelfCheck:
        """Step 6.5.1: the meter's self-check result (ST3 error and warning flags)."""
        ...

    def identify(self, progress: Progress, cancel: CancelFlag) -> IdentifyMeter:
        """Step 6.6: the meter's number, form, type and program id as the meter reports them."""
        ...

    def write_install_info(self, info: InstallInfo, progress: Progress, cancel: CancelFlag) -> None:
        """Step 6.7: write location, service point and removed-meter data into the meter."""
        ...

    def registration_status(self, progress: Progress, cancel: CancelFlag) -> Registered | None:
        """Step 7.1: the meter's network status; ``None`` while it has not registered."""
        ...


@runtime_checkable
class NetworkTester(Protocol):
    """Step 7.1A.2: test the AMI network at the meter through a radio plug-in."""

    def technologies(self) -> list[str]:
        """The technologies this laptop can test (rf_mesh, plc, gprs, ...)."""
        ...

    def test(self, technology: str, progress: Progress, cancel: CancelFlag) -> NetworkTested: ...


@runtime_checkable
class PositionSource(Protocol):
    """The GPS receiver (or a position typed in by hand) for steps 6.2 and 6.7."""

    def fix(self, progress: Progress, cancel: CancelFlag) -> Position: ...
