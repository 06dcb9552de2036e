"""The AT reply parser: bytes from a modem in, events out; no port, no clock (sans-IO).

A modem's output interleaves three things (3GPP TS 27.007 §4, ITU-T V.250 §5.7):

- the **echo** of the command line while ``ATE1`` is on (``AT+CSQ\\r``, sometimes followed by ``\\r\\n``);
- the **information response** of the pending command (``\\r\\n+CSQ: 21,99\\r\\n``) ending with a **final
  result code**: ``OK``, ``ERROR``, ``+CME ERROR: <err>`` (numeric with ``AT+CMEE=1``, verbose with
  ``AT+CMEE=2``), ``+CMS ERROR: <err>``, ``NO CARRIER``, ``BUSY``, ``NO ANSWER``, ``NO DIALTONE``;
- **unsolicited result codes** (URCs) that the modem may emit at any moment, even between the lines of a
  response (``+CREG: 5``, ``+CEREG: 1,"1A2B","01A2D103",7``, ``RING``, ``+QPING: ...``).

``AtSession.command(text)`` returns the bytes to write and marks the command pending;
``receive_data(bytes)`` feeds what the port returned; ``next_event()`` gives ``CommandDone``, ``AtError``
(as an event, not raised) or ``Urc`` objects in order. Anything unparseable raises ``AtProtocolError``
(an ``InputError``) and the parser stays usable.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field

from fieldtool.domain.errors import InputError
from fieldtool.protocols.at.ts27007 import cme_error_text

MAX_LINE = 2048  # no 27.007 response line comes near this; longer means a noisy line or a wrong baud rate

FINAL_OK = "OK"
FINAL_ERRORS = ("ERROR", "NO CARRIER", "BUSY", "NO ANSWER", "NO DIALTONE")

# Result codes that are unsolicited whenever they appear (V.250 and 27.007 URCs, common vendor ones).
URC_PREFIXES = (
    "RING", "+CRING:", "+CLIP:", "+CMTI:", "+CMT:", "+CDS:", "+CBM:", "+CGEV:", "+CTZV:", "+CTZE:", "+CIEV:",
    "+CUSD:", "+QIURC:", "+QIND:", "^SYSSTART", "RDY", "+CFUN:", "+CPIN:", "+QPING:", "+NITZ", "*PSUTTZ:",
    "+PSUTTZ:", "^MODE:", "+CSCON:",
)
# Registration URCs share their prefix with the read command's response; see _is_registration_reply.
REGISTRATION_PREFIXES = ("+CREG:", "+CGREG:", "+CEREG:", "+C5GREG:")


class AtProtocolError(InputError):
    """The modem sent something that is not an AT response (noise, wrong baud rate, a line far too long)."""


@dataclass(frozen=True)
class CommandDone:
    """The pending command ended with ``OK`` (or ``CONNECT`` for a dial); ``lines`` is its information response."""

    command: str
    lines: tuple[str, ...]
    final: str = FINAL_OK


@dataclass(frozen=True)
class AtError:
    """The pending command ended in an error result code.

    ``kind`` is ``ERROR``, ``CME``, ``CMS`` or the V.250 code (``NO CARRIER``...); ``code`` is the numeric
    error where the modem gave one (``+CME ERROR: 10``), or the number matched from the verbose text
    (``+CME ERROR: SIM not inserted``); ``text`` is always words.
    """

    command: str
    kind: str
    code: int | None
    text: str
    lines: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.kind == "ERROR":
            return f"The modem refused {self.command} (ERROR)"
        if self.kind in ("CME", "CMS"):
            number = f" {self.code}" if self.code is not None else ""
            return f"The modem refused {self.command}: {self.text} (+{self.kind} ERROR{number})"
        return f"The modem answered {self.command} with {self.kind}"


@dataclass(frozen=True)
class Urc:
    """An unsolicited result code (one line)."""

    line: str

    @property
    def prefix(self) -> str:
        head = self.line.split(":", 1)[0]
        return head + ":" if ":" in self.line else head


@dataclass
class _Pending:
    command: str
    prefix: str | None
    lines: list[str] = field(default_factory=list)
    echo_seen: bool = False


_CMD_PREFIX = re.compile(r"^AT([+^*$%][A-Z0-9]+)", re.IGNORECASE)


def _response_prefix(command: str) -> str | None:
    """``AT+CSQ`` -> ``+CSQ:``; ``ATI`` -> None (plain-text response)."""
    m = _CMD_PREFIX.match(command.strip())
    return f"{m.group(1).upper()}:" if m else None


def _is_registration_reply(line: str) -> bool:
    """``+CREG: <n>,<stat>[,...]`` answers ``AT+CREG?``; ``+CREG: <stat>[,"lac",...]`` is the URC (27.007 §7.2)."""
    fields = [f.strip() for f in line.split(":", 1)[1].split(",")]
    return len(fields) >= 2 and fields[0].isdigit() and fields[1].isdigit()


class AtSession:
    """Sans-IO AT command/response state: one command pending at a time (V.250 §5.2.1)."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._events: deque[CommandDone | AtError | Urc] = deque()
        self._pending: _Pending | None = None

    @property
    def busy(self) -> bool:
        return self._pending is not None

    def command(self, text: str) -> bytes:
        """The bytes of one command line (terminated by S3 = CR); the command becomes pending."""
        if self._pending is not None:
            raise RuntimeError(f"{self._pending.command} is still pending")
        text = text.strip()
        if not text.upper().startswith("AT") or any(c in text for c in "\r\n"):
            raise ValueError(f"not an AT command line: {text!r}")
        self._pending = _Pending(text, _response_prefix(text))
        return text.encode("ascii") + b"\r"

    def abandon(self) -> None:
        """Forget the pending command (after a timeout); late lines then count as unsolicited."""
        self._pending = None

    def receive_data(self, data: bytes) -> None:
        self._buffer += data
        while True:
            cut = min((i for i in (self._buffer.find(b"\r"), self._buffer.find(b"\n")) if i >= 0), default=-1)
            if cut < 0:
                if len(self._buffer) > MAX_LINE:
                    self._buffer.clear()
                    raise AtProtocolError(
                        f"The modem sent more than {MAX_LINE} bytes without a line end; "
                        "check the baud rate and the cable."
                    )
                return
            raw = bytes(self._buffer[:cut])
            del self._buffer[: cut + 1]
            if raw.strip():
                self._line(raw)

    def next_event(self) -> CommandDone | AtError | Urc | None:
        return self._events.popleft() if self._events else None

    def _line(self, raw: bytes) -> None:
        if len(raw) > MAX_LINE:
            raise AtProtocolError(f"The modem sent a line of {len(raw)} bytes; that is noise, not a response.")
        try:
            line = raw.decode("ascii").strip()
        except UnicodeDecodeError:
            # Operator names may carry Latin-1 (+COPS with some SIMs); keep the line, flag nothing.
            line = raw.decode("latin-1").strip()
        if any(ord(c) < 0x20 and c != "\t" for c in line):
            raise AtProtocolError(f"The modem sent control bytes ({raw[:40]!r}); check the baud rate.")
        p = self._pending
        if p is None:
            self._events.append(Urc(line))
            return
        if not p.echo_seen and not p.lines and line.upper() == p.command.upper():
            p.echo_seen = True  # ATE1 echo of our own command line
            return
        if line == FINAL_OK or line.startswith("CONNECT"):
            self._finish(CommandDone(p.command, tuple(p.lines), line))
        elif line in FINAL_ERRORS:
            self._finish(AtError(p.command, line, None, line.lower(), tuple(p.lines)))
        elif line.startswith(("+CME ERROR:", "+CMS ERROR:")):
            kind = line[1:4]
            value = line.split(":", 1)[1].strip()
            code, text = (int(value), cme_error_text(int(value))) if value.isdigit() else (None, value)
            if code is None and kind == "CME":
                code = _verbose_code(value)
            self._finish(AtError(p.command, kind, code, text, tuple(p.lines)))
        elif self._solicited(p, line):
            p.lines.append(line)
        else:
            self._events.append(Urc(line))

    def _solicited(self, p: _Pending, line: str) -> bool:
        if line.startswith(REGISTRATION_PREFIXES):
            return p.prefix is not None and line.startswith(p.prefix) and _is_registration_reply(line)
        if p.prefix is not None and line.startswith(p.prefix):
            # +QPING: after AT+QPING's OK is a URC; before OK it cannot occur. +CPIN: answers AT+CPIN?.
            return True
        if line.startswith(URC_PREFIXES):
            return False
        # A plain-text response (ATI, AT+CGMI, AT+CGSN) or a line of another command's style: keep it.
        return p.prefix is None or not line.startswith("+")

    def _finish(self, event: CommandDone | AtError) -> None:
        self._pending = None
        self._events.append(event)


def _verbose_code(text: str) -> int | None:
    from fieldtool.protocols.at.ts27007 import CME_ERRORS

    wanted = text.strip().lower()
    for code, words in CME_ERRORS.items():
        if words.lower() == wanted:
            return code
    return None
