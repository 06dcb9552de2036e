"""C12.18 application-layer services: request PDUs, response PDUs, both directions.

The tool uses ``encode_request`` and the ``parse_*`` functions; the simulated meter uses ``decode_request``
and the ``*_response`` builders. Every field of the protocol (table id, offset, count, user id, packet size)
is MSB first (ansi-c12.md §1.1); table *contents* are opaque bytes here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldtool.protocols.c1218.crc import table_checksum
from fieldtool.protocols.c1218.errors import ProtocolError, ResponseError

IDENTIFY, TERMINATE = 0x20, 0x21
READ_FULL, READ_OFFSET, READ_DEFAULT = 0x30, 0x3F, 0x3E
WRITE_FULL, WRITE_OFFSET = 0x40, 0x4F
LOGON, SECURITY, LOGOFF, AUTHENTICATE = 0x50, 0x51, 0x52, 0x53
NEGOTIATE, WAIT = 0x60, 0x70

BAUD_CODES: dict[int, int] = {
    0x01: 300, 0x02: 600, 0x03: 1200, 0x04: 2400, 0x05: 4800, 0x06: 9600, 0x07: 14400, 0x08: 19200,
    0x09: 28800, 0x0A: 57600, 0x0B: 38400, 0x0C: 115200, 0x0D: 128000, 0x0E: 256000,
}  # fmt: skip
CODE_FOR_BAUD = {v: k for k, v in BAUD_CODES.items()}
STANDARDS = {0x00: "C12.18", 0x01: "Industry Canada", 0x02: "C12.21", 0x03: "C12.22"}


@dataclass(frozen=True)
class Identify:
    pass


@dataclass(frozen=True)
class Terminate:
    pass


@dataclass(frozen=True)
class Logoff:
    pass


@dataclass(frozen=True)
class Wait:
    seconds: int


@dataclass(frozen=True)
class Logon:
    user_id: int
    user: str = ""


@dataclass(frozen=True)
class Security:
    password: bytes  # exactly 20 bytes, as configured for the utility (no silent padding)


@dataclass(frozen=True)
class Negotiate:
    packet_size: int
    nbr_packet: int
    bauds: tuple[int, ...] = ()  # baud rates in bits/s, most wanted first (0..11 of them)


@dataclass(frozen=True)
class Read:
    table: int
    offset: int | None = None  # partial read by offset (0x3F)
    index: tuple[int, ...] | None = None  # partial read by index (0x31..0x39)
    count: int | None = None


@dataclass(frozen=True)
class Write:
    table: int
    data: bytes
    offset: int | None = None
    index: tuple[int, ...] | None = None


def _u16(v: int) -> bytes:
    return int(v).to_bytes(2, "big")


def encode_request(req) -> bytes:
    """The PDU of a request."""
    match req:
        case Identify():
            return bytes([IDENTIFY])
        case Terminate():
            return bytes([TERMINATE])
        case Logoff():
            return bytes([LOGOFF])
        case Wait(seconds):
            return bytes([WAIT, max(0, min(255, seconds))])
        case Logon(user_id, user):
            name = user.encode("ascii", "replace")[:10].ljust(10, b" ")
            return bytes([LOGON]) + _u16(user_id) + name
        case Security(password):
            if len(password) != 20:
                raise ValueError("a C12.18 password is exactly 20 bytes")
            return bytes([SECURITY]) + password
        case Negotiate(size, nbr, bauds):
            if len(bauds) > 11:
                raise ValueError("at most 11 baud rates fit in one Negotiate")
            return bytes([NEGOTIATE + len(bauds)]) + _u16(size) + bytes([nbr] + [CODE_FOR_BAUD[b] for b in bauds])
        case Read(table, None, None, None):
            return bytes([READ_FULL]) + _u16(table)
        case Read(table, offset, None, count) if offset is not None:
            return bytes([READ_OFFSET]) + _u16(table) + offset.to_bytes(3, "big") + _u16(count or 0)
        case Read(table, None, index, count) if index:
            if not 1 <= len(index) <= 9:
                raise ValueError("an index read takes 1 to 9 indices")
            return bytes([0x30 + len(index)]) + _u16(table) + b"".join(map(_u16, index)) + _u16(count or 0)
        case Write(table, data, None, None):
            return bytes([WRITE_FULL]) + _u16(table) + _u16(len(data)) + data + bytes([table_checksum(data)])
        case Write(table, data, offset, None) if offset is not None:
            head = bytes([WRITE_OFFSET]) + _u16(table) + offset.to_bytes(3, "big") + _u16(len(data))
            return head + data + bytes([table_checksum(data)])
        case Write(table, data, None, index) if index:
            head = bytes([0x40 + len(index)]) + _u16(table) + b"".join(map(_u16, index)) + _u16(len(data))
            return head + data + bytes([table_checksum(data)])
    raise ValueError(f"not a C12.18 request: {req!r}")


def _need(pdu: bytes, n: int, what: str) -> None:
    if len(pdu) < n:
        raise ProtocolError(f"The {what} request is {len(pdu)} bytes; at least {n} are needed.")


def _table_data(pdu: bytes, at: int, what: str) -> bytes:
    _need(pdu, at + 2, what)
    count = int.from_bytes(pdu[at : at + 2], "big")
    _need(pdu, at + 3 + count, what)
    data = pdu[at + 2 : at + 2 + count]
    if pdu[at + 2 + count] != table_checksum(data):
        raise ProtocolError(f"The {what} table data checksum does not match.")
    return bytes(data)


def decode_request(pdu: bytes):
    """A request PDU as one of the request classes (the meter's side). ``ProtocolError`` if malformed."""
    if not pdu:
        raise ProtocolError("An empty request PDU.")
    code = pdu[0]
    if code == IDENTIFY:
        return Identify()
    if code == TERMINATE:
        return Terminate()
    if code == LOGOFF:
        return Logoff()
    if code == WAIT:
        _need(pdu, 2, "wait")
        return Wait(pdu[1])
    if code == LOGON:
        _need(pdu, 13, "logon")
        return Logon(int.from_bytes(pdu[1:3], "big"), pdu[3:13].decode("latin-1").rstrip(" "))
    if code == SECURITY:
        _need(pdu, 21, "security")
        return Security(bytes(pdu[1:21]))
    if NEGOTIATE <= code <= NEGOTIATE + 0x0B:
        n = code - NEGOTIATE
        _need(pdu, 4 + n, "negotiate")
        return Negotiate(int.from_bytes(pdu[1:3], "big"), pdu[3], tuple(BAUD_CODES.get(c, 0) for c in pdu[4 : 4 + n]))
    if code in (READ_FULL, READ_DEFAULT):
        _need(pdu, 3, "read")
        return Read(int.from_bytes(pdu[1:3], "big"))
    if code == READ_OFFSET:
        _need(pdu, 8, "read")
        return Read(int.from_bytes(pdu[1:3], "big"), offset=int.from_bytes(pdu[3:6], "big"),
                    count=int.from_bytes(pdu[6:8], "big"))  # fmt: skip
    if 0x31 <= code <= 0x39:
        n = code - 0x30
        _need(pdu, 5 + 2 * n, "read")
        idx = tuple(int.from_bytes(pdu[3 + 2 * i : 5 + 2 * i], "big") for i in range(n))
        return Read(int.from_bytes(pdu[1:3], "big"), index=idx, count=int.from_bytes(pdu[3 + 2 * n : 5 + 2 * n], "big"))
    if code == WRITE_FULL:
        return Write(int.from_bytes(pdu[1:3], "big"), _table_data(pdu, 3, "write"))
    if code == WRITE_OFFSET:
        _need(pdu, 6, "write")
        return Write(int.from_bytes(pdu[1:3], "big"), _table_data(pdu, 6, "write"), offset=int.from_bytes(pdu[3:6], "big"))
    if 0x41 <= code <= 0x49:
        n = code - 0x40
        _need(pdu, 3 + 2 * n, "write")
        idx = tuple(int.from_bytes(pdu[3 + 2 * i : 5 + 2 * i], "big") for i in range(n))
        return Write(int.from_bytes(pdu[1:3], "big"), _table_data(pdu, 3 + 2 * n, "write"), index=idx)
    raise ProtocolError(f"Unknown C12.18 service code 0x{code:02X}.")


# -- responses ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class IdentifyResult:
    standard: str
    version: int
    revision: int
    features: list[tuple[int, bytes]] = field(default_factory=list)  # (feature code, its bytes)


@dataclass(frozen=True)
class NegotiateResult:
    packet_size: int
    nbr_packet: int
    baud: int | None  # None: the meter sent no baud byte (keep the current rate)


def check(pdu: bytes, service: str, *, user_id: int | None = None, table: int | None = None) -> bytes:
    """The body after ``<ok>``; ``ResponseError`` for a ``<nok>`` code."""
    if not pdu:
        raise ProtocolError(f"The meter answered the {service} request with an empty response.")
    if pdu[0] != 0x00:
        raise ResponseError(pdu[0], service, user_id=user_id, table=table)
    return bytes(pdu[1:])


def parse_identify(body: bytes) -> IdentifyResult:
    if len(body) < 3:
        raise ProtocolError(f"The Identify response is {len(body)} bytes; 3 are needed.")
    features: list[tuple[int, bytes]] = []
    i = 3
    while i < len(body) and body[i] != 0x00:
        code = body[i]
        if code == 0x01:
            size = 2
        elif code == 0x02:
            size = 3 + (body[i + 3] if i + 3 < len(body) else 0)
        elif code == 0x06:
            size = 2 + (body[i + 2] if i + 2 < len(body) else 0)
        elif code == 0x07:
            size = 1 + (body[i + 1] if i + 1 < len(body) else 0)
        else:
            raise ProtocolError(f"Unknown Identify feature 0x{code:02X}.")
        if i + 1 + size > len(body):
            raise ProtocolError(f"Identify feature 0x{code:02X} runs past the end of the response.")
        features.append((code, bytes(body[i + 1 : i + 1 + size])))
        i += 1 + size
    return IdentifyResult(STANDARDS.get(body[0], f"0x{body[0]:02X}"), body[1], body[2], features)


def parse_negotiate(body: bytes) -> NegotiateResult:
    if len(body) < 3:
        raise ProtocolError(f"The Negotiate response is {len(body)} bytes; 3 are needed.")
    baud = BAUD_CODES.get(body[3]) if len(body) > 3 else None
    return NegotiateResult(int.from_bytes(body[0:2], "big"), body[2], baud)


def parse_read(body: bytes, table: int) -> bytes:
    """Table data of a read response body (``<count><data><cksum>``), checksum verified."""
    if len(body) < 3:
        raise ProtocolError(f"The read response for table {table} is too short ({len(body)} bytes).")
    count = int.from_bytes(body[0:2], "big")
    if len(body) < count + 3:
        raise ProtocolError(f"The read response for table {table} says {count} bytes but carries {len(body) - 3}.")
    data = body[2 : 2 + count]
    if body[2 + count] != table_checksum(data):
        raise ProtocolError(f"The data of table {table} failed its checksum; read it again.")
    return bytes(data)


def response(code: int = 0, body: bytes = b"") -> bytes:
    return bytes([code]) + body


def identify_response(version: int = 1, revision: int = 0, features: list[tuple[int, bytes]] | None = None) -> bytes:
    feats = b"".join(bytes([c]) + d for c, d in features or [])
    return response(0, bytes([0x00, version, revision]) + feats + b"\x00")


def negotiate_response(packet_size: int, nbr_packet: int, baud: int | None) -> bytes:
    tail = bytes([CODE_FOR_BAUD[baud]]) if baud else b""
    return response(0, _u16(packet_size) + bytes([nbr_packet]) + tail)


def read_response(data: bytes) -> bytes:
    return response(0, _u16(len(data)) + data + bytes([table_checksum(data)]))
