"""Hosting the simulated IEC 62056-21 meter (``iec_meter.IecMeter``, sans-IO) on a socket or a pty.

Timing: mode C starts at 300 baud and switches after option select; every character is 10 bits on the wire
(7E1), and the meter answers after its reaction time (20 ms when the third letter of its manufacturer id is
lower-case, else 200 ms). The meter's registers and installer fields persist in the state file (``iec``);
its clock is the state's clock (offset and drift), so a W1 of 0.9.1/0.9.2 sets it.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from datetime import UTC, datetime

from firmware_sim.meter.iec_meter import IecMeter, IecMeterState, Send, SwitchBaud
from firmware_sim.meter.state import utc

log = logging.getLogger("firmware_sim.meter.iec")


def load_state(server) -> IecMeterState:
    p = server.profile
    data = server.shared.state.iec or {}
    base = IecMeterState(manufacturer=p.manufacturer, ident=p.model, max_baud=max(p.bauds))
    if server.shared.state.meter_id:
        base.address = server.shared.state.meter_id
        base.registers["0.0.0"] = [server.shared.state.meter_id, ""]
    base.registers["C.1.0"] = [server.shared.state.serial, ""]
    known = {f.name for f in dataclasses.fields(IecMeterState)}
    fields = {k: (tuple(v) if k == "writable" else v) for k, v in data.items() if k in known}
    return dataclasses.replace(base, **fields)


class IecConnection:
    """One transport's conversation with the IEC meter (an object with run() and stop())."""

    def __init__(self, server, transport):
        self.server = server
        self.t = transport
        self.running = True
        self.pacing = server.options.pacing
        self.state = load_state(server)
        self.meter = self._new_meter()
        self.transmissions = 0

    def _new_meter(self) -> IecMeter:
        shared = self.server.shared
        return IecMeter(self.state, now=lambda: utc(shared.state.meter_time(time.time())),
                        bcc_errors=self.server.faults.active.get("crc-errors", 0))  # fmt: skip

    @property
    def reaction_s(self) -> float:
        return 0.020 if self.state.manufacturer[2:3].islower() else 0.200

    def stop(self) -> None:
        self.running = False

    def run(self) -> None:
        last = time.monotonic()
        while self.running:
            data = self.t.read(0.005)
            if data is None:
                break
            now = time.monotonic()
            if not data:
                idle = now - last
                if self.meter.framer.buffer and idle > 1.5 * self.server.options.time_scale:
                    # Inter-character timeout (1500 ms): a half message (noise that began with SOH/STX,
                    # e.g. a C12.18 probe's packet) is dropped, so the next sign-on is heard.
                    self.meter.framer.buffer.clear()
                if self.meter.phase != "idle" and idle > 120 * self.server.options.time_scale:
                    self.meter = self._new_meter()  # an abandoned session ends; the next sign-on starts anew
                continue
            last = now
            if self.pacing:
                time.sleep(len(data) * 10.0 / self.meter.baud)
            before = dict(self.state.registers)
            for out in self.meter.feed(data):
                if isinstance(out, SwitchBaud):
                    continue  # the meter's own baud is in self.meter.baud (used for pacing)
                if isinstance(out, Send):
                    self._send(out.data)
            if self.state.registers != before:
                self._persist()

    def _send(self, data: bytes) -> None:
        self.transmissions += 1
        time.sleep(self.reaction_s * (1 if self.pacing else 0.1))
        if self.pacing:
            time.sleep(len(data) * 10.0 / self.meter.baud)
        self.t.write(data)

    def _persist(self) -> None:
        regs = self.state.registers
        shared = self.server.shared
        with shared.lock:
            t, d = regs.pop("0.9.1", None), regs.pop("0.9.2", None)
            if t or d:
                now = time.time()
                current = utc(shared.state.meter_time(now))
                hhmmss = (t or [current.strftime("%H%M%S")])[0]
                yymmdd = (d or [current.strftime("%y%m%d")])[0]
                try:
                    when = datetime.strptime(yymmdd + hhmmss, "%y%m%d%H%M%S").replace(tzinfo=UTC)
                    shared.state.set_meter_time(when.timestamp(), now)
                except ValueError:
                    log.info("ignored a clock write %r %r", yymmdd, hhmmss)
            shared.state.iec = dataclasses.asdict(self.state)
        shared.save()
