from datetime import UTC, datetime

from fieldtool.protocols.iec62056_21 import messages as m
from fieldtool.protocols.iec62056_21.framing import Framer
from firmware_sim.meter.iec_meter import IecMeter, IecMeterState, Send, SwitchBaud

NOW = datetime(2026, 11, 26, 9, 30, 5, tzinfo=UTC)


def _sent(outputs):
    return b"".join(o.data for o in outputs if isinstance(o, Send))


def test_readout_at_the_negotiated_baud():
    meter = IecMeter(IecMeterState(), now=lambda: NOW)
    ident = m.Identification.from_bytes(_sent(meter.feed(m.sign_on())))
    assert ident.max_baud == 9600
    out = meter.feed(m.option_select(9600))
    assert out[0] == SwitchBaud(9600)
    frames = Framer().feed(_sent(out))
    _, content = m.parse_block(frames[0])
    sets = {s.address: s for s in m.parse_data_block(content.decode())}
    assert sets["1.8.0"].unit == "kWh" and sets["0.9.1"].value == "093005" and sets["0.9.2"].value == "261126"


def test_programming_write_then_read_back():
    state = IecMeterState()
    meter = IecMeter(state)
    meter.feed(m.sign_on())
    out = meter.feed(m.option_select(9600, m.MODE_PROGRAMMING))
    assert m.parse_command(_sent(out)).command == "P"
    assert _sent(meter.feed(m.Command("P", "1", "(00000000)").to_bytes())) == bytes([m.ACK])
    assert _sent(meter.feed(m.Command("W", "1", "C.90.1(ISP-000123)").to_bytes())) == bytes([m.ACK])
    reply = _sent(meter.feed(m.Command("R", "1", "C.90.1()").to_bytes()))
    assert m.parse_answer(m.parse_block(reply)[1]) == "ISP-000123"
    assert state.registers["C.90.1"][0] == "ISP-000123"


def test_wrong_password_breaks_and_read_only_refused():
    meter = IecMeter(IecMeterState())
    meter.feed(m.sign_on())
    meter.feed(m.option_select(9600, m.MODE_PROGRAMMING))
    assert m.parse_command(_sent(meter.feed(m.Command("P", "1", "(99999999)").to_bytes()))).command == "B"
    meter.feed(m.sign_on())
    meter.feed(m.option_select(9600, m.MODE_PROGRAMMING))
    meter.feed(m.Command("P", "1", "(00000000)").to_bytes())
    reply = _sent(meter.feed(m.Command("W", "1", "1.8.0(0)").to_bytes()))
    try:
        m.parse_answer(m.parse_block(reply)[1])
        raise AssertionError("a write to the energy register must be refused")
    except m.IecProtocolError as e:
        assert "ERR04" in str(e)


def test_bcc_fault_is_recovered_by_nak():
    meter = IecMeter(IecMeterState(), bcc_errors=1)
    meter.feed(m.sign_on())
    bad = _sent(meter.feed(m.option_select(9600)))
    try:
        m.parse_block(bad)
        raise AssertionError("the first answer must carry a bad BCC")
    except m.IecProtocolError:
        pass
    good = _sent(meter.feed(bytes([m.NAK])))
    assert m.parse_block(good)[0] == "stx"


def test_other_address_and_silent_meter_do_not_answer():
    assert IecMeter(IecMeterState()).feed(m.sign_on("99999999")) == []
    assert IecMeter(IecMeterState(), silent=True).feed(m.sign_on()) == []
