"""The new meter on the optical probe as the exchange sees it: ``devices.meter.MeterLink`` behind the
``MeterLink`` interface of ``domain/exchange_devices.py``.

``OpticalMeter`` turns the optical port's answers into the workflow's events: the health check (C12.19
ST3) into ``SelfCheck``, identity, registers, program id and event log into ``IdentifyMeter``, the
network status into ``Registered``; and writes step 6.7's data and sets the meter's clock (I1FR26, I1FR35).

Thread rule: every call blocks on the port's worker thread (``MeterLink`` serialises them); call from a
worker, never the GUI thread.
"""

from __future__ import annotations

import logging
from datetime import datetime

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.devices import meter_api as api
from fieldtool.devices.meter import MeterLink as OpticalLink
from fieldtool.domain.errors import UserCancelled, UserFacingError
from fieldtool.domain.exchange_devices import CancelFlag, InstallInfo, Progress
from fieldtool.domain.exchange_events import IdentifyMeter, MeterLogEntry, Registered, SelfCheck
from fieldtool.protocols.c1219 import mfg

log = logging.getLogger("fieldtool.services.install_meter")


class OpticalMeter:
    """Implements ``domain.exchange_devices.MeterLink`` over an open ``devices.meter.MeterLink``."""

    def __init__(self, link: OpticalLink, *, clock: Clock = SYSTEM_CLOCK, technology: str | None = None,
                 self_test_wait_s: float = 30.0, poll_s: float = 0.5):
        self.link = link
        self.clock = clock
        self.technology = technology
        self.self_test_wait_s = self_test_wait_s
        self.poll_s = poll_s

    def _progress(self, progress: Progress) -> None:
        self.link.progress = lambda step, fraction: progress(fraction, step)

    def self_check(self, progress: Progress, cancel: CancelFlag) -> SelfCheck:
        """Step 6.5.1. A meter runs its self-test at power-up and starts its network stack after it; while the
        network status still says ``not_started`` the ST3 flags are not final, so wait (up to
        ``self_test_wait_s``) before reading them."""
        self._progress(progress)
        deadline = self.clock.monotonic() + self.clock.seconds(self.self_test_wait_s)
        while self._registration_state() == "not_started":
            if cancel.is_set():
                raise UserCancelled()
            if self.clock.monotonic() >= deadline:
                raise UserFacingError(
                    f"The meter has not finished its self-test after {self.self_test_wait_s:g} s.",
                    hint="Check that it has power; if it stays like this, replace it.",
                )
            progress(0.5, "waiting for the meter's self-test")
            self.clock.sleep(self.poll_s)
        health = self.link.health()
        return SelfCheck(health.ok, tuple(health.critical), tuple(health.non_critical))

    def _registration_state(self) -> str | None:
        try:
            return self.link.registration_status().state
        except UserFacingError as e:  # a meter without a network status table: nothing to wait for
            log.info("no network status: %s", e)
            return None

    def identify(self, progress: Progress, cancel: CancelFlag) -> IdentifyMeter:
        """Step 6.6: who the meter says it is, its register at installation, its program and its log."""
        self._progress(progress)
        ident = self.link.identify()
        if cancel.is_set():
            raise UserCancelled()
        registers = self.link.read_registers()
        install_read = next((r.value for r in registers if r.register == "kwh_delivered"), None)
        program = self._mfg(ident, "program_id")
        events = self._mfg(ident, "event_log") or {}
        entries = tuple(
            MeterLogEntry(_time(e.get("time")), int(e["code"]), mfg.EVENT_CODES.get(int(e["code"]), f"event {e['code']}"))
            for e in events.get("entries", [])
        )
        return IdentifyMeter(
            meter_number=ident.meter_id or ident.serial,
            form=ident.form or "",
            program_id=(program or {}).get("program_id"),
            manufacturer=ident.manufacturer,
            manufacturer_serial=ident.serial,
            firmware_version=ident.fw_version,
            install_read=install_read,
            channels=tuple(r.register for r in registers if r.unit in ("kWh", "kvarh", "kVAh")),
            log=entries,
        )

    def _mfg(self, ident: api.MeterIdentity, name: str) -> dict | None:
        """A manufacturer table the tool knows for this maker, decoded; None where the meter has none."""
        try:
            table = mfg.mfg_map(ident.manufacturer).table_id(name)
            return None if table is None else self.link.read_table(table)[1]
        except UserFacingError as e:
            log.info("no %s table: %s", name, e)
            return None

    def write_install_info(self, info: InstallInfo, progress: Progress, cancel: CancelFlag) -> None:
        """Step 6.7: service point, location, removed meter and its final read; then the meter's clock."""
        self._progress(progress)
        out = self.link.write_install_info(api.InstallInfo(
            service_point_id=info.isp_number,
            work_order_id=info.work_order_id,
            removed_meter_id=info.removed_meter_number or "",
            removed_final_read=info.removed_final_read,
            customer_id=info.account_number,
            installer_id=info.installer_id,
            installed_at=info.installed_at,
            latitude=info.lat,
            longitude=info.lon,
        ))
        if not out.get("verified", True):
            raise UserFacingError("The meter did not keep the installation data written into it.",
                                  hint="Write it again; if it fails twice, replace the meter.")
        if cancel.is_set():
            raise UserCancelled()
        self.link.set_clock()

    def registration_status(self, progress: Progress, cancel: CancelFlag) -> Registered | None:
        self._progress(progress)
        r = self.link.registration_status()
        if r.state != "registered":
            return None
        return Registered(r.comm_address, self.technology, float(r.rssi_dbm) if r.rssi_dbm is not None else None)


def _time(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
