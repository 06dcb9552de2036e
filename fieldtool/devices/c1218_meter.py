"""``C1218Protocol``: the ANSI C12.18/C12.19 plug-in of ``fieldtool.meter_protocols``.

The session reads ST0 first (byte order, time and id formats), ST1 for the manufacturer, and through the
manufacturer code finds where this vendor keeps the shared manufacturer tables (``c1219.mfg.MFG_MAPS``).
"""

from __future__ import annotations

import contextlib

from fieldtool.devices import meter_api as api
from fieldtool.devices.c1218_client import C1218Client
from fieldtool.domain.errors import UserFacingError
from fieldtool.protocols.c1218 import services as sv
from fieldtool.protocols.c1218.errors import ProtocolError, ResponseError
from fieldtool.protocols.c1219 import mfg
from fieldtool.protocols.c1219 import procedures as sp
from fieldtool.protocols.c1219.registers import (
    ActRegs,
    CurrentRegData,
    DataSelection,
    decode_st12,
    named_registers,
)
from fieldtool.protocols.c1219.st0 import GenConfig
from fieldtool.protocols.c1219.standard import Clock, EdModeStatus, GeneralMfgId, decode_st5
from fieldtool.protocols.c1219.tablecodecs import decode_table

ONP = 0x04


class C1218Protocol(api.MeterProtocol):
    name = "c1218"

    def _client(self, port, ctx: api.SessionContext) -> C1218Client:
        s = ctx.settings
        return C1218Client(port, clock=ctx.clock, timeouts=s.timeouts, retry=s.retry, transcript=ctx.transcript,
                           cancel=ctx.cancel)  # fmt: skip

    def probe(self, port, ctx: api.SessionContext) -> bool:
        """One Identify: a C12.18 meter answers it within the response timeout."""
        client = self._client(port, ctx)
        try:
            client.identify()
        except ProtocolError:
            return False
        client.request(sv.Terminate())
        return True

    def open(self, port, ctx: api.SessionContext) -> C1218Session:
        session = C1218Session(self._client(port, ctx), ctx)
        session.start()
        return session


