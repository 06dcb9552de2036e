"""The AT reply parser against real modem output shapes, and against garbage."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtool.domain.errors import InputError
from fieldtool.protocols.at import AtError, AtProtocolError, AtSession, CommandDone, Urc
from fieldtool.protocols.at import ts27007 as ts


def run(command: str, *chunks: bytes) -> list:
    s = AtSession()
    assert s.command(command) == command.encode() + b"\r"
    events = []
    for c in chunks:
        s.receive_data(c)
        while (e := s.next_event()) is not None:
            events.append(e)
    return events


def test_echo_then_response_then_ok():
    # ATE1 (power-on default): the command comes back first, then CR LF framed lines (V.250 §5.7.1)
    ev = run("AT+CSQ", b"AT+CSQ\r\r\n+CSQ: 21,99\r\n\r\nOK\r\n")
    assert ev == [CommandDone("AT+CSQ", ("+CSQ: 21,99",))]


def test_echo_off_and_split_at_every_byte():
    data = b"\r\n+CESQ: 99,99,255,255,20,45\r\n\r\nOK\r\n"
    ev = run("AT+CESQ", *[data[i:i + 1] for i in range(len(data))])
    assert ev == [CommandDone("AT+CESQ", ("+CESQ: 99,99,255,255,20,45",))]


def test_urc_between_response_and_ok_is_not_part_of_the_response():
    ev = run("AT+COPS?", b'\r\n+COPS: 0,0,"Northwind Mobile",7\r\n\r\n+CEREG: 1,"1A2B","01A2D103",7\r\n\r\nOK\r\n')
    assert ev == [Urc('+CEREG: 1,"1A2B","01A2D103",7'), CommandDone("AT+COPS?", ('+COPS: 0,0,"Northwind Mobile",7',))]


def test_registration_read_response_vs_urc_with_the_same_prefix():
    # +CREG: <n>,<stat>,... answers AT+CREG?; +CREG: <stat>,"lac",... is the URC (27.007 §7.2)
    ev = run("AT+CREG?", b'\r\n+CREG: 5,"00C3","0010AA",0\r\n\r\n+CREG: 2,1,"00C3","0010AA",0\r\n\r\nOK\r\n')
    assert isinstance(ev[0], Urc) and ev[0].line.startswith("+CREG: 5")
    assert ev[1].lines == ('+CREG: 2,1,"00C3","0010AA",0',)


def test_urc_with_no_command_pending_and_ring():
    s = AtSession()
    s.receive_data(b"\r\nRING\r\n\r\n+CMTI: \"SM\",3\r\n")
    assert [s.next_event(), s.next_event(), s.next_event()] == [Urc("RING"), Urc('+CMTI: "SM",3'), None]


@pytest.mark.parametrize(
    ("reply", "kind", "code", "text"),
    [
        (b"\r\nERROR\r\n", "ERROR", None, "error"),
        (b"\r\n+CME ERROR: 10\r\n", "CME", 10, "SIM not inserted"),
        (b"\r\n+CME ERROR: SIM PIN required\r\n", "CME", 11, "SIM PIN required"),
        (b"\r\n+CME ERROR: 30\r\n", "CME", 30, "no network service"),
        (b"\r\n+CME ERROR: vendor private failure\r\n", "CME", None, "vendor private failure"),
        (b"\r\n+CMS ERROR: 500\r\n", "CMS", 500, "error 500"),
        (b"\r\nNO CARRIER\r\n", "NO CARRIER", None, "no carrier"),
    ],
)
def test_error_result_codes(reply, kind, code, text):
    (ev,) = run("AT+CPIN?", reply)
    assert isinstance(ev, AtError)
    assert (ev.kind, ev.code, ev.text) == (kind, code, text)
    assert "AT+CPIN?" in ev.describe()


def test_plain_text_information_response():
    ev = run("AT+CGMI", b"AT+CGMI\r\r\nQuectel\r\n\r\nOK\r\n")
    assert ev == [CommandDone("AT+CGMI", ("Quectel",))]


def test_late_lines_after_abandon_are_unsolicited():
    s = AtSession()
    s.command("AT+COPS?")
    s.abandon()
    s.receive_data(b"\r\nOK\r\n")
    assert s.next_event() == Urc("OK")


def test_command_refuses_bad_lines_and_a_second_pending():
    s = AtSession()
    with pytest.raises(ValueError):
        s.command("CSQ")
    s.command("AT")
    with pytest.raises(RuntimeError):
        s.command("AT")


def test_noise_without_line_end_and_control_bytes_are_our_error():
    s = AtSession()
    with pytest.raises(AtProtocolError):
        s.receive_data(b"\xff" * 3000)
    s.receive_data(b"\r\nOK\r\n")  # still usable afterwards
    with pytest.raises(AtProtocolError):
        s.receive_data(b"\x01\x02\x03\r\n")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=80), max_size=12), st.sampled_from(["AT+CSQ", "AT+CREG?", "ATI", "AT"]))
def test_garbage_raises_only_our_error(chunks, command):
    s = AtSession()
    s.command(command)
    for c in chunks:
        try:
            s.receive_data(c)
        except AtProtocolError:
            pass
        while s.next_event() is not None:
            pass


# -- 27.007 value decoders -----------------------------------------------------------------------------

@pytest.mark.parametrize(("line", "dbm"), [("+CSQ: 0,99", -113), ("+CSQ: 1,0", -111), ("+CSQ: 21,99", -71),
                                           ("+CSQ: 31,7", -51), ("+CSQ: 99,99", None)])
def test_csq(line, dbm):
    assert ts.parse_csq([line]).rssi_dbm == dbm


def test_cesq_lte_and_gsm():
    lte = ts.parse_cesq(["+CESQ: 99,99,255,255,20,45"])
    assert (lte.rxlev_dbm, lte.rscp_dbm, lte.rsrq_db, lte.rsrp_dbm) == (None, None, -10.0, -96)
    gsm = ts.parse_cesq(["+CESQ: 40,0,255,255,255,255"])
    assert (gsm.rxlev_dbm, gsm.ber_class, gsm.rsrp_dbm) == (-71, 0, None)
    assert ts.parse_cesq(["+CESQ: 99,99,255,255,34,97"]).rsrp_dbm == -44


def test_registration_read_and_urc_forms():
    r = ts.parse_registration('+CEREG: 2,1,"1A2B","01A2D103",7')
    assert (r.command, r.stat, r.area, r.cell_id, r.act, r.registered) == ("CEREG", 1, "1A2B", "01A2D103", 7, True)
    assert r.words == "registered, home network" and r.access_technology == "E-UTRAN"
    u = ts.parse_registration("+CREG: 3", unsolicited=True)
    assert (u.stat, u.registered, u.words) == (3, False, "registration denied")
    assert ts.parse_registration("+CGREG: 0,5").words == "registered, roaming"


def test_cops_cgatt_cclk():
    op = ts.parse_cops(['+COPS: 0,0,"Northwind Mobile",7'])
    assert (op.mode, op.name, op.act) == (0, "Northwind Mobile", 7)
    assert ts.parse_cops(["+COPS: 0"]).name is None
    assert ts.parse_cgatt(["+CGATT: 1"]) is True and ts.parse_cgatt(["+CGATT: 0"]) is False
    # zone -20 quarters = UTC-5: 01:30 local is 06:30 UTC
    assert ts.parse_cclk(['+CCLK: "26/11/26,01:30:00-20"']) == datetime(2026, 11, 26, 6, 30, tzinfo=UTC)


@pytest.mark.parametrize("bad", [["+CSQ: 32,99"], ["+CSQ: 21"], ["+CSQ: x,99"], ["OK"], ["+CESQ: 1,2,3"],
                                 ['+CCLK: "26/13/40,99:00:00+00"']])
def test_decoders_refuse_wrong_shapes_in_words(bad):
    parser = {"+CSQ": ts.parse_csq, "+CES": ts.parse_cesq, "+CCL": ts.parse_cclk, "OK": ts.parse_csq}[bad[0][:4]]
    with pytest.raises(InputError):
        parser(bad)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_decoders_on_random_text_raise_only_input_error(text):
    for parse in (ts.parse_csq, ts.parse_cesq, ts.parse_cops, ts.parse_cgatt, ts.parse_cclk):
        for line in (text, "+CSQ: " + text, "+CESQ: " + text, "+COPS: " + text, "+CGATT: " + text, "+CCLK: " + text):
            try:
                parse([line])
            except InputError:
                pass
    for line in ("+CREG: " + text, "+CEREG: " + text, text):
        try:
            ts.parse_registration(line)
        except InputError:
            pass
