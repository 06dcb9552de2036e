"""The program messages the provisioning tool pushes, and how a device's reply reads (3.2 step 12-13, I1FR41).

Enrollment test messages with the utility's defaults from ``[han]``: a Publish Price that asks for a Price
Acknowledgement, a green (criticality 1) load-control event of one minute that every enrolled device reports
as received, and a Display Message that asks for a Message Confirmation.
"""

from __future__ import annotations

from datetime import datetime

from fieldtool.devices.han_settings import HanSettings
from fieldtool.protocols.han import se

NAMES = {"price": "Publish Price", "load_control": "Load Control Event", "messaging": "Display Message"}
ALL_DEVICE_CLASSES = 0x0FFF  # bits 0-11: every class of load


def message(program: str, s: HanSettings, now: datetime):
    t = se.to_zigbee_time(now)
    issuer = t & 0xFFFFFFFF
    if program == "price":
        return se.PublishPrice(s.price_provider_id, s.price_rate_label, issuer, t, 0x00, s.price_currency, 3, 1, 1, 1, 0,
                               0xFFFF, 125, price_control=0x01)  # fmt: skip
    if program == "load_control":
        return se.LoadControlEvent(issuer, ALL_DEVICE_CLASSES, s.enrollment_group, 0, 1, 1)
    if program == "messaging":
        return se.DisplayMessage(issuer, 0x80, 0, 60, s.message_text[:59])
    raise ValueError(f"unknown program {program!r}: load_control, price or messaging")


def positive(reply) -> bool:
    """Does the reply acknowledge the program (a DRLC Report Event Status may reject it)?"""
    if isinstance(reply, se.ReportEventStatus):
        return reply.acknowledged
    return True


def describe_reply(reply) -> dict | None:
    if reply is None:
        return None
    if isinstance(reply, se.ReportEventStatus):
        return {"message": "Report Event Status", "issuer_event_id": reply.issuer_event_id,
                "event_status": reply.event_status, "text": reply.status_text,
                "signature": reply.signature.hex().upper()}  # fmt: skip
    if isinstance(reply, se.PriceAcknowledgement):
        return {"message": "Price Acknowledgement", "issuer_event_id": reply.issuer_event_id,
                "device_time": se.from_zigbee_time(reply.price_ack_time).isoformat()}  # fmt: skip
    if isinstance(reply, se.MessageConfirmation):
        return {"message": "Message Confirmation", "message_id": reply.message_id,
                "device_time": se.from_zigbee_time(reply.confirmation_time).isoformat()}  # fmt: skip
    return {"message": type(reply).__name__}
