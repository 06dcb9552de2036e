"""Registers: ST12 units of measure, ST21 actual register dimensions, ST22 data selection, ST23 current data.

ST22 picks, for each summation and demand, a source index; ST12 gives that source's unit of measure, whose
quadrant accountability tells delivered energy (Q1+Q4) from received energy (Q2+Q3, I1FR21 bidirectional).
The ST12 bit layout below is the C12.19 UOM_ENTRY_BFLD as remembered [UNVERIFIED, ansi-c12.md §8: units and
scaling are open]; the simulator and the tool share it, and a real meter's values are checked against its
display before relying on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldtool.protocols.c1218.errors import ProtocolError
from fieldtool.protocols.c1219.datatypes import Format

ID_CODES = {0: "w", 1: "var", 2: "va", 8: "pf", 16: "v", 24: "a"}  # subset the tool names
MULTIPLIERS = {0: 1.0, 1: 100.0, 2: 1000.0, 3: 1e6, 4: 1e9, 5: 1e-2, 6: 1e-3, 7: 1e-6}


@dataclass(frozen=True)
class Uom:
    """One ST12 UOM_ENTRY (a UINT32 bit field)."""

    id_code: int
    time_base: int = 0  # 0 dial reading (energy), 1 instantaneous, 2 period-based (demand) ...
    multiplier: int = 0
    q1: bool = False
    q2: bool = False
    q3: bool = False
    q4: bool = False
    net_flow: bool = False

    @property
    def bits(self) -> int:
        return (self.id_code & 0xFF | (self.time_base & 7) << 8 | (self.multiplier & 7) << 11 | self.q1 << 14
                | self.q2 << 15 | self.q3 << 16 | self.q4 << 17 | self.net_flow << 18)  # fmt: skip

    @classmethod
    def from_bits(cls, v: int) -> Uom:
        return cls(v & 0xFF, v >> 8 & 7, v >> 11 & 7, bool(v >> 14 & 1), bool(v >> 15 & 1), bool(v >> 16 & 1),
                   bool(v >> 17 & 1), bool(v >> 18 & 1))  # fmt: skip

    @property
    def direction(self) -> str:
        if self.net_flow:
            return "net"
        if self.id_code == 1:  # reactive: Q1+Q2 delivered to the customer, Q3+Q4 received
            out, back = self.q1 or self.q2, self.q3 or self.q4
        else:  # active and apparent: Q1+Q4 delivered, Q2+Q3 received
            out, back = self.q1 or self.q4, self.q2 or self.q3
        return "delivered" if out and not back else "received" if back and not out else "total"

    def register_name(self, kind: str) -> tuple[str, str]:
        """(register, unit) for the installer: ("kwh_delivered", "kWh"), ("kw_max_demand_received", "kW") ..."""
        base = ID_CODES.get(self.id_code, f"uom{self.id_code}")
        if base == "pf":
            return "power_factor", ""
        unit = "k" + ("W" if base == "w" else base.upper() if base == "va" else base)
        if kind == "summation":
            return f"k{base}h_{self.direction}", unit + "h"
        return f"k{base}_max_demand_{self.direction}", unit

    def scale(self, raw: float) -> float:
        """Raw register value -> kilo-units (kWh, kW, kvarh ...)."""
        if self.id_code == 8:
            return raw * MULTIPLIERS[self.multiplier]
        return raw * MULTIPLIERS[self.multiplier] / 1000.0


def decode_st12(raw: bytes, fmt: Format) -> list[Uom]:
    return [Uom.from_bits(fmt.uint(raw[i : i + 4])) for i in range(0, len(raw) - len(raw) % 4, 4)]


def encode_st12(entries: list[Uom], fmt: Format) -> bytes:
    return b"".join(fmt.pack_uint(u.bits, 4) for u in entries)


@dataclass(frozen=True)
class ActRegs:
    """ST21 (ST20 has the same layout)."""

    func1: int = 0  # b1 DATE_TIME_FIELD, b2 DEMAND_RESET_CTR, b4 CUM_DEMAND, b5 CONT_CUM_DEMAND ...
    func2: int = 0
    nbr_self_reads: int = 0
    nbr_summations: int = 0
    nbr_demands: int = 0
    nbr_coin_values: int = 0
    nbr_occur: int = 1
    nbr_tiers: int = 0
    nbr_present_demands: int = 0
    nbr_present_values: int = 0

    date_time = property(lambda self: bool(self.func1 & 0x02))
    reset_ctr = property(lambda self: bool(self.func1 & 0x04))
    cum_demand = property(lambda self: bool(self.func1 & 0x10))
    cont_cum_demand = property(lambda self: bool(self.func1 & 0x20))

    def encode(self) -> bytes:
        return bytes([self.func1, self.func2, self.nbr_self_reads, self.nbr_summations, self.nbr_demands,
                      self.nbr_coin_values, self.nbr_occur, self.nbr_tiers, self.nbr_present_demands,
                      self.nbr_present_values])  # fmt: skip

    @classmethod
    def decode(cls, raw: bytes) -> ActRegs:
        if len(raw) < 10:
            raise ProtocolError(f"The meter's ST21 is {len(raw)} bytes; 10 are needed.")
        return cls(*raw[:10])


@dataclass(frozen=True)
class DataSelection:
    """ST22: source indices of each summation and demand."""

    summation_select: tuple[int, ...] = ()
    demand_select: tuple[int, ...] = ()
    min_or_max: int = 0xFF
    coincident_select: tuple[int, ...] = ()
    coin_demand_assoc: tuple[int, ...] = ()

    def encode(self, regs: ActRegs) -> bytes:
        nmm = (regs.nbr_demands + 7) // 8
        return (bytes(self.summation_select) + bytes(self.demand_select) + bytes([self.min_or_max] * nmm)
                + bytes(self.coincident_select) + bytes(self.coin_demand_assoc))  # fmt: skip

    @classmethod
    def decode(cls, raw: bytes, regs: ActRegs) -> DataSelection:
        s, d, c = regs.nbr_summations, regs.nbr_demands, regs.nbr_coin_values
        nmm = (d + 7) // 8
        if len(raw) < s + d + nmm + 2 * c:
            raise ProtocolError(f"The meter's ST22 is {len(raw)} bytes, shorter than ST21 says.")
        return cls(tuple(raw[:s]), tuple(raw[s : s + d]), raw[s + d] if nmm else 0,
                   tuple(raw[s + d + nmm : s + d + nmm + c]), tuple(raw[s + d + nmm + c : s + d + nmm + 2 * c]))  # fmt: skip


@dataclass(frozen=True)
class DemandRecord:
    demands: tuple[float, ...]  # NBR_OCCUR values, NI_FMAT2
    event_times: tuple = ()
    cum: float | None = None
    cont_cum: float | None = None


@dataclass(frozen=True)
class DataBlock:
    summations: tuple[float, ...] = ()
    demands: tuple[DemandRecord, ...] = ()
    coincidents: tuple[tuple[float, ...], ...] = ()


@dataclass(frozen=True)
class CurrentRegData:
    """ST23: the totals and one block per tier."""

    total: DataBlock
    tiers: tuple[DataBlock, ...] = ()
    nbr_demand_resets: int | None = None
    extra: dict = field(default_factory=dict)

    def encode(self, regs: ActRegs, fmt: Format) -> bytes:
        out = bytes([self.nbr_demand_resets or 0]) if regs.reset_ctr else b""
        for blk in (self.total, *self.tiers):
            out += b"".join(fmt.pack_ni(v, 1) for v in blk.summations)
            for d in blk.demands:
                if regs.date_time:
                    out += bytes(fmt.stime_len * regs.nbr_occur)  # event times not kept
                if regs.cum_demand:
                    out += fmt.pack_ni(d.cum or 0.0, 1)
                if regs.cont_cum_demand:
                    out += fmt.pack_ni(d.cont_cum or 0.0, 1)
                out += b"".join(fmt.pack_ni(v, 2) for v in d.demands)
            for c in blk.coincidents:
                out += b"".join(fmt.pack_ni(v, 2) for v in c)
        return out

    @classmethod
    def decode(cls, raw: bytes, regs: ActRegs, fmt: Format) -> CurrentRegData:
        at = 0

        def take(n: int) -> bytes:
            nonlocal at
            if at + n > len(raw):
                raise ProtocolError(f"The meter's ST23 is {len(raw)} bytes, shorter than ST21 and ST0 say.")
            at += n
            return raw[at - n : at]

        resets = take(1)[0] if regs.reset_ctr else None
        blocks = []
        stime = fmt.stime_len
        for _ in range(1 + regs.nbr_tiers):
            sums = tuple(fmt.ni(take(fmt.ni_len(1)), 1) for _ in range(regs.nbr_summations))
            dems = []
            for _ in range(regs.nbr_demands):
                times = tuple(take(stime) for _ in range(regs.nbr_occur)) if regs.date_time else ()
                cum = fmt.ni(take(fmt.ni_len(1)), 1) if regs.cum_demand else None
                cont = fmt.ni(take(fmt.ni_len(1)), 1) if regs.cont_cum_demand else None
                vals = tuple(fmt.ni(take(fmt.ni_len(2)), 2) for _ in range(regs.nbr_occur))
                dems.append(DemandRecord(vals, times, cum, cont))
            coins = tuple(tuple(fmt.ni(take(fmt.ni_len(2)), 2) for _ in range(regs.nbr_occur))
                          for _ in range(regs.nbr_coin_values))  # fmt: skip
            blocks.append(DataBlock(sums, tuple(dems), coins))
        return cls(blocks[0], tuple(blocks[1:]), resets)


def named_registers(data: CurrentRegData, sel: DataSelection, uoms: list[Uom]) -> list[tuple[str, float, str]]:
    """(register, value in kilo-units, unit) for every summation and demand of the total block."""
    out = []
    for i, v in enumerate(data.total.summations):
        u = uoms[sel.summation_select[i]] if i < len(sel.summation_select) and sel.summation_select[i] < len(uoms) else None
        name, unit = u.register_name("summation") if u else (f"summation_{i}", "")
        out.append((name, u.scale(v) if u else v, unit))
    for i, d in enumerate(data.total.demands):
        u = uoms[sel.demand_select[i]] if i < len(sel.demand_select) and sel.demand_select[i] < len(uoms) else None
        name, unit = u.register_name("demand") if u else (f"demand_{i}", "")
        out.append((name, u.scale(d.demands[0]) if u and d.demands else 0.0, unit))
    return out
