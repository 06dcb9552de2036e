"""Version 1.0 of the dongle protocol: verbs, arguments, reply records, error codes (data, not code).

The host sends a request; the dongle answers with zero or more record lines carrying the same tag, then
exactly one final line, ``OK`` or ``ERR``. One request runs at a time, except ``CANCEL``, which may be sent
while another runs: the running request then ends with ``ERR code=499``.
"""

from __future__ import annotations

from dataclasses import dataclass

PROTOCOL_VERSION = "1.0"


@dataclass(frozen=True)
class CommandDef:
    verb: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    records: tuple[str, ...]  # record verbs that may precede the final line
    final_fields: tuple[str, ...]  # fields of the OK line
    summary: str


COMMANDS: dict[str, CommandDef] = {c.verb: c for c in (
    CommandDef("HELLO", ("proto",), ("host",), (), ("proto", "tech", "vendor", "model", "fw", "addr"),
               "identify the dongle and agree the protocol version"),
    CommandDef("SURVEY", (), ("dwell",), ("NODE",), ("count",),
               "listen for collectors, relays, concentrators and repeaters; one NODE per neighbour"),
    CommandDef("PING", ("target",), ("count", "size", "timeout"), ("ECHO", "LOST"), ("sent", "received", "via"),
               "send echo requests to a meter address, a neighbour id, or 'ami'"),
    CommandDef("STATUS", ("target",), (), (), ("state", "via", "detail"),
               "ask a meter over the air whether it has registered with the AMI"),
    CommandDef("SOFTREG", ("id", "part", "parts", "data"), (), (), ("part", "ref", "via"),
               "hand a soft-registration (base64url JSON, in numbered parts) to the AMI through a collector"),
    CommandDef("TIME", (), (), (), ("utc", "source"), "the network's time as the collector keeps it"),
    CommandDef("CANCEL", (), (), (), (), "stop the running request"),
)}

# code -> meaning; the dongle may add its own words in ``text``.
ERRORS: dict[int, str] = {
    400: "bad request (a missing or malformed field)",
    401: "checksum mismatch",
    404: "unknown command",
    408: "the target did not answer",
    409: "busy: another request is running",
    413: "line too long",
    499: "cancelled",
    500: "dongle failure",
    503: "no network in range",
    505: "protocol version not supported",
}

STATES = ("registered", "joining", "not_registered", "denied")
ROLES = ("collector", "relay", "concentrator", "repeater")


def version_compatible(theirs: str, ours: str = PROTOCOL_VERSION) -> bool:
    """Same major version; minors only add fields and verbs, which a receiver ignores."""
    try:
        return int(theirs.split(".")[0]) == int(ours.split(".")[0])
    except ValueError:
        return False
