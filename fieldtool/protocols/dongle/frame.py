"""Framing of the dongle line protocol: ``$<tag> <VERB>[ <key>=<value>]...*<HH>\\r\\n``.

- ``$`` starts a line; a receiver discards anything before it (resynchronisation after noise).
- ``<tag>`` is 1–4 decimal digits chosen by the host and repeated on every reply line of that request, or
  ``!`` on an unsolicited line from the dongle.
- ``<VERB>`` is upper-case letters; fields are ``key=value`` with lower-case keys; values are printable ASCII
  where space, ``$``, ``*``, ``=``, ``%`` and anything outside 0x21–0x7E are percent-encoded (``%20``).
- ``<HH>`` is the XOR of every byte between ``$`` and ``*``, two upper-case hex digits (as in NMEA 0183).
- A line is at most 250 bytes including ``$`` and CR LF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

MAX_LINE = 250
_SAFE = "!\"#&'()+,-./:;<>?@[\\]^_`{|}~"  # printable characters that need no escape
_TAG = re.compile(r"^(?:\d{1,4}|!)$")
_VERB = re.compile(r"^[A-Z]{2,12}$")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,23}$")


@dataclass(frozen=True)
class Message:
    tag: str
    verb: str
    fields: dict[str, str] = field(default_factory=dict)

    def get(self, key: str, default: str | None = None) -> str | None:
        return self.fields.get(key, default)


@dataclass(frozen=True)
class BadLine:
    """A line that could not be used, and why (bad checksum, no checksum, bad field, too long)."""

    reason: str
    raw: bytes


def checksum(body: bytes) -> int:
    value = 0
    for b in body:
        value ^= b
    return value


def encode(msg: Message) -> bytes:
    if not _TAG.match(msg.tag) or not _VERB.match(msg.verb):
        raise ValueError(f"bad tag or verb: {msg.tag!r} {msg.verb!r}")
    parts = [msg.tag, msg.verb]
    for key, value in msg.fields.items():
        if not _KEY.match(key):
            raise ValueError(f"bad field name {key!r}")
        parts.append(f"{key}={quote(str(value), safe=_SAFE)}")
    body = " ".join(parts).encode("ascii")
    line = b"$" + body + b"*" + f"{checksum(body):02X}".encode() + b"\r\n"
    if len(line) > MAX_LINE:
        raise ValueError(f"line of {len(line)} bytes exceeds {MAX_LINE}")
    return line


def decode_line(raw: bytes) -> Message | BadLine:
    """One line without its ``$`` start and CR LF end."""
    star = raw.rfind(b"*")
    if star < 0 or len(raw) - star != 3:
        return BadLine("no checksum", raw)
    body, given = raw[:star], raw[star + 1:]
    try:
        if int(given, 16) != checksum(body):
            return BadLine("checksum mismatch", raw)
        text = body.decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return BadLine("not ASCII or a bad checksum", raw)
    parts = text.split(" ")
    if len(parts) < 2 or not _TAG.match(parts[0]) or not _VERB.match(parts[1]):
        return BadLine("no tag and verb", raw)
    fields: dict[str, str] = {}
    for part in parts[2:]:
        key, eq, value = part.partition("=")
        if not eq or not _KEY.match(key) or key in fields:
            return BadLine(f"bad field {part[:30]!r}", raw)
        fields[key] = unquote(value, errors="strict") if "%" in value else value
    return Message(parts[0], parts[1], fields)


class LineDecoder:
    """Bytes in, ``Message``/``BadLine`` out; noise between lines is skipped and counted."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self.skipped_bytes = 0

    def feed(self, data: bytes) -> list[Message | BadLine]:
        self._buffer += data
        out: list[Message | BadLine] = []
        while True:
            start = self._buffer.find(b"$")
            if start < 0:
                self.skipped_bytes += len(self._buffer.rstrip(b"\r\n"))
                self._buffer.clear()
                return out
            if start:
                self.skipped_bytes += len(bytes(self._buffer[:start]).strip(b"\r\n"))
                del self._buffer[:start]
            end = self._buffer.find(b"\n")
            nxt = self._buffer.find(b"$", 1)
            if nxt > 0 and (end < 0 or nxt < end):  # a new line began before this one ended: it was cut off
                out.append(BadLine("line cut off", bytes(self._buffer[:nxt])))
                del self._buffer[:nxt]
                continue
            if end < 0:
                if len(self._buffer) > MAX_LINE:
                    out.append(BadLine("line too long", bytes(self._buffer[:40])))
                    self._buffer.clear()
                return out
            raw = bytes(self._buffer[1:end]).rstrip(b"\r")
            del self._buffer[: end + 1]
            if end + 1 > MAX_LINE:
                out.append(BadLine("line too long", raw[:40]))
                continue
            try:
                out.append(decode_line(raw))
            except UnicodeDecodeError:
                out.append(BadLine("bad percent-encoding", raw))
