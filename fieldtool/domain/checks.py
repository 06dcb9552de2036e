"""Planned against actual (UC134 I1FR15): every rule reports a finding when its condition is violated.

``run_checks(order, actual, stock, now)`` runs every rule of ``RULES``. A rule whose actual value is not
captured yet (``None`` in ``Actual``) does not run. A rule that cannot check because the *plan* lacks
what it needs says so as an info finding instead of passing silently. Each rule is a pure function
``rule(order, actual, stock, now) -> list[Finding]``; ``stock`` is the installer's issued meters, or
``None`` when no stock list is known.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from fieldtool.domain.checks_position import distance_m, gps_distance
from fieldtool.domain.findings import Acknowledgement, Finding, Override, acknowledge, open_findings, override
from fieldtool.domain.model import IssuedMeter, Position, Severity, WorkOrder

__all__ = [
    "RULES", "Actual", "Acknowledgement", "Finding", "Override", "acknowledge", "distance_m", "open_findings",
    "override", "run_checks",
]
BLOCK, WARN, INFO = Severity.BLOCK, Severity.WARN, Severity.INFO


@dataclass(frozen=True)
class Actual:
    """What the installer and the meters have shown so far. ``None``: not captured yet."""

    old_meter_number: str | None = None
    old_meter_form: str | None = None
    new_meter_number: str | None = None
    new_meter_form: str | None = None
    new_meter_type: str | None = None
    final_read: float | None = None
    read_at: datetime | None = None  # when the final read was taken (default: now)
    position: Position | None = None
    position_captured_at: datetime | None = None  # when the job took the fix (its age is judged then)
    location_id: str | None = None
    han_device_ids: tuple[str, ...] | None = None  # () = looked, found none
    program_id: str | None = None
    installer_id: str | None = None
    installed_at: datetime | None = None


Stock = Sequence[IssuedMeter] | None
Rule = Callable[[WorkOrder, Actual, Stock, datetime], list[Finding]]


def normalize_meter_number(number: str) -> str:
    """Case, spaces, dashes and leading zeros do not make a different meter ("00-12 345a" == "12345A")."""
    return re.sub(r"[\s\-_.]", "", number).upper().lstrip("0")


def normalize_form(form: str) -> str:
    return re.sub(r"\s", "", form).upper()


def normalize_eui64(eui: str) -> str:
    return re.sub(r"[\s:\-]", "", eui).upper()


def old_meter_number(order: WorkOrder, actual: Actual, stock: Stock, now: datetime) -> list[Finding]:
    if actual.old_meter_number is None or order.removal is None:
        return []
    planned = order.removal.meter_number
    if normalize_meter_number(actual.old_meter_number) == normalize_meter_number(planned):
        return []
    return [
        Finding(
            "old-meter-number",
            WARN,
            f"The meter on the wall is {actual.old_meter_number}, the plan says {planned}. Check the address "
            "and the service point; if this is the right premise, acknowledge and the corrected number is "
            "reported (I1FR9).",
            planned,
            actual.old_meter_number,
        )
    ]


def meter_form(order: WorkOrder, actual: Actual, stock: Stock, now: datetime) -> list[Finding]:
    if actual.new_meter_form is None:
        return []
    if actual.old_meter_form is not None:
        removed, source = actual.old_meter_form, "the meter removed"
    elif order.removal is not None:
        removed, source = order.removal.form, "the planned old meter"
    elif order.install is not None:  # a new set: compare with the planned form
        removed, source = order.install.form, "the planned form"
    else:
        return []
    if normalize_form(removed) == normalize_form(actual.new_meter_form):
        return []
    return [
        Finding(
            "meter-form",
            BLOCK,
            f"The new meter is form {actual.new_meter_form} but {source} is form {removed}. "
            "Install a meter of the same form.",
            removed,
            actual.new_meter_form,
        )
    ]


def final_read(order: WorkOrder, actual: Actual, stock: Stock, now: datetime) -> list[Finding]:
    """Expected = last read + average daily usage x days; rollover at 10**dials is not an error."""
    if actual.final_read is None:
        return []
    read, plan = actual.final_read, order.removal
    if plan is None:
        return [Finding("final-read", INFO, "The plan has no meter to remove; the read was not checked.", None, read)]
    full = 10**plan.dials
    if not math.isfinite(read) or read < 0 or read >= full:
        return [
            Finding(
                "final-read",
                BLOCK,
                f"A register of {plan.dials} dials cannot show {read:g}. Read the dials again.",
                {"dials": plan.dials},
                read,
            )
        ]
    if plan.last_read is None or plan.last_read_date is None:
        return [Finding("final-read", INFO, "The plan has no last read; the read was not checked.", None, read)]
    read_at = actual.read_at or now
    days = (read_at.date() - plan.last_read_date).days
    planned = {"last_read": plan.last_read, "last_read_date": plan.last_read_date.isoformat()}
    if days < 0:
        return [
            Finding(
                "final-read",
                WARN,
                f"The read is dated {read_at.date()}, before the last read of {plan.last_read_date}. "
                "Check the laptop's date.",
                planned,
                {"read": read, "read_at": read_at.isoformat()},
            )
        ]
    usage, rolled = read - plan.last_read, False
    if usage < 0:
        usage, rolled = usage + full, True
    if usage == 0 and days > 0:
        return [
            Finding(
                "final-read",
                WARN,
                f"No usage in {days} days since the last read of {plan.last_read:g}: a stopped meter, a vacant "
                "premise or a bypass. Look for tampering before you go on.",
                planned,
                read,
            )
        ]
    if plan.avg_daily_usage is None:
        if rolled:
            return [_below_last_read(plan.last_read, read, planned)]
        return [Finding("final-read", INFO, "The plan has no average usage; the read was not checked.", planned, read)]
    tol = order.tolerances
    expected = plan.avg_daily_usage * days
    band = max(expected * tol.read_variance_pct / 100.0, tol.read_variance_min)
    if abs(usage - expected) <= band:
        return []
    if rolled:  # as a rollover the usage is implausible too: the register went backwards
        return [_below_last_read(plan.last_read, read, planned)]
    expected_read = (plan.last_read + expected) % full
    planned = {**planned, "expected_read": round(expected_read, 3), "band": round(band, 3)}
    return [
        Finding(
            "final-read",
            WARN,
            f"The read {read:g} means {usage:g} used in {days} days; about {expected:g} (±{band:g}) was expected, "
            f"a read near {expected_read:.0f}. Read the dials again.",
            planned,
            read,
        )
    ]


def _below_last_read(last: float, read: float, planned: dict) -> Finding:
    return Finding(
        "final-read",
        BLOCK,
        f"The read {read:g} is below the last read {last:g}: possible tampering or the wrong meter. "
        "Read again; if it stands, a supervisor must decide.",
        planned,
        read,
    )


def _issued(actual: Actual, stock: Sequence[IssuedMeter]) -> IssuedMeter | None:
    wanted = normalize_meter_number(actual.new_meter_number or "")
    for m in stock:
        if normalize_meter_number(m.meter_number) == wanted:
            return m
    return None


def meter_not_issued(order: WorkOrder, actual: Actual, stock: Stock, now: datetime) -> list[Finding]:
    if actual.new_meter_number is None:
        return []
    installer = actual.installer_id or order.installer_id
    if stock is None:
        return [
            Finding(
                "meter-not-issued",
                INFO,
                f"No issued-stock list is known for installer {installer or '(unknown)'}; "
                f"meter {actual.new_meter_number} was not checked against it.",
                None,
                actual.new_meter_number,
            )
        ]
    mine = [m for m in stock if installer is None or m.installer_id == installer]
    if _issued(actual, mine) is not None:
        return []
    return [
        Finding(
            "meter-not-issued",
            BLOCK,
            f"Meter {actual.new_meter_number} is not in the stock issued to {installer or 'you'} "
            f"({len(mine)} meters). Install a meter issued to you, or have it issued first.",
            installer,
            actual.new_meter_number,
        )
    ]


def meter_type(order: WorkOrder, actual: Actual, stock: Stock, now: datetime) -> list[Finding]:
    """The type captured, else the type the issued stock records for that meter number."""
    if order.install is None or (actual.new_meter_number is None and actual.new_meter_type is None):
        return []
    found = actual.new_meter_type
    if found is None and stock and actual.new_meter_number is not None:
        issued = _issued(actual, stock)
        found = issued.meter_type if issued else None
    if found is None or found.strip().casefold() == order.install.meter_type.strip().casefold():
        return []
    return [
        Finding(
            "meter-type",
            BLOCK,
            f"Meter {actual.new_meter_number or ''} is of type {found}, the plan needs {order.install.meter_type}. "
            "Take a meter of the planned type.",
            order.install.meter_type,
            found,
        )
    ]


def han_ids(order: WorkOrder, actual: Actual, stock: Stock, now: datetime) -> list[Finding]:
    if actual.han_device_ids is None:
        return []
    planned = sorted({normalize_eui64(d.eui64) for d in order.han_devices})
    found = sorted({normalize_eui64(e) for e in actual.han_device_ids})
    missing = [e for e in planned if e not in found]
    extra = [e for e in found if e not in planned]
    if not missing and not extra:
        return []
    parts = []
    if missing:
        parts.append(f"planned but not found: {', '.join(missing)}")
    if extra:
        parts.append(f"found but not planned: {', '.join(extra)}")
    return [
        Finding(
            "han-ids",
            WARN,
            f"The HAN devices differ from the plan ({'; '.join(parts)}). Check the labels.",
            planned,
            found,
        )
    ]


def program_id(order: WorkOrder, actual: Actual, stock: Stock, now: datetime) -> list[Finding]:
    if actual.program_id is None:
        return []
    planned = order.install.program_id if order.install else None
    if planned is None:
        return [Finding("program-id", INFO, "The plan names no program; the meter's program was not checked.", None, actual.program_id)]
    if actual.program_id.strip() == planned.strip():
        return []
    return [
        Finding(
            "program-id",
            BLOCK,
            f"The meter runs program {actual.program_id}; the tariff needs program {planned}. "
            "Load the program, or a supervisor leaves it to the back office (step 8.3).",
            planned,
            actual.program_id,
        )
    ]


def billing_read_date(order: WorkOrder, actual: Actual, stock: Stock, now: datetime) -> list[Finding]:
    if actual.installed_at is None:
        return []
    read_date = order.meter_read_date
    if read_date is None:
        return [Finding("billing-read-date", INFO, "The plan has no meter-read date; not checked.", None, actual.installed_at.date().isoformat())]
    guard = order.tolerances.billing_guard_days
    days = (actual.installed_at.date() - read_date).days
    if abs(days) > guard:
        return []
    when = "on" if days == 0 else f"{abs(days)} day(s) {'after' if days > 0 else 'before'}"
    return [
        Finding(
            "billing-read-date",
            WARN,
            f"This installation is {when} the account's meter-read date {read_date} (guard: {guard} days); "
            "it may disturb the billing cycle (I1FR25).",
            {"meter_read_date": read_date.isoformat(), "guard_days": guard},
            actual.installed_at.date().isoformat(),
        )
    ]


RULES: dict[str, Rule] = {
    "old-meter-number": old_meter_number,
    "meter-form": meter_form,
    "final-read": final_read,
    "gps-distance": gps_distance,
    "meter-not-issued": meter_not_issued,
    "meter-type": meter_type,
    "han-ids": han_ids,
    "program-id": program_id,
    "billing-read-date": billing_read_date,
}


def run_checks(order: WorkOrder, actual: Actual, stock: Stock, now: datetime) -> list[Finding]:
    """Every rule, in the order of ``RULES``."""
    return [f for rule in RULES.values() for f in rule(order, actual, stock, now)]
