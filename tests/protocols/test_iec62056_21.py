import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtool.protocols.iec62056_21 import messages as m
from fieldtool.protocols.iec62056_21.framing import Framer


def test_sign_on_bytes():
    assert m.sign_on() == b"/?!\r\n"
    assert m.sign_on("12345678") == b"/?12345678!\r\n"
    with pytest.raises(m.IecProtocolError):
        m.sign_on("bad/address")


def test_identification_golden():
    ident = m.Identification.from_bytes(b"/ISk5\\2MT382-1000\r\n")
    assert (ident.manufacturer, ident.baud_char, ident.ident) == ("ISk", "5", "\\2MT382-1000")
    assert ident.max_baud == 9600 and ident.fast_reaction
    assert ident.to_bytes() == b"/ISk5\\2MT382-1000\r\n"
    with pytest.raises(m.IecProtocolError, match="baud character"):
        m.Identification.from_bytes(b"/ABC9METER\r\n")


def test_option_select_golden():
    assert m.option_select(9600).hex(" ") == "06 30 35 30 0d 0a"
    assert m.option_select(2400, m.MODE_PROGRAMMING) == b"\x06031\r\n"
    assert m.parse_option_select(b"\x06051\r\n") == (9600, "1")


def test_readout_golden_and_bcc():
    sets = [m.DataSet("1.8.0", "001234.5", "kWh"), m.DataSet("0.0.0", "12345678")]
    frame = m.readout_message(sets)
    assert frame == b"\x021.8.0(001234.5*kWh)\r\n0.0.0(12345678)\r\n!\r\n\x03E"
    kind, content = m.parse_block(frame)
    assert kind == "stx" and m.parse_data_block(content.decode()) == sets


def test_programming_commands_golden():
    assert m.Command("R", "1", "1.8.0()").to_bytes() == b"\x01R1\x021.8.0()\x03Z"
    assert m.Command("B", "0").to_bytes() == b"\x01B0\x03q"
    assert m.parse_command(b"\x01R1\x021.8.0()\x03Z") == m.Command("R", "1", "1.8.0()")


def test_wrong_bcc_and_meter_errors_are_clear():
    with pytest.raises(m.IecProtocolError, match="block check"):
        m.parse_block(b"\x01R1\x021.8.0()\x03Y")
    with pytest.raises(m.IecProtocolError, match="ERR05"):
        m.parse_answer(b"(ERR05)")
    assert m.parse_answer(b"(001234.5*kWh)") == "001234.5*kWh"


def test_several_sets_on_one_line_share_the_address():
    sets = m.parse_data_block("1.6.0(00.512*kW)(2311261530)\r\n!\r\n")
    assert [s.address for s in sets] == ["1.6.0", "1.6.0"] and sets[1].value == "2311261530"


def test_framer_splits_noise_and_messages():
    f = Framer()
    stream = b"\x00\xffnoise/ISk5MT382\r\n\x06" + m.readout_message([m.DataSet("1.8.0", "1", "kWh")])
    out = f.feed(stream[:7]) + f.feed(stream[7:20]) + f.feed(stream[20:])
    assert out[0] == b"/ISk5MT382\r\n" and out[1] == b"\x06" and out[2][0] == m.STX
    assert f.dropped == 7


@given(st.binary(max_size=200))
def test_garbage_raises_only_our_error(data):
    f = Framer()
    try:
        for frame in f.feed(data):
            if frame[:1] == b"/":
                m.Identification.from_bytes(frame)
            elif frame[0] in (m.SOH, m.STX):
                kind, content = m.parse_block(frame)
                if kind == "stx":
                    m.parse_data_block(content.decode("ascii", "replace"))
    except m.IecProtocolError:
        pass