class C1218Session(api.MeterSession):
    protocol = "c1218"

    def __init__(self, client: C1218Client, ctx: api.SessionContext):
        self.c = client
        self.ctx = ctx
        self.s = ctx.settings
        self.st0: GenConfig | None = None
        self.st1: GeneralMfgId | None = None
        self.map: mfg.MfgMap | None = None
        self._seq = 0
        self._nameplate: dict | None = None
        self.identify_result: sv.IdentifyResult | None = None

    # -- session start ---------------------------------------------------------------------------
    def start(self) -> None:
        step = self.ctx.progress
        step("identify", 0.05)
        self.c.probing = True
        try:
            self.identify_result = self.c.identify()
        except ResponseError:
            raise  # a C12.18 meter that said no: it is one
        except ProtocolError as e:
            if self.c.link.stats.heard_peer:
                raise  # it speaks C12.18 but the link failed: that is the error to show
            raise api.NotDetected(f"No C12.18 answer to Identify: {e}") from e
        finally:
            self.c.probing = False
        if self.s.negotiate:
            step("negotiate", 0.1)
            self.c.negotiate(self.s.packet_size, self.s.nbr_packets, tuple(self.s.preferred_bauds[:11]))
        self.c.logon(self.s.user_id, self.s.user)
        if self.ctx.password is not None:
            step("security", 0.15)
            self.c.security(self.ctx.password)
        step("read ST0", 0.2)
        self.st0 = GenConfig.decode(self.read_raw(0))
        self.st1 = GeneralMfgId.decode(self.read_raw(1), self.fmt)
        try:
            self.map = mfg.mfg_map(self.st1.manufacturer)
        except ProtocolError:
            self.map = None  # standard tables only

    @property
    def fmt(self):
        return self.st0.format if self.st0 else GenConfig().format

    # -- tables ----------------------------------------------------------------------------------
    def read_raw(self, table: int) -> bytes:
        try:
            return sv.parse_read(self.c.request(sv.Read(table), table=table), table)
        except ResponseError as e:
            if e.code != ONP or not (self.st0 and self.st0.offset_access):
                raise
        # Larger than the negotiated packets carry: read it by offset, one PDU's worth at a time.
        n = self.c.negotiated
        chunk = max(1, (n.packet_size - 8) * n.nbr_packet - 4)
        out = b""
        while True:
            req = sv.Read(table, offset=len(out), count=chunk)
            try:
                part = sv.parse_read(self.c.request(req, table=table), table)
            except ResponseError as e:
                if e.code == 0x05 and out:
                    return out
                raise
            out += part
            if len(part) < chunk:
                return out

    def mfg_table(self, name: str) -> int:
        tid = self.map.table_id(name) if self.map else None
        if tid is None:
            maker = self.st1.manufacturer if self.st1 else "?"
            raise UserFacingError(f"This meter ({maker}) has no {mfg.SPECS[name].name} table the tool knows.")
        return tid

    def read_mfg(self, name: str) -> dict:
        if name == "nameplate" and self._nameplate is not None:
            return self._nameplate  # it does not change within a session
        out = mfg.decode(name, self.read_raw(self.mfg_table(name)), self.fmt)
        if name == "nameplate":
            self._nameplate = out
        return out

    def write_mfg(self, name: str, values: dict) -> None:
        self.write_raw(self.mfg_table(name), mfg.encode(name, values, self.fmt))

    def write_raw(self, table: int, data: bytes, offset: int | None = None) -> None:
        self.c.request(sv.Write(table, data, offset=offset), table=table)

    def read_table(self, table: int):
        raw = self.read_raw(table)
        name = self.map.name_of(table) if self.map else None
        return raw, decode_table(table, raw, self.st0, name)

    def procedure(self, init: sp.ProcedureInitiate) -> sp.ProcedureResponse:
        self.write_raw(7, init.encode(self.fmt))
        for _ in range(1 + self.s.busy_retries):
            resp = sp.ProcedureResponse.decode(self.read_raw(8), self.fmt)
            if resp.answers(init) and resp.result != 1:
                return resp.check()
            self.c._wait(min(self.s.busy_retry_delay_s, 0.5))
        raise UserFacingError("The meter never reported the end of the procedure in ST8.",
                              hint="Read the meter's status, then retry the step.")  # fmt: skip

    def next_seq(self) -> int:
        self._seq = (self._seq + 1) & 0xFF
        return self._seq

    # -- installer operations --------------------------------------------------------------------
    def identify(self) -> api.MeterIdentity:
        meter_id = decode_st5(self.read_raw(5), self.fmt) if self.st0.uses(5) else ""
        nameplate = self.read_mfg("nameplate") if self.map else {}
        st1 = self.st1
        return api.MeterIdentity(
            "c1218", st1.manufacturer, st1.model, st1.serial, meter_id, f"{st1.fw_version}.{st1.fw_revision}",
            nameplate.get("form") or None,
            {"st0": self.st0.to_json(), "nameplate": _jsonable(nameplate), "hw_version": f"{st1.hw_version}.{st1.hw_revision}",
             "standard": self.identify_result.standard if self.identify_result else None,
             "negotiated": {"packet_size": self.c.negotiated.packet_size, "nbr_packet": self.c.negotiated.nbr_packet,
                            "baud": self.c.baud}},
        )  # fmt: skip

    def health(self) -> api.Health:
        st3 = EdModeStatus.decode(self.read_raw(3), self.fmt, self.st0.dim_mfg_status_used)
        mask = self.read_mfg("nameplate")["status_monitored"] if self.map else 0x3FFF
        h = st3.health(mask)
        return api.Health(h["ok"], h["critical"], h["non_critical"], h["not_monitored"], st3.modes)

    def self_test(self) -> api.Health:
        """SP11 (execute diagnostics) where the meter has it, then the health check (I1FR6, locally)."""
        if 11 in self.st0.std_proc_used:
            self.procedure(sp.execute_diagnostics(self.next_seq()))
        return self.health()

    def clear_status(self) -> api.Health:
        """SP7: clear the standard status flags (e.g. tamper raised by the installation itself)."""
        if 7 not in self.st0.std_proc_used:
            raise UserFacingError("This meter has no standard 'clear status flags' procedure (SP7).")
        self.procedure(sp.clear_std_status(self.next_seq()))
        return self.health()

    def clock_check(self) -> api.ClockCheck:
        clk = Clock.decode(self.read_raw(52), self.fmt)
        tool = self.ctx.clock.now()
        # Meter clocks count whole seconds: compare with the tool's time cut to the second as well.
        drift = None if clk.time is None else (clk.time - tool.replace(microsecond=0)).total_seconds()
        return api.ClockCheck(clk.time, tool, drift)

    def read_registers(self) -> list[api.RegisterValue]:
        regs = ActRegs.decode(self.read_raw(21))
        sel = DataSelection.decode(self.read_raw(22), regs)
        uoms = decode_st12(self.read_raw(12), self.fmt) if self.st0.uses(12) else []
        data = CurrentRegData.decode(self.read_raw(23), regs, self.fmt)
        out = [api.RegisterValue(n, round(v, 4), u) for n, v, u in named_registers(data, sel, uoms)]
        if self.map and self.map.table_id("instantaneous"):
            inst = self.read_mfg("instantaneous")
            out += [api.RegisterValue("kvar", round(inst["kvar"], 3), "kvar"),
                    api.RegisterValue("power_factor", round(inst["power_factor"], 4), "")]  # fmt: skip
        return out

    def write_install_info(self, info: api.InstallInfo) -> dict:
        from fieldtool.devices.c1218_install import write_install_info

        return write_install_info(self, info)

    def set_clock(self, when) -> api.ClockCheck:
        if 10 not in self.st0.std_proc_used:
            raise UserFacingError("This meter has no standard 'set date/time' procedure (SP10).")
        self.procedure(sp.set_date_time(when.replace(microsecond=0), self.fmt, self.next_seq()))
        return self.clock_check()

    def load_program(self, program: dict) -> api.ProgramResult:
        from fieldtool.devices.c1218_install import load_program

        return load_program(self, program)

    def registration_status(self) -> api.Registration:
        ns = self.read_mfg("network_status")
        state = mfg.REGISTRATION_STATES.get(ns["state"], f"unknown_{ns['state']}")
        addr = ns["comm_address"].hex().upper() if any(ns["comm_address"]) else None
        return api.Registration(state, addr, ns["rssi_dbm"], ns["registered_since"], ns["neighbours"],
                                ns["last_attempt"])  # fmt: skip

    def program_id(self) -> str | None:
        return self.read_mfg("program_id")["program_id"] or None

    def event_log(self) -> list[api.LogEntry]:
        log = self.read_mfg("event_log")
        return [api.LogEntry(e["time"], e["code"], mfg.EVENT_CODES.get(e["code"], f"event {e['code']}"))
                for e in log["entries"]]  # fmt: skip

    def signal_log(self) -> list[api.SignalSample]:
        log = self.read_mfg("signal_log")
        return [api.SignalSample(e["time"], e["rssi_dbm"], e["link_quality"]) for e in log["entries"]]

    def switch(self, state: str) -> api.SwitchStatus:
        from fieldtool.devices.c1218_switch import operate_switch

        return operate_switch(self, state)

    def switch_state(self) -> api.SwitchStatus:
        from fieldtool.devices.c1218_switch import read_switch

        return read_switch(self)

    def keep_alive(self) -> None:
        if self.c.keep_alive_due():
            self.c.wait(int(max(1, self.s.channel_traffic_timeout_s)))

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing must never hide the real outcome
            self.c.end()


def _jsonable(d: dict) -> dict:
    return {k: (v.hex() if isinstance(v, bytes) else v) for k, v in d.items()}

