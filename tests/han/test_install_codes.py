"""Install codes: the published vectors, every length, wrong CRC and wrong length refused in words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtool.domain.zigbee_labels import parse_zigbee_label
from fieldtool.protocols.han.install_code import (
    InstallCodeError,
    derive_link_key,
    eui64_from_wire,
    eui64_to_wire,
)

VECTORS = [  # docs/han-zigbee-se.md §1.4
    ("83FED3407A939723A5C639B26916D505C3B5", "66B6900981E1EE3CA4206B6B861C02BB", 16),
    ("11223344556677884AF7", "41618FC0C83B0E14A589954B16E31466", 8),
    ("7A939723A5C639B269161802819B", "F93903721685FD329D26849B90F2959A", 12),
    ("83FED3407A939723A5C639B269161802AEBB", "333C23686079468EB27BA24BD9C7E564", 16),
    ("1234567890ABBA9E", "18A1C023A76BF0062F50F45C6D67F04C", 6),
]


@pytest.mark.parametrize(("code", "key", "n"), VECTORS)
def test_published_vectors(code, key, n):
    k = derive_link_key(code)
    assert k.hex == key and len(k.install_code.code) == n


def test_grouped_and_lower_case_entry_gives_the_same_key():
    assert derive_link_key("83fe d340 7a93 9723 a5c6 39b2 6916 d505 c3b5").hex == VECTORS[0][1]


def test_a_wrong_crc_is_refused_and_never_corrected():
    with pytest.raises(InstallCodeError) as e:
        derive_link_key("83FED3407A939723A5C639B26916D505C3B6")
    assert "check digits do not match" in str(e.value) and "C3B6" in str(e.value) and "C3B5" in str(e.value)


def test_sixteen_digits_without_a_valid_crc_explain_the_ambiguity():
    with pytest.raises(InstallCodeError) as e:
        derive_link_key("1122334455667788")  # an 8-byte code printed without its CRC
    assert "6-byte code with its CRC" in e.value.hint


@pytest.mark.parametrize("code", ["83FED3407A", "83FED3407A939723A5C639B26916D505C3", "00" * 19])
def test_a_wrong_length_is_refused_in_words(code):
    with pytest.raises(InstallCodeError, match="hex digits"):
        derive_link_key(code)


def test_eui64_goes_on_the_wire_least_significant_first():
    assert eui64_to_wire("00:0d:6f:ff:fe:63:cc:a0") == bytes.fromhex("A0CC63FEFF6F0D00")
    assert eui64_from_wire(bytes.fromhex("A0CC63FEFF6F0D00")) == "000D6FFFFE63CCA0"


@pytest.mark.parametrize(("label", "eui", "key"), [
    ("Z:943469FFFE05CE55$I:FC5ECD1E8DFD3E0603E3689F8D0226BBF80B", "943469FFFE05CE55", "E18CFEF56AA9F391F1ACCD1CA90ED707"),
    ("000D6FFFFE63CCA0|58A4DD6123F38ECF22B17FDA0D95A43DED19", "000D6FFFFE63CCA0", "093ED432B12CEC94552AC4F31CEB45F8"),
    ("HUE:Z:2E5D2E5F401B82F1A45621A50B551F726101 M:001788010CE5C843 D:H2504 A:2266", "001788010CE5C843",
     "8871717C6DFA811D242B8B87141FDEB7"),
    ("RB01SG0D8310182648007000000000000000000094DEB8FFFE41F6D6DLKA87710C3E5C332E5327EE532C3C310E5DFE0",
     "94DEB8FFFE41F6D6", "96A5E46A92244E368C11FE975BAA1F6E"),
    ("G$M:69775$S:680S00003915$D:0000000017B2335C%Z$A:54EF44100006E7DF$I:3313A005E177A647FC7925620AB207C4BEF5",
     "54EF44100006E7DF", None),
    ("MAC ID: 00137A0000A1B203 Install Code: 1234 5678 90AB BA9E", "00137A0000A1B203", "18A1C023A76BF0062F50F45C6D67F04C"),
])  # fmt: skip
def test_every_label_format_gives_the_eui64_and_a_link_key(label, eui, key):
    parsed = parse_zigbee_label(label)
    assert parsed.eui64 == eui and parsed.crc_ok
    k = derive_link_key(parsed.install_code)
    assert key is None or k.hex == key


@given(st.text(max_size=60))
def test_any_text_either_gives_a_key_or_an_install_code_error(text):
    try:
        k = derive_link_key(text)
    except InstallCodeError:
        return
    assert len(k.key) == 16 and k.install_code.crc_ok


@given(st.binary(max_size=200))
def test_random_esi_tables_and_reply_frames_raise_only_our_errors(raw):
    from fieldtool.protocols.c1218.errors import ProtocolError
    from fieldtool.protocols.c1219 import mfg
    from fieldtool.protocols.c1219.st0 import GenConfig
    from fieldtool.protocols.han import se

    for name in ("han_devices", "han_command_status", "han_network"):
        try:
            mfg.decode(name, raw, GenConfig().format)
        except ProtocolError:
            pass
    try:
        se.decode(se.Cluster.DRLC, raw)
    except se.HanProtocolError:
        pass
