"""Simulated HAN devices: what a thermostat, an in-home display, a load-control switch, a sleepy device and a
non-Smart-Energy door sensor do when an ESI talks to them.

Each device has its own install code (the link key derives from it with our AES-MMO), a position (LQI and
RSSI fall with distance, so range depends on where it sits), a node and simple descriptor for the
interview, and answers Smart Energy messages with the real ZCL bytes — or fails to, as real ones do:
out of range, asleep, incompatible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from fieldtool.protocols.han import interview as iv
from fieldtool.protocols.han import se
from fieldtool.protocols.han.install_code import crc16_x25
from fieldtool.protocols.han.mmo import aes_mmo_hash
from fieldtool.protocols.han.se import PROFILE_SE, Cluster, DeviceType

# Path loss model for 2.4 GHz indoors: RSSI at 1 m and the loss exponent (walls).
RSSI_AT_1M = -40.0
PATH_LOSS_EXPONENT = 3.0
SENSITIVITY_DBM = -95.0


def with_crc(code: bytes) -> bytes:
    return code + crc16_x25(code).to_bytes(2, "little")


@dataclass
class SimDevice:
    """One device on the customer's premises."""

    eui64: str
    kind: str  # thermostat, in_home_display, load_control, sleepy_ihd, door_sensor
    install_code: bytes  # code + CRC, as printed on the label
    distance_m: float = 5.0
    descriptor: iv.SimpleDescriptor | None = None
    node: iv.NodeDescriptor = field(default_factory=lambda: iv.NodeDescriptor("router", 0x1049, True))
    awake: bool = True
    pairing_mode: bool = True  # the installer pressed the join button / powered it up
    cbke_ok: bool = True  # its certificate is good
    acks: bool = True  # False: firmware that takes messages but never acknowledges them
    poll_every_s: float | None = None  # sleepy devices poll their parent; None: never (flat battery)
    join_delay_s: float = 2.0  # association + transport key after the window opens
    commissioned: bool = False  # already on the customer's HAN when the meter simulator starts
    joined: bool = False
    nwk: int = 0
    received: list = field(default_factory=list)  # SE messages it took

    @property
    def link_key(self) -> bytes:
        return aes_mmo_hash(self.install_code)

    @property
    def rssi_dbm(self) -> float:
        d = max(self.distance_m, 1.0)
        return RSSI_AT_1M - 10 * PATH_LOSS_EXPONENT * math.log10(d)

    @property
    def lqi(self) -> int:
        """0..255, linear in RSSI between the sensitivity and -40 dBm, as many radios report it."""
        span = RSSI_AT_1M - SENSITIVITY_DBM
        return max(0, min(255, round(255 * (self.rssi_dbm - SENSITIVITY_DBM) / span)))

    @property
    def in_range(self) -> bool:
        return self.rssi_dbm > SENSITIVITY_DBM + 3

    @property
    def smart_energy(self) -> bool:
        return self.descriptor is not None and self.descriptor.profile == PROFILE_SE

    def reachable(self) -> str | None:
        """Why a message cannot reach it now, or None."""
        if not self.in_range:
            return "out_of_range"
        if not self.awake:
            return "asleep"
        return None

    def take(self, message, seq: int, now_zigbee: int) -> bytes | None:
        """Handle a Smart Energy message (already delivered); the acknowledgement frame bytes, if any."""
        self.received.append(message)
        if not self.acks:
            return None
        clients = set(self.descriptor.client_clusters) if self.descriptor else set()
        if message.CLUSTER not in clients:
            return None  # it has no client for that cluster: nothing comes back
        if isinstance(message, se.PublishPrice) and message.ack_required:
            ack = se.PriceAcknowledgement(message.provider_id, message.issuer_event_id, now_zigbee)
        elif isinstance(message, se.LoadControlEvent):
            ack = se.ReportEventStatus(message.issuer_event_id, se.EventStatus.RECEIVED, now_zigbee,
                                       message.criticality, signature=bytes(range(42)))
        elif isinstance(message, se.DisplayMessage) and message.confirmation_required:
            ack = se.MessageConfirmation(message.message_id, now_zigbee)
        else:
            return None
        return se.encode(ack, seq)


