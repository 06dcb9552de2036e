"""ST7 PROC_INITIATE_TBL and ST8 PROC_RESPONSE_TBL, and the standard procedures an installer runs.

A procedure is a full write of ST7 (number, selector, sequence number, parameters) followed by a read of
ST8, which echoes number and sequence number with a result code. Trust ST8 only when the echo matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fieldtool.domain.errors import UserFacingError
from fieldtool.protocols.c1218.errors import ProtocolError
from fieldtool.protocols.c1219.datatypes import Format

SP_CHANGE_MODE = 6
SP_CLEAR_STD_STATUS = 7
SP_CLEAR_MFG_STATUS = 8
SP_SET_DATE_TIME = 10
SP_EXECUTE_DIAGNOSTICS = 11

PROCEDURE_NAMES = {
    0: "cold start", 1: "warm start", 2: "save configuration", 3: "clear data", 4: "reset list pointers",
    5: "update last read entry", 6: "change end device mode", 7: "clear standard status flags",
    8: "clear manufacturer status flags", 9: "remote reset", 10: "set date and/or time",
    11: "execute diagnostics", 12: "activate all pending tables", 13: "activate specific pending table",
    14: "clear all pending tables", 15: "clear specific pending table", 16: "start load profile",
    17: "stop load profile", 18: "log in", 19: "log out",
}  # fmt: skip

RESULT_CODES = {
    0: ("completed", None),
    1: ("accepted, not fully completed", "Read ST8 again in a moment."),
    2: ("invalid parameter", "The tool sent a parameter the meter does not accept; report the meter model."),
    3: ("conflicts with the device setup", "The meter's mode forbids it; check ST3 (test or shop mode?)."),
    4: ("timing constraint", "The meter is busy with something timed; retry in a few seconds."),
    5: ("no authorization", "Log on with a password that may run procedures."),
    6: ("unrecognized procedure", "This meter does not have the procedure; use the vendor's way."),
}

SELECTOR_ON_COMPLETION = 0
SELECTOR_ON_EXCEPTION = 1
SELECTOR_NO_RESPONSE = 2
SELECTOR_IMMEDIATE = 3

SET_TIME, SET_DATE, SET_TIME_DATE_QUAL = 0x01, 0x02, 0x04


class ProcedureFailed(UserFacingError):
    """ST8 reported a result code other than 0 (or 1, when the caller accepts it)."""

    def __init__(self, number: int, mfg: bool, result: int):
        self.number, self.mfg, self.result = number, mfg, result
        word, hint = RESULT_CODES.get(result, (f"unknown result {result}", "Report the meter model."))
        name = f"manufacturer procedure {number}" if mfg else PROCEDURE_NAMES.get(number, f"procedure {number}")
        super().__init__(f"The meter did not complete '{name}': {word} (result code {result}).", hint=hint)


@dataclass(frozen=True)
class ProcedureInitiate:
    number: int
    seq: int
    params: bytes = b""
    mfg: bool = False
    selector: int = SELECTOR_ON_COMPLETION

    @property
    def tbl_proc_nbr(self) -> int:
        return (self.number & 0x7FF) | (0x800 if self.mfg else 0) | (self.selector & 0x0F) << 12

    def encode(self, fmt: Format) -> bytes:
        return fmt.pack_uint(self.tbl_proc_nbr, 2) + bytes([self.seq & 0xFF]) + self.params

    @classmethod
    def decode(cls, raw: bytes, fmt: Format) -> ProcedureInitiate:
        if len(raw) < 3:
            raise ProtocolError(f"An ST7 write of {len(raw)} bytes is too short for a procedure.")
        n = fmt.uint(raw[0:2])
        return cls(n & 0x7FF, raw[2], bytes(raw[3:]), bool(n & 0x800), n >> 12)


@dataclass(frozen=True)
class ProcedureResponse:
    number: int
    mfg: bool
    seq: int
    result: int
    data: bytes = b""

    def encode(self, fmt: Format) -> bytes:
        return fmt.pack_uint((self.number & 0x7FF) | (0x800 if self.mfg else 0), 2) + bytes(
            [self.seq, self.result]
        ) + self.data

    @classmethod
    def decode(cls, raw: bytes, fmt: Format) -> ProcedureResponse:
        if len(raw) < 4:
            raise ProtocolError(f"The meter's ST8 is {len(raw)} bytes; at least 4 are needed.")
        n = fmt.uint(raw[0:2])
        return cls(n & 0x7FF, bool(n & 0x800), raw[2], raw[3], bytes(raw[4:]))

    def answers(self, req: ProcedureInitiate) -> bool:
        return (self.number, self.mfg, self.seq) == (req.number, req.mfg, req.seq)

    def check(self, accept_partial: bool = False) -> ProcedureResponse:
        if self.result == 0 or (accept_partial and self.result == 1):
            return self
        raise ProcedureFailed(self.number, self.mfg, self.result)


def set_date_time(t: datetime, fmt: Format, seq: int, *, qual: int | None = None) -> ProcedureInitiate:
    """SP10: set date and time (and the qualifier byte, which carries the day of week)."""
    if qual is None:
        qual = 0x10 | ((t.isoweekday() % 7) & 7)  # GMT flag; Sunday = 0
    mask = SET_TIME | SET_DATE | SET_TIME_DATE_QUAL
    return ProcedureInitiate(SP_SET_DATE_TIME, seq, bytes([mask]) + fmt.pack_ltime(t) + bytes([qual]))


def parse_set_date_time(params: bytes, fmt: Format) -> tuple[int, datetime | None, int | None]:
    """(mask, time, qualifier) of SP10 parameters (the meter's side)."""
    if len(params) < 1 + fmt.ltime_len:
        raise ProtocolError("SP10 parameters are too short for this meter's time format.")
    qual = params[1 + fmt.ltime_len] if len(params) > 1 + fmt.ltime_len else None
    return params[0], fmt.ltime(params[1 : 1 + fmt.ltime_len]), qual


def clear_std_status(seq: int) -> ProcedureInitiate:
    return ProcedureInitiate(SP_CLEAR_STD_STATUS, seq)


def clear_mfg_status(seq: int) -> ProcedureInitiate:
    return ProcedureInitiate(SP_CLEAR_MFG_STATUS, seq)


def change_mode(mode: int, seq: int) -> ProcedureInitiate:
    """SP6: the new ED_MODE bits (b0 metering, b1 test, b2 meter shop)."""
    return ProcedureInitiate(SP_CHANGE_MODE, seq, bytes([mode]))


def execute_diagnostics(seq: int) -> ProcedureInitiate:
    return ProcedureInitiate(SP_EXECUTE_DIAGNOSTICS, seq)
