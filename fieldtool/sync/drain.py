"""Draining the outbox to the back office: batches, per-event acknowledgement, back-off, one worker thread.

The rules (DESIGN.md §3, what ODK Collect learned): a row is marked ``attempted`` (committed) before its
request goes out; it becomes ``delivered`` or ``rejected`` only on its own result in the reply; on any
failure (no answer, 5xx, a reply that breaks the contract) every row of the batch goes back to ``queued``
with the error in words and a back-off that doubles up to ``backoff_max_s`` with random jitter. Rows
left ``attempted`` by a crash are re-queued at start and sent again; the back office de-duplicates.

Order: the outbox is drained strictly oldest first, and a batch never passes a row still waiting out its
back-off, so the events of a job reach the back office in the order they were captured.

Thread rule: ``start()`` runs ``drain_once`` on one worker thread; ``stop()`` ends it between requests
(an in-flight request finishes or times out first). The outbox and the transaction are the store's,
which serialises access; ``status`` is read by the UI from any thread.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.sync.client import BackOfficeClient, SignedOut, SyncError
from fieldtool.sync.settings import SyncSettings
from fieldtool.sync.status import SyncStatus
from fieldtool.sync.wire import to_wire

log = logging.getLogger(__name__)
FAR_FUTURE = datetime(9999, 1, 1, tzinfo=UTC)


@dataclass
class DrainTally:
    pushed: int = 0  # accepted by the back office
    duplicates: int = 0  # it had them already (an earlier reply was lost)
    rejected: int = 0
    errors: int = 0  # failed attempts (batches)
    blocked: bool = False  # another process holds the outbox; nothing was tried

    def add(self, other: DrainTally) -> None:
        for k in ("pushed", "duplicates", "rejected", "errors"):
            setattr(self, k, getattr(self, k) + getattr(other, k))


class PhotoUnavailable(Exception):
    """The photo's bytes cannot be read on this laptop (moved, deleted, unreadable)."""


