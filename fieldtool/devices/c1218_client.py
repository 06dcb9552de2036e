"""The tool's end of a C12.18 session over an open port: the link loop, timeouts, retries, keep-alive.

Threading: a ``C1218Client`` belongs to one thread (MeterLink's worker for that port); it is not shared.
Every wait reads the injected ``Clock`` and the configured ``Timeouts``, so tests run with them scaled down.
``cancel`` (a ``threading.Event``) is checked between reads; a cancelled exchange raises ``UserCancelled``.
"""

from __future__ import annotations

import threading

from fieldtool.clock import Clock
from fieldtool.devices.ports import read_available, set_baudrate, write_all
from fieldtool.devices.transcript import Transcript
from fieldtool.domain.errors import UserCancelled
from fieldtool.protocols.c1218 import services as sv
from fieldtool.protocols.c1218.errors import LinkError, ProtocolError, ResponseError
from fieldtool.protocols.c1218.link import Link, LinkFailed, PacketsLost, PduReceived
from fieldtool.protocols.c1218.session import RetryPolicy, SessionState, Timeouts, next_state, service_name


class C1218Client:
    def __init__(self, port, *, clock: Clock, timeouts: Timeouts, retry: RetryPolicy, transcript: Transcript,
                 cancel: threading.Event | None = None):  # fmt: skip
        self.port = port
        self.clock = clock
        self.timeouts = timeouts
        self.retry = retry
        self.transcript = transcript
        self.cancel = cancel or threading.Event()
        self.link = Link(packet_size=64, max_packets=1, retries=timeouts.link_retries)
        self.state = SessionState.BASE
        self.negotiated = sv.NegotiateResult(64, 1, None)
        self.baud = port.baudrate or 9600
        self.user_id: int | None = None
        self.last_traffic = clock.monotonic()
        self.round_trips = 0
        self._inbox: list[bytes] = []
        self._secret = False
        self.probing = False  # detection: silence after the first try means "not C12.18", not "retry"

    # -- one request -----------------------------------------------------------------------------
    def request(self, req, *, table: int | None = None) -> bytes:
        """Send ``req``, return the body after ``<ok>``; retries bsy/dnr and lost packets per policy."""
        name = service_name(req)
        attempt, lost = 0, 0
        self._secret = isinstance(req, sv.Security)
        try:
            while True:
                try:
                    pdu = self._exchange(sv.encode_request(req))
                    if isinstance(req, sv.Identify):
                        pdu = self._skip_stale_identify(pdu)
                    body = sv.check(pdu, name, user_id=self.user_id, table=table)
                except ResponseError as e:
                    if self.retry.should_retry(e.code, attempt):
                        attempt += 1
                        self.transcript.note(f"{e.name}: retry {attempt} of {self.retry.count}")
                        self._wait(self.retry.delay)
                        continue
                    raise
                except _Lost as e:
                    lost += 1
                    if lost > self.timeouts.link_retries:
                        raise LinkError(f"The meter's answer kept arriving incomplete ({e}).",
                                        hint="Hold the probe steady on the meter and try again.") from None  # fmt: skip
                    continue
                self.state = next_state(self.state, req)
                return body
        finally:
            self._secret = False

    def _skip_stale_identify(self, pdu: bytes) -> bytes:
        """A leftover packet of an earlier session can come first (MSDK): an Identify answer is >= 4 bytes."""
        while pdu[:1] == b"\x00" and len(pdu) < 4:
            self.transcript.note("stale packet before the Identify response; discarded")
            pdu = self._await_pdu()
        return pdu

    def _exchange(self, pdu: bytes) -> bytes:
        self._inbox.clear()
        self.link.send(pdu)
        self.round_trips += 1
        return self._await_pdu()

    def _await_pdu(self) -> bytes:
        t = self.timeouts
        now = self.clock.monotonic()
        sent_at = last_rx = now
        self._flush()
        while True:
            if self._inbox and not self.link.awaiting_ack:
                self._flush()
                return self._inbox.pop(0)
            if self.cancel.is_set():
                raise UserCancelled()
            data = read_available(self.port)
            now = self.clock.monotonic()
            events: list = []
            if data:
                self.transcript.add("rx", data)
                last_rx = now
                events = self.link.receive(data)
            elif self.link.parser.in_packet and now - last_rx > self.clock.seconds(t.interchar):
                events = self.link.interchar_timeout()
            elif self.link.awaiting_ack and now - sent_at > self.clock.seconds(t.response):
                if self.probing and not self.link.stats.heard_peer:
                    self.link.abandon()
                    raise LinkError("Nothing answered the C12.18 Identify.")
                sent_at = now
                self.transcript.note("no ACK: retransmitting")
                events = self.link.ack_timeout()
            elif not self.link.awaiting_ack and now - max(last_rx, sent_at) > self.clock.seconds(t.response):
                raise LinkError(
                    f"The meter stopped answering (nothing for {t.response:g} s).",
                    hint="Check that the probe sits on the meter's optical port, then start again.",
                )
            for ev in events:
                if isinstance(ev, PduReceived):
                    self._inbox.append(ev.pdu)
                    self.last_traffic = now
                elif isinstance(ev, LinkFailed):
                    raise LinkError(f"The optical link failed: {ev.reason}.",
                                    hint="Clean the meter's optical window, re-seat the probe and retry.")  # fmt: skip
                elif isinstance(ev, PacketsLost):
                    self._flush()
                    raise _Lost(ev.reason)
            if self._flush():
                sent_at = self.clock.monotonic()

    def _flush(self) -> bool:
        out = self.link.data_to_send()
        if not out:
            return False
        self.transcript.add("tx", out, secret=self._secret and len(out) > 1)
        write_all(self.port, out)
        self.last_traffic = self.clock.monotonic()
        return True

    def _wait(self, configured: float) -> None:
        end = self.clock.monotonic() + self.clock.seconds(configured)
        while self.clock.monotonic() < end:
            if self.cancel.is_set():
                raise UserCancelled()
            self.clock.sleep(min(configured, 0.05 / max(self.clock.scale, 1e-9)))

    # -- session ---------------------------------------------------------------------------------
    def identify(self) -> sv.IdentifyResult:
        self.link.reset_toggle()
        self.port.reset_input_buffer()
        return sv.parse_identify(self.request(sv.Identify()))

    def negotiate(self, packet_size: int, nbr_packet: int, bauds: tuple[int, ...]) -> sv.NegotiateResult:
        res = sv.parse_negotiate(self.request(sv.Negotiate(packet_size, nbr_packet, bauds)))
        if res.packet_size < 32 or res.nbr_packet < 1:
            raise ProtocolError(f"The meter negotiated an unusable packet size {res.packet_size} x {res.nbr_packet}.")
        self.negotiated = res
        self.link.packet_size, self.link.max_packets = res.packet_size, res.nbr_packet
        if res.baud and res.baud != self.baud:
            # The meter switches once it has our ACK of its response (already sent by the exchange).
            self.baud = res.baud
            set_baudrate(self.port, res.baud)
            self.transcript.note(f"switched to {res.baud} baud")
        return res

    def logon(self, user_id: int, user: str) -> None:
        self.user_id = user_id
        self.request(sv.Logon(user_id, user))

    def security(self, password: bytes) -> None:
        self.request(sv.Security(password))

    def wait(self, seconds: int) -> None:
        self.request(sv.Wait(seconds))

    def keep_alive_due(self) -> bool:
        return (self.state != SessionState.BASE and self.clock.monotonic() - self.last_traffic
                > self.clock.seconds(self.timeouts.keep_alive))  # fmt: skip

    def end(self) -> None:
        """Logoff then Terminate, as far as the session got; errors here are not the installer's problem."""
        for req in (sv.Logoff(), sv.Terminate()):
            if self.state == SessionState.BASE or (isinstance(req, sv.Logoff) and self.state == SessionState.IDENTIFIED):
                continue
            try:
                self.request(req)
            except (ProtocolError, UserCancelled):
                break
        self.state = SessionState.BASE


class _Lost(Exception):
    """A multi-packet answer had a gap; the request is repeated."""
