"""How a work-order change from the back office meets the laptop's copy (pure; the service applies it).

The back office owns the plan: every field of the work order except where the job stands here. The
laptop owns its captures (workflow state, reads, photos, outbox), which no pull touches. So:

- a job not started here takes the server's plan (a cancelled or reassigned one stops being workable);
- a job finished here (completed / cannot complete) takes plan changes but keeps its local status;
- a job *in progress* here whose plan the server changed, or any started job the server cancelled or gave
  to someone else, is not changed: it becomes a ``conflict`` the installer resolves (keep local or accept
  server). Nothing is lost either way: the captures stay and still go to the back office.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from fieldtool.domain.model import WorkOrder, WorkOrderStatus

FINISHED = (WorkOrderStatus.COMPLETED, WorkOrderStatus.CANNOT_COMPLETE)


@dataclass(frozen=True)
class Local:
    """What the laptop holds of a job: its status, the plan revision, and whether work started here."""

    status: WorkOrderStatus
    revision: int
    started: bool


@dataclass(frozen=True)
class Decision:
    action: str  # apply, conflict, skip
    work_order: WorkOrder | None = None  # what to store (apply)
    reason: str = ""


def decide(job_id: str, change: str, server: WorkOrder | None, revision: int, local: Local | None,
           current: WorkOrder | None = None) -> Decision:
    """``change``: upsert / cancelled / reassigned; ``server``: the server's work order (None when
    reassigned); ``current``: the stored work order (needed to mark a reassigned job)."""
    if local is None:
        if change == "upsert" and server is not None:
            return Decision("apply", server)
        return Decision("skip", reason="not on this laptop")
    busy = local.status == WorkOrderStatus.IN_PROGRESS or (local.started and local.status not in FINISHED
                                                            and local.status != WorkOrderStatus.CANCELLED)
    done = local.status in FINISHED
    if change == "upsert":
        assert server is not None
        if revision == local.revision and not busy:
            return Decision("apply", _keep_status(server, local))
        if busy and revision != local.revision:
            return Decision("conflict", reason=f"The back office changed the plan of job {job_id} (revision "
                                               f"{local.revision} to {revision}) while you were working on it.")
        return Decision("apply", _keep_status(server, local) if (done or busy) else server)
    if change == "cancelled":
        if busy or done:
            what = "you were working on it" if busy else "you had already finished it here"
            return Decision("conflict", reason=f"The back office cancelled job {job_id} while {what}.")
        return Decision("apply", server)
    # reassigned to another installer
    if busy or done:
        what = "you were working on it" if busy else "you had already finished it here"
        return Decision("conflict", reason=f"The back office gave job {job_id} to another installer while {what}.")
    if current is None:
        return Decision("skip", reason="not on this laptop")
    return Decision("apply", replace(current, status=WorkOrderStatus.CANCELLED))


def accept_server(change: str, server: WorkOrder | None, current: WorkOrder | None, local: Local) -> WorkOrder | None:
    """What the installer's "accept the back office's version" stores (None: nothing to store)."""
    if change == "upsert" and server is not None:
        return _keep_status(server, local) if local.status in FINISHED or local.status == WorkOrderStatus.IN_PROGRESS \
            else server
    if change == "cancelled" and server is not None:
        return server
    return replace(current, status=WorkOrderStatus.CANCELLED) if current is not None else None


def _keep_status(server: WorkOrder, local: Local) -> WorkOrder:
    if local.status in FINISHED or local.status == WorkOrderStatus.IN_PROGRESS:
        return replace(server, status=local.status)
    return server