class OutboxDrain:
    """``outbox``: the store's outbox; ``transaction``: ``store.transaction``; ``client_factory`` gives a
    signed-in client (called again after a sign-in problem); ``read_photo(payload) -> bytes``."""

    def __init__(self, outbox, transaction: Callable[[], AbstractContextManager], client_factory: Callable[[], BackOfficeClient],
                 *, settings: SyncSettings | None = None, clock: Clock = SYSTEM_CLOCK, status: SyncStatus | None = None,
                 read_photo: Callable[[dict], bytes] | None = None, rng: random.Random | None = None,
                 after_cycle: Callable[[], None] | None = None, may_send: Callable[[], bool] | None = None):
        self.outbox = outbox
        self.transaction = transaction
        self.client_factory = client_factory
        self.settings = settings or SyncSettings()
        self.clock = clock
        self.status = status or SyncStatus()
        self.read_photo = read_photo
        self.rng = rng or random.Random()
        self.after_cycle = after_cycle  # the service pulls work orders here, on the same worker thread
        self.may_send = may_send  # False while another process drains this outbox (the store's lease)
        self.failures = 0
        self._now_please = False  # set by retry_now(): the next pass ignores the back-off
        self._requeued = False
        self._client: BackOfficeClient | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    # -- the worker ----------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start the worker thread (each pass first re-queues what a previous run left ``attempted``)."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="outbox-drain", daemon=True)
        self._thread.start()

    def stop(self, timeout: float | None = 10.0) -> None:
        """Stop after the request in flight (if any); rows stay as committed."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._client is not None:
            self._client.close()
            self._client = None

    def retry_now(self) -> None:
        """The cause of the failures is gone (a new sign-in, the network is back): the next pass sends
        at once instead of waiting out the back-off, still oldest first."""
        self.failures = 0
        self._now_please = True
        if self._client is not None:
            self._client.close()
            self._client = None
        self._wake.set()

    def wake(self) -> None:
        """Something was queued (or the network came back): drain now instead of at the next interval."""
        self._wake.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        while not self._stop.is_set():
            pause = 0.0
            try:
                tally = self.drain_once(cancel=self._stop)
                if tally.blocked:
                    pause = self.clock.seconds(self.settings.interval_s)
                elif self.after_cycle and not tally.errors and not self._stop.is_set():
                    self.after_cycle()
            except Exception:  # a bug must not kill the worker silently: log it and back off
                log.exception("outbox drain failed")
                self.failures += 1
                pause = self.clock.seconds(min(self.settings.backoff_max_s,
                                               self.settings.backoff_initial_s * 2 ** self.failures))
            wait = max(pause, self._seconds_to_next())
            self._wake.wait(wait)
            self._wake.clear()

    def _seconds_to_next(self) -> float:
        head = self.outbox.due(FAR_FUTURE, 1)
        if not head:
            return self.clock.seconds(self.settings.interval_s)
        if head[0].next_attempt_at is None:
            return 0.0
        return max(0.0, (head[0].next_attempt_at - self.clock.now()).total_seconds())

    # -- one pass --------------------------------------------------------------------------------------------
    def drain_once(self, *, cancel: threading.Event | None = None,
                   progress: Callable[[int, int], None] | None = None) -> DrainTally:
        """Send batches until the outbox is empty, a row is still backing off, or a request fails.

        Rows another run of this process left ``attempted`` (a crash, a kill) are re-queued first: only one
        sender drains an outbox at a time (``may_send``), so nothing else can have them in flight."""
        tally = DrainTally()
        if self.may_send is not None and not self.may_send():
            self.status.update(sending=False, last_error="Another fieldtool window or command is sending the outbox; "
                                                         "this one waits.")
            tally.blocked = True
            return tally
        if not self._requeued:
            self.outbox.requeue_attempted()
            self._requeued = True
        total = self._pending()
        done = 0
        self.status.update(queued=total, sending=total > 0)
        skip_backoff, self._now_please = self._now_please, False
        try:
            while not (cancel and cancel.is_set()):
                now = FAR_FUTURE if skip_backoff else self.clock.now()
                head = self.outbox.due(FAR_FUTURE, self.settings.batch_size)
                batch = []
                for row in head:  # strictly oldest first: stop at the first row still backing off
                    if row.next_attempt_at is not None and row.next_attempt_at > now:
                        break
                    batch.append(row)
                if not batch:
                    break
                step = self._send(batch)
                tally.add(step)
                done += len(batch)
                if progress:
                    progress(done, total)
                if step.errors:
                    break
        finally:
            self.status.update(queued=self._pending(), sending=False, rejected=self.outbox.counts()["rejected"])
        return tally

    def _pending(self) -> int:
        counts = self.outbox.counts()
        return counts["queued"] + counts["attempted"]

    def _client_now(self) -> BackOfficeClient:
        if self._client is None:
            self._client = self.client_factory()
        return self._client

    def _send(self, rows: list) -> DrainTally:
        tally = DrainTally()
        try:
            client = self._client_now()
            rows, refused = self._upload_photos(client, rows)
        except SyncError as e:
            return self._failed(rows, e, tally)
        for row, reason in refused:
            with self.transaction():
                self.outbox.mark_attempted([row.id], self.clock.now())
                self.outbox.mark_rejected(row.id, self.clock.now(), reason)
            tally.rejected += 1
        if not rows:
            return tally
        with self.transaction():
            self.outbox.mark_attempted([r.id for r in rows], self.clock.now())
        try:
            results = client.post_events([to_wire(r) for r in rows])
        except SyncError as e:
            return self._failed(rows, e, tally, attempted=True)
        at = self.clock.now()
        with self.transaction():
            for res in results:
                if res["status"] == "rejected":
                    reason = res.get("reason") or "rejected by the back office"
                    self.outbox.mark_rejected(res["id"], at, f"{reason} [{res.get('code') or 'rejected'}]")
                    tally.rejected += 1
                else:
                    self.outbox.mark_delivered(res["id"], at)
                    if res["status"] == "duplicate":
                        tally.duplicates += 1
                    else:
                        tally.pushed += 1
        self.failures = 0
        self.status.update(online=True, last_success=at, last_error=None, next_attempt_at=None, signed_in=True)
        return tally

    def _upload_photos(self, client: BackOfficeClient, rows: list) -> tuple[list, list[tuple[Any, str]]]:
        """Upload the bytes of the batch's photos first. A transient failure cuts the batch before that
        photo (order is kept); bytes that cannot be read or do not match their hash refuse that event."""
        send, refused = [], []
        for row in rows:
            if row.kind == "photo":
                try:
                    if self.read_photo is None:
                        raise PhotoUnavailable("this tool has no photo store configured")
                    data = self.read_photo(row.payload)
                    client.upload_photo(row.payload["photo_id"], data, row.payload["sha256"], row.job_id,
                                        row.payload.get("content_type") or "image/jpeg")
                except PhotoUnavailable as e:
                    refused.append((row, f"The photo's bytes are not on this laptop: {e}. Restore the file, "
                                         "then retry the event."))
                    continue
                except SyncError as e:
                    if not e.transient:
                        refused.append((row, f"The back office refused the photo's bytes: {e}"))
                        continue
                    if send:
                        return send, refused  # send what came before; the photo is tried again next
                    raise
            send.append(row)
        return send, refused

    def _failed(self, rows: list, error: SyncError, tally: DrainTally, attempted: bool = False) -> DrainTally:
        self.failures += 1
        s = self.settings
        base = min(s.backoff_max_s, s.backoff_initial_s * 2 ** (self.failures - 1))
        if isinstance(error, SignedOut):
            base = s.backoff_max_s
            if self._client is not None:
                self._client.close()
            self._client = None
        delay = self.clock.seconds(base * (1.0 - s.backoff_jitter * self.rng.random()))
        next_at = self.clock.now() + timedelta(seconds=delay)
        with self.transaction():
            if not attempted:
                self.outbox.mark_attempted([r.id for r in rows], self.clock.now())
            for r in rows:
                self.outbox.mark_failed(r.id, str(error), next_at)
        tally.errors += 1
        self.status.update(online=not _is_offline(error), last_error=str(error), last_error_at=self.clock.now(),
                           next_attempt_at=next_at, signed_in=not isinstance(error, SignedOut))
        log.info("outbox batch of %d failed (%s); next attempt in %.1f s", len(rows), error, delay)
        return tally


def _is_offline(error: SyncError) -> bool:
    from fieldtool.sync.client import Offline

    return isinstance(error, Offline)
