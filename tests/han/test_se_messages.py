from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtool.protocols.han import se


def test_load_control_event_golden_bytes():
    lce = se.LoadControlEvent(issuer_event_id=0x12345678, device_class=0x0001, enrollment_group=2,
                              start_time=0, duration_min=60, criticality=3)
    frame = se.encode(lce, seq=0x21)
    # frame control 0x09: cluster specific, server to client; seq; command 0x00
    assert frame.hex(" ").upper() == (
        "09 21 00 78 56 34 12 01 00 02 00 00 00 00 3C 00 03 FF FF 00 80 00 80 80 FF 00"
    )
    f, msg = se.decode(se.Cluster.DRLC, frame)
    assert msg == lce and f.seq == 0x21 and f.server_to_client


@pytest.mark.parametrize(
    "msg",
    [
        se.PublishPrice(1, "TOU peak", 77, 800_000_000, 0, 840, 4, 2, 3, 2, 0, 0xFFFF, 2350),
        se.PriceAcknowledgement(1, 77, 800_000_100),
        se.ReportEventStatus(0x12345678, se.EventStatus.RECEIVED, 800_000_010, 3, signature=bytes(range(42))),
        se.DisplayMessage(9, 0x80, 0, 30, "Peak event today 4-7 pm"),
        se.MessageConfirmation(9, 800_000_020),
    ],
)
def test_round_trip(msg):
    frame = se.encode(msg, seq=5)
    _, back = se.decode(msg.CLUSTER, frame)
    assert back == msg


def test_price_ack_required_and_event_status_words():
    p = se.PublishPrice(1, "R1", 1, 0, 0, 840, 2, 1, 1, 1, 0, 60, 1200, price_control=1)
    assert p.ack_required
    r = se.ReportEventStatus(1, 0xFE, 0, 1)
    assert r.status_text == "load control event rejected" and not r.acknowledged
    assert se.ReportEventStatus(1, 0x01, 0, 1).acknowledged
    assert "unknown" in se.ReportEventStatus(1, 0x55, 0, 1).status_text


def test_truncated_frames_are_refused_in_words():
    frame = se.encode(se.MessageConfirmation(9, 1), seq=1)
    with pytest.raises(se.HanProtocolError, match="Message Confirmation"):
        se.decode(se.Cluster.MESSAGING, frame[:-1])
    with pytest.raises(se.HanProtocolError, match="too short"):
        se.decode(se.Cluster.PRICE, b"\x01")


def test_out_of_range_values_are_refused():
    with pytest.raises(se.HanProtocolError, match="criticality"):
        se.LoadControlEvent(1, 1, 0, 0, 10, criticality=12)
    with pytest.raises(se.HanProtocolError, match="1440"):
        se.LoadControlEvent(1, 1, 0, 0, 2000, criticality=1)


def test_zigbee_time():
    t = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    assert se.from_zigbee_time(se.to_zigbee_time(t)) == t
    assert se.to_zigbee_time(se.ZIGBEE_EPOCH) == 0


@given(st.sampled_from(list(se.Cluster)), st.binary(max_size=80))
def test_garbage_raises_only_our_error(cluster, data):
    try:
        se.decode(cluster, data)
    except se.HanProtocolError:
        pass
