"""The sync use case: sign in, drain the outbox, pull work orders and verdicts, resolve conflicts.

Glue between the store (outbox, work orders, stock, sync state, vault) and ``fieldtool.sync`` (client,
drain, merge). The GUI and the CLI call the same methods. Long calls take ``cancel`` (a threading.Event)
and ``progress(done, total)``. The back-office sign-in (device id and secret, tokens) lives only in the
vault, under ``backoffice:session``.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import psutil

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.domain.codec import from_data
from fieldtool.domain.errors import InputError, NotAllowed, UserFacingError
from fieldtool.domain.model import IssuedMeter, WorkOrder, WorkOrderStatus
from fieldtool.store.sync_state import Conflict, SyncState
from fieldtool.sync import merge
from fieldtool.sync.client import (
    BackOfficeClient,
    BadReply,
    Refused,
    Session,
    SignedOut,
    SyncError,
    check_server_url,
)
from fieldtool.sync.contract import MAX_BATCH
from fieldtool.sync.drain import DrainTally, OutboxDrain, PhotoUnavailable
from fieldtool.sync.settings import SyncSettings
from fieldtool.sync.status import SyncStatus

LOGGER = logging.getLogger("fieldtool.services.sync")

SESSION_SECRET = "backoffice:session"


@dataclass
class PullTally:
    pulled: int = 0  # work-order changes received
    applied: int = 0
    conflicts: int = 0
    verifications: int = 0


def photo_reader(store) -> Callable[[dict], bytes]:
    """How the drain finds a photo event's bytes: the photo store's file for ``photo_id`` (written by
    ``services.photos``), or ``payload["local_path"]``."""
    from fieldtool.store.photos import Photos

    photos = Photos(store)

    def read(payload: dict) -> bytes:
        path = payload.get("local_path")
        if not path:
            photo = photos.get(payload.get("photo_id", ""))
            if photo is None:
                raise PhotoUnavailable(f"no photo {payload.get('photo_id')} is recorded on this laptop")
            path = photo.path
        try:
            return Path(path).read_bytes()
        except OSError as e:
            raise PhotoUnavailable(f"{path}: {e.strerror or e}") from e

    return read


def deliver_verdicts(store, clock: Clock, job_ids: set[str]) -> None:
    """Step 8: the back office's verdicts reach each job's workflow (accepted, or the discrepancies to act on)."""
    from fieldtool.services.install import InstallService

    install, state = InstallService(store, clock), SyncState(store)
    for job_id in sorted(job_ids):
        try:
            install.apply_verdicts(job_id, state.verifications(job_id))
        except UserFacingError as e:  # a job not in this store, or not at step 8: the verdict waits
            LOGGER.info("verdict for %s not applied: %s", job_id, e)


def _check_settings(s: SyncSettings) -> None:
    if not 1 <= s.batch_size <= MAX_BATCH:
        raise InputError(f"[sync] batch_size must be between 1 and {MAX_BATCH} (the contract's limit), not {s.batch_size}.")
    if not 1 <= s.page_size <= 5000:
        raise InputError(f"[sync] page_size must be between 1 and 5000, not {s.page_size}.")
    if s.backoff_initial_s <= 0 or s.backoff_max_s < s.backoff_initial_s or not 0 <= s.backoff_jitter < 1:
        raise InputError("[sync] needs 0 < backoff_initial_s <= backoff_max_s and 0 <= backoff_jitter < 1.")


class SyncService:
    def __init__(self, store, vault, *, settings: SyncSettings | None = None, clock: Clock = SYSTEM_CLOCK,
                 server: str | None = None, transport=None, status: SyncStatus | None = None):
        self.store = store
        self.vault = vault
        self.settings = settings or SyncSettings()
        _check_settings(self.settings)
        self.clock = clock
        self.transport = transport  # tests: an httpx transport
        self.state = SyncState(store)
        self.status = status or SyncStatus()
        self.server = check_server_url(server) if server else None
        self.drain = OutboxDrain(store.outbox, store.transaction, self.client, settings=self.settings, clock=clock,
                                 status=self.status, read_photo=photo_reader(store), after_cycle=self._background_pull,
                                 may_send=self._take_lease)
        self._holder = f"{socket.gethostname()}:{os.getpid()}"
        self._last_pull: float | None = None
        self._pull_lock = threading.Lock()

    @classmethod
    def from_context(cls, ctx, **kw) -> SyncService:
        """From ``services.context.AppContext`` (store, vault, the ``[sync]`` section, clock)."""
        return cls(ctx.store, ctx.vault, settings=ctx.config.section("sync"), clock=ctx.clock, **kw)

    # -- sign-in -----------------------------------------------------------------------------------------------
    def session(self) -> Session | None:
        if SESSION_SECRET not in self.vault.names():
            return None
        return Session.from_json(self.vault.get(SESSION_SECRET))

    def _save(self, session: Session) -> None:
        self.vault.set(SESSION_SECRET, session.to_json())

    def _new_client(self, server: str, session: Session | None) -> BackOfficeClient:
        return BackOfficeClient(server, self.settings, clock=self.clock, session=session, on_session=self._save,
                                transport=self.transport)

    def login(self, server: str, user: str, password: str) -> dict:
        """Enroll this laptop if needed, sign in, keep the session in the vault; returns the installer."""
        server = check_server_url(server)
        old = self.session()
        client = self._new_client(server, None)
        try:
            if old and old.server == server and old.user == user:
                try:
                    session = client.login(user, password, old.device_id, old.device_secret)
                    self.drain.retry_now()
                    return session.installer
                except SignedOut:
                    pass  # the device was withdrawn or re-enrolled elsewhere: enroll again
            device_id = str(uuid.uuid4())
            secret = client.enroll(user, password, device_id, f"fieldtool on {socket.gethostname()}")
            installer = client.login(user, password, device_id, secret).installer
            self.drain.retry_now()
            return installer
        except SignedOut as e:
            raise InputError(str(e)) from None
        finally:
            client.close()

    def client(self) -> BackOfficeClient:
        """A client for the signed-in server (the caller closes it)."""
        session = self.session()
        if session is None:
            raise SignedOut("This laptop is not signed in to the back office.", hint="Run fieldtool login.")
        if self.server and session.server != self.server:
            raise SignedOut(f"This laptop is signed in to {session.server}, not {self.server}.",
                            hint=f"Run fieldtool login --server {self.server}.")
        return self._new_client(session.server, session)

    # -- one cycle ------------------------------------------------------------------------------------------------
    def _take_lease(self) -> bool:
        """One sending process per outbox. A holder on this machine whose process is gone (killed, crashed)
        loses its lease at once; one on another machine (a shared folder) only when it runs out."""
        ttl = max(120.0, 2 * self.settings.read_timeout_s + self.settings.connect_timeout_s)
        if self.state.take_lease(self._holder, self.clock.now(), ttl):
            return True
        host, _, pid = (self.state.lease_holder() or "").rpartition(":")
        if host == socket.gethostname() and pid.isdigit() and not psutil.pid_exists(int(pid)):
            self.state.release_lease(f"{host}:{pid}")
            return self.state.take_lease(self._holder, self.clock.now(), ttl)
        return False

    def run_once(self, *, cancel: threading.Event | None = None) -> dict:
        """Push what is queued, then pull; the counts of ``fieldtool sync --once``."""
        pushed = self.drain.drain_once(cancel=cancel)
        pulled, errors = PullTally(), pushed.errors
        if not pushed.errors:
            try:
                pulled = self.pull(cancel=cancel)
            except SyncError as e:
                errors += 1
                self.status.update(last_error=str(e), last_error_at=self.clock.now())
        counts = self.store.outbox.counts()
        return {"pulled": pulled.pulled, "pushed": pushed.pushed, "duplicates": pushed.duplicates,
                "rejected": pushed.rejected, "errors": errors, "queued": counts["queued"] + counts["attempted"]}

    def start(self) -> None:
        """Background sync for the GUI: the drain worker, which also pulls every ``interval_s``."""
        self.drain.start()

    def stop(self) -> None:
        self.drain.stop()
        self.state.release_lease(self._holder)

    def _background_pull(self) -> None:
        """On the drain worker: pull when the last pull is older than ``interval_s``."""
        now = self.clock.monotonic()
        if self._last_pull is not None and now - self._last_pull < self.clock.seconds(self.settings.interval_s):
            return
        self._last_pull = now
        try:
            self.pull()
        except SyncError as e:
            self.status.update(last_error=str(e), last_error_at=self.clock.now())

    # -- pull ---------------------------------------------------------------------------------------------------
    def pull(self, *, cancel: threading.Event | None = None,
             progress: Callable[[int, int], None] | None = None) -> PullTally:
        tally = PullTally()
        with self._pull_lock:
            client = self.client()
            try:
                server = client.server
                more = True
                while more and not (cancel and cancel.is_set()):
                    page = client.work_orders(self.state.cursor(server, "work_orders"))
                    self._merge_page(server, page, tally)
                    more = page["has_more"]
                    if progress:
                        progress(tally.pulled, tally.pulled + (1 if more else 0))
                more = True
                judged: set[str] = set()
                while more and not (cancel and cancel.is_set()):
                    page = client.verifications(self.state.cursor(server, "verifications"))
                    with self.store.transaction():
                        tally.verifications += self.state.add_verifications(server, page["items"], self.clock.now())
                        self.state.set_cursor(server, "verifications", page["next_cursor"], self.clock.now())
                    judged |= {v["job_id"] for v in page["items"] if v.get("job_id")}
                    more = page["has_more"]
                deliver_verdicts(self.store, self.clock, judged)
                inv = client.inventory()
                self.store.stock.replace_issued(inv["installer_id"], [
                    IssuedMeter(m["meter_number"], m["meter_type"], inv["installer_id"]) for m in inv["issued"]])
            finally:
                client.close()
        self.status.update(online=True, last_success=self.clock.now())
        return tally

    def _merge_page(self, server: str, page: dict, tally: PullTally) -> None:
        items = page["items"]
        ids = [i["id"] for i in items]
        local = self._locals(ids)
        apply: list[WorkOrder] = []
        now = self.clock.now()
        with self.store.transaction():
            for item in items:
                wo = None
                if item["work_order"] is not None:
                    try:
                        wo = from_data(WorkOrder, item["work_order"], f"work order {item['id']} from the back office")
                    except InputError as e:  # the whole page is rolled back and read again next time
                        raise BadReply(f"{e} Nothing of this page was used.") from None
                current = self.store.work_orders.get(item["id"]) if item["change"] == "reassigned" else None
                d = merge.decide(item["id"], item["change"], wo, item["revision"], local.get(item["id"]), current)
                if d.action == "apply":
                    apply.append(d.work_order)
                elif d.action == "conflict":
                    loc = local[item["id"]]
                    self.state.add_conflict(Conflict(item["id"], item["change"], item["revision"], loc.revision,
                                                     str(loc.status), item["work_order"], d.reason, now))
                    tally.conflicts += 1
            if apply:
                self.store.work_orders.upsert_many(apply)
            self.state.set_cursor(server, "work_orders", page["next_cursor"], now)
        tally.pulled += len(items)
        tally.applied += len(apply)

    def _locals(self, ids: list[str]) -> dict[str, merge.Local]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        with self.store.reading() as c:
            rows = c.execute(f"SELECT w.id, w.status, w.revision, e.job_id IS NOT NULL FROM work_orders w "
                             f"LEFT JOIN exchange_state e ON e.job_id = w.id WHERE w.id IN ({marks})", ids).fetchall()
        return {r[0]: merge.Local(WorkOrderStatus(r[1]), r[2], bool(r[3])) for r in rows}

    def verifications(self, job_id: str | None = None) -> list[dict]:
        """The back office's step-8 verdicts received so far (all, or one job's), oldest first."""
        return self.state.verifications(job_id)

    # -- the installer's decisions ---------------------------------------------------------------------------------
    def conflicts(self) -> list[Conflict]:
        return self.state.conflicts()

    def resolve(self, job_id: str, resolution: str) -> Conflict:
        """``keep_local`` or ``accept_server`` for an open conflict; captures are never touched."""
        if resolution not in ("keep_local", "accept_server"):
            raise InputError(f"Resolve with keep_local or accept_server, not {resolution!r}.")
        c = self.state.conflict(job_id)
        if c is None or c.resolved_at is not None:
            raise NotAllowed(f"Job {job_id} has no open conflict with the back office.")
        with self.store.transaction():
            if resolution == "accept_server":
                loc = self._locals([job_id]).get(job_id)
                server = from_data(WorkOrder, c.server_data, f"work order {job_id}") if c.server_data else None
                wo = merge.accept_server(c.change, server, self.store.work_orders.get(job_id),
                                         loc or merge.Local(WorkOrderStatus.OPEN, 0, False))
                if wo is not None:
                    self.store.work_orders.upsert_many([wo])
            self.state.resolve(job_id, resolution, self.clock.now())
        return self.state.conflict(job_id)

    def retry(self, event_id: str) -> dict:
        """Queue a rejected event again (after its cause was fixed)."""
        row = self.store.outbox.get(event_id)
        if row is None:
            raise InputError(f"There is no outbox event {event_id}.")
        self.store.outbox.retry(event_id)
        self.drain.wake()
        return {"id": event_id, "state": "queued", "previous_reason": row.reject_reason}


__all__ = ["SyncService", "SESSION_SECRET", "DrainTally", "Refused", "photo_reader"]
