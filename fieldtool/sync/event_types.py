"""IEC 61968-9 (ed.2, Annex E) EndDeviceEventType codes the field tool puts on its events.

A code is ``type.domain.subDomain.eventOrAction``. Where ``docs/integration.md`` marks a code [OBS] it was
seen in a utility's real AMI data; [COMPOSED] codes are built from the Annex E enumeration numbers and must
be checked against the purchased standard or the target head-end's ``GetSupportedEndDeviceEventTypes``
before a utility relies on them. Kinds with no sensible code (custody, bench, coverage) carry none.
"""

from __future__ import annotations

CODES: dict[str, tuple[str, str, str]] = {
    # name: (code, description, provenance)
    "meter_installed": ("3.6.0.105", "meter installed", "composed"),
    "meter_replaced": ("3.6.0.52", "meter replaced (exchange)", "composed"),
    "meter_removed": ("3.6.0.212", "meter removed", "composed"),
    "tamper_detected": ("3.12.0.257", "tamper detected", "observed"),
    "seal_broken": ("3.12.0.269", "seal broken", "composed"),
    "cover_removed": ("3.12.29.212", "meter cover removed", "composed"),
    "program_mismatch": ("3.9.83.159", "meter program mismatched", "observed"),
    "reprogrammed": ("3.7.83.213", "meter reprogrammed", "composed"),
    "han_registered": ("12.10.90.50", "PAN device registered", "composed"),
}


def event_type(name: str) -> dict[str, str]:
    """The ``EndDeviceEventType`` object of the contract for one of ``CODES``."""
    code, description, _ = CODES[name]
    return {"code": code, "description": description}


def for_exchange(work_kind: str) -> dict[str, str]:
    """The code of a soft-registration record by its work kind (exchange, install, remove)."""
    return event_type({"exchange": "meter_replaced", "install": "meter_installed"}.get(work_kind, "meter_removed"))


def for_as_found(conditions: list[str]) -> dict[str, str] | None:
    """Energy theft suspected is reported as the observed tamper code; other conditions have no code."""
    return event_type("tamper_detected") if "energy_theft_suspected" in conditions else None
