"""IEC 62056-21 (formerly IEC 1107) mode C messages: bytes in, values out, values in, bytes out.

Sign-on ``/?!CRLF`` (or ``/?address!CRLF``); identification ``/XXXZident CRLF``; acknowledgement / option
select ``ACK V Z Y CRLF``; data readout ``STX block ! CRLF ETX BCC``; programming commands
``SOH C D STX (data) ETX BCC`` (P0/P1 password, R1 read, W1 write, B0 break); ACK 0x06 and NAK 0x15.
BCC is the XOR of every byte after the first SOH or STX up to and including ETX. Characters are 7-bit
(7E1 on the wire: the device layer sets the parity).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SOH, STX, ETX, EOT, ACK, NAK = 0x01, 0x02, 0x03, 0x04, 0x06, 0x15
CRLF = b"\r\n"

BAUD_CHARS = {"0": 300, "1": 600, "2": 1200, "3": 2400, "4": 4800, "5": 9600, "6": 19200}
BAUD_TO_CHAR = {v: k for k, v in BAUD_CHARS.items()}

MODE_READOUT, MODE_PROGRAMMING = "0", "1"


class IecProtocolError(ValueError):
    """An IEC 62056-21 message that cannot be understood; the text says what was wrong."""


def bcc(data: bytes) -> int:
    """Block check character over ``data`` (the bytes after SOH/STX up to and including ETX)."""
    x = 0
    for b in data:
        x ^= b
    return x & 0x7F


def sign_on(address: str = "") -> bytes:
    if not re.fullmatch(r"[0-9A-Za-z ]{0,32}", address):
        raise IecProtocolError(f"device address {address!r} may only hold letters, digits and spaces (32 at most)")
    return b"/?" + address.encode("ascii") + b"!" + CRLF


@dataclass(frozen=True)
class Identification:
    manufacturer: str  # three letters; a lower-case third letter means 20 ms reaction time
    baud_char: str
    ident: str

    @property
    def max_baud(self) -> int:
        return BAUD_CHARS[self.baud_char]

    @property
    def fast_reaction(self) -> bool:
        return self.manufacturer[2].islower()

    def to_bytes(self) -> bytes:
        return f"/{self.manufacturer}{self.baud_char}{self.ident}".encode("ascii") + CRLF

    @classmethod
    def from_bytes(cls, line: bytes) -> Identification:
        m = re.fullmatch(rb"/([A-Za-z]{3})([0-9A-Z])(.{1,16})\r\n", line)
        if not m:
            raise IecProtocolError(f"not an identification message: {line[:40]!r}")
        z = m.group(2).decode()
        if z not in BAUD_CHARS:
            raise IecProtocolError(f"baud character {z!r} is not a mode C baud rate")
        return cls(m.group(1).decode(), z, m.group(3).decode("ascii", "replace"))


def option_select(baud: int, mode: str = MODE_READOUT) -> bytes:
    if baud not in BAUD_TO_CHAR:
        raise IecProtocolError(f"{baud} baud is not a mode C baud rate")
    return bytes([ACK]) + f"0{BAUD_TO_CHAR[baud]}{mode}".encode("ascii") + CRLF


def parse_option_select(data: bytes) -> tuple[int, str]:
    m = re.fullmatch(rb"\x060([0-9])([0-9])\r\n", data)
    if not m or m.group(1).decode() not in BAUD_CHARS:
        raise IecProtocolError(f"not an option-select message: {data!r}")
    return BAUD_CHARS[m.group(1).decode()], m.group(2).decode()


@dataclass(frozen=True)
class DataSet:
    """``address(value*unit)`` — an OBIS-style address and its value."""

    address: str
    value: str
    unit: str = ""

    def to_text(self) -> str:
        return f"{self.address}({self.value}{'*' + self.unit if self.unit else ''})"


_DATASET = re.compile(r"([^()\r\n/!]*)\(([^()*]*)(?:\*([^()]*))?\)")


def parse_data_block(text: str) -> list[DataSet]:
    """Data lines (``1.8.0(001234.5*kWh)``), several sets per line allowed; an address carries over."""
    sets: list[DataSet] = []
    for line in text.split("\r\n"):
        if not line or line == "!":
            continue
        pos, address = 0, ""
        for m in _DATASET.finditer(line):
            if m.start() != pos:
                raise IecProtocolError(f"cannot read data line {line[:60]!r}")
            address = m.group(1) or address
            sets.append(DataSet(address, m.group(2), m.group(3) or ""))
            pos = m.end()
        if pos != len(line):
            raise IecProtocolError(f"cannot read data line {line[:60]!r}")
    return sets


def readout_message(sets: list[DataSet]) -> bytes:
    body = ("".join(s.to_text() + "\r\n" for s in sets) + "!\r\n").encode("ascii") + bytes([ETX])
    return bytes([STX]) + body + bytes([bcc(body)])


@dataclass(frozen=True)
class Command:
    """A programming-mode message: ``SOH C D STX data ETX BCC`` (P0 P1 R1 W1 B0 ...)."""

    command: str  # "P", "R", "W", "B", "E"
    kind: str  # "0", "1", "2" ...
    data: str = ""

    def to_bytes(self) -> bytes:
        head = f"{self.command}{self.kind}".encode("ascii")
        if self.command == "B" and not self.data:
            body = head + bytes([ETX])
        else:
            body = head + bytes([STX]) + self.data.encode("ascii") + bytes([ETX])
        return bytes([SOH]) + body + bytes([bcc(body)])


def parse_block(frame: bytes) -> tuple[str, bytes]:
    """Split a complete SOH/STX ... ETX BCC frame, checking the BCC. Returns ("soh"|"stx", content)."""
    if len(frame) < 3 or frame[0] not in (SOH, STX) or frame[-2] != ETX:
        raise IecProtocolError(f"not a complete block: {frame[:40]!r}")
    if bcc(frame[1:-1]) != frame[-1]:
        raise IecProtocolError(f"block check character is wrong (got 0x{frame[-1]:02X}, "
                               f"expected 0x{bcc(frame[1:-1]):02X}): the line is noisy")
    return ("soh" if frame[0] == SOH else "stx"), frame[1:-2]


def parse_command(frame: bytes) -> Command:
    kind, content = parse_block(frame)
    if kind != "soh" or len(content) < 2:
        raise IecProtocolError("a programming command starts with SOH and a command letter and digit")
    head, rest = content[:2].decode("ascii", "replace"), content[2:]
    if rest and rest[0] == STX:
        rest = rest[1:]
    return Command(head[0], head[1], rest.decode("ascii", "replace"))


def parse_answer(content: bytes) -> str:
    """The ``(data)`` of an STX answer block; ``(ERRnn)`` from the meter raises a clear error."""
    text = content.decode("ascii", "replace")
    m = re.fullmatch(r"[^()]*\(([^()]*)\)", text)
    if not m:
        raise IecProtocolError(f"cannot read the meter's answer {text[:40]!r}")
    value = m.group(1)
    if re.fullmatch(r"ERR\d*", value):
        raise IecProtocolError(f"the meter answered with error {value}")
    return value
