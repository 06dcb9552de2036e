"""The cellular modem driver: survey, ping and network time through 3GPP TS 27.007 AT commands.

Runs on the port's worker thread (one command at a time, as V.250 requires). Unsolicited result codes that
arrive between or inside responses are kept: registration changes (``+CREG: 5``) update
``last_registration`` so a watcher sees them without polling.
"""

from __future__ import annotations

import contextlib
import threading
from collections import deque
from datetime import UTC

from fieldtool.protocols.at import AtError, AtProtocolError, AtSession, CommandDone, Urc
from fieldtool.protocols.at import ts27007 as ts
from fieldtool.radio import (
    Capability,
    DeviceInfo,
    LinkTestResult,
    Neighbour,
    NetworkTime,
    RadioDriver,
    RadioError,
    RadioReplyError,
    RadioTimeout,
    SurveyResult,
)
from fieldtool.radio.base import Progress
from fieldtool.radio.serial_link import SerialLink
from plugins.gprs.qping import QPING_ERRORS, Echo, parse_qping

BAUDRATE = 115200
LTE_ACTS = frozenset({7, 9, 10, 13})


class GprsDriver(RadioDriver):
    name = "gprs"
    technologies = ("gprs", "cellular")

    def __init__(self, port_url, **kw):
        super().__init__(port_url, **kw)
        self._link: SerialLink | None = None
        self._session = AtSession()
        self._caps: frozenset[Capability] = frozenset()
        self.urcs: deque[str] = deque(maxlen=200)
        self.last_registration: ts.Registration | None = None

    # -- life cycle ------------------------------------------------------------------------------------
    def open(self) -> DeviceInfo:
        self._link = SerialLink(self.port_url, baudrate=int(self.setting("baudrate", BAUDRATE)), clock=self.clock)
        try:
            self._synchronise()
            self.at("ATE0")  # echo off; the parser copes with echo, but it halves the bytes on the wire
            if self._optional("AT+CMEE=2") is None:  # verbose +CME ERROR text; older modems know only 1
                self._optional("AT+CMEE=1")
            vendor = " ".join(self.at("AT+CGMI")) or "unknown"
            model = " ".join(self.at("AT+CGMM")) or "unknown"
            firmware = " ".join(self.at("AT+CGMR")).removeprefix("Revision:").strip() or "unknown"
            imei = next((ln for ln in self.at("AT+CGSN") if ln.strip().isdigit()), None)
            self._check_sim()
            for command in ("AT+CREG=2", "AT+CGREG=2", "AT+CEREG=2"):  # location in replies, URCs on change
                self._optional(command)
            caps = {Capability.SURVEY, Capability.NETWORK_TIME}
            if self._supports("AT+QPING=?"):
                caps.add(Capability.LINK_TEST)
            self._caps = frozenset(caps)
        except Exception:
            self.close()
            raise
        self.info = DeviceInfo("gprs", vendor, model, firmware, imei, "3GPP TS 27.007")
        return self.info

    def close(self) -> None:
        if self._link is not None:
            self._link.close()
            self._link = None

    def capabilities(self) -> frozenset[Capability]:
        return self._caps

    def _synchronise(self) -> None:
        """A modem that just woke may drop the first characters (autobaud); try ``AT`` a few times."""
        for attempt in range(3):
            try:
                self.at("AT", timeout=self.setting("sync_timeout_s", 1.0))
                return
            except RadioTimeout:
                if attempt == 2:
                    raise RadioTimeout(
                        f"No modem answers AT on {self.port_url}.",
                        hint="Check that the modem is powered, the port and the baud rate.",
                    ) from None

    def _check_sim(self) -> None:
        try:
            lines = self.at("AT+CPIN?")
        except RadioError as e:
            raise RadioError(f"The modem's SIM is not usable ({e})", hint="Check the SIM card and its PIN.") from None
        state = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("+CPIN:")), "")
        if state != "READY":
            words = {"SIM PIN": "it asks for its PIN", "SIM PUK": "it is blocked and asks for its PUK",
                     "PH-SIM PIN": "the modem asks for its phone-lock code", "SIM PIN2": "it asks for its PIN2",
                     "SIM PUK2": "it asks for its PUK2"}.get(state, state or "no answer")
            raise RadioError(f"The modem's SIM is not ready: {words} (+CPIN: {state}).",
                             hint="Fit a SIM without a PIN lock, or unlock it once with a phone.")

    def _supports(self, test_command: str) -> bool:
        try:
            self.at(test_command)
            return True
        except RadioTimeout:
            raise
        except RadioError:
            return False

    # -- the AT exchange --------------------------------------------------------------------------------
    def at(self, command: str, *, timeout: float | None = None) -> tuple[str, ...]:
        """Send one command, return its information-response lines; URCs met meanwhile are kept."""
        if self._link is None:
            raise RadioError("The modem is not open.")
        self._link.write(self._session.command(command))
        deadline = self._link.deadline(timeout if timeout is not None else self.setting("command_timeout_s", 3.0))
        while True:
            event = self._next_event(deadline)
            if event is None:
                self._session.abandon()
                raise RadioTimeout(f"The modem did not answer {command} in time.")
            if isinstance(event, CommandDone):
                return event.lines
            if isinstance(event, AtError):
                raise RadioError(f"{event.describe()}.")

    def _next_event(self, deadline: float) -> CommandDone | AtError | None:
        """The next command result, keeping URCs; None at the deadline."""
        assert self._link is not None
        while True:
            event = self._session.next_event()
            if isinstance(event, Urc):
                self._keep_urc(event)
                continue
            if event is not None:
                return event
            if self._link.expired(deadline):
                return None
            self._feed()

    def _feed(self) -> None:
        assert self._link is not None
        data = self._link.read_some()
        if data:
            try:
                self._session.receive_data(data)
            except AtProtocolError as e:
                raise RadioReplyError(str(e)) from None

    def _keep_urc(self, urc: Urc) -> None:
        self.urcs.append(urc.line)
        if urc.line.startswith(("+CREG:", "+CGREG:", "+CEREG:")):
            # a malformed URC is kept as text, not a reason to fail the command
            with contextlib.suppress(Exception):
                self.last_registration = ts.parse_registration(urc.line, unsolicited=True)

    def _optional(self, command: str) -> tuple[str, ...] | None:
        """A command older modems may not know (+CESQ on a 2G modem, +CEREG without LTE): None if refused."""
        try:
            return self.at(command)
        except RadioTimeout:
            raise
        except RadioError:
            return None

    # -- operations ----------------------------------------------------------------------------------
    def survey(self, *, progress: Progress | None = None, cancel: threading.Event | None = None) -> SurveyResult:
        steps = ["AT+CSQ", "AT+CESQ", "AT+CREG?", "AT+CGREG?", "AT+CEREG?", "AT+COPS?", "AT+CGATT?"]
        replies: dict[str, tuple[str, ...] | None] = {}
        for i, command in enumerate(steps):
            self.check_cancel(cancel)
            self.report(progress, i, len(steps), f"asking the modem {command}")
            replies[command] = self.at(command) if command in ("AT+CSQ", "AT+COPS?") else self._optional(command)
        self.report(progress, len(steps), len(steps), "survey done")
        try:
            return self._survey_result(replies)
        except RadioError:
            raise
        except Exception as e:  # InputError from a decoder: the modem's reply had the wrong shape
            raise RadioReplyError(str(e)) from None

    def _survey_result(self, replies) -> SurveyResult:
        csq = ts.parse_csq(replies["AT+CSQ"])
        cesq = ts.parse_cesq(replies["AT+CESQ"]) if replies["AT+CESQ"] else None
        regs = [
            ts.parse_registration(next(ln for ln in lines if ln.startswith("+C")))
            for key in ("AT+CEREG?", "AT+CGREG?", "AT+CREG?")
            if (lines := replies[key]) and any(ln.startswith("+C") for ln in lines)
        ]
        reg = next((r for r in regs if r.registered), regs[0] if regs else None)
        cops = ts.parse_cops(replies["AT+COPS?"])
        attached = ts.parse_cgatt(replies["AT+CGATT?"]) if replies["AT+CGATT?"] else None
        act = cops.act if cops.act is not None else (reg.act if reg else None)
        lte = act in LTE_ACTS
        rsrp = cesq.rsrp_dbm if cesq else None
        signal = rsrp if lte and rsrp is not None else csq.rssi_dbm
        cell = Neighbour(
            id=(reg.cell_id if reg and reg.cell_id else "serving"),
            role="cell",
            rssi_dbm=csq.rssi_dbm,
            rsrp_dbm=rsrp,
            rsrq_db=cesq.rsrq_db if cesq else None,
            operator=cops.name,
        )
        heard = signal is not None or (reg is not None and reg.registered)
        return SurveyResult(
            technology="gprs",
            at=self.clock.now(),
            neighbours=(cell,) if heard else (),
            signal_dbm=signal,
            registration=reg.words if reg else "unknown",
            registered=reg.registered if reg else None,
            operator=cops.name,
            access_technology=ts.ACCESS_TECHNOLOGIES.get(act) if act is not None else None,
            attached=attached,
            details={
                "csq_rssi_dbm": csq.rssi_dbm, "ber_class": csq.ber_class,
                "rsrp_dbm": rsrp, "rsrq_db": cesq.rsrq_db if cesq else None,
                "rscp_dbm": cesq.rscp_dbm if cesq else None, "ecno_db": cesq.ecno_db if cesq else None,
                "registration_stat": reg.stat if reg else None, "registration_via": reg.command if reg else None,
                "area": reg.area if reg else None, "cell_id": reg.cell_id if reg else None,
            },
        )

    def link_test(self, target, *, count=10, progress=None, cancel=None) -> LinkTestResult:
        if Capability.LINK_TEST not in self._caps:
            raise self._unsupported(Capability.LINK_TEST)
        if not target or any(c in target for c in '",\r\n'):
            raise RadioError(f"{target!r} is not a host name or address the modem can ping.")
        per_ping = max(1, round(self.setting("ping_timeout_s", 4.0)))
        context = int(self.setting("pdp_context", 1))
        self.at(f'AT+QPING={context},"{target}",{per_ping},{count}')
        assert self._link is not None
        rtts: list[float] = []
        done = 0
        deadline = self._link.deadline(per_ping * (count + 1) + self.setting("command_timeout_s", 3.0))
        while True:
            self.check_cancel(cancel)
            line = self._next_qping(deadline)
            if line is None:
                raise RadioTimeout(f"The modem's ping of {target} did not finish in time ({done} of {count}).")
            try:
                item = parse_qping(line)
            except Exception as e:
                raise RadioReplyError(str(e)) from None
            if isinstance(item, Echo):
                done += 1
                if item.ok and item.rtt_ms is not None:
                    rtts.append(item.rtt_ms)
                self.report(progress, done, count, f"ping {done} of {count}: {'answered' if item.ok else 'lost'}")
                continue
            if item.result != 0:
                reason = QPING_ERRORS.get(item.result, f"error {item.result}")
                raise RadioError(f"The modem could not ping {target}: {reason}.")
            signal = self._signal_now()
            return LinkTestResult(target, item.sent or count, item.received, tuple(rtts), signal, None, "cellular")

    def _next_qping(self, deadline: float) -> str | None:
        while True:
            for i, line in enumerate(self.urcs):
                if line.startswith("+QPING:"):
                    del self.urcs[i]
                    return line
            event = self._session.next_event()
            if isinstance(event, Urc):
                self._keep_urc(event)
                continue
            if self._link is None or self._link.expired(deadline):
                return None
            self._feed()

    def _signal_now(self) -> float | None:
        try:
            return ts.parse_csq(self.at("AT+CSQ")).rssi_dbm
        except Exception:
            return None

    def network_time(self) -> NetworkTime:
        try:
            utc = ts.parse_cclk(self.at("AT+CCLK?"))
        except RadioError:
            raise
        except Exception as e:
            raise RadioReplyError(str(e)) from None
        if utc.year < 2020:  # the modem's RTC default (80/01/06 ...): NITZ never came
            raise RadioError("The modem has no network time yet (the network has not sent it).")
        now = self.clock.now().astimezone(UTC)
        return NetworkTime(utc, "cellular network (NITZ)", round((utc - now).total_seconds(), 3))
