"""Golden vectors of ansi-c12.md §1.2/§2.1, every request both ways, every response code."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtool.protocols.c1218 import services as sv
from fieldtool.protocols.c1218.crc import crc16, crc_bytes, table_checksum
from fieldtool.protocols.c1218.errors import RESPONSE_CODES, ProtocolError, ResponseError
from fieldtool.protocols.c1218.framing import Packet, decode_packet

CRC_VECTORS = [
    ("313233343536373839", 0x906E),
    ("EE00000000 0120", 0x1013),
    ("EE00200000 0120", 0x7082),
    ("EE00000000 0121", 0x019A),
    ("EE00000000 0330 0001", 0x0D55),
    ("EE00000000 0100", 0x3111),
    ("EE00000000 0500 000100 00", 0xB5C6),
    ("", 0x0000),
]


@pytest.mark.parametrize("hexin,value", CRC_VECTORS)
def test_crc_golden(hexin, value):
    data = bytes.fromhex(hexin.replace(" ", ""))
    assert crc16(data) == value
    assert crc_bytes(data) == value.to_bytes(2, "little")


@pytest.mark.parametrize(
    "hexin,cks", [("", 0x00), ("010203", 0xFA), ("414243", 0x3A), ("47452020", 0x34), ("FFFF", 0x02),
                  ("4142434445464748", 0xDC)]  # fmt: skip
)
def test_table_checksum_golden(hexin, cks):
    assert table_checksum(bytes.fromhex(hexin)) == cks


FRAMES = [
    (sv.Identify(), "ee0000000001201310"),
    (sv.Negotiate(512, 2, (9600,)), "ee000000000561020002061d2a"),
    (sv.Logon(2, "0000"), "ee000000000d50000230303030202020202020549e"),
    (sv.Security(b"secret" + bytes(14)), "ee000000001551736563726574" + "00" * 14 + "0259"),
    (sv.Read(1), "ee0000000003300001550d"),
    (sv.Read(6, offset=40, count=20), "ee00000000083f000600002800143c80"),
    (sv.Write(6, b"ABC"), "ee000000000940000600034142433a7591"),
    (sv.Write(6, b"ABC", offset=40), "ee000000000c4f000600002800034142433ac19b"),
    (sv.Wait(10), "ee0000000002700abb41"),
    (sv.Logoff(), "ee0000000001528640"),
    (sv.Terminate(), "ee0000000001219a01"),
]


@pytest.mark.parametrize("req,frame", FRAMES)
def test_request_frames_golden_and_round_trip(req, frame):
    built = Packet(sv.encode_request(req)).encode()
    assert built.hex() == frame
    assert sv.decode_request(decode_packet(built).data) == req


def test_index_read_and_write_round_trip():
    for req in (sv.Read(23, index=(1, 2), count=8), sv.Write(6, b"XY", index=(3,)), sv.Negotiate(64, 1, ()),
                sv.Negotiate(1024, 4, (115200, 57600, 9600))):  # fmt: skip
        pdu = sv.encode_request(req)
        assert sv.decode_request(pdu) == req
    assert sv.encode_request(sv.Read(23, index=(1, 2), count=8))[0] == 0x32
    assert sv.encode_request(sv.Negotiate(1024, 4, (115200, 57600, 9600)))[0] == 0x63


def test_identify_response_golden_and_features():
    assert Packet(sv.identify_response()).encode()[:-2].hex() == "ee00000000050000010000"
    pdu = sv.identify_response(2, 0, [(0x07, b"\x04ACME"), (0x06, b"\x01\x02\xab\xcd"), (0x01, b"\x00\x01")])
    got = sv.parse_identify(sv.check(pdu, "identify"))
    assert (got.standard, got.version, got.revision) == ("C12.18", 2, 0)
    assert got.features == [(0x07, b"\x04ACME"), (0x06, b"\x01\x02\xab\xcd"), (0x01, b"\x00\x01")]
    with pytest.raises(ProtocolError):
        sv.parse_identify(b"\x00\x01")
    with pytest.raises(ProtocolError):
        sv.parse_identify(b"\x00\x01\x00\x07\x09AB")


def test_negotiate_response_with_and_without_baud():
    assert sv.parse_negotiate(sv.check(sv.negotiate_response(256, 2, 19200), "negotiate")) == sv.NegotiateResult(256, 2, 19200)
    assert sv.parse_negotiate(b"\x00\x40\x01").baud is None


def test_read_response_checksum_checked():
    assert sv.parse_read(sv.check(sv.read_response(b"ABC"), "read"), 6) == b"ABC"
    bad = bytearray(sv.read_response(b"ABC"))
    bad[-1] ^= 1
    with pytest.raises(ProtocolError, match="checksum"):
        sv.parse_read(sv.check(bytes(bad), "read"), 6)
    with pytest.raises(ProtocolError):
        sv.decode_request(sv.encode_request(sv.Write(6, b"ABC"))[:-1] + b"\x00")


@pytest.mark.parametrize("code", sorted(set(RESPONSE_CODES) - {0}))
def test_every_response_code_is_an_actionable_error(code):
    with pytest.raises(ResponseError) as e:
        sv.check(bytes([code]), "read", table=6)
    assert e.value.code == code
    assert e.value.retryable == (code in (6, 7))
    text = str(e.value)
    assert "ST6" in text and e.value.hint
    assert RESPONSE_CODES[code] in text or code == 3


def test_isc_on_security_names_the_user():
    with pytest.raises(ResponseError, match="refused the password for user 2"):
        sv.check(b"\x03", "security", user_id=2)
    with pytest.raises(ResponseError, match="unknown response code 0x1F"):
        sv.check(b"\x1f", "logon")


def test_malformed_requests_raise_protocol_error():
    for pdu in (b"", b"\x99", b"\x50\x00", b"\x3f\x00\x06", b"\x70", b"\x61\x00"):
        with pytest.raises(ProtocolError):
            sv.decode_request(pdu)


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=64))
def test_fuzz_request_and_response_parsers(pdu):
    for fn in (sv.decode_request, sv.parse_identify, sv.parse_negotiate, lambda b: sv.parse_read(b, 6),
               lambda b: sv.check(b, "read")):  # fmt: skip
        with contextlib.suppress(ProtocolError):
            fn(pdu)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_fuzz_simulated_meter_answers_any_pdu(pdu):
    from firmware_sim.meter import profiles
    from firmware_sim.meter.behaviour import Behaviour
    from firmware_sim.meter.faults import Faults
    from firmware_sim.meter.responder import Responder
    from firmware_sim.meter.state import SharedState
    from firmware_sim.meter.tables import MeterTables

    r = Responder(MeterTables(SharedState(profiles.get("acme-r1"), None), Behaviour()), Faults())
    r.state, r.level = r.state.__class__("secured"), 3
    out = r.handle(pdu)
    assert out and out[0] in range(0x0B)
