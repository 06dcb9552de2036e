"""Label parsing: meter numbers (I1FR4), serials, packing labels (I1FR3, GS1 and key:value), Zigbee labels."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtool.domain.gs1 import Gs1Error, check_digit, parse_gs1
from fieldtool.domain.labels import LabelRules, parse_label


def test_meter_number_decodes_manufacturer_configuration_voltage_comm_type():
    label = parse_label("1AL0000004210222R")
    assert label.kind == "meter_number" and label.valid and not label.problems
    assert label.fields["serial"] == "000000421"
    assert label.meanings == {"configuration": "Form 2S CL200 240 V self-contained", "manufacturer": "Landis+Gyr",
                              "capabilities": "time of use + load profile", "form": "2S", "voltage": "240 V",
                              "comm_type": "RF mesh"}  # fmt: skip


def test_unknown_codes_are_named():
    label = parse_label("1AQ0000004210229X")
    assert label.kind == "meter_number"
    assert "The manufacturer code 'Q' is not in the utility's table." in label.problems
    assert any("comm type code 'X'" in p for p in label.problems)


def test_a_utility_sets_its_own_pattern_and_tables():
    rules = LabelRules.build(
        meter_number_pattern=r"^(?P<manufacturer>[A-Z]{2})(?P<voltage>\d)(?P<comm_type>[RPC])(?P<serial>\d{8})$",
        meter_number_codes={"manufacturer": {"IT": "Itron"}, "voltage": {"2": "240 V"}, "comm_type": {"C": "cellular"}},
    )
    label = parse_label("IT2C12345678", rules=rules)
    assert label.meanings == {"manufacturer": "Itron", "voltage": "240 V", "comm_type": "cellular"}
    with pytest.raises(ValueError, match="not a valid regular expression"):
        LabelRules.build(meter_number_pattern="(unclosed")


def test_manufacturer_serial():
    assert parse_label("SN12345678").fields == {"manufacturer_serial": "12345678"}
    assert parse_label("SN12345678").kind == "manufacturer_serial"


I1FR3_TEXT = ("CLASS: 200; VOLT: 240; WIRE: 3; CYCLES: 60; TA: 30; KH: 7.2; CAT: 2SCL200-RF; PO: 4500012345; "
              "REL: 3; QTY: 2; FORM: 2S; BORN ON: 2026-03-14; LOT: L2026-11; "
              "METERS: 1AL0000000010222R, 1AL0000000020222R; SERIAL: 123456789")  # fmt: skip


def test_packing_label_key_value_form_has_every_i1fr3_field():
    label = parse_label(I1FR3_TEXT)
    assert label.kind == "packing" and label.problems == ()
    assert label.fields == {
        "meter_class": "200", "voltage": 240.0, "wire": 3, "cycles": 60, "test_amps": 30.0, "kh": 7.2,
        "catalog_number": "2SCL200-RF", "po_number": "4500012345", "po_release": "3", "quantity": 2, "form": "2S",
        "born_on_date": date(2026, 3, 14), "lot_number": "L2026-11",
        "meter_numbers": ["1AL0000000010222R", "1AL0000000020222R"], "manufacturer_serial": "123456789",
    }  # fmt: skip


def test_packing_label_gs1_form_with_internal_ais():
    raw = "00106141411234567897" + "400PO-4471\x1d" + "3702\x1d" + "11260314" + "10L2026-11\x1d" + "91200\x1d" + "92240\x1d" \
        + "937.2\x1d" + "99" + "1AL0000000010222R,1AL0000000020222R"  # fmt: skip
    label = parse_label(raw, gs1=True)
    assert label.kind == "packing"
    f = label.fields
    assert (f["sscc"], f["po_number"], f["quantity"], f["born_on_date"], f["lot_number"]) == (
        "106141411234567897", "PO-4471", 2, date(2026, 3, 14), "L2026-11")
    assert f["meter_class"] == "200" and f["voltage"] == 240.0 and f["meter_numbers"] == ["1AL0000000010222R", "1AL0000000020222R"]
    assert f["wire"] == "7.2" and "wire '7.2' is not a whole number." in label.problems
    assert f["gs1"].startswith("(00)106141411234567897(400)PO-4471(37)02(11)260314")


def test_gs1_from_zbar_without_the_flag_and_from_bracketed_text():
    # zbar drops the leading FNC1 and says nothing; the GS separators still mark GS1 data
    assert parse_label("0109501101530003\x1d10LOT7\x1d21X9").kind == "packing"
    label = parse_label("(8004)1AL0000000010222R")
    assert label.kind == "meter_number" and label.meanings["manufacturer"] == "Landis+Gyr"


def test_gs1_problems_are_reported_not_repaired():
    label = parse_label("(01)09501101530008(21)X1")
    assert label.fields["gtin"] == "09501101530008"
    assert label.problems == ("(01) GTIN 09501101530008: the check digit is wrong (should be 3).",)
    assert parse_label("(01)123", gs1=True).kind == "unrecognised"
    assert "GS1 data that cannot be read" in parse_label("(01)123").reason


def test_gs1_parser_details():
    assert check_digit("950110153000") == "3"
    d = parse_gs1("]C1" + "0109501101530003" + "1126" + "0200" + "10AB")
    assert [(e.ai, e.value) for e in d.elements] == [("01", "09501101530003"), ("11", "260200"), ("10", "AB")]
    assert d.problems == ()  # day 00 = last day of the month
    assert parse_gs1("11261332").problems == ("(11) PROD DATE 261332 is not a date (YYMMDD).",)
    with pytest.raises(Gs1Error, match="No known application identifier"):
        parse_gs1("7777")
    with pytest.raises(Gs1Error, match="ends early"):
        parse_gs1("01123")


def test_itf14_carton_code():
    assert parse_label("10735001230015", symbology="ITF").fields == {"gtin": "10735001230015"}
    assert parse_label("10735001230016", symbology="ITF").problems


ZIGBEE = [  # docs/han-zigbee-se.md §2, every format
    ("Z:943469FFFE05CE55$I:FC5ECD1E8DFD3E0603E3689F8D0226BBF80B", "z_tag", "943469FFFE05CE55"),
    ("Z:943469FFFE05CE55$I:FC5ECD1E8DFD3E0603E3689F8D0226BBF80B$D:X%M:Y", "z_tag", "943469FFFE05CE55"),
    ("G$M:69775$S:680S00003915$D:0000000017B2335C%Z$A:54EF44100006E7DF$I:3313A005E177A647FC7925620AB207C4BEF5",
     "aqara", "54EF44100006E7DF"),
    ("000D6FFFFE63CCA0|58A4DD6123F38ECF22B17FDA0D95A43DED19", "pipe", "000D6FFFFE63CCA0"),
    ("HUE:Z:2E5D2E5F401B82F1A45621A50B551F726101 M:001788010CE5C843 D:H2504 A:2266", "hue", "001788010CE5C843"),
    ("RB01SG0D8310182648007000000000000000000094DEB8FFFE41F6D6DLKA87710C3E5C332E5327EE532C3C310E5DFE0",
     "bosch", "94DEB8FFFE41F6D6"),
    ("Z:22B78EFEFF16A720$I:83FED3407A939723A5C639B26916D505C3B5", "z_tag", "20A716FFFE8EB722"),
    ("MAC ID: 000D.6FFF.FE63.CCA0  Install Code: 1234.5678.90AB.BA9E", "printed_text", "000D6FFFFE63CCA0"),
    ("83FE D340 7A93 9723 A5C6 39B2 6916 D505 C3B5", "bare", None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "fmt", "eui"), ZIGBEE, ids=[z[1] + str(i) for i, z in enumerate(ZIGBEE)])
def test_zigbee_install_code_labels(text, fmt, eui):
    label = parse_label(text)
    assert label.kind == "install_code" and label.valid
    assert (label.fields["format"], label.fields["eui64"], label.fields["crc_ok"]) == (fmt, eui, True)


def test_bosch_direct_link_key_label():
    label = parse_label("RB01SG0D836591B3CC0010000000000000000000000D6F0017E0870CDLK999F98A7DFBCA6DD3955823AD9089631")
    assert label.fields["link_key"] == "999F98A7DFBCA6DD3955823AD9089631" and label.fields["crc_ok"] is None


def test_zigbee_label_with_wrong_crc_is_invalid_and_keeps_what_was_read():
    label = parse_label("Z:943469FFFE05CE55$I:FC5ECD1E8DFD3E0603E3689F8D0226BBF80C")
    assert label.kind == "install_code" and not label.valid
    assert label.fields["install_code"].endswith("F80C")  # as printed, not repaired
    assert "A digit is wrong" in label.problems[0]
    bad_len = parse_label("Z:943469FFFE05CE55$I:FC5ECD1E8DFD3E0603E3")
    assert bad_len.kind == "install_code" and not bad_len.valid


@pytest.mark.parametrize(("text", "reason"), [
    ("", "empty"),
    ("hello world", "has 17 characters; this has 11"),
    ("MT:Y.K9042C00KA0648G00", "Not a utility meter number"),  # a Matter code is not a Zigbee code
    ("a\x07b", "control characters"),
])  # fmt: skip
def test_unrecognised_text_comes_back_raw_with_the_reason(text, reason):
    label = parse_label(text)
    assert label.kind == "unrecognised" and label.text == text and reason in label.reason
    assert label.to_dict()["valid"] is False


@given(st.text(max_size=120), st.sampled_from([None, True, False]), st.sampled_from([None, "ITF", "Code128"]))
def test_any_text_is_parsed_without_raising(text, gs1, symbology):
    label = parse_label(text, gs1=gs1, symbology=symbology)
    assert label.kind in ("meter_number", "manufacturer_serial", "packing", "install_code", "unrecognised")
    assert label.kind != "unrecognised" or label.reason
