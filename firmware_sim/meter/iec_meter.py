"""A simulated IEC 62056-21 mode C meter (the meter side of the conversation), built from our codec.

Sans-IO like the codec: ``feed(bytes)`` returns what the meter does next — bytes to send and baud switches.
The listener that hosts it (socket or pty) paces the bytes at the current baud (7E1: 10 bits a character)
and waits the reaction time before answering.

Flow: sign-on → identification → option select (readout: the data block at the new baud; programming:
password request P0) → P1 password → R1 reads / W1 writes → B0 break. A bad BCC from the client is
answered with NAK, an unknown address with ``(ERR03)``, a read-only one with ``(ERR04)``, a wrong
password with a break. Faults: ``bcc_errors`` (every answer's BCC spoiled until the client has NAKed it
``bcc_errors`` times), ``silent`` (never answers the sign-on).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldtool.protocols.iec62056_21 import messages as m
from fieldtool.protocols.iec62056_21.framing import Framer


@dataclass
class IecMeterState:
    """Everything the meter remembers across sessions (kept in the simulator's JSON state file)."""

    manufacturer: str = "FTk"  # lower-case third letter: 20 ms reaction time
    ident: str = "FT-IEC 3P"
    address: str = "62056021"
    max_baud: int = 9600
    password: str = "00000000"
    registers: dict[str, list[str]] = field(default_factory=lambda: {
        "0.0.0": ["62056021", ""],  # meter id
        "C.1.0": ["FT21-0004711", ""],  # manufacturer serial
        "0.2.0": ["V2.04", ""],  # firmware
        "1.8.0": ["004521.7", "kWh"],  # energy delivered
        "2.8.0": ["000312.4", "kWh"],  # energy received
        "1.6.0": ["03.214", "kW"],  # maximum demand
        "C.3.0": ["1000", "imp/kWh"],  # meter constant
        "C.90.9": ["3P4W 230/400V", ""],  # nameplate: wiring and voltage
    })
    # Installer fields (programming mode, W1): service point, location, removed meter, its final read,
    # customer, program id; plus the clock.
    writable: tuple[str, ...] = ("C.90.1", "C.90.2", "C.90.3", "C.90.4", "C.90.5", "C.91.0", "0.9.1", "0.9.2")


@dataclass(frozen=True)
class Send:
    data: bytes


@dataclass(frozen=True)
class SwitchBaud:
    baud: int


class IecMeter:
    def __init__(self, state: IecMeterState, *, now=None, bcc_errors: int = 0, silent: bool = False):
        self.state = state
        self.now = now  # callable returning a datetime (for 0.9.1 / 0.9.2 reads), handed in
        self.bcc_errors = bcc_errors
        self.silent = silent
        self.framer = Framer(ack_lines=True)
        self.phase = "idle"
        self.last_answer: bytes | None = None
        self.baud = 300

    def feed(self, data: bytes) -> list[Send | SwitchBaud]:
        out: list[Send | SwitchBaud] = []
        try:
            frames = self.framer.feed(data)
        except m.IecProtocolError:
            self.phase = "idle"
            return out
        for frame in frames:
            out += self._handle(frame)
        return out

    def _answer(self, block: bytes) -> Send:
        self.last_answer = block
        if self.bcc_errors > 0:
            return Send(block[:-1] + bytes([block[-1] ^ 0x01]))
        return Send(block)

    def _handle(self, frame: bytes) -> list[Send | SwitchBaud]:
        if frame.startswith(b"/?"):
            return self._sign_on(frame)
        if frame == bytes([m.NAK]) and self.last_answer is not None:
            self.bcc_errors = max(0, self.bcc_errors - 1)
            return [self._answer(self.last_answer)]
        if self.phase == "identified" and frame[0] == m.ACK:
            return self._option_select(frame)
        if self.phase in ("password", "programming") and frame[0] == m.SOH:
            return self._command(frame)
        return []

    def _sign_on(self, frame: bytes) -> list[Send | SwitchBaud]:
        address = frame[2:-3].decode("ascii", "replace")
        if self.silent or (address and address != self.state.address):
            return []
        self.phase = "identified"
        self.baud = 300
        ident = m.Identification(self.state.manufacturer, m.BAUD_TO_CHAR[self.state.max_baud], self.state.ident)
        return [Send(ident.to_bytes())]

    def _option_select(self, frame: bytes) -> list[Send | SwitchBaud]:
        try:
            baud, mode = m.parse_option_select(frame)
        except m.IecProtocolError:
            return []
        baud = min(baud, self.state.max_baud)
        self.baud = baud
        if mode == m.MODE_READOUT:
            self.phase = "idle"
            sets = [m.DataSet(a, v, u) for a, (v, u) in self.state.registers.items()] + self._clock_sets()
            return [SwitchBaud(baud), self._answer(m.readout_message(sets))]
        self.phase = "password"
        return [SwitchBaud(baud), self._answer(m.Command("P", "0", "(A5C3)").to_bytes())]

    def _clock_sets(self) -> list[m.DataSet]:
        if self.now is None:
            return []
        t = self.now()
        return [m.DataSet("0.9.1", t.strftime("%H%M%S")), m.DataSet("0.9.2", t.strftime("%y%m%d"))]

    def _reply(self, text: str) -> Send:
        body = f"({text})".encode("ascii") + bytes([m.ETX])
        return self._answer(bytes([m.STX]) + body + bytes([m.bcc(body)]))

    def _command(self, frame: bytes) -> list[Send | SwitchBaud]:
        try:
            cmd = m.parse_command(frame)
        except m.IecProtocolError:
            return [Send(bytes([m.NAK]))]
        if cmd.command == "B":
            self.phase = "idle"
            return []
        if self.phase == "password":
            if cmd.command == "P" and cmd.kind == "1" and cmd.data == f"({self.state.password})":
                self.phase = "programming"
                return [Send(bytes([m.ACK]))]
            self.phase = "idle"
            return [Send(m.Command("B", "0").to_bytes())]
        address, _, rest = cmd.data.partition("(")
        value = rest.rstrip(")")
        if cmd.command == "R":
            clock = {s.address: s.value for s in self._clock_sets()}
            if address in clock:
                return [self._reply(clock[address])]
            if address not in self.state.registers:
                return [self._reply("ERR03")]
            v, u = self.state.registers[address]
            return [self._reply(f"{v}*{u}" if u else v)]
        if cmd.command == "W":
            if address not in self.state.writable:
                return [self._reply("ERR04")]
            self.state.registers[address] = [value, ""]
            return [Send(bytes([m.ACK]))]
        return [self._reply("ERR01")]
