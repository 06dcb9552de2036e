"""Sync with the back office, always in sight: the status-bar widget (offline / online, queued, sending, last
sync, failures in words, Sync now) and the screen where the installer settles conflicts (keep local / accept
server). The sync itself runs on its own worker (``SyncService.start``) or, for Sync now, through an op."""

from __future__ import annotations

from fieldtool.sync.status import SyncStatusView
from fieldtool.ui.main_window import Page
from fieldtool.ui.ops import Op, error_text
from fieldtool.ui.qt import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QObject,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from fieldtool.ui.widgets import big_button, title


class _Relay(QObject):
    changed = Signal(object)


def describe(v: SyncStatusView) -> tuple[str, str]:
    """(text, severity) for the status bar."""
    state = (QCoreApplication.translate("SyncBar", "not tried yet") if v.online is None
             else (QCoreApplication.translate("SyncBar", "online") if v.online else QCoreApplication.translate("SyncBar", "OFFLINE")))
    parts = [QCoreApplication.translate("SyncBar", "Back office: {state}").format(state=state),
             QCoreApplication.translate("SyncBar", "{n} queued").format(n=v.queued)]
    if v.sending:
        parts.append(QCoreApplication.translate("SyncBar", "sending…"))
    if v.rejected:
        parts.append(QCoreApplication.translate("SyncBar", "{n} refused (see Outbox)").format(n=v.rejected))
    if v.last_success:
        parts.append(QCoreApplication.translate("SyncBar", "last sync {time}").format(time=f"{v.last_success:%H:%M}"))
    if not v.signed_in:
        parts.append(QCoreApplication.translate("SyncBar", "sign in again"))
    if v.last_error:
        parts.append(v.last_error)
    severity = "ok" if v.online and not v.last_error and not v.rejected else ("warn" if v.online is not None else "info")
    return " · ".join(parts), severity


class SyncBar(QWidget):
    """Lives in the main window's status bar; listens to the sync service's status from any thread."""

    def __init__(self, sync):
        super().__init__()
        self.sync = sync
        self.relay = _Relay()
        self.relay.changed.connect(self.show_status)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("")
        self.label.setAccessibleName(self.tr("sync status"))
        self.button = big_button(self.tr("Sync now"), self.sync_now, name=self.tr("sync with the back office now"))
        lay.addWidget(self.label)
        lay.addWidget(self.button)
        sync.status.listeners.append(self.relay.changed.emit)
        self.op: Op | None = None
        self.show_status(sync.status.snapshot())

    def show_status(self, view: SyncStatusView) -> None:
        text, severity = describe(view)
        self.label.setText(text)
        self.label.setProperty("severity", severity)
        self.label.style().unpolish(self.label)
        self.label.style().polish(self.label)

    def sync_now(self) -> None:
        if self.op is not None and self.op.running:
            self.op.cancel()
            return
        sync = self.sync
        self.button.setText(self.tr("Cancel sync"))
        self.op = Op(lambda op: sync.run_once(cancel=op.cancel_event), kind="io",
                     on_failure=lambda e: self.label.setText(error_text(e)),
                     on_finished=lambda: self.button.setText(self.tr("Sync now"))).run()


class ConflictsPage(Page):
    title = QT_TRANSLATE_NOOP("ConflictsPage", "Conflicts")
    capability = "sync"

    def __init__(self, window):
        super().__init__(window)
        lay = QVBoxLayout(self)
        lay.addWidget(title(self.tr("Jobs the back office changed while you worked them")))
        lay.addWidget(self.banner)
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("conflicts"))
        self.list.setWordWrap(True)
        lay.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(big_button(self.tr("Keep mine"), lambda: self.resolve("keep_local"), name=self.tr("keep the local version")))
        row.addWidget(big_button(self.tr("Accept the back office's"), lambda: self.resolve("accept_server"),
                                 name=self.tr("accept the back office version")))
        row.addWidget(big_button(self.tr("Refresh"), self.reload, name=self.tr("refresh conflicts")))
        lay.addLayout(row)
        lay.addWidget(self.ops)

    def _sync(self):
        return getattr(self.ctx, "sync", None)

    def activated(self) -> None:
        self.reload()

    def reload(self) -> None:
        sync = self._sync()
        if sync is None:
            self.banner.show_message(self.tr("This laptop is not signed in to the back office yet."), "info")
            return
        self.ops.start(self.tr("Reading conflicts"), lambda op: sync.conflicts(), kind="store", on_success=self._show)

    def _show(self, conflicts) -> None:
        self.list.clear()
        for c in conflicts:
            if c.resolved_at is not None:
                continue
            item = QListWidgetItem(f"{c.job_id}: {c.change} — {c.reason} " + self.tr("(your status: {status})").format(
                status=c.local_status or "-"))
            item.setData(Qt.ItemDataRole.UserRole, c.job_id)
            self.list.addItem(item)
        if not self.list.count():
            self.banner.show_message(self.tr("No conflicts: nothing to decide."), "ok")
        else:
            self.list.setCurrentRow(0)

    def resolve(self, how: str) -> None:
        item = self.list.currentItem()
        sync = self._sync()
        if item is None or sync is None:
            return
        job = item.data(Qt.ItemDataRole.UserRole)
        self.ops.start(self.tr("Settling the conflict"), lambda op: sync.resolve(job, how), kind="store",
                       on_success=lambda c: (self.banner.show_message(f"{c.job_id}: {c.resolution.replace('_', ' ')}.",
                                                                      "ok"), self.reload()))
