"""ST0 GEN_CONFIG_TBL: read it first in every session; it decides how every other table is read."""

from __future__ import annotations

from dataclasses import dataclass, field

from fieldtool.protocols.c1218.errors import ProtocolError
from fieldtool.protocols.c1219.datatypes import Format


def _set_bits(raw: bytes) -> frozenset[int]:
    """A C12.19 SET: bit i of byte k is item 8k+i."""
    return frozenset(8 * k + i for k, byte in enumerate(raw) for i in range(8) if byte >> i & 1)


def _pack_set(items: frozenset[int], dim: int) -> bytes:
    out = bytearray(dim)
    for item in items:
        if item // 8 < dim:
            out[item // 8] |= 1 << (item % 8)
    return bytes(out)


@dataclass(frozen=True)
class GenConfig:
    """ST0 fields (ansi-c12.md §3.1). Table numbers in the sets are local (MT n is ``n``, not 2048 + n)."""

    data_order: int = 0
    char_format: int = 1
    model_select: int = 0
    tm_format: int = 2
    data_access_method: int = 3
    id_form: int = 0
    int_format: int = 0
    ni_format1: int = 8
    ni_format2: int = 8
    device_class: bytes = b"\x00\x00\x00\x00"
    nameplate_type: int = 2  # 0 gas, 1 water, 2 electric
    default_set_used: int = 0
    max_proc_parm_length: int = 32
    max_resp_data_len: int = 32
    std_version_no: int = 2
    std_revision_no: int = 0
    dim_std_tbls_used: int = 8
    dim_mfg_tbls_used: int = 2
    dim_std_proc_used: int = 4
    dim_mfg_proc_used: int = 1
    dim_mfg_status_used: int = 1
    nbr_pending: int = 0
    std_tbls_used: frozenset[int] = field(default_factory=frozenset)
    mfg_tbls_used: frozenset[int] = field(default_factory=frozenset)
    std_proc_used: frozenset[int] = field(default_factory=frozenset)
    mfg_proc_used: frozenset[int] = field(default_factory=frozenset)
    std_tbls_write: frozenset[int] = field(default_factory=frozenset)
    mfg_tbls_write: frozenset[int] = field(default_factory=frozenset)

    @property
    def format(self) -> Format:
        return Format(self.data_order, self.char_format, self.tm_format, self.id_form, self.int_format,
                      self.ni_format1, self.ni_format2)  # fmt: skip

    @property
    def offset_access(self) -> bool:
        """Partial read/write by offset is allowed (DATA_ACCESS_METHOD 1 or 3)."""
        return self.data_access_method in (1, 3)

    @property
    def index_access(self) -> bool:
        return self.data_access_method in (2, 3)

    def uses(self, table: int) -> bool:
        return table - 2048 in self.mfg_tbls_used if table >= 2048 else table in self.std_tbls_used

    def writable(self, table: int) -> bool:
        return table - 2048 in self.mfg_tbls_write if table >= 2048 else table in self.std_tbls_write

    def encode(self) -> bytes:
        head = bytes([
            (self.data_order & 1) | (self.char_format & 7) << 1 | (self.model_select & 7) << 4,
            (self.tm_format & 7) | (self.data_access_method & 3) << 3 | (self.id_form & 1) << 5
            | (self.int_format & 3) << 6,
            (self.ni_format1 & 0x0F) | (self.ni_format2 & 0x0F) << 4,
        ]) + self.device_class[:4].ljust(4, b"\x00") + bytes([
            self.nameplate_type, self.default_set_used, self.max_proc_parm_length, self.max_resp_data_len,
            self.std_version_no, self.std_revision_no, self.dim_std_tbls_used, self.dim_mfg_tbls_used,
            self.dim_std_proc_used, self.dim_mfg_proc_used, self.dim_mfg_status_used, self.nbr_pending,
        ])  # fmt: skip
        return head + b"".join([
            _pack_set(self.std_tbls_used, self.dim_std_tbls_used),
            _pack_set(self.mfg_tbls_used, self.dim_mfg_tbls_used),
            _pack_set(self.std_proc_used, self.dim_std_proc_used),
            _pack_set(self.mfg_proc_used, self.dim_mfg_proc_used),
            _pack_set(self.std_tbls_write, self.dim_std_tbls_used),
            _pack_set(self.mfg_tbls_write, self.dim_mfg_tbls_used),
        ])  # fmt: skip

    @classmethod
    def decode(cls, raw: bytes) -> GenConfig:
        if len(raw) < 19:
            raise ProtocolError(f"The meter's ST0 is {len(raw)} bytes; at least 19 are needed.")
        dims = list(raw[13:19])
        std_t, mfg_t, std_p, mfg_p = dims[0], dims[1], dims[2], dims[3]
        need = 19 + 2 * std_t + 2 * mfg_t + std_p + mfg_p
        if len(raw) < need:
            raise ProtocolError(f"The meter's ST0 is {len(raw)} bytes; its dimensions need {need}.")
        at = 19
        sets = []
        for size in (std_t, mfg_t, std_p, mfg_p, std_t, mfg_t):
            sets.append(_set_bits(raw[at : at + size]))
            at += size
        return cls(
            data_order=raw[0] & 1, char_format=raw[0] >> 1 & 7, model_select=raw[0] >> 4 & 7,
            tm_format=raw[1] & 7, data_access_method=raw[1] >> 3 & 3, id_form=raw[1] >> 5 & 1,
            int_format=raw[1] >> 6 & 3, ni_format1=raw[2] & 0x0F, ni_format2=raw[2] >> 4,
            device_class=bytes(raw[3:7]), nameplate_type=raw[7], default_set_used=raw[8],
            max_proc_parm_length=raw[9], max_resp_data_len=raw[10], std_version_no=raw[11],
            std_revision_no=raw[12], dim_std_tbls_used=std_t, dim_mfg_tbls_used=mfg_t, dim_std_proc_used=std_p,
            dim_mfg_proc_used=mfg_p, dim_mfg_status_used=dims[4], nbr_pending=dims[5],
            std_tbls_used=sets[0], mfg_tbls_used=sets[1], std_proc_used=sets[2], mfg_proc_used=sets[3],
            std_tbls_write=sets[4], mfg_tbls_write=sets[5],
        )  # fmt: skip

    def to_json(self) -> dict:
        return {
            "data_order": "msb_first" if self.data_order else "lsb_first",
            "char_format": self.char_format,
            "tm_format": self.tm_format,
            "data_access_method": self.data_access_method,
            "id_form": "bcd" if self.id_form else "string",
            "ni_format1": self.ni_format1,
            "ni_format2": self.ni_format2,
            "std_version_no": self.std_version_no,
            "std_tables_used": sorted(self.std_tbls_used),
            "mfg_tables_used": sorted(self.mfg_tbls_used),
            "std_procedures_used": sorted(self.std_proc_used),
            "mfg_procedures_used": sorted(self.mfg_proc_used),
            "std_tables_writable": sorted(self.std_tbls_write),
            "mfg_tables_writable": sorted(self.mfg_tbls_write),
            "dim_mfg_status_used": self.dim_mfg_status_used,
        }
