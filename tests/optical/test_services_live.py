"""Every C12.18 service against the simulated meter over a real socket, multi-packet both ways."""

from __future__ import annotations

import pytest

from fieldtool.clock import Clock
from fieldtool.devices.c1218_client import C1218Client
from fieldtool.devices.ports import close_port, open_port
from fieldtool.devices.transcript import Transcript
from fieldtool.protocols.c1218 import services as sv
from fieldtool.protocols.c1218.errors import ResponseError
from fieldtool.protocols.c1219 import mfg

from .conftest import MASTER, SETTINGS


@pytest.fixture
def client(meter):
    ports = []

    def make(profile="acme-r1", **kw):
        _, url = meter(profile, **kw)
        port = open_port(url)
        ports.append(port)
        clock = Clock()
        return C1218Client(port, clock=clock, timeouts=SETTINGS.timeouts, retry=SETTINGS.retry,
                           transcript=Transcript(clock))  # fmt: skip

    yield make
    for p in ports:
        close_port(p)


def test_full_service_sequence(client):
    c = client("acme-r1")
    ident = c.identify()
    assert ident.standard == "C12.18" and ident.features == [(0x07, b"\x05R1-2S")]
    with pytest.raises(ResponseError, match="isss"):
        c.request(sv.Read(1), table=1)  # before Logon
    neg = c.negotiate(80, 8, (19200, 9600))
    assert (neg.packet_size, neg.nbr_packet, neg.baud) == (80, 4, 19200)
    c.logon(2, "TEST")
    with pytest.raises(ResponseError, match="insufficient security clearance"):
        c.request(sv.Read(6), table=6)  # no Security yet
    c.security(MASTER)
    c.wait(5)
    st6 = sv.parse_read(c.request(sv.Read(6), table=6), 6)  # 234-byte response: 4 packets of 80
    assert len(st6) == 230 and c.link.stats.packets_received >= 4
    part = sv.parse_read(c.request(sv.Read(6, offset=40, count=20), table=6), 6)
    assert part == st6[40:60]
    with pytest.raises(ResponseError, match="iar"):
        c.request(sv.Read(6, index=(1,), count=2), table=6)
    table = 2048 + mfg.MFG_MAPS["ACME"].tables["install_record"]
    rec = {"service_point_id": "X" * 20, "work_order_id": "W" * 20, "removed_meter_id": "R" * 20,
           "installer_id": "I" * 12, "customer_id": "C" * 20}  # fmt: skip
    image = mfg.encode("install_record", rec, _fmt())
    assert len(image) > 72  # a multi-packet request
    c.request(sv.Write(table, image), table=table)
    assert sv.parse_read(c.request(sv.Read(table), table=table), table) == image
    c.request(sv.Write(6, b"ABC", offset=40), table=6)
    assert sv.parse_read(c.request(sv.Read(6, offset=40, count=3), table=6), 6) == b"ABC"
    with pytest.raises(ResponseError, match="onp"):
        c.request(sv.Write(1, b"\x00" * 32), table=1)  # ST1 is read-only
    with pytest.raises(ResponseError, match="sns"):
        c.request(sv.Read(99), table=99)
    c.end()
    assert c.state.value == "base"


def _fmt():
    from firmware_sim.meter.profiles import get

    return get("acme-r1").config.format


def test_offset_only_meter_refuses_index_reads_and_small_packets_fall_back(client):
    c = client("borealis-rx")
    c.identify()
    c.negotiate(64, 1, ())
    c.logon(2, "T")
    c.security(MASTER)
    with pytest.raises(ResponseError, match="sns"):
        c.request(sv.Read(6, index=(1,), count=2), table=6)
    with pytest.raises(ResponseError, match="onp"):
        c.request(sv.Read(6), table=6)  # 184 bytes do not fit one 64-byte packet
    assert c.negotiated.baud is None


def test_terminate_from_any_state_and_reidentify(client):
    c = client("cirrus-ct")
    c.identify()
    c.request(sv.Terminate())
    c.identify()
    c.logon(2, "T")
    c.request(sv.Logoff())
    with pytest.raises(ResponseError, match="isss"):
        c.request(sv.Read(0), table=0)
