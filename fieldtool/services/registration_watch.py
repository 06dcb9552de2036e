"""Watching a meter that has not registered, retrying at the configured interval (I1NFR3, default 15 min).

A watch starts when the 7.1A path leaves a meter unregistered. Every ``registration_retry_interval_s`` the
watcher asks whether the meter has registered — over the air through the radio while the installer is at
the meter, and after the installer has left through whatever ``check`` the caller supplies (a head-end
look-up through sync, or the radio when the tool passes by again) — and tells the back office each result
through the outbox. When the meter registers, or after ``registration_watch_hours``, the watch ends and the
back office is told. A pending soft-registration is handed to the radio when it is in range (7.1A.6).

Watches live in the store, so they survive a restart; time comes from the injected ``Clock``.
Thread rule: ``run_due`` runs on one thread at a time (the watcher's own thread from ``start``, or a test's);
each watch's update and its outbox events commit in one transaction.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fieldtool.clock import SYSTEM_CLOCK, Clock
from fieldtool.domain.coverage import RadioSettings
from fieldtool.domain.errors import UserFacingError
from fieldtool.radio import RegistrationState, RegistrationStatus, SoftRegistrationReceipt
from fieldtool.services.coverage_events import watch_payload
from fieldtool.store._rows import dump, load, stamp, unstamp
from fieldtool.store.outbox import OutboxEvent

LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class Watch:
    job_id: str
    meter_number: str
    technology: str | None
    meter_address: str | None
    started_at: datetime
    next_check_at: datetime
    attempts: int = 0
    last_state: str | None = None
    last_checked_at: datetime | None = None
    installer_left_at: datetime | None = None
    soft_registration: dict[str, Any] | None = None
    soft_registration_ref: str | None = None
    ended_at: datetime | None = None
    outcome: str | None = None  # registered, expired, cancelled


Check = Callable[[Watch], RegistrationStatus | None]  # None: cannot ask now (no radio here, offline)
SoftSender = Callable[[Watch], SoftRegistrationReceipt | None]

_COLS = ("job_id, meter_number, technology, meter_address, started_at, next_check_at, attempts, last_state, "
         "last_checked_at, installer_left_at, soft_registration, soft_registration_ref, ended_at, outcome")


def _watch(r) -> Watch:
    return Watch(r[0], r[1], r[2], r[3], unstamp(r[4]), unstamp(r[5]), r[6], r[7], unstamp(r[8]), unstamp(r[9]),
                 load(r[10]) if r[10] else None, r[11], unstamp(r[12]), r[13])


class RegistrationWatcher:
    def __init__(self, store, *, settings: RadioSettings, check: Check, send_soft: SoftSender | None = None,
                 clock: Clock = SYSTEM_CLOCK):
        self.store = store
        self.settings = settings
        self.check = check
        self.send_soft = send_soft
        self.clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def interval(self) -> timedelta:
        return timedelta(seconds=self.settings.registration_retry_interval_s)

    # -- watches ------------------------------------------------------------------------------------
    def watch(self, *, job_id: str, meter_number: str, technology: str | None = None,
              meter_address: str | None = None, soft_registration: dict[str, Any] | None = None,
              now: datetime | None = None) -> Watch:
        """Start (or restart) watching a meter; the first retry is one interval from now."""
        now = now or self.clock.now()
        w = Watch(job_id, meter_number, technology, meter_address, now, now + self.interval,
                  soft_registration=soft_registration)
        with self.store.transaction() as c:
            c.execute(f"INSERT OR REPLACE INTO registration_watches ({_COLS}) VALUES ({', '.join('?' * 14)})",
                      (w.job_id, w.meter_number, w.technology, w.meter_address, stamp(w.started_at),
                       stamp(w.next_check_at), 0, None, None, None,
                       dump(soft_registration) if soft_registration else None, None, None, None))
            self._tell(w, "registration_watch_started", now, {"retry_interval_s": self.interval.total_seconds(),
                                                              "give_up_at": stamp(self._give_up_at(w))},
                       from_state="none")
        return w

    def installer_left(self, job_id: str, meter_number: str, now: datetime | None = None) -> None:
        """The installer left the site (7.1A.5 allows it); the watch goes on and the back office knows."""
        now = now or self.clock.now()
        with self.store.transaction() as c:
            c.execute("UPDATE registration_watches SET installer_left_at = ? WHERE job_id = ? AND meter_number = ? "
                      "AND ended_at IS NULL", (stamp(now), job_id, meter_number))
            w = self.get(job_id, meter_number)
            if w is not None and w.ended_at is None:
                self._tell(w, "registration_watch_installer_left", now, {})

    def cancel(self, job_id: str, meter_number: str, now: datetime | None = None) -> None:
        now = now or self.clock.now()
        with self.store.transaction():
            w = self.get(job_id, meter_number)
            if w is not None and w.ended_at is None:
                self._end(w, now, "cancelled", {})

    def get(self, job_id: str, meter_number: str) -> Watch | None:
        with self.store.reading() as c:
            r = c.execute(f"SELECT {_COLS} FROM registration_watches WHERE job_id = ? AND meter_number = ?",
                          (job_id, meter_number)).fetchone()
        return _watch(r) if r else None

    def active(self) -> list[Watch]:
        with self.store.reading() as c:
            rows = c.execute(f"SELECT {_COLS} FROM registration_watches WHERE ended_at IS NULL "
                             "ORDER BY next_check_at").fetchall()
        return [_watch(r) for r in rows]

    # -- retrying -----------------------------------------------------------------------------------
    def run_due(self, now: datetime | None = None) -> list[Watch]:
        """Check every watch that is due; returns the watches as they stand afterwards."""
        now = now or self.clock.now()
        done = []
        for w in self.active():
            if w.next_check_at <= now:
                done.append(self._retry(w, now))
        return done

    def _give_up_at(self, w: Watch) -> datetime:
        return w.started_at + timedelta(hours=self.settings.registration_watch_hours)

    def _retry(self, w: Watch, now: datetime) -> Watch:
        if now >= self._give_up_at(w):
            with self.store.transaction():
                self._end(w, now, "expired", {"attempts": w.attempts, "last_state": w.last_state})
            return self.get(w.job_id, w.meter_number) or w
        try:
            status = self.check(w)
        except UserFacingError as e:
            LOGGER.info("registration check of %s failed: %s", w.meter_number, e)
            status = RegistrationStatus(w.meter_address or w.meter_number, RegistrationState.UNKNOWN, str(e))
        ref = w.soft_registration_ref
        receipt = None
        if w.soft_registration and not ref and self.send_soft is not None:
            try:
                receipt = self.send_soft(w)
            except UserFacingError as e:  # out of range: it stays queued, we try again next time
                LOGGER.info("soft-registration of %s not delivered by radio: %s", w.meter_number, e)
            ref = receipt.reference if receipt and receipt.accepted else ref
        state = status.state.value if status is not None else RegistrationState.UNKNOWN.value
        attempts = w.attempts + 1
        with self.store.transaction() as c:
            c.execute("UPDATE registration_watches SET attempts = ?, last_state = ?, last_checked_at = ?, "
                      "next_check_at = ?, soft_registration_ref = ? WHERE job_id = ? AND meter_number = ?",
                      (attempts, state, stamp(now), stamp(now + self.interval), ref, w.job_id, w.meter_number))
            current = self.get(w.job_id, w.meter_number) or w
            if receipt is not None and receipt.accepted:
                self._tell(current, "soft_registration_sent_by_radio", now,
                           {"reference": receipt.reference, "via": receipt.via})
            detail = {"attempt": attempts, "state": state, "detail": status.detail if status else "could not ask",
                      "via": status.via if status else None}
            if status is not None and status.state is RegistrationState.REGISTERED:
                self._end(current, now, "registered", detail)
            else:
                self._tell(current, "registration_retry", now, {**detail, "next_check_at": stamp(now + self.interval)})
        return self.get(w.job_id, w.meter_number) or current

    def _end(self, w: Watch, now: datetime, outcome: str, detail: dict[str, Any]) -> None:
        self.store.conn.execute(
            "UPDATE registration_watches SET ended_at = ?, outcome = ? WHERE job_id = ? AND meter_number = ?",
            (stamp(now), outcome, w.job_id, w.meter_number))
        event = {"registered": "meter_registered", "expired": "registration_watch_expired",
                 "cancelled": "registration_watch_cancelled"}[outcome]
        self._tell(w, event, now, detail, to_state=outcome)

    def _tell(self, w: Watch, event: str, now: datetime, detail: dict[str, Any], *, to_state: str = "watching",
              from_state: str = "watching") -> None:
        """One observation for the back office, as a ``transition`` of the registration-watch pseudo-step
        (the contract has no kind of its own for it; see ``coverage_events``)."""
        data = {"meter_number": w.meter_number, "technology": w.technology, "meter_address": w.meter_address,
                "installer_on_site": w.installer_left_at is None, **detail}
        payload = watch_payload(event=event, from_state=from_state, to_state=to_state, at=now, data=data)
        self.store.outbox.enqueue([OutboxEvent.new("transition", payload, at=now, job_id=w.job_id)])

    # -- the watcher thread -------------------------------------------------------------------------
    def start(self) -> threading.Thread:
        """Run ``run_due`` on a daemon thread until ``stop()``; waits through the injected clock's scale."""
        self._stop.clear()

        def loop() -> None:
            while not self._stop.is_set():
                try:
                    self.run_due()
                except Exception:  # keep watching; the next round may succeed (the store or radio came back)
                    LOGGER.exception("registration watcher round failed")
                upcoming = [w.next_check_at for w in self.active()]
                wait = self.interval.total_seconds()
                if upcoming:
                    wait = max(0.0, min(wait, (min(upcoming) - self.clock.now()).total_seconds()))
                self._stop.wait(self.clock.seconds(max(wait, 1.0)))

        self._thread = threading.Thread(target=loop, daemon=True, name="registration-watcher")
        self._thread.start()
        return self._thread

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


