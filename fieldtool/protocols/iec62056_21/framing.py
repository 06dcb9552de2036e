"""Splitting the IEC 62056-21 byte stream into messages (sans-IO).

``Framer.feed(bytes)`` returns the complete messages seen so far: identification lines (``/...CRLF``),
single ACK / NAK bytes, and blocks (``SOH|STX ... ETX BCC``). Noise before a message start is dropped and
counted, so a probe that picks up ambient light does not wedge the session.
"""

from __future__ import annotations

from fieldtool.protocols.iec62056_21.messages import ACK, ETX, NAK, SOH, STX, IecProtocolError

MAX_MESSAGE = 16 * 1024


class Framer:
    """``ack_lines=True`` on the meter side: there an ACK starts the option-select line ``ACK 0 Z Y CRLF``."""

    def __init__(self, *, ack_lines: bool = False) -> None:
        self.buffer = bytearray()
        self.dropped = 0
        self.ack_lines = ack_lines

    def feed(self, data: bytes) -> list[bytes]:
        self.buffer += data
        out: list[bytes] = []
        while self.buffer:
            b = self.buffer[0]
            if b == ord("/") or (b == ACK and self.ack_lines):
                end = self.buffer.find(b"\r\n")  # a line: identification, or an option select
                size = end + 2 if end >= 0 else 0
            elif b in (ACK, NAK):
                size = 1
            elif b in (SOH, STX):
                end = self.buffer.find(bytes([ETX]), 1)  # a block: up to ETX, then its BCC
                size = end + 2 if 0 <= end < len(self.buffer) - 1 else 0
            else:
                del self.buffer[0]
                self.dropped += 1
                continue
            if not size:
                self._check_size()
                break
            out.append(bytes(self.buffer[:size]))
            del self.buffer[:size]
        return out

    def _check_size(self) -> None:
        if len(self.buffer) > MAX_MESSAGE:
            self.buffer.clear()
            raise IecProtocolError(f"no end of message after {MAX_MESSAGE} bytes: the line carries garbage")
