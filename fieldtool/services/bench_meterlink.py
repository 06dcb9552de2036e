"""``BenchMeter`` on the optical port: the bench's tests through ``fieldtool.devices.meter.MeterLink``.

The communications test is MeterLink's identify (ST1/ST5), self-test (SP11 execute diagnostics where the
meter has it, then the ST3 flags split into critical and non-critical by the driver) and register read; the comm module's identity is the network address the meter
reports in its registration status. The disconnect test runs MeterLink's service-switch operation (the
manufacturer switch procedure, then the switch-status table read until the relay has moved); a switch that
did not move is not an error here: the state read back says where it is and the bench judges the unit failed.
A meter without a switch (or a protocol without one) raises ``SwitchUnsupported``: the test is recorded as
not run, with that reason.

Thread rule: MeterLink runs every operation on its own port thread; these methods block the caller until
the operation is done, so call them from a worker thread (the GUI's op helper), never the GUI thread.
"""

from __future__ import annotations

import logging

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.devices import meter_api as api
from fieldtool.domain.bench import CommsObservation
from fieldtool.domain.errors import UserFacingError
from fieldtool.services.bench_meter import SwitchUnsupported

log = logging.getLogger("fieldtool.services.bench")


class MeterLinkBench:
    def __init__(self, link):
        self.link = link

    @classmethod
    def open(cls, url: str, *, clock: Clock = SYSTEM_CLOCK, settings=None) -> MeterLinkBench:
        """``settings``: the ``[optical]`` section (default: from the configuration file)."""
        from fieldtool.config import load_config
        from fieldtool.devices.meter import MeterLink, meter_password

        settings = settings or load_config().section("optical")
        return cls(MeterLink(url, settings=settings, clock=clock, password=meter_password(settings)))

    def observe(self) -> CommsObservation:
        ident = self.link.identify()
        health = self.link.self_test()  # now (SP11 where the meter has it; else the flags as they stand), I1FR6
        registers = self.link.read_registers()
        try:
            module = self.link.registration_status().comm_address
        except UserFacingError:
            module = None  # a meter without a network module, or one that does not report it
        return CommsObservation(
            meter_number=(ident.meter_id or "").strip() or None, manufacturer=ident.manufacturer,
            manufacturer_serial=ident.serial, firmware=ident.fw_version,
            health_flags=tuple(health.critical) + tuple(health.non_critical),
            critical_flags=tuple(health.critical),
            registers={r.register: r.value for r in registers}, comm_module_serial=module,
        )

    def switch(self, state: str) -> None:
        try:
            self.link.switch(state)
        except api.SwitchNotSupported as e:
            raise SwitchUnsupported(e.args[0], hint=e.hint) from None
        except api.SwitchFailed as e:
            log.info("disconnect test: %s", e)  # the read-back shows where the switch is; the bench judges it

    def switch_state(self) -> str | None:
        try:
            return self.link.switch_state().state
        except api.SwitchNotSupported as e:
            raise SwitchUnsupported(e.args[0], hint=e.hint) from None

    def close(self) -> None:
        self.link.close()
