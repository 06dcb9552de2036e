"""The simulated meter's application layer: one request PDU in, one response PDU out.

It keeps the C12.18 service sequence (``fieldtool.protocols.c1218.session``), the negotiated parameters and
the security level of the logged-on user, and answers every service with the code a meter would: ``isss``
out of sequence, ``isc`` for a wrong password or a write above the user's clearance, ``sns`` for a table or
service this model lacks, ``bsy``/``dnr`` when a fault says so.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from fieldtool.protocols.c1218 import services as sv
from fieldtool.protocols.c1218.errors import ProtocolError
from fieldtool.protocols.c1218.session import SessionState, allowed, next_state
from firmware_sim.meter.faults import Faults
from firmware_sim.meter.tables import MeterTables, TableRefused

ERR, SNS, ISC, ONP, IAR, BSY, DNR, ISSS = 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0A


@dataclass
class Negotiated:
    packet_size: int = 64
    nbr_packet: int = 1
    baud: int = 9600


class Responder:
    def __init__(self, tables: MeterTables, faults: Faults):
        self.tables = tables
        self.faults = faults
        self.profile = tables.p
        self.reset()

    def reset(self) -> None:
        """Back to the base state (Terminate, channel-traffic timeout, new connection)."""
        self.state = SessionState.BASE
        self.level = 0
        self.user_id = 0
        self.link = Negotiated()
        self.pending_baud: int | None = None

    def handle(self, pdu: bytes) -> bytes:
        try:
            req = sv.decode_request(pdu)
        except ProtocolError:
            return sv.response(SNS if pdu and pdu[0] not in (0x30, 0x40, 0x50, 0x51) else ERR)
        if not allowed(self.state, req):
            return sv.response(ISSS)
        code = self.faults.app_fault(req)
        if code:
            return sv.response(code)
        with self.tables.shared.lock:
            out = self._answer(req)
        if out[0] == 0:
            self.state = next_state(self.state, req)
            if isinstance(req, sv.Logoff | sv.Terminate):
                self.level = 0
        return out

    def _answer(self, req) -> bytes:
        p = self.profile
        match req:
            case sv.Identify():
                self.tables.shared.power_up()  # the installer talks to a meter that was just powered
                feats = [(0x07, bytes([len(p.model)]) + p.model.encode())] if p.identity_feature else []
                return sv.identify_response(1, 0, feats)
            case sv.Negotiate(size, nbr, bauds):
                size = max(32, min(size, p.max_packet_size))
                nbr = max(1, min(nbr, p.max_nbr_packets))
                baud = next((b for b in bauds if b in p.bauds), None) if bauds else None
                self.link = Negotiated(size, nbr, self.link.baud)
                self.pending_baud = baud
                return sv.negotiate_response(size, nbr, baud)
            case sv.Wait():
                return sv.response(0)
            case sv.Logon(user_id, _user):
                self.user_id, self.level = user_id, 0
                return sv.response(0)
            case sv.Security(password):
                level = self._level_for(password)
                if level == 0:
                    return sv.response(ISC)
                self.level = level
                return sv.response(0)
            case sv.Logoff() | sv.Terminate():
                self.tables.shared.save()
                return sv.response(0)
            case sv.Read(table, offset, index, count):
                if self.level < 1 and table not in (0, 1):
                    return sv.response(ISC)
                try:
                    data = self.tables.read(table)
                except TableRefused as e:
                    return sv.response(e.code)
                if index is not None:
                    if not p.config.index_access:
                        return sv.response(SNS)
                    return sv.response(IAR)  # no table of these models is indexed element-wise
                if offset is not None:
                    if not p.config.offset_access:
                        return sv.response(SNS)
                    if offset >= len(data) and data:
                        return sv.response(IAR)
                    data = data[offset : offset + count]  # a read past the end returns what there is
                return self._fits(sv.read_response(data))
            case sv.Write(table, data, offset, index):
                if index is not None:
                    return sv.response(SNS)
                if self.level < 2:
                    return sv.response(ISC)
                try:
                    self.tables.write(table, data, offset, self.level)
                except TableRefused as e:
                    return sv.response(e.code)
                return sv.response(0)
        return sv.response(SNS)

    def _fits(self, resp: bytes) -> bytes:
        """A response larger than the negotiated packets can carry is refused (onp), as meters do."""
        per = self.link.packet_size - 8
        if -(-len(resp) // per) > self.link.nbr_packet:
            return sv.response(ONP)
        return resp

    def _level_for(self, password: bytes) -> int:
        best = 0
        for level, pw in self.tables.s.passwords.items():
            if hmac.compare_digest(pw.encode("latin-1")[:20].ljust(20, b"\x00"), password):
                best = max(best, int(level))
        return best
