"""The link layer: ACK/NAK, retransmission, duplicates, multi-packet both ways, resync, fuzzing."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtool.protocols.c1218.errors import ProtocolError
from fieldtool.protocols.c1218.framing import (
    ACK,
    NAK,
    BadPacket,
    FrameParser,
    Garbage,
    GotPacket,
    Packet,
    decode_packet,
)
from fieldtool.protocols.c1218.link import Link, LinkFailed, PacketsLost, PduReceived, PduSent, segment


def pump(a: Link, b: Link, rounds: int = 50):
    """Move bytes both ways until quiet; return the events each side saw."""
    ev_a, ev_b = [], []
    for _ in range(rounds):
        out_a, out_b = a.data_to_send(), b.data_to_send()
        if not out_a and not out_b:
            break
        ev_b += b.receive(out_a)
        ev_a += a.receive(out_b)
    return ev_a, ev_b


def test_single_packet_exchange_with_acks():
    tool, meter = Link(), Link()
    tool.send(b"\x20")
    ev_tool, ev_meter = pump(tool, meter)
    assert ev_meter == [PduReceived(b"\x20")]
    assert ev_tool == [PduSent()]


def test_multi_packet_both_ways():
    tool, meter = Link(packet_size=32, max_packets=10), Link(packet_size=40, max_packets=8)
    big = bytes(range(200))
    tool.send(big)
    ev_tool, ev_meter = pump(tool, meter)
    assert ev_meter == [PduReceived(big)] and PduSent() in ev_tool
    meter.send(big[::-1])
    ev_tool, ev_meter = pump(tool, meter)
    assert ev_tool == [PduReceived(big[::-1])] and ev_meter == [PduSent()]
    assert [p[3] for p in segment(big, 40)] == [6, 5, 4, 3, 2, 1, 0]
    assert [(p[1], p[2]) for p in segment(big, 40)][:2] == [(True, True), (True, False)]


def test_toggle_flips_per_new_packet_and_duplicate_is_acked_and_dropped():
    tool, meter = Link(), Link()
    tool.send(b"\x30\x00\x01")
    first = tool.data_to_send()
    assert meter.receive(first) == [PduReceived(b"\x30\x00\x01")]
    assert meter.data_to_send() == bytes([ACK])
    assert meter.receive(first) == []  # retransmission after a lost ACK
    assert meter.data_to_send() == bytes([ACK]) and meter.stats.duplicates == 1
    tool.receive(bytes([ACK]))
    tool.send(b"\x30\x00\x01")  # the same request again is new: other toggle
    second = tool.data_to_send()
    assert decode_packet(first).toggle != decode_packet(second).toggle
    assert meter.receive(second) == [PduReceived(b"\x30\x00\x01")]


def test_nak_causes_identical_retransmission_then_failure_after_three():
    tool = Link(retries=3)
    tool.send(b"\x21")
    original = tool.data_to_send()
    for _ in range(3):
        assert tool.receive(bytes([NAK])) == []
        assert tool.data_to_send() == original
    assert isinstance(tool.receive(bytes([NAK]))[0], LinkFailed)
    assert not tool.awaiting_ack


def test_ack_timeout_retransmits():
    tool = Link()
    tool.send(b"\x21")
    original = tool.data_to_send()
    assert tool.ack_timeout() == [] and tool.data_to_send() == original


def test_bad_crc_is_naked_and_garbage_skipped():
    meter = Link()
    frame = bytearray(Packet(b"\x20").encode())
    frame[-1] ^= 0xFF
    assert meter.receive(b"\x00\x11garbage" + bytes(frame)) == []
    assert meter.data_to_send() == bytes([NAK])
    # A stray 0xEE whose "length" swallows the real packet: the inter-character timeout frees it.
    assert meter.receive(b"\xee\xee\x01" + Packet(b"\x20", toggle=True).encode()) == []
    assert meter.interchar_timeout() == [PduReceived(b"\x20")]
    assert meter.stats.garbage_bytes > 0


def test_response_received_while_awaiting_ack_counts_as_ack():
    tool, meter = Link(), Link()
    tool.send(b"\x20")
    meter.receive(tool.data_to_send())
    meter.data_to_send()  # the ACK is lost on the way
    meter.send(b"\x00\x00\x01\x00\x00")
    events = tool.receive(meter.data_to_send())
    assert PduSent() in events and PduReceived(b"\x00\x00\x01\x00\x00") in events


def test_gap_in_sequence_is_reported():
    rx = Link()
    assert rx.receive(Packet(b"a", multi=True, first=True, seq=2).encode()) == []
    events = rx.receive(Packet(b"c", multi=True, seq=0, toggle=True).encode())
    assert len(events) == 1 and isinstance(events[0], PacketsLost)
    assert rx.data_to_send() == bytes([ACK, ACK])


def test_interchar_timeout_drops_partial_packet_and_naks():
    rx = Link()
    rx.receive(Packet(b"\x20").encode()[:5])
    assert rx.parser.in_packet
    rx.interchar_timeout()
    assert rx.data_to_send() == bytes([NAK]) and not rx.parser.in_packet


def test_implausible_length_resyncs():
    p = FrameParser(max_packet_size=64)
    ev = p.feed(b"\xee\x00\x00\x00\xff\xff" + Packet(b"\x21").encode())
    assert isinstance(ev[0], Garbage) and isinstance(ev[-1], GotPacket)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_fuzz_parser_random_bytes(data):
    p = FrameParser(max_packet_size=256)
    for ev in p.feed(data) + p.expire():
        assert isinstance(ev, GotPacket | BadPacket | Garbage) or type(ev).__name__ in ("GotAck", "GotNak")
    with contextlib.suppress(ProtocolError):
        decode_packet(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=120), st.integers(0, 200), st.integers(0, 255), st.binary(max_size=20))
def test_fuzz_mutated_frames(payload, pos, value, noise):
    frame = bytearray(Packet(payload).encode())
    frame[pos % len(frame)] = value
    rx = Link()
    events = rx.receive(noise + bytes(frame)) + rx.interchar_timeout()
    for ev in events:
        if isinstance(ev, PduReceived):
            # A mutation that still passes the CRC can only be the original (or noise that formed a frame).
            assert ev.pdu == payload or noise
