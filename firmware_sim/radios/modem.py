"""A simulated cellular modem answering 3GPP TS 27.007 AT commands (plus Quectel's AT+QPING).

It echoes as characters arrive (ATE1 is the power-on default), answers each command line with the
information response and a final result code, reports errors as ERROR or +CME ERROR in the form AT+CMEE
selects, emits registration URCs when its state changes (AT+CREG=1/2, AT+CEREG=1/2), and can interleave
URCs inside responses. Signal and registration follow the installer's position in the ``RadioWorld``
unless the configuration fixes them. Faults: no SIM / SIM PIN, registration denied or searching, fixed
signal, commands it ignores (the host times out), slow answers, garbage on the line.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import UTC, timedelta

from fieldtool.clock import Clock
from fieldtool.protocols.at.ts27007 import CME_ERRORS
from firmware_sim.radios.device import SimDevice
from firmware_sim.radios.world import RadioWorld


@dataclass
class ModemConfig:
    vendor: str = "Quectel"
    model: str = "BG96"
    firmware: str = "BG96MAR02A07M1G"
    imei: str = "867698041234567"
    rat: str = "lte"  # lte (AcT 7) or gsm (AcT 0, no +CESQ LTE values, no +CEREG)
    sim: str = "ready"  # ready, absent, pin
    registration: str = "auto"  # auto (from signal), denied, searching, roaming
    signal_dbm: float | None = None  # fixes RSRP (LTE) / RSSI (GSM) instead of the world's value
    ignore: list[str] = field(default_factory=list)  # command names it never answers, e.g. ["+COPS"]
    slow_s: float = 0.0  # extra delay before every answer
    interleave_urcs: bool = False  # put a +CEREG URC between a response's lines and its OK
    garbage: bool = False  # a burst of line noise before each answer
    response_delay_s: float = 0.02  # a modem's usual command turnaround
    clock_offset_s: float = 0.0  # the network time's distance from true time
    supports_qping: bool = True
    cmee_verbose: bool = True  # False: an older modem that knows AT+CMEE=0/1 only (numeric +CME ERROR)


class ModemSim(SimDevice):
    def __init__(self, world: RadioWorld, config: ModemConfig | None = None, *, clock: Clock | None = None,
                 baudrate: int = 115200):
        super().__init__(clock=clock or world.clock, baudrate=baudrate)
        self.world = world
        self.cfg = config or ModemConfig()
        self.echo = True
        self.cmee = 0
        self.urc_mode = {"CREG": 0, "CGREG": 0, "CEREG": 0}
        self._line = bytearray()
        self._last_stat: int | None = None
        self._rng = random.Random(world.seed)

    # -- radio state from the world ---------------------------------------------------------------
    def serving(self):
        links = self.world.links("gprs")
        return links[0] if links else None

    def rsrp(self) -> float | None:
        if self.cfg.signal_dbm is not None:
            return self.cfg.signal_dbm
        cell = self.serving()
        return None if cell is None else cell.rssi_dbm

    def stat(self) -> int:
        if self.cfg.sim != "ready":
            return 0
        forced = {"denied": 3, "searching": 2, "roaming": 5}.get(self.cfg.registration)
        if forced is not None:
            return forced
        rsrp = self.rsrp()
        return 1 if rsrp is not None and rsrp > -125 else 2

    # -- bytes in ---------------------------------------------------------------------------------
    def on_bytes(self, data: bytes) -> None:
        for b in data:
            if self.echo:
                self.send(bytes([b]))
            if b == 0x0D:
                line = self._line.decode("ascii", errors="replace").strip()
                self._line.clear()
                if line:
                    self._command(line)
            elif b != 0x0A:
                self._line.append(b)
                if len(self._line) > 560:  # V.250: the command line buffer is at least 40 chars; ours 560
                    self._line.clear()
                    self._final("ERROR")

    def tick(self) -> None:
        stat = self.stat()
        if self._last_stat is not None and stat != self._last_stat:
            for name, mode in self.urc_mode.items():
                if mode:
                    self._send_line(self._registration_line(name, mode, urc=True))
        self._last_stat = stat

    # -- answering --------------------------------------------------------------------------------
    def _delay(self) -> float:
        return self.cfg.response_delay_s + self.cfg.slow_s

    def _send_line(self, text: str, after: float = 0.0) -> None:
        self.send(f"\r\n{text}\r\n".encode("latin-1"), after)

    def _final(self, code: str, lines: list[str] | None = None) -> None:
        if self.cfg.garbage:
            self.send(bytes(self._rng.randrange(0x20, 0x7F) for _ in range(12)) + b"\r\n", self._delay())
        for i, line in enumerate(lines or []):
            self._send_line(line, self._delay() if i == 0 else 0.0)
        if self.cfg.interleave_urcs and lines:
            self._send_line(self._registration_line("CEREG", 2, urc=True))
        self._send_line(code, 0.0 if lines else self._delay())

    def _error(self, code: int) -> None:
        if self.cmee == 0:
            self._final("ERROR")
        elif self.cmee == 1:
            self._final(f"+CME ERROR: {code}")
        else:
            self._final(f"+CME ERROR: {CME_ERRORS.get(code, 'unknown')}")

    def _command(self, line: str) -> None:
        upper = line.upper()
        if not upper.startswith("AT"):
            return  # V.250: a line not starting with AT is ignored
        body = upper[2:]
        name = re.match(r"[+^]?[A-Z&]*", body).group(0)
        if name and name in {n.upper() for n in self.cfg.ignore}:
            return
        handler = _HANDLERS.get(name)
        if body == "":
            self._final("OK")
        elif handler is None:
            self._final("ERROR")
        else:
            handler(self, line[2 + len(name):])

    def _needs_sim(self) -> bool:
        if self.cfg.sim == "absent":
            self._error(10)
            return False
        if self.cfg.sim == "pin":
            self._error(11)
            return False
        return True

    def _registration_line(self, name: str, mode: int, *, urc: bool) -> str:
        stat = self.stat()
        cell = self.serving()
        lte = self.cfg.rat == "lte"
        head = f"+{name}: " + ("" if urc else f"{mode},") + str(stat)
        if mode >= 2 and cell is not None and stat in (1, 5):
            head += f',"{cell.site.area}","{cell.site.id}",{7 if lte else 0}'
        return head

    # -- handlers ---------------------------------------------------------------------------------
    def h_echo(self, rest: str) -> None:
        if rest in ("0", "1", ""):
            self.echo = rest == "1"
            self._final("OK")
        else:
            self._final("ERROR")

    def h_info(self, rest: str) -> None:
        self._final("OK", [self.cfg.vendor, self.cfg.model, f"Revision: {self.cfg.firmware}"])

    def h_cmee(self, rest: str) -> None:
        if rest == "?":
            self._final("OK", [f"+CMEE: {self.cmee}"])
        elif re.fullmatch(r"=[012]", rest) and (self.cfg.cmee_verbose or rest != "=2"):
            self.cmee = int(rest[1])
            self._final("OK")
        else:
            self._error(50)

    @staticmethod
    def h_ident(which: str):
        def handler(self, rest: str) -> None:
            value = {"CGMI": self.cfg.vendor, "CGMM": self.cfg.model, "CGMR": f"Revision: {self.cfg.firmware}",
                     "CGSN": self.cfg.imei}[which]
            self._final("OK", [value]) if rest in ("", "=1") else self._error(50)
        return handler

    def h_cpin(self, rest: str) -> None:
        if rest != "?":
            return self._error(4)
        if self.cfg.sim == "absent":
            return self._error(10)
        self._final("OK", ["+CPIN: " + ("READY" if self.cfg.sim == "ready" else "SIM PIN")])

    def h_csq(self, rest: str) -> None:
        if rest not in ("", "=?"):
            return self._error(50)
        if rest == "=?":
            return self._final("OK", ["+CSQ: (0-31,99),(0-7,99)"])
        rsrp = self.rsrp()
        if rsrp is None or self.cfg.sim != "ready":
            return self._final("OK", ["+CSQ: 99,99"])
        rssi = rsrp + 25 if self.cfg.rat == "lte" else rsrp
        rssi += self._rng.gauss(0, 1.0)
        code = max(0, min(31, round((rssi + 113) / 2)))
        self._final("OK", [f"+CSQ: {code},99"])

    def h_cesq(self, rest: str) -> None:
        if rest != "":
            return self._error(50)
        rsrp = self.rsrp()
        if rsrp is None or self.cfg.sim != "ready":
            return self._final("OK", ["+CESQ: 99,99,255,255,255,255"])
        if self.cfg.rat == "gsm":
            rxlev = max(0, min(63, round(rsrp + self._rng.gauss(0, 1.0) + 111)))
            return self._final("OK", [f"+CESQ: {rxlev},0,255,255,255,255"])
        cell = self.serving()
        snr = (cell.snr_db if cell else 10.0)
        rsrq = max(-19.5, min(-3.0, -20.0 + min(snr, 30) / 2.2))
        rsrp_code = max(0, min(97, round(rsrp + self._rng.gauss(0, 1.0) + 141)))
        rsrq_code = max(0, min(34, round((rsrq + 20) * 2)))
        self._final("OK", [f"+CESQ: 99,99,255,255,{rsrq_code},{rsrp_code}"])

    @staticmethod
    def h_reg(name: str):
        def handler(self, rest: str) -> None:
            if name == "CEREG" and self.cfg.rat != "lte":
                return self._error(4)
            if rest == "?":
                return self._final("OK", [self._registration_line(name, self.urc_mode[name], urc=False)])
            if re.fullmatch(r"=[0-2]", rest):
                self.urc_mode[name] = int(rest[1])
                return self._final("OK")
            self._error(50)
        return handler

    def h_cops(self, rest: str) -> None:
        if rest != "?":
            return self._error(4)
        if not self._needs_sim():
            return
        cell = self.serving()
        if self.stat() not in (1, 5) or cell is None:
            return self._final("OK", ["+COPS: 0"])
        self._final("OK", [f'+COPS: 0,0,"{cell.site.operator}",{7 if self.cfg.rat == "lte" else 0}'])

    def h_cgatt(self, rest: str) -> None:
        if rest != "?":
            return self._error(4)
        if not self._needs_sim():
            return
        self._final("OK", [f"+CGATT: {1 if self.stat() in (1, 5) else 0}"])

    def h_cclk(self, rest: str) -> None:
        if rest != "?":
            return self._error(4)
        if self.stat() not in (1, 5):
            return self._final("OK", ['+CCLK: "80/01/06,00:00:12+00"'])  # no NITZ yet: the RTC's reset value
        t = self.clock.now() + timedelta(seconds=self.cfg.clock_offset_s)
        local = t.astimezone(UTC) - timedelta(hours=5)
        self._final("OK", [local.strftime('+CCLK: "%y/%m/%d,%H:%M:%S-20"')])

    def h_qping(self, rest: str) -> None:
        if not self.cfg.supports_qping:
            return self._final("ERROR")
        if rest == "=?":
            return self._final("OK", ['+QPING: (1-16),<host>,(1-255),(1-10)'])
        m = re.fullmatch(r'=(\d+),"([^"]+)"(?:,(\d+))?(?:,(\d+))?', rest)
        if not m:
            return self._error(50)
        host, timeout, count = m.group(2), int(m.group(3) or 4), int(m.group(4) or 4)
        if not (1 <= timeout <= 255 and 1 <= count <= 10):
            return self._error(50)
        self._final("OK")
        if self.stat() not in (1, 5):
            return self._send_line("+QPING: 561", self._delay())
        if host.endswith(".invalid"):
            return self._send_line("+QPING: 565", self._delay())
        self._ping_train(host, timeout, count)

    def _ping_train(self, host: str, timeout: int, count: int) -> None:
        cell = self.serving()
        loss = cell.loss_probability if cell else 1.0
        rtts: list[int] = []
        at = self._delay()
        for _ in range(count):
            if self._rng.random() < max(loss, 0.002):
                at += timeout
                self._send_line("+QPING: 569", at)
                continue
            rtt = max(20, round(self._rng.gauss(48, 9) + (20 if loss > 0.2 else 0)))
            at += rtt / 1000 + 0.2  # the modem waits between echo requests
            rtts.append(rtt)
            self._send_line(f'+QPING: 0,"10.64.0.{1 + len(host) % 250}",32,{rtt},255', at)
        if rtts:
            summary = f"0,{count},{len(rtts)},{count - len(rtts)},{min(rtts)},{max(rtts)},{round(sum(rtts) / len(rtts))}"
        else:
            summary = f"0,{count},0,{count},0,0,0"
        self._send_line(f"+QPING: {summary}", at + 0.01)


_HANDLERS = {
    "E": ModemSim.h_echo, "I": ModemSim.h_info, "+CMEE": ModemSim.h_cmee,
    "+CGMI": ModemSim.h_ident("CGMI"), "+CGMM": ModemSim.h_ident("CGMM"),
    "+CGMR": ModemSim.h_ident("CGMR"), "+CGSN": ModemSim.h_ident("CGSN"),
    "+CPIN": ModemSim.h_cpin, "+CSQ": ModemSim.h_csq, "+CESQ": ModemSim.h_cesq,
    "+CREG": ModemSim.h_reg("CREG"), "+CGREG": ModemSim.h_reg("CGREG"),
    "+CEREG": ModemSim.h_reg("CEREG"), "+COPS": ModemSim.h_cops, "+CGATT": ModemSim.h_cgatt,
    "+CCLK": ModemSim.h_cclk, "+QPING": ModemSim.h_qping,
}
