"""The service (disconnect) switch: manufacturer procedure and switch-status table (golden bytes, round trips),
then MeterLink against the simulated meters over socket:// (open, read back, close, read back, stuck relay,
a meter without a switch, the state kept in the state file, the IEC meter refusing in words)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtool.devices import meter_api as api
from fieldtool.domain.errors import InputError, UserFacingError
from fieldtool.protocols.c1219 import mfg
from fieldtool.protocols.c1219 import procedures as sp
from fieldtool.protocols.c1219.datatypes import Format
from tests.optical.conftest import SCALE

LSB = Format(data_order=0, tm_format=2)
MSB = Format(data_order=1, tm_format=1, id_form=1, char_format=2)
T = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_switch_procedure_golden_st7_body():
    req = mfg.switch_procedure("open", 0x2A)
    assert req.encode(LSB).hex() == "02082a00"  # MP 2 with the manufacturer bit, seq, action 0 open
    assert mfg.switch_procedure("close", 0x2B).encode(MSB).hex() == "08022b01"
    assert mfg.switch_procedure("arm", 1).params == b"\x02"
    back = sp.ProcedureInitiate.decode(req.encode(LSB), LSB)
    assert back == req and back.mfg and mfg.parse_switch_procedure(back.params) == "open"
    assert mfg.parse_switch_procedure(b"") is None and mfg.parse_switch_procedure(b"\x09") is None
    with pytest.raises(ValueError):
        mfg.switch_procedure("toggle", 1)


def test_switch_procedure_not_supported_is_said_in_words():
    resp = sp.ProcedureResponse.decode(sp.ProcedureResponse(mfg.MP_SERVICE_SWITCH, True, 3, 6).encode(LSB), LSB)
    assert resp.answers(mfg.switch_procedure("open", 3))
    with pytest.raises(sp.ProcedureFailed) as e:
        resp.check()
    assert e.value.result == 6 and "manufacturer procedure 2" in str(e.value) and "unrecognized" in str(e.value)


def test_switch_status_golden_and_round_trip():
    values = {"state": 1, "last_operation": 1, "result": 2, "load_voltage": 0, "operations": 7,
              "last_operation_at": T}  # fmt: skip
    raw = mfg.encode("switch_status", values, LSB)
    assert raw.hex() == "0101020007000000" + "190102030405"
    assert mfg.decode("switch_status", raw, LSB) == values
    msb = mfg.encode("switch_status", values, MSB)
    assert msb[4:8] == b"\x00\x00\x00\x07" and mfg.decode("switch_status", msb, MSB) == values
    never = mfg.decode("switch_status", mfg.encode("switch_status", {"state": 0}, LSB), LSB)
    assert never["last_operation_at"] is None and mfg.SWITCH_STATES[never["state"]] == "closed"


@given(st.binary(max_size=40))
def test_switch_status_from_random_bytes_raises_only_our_error(raw):
    from fieldtool.protocols.c1218.errors import ProtocolError

    try:
        mfg.decode("switch_status", raw, LSB)
    except ProtocolError:
        pass


def test_vendor_maps_place_the_switch_table():
    assert mfg.mfg_map("ACME").table_id("switch_status") == 2048 + 13
    assert mfg.mfg_map("BORX").table_id("switch_status") == 2048 + 77
    assert mfg.mfg_map("CIRR").table_id("switch_status") is None  # the CT meter has no switch


@pytest.mark.parametrize("profile", ["acme-r1", "borealis-rx"])
def test_open_read_back_close_read_back(meter, link, profile):
    srv, url = meter(profile)
    lk = link(url)
    assert lk.switch_state().state == "closed"
    started = time.monotonic()
    opened = lk.switch("open")
    # the relay takes the profile's settle time (scaled) to move, and the tool waits for it
    assert time.monotonic() - started >= srv.profile.switch_settle_s * SCALE
    assert (opened.state, opened.last_operation, opened.result, opened.load_voltage) == ("open", "open",
                                                                                         "succeeded", False)
    assert lk.switch_state() == opened
    closed = lk.switch("closed")
    assert (closed.state, closed.result, closed.load_voltage, closed.operations) == ("closed", "succeeded", True,
                                                                                     opened.operations + 1)
    assert lk.switch_state().state == "closed"
    armed = lk.switch("armed")
    assert armed.state == "armed" and not armed.load_voltage
    with srv.shared.lock:  # the switch is touched under the meter's lock, as the responder does
        srv.tables.switch.press_button(time.time())  # the customer restores the supply at the meter
    assert lk.switch_state().state == "closed"
    assert [e.text for e in lk.event_log()].count("switch_operated") == 3  # each operation is in the event log


def test_stuck_relay_fails_in_words(meter, link):
    _, url = meter("acme-r1", faults={"switch-stuck": 1})
    lk = link(url)
    with pytest.raises(api.SwitchFailed) as e:
        lk.switch("open")
    assert "did not open" in str(e.value) and "stuck closed" in str(e.value) and "voltage is still present" in str(
        e.value)
    status = lk.switch_state()
    assert (status.state, status.last_operation, status.result, status.load_voltage) == ("closed", "open", "stuck",
                                                                                         True)


def test_ct_meter_has_no_switch(meter, link):
    _, url = meter("cirrus-ct")
    lk = link(url)
    with pytest.raises(api.SwitchNotSupported) as e:
        lk.switch("open")
    assert "has no service switch" in str(e.value) and "service-switch procedure" in str(e.value)
    with pytest.raises(api.SwitchNotSupported):
        lk.switch_state()
    assert lk.identify().manufacturer == "CIRR"  # the session goes on after the refusal


def test_switch_command_refused_without_clearance(meter, link):
    _, url = meter("acme-r1")
    lk = link(url, password=None)  # no security service: the meter refuses the ST7 write (isc)
    with pytest.raises(UserFacingError):
        lk.switch("open")


def test_switch_position_survives_a_restart(meter, link, tmp_path):
    state = tmp_path / "meter.json"
    srv, url = meter("borealis-rx", state=state)
    lk = link(url)
    lk.switch("open")
    lk.close()
    srv.stop()
    _, url2 = meter("borealis-rx", state=state)
    status = link(url2).switch_state()
    assert (status.state, status.operations) == ("open", 1)


def test_iec_meter_refuses_in_words(meter, link):
    _, url = meter("ftk-iec3p")
    lk = link(url)
    with pytest.raises(api.SwitchNotSupported) as e:
        lk.switch("open")
    assert "iec62056-21 meter has no service switch" in str(e.value)
    with pytest.raises(InputError):
        lk.switch("half-open")
