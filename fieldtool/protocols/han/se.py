"""Zigbee Smart Energy messages the field tool sends and reads (ZCL cluster-specific frames, profile 0x0109).

Price (0x0700): Publish Price (server → client 0x00), Price Acknowledgement (client → server 0x02).
DRLC (0x0701): Load Control Event (server → client 0x00), Report Event Status (client → server 0x00).
Messaging (0x0703): Display Message (server → client 0x00), Message Confirmation (client → server 0x01).
Plus the ZCL Default Response. Integers are little-endian; SE times are seconds since 2000-01-01 UTC.
The ECDSA signature of Report Event Status is carried and kept, never verified (sect163k1 is not
available in ``cryptography``; the meter is the one that checks it).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import IntEnum

ZIGBEE_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
PROFILE_SE = 0x0109


class HanProtocolError(ValueError):
    """A HAN frame that cannot be understood; the message says what was wrong."""


class Cluster(IntEnum):
    BASIC = 0x0000
    POWER_CONFIG = 0x0001
    IDENTIFY = 0x0003
    ALARMS = 0x0009
    TIME = 0x000A
    COMMISSIONING = 0x0015
    KEEP_ALIVE = 0x0025
    PRICE = 0x0700
    DRLC = 0x0701
    METERING = 0x0702
    MESSAGING = 0x0703
    TUNNELING = 0x0704
    PREPAYMENT = 0x0705
    KEY_ESTABLISHMENT = 0x0800


class DeviceType(IntEnum):
    RANGE_EXTENDER = 0x0008
    ESI = 0x0500
    METERING_DEVICE = 0x0501
    IN_HOME_DISPLAY = 0x0502
    PCT = 0x0503  # programmable communicating thermostat
    LOAD_CONTROL_DEVICE = 0x0504
    SMART_APPLIANCE = 0x0505
    PREPAYMENT_TERMINAL = 0x0506
    PHYSICAL_DEVICE = 0x0507
    REMOTE_COMMUNICATIONS_DEVICE = 0x0508


class EventStatus(IntEnum):
    """DRLC Report Event Status codes."""

    RECEIVED = 0x01
    STARTED = 0x02
    COMPLETED = 0x03
    USER_OPT_OUT = 0x04
    USER_OPT_IN = 0x05
    CANCELLED = 0x06
    SUPERSEDED = 0x07
    PARTIALLY_COMPLETED_OPT_OUT = 0x08
    PARTIALLY_COMPLETED_OPT_IN = 0x09
    COMPLETED_NO_PARTICIPATION = 0x0A
    REJECTED_INVALID_CANCEL = 0xF8
    REJECTED_INVALID_CANCEL_TIME = 0xF9
    REJECTED_AFTER_EXPIRY = 0xFB
    REJECTED_UNDEFINED_EVENT = 0xFD
    REJECTED = 0xFE


EVENT_STATUS_TEXT = {
    EventStatus.RECEIVED: "load control event received",
    EventStatus.STARTED: "event started",
    EventStatus.COMPLETED: "event completed",
    EventStatus.USER_OPT_OUT: "the customer opted out",
    EventStatus.USER_OPT_IN: "the customer opted in",
    EventStatus.CANCELLED: "event cancelled",
    EventStatus.SUPERSEDED: "event superseded",
    EventStatus.PARTIALLY_COMPLETED_OPT_OUT: "partially completed, the customer opted out",
    EventStatus.PARTIALLY_COMPLETED_OPT_IN: "partially completed, the customer opted in",
    EventStatus.COMPLETED_NO_PARTICIPATION: "completed without participation (earlier opt-out)",
    EventStatus.REJECTED_INVALID_CANCEL: "rejected: invalid cancel command",
    EventStatus.REJECTED_INVALID_CANCEL_TIME: "rejected: invalid cancel (effective time)",
    EventStatus.REJECTED_AFTER_EXPIRY: "rejected: received after the event expired",
    EventStatus.REJECTED_UNDEFINED_EVENT: "rejected: cancel of an undefined event",
    EventStatus.REJECTED: "load control event rejected",
}

CRITICALITY = {1: "green", 2: "level 1", 3: "level 2", 4: "level 3", 5: "level 4", 6: "level 5",
               7: "emergency", 8: "planned outage", 9: "service disconnect"}


def to_zigbee_time(t: datetime) -> int:
    return max(0, int((t - ZIGBEE_EPOCH).total_seconds()))


def from_zigbee_time(seconds: int) -> datetime:
    return ZIGBEE_EPOCH + timedelta(seconds=seconds)


# --- ZCL frame ----------------------------------------------------------------------------------------

FRAME_CLUSTER_SPECIFIC = 0x01
FRAME_MANUFACTURER = 0x04
FRAME_SERVER_TO_CLIENT = 0x08
FRAME_DISABLE_DEFAULT_RESPONSE = 0x10
DEFAULT_RESPONSE = 0x0B


@dataclass(frozen=True)
class ZclFrame:
    cluster: int
    command: int
    seq: int
    payload: bytes
    server_to_client: bool
    cluster_specific: bool = True
    disable_default_response: bool = False
    manufacturer: int | None = None

    def to_bytes(self) -> bytes:
        fc = FRAME_CLUSTER_SPECIFIC if self.cluster_specific else 0
        if self.manufacturer is not None:
            fc |= FRAME_MANUFACTURER
        if self.server_to_client:
            fc |= FRAME_SERVER_TO_CLIENT
        if self.disable_default_response:
            fc |= FRAME_DISABLE_DEFAULT_RESPONSE
        head = bytes([fc])
        if self.manufacturer is not None:
            head += struct.pack("<H", self.manufacturer)
        return head + bytes([self.seq & 0xFF, self.command]) + self.payload

    @classmethod
    def from_bytes(cls, cluster: int, data: bytes) -> ZclFrame:
        if len(data) < 3:
            raise HanProtocolError(f"ZCL frame of {len(data)} bytes is too short (at least 3)")
        fc = data[0]
        if fc & 0x03 not in (0, 1):
            raise HanProtocolError(f"ZCL frame type {fc & 0x03} is reserved")
        i, manufacturer = 1, None
        if fc & FRAME_MANUFACTURER:
            if len(data) < 5:
                raise HanProtocolError("manufacturer-specific ZCL frame is too short")
            manufacturer = struct.unpack_from("<H", data, 1)[0]
            i = 3
        return cls(cluster, data[i + 1], data[i], bytes(data[i + 2 :]), bool(fc & FRAME_SERVER_TO_CLIENT),
                   bool(fc & FRAME_CLUSTER_SPECIFIC), bool(fc & FRAME_DISABLE_DEFAULT_RESPONSE), manufacturer)


class _Reader:
    def __init__(self, data: bytes, what: str):
        self.data, self.i, self.what = data, 0, what

    def take(self, fmt: str):
        size = struct.calcsize(fmt)
        if self.i + size > len(self.data):
            raise HanProtocolError(f"{self.what} ends after {len(self.data)} bytes; a field is missing")
        (v,) = struct.unpack_from(fmt, self.data, self.i)
        self.i += size
        return v

    def string(self) -> bytes:
        n = self.take("<B")
        if n == 0xFF:
            return b""  # invalid/absent string
        if self.i + n > len(self.data):
            raise HanProtocolError(f"{self.what}: a string says {n} bytes but the frame is shorter")
        s = self.data[self.i : self.i + n]
        self.i += n
        return s

    def raw(self, n: int) -> bytes:
        if self.i + n > len(self.data):
            raise HanProtocolError(f"{self.what} ends before its {n}-byte field")
        s = self.data[self.i : self.i + n]
        self.i += n
        return s


def _zstring(s: str | bytes, limit: int) -> bytes:
    b = s.encode("utf-8") if isinstance(s, str) else s
    if len(b) > limit:
        raise HanProtocolError(f"text of {len(b)} bytes is longer than {limit}")
    return bytes([len(b)]) + b


# --- Price ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PublishPrice:
    provider_id: int
    rate_label: str
    issuer_event_id: int
    current_time: int
    unit_of_measure: int  # 0x00 kWh
    currency: int  # ISO 4217 numeric, 840 = USD
    trailing_digit: int  # digits to the right of the decimal point
    price_tier: int
    number_of_tiers: int
    register_tier: int
    start_time: int  # 0 = now
    duration_min: int  # 0xFFFF = until changed
    price: int
    price_ratio: int = 0xFF
    generation_price: int = 0xFFFFFFFF
    generation_price_ratio: int = 0xFF
    alternate_cost_delivered: int = 0xFFFFFFFF
    alternate_cost_unit: int = 0xFF
    alternate_cost_trailing_digit: int = 0xFF
    number_of_block_thresholds: int = 0xFF
    price_control: int = 0x01  # bit 0: acknowledgement required
    CLUSTER = Cluster.PRICE
    COMMAND = 0x00

    def to_payload(self) -> bytes:
        return (
            struct.pack("<I", self.provider_id) + _zstring(self.rate_label, 12)
            + struct.pack("<IIBHBBIHIBIBIBBBB", self.issuer_event_id, self.current_time, self.unit_of_measure,
                          self.currency, (self.trailing_digit << 4) | (self.price_tier & 0x0F),
                          (self.number_of_tiers << 4) | (self.register_tier & 0x0F), self.start_time,
                          self.duration_min, self.price, self.price_ratio, self.generation_price,
                          self.generation_price_ratio, self.alternate_cost_delivered, self.alternate_cost_unit,
                          self.alternate_cost_trailing_digit, self.number_of_block_thresholds, self.price_control)
        )

    @classmethod
    def from_payload(cls, data: bytes) -> PublishPrice:
        r = _Reader(data, "Publish Price")
        provider = r.take("<I")
        label = r.string().decode("utf-8", "replace")
        issuer, now, unit, currency, digit_tier, tiers = (r.take(f) for f in ("<I", "<I", "<B", "<H", "<B", "<B"))
        start, duration, price = r.take("<I"), r.take("<H"), r.take("<I")
        rest = []
        for fmt in ("<B", "<I", "<B", "<I", "<B", "<B", "<B", "<B"):  # SE 1.1 optional tail
            if r.i >= len(data):
                break
            rest.append(r.take(fmt))
        defaults = [0xFF, 0xFFFFFFFF, 0xFF, 0xFFFFFFFF, 0xFF, 0xFF, 0xFF, 0x00]
        rest += defaults[len(rest):]
        return cls(provider, label, issuer, now, unit, currency, digit_tier >> 4, digit_tier & 0x0F, tiers >> 4,
                   tiers & 0x0F, start, duration, price, *rest)

    @property
    def ack_required(self) -> bool:
        return bool(self.price_control & 0x01)


@dataclass(frozen=True)
class PriceAcknowledgement:
    provider_id: int
    issuer_event_id: int
    price_ack_time: int
    control: int = 0x01
    CLUSTER = Cluster.PRICE
    COMMAND = 0x02

    def to_payload(self) -> bytes:
        return struct.pack("<IIIB", self.provider_id, self.issuer_event_id, self.price_ack_time, self.control)

    @classmethod
    def from_payload(cls, data: bytes) -> PriceAcknowledgement:
        r = _Reader(data, "Price Acknowledgement")
        return cls(r.take("<I"), r.take("<I"), r.take("<I"), r.take("<B"))


# --- DRLC ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LoadControlEvent:
    issuer_event_id: int
    device_class: int  # bitmap: bit 0 HVAC compressor/furnace, 2 water heater, 7 simple on/off loads ...
    enrollment_group: int
    start_time: int  # 0 = now
    duration_min: int  # at most 1440
    criticality: int  # 1..9
    cooling_offset: int = 0xFF
    heating_offset: int = 0xFF
    cooling_set_point: int = -0x8000  # 0x8000 = not used
    heating_set_point: int = -0x8000
    avg_load_adjustment_pct: int = -128  # 0x80 = not used
    duty_cycle: int = 0xFF
    event_control: int = 0x00
    CLUSTER = Cluster.DRLC
    COMMAND = 0x00

    def __post_init__(self):
        if not 1 <= self.criticality <= 9:
            raise HanProtocolError(f"criticality {self.criticality} is outside 1..9")
        if self.duration_min > 1440:
            raise HanProtocolError(f"a load control event lasts at most 1440 minutes, not {self.duration_min}")

    def to_payload(self) -> bytes:
        return struct.pack("<IHBIHBBBhhbBB", self.issuer_event_id, self.device_class, self.enrollment_group,
                           self.start_time, self.duration_min, self.criticality, self.cooling_offset,
                           self.heating_offset, self.cooling_set_point, self.heating_set_point,
                           self.avg_load_adjustment_pct, self.duty_cycle, self.event_control)

    @classmethod
    def from_payload(cls, data: bytes) -> LoadControlEvent:
        r = _Reader(data, "Load Control Event")
        return cls(*(r.take(f) for f in ("<I", "<H", "<B", "<I", "<H", "<B", "<B", "<B", "<h", "<h", "<b", "<B",
                                         "<B")))


SIGNATURE_LEN = 42


@dataclass(frozen=True)
class ReportEventStatus:
    issuer_event_id: int
    event_status: int
    event_status_time: int
    criticality_applied: int
    cooling_set_point_applied: int = 0x8000
    heating_set_point_applied: int = 0x8000
    avg_load_adjustment_applied: int = -128
    duty_cycle_applied: int = 0xFF
    event_control: int = 0
    signature_type: int = 0x01  # ECDSA
    signature: bytes = field(default=bytes(SIGNATURE_LEN))
    CLUSTER = Cluster.DRLC
    COMMAND = 0x00

    def to_payload(self) -> bytes:
        if len(self.signature) != SIGNATURE_LEN:
            raise HanProtocolError(f"the signature must be {SIGNATURE_LEN} bytes")
        return struct.pack("<IBIBHHbBBB", self.issuer_event_id, self.event_status, self.event_status_time,
                           self.criticality_applied, self.cooling_set_point_applied,
                           self.heating_set_point_applied, self.avg_load_adjustment_applied,
                           self.duty_cycle_applied, self.event_control, self.signature_type) + self.signature

    @classmethod
    def from_payload(cls, data: bytes) -> ReportEventStatus:
        r = _Reader(data, "Report Event Status")
        values = [r.take(f) for f in ("<I", "<B", "<I", "<B", "<H", "<H", "<b", "<B", "<B", "<B")]
        return cls(*values, r.raw(SIGNATURE_LEN))

    @property
    def status_text(self) -> str:
        try:
            return EVENT_STATUS_TEXT[EventStatus(self.event_status)]
        except ValueError:
            return f"unknown event status 0x{self.event_status:02X}"

    @property
    def acknowledged(self) -> bool:
        return self.event_status in (EventStatus.RECEIVED, EventStatus.STARTED, EventStatus.COMPLETED,
                                     EventStatus.USER_OPT_IN)


# --- Messaging -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DisplayMessage:
    message_id: int
    message_control: int  # bits 2-3 importance, bit 7 confirmation required
    start_time: int
    duration_min: int
    message: str
    CLUSTER = Cluster.MESSAGING
    COMMAND = 0x00

    def to_payload(self) -> bytes:
        return struct.pack("<IBIH", self.message_id, self.message_control, self.start_time,
                           self.duration_min) + _zstring(self.message, 59)

    @classmethod
    def from_payload(cls, data: bytes) -> DisplayMessage:
        r = _Reader(data, "Display Message")
        return cls(r.take("<I"), r.take("<B"), r.take("<I"), r.take("<H"), r.string().decode("utf-8", "replace"))

    @property
    def confirmation_required(self) -> bool:
        return bool(self.message_control & 0x80)


@dataclass(frozen=True)
class MessageConfirmation:
    message_id: int
    confirmation_time: int
    CLUSTER = Cluster.MESSAGING
    COMMAND = 0x01

    def to_payload(self) -> bytes:
        return struct.pack("<II", self.message_id, self.confirmation_time)

    @classmethod
    def from_payload(cls, data: bytes) -> MessageConfirmation:
        r = _Reader(data, "Message Confirmation")
        return cls(r.take("<I"), r.take("<I"))


@dataclass(frozen=True)
class DefaultResponse:
    command: int
    status: int  # 0x00 SUCCESS

    def to_payload(self) -> bytes:
        return bytes([self.command, self.status])

    @classmethod
    def from_payload(cls, data: bytes) -> DefaultResponse:
        r = _Reader(data, "Default Response")
        return cls(r.take("<B"), r.take("<B"))


# (cluster, command, server_to_client) -> message class
MESSAGES = {
    (Cluster.PRICE, 0x00, True): PublishPrice,
    (Cluster.PRICE, 0x02, False): PriceAcknowledgement,
    (Cluster.DRLC, 0x00, True): LoadControlEvent,
    (Cluster.DRLC, 0x00, False): ReportEventStatus,
    (Cluster.MESSAGING, 0x00, True): DisplayMessage,
    (Cluster.MESSAGING, 0x01, False): MessageConfirmation,
}

SERVER_TO_CLIENT = {PublishPrice, LoadControlEvent, DisplayMessage}


def encode(message, seq: int) -> bytes:
    """A Smart Energy message as its ZCL frame bytes."""
    return ZclFrame(int(message.CLUSTER), message.COMMAND, seq, message.to_payload(),
                    server_to_client=type(message) in SERVER_TO_CLIENT).to_bytes()


def decode(cluster: int, data: bytes):
    """ZCL frame bytes of a cluster → (frame, message). Unknown commands raise ``HanProtocolError``."""
    frame = ZclFrame.from_bytes(cluster, data)
    if not frame.cluster_specific:
        if frame.command == DEFAULT_RESPONSE:
            return frame, DefaultResponse.from_payload(frame.payload)
        raise HanProtocolError(f"profile-wide ZCL command 0x{frame.command:02X} is not handled")
    try:
        kind = MESSAGES[(Cluster(cluster), frame.command, frame.server_to_client)]
    except (KeyError, ValueError):
        direction = "server to client" if frame.server_to_client else "client to server"
        raise HanProtocolError(
            f"command 0x{frame.command:02X} of cluster 0x{cluster:04X} ({direction}) is not a message the tool handles"
        ) from None
    return frame, kind.from_payload(frame.payload)
