"""The field radio dongle line protocol (our own; ``docs/radio-dongle-protocol.md``), sans-IO.

``frame`` turns lines into ``Message`` objects and back (``$``-framed, XOR checksum, resync on ``$``);
``commands`` declares the verbs, their arguments, reply records and error codes of version 1.0.
"""

from fieldtool.protocols.dongle.commands import ERRORS, PROTOCOL_VERSION, version_compatible
from fieldtool.protocols.dongle.frame import BadLine, LineDecoder, Message, encode

__all__ = ["ERRORS", "PROTOCOL_VERSION", "BadLine", "LineDecoder", "Message", "encode", "version_compatible"]