def _sd(device_type: int, servers: tuple[int, ...], clients: tuple[int, ...]) -> iv.SimpleDescriptor:
    return iv.SimpleDescriptor(1, PROFILE_SE, device_type, servers, clients)


def thermostat(eui64: str, code: bytes, distance_m: float = 6.0) -> SimDevice:
    return SimDevice(eui64, "thermostat", with_crc(code), distance_m,
                     _sd(DeviceType.PCT, (0x0000, 0x0003, Cluster.KEY_ESTABLISHMENT),
                         (Cluster.TIME, Cluster.PRICE, Cluster.DRLC, Cluster.MESSAGING)))


def in_home_display(eui64: str, code: bytes, distance_m: float = 8.0) -> SimDevice:
    return SimDevice(eui64, "in_home_display", with_crc(code), distance_m,
                     _sd(DeviceType.IN_HOME_DISPLAY, (0x0000, 0x0003, Cluster.KEY_ESTABLISHMENT),
                         (Cluster.TIME, Cluster.PRICE, Cluster.MESSAGING, Cluster.METERING)))


def load_control_switch(eui64: str, code: bytes, distance_m: float = 12.0) -> SimDevice:
    return SimDevice(eui64, "load_control", with_crc(code), distance_m,
                     _sd(DeviceType.LOAD_CONTROL_DEVICE, (0x0000, 0x0003, Cluster.KEY_ESTABLISHMENT),
                         (Cluster.TIME, Cluster.DRLC)))


def sleepy_display(eui64: str, code: bytes, distance_m: float = 5.0) -> SimDevice:
    d = in_home_display(eui64, code, distance_m)
    d.kind = "sleepy_ihd"
    d.node = iv.NodeDescriptor("end device", 0x1049, False)
    d.awake = False
    d.poll_every_s = 7.5
    return d


def door_sensor(eui64: str, code: bytes, distance_m: float = 4.0) -> SimDevice:
    """A Home Automation (0x0104) IAS zone sensor on the same HAN: it must not be enrolled."""
    return SimDevice(eui64, "door_sensor", with_crc(code), distance_m,
                     iv.SimpleDescriptor(1, 0x0104, 0x0402, (0x0000, 0x0500), ()),
                     iv.NodeDescriptor("end device", 0x115F, False))


def demo_premises() -> list[SimDevice]:
    """A customer's HAN as the demo and the tests meet it (codes of 8 bytes + CRC, 16 for the IHD, 6 for
    the load-control switch). The thermostat, the sleepy display and the door sensor were commissioned by
    the customer already (scenario 3.2 step 2); the IHD and the switch wait in pairing mode for their
    install codes to reach the meter."""
    devices = [
        thermostat("00137A0000A1B201", bytes.fromhex("1122334455667788")),
        in_home_display("00137A0000A1B202", bytes.fromhex("83FED3407A939723A5C639B26916D505")),
        load_control_switch("00137A0000A1B203", bytes.fromhex("1234567890AB")),
        sleepy_display("00137A0000A1B204", bytes.fromhex("A1A2A3A4A5A6A7A8")),
        door_sensor("00124B0001C0FFEE", bytes.fromhex("CAFEBABE00112233")),
    ]
    for d in devices:
        d.commissioned = d.kind in ("thermostat", "sleepy_ihd", "door_sensor")
    return devices


def premises_by_name(name: str) -> list[SimDevice]:
    """``demo`` (every device), ``none`` (no HAN), or ``fresh`` (every device waiting in pairing mode)."""
    if name == "none":
        return []
    devices = demo_premises()
    if name == "fresh":
        for d in devices:
            d.commissioned = False
    elif name != "demo":
        raise ValueError(f"HAN premises must be demo, fresh or none, not {name!r}")
    return devices
