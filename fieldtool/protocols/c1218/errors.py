"""Errors of the C12.18 stack, each worded so the installer knows what to do next.

``ProtocolError`` is the only exception the codecs raise on outside bytes. ``ResponseError`` carries a
C12.18 response code (``<nok>``) and the service that got it; ``describe_response`` turns the pair into
a sentence a person can act on.
"""

from __future__ import annotations

from fieldtool.domain.errors import InputError

RESPONSE_CODES: dict[int, str] = {
    0x00: "ok",
    0x01: "err",
    0x02: "sns",
    0x03: "isc",
    0x04: "onp",
    0x05: "iar",
    0x06: "bsy",
    0x07: "dnr",
    0x08: "dlk",
    0x09: "rno",
    0x0A: "isss",
}

# The codes a later retry may cure (the meter said "not now", not "no").
RETRYABLE_CODES = frozenset({0x06, 0x07})


class ProtocolError(InputError):
    """The meter's bytes could not be used (bad frame, bad length, bad checksum, unexpected answer)."""


class LinkError(ProtocolError):
    """The link layer gave up: no ACK, too many NAKs, lost packets or silence past the timeouts."""


class ResponseError(ProtocolError):
    """The meter answered a request with a ``<nok>`` response code."""

    def __init__(self, code: int, service: str, *, user_id: int | None = None, table: int | None = None):
        self.code = code
        self.name = RESPONSE_CODES.get(code, f"0x{code:02X}")
        self.service = service
        self.user_id = user_id
        self.table = table
        message, hint = describe_response(code, service, user_id=user_id, table=table)
        super().__init__(message, hint=hint)

    @property
    def retryable(self) -> bool:
        return self.code in RETRYABLE_CODES


def _what(service: str, table: int | None) -> str:
    if table is None:
        return f"the {service} request"
    return f"the {service} of {table_name(table)}"


def table_name(table: int) -> str:
    """``ST6`` for standard tables, ``MT5`` for manufacturer tables (id 2048 + n)."""
    return f"MT{table - 2048}" if table >= 2048 else f"ST{table}"


def describe_response(
    code: int, service: str, *, user_id: int | None = None, table: int | None = None
) -> tuple[str, str]:
    """(message, hint) for a ``<nok>`` code answering ``service``."""
    what = _what(service, table)
    if code == 0x03:
        if service in ("security", "logon"):
            who = f"user {user_id}" if user_id is not None else "this user"
            return (
                f"The meter refused the password for {who}.",
                "Check the meter password for this utility in the vault (fieldtool secrets) and try again.",
            )
        who = f" for user {user_id}" if user_id is not None else ""
        return (
            f"The meter refused {what}: insufficient security clearance{who}.",
            "Log on with a password that has write access for this table, or ask the meter shop.",
        )
    texts = {
        0x01: (f"The meter rejected {what} (err).", "Check the request; if it repeats, read the meter's ST0."),
        0x02: (
            f"The meter does not support {what} (sns).",
            "This meter model lacks the service or table; use the vendor's procedure.",
        ),
        0x04: (
            f"The meter cannot do {what} now (onp).",
            "The table may be read-only or the meter in a mode that forbids it; check ST3 mode.",
        ),
        0x05: (
            f"The meter says {what} is inappropriate (iar): wrong offset, length or table.",
            "The meter's table layout differs from what the tool expects; read ST0 and the table again.",
        ),
        0x06: (f"The meter stayed busy and did not accept {what} (bsy).", "Wait a few seconds and retry."),
        0x07: (f"The meter's data were not ready for {what} (dnr).", "Wait a few seconds and retry."),
        0x08: (
            f"The table is locked by another process in the meter, so {what} failed (dlk).",
            "Wait for the meter to finish (e.g. a program load) and retry.",
        ),
        0x09: (
            f"The meter asked to renegotiate during {what} (rno).",
            "End the session and start again; the probe settings changed.",
        ),
        0x0A: (
            f"The meter refused {what} in this state of the session (isss).",
            "The session sequence was broken (e.g. the meter timed out); start a new session.",
        ),
    }
    return texts.get(
        code,
        (f"The meter answered {what} with an unknown response code 0x{code:02X}.", "Retry; report the model."),
    )
