"""Fault injection for the simulated meter: what a real optical session meets in the field.

``--fault NAME[=N]`` (repeatable):

- ``crc-errors[=N]``      every Nth packet the meter sends has a corrupted CRC (default 3)
- ``nak-storm[=N]``       the meter NAKs each good packet it receives N times before accepting it (default 2)
- ``dropped-bytes[=N]``   one byte goes missing from every Nth packet the meter sends (default 4)
- ``duplicate-packets``   every packet the meter sends goes out twice (a lost-ACK retransmission)
- ``stale-packet``        a leftover response of an earlier session comes out first at session start
- ``busy[=N]``            the first N attempts of each read/write/procedure are answered bsy (default 2)
- ``dnr[=N]``             the first N attempts of each register or manufacturer-table read are dnr (default 2)
- ``disconnect[=N]``      the meter goes away after its Nth response (default 6): socket closed / silence
- ``clock-drift[=S]``     the meter clock is S seconds off at power-up and gains 200 ppm (default 437)
- ``garbage``             line noise before every transmission
- ``switch-stuck``        the service switch's relay is welded: commands are taken, the contacts never move
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldtool.protocols.c1218 import services as sv

DEFAULTS = {"crc-errors": 3, "nak-storm": 2, "dropped-bytes": 4, "duplicate-packets": 1, "stale-packet": 1,
            "busy": 2, "dnr": 2, "disconnect": 6, "clock-drift": 437, "garbage": 1,
            "switch-stuck": 1}  # fmt: skip


def parse_faults(items: list[str] | None) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in items or []:
        name, _, value = item.partition("=")
        if name not in DEFAULTS:
            raise ValueError(f"unknown fault {name!r}; known: {', '.join(sorted(DEFAULTS))}")
        out[name] = int(value) if value else DEFAULTS[name]
    return out


@dataclass
class Faults:
    active: dict[str, int] = field(default_factory=dict)
    sent_packets: int = 0
    responses: int = 0
    _attempts: dict = field(default_factory=dict)
    _naks: int = 0

    def on(self, name: str) -> bool:
        return name in self.active

    # -- application level -----------------------------------------------------------------------
    def app_fault(self, req) -> int:
        """A bsy/dnr code to answer instead of the real answer, or 0."""
        key = repr(req)
        if self.on("busy") and isinstance(req, sv.Read | sv.Write):
            n = self._attempts.get(("bsy", key), 0)
            if n < self.active["busy"]:
                self._attempts[("bsy", key)] = n + 1
                return 0x06
            self._attempts.pop(("bsy", key), None)
        if self.on("dnr") and isinstance(req, sv.Read) and (req.table >= 2048 or req.table in (23, 8)):
            n = self._attempts.get(("dnr", key), 0)
            if n < self.active["dnr"]:
                self._attempts[("dnr", key)] = n + 1
                return 0x07
            self._attempts.pop(("dnr", key), None)
        return 0

    # -- link level ------------------------------------------------------------------------------
    def nak_instead(self) -> bool:
        """True: NAK this good packet (a NAK storm)."""
        if not self.on("nak-storm"):
            return False
        if self._naks < self.active["nak-storm"]:
            self._naks += 1
            return True
        self._naks = 0
        return False

    def mangle(self, frame: bytes) -> list[bytes]:
        """The byte strings that go on the wire for one outgoing packet."""
        self.sent_packets += 1
        n = self.sent_packets
        out = frame
        if self.on("crc-errors") and n % self.active["crc-errors"] == 0:
            out = out[:-1] + bytes([out[-1] ^ 0x5A])
        elif self.on("dropped-bytes") and n % self.active["dropped-bytes"] == 0 and len(out) > 7:
            out = out[:7] + out[8:]
        frames = [out, out] if self.on("duplicate-packets") else [out]
        if self.on("garbage"):
            frames.insert(0, b"\x00\x3f\xa5")
        return frames

    def disconnect_now(self) -> bool:
        self.responses += 1
        return self.on("disconnect") and self.responses >= self.active["disconnect"]
