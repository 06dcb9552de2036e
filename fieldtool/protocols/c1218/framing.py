"""C12.18 packets on the wire: building them and finding them in a byte stream.

Layout: ``<stp 0xEE><identity><ctrl><seq-nbr><length:2 MSB first><data><crc:2 low byte first>``.
``ctrl`` bit 7 = multi-packet, bit 6 = first packet of a multi-packet PDU, bit 5 = toggle, bits 1..0 =
data format. ACK (0x06) and NAK (0x15) are single bytes outside any packet.

``FrameParser`` is sans-IO: ``feed(bytes)`` returns events. It resynchronises on garbage by hunting for the
next STP byte, and bounds the length field by the largest packet it accepts, so a corrupted length cannot
make it wait for thousands of bytes. A packet that started but did not finish is dropped by ``expire()``,
which the device layer calls when the inter-character timeout runs out.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldtool.protocols.c1218.crc import crc16

STP = 0xEE
ACK = 0x06
NAK = 0x15
HEADER_LEN = 6
OVERHEAD = 8  # header + CRC
MAX_PACKET_SIZE = 8192

CTRL_MULTI = 0x80
CTRL_FIRST = 0x40
CTRL_TOGGLE = 0x20
CTRL_RESERVED = 0x1C


@dataclass(frozen=True)
class Packet:
    """One C12.18 packet: a PDU or a fragment of one."""

    data: bytes
    toggle: bool = False
    multi: bool = False
    first: bool = False
    seq: int = 0  # packets remaining after this one
    identity: int = 0
    data_format: int = 0

    @property
    def ctrl(self) -> int:
        return (
            (CTRL_MULTI if self.multi else 0)
            | (CTRL_FIRST if self.first else 0)
            | (CTRL_TOGGLE if self.toggle else 0)
            | (self.data_format & 0x03)
        )

    def encode(self) -> bytes:
        if len(self.data) > MAX_PACKET_SIZE - OVERHEAD:
            raise ValueError(f"packet data of {len(self.data)} bytes exceeds {MAX_PACKET_SIZE - OVERHEAD}")
        head = bytes([STP, self.identity & 0xFF, self.ctrl, self.seq & 0xFF]) + len(self.data).to_bytes(2, "big")
        body = head + self.data
        return body + crc16(body).to_bytes(2, "little")

    @property
    def crc(self) -> int:
        return int.from_bytes(self.encode()[-2:], "little")


def decode_packet(frame: bytes) -> Packet:
    """A complete frame (STP through CRC) as a Packet; ``ProtocolError`` if it is not one."""
    from fieldtool.protocols.c1218.errors import ProtocolError

    if len(frame) < OVERHEAD or frame[0] != STP:
        raise ProtocolError(f"Not a C12.18 packet ({len(frame)} bytes, starts {frame[:1].hex() or 'empty'}).")
    length = int.from_bytes(frame[4:6], "big")
    if len(frame) != OVERHEAD + length:
        raise ProtocolError(f"C12.18 packet length field says {length} data bytes, frame has {len(frame) - 8}.")
    if crc16(frame[:-2]) != int.from_bytes(frame[-2:], "little"):
        raise ProtocolError("C12.18 packet CRC does not match (line noise or a bad probe contact).")
    ctrl = frame[2]
    return Packet(
        data=bytes(frame[6:-2]),
        toggle=bool(ctrl & CTRL_TOGGLE),
        multi=bool(ctrl & CTRL_MULTI),
        first=bool(ctrl & CTRL_FIRST),
        seq=frame[3],
        identity=frame[1],
        data_format=ctrl & 0x03,
    )


# Events produced by the parser.
@dataclass(frozen=True)
class GotPacket:
    packet: Packet
    crc: int


@dataclass(frozen=True)
class GotAck:
    pass


@dataclass(frozen=True)
class GotNak:
    pass


@dataclass(frozen=True)
class BadPacket:
    """A packet whose CRC failed (the receiver answers NAK)."""

    reason: str


@dataclass(frozen=True)
class Garbage:
    """Bytes outside any packet that are neither ACK nor NAK (skipped while resynchronising)."""

    data: bytes


class FrameParser:
    """Turns a byte stream into packets, ACKs, NAKs, bad packets and garbage."""

    def __init__(self, max_packet_size: int = MAX_PACKET_SIZE):
        self.max_packet_size = max_packet_size
        self._buf = bytearray()
        self._pos = 0  # stream position of self._buf[0]
        self._shadow_end = 0  # end of the last bad packet: a bad packet starting inside it is not NAKed again

    def _drop(self, n: int) -> bytes:
        out = bytes(self._buf[:n])
        del self._buf[:n]
        self._pos += n
        return out

    @property
    def in_packet(self) -> bool:
        """True while part of a packet has been received (the inter-character timer runs)."""
        return bool(self._buf)

    def feed(self, data: bytes) -> list:
        self._buf.extend(data)
        events: list = []
        garbage = bytearray()
        while self._buf:
            b = self._buf[0]
            if b != STP:
                self._drop(1)
                if b == ACK:
                    self._flush(garbage, events)
                    events.append(GotAck())
                elif b == NAK:
                    self._flush(garbage, events)
                    events.append(GotNak())
                else:
                    garbage.append(b)
                continue
            if len(self._buf) < HEADER_LEN:
                break
            length = int.from_bytes(self._buf[4:6], "big")
            if length + OVERHEAD > self.max_packet_size or self._buf[2] & CTRL_RESERVED:
                # Not a plausible header: this 0xEE was noise. Skip it and hunt on.
                garbage += self._drop(1)
                continue
            total = length + OVERHEAD
            if len(self._buf) < total:
                break
            frame = bytes(self._buf[:total])
            self._flush(garbage, events)
            crc = int.from_bytes(frame[-2:], "little")
            if crc16(frame[:-2]) != crc:
                # Skip only the STP byte: a real packet may start inside what looked like one (noise
                # before it). One NAK per bad packet: bad "packets" found inside it are just garbage.
                if self._pos >= self._shadow_end:
                    events.append(BadPacket(f"CRC mismatch in a {total}-byte packet"))
                else:
                    garbage.append(STP)
                self._shadow_end = max(self._shadow_end, self._pos + total)
                self._drop(1)
                continue
            self._drop(total)
            events.append(GotPacket(decode_packet(frame), crc))
        self._flush(garbage, events)
        return events

    def expire(self) -> list:
        """The inter-character timeout ran out: the partial packet is dead.

        Its first STP byte was noise or the rest was lost; drop it and parse what follows again, since a
        whole packet may sit behind a stray 0xEE. One NAK for the lost packet, unless it was already NAKed.
        """
        events: list = []
        while self._buf:
            start = self._pos
            dropped = self._drop(1)
            if start >= self._shadow_end and not any(isinstance(e, BadPacket) for e in events):
                events.append(BadPacket("incomplete packet (inter-character timeout)"))
            else:
                events.append(Garbage(dropped))
            events += self.feed(b"")
        return events

    @staticmethod
    def _flush(garbage: bytearray, events: list) -> None:
        if garbage:
            events.append(Garbage(bytes(garbage)))
            garbage.clear()
