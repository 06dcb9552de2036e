"""3GPP TS 27.007 AT commands, sans-IO: the reply parser (``session``) and the value decoders (``ts27007``)."""

from fieldtool.protocols.at.session import (
    AtError,
    AtProtocolError,
    AtSession,
    CommandDone,
    Urc,
)

__all__ = ["AtError", "AtProtocolError", "AtSession", "CommandDone", "Urc"]
