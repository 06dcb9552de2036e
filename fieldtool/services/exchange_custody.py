"""Custody follows the exchange (I1FR14, cradle to grave).

When the workflow sets the new meter in the socket (``install_meter``), custody moves it ``install``; when the
old meter comes off the wall (``remove_old_meter``) custody moves it ``remove`` (an old meter the tool never
tracked is accepted, its history starts there); a new meter taken out again (``replace_meter``: a failed
self-check, or 7.1A.4) is moved ``remove`` with the reason given. Every move records the installer, the time of
the event, the installed service point (ISP number) as the location and the work order as the document.

Transaction rule: ``follow`` is called inside the transaction that records the transition; each move runs in
its own savepoint (``CustodyService.move`` nests), so a refused move rolls back alone and the transition still
commits. A refusal is never lost: it comes back as a note the caller keeps on the job (``custody_notes``,
shown by ``exchange show``) and is logged as a warning.
"""

from __future__ import annotations

import logging

from fieldtool.domain.custody import Move, MoveRequest
from fieldtool.domain.errors import UserFacingError
from fieldtool.domain.exchange import Transition
from fieldtool.domain.exchange_events import InstallMeter, RemoveOldMeter, ReplaceMeter
from fieldtool.domain.exchange_job import ExchangeJob
from fieldtool.domain.model import WorkOrder
from fieldtool.services.custody import CustodyService

LOGGER = logging.getLogger(__name__)


def moves_for(order: WorkOrder, before: ExchangeJob, t: Transition) -> list[tuple[MoveRequest, bool]]:
    """The custody moves one transition means, each with whether the meter may be untracked so far."""
    where, doc = order.service_point.isp_number, order.id

    def req(meter: str, move: Move, reason: str = "") -> MoveRequest:
        return MoveRequest(meter, move, actor=t.by, at=t.at, location=where, document=doc, reason=reason)

    actual = t.job.actual
    match t.event:
        case InstallMeter() if actual.new_meter_number:
            return [(req(actual.new_meter_number, Move.INSTALL), False)]
        case RemoveOldMeter():
            old = actual.old_meter_number or (order.removal.meter_number if order.removal else None)
            return [(req(old, Move.REMOVE), True)] if old else []
        case ReplaceMeter(reason=reason) if len(t.job.replaced_meters) > len(before.replaced_meters):
            return [(req(t.job.replaced_meters[-1], Move.REMOVE, reason or "replaced during the exchange"), False)]
    return []


def follow(custody: CustodyService, order: WorkOrder, before: ExchangeJob, t: Transition) -> tuple[str, ...]:
    """Make the custody moves of ``t``; returns a note for each move custody refused (empty when all moved).

    A replaced meter custody never tracked is skipped: its install was refused (and noted) already."""
    notes = []
    for request, untracked_ok in moves_for(order, before, t):
        if not untracked_ok and request.move is Move.REMOVE and custody.repo.get(request.asset_id) is None:
            continue
        try:
            custody.move(request, correlation_id=t.job.correlation_id or None, job_id=order.id)
        except UserFacingError as e:
            verb = "installed" if request.move is Move.INSTALL else "removed"
            note = f"Custody did not record meter {request.asset_id} as {verb}: {e}"
            LOGGER.warning("work order %s: %s", order.id, note)
            notes.append(note)
    return tuple(notes)
