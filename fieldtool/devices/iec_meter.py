"""``IecProtocol``: the IEC 62056-21 mode C plug-in of ``fieldtool.meter_protocols`` (codec in
``fieldtool.protocols.iec62056_21``).

Session: sign-on ``/?!`` at 300 baud 7E1, identification, option select for programming mode at the fastest
baud both sides know (the line switches after the acknowledgement), password (P1), then R1 reads and W1 writes
of the installer's fields by OBIS-style address, and a break (B0) at the end. A block with a wrong BCC is
answered NAK and repeated by the meter, up to ``[optical] link_retries`` times.

Addresses used: 0.0.0 meter id, C.1.0 manufacturer serial, 0.2.0 firmware, 1.8.0 / 2.8.0 energy delivered /
received, 1.6.0 maximum demand, 0.9.1 / 0.9.2 time / date, F.F error register, C.90.1 service point, C.90.2
location, C.90.3 removed meter, C.90.4 its final read, C.90.5 customer, C.91.0 program id. Mode C has no
C12.19 tables, no self-test flags the tool knows and no AMI network status: those answers say so.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from fieldtool.devices import meter_api as api
from fieldtool.devices.ports import read_available, set_baudrate, set_line, write_all
from fieldtool.domain.errors import UserCancelled, UserFacingError
from fieldtool.protocols.c1219.standard import STATUS_FLAGS
from fieldtool.protocols.iec62056_21 import messages as m
from fieldtool.protocols.iec62056_21.framing import Framer

REGISTERS = (("1.8.0", "kwh_delivered"), ("2.8.0", "kwh_received"), ("1.6.0", "kw_max_demand_delivered"))


class IecError(UserFacingError):
    """The IEC meter did not answer, or answered in a way the tool cannot use."""


class IecProtocol(api.MeterProtocol):
    name = "iec62056-21"

    def probe(self, port, ctx: api.SessionContext) -> bool:
        try:
            IecSession(port, ctx).sign_on()
        except api.NotDetected:
            return False
        return True

    def open(self, port, ctx: api.SessionContext) -> IecSession:
        session = IecSession(port, ctx)
        session.start()
        return session


class IecSession(api.MeterSession):
    protocol = "iec62056-21"

    def __init__(self, port, ctx: api.SessionContext):
        self.port = port
        self.ctx = ctx
        self.s = ctx.settings
        self.framer = Framer()
        self.ident: m.Identification | None = None
        self.baud = 300

    # -- the line ----------------------------------------------------------------------------------
    def _send(self, data: bytes, *, secret: bool = False) -> None:
        self.ctx.transcript.add("tx", data, secret=secret)
        write_all(self.port, data)

    def _receive(self, timeout_s: float) -> bytes | None:
        """The next complete message, or None after ``timeout_s`` (configured seconds) of waiting."""
        clock = self.ctx.clock
        end = clock.monotonic() + clock.seconds(timeout_s)
        while clock.monotonic() < end:
            if self.ctx.cancel.is_set():
                raise UserCancelled()
            data = read_available(self.port)
            if data:
                self.ctx.transcript.add("rx", data)
                try:
                    frames = self.framer.feed(data)
                except m.IecProtocolError as e:
                    raise IecError(f"The IEC meter sent garbage: {e}.") from e
                if frames:
                    return frames[0] if len(frames) == 1 else b"".join(frames)
        return None

    def _wait_s(self, n_bytes: int) -> float:
        """The response timeout plus the wire time of an answer of about ``n_bytes`` at the current baud."""
        return self.s.response_timeout_s + n_bytes * 10 / self.baud / max(self.ctx.clock.scale, 1e-9)

    def sign_on(self) -> m.Identification:
        set_line(self.port, baudrate=300, bytesize=7, parity="E")
        self.baud = 300
        self.port.reset_input_buffer()
        line = None
        for _ in range(2):  # a second sign-on: the meter may still be discarding noise from before
            self._send(m.sign_on())
            line = self._receive(self._wait_s(40))
            if line is not None:
                break
        if line is None:
            raise api.NotDetected("No IEC 62056-21 identification after two sign-ons.")
        try:
            self.ident = m.Identification.from_bytes(line)
        except m.IecProtocolError as e:
            raise api.NotDetected(f"No IEC 62056-21 identification: {e}") from e
        return self.ident

    def start(self) -> None:
        from fieldtool.devices.meter import secret_text

        # Before the sign-on: unlocking the vault takes a moment the meter's inactivity timer should not see.
        password = secret_text(self.s.iec_password_secret, self.s.iec_password_unprotected)
        self.ctx.progress("sign-on", 0.05)
        ident = self.sign_on()
        wanted = [b for b in self.s.iec_bauds if b in m.BAUD_TO_CHAR and b <= ident.max_baud] or [300]
        baud = wanted[0]
        self._send(m.option_select(baud, m.MODE_PROGRAMMING))
        self.port.flush()
        # The meter switches after the acknowledgement; its reaction time is the least we wait.
        self.ctx.clock.sleep(0.02 if ident.fast_reaction else 0.2)
        set_baudrate(self.port, baud)
        self.baud = baud
        self.ctx.transcript.note(f"switched to {baud} baud")
        request = self._block(None)
        if m.parse_command(request).command != "P":
            raise IecError("The IEC meter did not ask for a password in programming mode.")
        if password is None:
            raise IecError("No password for IEC meters is configured.",
                           hint="Store it: fieldtool secrets set meter:iec62056:password")  # fmt: skip
        self._send(m.Command("P", "1", f"({password})").to_bytes(), secret=True)
        answer = self._receive(self._wait_s(20))
        if answer != bytes([m.ACK]):
            raise IecError("The IEC meter refused the programming password.",
                           hint="Check the IEC meter password in the vault (meter:iec62056:password).")  # fmt: skip

    def _block(self, command: m.Command | None) -> bytes:
        """Send ``command`` (or nothing) and return the meter's block; NAK a bad BCC and take it again."""
        if command is not None:
            self._send(command.to_bytes())
        for _ in range(1 + self.s.link_retries):
            frame = self._receive(self._wait_s(120))
            if frame is None:
                raise IecError("The IEC meter stopped answering.", hint="Re-seat the probe and start again.")
            if frame in (bytes([m.ACK]), bytes([m.NAK])):
                return frame
            try:
                m.parse_block(frame)
                return frame
            except m.IecProtocolError:
                self.ctx.transcript.note("bad BCC: NAK")
                self._send(bytes([m.NAK]))
        raise IecError("The IEC meter's answers kept failing their check (BCC).",
                       hint="Clean the optical window, hold the probe steady and retry.")  # fmt: skip

    def read(self, address: str) -> str | None:
        """R1 of one address; None when the meter does not know it (ERR03)."""
        frame = self._block(m.Command("R", "1", f"{address}()"))
        try:
            return m.parse_answer(m.parse_block(frame)[1])
        except m.IecProtocolError as e:
            if "ERR03" in str(e):
                return None
            raise IecError(f"The IEC meter could not read {address}: {e}.") from e

    def write(self, address: str, value: str, *, verify: bool = True) -> None:
        frame = self._block(m.Command("W", "1", f"{address}({value})"))
        if frame != bytes([m.ACK]):
            raise IecError(f"The IEC meter refused to write {address} ({frame[:20]!r}).",
                           hint="The field is read-only on this meter or the value is too long.")  # fmt: skip
        if verify and self.read(address) != value:
            raise IecError(f"The IEC meter did not keep the value written to {address}.")

    # -- installer operations ------------------------------------------------------------------
    def identify(self) -> api.MeterIdentity:
        ident = self.ident
        return api.MeterIdentity("iec62056-21", ident.manufacturer, ident.ident.strip(), self.read("C.1.0") or "",
                                 self.read("0.0.0") or "", self.read("0.2.0") or "", None,
                                 {"nameplate": self.read("C.90.9"), "baud": self.baud})  # fmt: skip

    def health(self) -> api.Health:
        err = self.read("F.F")
        if err is None:  # no error register: the meter reports nothing the tool could classify
            return api.Health(True, [], [], list(STATUS_FLAGS))
        bad = err.strip("0") != ""
        return api.Health(not bad, [f"error_register_{err}"] if bad else [], [], list(STATUS_FLAGS))

    def clock_check(self) -> api.ClockCheck:
        t, d = self.read("0.9.1"), self.read("0.9.2")
        tool = self.ctx.clock.now()
        try:
            meter = datetime.strptime(f"{d}{t}", "%y%m%d%H%M%S").replace(tzinfo=UTC)
        except (TypeError, ValueError):
            return api.ClockCheck(None, tool, None)
        return api.ClockCheck(meter, tool, (meter - tool.replace(microsecond=0)).total_seconds())

    def read_registers(self) -> list[api.RegisterValue]:
        out = []
        for address, name in REGISTERS:
            value = self.read(address)
            if value is None:
                continue
            number, _, unit = value.partition("*")
            with contextlib.suppress(ValueError):
                out.append(api.RegisterValue(name, float(number), unit))
        return out

    def read_table(self, table: int):
        raise UserFacingError("An IEC 62056-21 meter has no C12.19 tables.",
                              hint="Use fieldtool meter identify or registers for this meter.")  # fmt: skip

    def write_install_info(self, info: api.InstallInfo) -> dict:
        fields = {"C.90.1": info.service_point_id, "C.90.3": info.removed_meter_id, "C.90.5": info.customer_id}
        if info.latitude is not None and info.longitude is not None:
            fields["C.90.2"] = f"{info.latitude:.6f},{info.longitude:.6f}"
        if info.removed_final_read is not None:
            fields["C.90.4"] = f"{info.removed_final_read:.3f}"
        for address, value in fields.items():
            if value:
                self.write(address, value)
        return {"written": sorted(a for a, v in fields.items() if v), "verified": True, "record": fields}

    def set_clock(self, when: datetime) -> api.ClockCheck:
        when = when.astimezone(UTC)
        # The clock runs on between the writes and the read-back: the clock check below is the verification.
        self.write("0.9.2", when.strftime("%y%m%d"), verify=False)
        self.write("0.9.1", self.ctx.clock.now().astimezone(UTC).strftime("%H%M%S"), verify=False)
        return self.clock_check()

    def program_id(self) -> str | None:
        return self.read("C.91.0")

    def load_program(self, program: dict) -> api.ProgramResult:
        self.write("C.91.0", program["program_id"])
        return api.ProgramResult(program["program_id"], self.read("C.91.0") or "", None, True)

    def registration_status(self) -> api.Registration:
        return api.Registration("unknown", None, None, None)  # mode C carries no AMI network status

    def signal_log(self) -> list[api.SignalSample]:
        return []

    def event_log(self) -> list[api.LogEntry]:
        return []

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing never hides the real outcome
            self._send(m.Command("B", "0").to_bytes())
