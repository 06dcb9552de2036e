"""Install codes: CRC-16/X-25 against the published vectors, lengths, never corrected, manual entry."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtool.protocols.han.install_code import (
    InstallCodeError,
    check_entry,
    crc16_x25,
    group,
    normalise_eui64,
    parse_install_code,
)

# docs/han-zigbee-se.md §1.4 (P1-P5): code + CRC as printed, CRC value
VECTORS = [
    ("83FED3407A939723A5C639B26916D505C3B5", 0xB5C3),
    ("11223344556677884AF7", 0xF74A),
    ("7A939723A5C639B269161802819B", 0x9B81),
    ("83FED3407A939723A5C639B269161802AEBB", 0xBBAE),
    ("1234567890ABBA9E", 0x9EBA),
]


def test_crc_check_value():
    assert crc16_x25(b"123456789") == 0x906E


@pytest.mark.parametrize(("printed", "crc"), VECTORS)
def test_published_vectors(printed, crc):
    ic = parse_install_code(printed)
    assert ic.crc == crc and ic.crc_ok and ic.problem is None
    assert ic.hex == printed and ic.with_crc == bytes.fromhex(printed)


def test_a_wrong_crc_is_reported_never_corrected():
    ic = parse_install_code("83FED3407A939723A5C639B26916D505C3B6")
    assert not ic.crc_ok
    assert ic.hex.endswith("C3B5")  # the computed CRC is available ...
    assert "ends in C3B6" in ic.problem and "C3B5" in ic.problem  # ... and the label's is what is reported


def test_separators_grouping_and_case():
    assert parse_install_code("83fe d340-7a93.9723 a5c6 39b2 6916 d505 c3b5").crc_ok
    assert group("83FED3407A93") == "83FE D340 7A93"


@pytest.mark.parametrize(("text", "message"), [
    ("83FED3407A", "has 10 hex digits"),
    ("83FED3407A939723A5C639B26916D505C3B", "even number"),
    ("83FED34O7A939723A5C639B26916D505C3B5", "The letter O is probably the digit 0"),
    ("", "has 0 hex digits"),
])  # fmt: skip
def test_bad_codes_are_refused_in_words(text, message):
    with pytest.raises(InstallCodeError, match=message):
        parse_install_code(text)


def test_sixteen_digits_without_matching_crc_are_not_taken_as_an_8_byte_code():
    entry = check_entry("1122334455667788")  # an 8-byte code printed without its CRC, or a typo'd 6+CRC
    assert entry.complete and entry.crc_ok is False and "keep typing" in entry.message
    assert parse_install_code("1122334455667788", crc_included=False).printed_crc is None


def test_manual_entry_live_check():
    assert check_entry("83FE D3").message.startswith("6 digits; 10 more")
    done = check_entry("83FED3407A939723A5C639B26916D505C3B5")
    assert done.grouped == "83FE D340 7A93 9723 A5C6 39B2 6916 D505 C3B5" and done.crc_ok is True
    wrong = check_entry("83FED3407A939723A5C639B26916D505C3B6")
    assert wrong.crc_ok is False and "A digit is wrong" in wrong.message
    assert check_entry("83FE Z3").crc_ok is None and "'Z'" in check_entry("83FE Z3").message


def test_eui64():
    assert normalise_eui64("00:0d:6f:ff:fe:63:cc:a0") == "000D6FFFFE63CCA0"
    with pytest.raises(InstallCodeError, match="16 hex digits"):
        normalise_eui64("000D6F")


@given(st.text(max_size=60))
def test_any_text_gives_an_install_code_or_our_error(text):
    try:
        parse_install_code(text)
    except InstallCodeError:
        pass
    check_entry(text)  # the entry check never raises


@pytest.mark.parametrize(("printed", "key"), [
    ("83FED3407A939723A5C639B26916D505C3B5", "66B6900981E1EE3CA4206B6B861C02BB"),
    ("11223344556677884AF7", "41618FC0C83B0E14A589954B16E31466"),
    ("1234567890ABBA9E", "18A1C023A76BF0062F50F45C6D67F04C"),
])  # fmt: skip
def test_link_key_of_a_checked_code(printed, key):
    assert parse_install_code(printed).link_key().hex().upper() == key
    with pytest.raises(InstallCodeError, match="A digit is wrong"):
        parse_install_code(printed[:-1] + ("0" if printed[-1] != "0" else "1")).link_key()
