"""``BenchMeter`` on the optical port: the bench's tests through ``fieldtool.devices.meter.MeterLink``.

The communications test is MeterLink's identify (ST1/ST5), self-test (SP11 execute diagnostics where the
meter has it, then the ST3 flags split into critical and non-critical by the driver) and register read; the comm module's identity is the network address the meter
reports in its registration status. The service-switch (remote disconnect) procedure is not offered by the
optical driver: ``switch`` raises ``SwitchUnsupported`` and the bench records the disconnect test as not run,
with that reason.

Thread rule: MeterLink runs every operation on its own port thread; these methods block the caller until
the operation is done, so call them from a worker thread (the GUI's op helper), never the GUI thread.
"""

from __future__ import annotations

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.domain.bench import CommsObservation
from fieldtool.domain.errors import UserFacingError
from fieldtool.services.bench_meter import SwitchUnsupported


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
        try:
            health = self.link.self_test()  # run the self-test now (SP11 where the meter has it), I1FR6
        except NotImplementedError:
            health = self.link.health()  # a protocol without a local self-test: the flags as they stand
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
        raise SwitchUnsupported("The optical driver offers no service-switch (remote disconnect) procedure, "
                                "so the disconnect test cannot run through the optical port.")

    def switch_state(self) -> str | None:
        raise SwitchUnsupported("The optical driver does not report the service-switch state.")

    def close(self) -> None:
        self.link.close()
