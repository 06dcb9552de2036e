"""One optical session of a simulated meter: the C12.18 link over a transport, with the real timing.

Threading: one thread runs ``MeterConnection.run`` per transport; it owns the Link and the Responder, and
takes the shared state's lock (inside the responder) for every table access.

Timing model: bytes from the tool are taken as arriving at the wire rate (10 bits per byte, 8N1) of the
current baud rate, the meter waits ``turnaround_s`` before each transmission, and its own bytes leave at the
wire rate. Pacing can be switched off. The C12.18 response timeout (for ACKs), the inter-character timeout
and the channel-traffic timeout (the session drops to the base state) run on ``time_scale``-scaled values.
"""

from __future__ import annotations

import logging
import time

from fieldtool.protocols.c1218.framing import STP, Packet
from fieldtool.protocols.c1218.link import Link, LinkFailed, PduReceived, PduSent
from fieldtool.protocols.c1218.session import SessionState, Timeouts
from firmware_sim.meter.faults import Faults
from firmware_sim.meter.responder import Responder

log = logging.getLogger("firmware_sim.meter")


def split_wire(data: bytes) -> list[bytes]:
    """Outgoing bytes as single ACK/NAK bytes and whole packets (so faults can hit one packet)."""
    out, i = [], 0
    while i < len(data):
        if data[i] == STP and i + 6 <= len(data):
            n = 8 + int.from_bytes(data[i + 4 : i + 6], "big")
            out.append(data[i : i + n])
            i += n
        else:
            out.append(data[i : i + 1])
            i += 1
    return out


class MeterConnection:
    def __init__(self, responder: Responder, faults: Faults, transport, *, pacing: bool = True,
                 timeouts: Timeouts | None = None, turnaround_s: float | None = None):  # fmt: skip
        self.r = responder
        self.faults = faults
        self.t = transport
        self.pacing = pacing
        self.timeouts = timeouts or Timeouts()
        self.turnaround = responder.profile.turnaround_s if turnaround_s is None else turnaround_s
        self.baud = 9600
        self.link = self._new_link()
        self.running = True
        self.silent = False
        self._rx_free = 0.0
        self.stale_sent = False
        self.transmissions = 0  # each costs one turnaround (the benchmark's lower bound counts them)

    def _new_link(self) -> Link:
        link = Link(packet_size=64, max_packets=1, retries=self.timeouts.link_retries)
        link.nak_filter = lambda _pkt: self.faults.nak_instead()
        return link

    def _byte_time(self, n: int) -> float:
        return n * 10.0 / self.baud if self.pacing else 0.0

    def stop(self) -> None:
        self.running = False

    def run(self) -> None:
        last_byte = last_valid = sent_at = time.monotonic()
        while self.running:
            data = self.t.read(0.005)
            now = time.monotonic()
            if data is None:
                break
            if data:
                last_byte = now
                if self.silent:
                    continue
                if self.pacing:  # the bytes were on the wire for this long
                    self._rx_free = max(now, self._rx_free) + self._byte_time(len(data))
                    time.sleep(max(0.0, self._rx_free - time.monotonic()))
                events = self.link.receive(data)
                if events or not self.link.parser.in_packet:
                    last_valid = time.monotonic()
                self._handle(events)
            else:
                to = self.timeouts
                if self.link.parser.in_packet and now - last_byte > to.interchar:
                    self._handle(self.link.interchar_timeout())
                if self.link.awaiting_ack and now - sent_at > to.response:
                    sent_at = now
                    self._handle(self.link.ack_timeout())
                if now - last_valid > to.channel_traffic and (self.r.state != SessionState.BASE or self.silent):
                    log.info("channel-traffic timeout: session dropped")
                    self._reset_session()
                    last_valid = now
            if self._flush():
                sent_at = time.monotonic()

    def _reset_session(self) -> None:
        self.r.reset()
        self.link = self._new_link()
        self.baud = 9600
        self.silent = False
        self.stale_sent = False

    def _handle(self, events: list) -> None:
        for ev in events:
            if isinstance(ev, PduReceived):
                if self.r.state == SessionState.BASE and self.faults.on("stale-packet") and not self.stale_sent:
                    self.stale_sent = True
                    self._transmit(Packet(b"\x00", toggle=True).encode())  # a Logoff <ok> from before
                resp = self.r.handle(ev.pdu)
                if self.r.state == SessionState.BASE and ev.pdu[:1] == b"\x21":
                    self.stale_sent = False
                self.link.packet_size, self.link.max_packets = self.r.link.packet_size, self.r.link.nbr_packet
                if self.link.awaiting_ack:
                    self.link.abandon()
                self.link.send(resp)
                if self.faults.disconnect_now():
                    self._flush()
                    log.info("fault: disconnect")
                    if self.t.hang_up():
                        self.running = False
                    else:
                        self.silent = True
                        self.link.abandon()
                        self.link.data_to_send()
                    return
            elif isinstance(ev, PduSent):
                self.link.forget_last_received()
                if self.r.pending_baud:
                    self.baud, self.r.pending_baud = self.r.pending_baud, None
                    self.r.link.baud = self.baud
            elif isinstance(ev, LinkFailed):
                log.info("link failed: %s", ev.reason)

    def _flush(self) -> bool:
        out = self.link.data_to_send()
        if not out or self.silent:
            return False
        self._transmit(out)
        return True

    def _transmit(self, out: bytes) -> None:
        pieces: list[bytes] = []
        for piece in split_wire(out):
            pieces += self.faults.mangle(piece) if piece[0] == STP and len(piece) >= 8 else [piece]
        wire = b"".join(pieces)
        self.transmissions += 1
        if self.pacing:
            time.sleep(self.turnaround + self._byte_time(len(wire)))
        elif self.turnaround:
            time.sleep(self.turnaround)
        self.t.write(wire)
