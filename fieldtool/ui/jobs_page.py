"""Today's jobs: filter and search by route, status, meter number and address; counts; schedule order.

The list holds light summaries (not whole plans), and filtering runs in memory on precomputed text, so a
keystroke answers within a few milliseconds even with tens of thousands of jobs. Loading runs on the
store worker; Enter or a double click opens the job.
"""

from __future__ import annotations

from collections import Counter

from fieldtool.store.work_orders import JobSummary, summaries
from fieldtool.ui.main_window import Page
from fieldtool.ui.qt import (
    QT_TRANSLATE_NOOP,
    QAbstractItemView,
    QAbstractTableModel,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QModelIndex,
    Qt,
    QTableView,
    QVBoxLayout,
    Signal,
)
from fieldtool.ui.widgets import big_button, title

COLUMNS = [("#", "schedule_order"), (QT_TRANSLATE_NOOP("JobsModel", "Job"), "id"),
           (QT_TRANSLATE_NOOP("JobsModel", "Status"), "status"), (QT_TRANSLATE_NOOP("JobsModel", "Route"), "route"),
           (QT_TRANSLATE_NOOP("JobsModel", "Old meter"), "old_meter_number"),
           (QT_TRANSLATE_NOOP("JobsModel", "Address"), "address"),
           (QT_TRANSLATE_NOOP("JobsModel", "Customer"), "customer"), (QT_TRANSLATE_NOOP("JobsModel", "Kind"), "kind")]
# Starting widths in pixels of the columns above; the address takes what is left.
COLUMN_WIDTHS = (50, 175, 120, 70, 110, 0, 200, 100)
ADDRESS_COLUMN = 5
ALL = "all"
_ROOT = QModelIndex()


class JobsModel(QAbstractTableModel):
    def __init__(self):
        super().__init__()
        self.jobs: list[JobSummary] = []
        self._haystacks: list[str] = []
        self.rows: list[int] = []

    def set_jobs(self, jobs: list[JobSummary]) -> None:
        self.beginResetModel()
        self.jobs = jobs
        self._haystacks = [" ".join((j.id, j.route, j.status, j.old_meter_number, j.address, j.customer)).lower()
                           for j in jobs]
        self.rows = list(range(len(jobs)))
        self.endResetModel()

    def apply_filter(self, text: str, route: str = ALL, status: str = ALL) -> None:
        words = text.lower().split()
        jobs, hay = self.jobs, self._haystacks
        self.beginResetModel()
        self.rows = [i for i in range(len(jobs))
                     if (route == ALL or jobs[i].route == route) and (status == ALL or jobs[i].status == status)
                     and all(w in hay[i] for w in words)]
        self.endResetModel()

    def job_at(self, row: int) -> JobSummary:
        return self.jobs[self.rows[row]]

    def rowCount(self, parent=_ROOT):  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=_ROOT):  # noqa: N802
        return len(COLUMNS)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return str(getattr(self.job_at(index.row()), COLUMNS[index.column()][1]))
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(COLUMNS[section][0])
        return None


class JobsPage(Page):
    title = QT_TRANSLATE_NOOP("JobsPage", "Jobs")
    capability = "jobs"
    job_opened = Signal(str)

    def __init__(self, window):
        super().__init__(window)
        self.model = JobsModel()
        lay = QVBoxLayout(self)
        lay.addWidget(title(self.tr("Today's jobs")))
        lay.addWidget(self.banner)
        row = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search: meter number, address, customer, job…"))
        self.search.setAccessibleName(self.tr("search jobs"))
        self.search.setClearButtonEnabled(True)
        self.route = QComboBox()
        self.route.setAccessibleName(self.tr("route"))
        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("status"))
        row.addWidget(self.search, 3)
        row.addWidget(QLabel(self.tr("Route")))
        row.addWidget(self.route, 1)
        row.addWidget(QLabel(self.tr("Status")))
        row.addWidget(self.status, 1)
        row.addWidget(big_button(self.tr("Refresh"), self.reload, name=self.tr("refresh jobs")))
        lay.addLayout(row)
        self.counts = QLabel("")
        self.counts.setAccessibleName(self.tr("job counts"))
        lay.addWidget(self.counts)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("job list"))
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrow keys move inside it
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(44)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(COLUMN_WIDTHS):  # fixed widths: measuring 100,000 rows would stall
            header.resizeSection(column, width)
        header.setSectionResizeMode(ADDRESS_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda idx: self._open(idx.row()))
        self.table.activated.connect(lambda idx: self._open(idx.row()))
        lay.addWidget(self.table, 1)
        lay.addWidget(self.ops)
        self.search.textChanged.connect(self.refilter)
        self.route.currentTextChanged.connect(self.refilter)
        self.status.currentTextChanged.connect(self.refilter)
        self.search.returnPressed.connect(lambda: self._open(0) if self.model.rows else None)
        self.loaded = False

    def wire(self) -> None:
        from fieldtool.ui.exchange_page import ExchangePage

        exchange = self.window_.page(ExchangePage)
        if exchange is not None:
            self.job_opened.connect(lambda job_id: (exchange.open_job(job_id), self.window_.go_to(exchange)))

    def activated(self) -> None:
        if not self.loaded:
            self.reload()
        self.search.setFocus()

    def reload(self) -> None:
        store = self.ctx.store
        self.ops.start(self.tr("Loading jobs"), lambda op: summaries(store), kind="store", on_success=self._loaded)

    def _loaded(self, jobs: list[JobSummary]) -> None:
        self.loaded = True
        self.model.set_jobs(jobs)
        for combo, values in ((self.route, sorted({j.route for j in jobs})),
                              (self.status, sorted({j.status for j in jobs}))):
            current = combo.currentText() or ALL
            combo.blockSignals(True)
            combo.clear()
            combo.addItems([ALL, *values])
            combo.setCurrentText(current if current in values else ALL)
            combo.blockSignals(False)
        self.refilter()

    def refilter(self) -> None:
        self.model.apply_filter(self.search.text(), self.route.currentText() or ALL, self.status.currentText() or ALL)
        shown = [self.model.job_at(r) for r in range(len(self.model.rows))]
        by_status = Counter(j.status for j in shown)
        self.counts.setText(self.tr("{n} of {total} jobs").format(n=len(shown), total=len(self.model.jobs)) + " — "
                            + ", ".join(f"{n} {s}" for s, n in sorted(by_status.items())))

    def _open(self, row: int) -> None:
        if 0 <= row < len(self.model.rows):
            self.job_opened.emit(self.model.job_at(row).id)
