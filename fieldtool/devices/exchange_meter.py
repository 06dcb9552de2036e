"""The workflow's view of the new meter (``domain.exchange_devices.MeterLink``) on top of ``MeterLink``.

Steps: 6.5.1 self-check (ST3, once the meter's power-up self-test has finished), 6.6 identify (ST1/ST5,
nameplate form, program id, install read, channels, event log), 6.7 write the installation data and set the
meter's clock (I1FR26, I1FR35), 7.1 registration status, 8.2 the program id the meter reports, 8.3 load the
intended program. Each call takes the workflow's ``progress(fraction, words)`` and ``cancel`` flag; it blocks
on the port's worker (run it off the GUI thread) and raises ``UserFacingError`` in words or ``UserCancelled``.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.devices import meter_api as api
from fieldtool.devices.meter import MeterLink
from fieldtool.domain.errors import UserCancelled, UserFacingError
from fieldtool.domain.exchange_devices import InstallInfo as WorkflowInstallInfo
from fieldtool.domain.exchange_events import IdentifyMeter, MeterLogEntry, Registered, SelfCheck

log = logging.getLogger("fieldtool.devices.exchange_meter")


class OpticalMeter:
    """Implements ``fieldtool.domain.exchange_devices.MeterLink`` with a ``MeterLink`` session."""

    def __init__(self, link: MeterLink, *, work_order_id: str = "", installer_id: str = "",
                 clock: Clock = SYSTEM_CLOCK, technology: str | None = None, self_test_wait_s: float = 30.0,
                 poll_s: float = 0.5):  # fmt: skip
        self.link = link
        self.work_order_id = work_order_id
        self.installer_id = installer_id
        self.clock = clock
        self.technology = technology
        self.self_test_wait_s = self_test_wait_s
        self.poll_s = poll_s

    @contextmanager
    def _bridge(self, progress, cancel):
        self.link.progress = lambda step, fraction: progress(fraction, step)
        self.link.external_cancel = cancel
        try:
            yield
        finally:
            self.link.external_cancel = None
            self.link.progress = lambda step, fraction: None

    def self_check(self, progress, cancel) -> SelfCheck:
        """A meter runs its self-test at power-up and starts its network stack after it: while the network
        status still says ``not_started`` the ST3 flags are not final, so wait (up to ``self_test_wait_s``)."""
        with self._bridge(progress, cancel):
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
            h = self.link.health()
        return SelfCheck(passed=h.ok, errors=tuple(h.critical), warnings=tuple(h.non_critical))

    def _registration_state(self) -> str | None:
        try:
            return self.link.registration_status().state
        except UserFacingError as e:  # a meter without a network status table: nothing to wait for
            log.info("no network status: %s", e)
            return None

    def identify(self, progress, cancel) -> IdentifyMeter:
        with self._bridge(progress, cancel):
            ident = self.link.identify()
            program = self.link.program_id()
            regs = self.link.read_registers()
            events = self.link.event_log()
        energy = [r for r in regs if r.unit in ("kWh", "kvarh", "kVAh")]
        delivered = next((r.value for r in regs if r.register == "kwh_delivered"), None)
        return IdentifyMeter(
            # meter_type is the utility's material code, which the meter does not know: left to the scan/stock.
            meter_number=ident.meter_id or ident.serial, form=ident.form or "", meter_type=None,
            program_id=program, manufacturer=ident.manufacturer, manufacturer_serial=ident.serial,
            firmware_version=ident.fw_version, install_read=delivered, channels=tuple(r.register for r in energy),
            log=tuple(MeterLogEntry(e.at, e.code, e.text) for e in events[-20:]),
        )  # fmt: skip

    def write_install_info(self, info: WorkflowInstallInfo, progress, cancel) -> None:
        """Step 6.7: service point, location, removed meter and its final read; then the meter's clock."""
        with self._bridge(progress, cancel):
            out = self.link.write_install_info(api.InstallInfo(
                service_point_id=info.isp_number, work_order_id=info.work_order_id or self.work_order_id,
                removed_meter_id=info.removed_meter_number or "", removed_final_read=info.removed_final_read,
                customer_id=info.account_number, installer_id=info.installer_id or self.installer_id,
                installed_at=info.installed_at, latitude=info.lat, longitude=info.lon,
            ))  # fmt: skip
            if not out.get("verified", True):
                raise UserFacingError("The meter did not keep the installation data written into it.",
                                      hint="Write it again; if it fails twice, replace the meter.")
            if cancel.is_set():
                raise UserCancelled()
            self.link.set_clock()

    def registration_status(self, progress, cancel) -> Registered | None:
        with self._bridge(progress, cancel):
            reg = self.link.registration_status()
        if reg.state != "registered":
            return None
        rssi = float(reg.rssi_dbm) if reg.rssi_dbm is not None else None
        return Registered(comms_address=reg.comm_address, technology=self.technology, signal_dbm=rssi)

    def program_id(self, progress, cancel) -> str | None:
        """Step 8.2: the program id the meter reports (the back office compares it with the intended one)."""
        with self._bridge(progress, cancel):
            return self.link.program_id()

    def load_program(self, program_id: str, progress, cancel) -> api.ProgramResult:
        """Step 8.3: load the intended program and read its id back."""
        with self._bridge(progress, cancel):
            return self.link.load_program(program_id)

    def set_clock(self, progress, cancel) -> api.ClockCheck:
        """I1FR26/I1FR35: the meter clock from the field tool's clock."""
        with self._bridge(progress, cancel):
            return self.link.set_clock()
