import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtool.protocols.han import interview as iv
from fieldtool.protocols.han.se import PROFILE_SE, Cluster, DeviceType, HanProtocolError

PCT = iv.SimpleDescriptor(1, PROFILE_SE, DeviceType.PCT, (0x0000, 0x0003, 0x0800),
                          (Cluster.PRICE, Cluster.DRLC, Cluster.MESSAGING, Cluster.TIME))
DOOR = iv.SimpleDescriptor(1, 0x0104, 0x0402, (0x0000, 0x0500), ())


def test_pct_interview_round_trip():
    node = iv.parse_node_desc_rsp(iv.node_desc_rsp(1, 0x1A2B, iv.NodeDescriptor("router", 0x1234, True)))
    sd = iv.parse_simple_desc_rsp(iv.simple_desc_rsp(2, 0x1A2B, PCT))
    assert sd == PCT and node.manufacturer_code == 0x1234 and not node.sleepy
    result = iv.InterviewResult(node, (sd,))
    assert result.smart_energy and result.device_type == "pct"
    assert result.supports("load_control") and result.supports("price")


def test_door_sensor_is_not_smart_energy():
    node = iv.NodeDescriptor("end device", 0x4444, False)
    result = iv.InterviewResult(node, (DOOR,))
    assert not result.smart_energy and node.sleepy
    assert not result.supports("load_control")
    assert result.device_type == "not smart energy"


def test_failed_status_and_short_frames_are_refused():
    with pytest.raises(HanProtocolError, match="status 0x81"):
        iv.parse_node_desc_rsp(bytes([1, 0x81, 0, 0]))
    with pytest.raises(HanProtocolError):
        iv.parse_simple_desc_rsp(iv.simple_desc_rsp(2, 1, PCT)[:-3])


@given(st.binary(max_size=64))
def test_garbage_raises_only_our_error(data):
    for parse in (iv.parse_node_desc_rsp, iv.parse_simple_desc_rsp):
        try:
            parse(data)
        except HanProtocolError:
            pass
