"""The simulated meter's tables, built from its state with fieldtool's own C12.19 codecs.

``MeterTables.read(table_id)`` returns the table bytes as the meter would hold them now; ``write`` applies
a full or partial write; ``run_procedure`` executes ST7 and prepares ST8. Errors are C12.18 response codes
(``TableRefused``) so the responder can answer ``<nok>``.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from fieldtool.protocols.c1218.crc import crc16
from fieldtool.protocols.c1219 import mfg
from fieldtool.protocols.c1219 import procedures as sp
from fieldtool.protocols.c1219.registers import (
    ActRegs,
    CurrentRegData,
    DataBlock,
    DataSelection,
    DemandRecord,
    encode_st12,
)
from fieldtool.protocols.c1219.standard import (
    CRITICAL_FLAGS,
    Clock,
    EdModeStatus,
    GeneralMfgId,
    UtilInfo,
    encode_st5,
    flag_mask,
)
from firmware_sim.meter.behaviour import Behaviour
from firmware_sim.meter.han_tables import NAMES as HAN_TABLES
from firmware_sim.meter.han_tables import HanTables
from firmware_sim.meter.state import SharedState, utc
from firmware_sim.meter.switch import ServiceSwitch

ONP, IAR, SNS, ISC = 0x04, 0x05, 0x02, 0x03


class TableRefused(Exception):
    def __init__(self, code: int):
        self.code = code


class MeterTables:
    def __init__(self, shared: SharedState, behaviour: Behaviour, han: HanTables | None = None):
        self.shared = shared
        self.han = han or HanTables([], time_scale=behaviour.time_scale)
        self.p = shared.profile
        self.fmt = self.p.config.format
        self.map = mfg.MFG_MAPS.get(self.p.manufacturer, mfg.MfgMap({}))
        self.behaviour = behaviour
        self.switch = ServiceSwitch(shared, self.p.switch_settle_s, behaviour.time_scale)
        self.st8 = sp.ProcedureResponse(0, False, 0, 0)
        self.cleared = 0  # ST3 flags cleared by SP7 since power-up
        self.self_test_forced = False  # SP11 ran: the self-test result is there before its usual time

    @property
    def s(self):
        return self.shared.state

    def elapsed(self) -> float:
        return self.shared.elapsed()

    def registration_now(self) -> dict:
        """The network-status record as the meter would report it now."""
        return self._mfg_values("network_status", time.time())

    # -- reads -----------------------------------------------------------------------------------
    def read(self, table: int) -> bytes:
        if not self.p.config.uses(table) and table != 0:
            raise TableRefused(SNS)
        now = time.time()
        fmt, s, p = self.fmt, self.s, self.p
        if table == 0:
            return p.config.encode()
        if table == 1:
            return GeneralMfgId(p.manufacturer, p.model, *p.hw, *p.fw, s.serial).encode(fmt)
        if table == 3:
            # SP7 clears what it may; a hardware fault (critical) is found again by the next self-test.
            elapsed = self.elapsed() + (1e9 if self.self_test_forced else 0)
            flags = s.std_status | (self.behaviour.status_flags(elapsed) & ~self.cleared)
            return EdModeStatus(s.mode, flags, 0, bytes(p.config.dim_mfg_status_used)).encode(fmt)
        if table == 5:
            return encode_st5(s.meter_id, fmt)
        if table == 6:
            return UtilInfo(**s.st6).encode(fmt)
        if table == 7:
            return bytes(3)
        if table == 8:
            return self.st8.encode(fmt)
        if table == 12:
            return encode_st12(list(p.uoms), fmt)
        if table in (21, 22, 23):
            return self._registers(table, now)
        if table in (52, 55):
            t = utc(s.meter_time(now))
            return Clock(t.replace(microsecond=0), t.isoweekday() % 7, gmt=True, status=1).encode(fmt, table == 55)
        name = self.map.name_of(table)
        if name is None:
            raise TableRefused(SNS)
        return mfg.encode(name, self._mfg_values(name, now), fmt)

    def _act_regs(self) -> ActRegs:
        return ActRegs(func1=0x14, nbr_summations=len(self.p.summations), nbr_demands=len(self.p.demands),
                       nbr_occur=1, nbr_tiers=self.p.nbr_tiers)  # fmt: skip

    def _registers(self, table: int, now: float) -> bytes:
        regs = self._act_regs()
        if table == 21:
            return regs.encode()
        if table == 22:
            return DataSelection(self.p.summations, self.p.demands).encode(regs)
        d, r, q = self.s.energy(self.p, now)
        by_source = {0: d, 1: r, 4: q * 0.8, 5: q * 0.2, 6: (d**2 + q**2) ** 0.5}
        sums = tuple(round(by_source.get(i, 0.0), 1) for i in self.p.summations)
        dem_src = {2: max(self.s.max_demand_w, self.p.delivered_kw * 1400), 3: self.p.received_kw * 1500}
        dems = tuple(DemandRecord((round(dem_src.get(i, 0.0), 1),), cum=0.0) for i in self.p.demands)
        tiers = tuple(DataBlock(tuple(round(v / (self.p.nbr_tiers or 1), 1) for v in sums), dems)
                      for _ in range(self.p.nbr_tiers))  # fmt: skip
        return CurrentRegData(DataBlock(sums, dems), tiers, self.s.demand_resets).encode(regs, self.fmt)

    def _mfg_values(self, name: str, now: float) -> dict:
        s, p, el = self.s, self.p, self.elapsed()
        if name == "nameplate":
            return {"form": p.form, "meter_class": p.meter_class, "voltage_min": p.voltage[0], "voltage_max": p.voltage[1],
                    "wiring": p.wiring, "frequency_hz": 60, "test_amps_x10": p.test_amps_x10, "kh_x100": p.kh_x100,
                    "elements": p.elements, "ct_rated": int(p.ct_rated), "status_monitored": p.status_monitored}  # fmt: skip
        if name == "install_record":
            rec = dict(s.install_record)
            rec["installed_at"] = _dt(rec.get("installed_at"))
            return rec
        if name == "network_status":
            state, since, attempts = self.behaviour.registration_state(el)
            code = {v: k for k, v in mfg.REGISTRATION_STATES.items()}[state]
            base = self.shared.started or now
            return {"state": code, "comm_address": bytes.fromhex(s.comm_address) if state == "registered" else b"",
                    "rssi_dbm": self.behaviour.rssi(el), "neighbours": 4 if state == "registered" else 0,
                    "last_attempt": utc(s.meter_time(now)).replace(microsecond=0) if attempts else None,
                    "registered_since": utc(s.meter_time(base + since)).replace(microsecond=0)
                    if state == "registered" and since is not None else None, "attempts": attempts}  # fmt: skip
        if name in ("program_id", "program_load"):
            return {**s.program, "loaded_at": _dt(s.program.get("loaded_at"))}
        if name == "event_log":
            return {"entries": [{"time": utc(s.meter_time(t)).replace(microsecond=0), "code": c, "argument": a}
                                for t, c, a in s.events]}  # fmt: skip
        if name == "signal_log":
            step = max(self.behaviour._s(15 * 60), 0.001)
            n = min(24, int(el // step) + 1)
            return {"entries": [{"time": utc(s.meter_time(now - i * step)).replace(microsecond=0),
                                 "rssi_dbm": self.behaviour.rssi(el - i * step), "link_quality": 180}
                                for i in range(n)]}  # fmt: skip
        if name in HAN_TABLES:
            return self.han.values(name)
        if name == "pulse_outputs":
            return {"entries": s.pulse_outputs}
        if name == "switch_status" and self.switch.present:
            return self.switch.values(now, lambda t: utc(s.meter_time(t)).replace(microsecond=0))
        if name == "instantaneous":
            kw, kvar = p.delivered_kw, p.kvar
            kva = (kw**2 + kvar**2) ** 0.5
            return {"kw": kw, "kvar": kvar, "kva": round(kva, 3), "power_factor": round(kw / kva, 4) if kva else 1.0,
                    "voltage_a": 277.1, "voltage_b": 276.4, "voltage_c": 278.0, "current_a": 50.2, "current_b": 49.8,
                    "current_c": 51.0}  # fmt: skip
        if name == "interval_data":
            d_wh = p.delivered_kw * 250
            return {"interval_min": 15, "channels": 2, "last_end": utc(s.meter_time(now - now % 900)).replace(microsecond=0),
                    "entries": [{"wh_delivered": int(d_wh * (1 + 0.1 * (i % 4))), "wh_received": int(p.received_kw * 250)}
                                for i in range(8)]}  # fmt: skip
        raise TableRefused(SNS)

    # -- writes ----------------------------------------------------------------------------------
    def write(self, table: int, data: bytes, offset: int | None, level: int) -> None:
        if not self.p.config.uses(table):
            raise TableRefused(SNS)
        if not self.p.config.writable(table):
            raise TableRefused(ONP)
        needed = 3 if self.map.name_of(table) == "program_load" else 2
        if level < needed:
            raise TableRefused(ISC)
        if offset is not None:
            if not self.p.config.offset_access:
                raise TableRefused(SNS)
            current = self.read(table) if table != 7 else bytes(max(len(data) + offset, 3))
            if offset + len(data) > len(current):
                raise TableRefused(IAR)
            data = current[:offset] + data + current[offset + len(data) :]
        try:
            self._apply(table, data, level)
        except TableRefused:
            raise
        except Exception:  # a malformed table image: the meter keeps its old contents
            raise TableRefused(IAR) from None
        self.shared.save()

    def _apply(self, table: int, data: bytes, level: int) -> None:
        fmt, s, now = self.fmt, self.s, time.time()
        if table == 5:
            s.meter_id = fmt.ident(data[: fmt.ident_len(20)])
        elif table == 6:
            info = UtilInfo.decode(data, fmt)
            s.st6 = {k: v for k, v in info.__dict__.items() if not isinstance(v, bytes)}
            s.log(now, 5, 6)
        elif table == 7:
            self.run_procedure(sp.ProcedureInitiate.decode(data, fmt), level)
        else:
            name = self.map.name_of(table)
            values = mfg.decode(name, data, fmt)
            if name == "install_record":
                values["installed_at"] = values["installed_at"].isoformat() if values.get("installed_at") else None
                s.install_record = values
                s.log(now, 5, table - 2048)
            elif name == "program_load":
                # The image carries a CRC-16 of itself with the CRC field zeroed: a torn or altered
                # load is refused at activation (result 2), and the old program stays in force.
                image = data[:16] + b"\x00\x00" + data[18:]
                values["valid"] = int(crc16(image) == values["program_crc"])
                s.pending_program = {**values, "factory_default": 0}
            elif name in ("han_join_list", "han_commands"):
                self.han.write(name, values)
            elif name == "pulse_outputs":
                s.pulse_outputs = values["entries"]

    # -- procedures ------------------------------------------------------------------------------
    def run_procedure(self, init: sp.ProcedureInitiate, level: int) -> None:
        result, data = self._procedure(init, level)
        self.st8 = sp.ProcedureResponse(init.number, init.mfg, init.seq, result, data)

    def _procedure(self, init: sp.ProcedureInitiate, level: int) -> tuple[int, bytes]:
        supported = self.p.config.mfg_proc_used if init.mfg else self.p.config.std_proc_used
        if init.number not in supported:
            return 6, b""
        s, now, fmt = self.s, time.time(), self.fmt
        if level < 2:
            return 5, b""
        if init.mfg and init.number == mfg.MP_SERVICE_SWITCH:
            return self.switch.operate(init.params, level, now), b""
        if init.mfg and init.number == mfg.MP_ACTIVATE_PROGRAM:
            pending = s.pending_program
            if level < 3 or not pending:
                return (5 if level < 3 else 3), b""
            if not pending.get("valid"):
                return 2, b""
            s.program = {k: v for k, v in pending.items() if k != "valid"} | {"loaded_at": utc(now).isoformat()}
            s.pending_program = {}
            s.log(now, 4, s.program["program_crc"])
            return 0, b""
        if init.number == sp.SP_SET_DATE_TIME:
            before = utc(s.meter_time(now)).replace(microsecond=0)
            mask, t, _qual = sp.parse_set_date_time(init.params, fmt)
            if not mask & (sp.SET_TIME | sp.SET_DATE) or t is None:
                return 2, b""
            s.set_meter_time(t.timestamp(), now)
            s.log(now, 3, 0)
            return 0, fmt.pack_ltime(before) + fmt.pack_ltime(t)
        if init.number == sp.SP_CLEAR_STD_STATUS:
            s.std_status = 0
            self.cleared = self.behaviour.status_flags(self.elapsed() + 1e9) & ~flag_mask(CRITICAL_FLAGS)
            s.log(now, 6, 7)
            return 0, b""
        if init.number == sp.SP_CLEAR_MFG_STATUS:
            return 0, b""
        if init.number == sp.SP_CHANGE_MODE:
            if not init.params or init.params[0] & ~0x07 or level < 3:
                return (2 if level >= 3 else 5), b""
            s.mode = init.params[0]
            return 0, b""
        if init.number == sp.SP_EXECUTE_DIAGNOSTICS:
            found = self.behaviour.status_flags(self.elapsed() + 1e9)  # runs the self-test now
            self.self_test_forced = True
            s.log(now, 10, found)
            return 0, b""
        return 6, b""


def _dt(v) -> datetime | None:
    if not v:
        return None
    return v if isinstance(v, datetime) else datetime.fromisoformat(v).astimezone(UTC)
