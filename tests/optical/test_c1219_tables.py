"""C12.19 codecs: ST0 drives every other table; round trips in each format; golden SP10 body."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtool.protocols.c1218.errors import ProtocolError
from fieldtool.protocols.c1219 import mfg
from fieldtool.protocols.c1219 import procedures as sp
from fieldtool.protocols.c1219.datatypes import Format
from fieldtool.protocols.c1219.registers import (
    ActRegs,
    CurrentRegData,
    DataBlock,
    DataSelection,
    DemandRecord,
    Uom,
    decode_st12,
    encode_st12,
    named_registers,
)
from fieldtool.protocols.c1219.st0 import GenConfig
from fieldtool.protocols.c1219.standard import (
    Clock,
    EdModeStatus,
    GeneralMfgId,
    UtilInfo,
    decode_st5,
    encode_st5,
    encode_st6_field,
    flag_mask,
    st6_layout,
)  # fmt: skip

FORMATS = [
    Format(data_order=0, tm_format=2, id_form=0, ni_format1=8, ni_format2=8),
    Format(data_order=1, tm_format=1, id_form=1, ni_format1=0, ni_format2=1, char_format=2),
    Format(data_order=0, tm_format=3, id_form=0, ni_format1=4, ni_format2=7),
    Format(data_order=1, tm_format=4, id_form=1, ni_format1=9, ni_format2=5),
]
T = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_st0_round_trip_and_bits():
    g = GenConfig(data_order=1, tm_format=3, id_form=1, data_access_method=1, std_tbls_used=frozenset({0, 1, 3, 5, 6, 52}),
                  mfg_tbls_used=frozenset({0, 2}), std_tbls_write=frozenset({6}), std_proc_used=frozenset({7, 10}))
    raw = g.encode()
    assert len(raw) == 19 + 2 * 8 + 2 * 2 + 4 + 1
    assert raw[0] == 0x03 and raw[1] == 0x0B | 0x20
    back = GenConfig.decode(raw)
    assert back == g
    assert back.uses(52) and not back.uses(7) and back.writable(6) and back.uses(2048) and back.offset_access
    assert back.format.order == "big" and back.format.id_form == 1
    with pytest.raises(ProtocolError):
        GenConfig.decode(raw[:25])


@pytest.mark.parametrize("fmt", FORMATS)
def test_standard_tables_round_trip(fmt):
    st1 = GeneralMfgId("ACME", "R1-2S", 1, 2, 3, 4, "12345678")
    raw1 = st1.encode(fmt)
    assert len(raw1) == (24 if fmt.id_form else 32)
    assert GeneralMfgId.decode(raw1, fmt) == st1
    assert decode_st5(encode_st5("87654321", fmt), fmt) == "87654321"
    info = UtilInfo(owner_name="Utility", service_point_id="4412", customer_id="990", tariff_id="R-TOU",
                    coordinate_1=b"\x01" * 10, ex1_sw_version_number=3)
    raw6 = info.encode(fmt)
    assert len(raw6) == (180 if fmt.id_form else 230)
    assert UtilInfo.decode(raw6, fmt) == info
    at, n = st6_layout(fmt)["service_point_id"]
    assert raw6[at : at + n] == encode_st6_field("service_point_id", "4412", fmt)
    clk = Clock(T, day_of_week=4, gmt=True, status=0x1003)
    for st55 in (False, True):
        back = Clock.decode(clk.encode(fmt, st55), fmt, st55)
        assert back.time == T and back.day_of_week == 4 and back.gmt
    assert Clock.decode(clk.encode(fmt, True), fmt, True).tier == 3
    assert Clock.decode(clk.encode(fmt, True), fmt, True).season == 1


def test_st6_bcd_offsets_move_50_bytes():
    assert st6_layout(Format(id_form=1))["coordinate_1"] == (90, 10)
    assert st6_layout(Format(id_form=1))["misc_id"] == (150, 30)
    assert st6_layout(Format(id_form=0))["misc_id"] == (200, 30)


def test_st3_health_classification():
    fmt = Format(data_order=1)
    st3 = EdModeStatus(1, flag_mask(["ram_failure", "low_battery", "tamper_detect"]), 0, b"\x00")
    back = EdModeStatus.decode(st3.encode(fmt), fmt, 1)
    assert back.modes == ["metering"]
    h = back.health(monitored_mask=0x3FFF & ~flag_mask(["low_battery"]))
    assert h == {"ok": False, "critical": ["ram_failure"], "non_critical": ["tamper_detect"],
                 "not_monitored": ["low_battery"]}
    assert EdModeStatus(1, 0, 0, b"").health()["ok"]


def test_sp10_golden_body():
    fmt = Format(data_order=0, tm_format=2)
    req = sp.set_date_time(T, fmt, 0x2A, qual=0x04)
    assert req.encode(fmt).hex() == "0a002a0719010203040504"
    back = sp.ProcedureInitiate.decode(req.encode(fmt), fmt)
    assert back == req
    mask, t, qual = sp.parse_set_date_time(back.params, fmt)
    assert (mask, t, qual) == (7, T, 4)


@pytest.mark.parametrize("result", range(0, 8))
def test_procedure_results(result):
    fmt = Format(data_order=1)
    req = sp.clear_std_status(5)
    resp = sp.ProcedureResponse.decode(sp.ProcedureResponse(7, False, 5, result).encode(fmt), fmt)
    assert resp.answers(req) and not resp.answers(sp.clear_std_status(6))
    if result == 0:
        assert resp.check() is resp
    else:
        with pytest.raises(sp.ProcedureFailed) as e:
            resp.check()
        assert "clear standard status flags" in str(e.value) and f"result code {result}" in str(e.value)
    assert sp.ProcedureInitiate.decode(sp.change_mode(2, 1).encode(fmt), fmt).params == b"\x02"
    assert sp.execute_diagnostics(1).number == 11 and sp.clear_mfg_status(1).number == 8


@pytest.mark.parametrize("fmt", FORMATS)
def test_registers_delivered_and_received(fmt):
    uoms = [Uom(0, 0, 0, q1=True, q4=True), Uom(0, 0, 0, q2=True, q3=True), Uom(0, 2, 0, q1=True, q4=True),
            Uom(1, 0, 0, q1=True, q2=True)]
    assert decode_st12(encode_st12(uoms, fmt), fmt) == uoms
    regs = ActRegs(func1=0x16, nbr_summations=3, nbr_demands=1, nbr_occur=1, nbr_tiers=1)
    assert ActRegs.decode(regs.encode()) == regs
    sel = DataSelection((0, 1, 3), (2,))
    assert DataSelection.decode(sel.encode(regs), regs) == sel
    data = CurrentRegData(DataBlock((12345.0, 678.0, 42.0), (DemandRecord((5432.0,), cum=100.0),)),
                          (DataBlock((1.0, 2.0, 3.0), (DemandRecord((4.0,), cum=0.0),)),), nbr_demand_resets=3)
    back = CurrentRegData.decode(data.encode(regs, fmt), regs, fmt)
    assert back.nbr_demand_resets == 3 and back.total.summations == (12345.0, 678.0, 42.0)
    named = named_registers(back, sel, uoms)
    assert named[0] == ("kwh_delivered", 12.345, "kWh") and named[1][0] == "kwh_received"
    assert named[2][0] == "kvarh_delivered"  # reactive: Q1+Q2 is delivered and named[3] == ("kw_max_demand_delivered", 5.432, "kW")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(mfg.SPECS))
def test_manufacturer_tables_round_trip(fmt, name):
    spec = mfg.SPECS[name]
    values = {}
    for n, t in spec.fields:
        values[n] = {"s": "AB", "id": "12", "b": b"\x01\x02", "lt": T, "ni": 7.0, "i8": -3, "i32": -30}.get(t.split(":")[0], 5)
    if spec.entry:
        values["entries"] = [{n: ({"lt": T, "b": b"\x07", "i8": -70, "i32": -5}.get(t.split(":")[0], 1)) for n, t in spec.entry}] * 2
    raw = mfg.encode(name, values, fmt)
    assert len(raw) == spec.size(fmt, len(values.get("entries", [])))
    back = mfg.decode(name, raw, fmt)
    for n, t in spec.fields:
        want = values[n]
        if t.startswith("b:"):
            want = want.ljust(int(t[2:]), b"\x00")
        assert back[n] == want, n
    assert len(back.get("entries", [])) == len(values.get("entries", []))
    with pytest.raises(ProtocolError):
        mfg.decode(name, raw[:-1], fmt)


def test_mfg_maps_differ_per_vendor():
    assert mfg.mfg_map("ACME").table_id("nameplate") == 2048
    assert mfg.mfg_map("borx").table_id("nameplate") == 2048 + 64
    assert mfg.mfg_map("CIRR").table_id("pulse_outputs") == 2048 + 140
    assert mfg.mfg_map("ACME").table_id("pulse_outputs") is None
    with pytest.raises(ProtocolError, match="does not know"):
        mfg.mfg_map("XXXX")


@given(st.binary(max_size=300), st.sampled_from(FORMATS))
def test_decoders_raise_only_protocol_error(raw, fmt):
    for fn in (lambda: GenConfig.decode(raw), lambda: GeneralMfgId.decode(raw, fmt), lambda: UtilInfo.decode(raw, fmt),
               lambda: Clock.decode(raw, fmt, True), lambda: EdModeStatus.decode(raw, fmt),
               lambda: sp.ProcedureResponse.decode(raw, fmt), lambda: mfg.decode("event_log", raw, fmt),
               lambda: mfg.decode("network_status", raw, fmt)):
        with contextlib.suppress(ProtocolError):
            fn()
