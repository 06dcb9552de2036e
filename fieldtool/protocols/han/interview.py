"""The interview of a HAN device: ZDO Node and Simple Descriptor responses → what the device is and can do.

Node_Desc_rsp (cluster 0x8002) tells the logical type and whether the receiver stays on when idle (a
sleepy device does not); Simple_Desc_rsp (0x8004) per endpoint tells the profile (0x0109 = Smart Energy),
the device id, the input clusters (servers) and output clusters (clients). A device takes part in a
program through its *client* clusters: DRLC for load control, Price for prices, Messaging for messages.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from fieldtool.protocols.han.se import PROFILE_SE, Cluster, DeviceType, HanProtocolError

LOGICAL_TYPES = {0: "coordinator", 1: "router", 2: "end device"}
STATUS_SUCCESS = 0x00


@dataclass(frozen=True)
class NodeDescriptor:
    logical_type: str
    manufacturer_code: int
    rx_on_when_idle: bool

    @property
    def sleepy(self) -> bool:
        return not self.rx_on_when_idle


@dataclass(frozen=True)
class SimpleDescriptor:
    endpoint: int
    profile: int
    device_id: int
    server_clusters: tuple[int, ...]
    client_clusters: tuple[int, ...]


def _check_status(data: bytes, what: str) -> None:
    if len(data) < 4:
        raise HanProtocolError(f"{what} of {len(data)} bytes is too short")
    if data[1] != STATUS_SUCCESS:
        raise HanProtocolError(f"{what} reports ZDO status 0x{data[1]:02X} (the device did not answer the request)")


def parse_node_desc_rsp(data: bytes) -> NodeDescriptor:
    _check_status(data, "Node_Desc_rsp")
    if len(data) < 4 + 13:
        raise HanProtocolError("Node_Desc_rsp is too short for a node descriptor (13 bytes)")
    d = data[4:]
    logical = d[0] & 0x07
    if logical not in LOGICAL_TYPES:
        raise HanProtocolError(f"logical type {logical} is reserved")
    mac_capability = d[2]
    return NodeDescriptor(LOGICAL_TYPES[logical], struct.unpack_from("<H", d, 3)[0], bool(mac_capability & 0x08))


def parse_simple_desc_rsp(data: bytes) -> SimpleDescriptor:
    _check_status(data, "Simple_Desc_rsp")
    if len(data) < 5:
        raise HanProtocolError("Simple_Desc_rsp has no descriptor length")
    length, d = data[4], data[5:]
    if len(d) < length or length < 8:
        raise HanProtocolError(f"Simple_Desc_rsp says {length} bytes but carries {len(d)}")
    endpoint, profile, device_id, _version, n_in = struct.unpack_from("<BHHBB", d, 0)
    i = 7
    if i + 2 * n_in + 1 > length:
        raise HanProtocolError("Simple_Desc_rsp: the server cluster list runs past the descriptor")
    inputs = struct.unpack_from(f"<{n_in}H", d, i)
    i += 2 * n_in
    n_out = d[i]
    i += 1
    if i + 2 * n_out > length:
        raise HanProtocolError("Simple_Desc_rsp: the client cluster list runs past the descriptor")
    outputs = struct.unpack_from(f"<{n_out}H", d, i)
    return SimpleDescriptor(endpoint, profile, device_id, tuple(inputs), tuple(outputs))


def node_desc_rsp(seq: int, nwk: int, node: NodeDescriptor) -> bytes:
    """Encode (the simulated devices answer with it)."""
    logical = {v: k for k, v in LOGICAL_TYPES.items()}[node.logical_type]
    mac = 0x08 if node.rx_on_when_idle else 0x00
    desc = bytes([logical, 0x40, mac]) + struct.pack("<HBHHHB", node.manufacturer_code, 0x52, 0x80, 0, 0x80, 0)
    return bytes([seq, STATUS_SUCCESS]) + struct.pack("<H", nwk) + desc


def simple_desc_rsp(seq: int, nwk: int, sd: SimpleDescriptor) -> bytes:
    body = struct.pack("<BHHBB", sd.endpoint, sd.profile, sd.device_id, 0, len(sd.server_clusters))
    body += struct.pack(f"<{len(sd.server_clusters)}H", *sd.server_clusters)
    body += bytes([len(sd.client_clusters)]) + struct.pack(f"<{len(sd.client_clusters)}H", *sd.client_clusters)
    return bytes([seq, STATUS_SUCCESS]) + struct.pack("<H", nwk) + bytes([len(body)]) + body


PROGRAM_CLUSTERS = {"load_control": Cluster.DRLC, "price": Cluster.PRICE, "messaging": Cluster.MESSAGING}


@dataclass(frozen=True)
class InterviewResult:
    node: NodeDescriptor
    endpoints: tuple[SimpleDescriptor, ...]

    @property
    def smart_energy(self) -> bool:
        return any(e.profile == PROFILE_SE for e in self.endpoints)

    @property
    def device_type(self) -> str:
        for e in self.endpoints:
            if e.profile == PROFILE_SE:
                try:
                    return DeviceType(e.device_id).name.lower()
                except ValueError:
                    return f"0x{e.device_id:04X}"
        return "not smart energy"

    @property
    def client_clusters(self) -> set[int]:
        return {c for e in self.endpoints if e.profile == PROFILE_SE for c in e.client_clusters}

    @property
    def server_clusters(self) -> set[int]:
        return {c for e in self.endpoints if e.profile == PROFILE_SE for c in e.server_clusters}

    def supports(self, program: str) -> bool:
        """Can the device take part in a program of this kind (load_control, price, messaging)?"""
        return self.smart_energy and PROGRAM_CLUSTERS[program] in self.client_clusters
