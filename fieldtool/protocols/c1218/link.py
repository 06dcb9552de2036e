"""The C12.18 data-link layer as a sans-IO state machine, used by the tool and by the simulated meter.

Feed received bytes with ``receive(data)``; it returns events (``PduReceived``, ``PduSent``, ``LinkFailed``,
``PacketsLost``). Take the bytes to write with ``data_to_send()``. The owner (a device thread) runs the
clock: when the ACK timeout expires it calls ``ack_timeout()``; when the inter-character timeout expires
mid-packet it calls ``interchar_timeout()``. The link never reads a clock or sleeps.

Rules implemented (ansi-c12.md §1.3): ACK a good packet, NAK a bad one; retransmit the identical packet
(same toggle bit) on NAK or ACK timeout, up to ``retries`` times; flip the toggle for each new packet; a
packet with the same toggle bit and CRC as the last one accepted is a duplicate: ACK it and drop it.
A multi-packet PDU is split by the peer's packet size; a gap in seq-nbr abandons the PDU (``PacketsLost``),
and the application repeats its request.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldtool.protocols.c1218.framing import (
    ACK,
    NAK,
    OVERHEAD,
    BadPacket,
    FrameParser,
    Garbage,
    GotAck,
    GotNak,
    GotPacket,
    Packet,
)


@dataclass(frozen=True)
class PduReceived:
    pdu: bytes


@dataclass(frozen=True)
class PduSent:
    """Every packet of the outgoing PDU was acknowledged."""


@dataclass(frozen=True)
class LinkFailed:
    reason: str


@dataclass(frozen=True)
class PacketsLost:
    """A multi-packet PDU arrived with a gap; its packets were dropped."""

    reason: str


@dataclass
class LinkStats:
    packets_sent: int = 0
    retransmissions: int = 0
    naks_sent: int = 0
    naks_received: int = 0
    duplicates: int = 0
    garbage_bytes: int = 0
    packets_received: int = 0
    acks_received: int = 0

    @property
    def heard_peer(self) -> bool:
        """Anything C12.18 came back (a packet, an ACK or a NAK): the peer speaks the protocol."""
        return bool(self.packets_received or self.acks_received or self.naks_received)


def segment(pdu: bytes, packet_size: int) -> list[tuple[bytes, bool, bool, int]]:
    """Split a PDU into (data, multi, first, seq) by a whole-packet size (header + data + CRC)."""
    chunk = packet_size - OVERHEAD
    if chunk <= 0:
        raise ValueError(f"packet size {packet_size} leaves no room for data")
    parts = [pdu[i : i + chunk] for i in range(0, len(pdu), chunk)] or [b""]
    if len(parts) == 1:
        return [(parts[0], False, False, 0)]
    n = len(parts)
    return [(p, True, i == 0, n - 1 - i) for i, p in enumerate(parts)]


class Link:
    """One end of a C12.18 link (the tool or the meter)."""

    def __init__(self, *, packet_size: int = 64, max_packets: int = 1, retries: int = 3, identity: int = 0):
        self.packet_size = packet_size  # the largest whole packet we send (the peer's receive size)
        self.max_packets = max_packets  # the most packets we send per PDU (the peer's reassembly limit)
        self.retries = retries
        self.identity = identity
        self.parser = FrameParser()
        self.stats = LinkStats()
        # A simulator's hook: return True to NAK a good packet (fault injection). None in the tool.
        self.nak_filter = None
        self._out = bytearray()
        self._tx_toggle = False
        self._tx_queue: list[bytes] = []
        self._tx_current: bytes | None = None
        self._tx_attempts = 0
        self._rx_last: tuple[bool, int] | None = None  # (toggle, crc) of the last accepted packet
        self._rx_parts: list[bytes] = []
        self._rx_expect: int | None = None

    # -- sending ---------------------------------------------------------------------------------
    @property
    def awaiting_ack(self) -> bool:
        return self._tx_current is not None

    def send(self, pdu: bytes) -> None:
        """Queue a PDU; its first packet goes out at once, the rest as each is ACKed."""
        if self._tx_current is not None:
            raise RuntimeError("the previous PDU is still being sent")
        parts = segment(pdu, self.packet_size)
        if len(parts) > self.max_packets:
            raise ValueError(f"a {len(pdu)}-byte PDU needs {len(parts)} packets; the peer takes {self.max_packets}")
        self._tx_queue = []
        for data, multi, first, seq in parts:
            self._tx_toggle = not self._tx_toggle
            pkt = Packet(data, toggle=self._tx_toggle, multi=multi, first=first, seq=seq, identity=self.identity)
            self._tx_queue.append(pkt.encode())
        self._next_packet()

    def _next_packet(self) -> list:
        if not self._tx_queue:
            self._tx_current = None
            return [PduSent()]
        self._tx_current = self._tx_queue.pop(0)
        self._tx_attempts = 0
        self._out += self._tx_current
        self.stats.packets_sent += 1
        return []

    def _retransmit(self, why: str) -> list:
        if self._tx_current is None:
            return []
        if self._tx_attempts >= self.retries:
            self._tx_current = None
            self._tx_queue = []
            return [LinkFailed(f"the packet was not acknowledged after {self.retries} retransmissions ({why})")]
        self._tx_attempts += 1
        self.stats.retransmissions += 1
        self._out += self._tx_current
        return []

    def ack_timeout(self) -> list:
        """The response/ACK timeout ran out while waiting for an ACK."""
        return self._retransmit("no ACK")

    def abandon(self) -> None:
        """Forget the PDU being sent (the application gives up on this exchange)."""
        self._tx_current = None
        self._tx_queue = []

    def reset_toggle(self) -> None:
        """Start of a new session: the peer's toggle state is unknown, ours starts again."""
        self._tx_toggle = False
        self._rx_last = None

    def forget_last_received(self) -> None:
        """Our answer was acknowledged, so the peer cannot still be retransmitting its request: a packet
        with the same toggle and CRC from now on is a new one (e.g. Identify of the next session)."""
        self._rx_last = None

    def data_to_send(self) -> bytes:
        out = bytes(self._out)
        self._out.clear()
        return out

    # -- receiving -------------------------------------------------------------------------------
    def receive(self, data: bytes) -> list:
        events: list = []
        for ev in self.parser.feed(data):
            events += self._handle(ev)
        return events

    def interchar_timeout(self) -> list:
        events: list = []
        for ev in self.parser.expire():
            events += self._handle(ev)
        return events

    def _handle(self, ev) -> list:
        if isinstance(ev, GotAck):
            self.stats.acks_received += 1
            return self._next_packet() if self._tx_current is not None else []
        if isinstance(ev, GotNak):
            self.stats.naks_received += 1
            return self._retransmit("NAK")
        if isinstance(ev, BadPacket):
            self.stats.naks_sent += 1
            self._out.append(NAK)
            return []
        if isinstance(ev, Garbage):
            self.stats.garbage_bytes += len(ev.data)
            return []
        assert isinstance(ev, GotPacket)
        return self._on_packet(ev.packet, ev.crc)

    def _on_packet(self, pkt: Packet, crc: int) -> list:
        self.stats.packets_received += 1
        if self.nak_filter is not None and self.nak_filter(pkt):
            self.stats.naks_sent += 1
            self._out.append(NAK)
            return []
        self._out.append(ACK)
        key = (pkt.toggle, crc)
        if key == self._rx_last:
            self.stats.duplicates += 1
            return []
        self._rx_last = key
        events: list = []
        if self._tx_current is not None and not self._tx_queue:
            # The peer answered, so it had our last packet: its ACK was lost on the way.
            events += self._next_packet()
        if not pkt.multi:
            if self._rx_expect is not None:
                events.append(PacketsLost("a multi-packet response was cut short"))
            self._rx_parts, self._rx_expect = [], None
            return events + [PduReceived(pkt.data)]
        if pkt.first:
            if self._rx_expect is not None:
                events.append(PacketsLost("a multi-packet response was cut short"))
            self._rx_parts, self._rx_expect = [pkt.data], pkt.seq - 1
        elif self._rx_expect is None or pkt.seq != self._rx_expect:
            lost = PacketsLost(f"packet {pkt.seq} arrived where {self._rx_expect} was due")
            self._rx_parts, self._rx_expect = [], None
            return events + [lost]
        else:
            self._rx_parts.append(pkt.data)
            self._rx_expect = pkt.seq - 1
        if pkt.seq == 0:
            pdu = b"".join(self._rx_parts)
            self._rx_parts, self._rx_expect = [], None
            events.append(PduReceived(pdu))
        return events
