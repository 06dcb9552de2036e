"""Decode any table the tool knows into JSON-able values (``fieldtool meter read --table N``)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from fieldtool.protocols.c1219 import mfg
from fieldtool.protocols.c1219.procedures import ProcedureResponse
from fieldtool.protocols.c1219.registers import ActRegs, decode_st12
from fieldtool.protocols.c1219.st0 import GenConfig
from fieldtool.protocols.c1219.standard import Clock, EdModeStatus, GeneralMfgId, UtilInfo, decode_st5


def _plain(v):
    if isinstance(v, bytes):
        return v.hex().upper()
    if isinstance(v, datetime):
        return v.isoformat()
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    return v


def decode_table(table: int, raw: bytes, st0: GenConfig | None, mfg_name: str | None = None):
    """The decoded table, or None where the tool has no codec for it."""
    if table == 0:
        return GenConfig.decode(raw).to_json()
    fmt = (st0 or GenConfig()).format
    if table == 1:
        return _plain(asdict(GeneralMfgId.decode(raw, fmt)))
    if table == 3:
        st3 = EdModeStatus.decode(raw, fmt, st0.dim_mfg_status_used if st0 else 0)
        return {"modes": st3.modes, "flags": st3.flags, "mfg_status": st3.mfg_status.hex().upper()}
    if table == 5:
        return {"identification": decode_st5(raw, fmt)}
    if table == 6:
        return _plain(asdict(UtilInfo.decode(raw, fmt)))
    if table == 8:
        return _plain(asdict(ProcedureResponse.decode(raw, fmt)))
    if table == 12:
        return [_plain(asdict(u)) | {"direction": u.direction} for u in decode_st12(raw, fmt)]
    if table == 21:
        return asdict(ActRegs.decode(raw))
    if table in (52, 55):
        c = Clock.decode(raw, fmt, table == 55)
        return _plain({"time": c.time, "day_of_week": c.day_of_week, "dst": c.dst, "gmt": c.gmt,
                       "status": c.status, "tier": c.tier, "season": c.season})  # fmt: skip
    if mfg_name:
        return _plain(mfg.decode(mfg_name, raw, fmt))
    return None