def headend_check(lookup: Callable[[str], dict[str, Any]]) -> Check:
    """A ``Check`` through the back office's head-end view (``GET /v1/meters/{id}/registration``; ``lookup``
    is the sync client's ``registration(meter_number)``): what works after the installer has left.
    An unreachable back office (a ``UserFacingError``) counts as "could not ask"."""
    def check(w: Watch) -> RegistrationStatus | None:
        try:
            seen = lookup(w.meter_number)
        except UserFacingError as e:
            LOGGER.info("head-end look-up of %s failed: %s", w.meter_number, e)
            return None
        if seen.get("registered"):
            return RegistrationStatus(w.meter_number, RegistrationState.REGISTERED,
                                      f"the head-end heard the meter at {seen.get('heard_at')}", "head-end")
        return RegistrationStatus(w.meter_number, RegistrationState.NOT_REGISTERED,
                                  "the head-end has not heard the meter", "head-end")
    return check


def radio_check(driver) -> Check:
    """A ``Check`` that asks the meter over the air through an open radio driver."""
    def check(w: Watch) -> RegistrationStatus | None:
        if not w.meter_address:
            return None
        return driver.registration_status(w.meter_address)
    return check


def radio_soft_sender(driver) -> SoftSender:
    def send(w: Watch) -> SoftRegistrationReceipt | None:
        return driver.send_soft_registration(w.soft_registration or {})
    return send
