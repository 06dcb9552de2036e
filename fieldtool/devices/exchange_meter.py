"""The workflow's view of the new meter (``domain.exchange_devices.MeterLink``) on top of ``MeterLink``.

Steps: 6.5.1 self-check (ST3), 6.6 identify (ST1/ST5/nameplate/program id), 6.7 write install information,
7.1 registration status, 8.2 the program id the meter reports, 8.3 load the intended program, and the clock set
of I1FR26. Each call takes the workflow's ``progress(fraction, words)`` and ``cancel`` flag; it blocks (run it
off the GUI thread) and raises ``UserFacingError`` in words or ``UserCancelled``.
"""

from __future__ import annotations

from contextlib import contextmanager

from fieldtool.devices import meter_api as api
from fieldtool.devices.meter import MeterLink
from fieldtool.domain.exchange_devices import InstallInfo as WorkflowInstallInfo
from fieldtool.domain.exchange_events import IdentifyMeter, MeterLogEntry, Registered, SelfCheck


class OpticalMeter:
    """Implements ``fieldtool.domain.exchange_devices.MeterLink`` with a ``MeterLink`` session."""

    def __init__(self, link: MeterLink, *, work_order_id: str = "", installer_id: str = ""):
        self.link = link
        self.work_order_id = work_order_id
        self.installer_id = installer_id

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
        with self._bridge(progress, cancel):
            h = self.link.health()
        return SelfCheck(passed=h.ok, errors=tuple(h.critical), warnings=tuple(h.non_critical))

    def identify(self, progress, cancel) -> IdentifyMeter:
        with self._bridge(progress, cancel):
            ident = self.link.identify()
            program = self.link.program_id()
            regs = self.link.read_registers()
            log = self.link.event_log()
        energy = [r for r in regs if r.unit.endswith("h")]
        delivered = next((r.value for r in regs if r.register == "kwh_delivered"), None)
        return IdentifyMeter(
            # meter_type is the utility's material code, which the meter does not know: left to the scan/stock.
            meter_number=ident.meter_id or ident.serial, form=ident.form or "", meter_type=None,
            program_id=program, manufacturer=ident.manufacturer, manufacturer_serial=ident.serial,
            firmware_version=ident.fw_version, install_read=delivered, channels=tuple(r.register for r in energy),
            log=tuple(MeterLogEntry(e.at, e.code, e.text) for e in log[-20:]),
        )  # fmt: skip

    def write_install_info(self, info: WorkflowInstallInfo, progress, cancel) -> None:
        with self._bridge(progress, cancel):
            self.link.write_install_info(api.InstallInfo(
                service_point_id=info.isp_number, work_order_id=self.work_order_id,
                removed_meter_id=info.removed_meter_number or "", removed_final_read=info.removed_final_read,
                customer_id=info.account_number, installer_id=self.installer_id, installed_at=info.installed_at,
                latitude=info.lat, longitude=info.lon,
            ))  # fmt: skip

    def registration_status(self, progress, cancel) -> Registered | None:
        with self._bridge(progress, cancel):
            reg = self.link.registration_status()
        if reg.state != "registered":
            return None
        return Registered(comms_address=reg.comm_address, signal_dbm=reg.rssi_dbm)

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
