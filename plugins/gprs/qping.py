"""Quectel's ``AT+QPING`` extension (BG96, BG95, EC2x, EG9x): the one ping a modem can do without PPP.

``AT+QPING=<contextID>,"<host>"[,<timeout>[,<pingnum>]]`` answers ``OK`` at once, then one URC per echo
``+QPING: <result>[,"<ip>",<bytes>,<time_ms>,<ttl>]`` and a summary
``+QPING: <finresult>[,<sent>,<rcvd>,<lost>,<min>,<max>,<avg>]``. Result 0 is success; 569 is a ping that
timed out; other codes (565 DNS failed, 561 PDP context not active ...) end the ping at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fieldtool.domain.errors import InputError

QPING_ERRORS = {
    561: "the packet data context is not active",
    562: "the packet data context could not be activated",
    565: "the host name could not be resolved (DNS)",
    566: "the ping could not be sent",
    567: "the ping failed",
    568: "the modem is busy",
    569: "the echo did not come back in time",
}


@dataclass(frozen=True)
class Echo:
    ok: bool
    rtt_ms: float | None = None
    ip: str | None = None


@dataclass(frozen=True)
class Summary:
    result: int
    sent: int = 0
    received: int = 0
    rtt_min: float | None = None
    rtt_max: float | None = None
    rtt_avg: float | None = None


def parse_qping(line: str) -> Echo | Summary:
    m = re.fullmatch(r"\+QPING:\s*(\d+)(.*)", line)
    if not m:
        raise InputError(f"{line!r} is not a +QPING line.")
    result, rest = int(m.group(1)), m.group(2)
    fields = [f.strip() for f in rest.lstrip(",").split(",")] if rest else []
    if len(fields) == 4 and fields[0].startswith('"'):
        if not all(re.fullmatch(r"\d+", f) for f in fields[1:]):
            raise InputError(f"The +QPING echo line has non-numeric values: {line!r}.")
        return Echo(result == 0, float(fields[2]), fields[0].strip('"'))
    if len(fields) == 6:
        if not all(re.fullmatch(r"\d+", f) for f in fields):
            raise InputError(f"The +QPING summary has non-numeric values: {line!r}.")
        sent, rcvd, _lost, lo, hi, avg = (int(f) for f in fields)
        if rcvd > sent:
            raise InputError(f"The +QPING summary claims more answers than pings: {line!r}.")
        return Summary(result, sent, rcvd, *((float(lo), float(hi), float(avg)) if rcvd else (None, None, None)))
    if not fields:
        return Echo(False) if result == 569 else Summary(result)
    raise InputError(f"The +QPING line has {len(fields)} values after the result: {line!r}.")
