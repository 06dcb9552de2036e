"""An outbox row as the contract's ``Event``: the same row always gives the same bytes.

The back office de-duplicates by id *and body*, so a re-sent event must be byte-for-byte what was sent
before: everything here is derived from the stored row only (no clock, no configuration). Payload keys
starting with ``local_`` (a photo's ``local_path``) stay on this laptop.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from fieldtool.sync import event_types


def event_type_for(kind: str, payload: dict[str, Any]) -> dict[str, str] | None:
    """The IEC 61968-9 EndDeviceEventType of an event, where one exists."""
    if kind == "soft_registration":
        return event_types.for_exchange(str(payload.get("work_kind", "exchange")))
    if kind == "as_found":
        return event_types.for_as_found(list(payload.get("conditions") or []))
    if kind == "han_provisioning" and payload.get("outcome") == "joined":
        return event_types.event_type("han_registered")
    return None


def to_wire(row) -> dict[str, Any]:
    """``row``: an ``OutboxEvent`` (id, kind, schema_version, payload, job_id, correlation_id, created_at)."""
    return {
        "id": row.id,
        "kind": row.kind,
        "schema_version": row.schema_version,
        "correlation_id": row.correlation_id,
        "job_id": row.job_id,
        "occurred_at": row.created_at.astimezone(UTC).isoformat(),
        "event_type": event_type_for(row.kind, row.payload),
        "payload": {k: v for k, v in row.payload.items() if not k.startswith("local_")},
    }
