"""Background operations for the GUI (Anki's QueryOp/CollectionOp idea).

Nothing the installer waits for runs on the GUI thread. ``Op(fn)`` runs ``fn(ctx)`` on a worker of a
``QThreadPool``; ``ctx.progress(fraction, text)`` and ``ctx.cancelled`` let the work report and stop; the
result, the error or the cancellation comes back on the GUI thread through Qt signals (queued connections).

Two pools, as Anki has: ``store`` work is serialised on one thread (one writer to SQLite), device and
network work runs in parallel. Never touch a widget inside ``fn``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from fieldtool.domain.errors import UserCancelled, UserFacingError
from fieldtool.ui.qt import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal

log = logging.getLogger(__name__)

_pools: dict[str, QThreadPool] = {}


def pool(kind: str) -> QThreadPool:
    """``store``: one thread (serialised database work); ``io``: devices and network, several threads."""
    if kind not in _pools:
        p = QThreadPool()
        p.setMaxThreadCount(1 if kind == "store" else 4)
        _pools[kind] = p
    return _pools[kind]


class OpContext:
    """Handed to the work function on the worker thread."""

    def __init__(self, signals: _Signals, cancel: threading.Event):
        self._signals = signals
        self.cancel_event = cancel

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def check_cancelled(self) -> None:
        if self.cancel_event.is_set():
            raise UserCancelled()

    def progress(self, fraction: float | None, text: str = "") -> None:
        """``fraction`` in 0..1, or None when the length is unknown."""
        self._signals.progress.emit(-1.0 if fraction is None else float(fraction), text)


class _Signals(QObject):
    progress = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()


class _Runnable(QRunnable):
    def __init__(self, op: Op):
        super().__init__()
        self.op = op
        self.setAutoDelete(True)

    def run(self) -> None:  # worker thread
        op = self.op
        op.thread_name = threading.current_thread().name
        try:
            result = op.fn(op.context)
        except UserCancelled:
            op.signals.cancelled.emit()
        except Exception as e:  # noqa: BLE001 - every error goes back to the GUI thread
            if not isinstance(e, UserFacingError):
                log.exception("background operation failed")
            op.signals.failed.emit(e)
        else:
            if op.context.cancelled:
                op.signals.cancelled.emit()
            else:
                op.signals.succeeded.emit(result)
        finally:
            self.op = None  # the GUI thread holds the last reference (see _done)
            op.signals.finished.emit()


class Op:
    """One background operation. Connect the callbacks, then ``run()``; ``cancel()`` asks it to stop."""

    def __init__(
        self,
        fn: Callable[[OpContext], Any],
        *,
        kind: str = "io",
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[Exception], None] | None = None,
        on_progress: Callable[[float, str], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        on_finished: Callable[[], None] | None = None,
    ):
        self.fn = fn
        self.kind = kind
        self.signals = _Signals()
        self._cancel = threading.Event()
        self.context = OpContext(self.signals, self._cancel)
        self.thread_name: str | None = None
        self.running = False
        for signal, cb in (
            (self.signals.succeeded, on_success),
            (self.signals.failed, on_failure),
            (self.signals.progress, on_progress),
            (self.signals.cancelled, on_cancelled),
            (self.signals.finished, on_finished),
        ):
            if cb is not None:
                signal.connect(cb)
        self.signals.finished.connect(self._done)
        _live.add(self)

    def run(self) -> Op:
        self.running = True
        pool(self.kind).start(_Runnable(self))
        return self

    def cancel(self) -> None:
        self._cancel.set()

    def _done(self) -> None:
        self.running = False
        # Release a moment later: the worker may still be returning from its last emit, and the signals
        # object (a QObject of the GUI thread) must not be destroyed by the worker thread's last reference.
        QTimer.singleShot(RELEASE_AFTER_MS, lambda: _live.discard(self))


# Ops stay referenced until their finished signal has been delivered on the GUI thread, and a moment after.
_live: set[Op] = set()
RELEASE_AFTER_MS = 500


def error_text(e: Exception) -> str:
    """What the person is told: a user-facing error as it is; anything else with where the log is."""
    if isinstance(e, UserFacingError):
        return str(e)
    from fieldtool.logs import log_path

    return QCoreApplication.translate(
        "Op", "Something went wrong that the tool did not expect ({error}). The details are in {log}.").format(
        error=f"{type(e).__name__}: {e}", log=log_path())
