"""What the UI shows about sync: online or not, how much is queued, sending now, last success, last error.

Thread rule: the drain worker writes, the GUI thread reads ``snapshot()``; one lock guards the fields and
``listeners`` are called on the worker thread (a Qt UI re-emits them as a signal to its own thread).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime


@dataclass(frozen=True)
class SyncStatusView:
    online: bool | None = None  # None: not tried yet
    queued: int = 0
    sending: bool = False
    last_success: datetime | None = None
    last_error: str | None = None  # in words, for the installer
    last_error_at: datetime | None = None
    next_attempt_at: datetime | None = None
    rejected: int = 0  # events the back office refused (see the outbox for why)
    signed_in: bool = True

    def to_data(self) -> dict:
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in asdict(self).items()}


class SyncStatus:
    def __init__(self):
        self._lock = threading.Lock()
        self._view = SyncStatusView()
        self.listeners: list[Callable[[SyncStatusView], None]] = []

    def snapshot(self) -> SyncStatusView:
        with self._lock:
            return self._view

    def update(self, **changes) -> SyncStatusView:
        with self._lock:
            self._view = replace(self._view, **changes)
            view = self._view
        for listener in list(self.listeners):
            listener(view)
        return view
