"""The coverage repository: reports measured at meters, each saved with its outbox event in one transaction.

Joins an open ``store.transaction()`` (nested blocks become savepoints), so a caller can save a report with
other work atomically. Reads go through ``store.reading()``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fieldtool.domain.codec import from_data
from fieldtool.domain.coverage import CoverageReport
from fieldtool.store._rows import dump, load, stamp
from fieldtool.store.outbox import OutboxEvent

EVENT_KIND = "coverage_report"
EVENT_SCHEMA_VERSION = 1


class CoverageReports:
    def __init__(self, store):
        self.store = store

    def add(self, report: CoverageReport, *, event_payload: dict[str, Any] | None = None) -> OutboxEvent | None:
        """Save the report and, when ``event_payload`` is given, its ``coverage_report`` outbox event with that
        payload (shaped for the back office by the service), in one transaction.

        The event's id is the report's id, so the back office de-duplicates a report sent twice.
        """
        pos = report.position
        event = None
        with self.store.transaction() as c:
            c.execute(
                "INSERT INTO coverage_reports (id, job_id, meter_number, technology, verdict, measured_at, lat, lon, "
                "accuracy_m, metric, value, loss_pct, report) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (report.id, report.job_id, report.meter_number, report.technology, str(report.verdict),
                 stamp(report.measured_at), pos.lat if pos else None, pos.lon if pos else None,
                 pos.accuracy_m if pos else None, report.metric, report.value, report.loss_pct, dump(report)),
            )
            if event_payload is not None:
                event = OutboxEvent(
                    id=report.id, kind=EVENT_KIND, schema_version=EVENT_SCHEMA_VERSION, payload=event_payload,
                    job_id=report.job_id, correlation_id=report.job_id or report.id, created_at=report.measured_at,
                )
                self.store.outbox.enqueue([event])
        return event

    def get(self, report_id: str) -> CoverageReport | None:
        with self.store.reading() as c:
            row = c.execute("SELECT report FROM coverage_reports WHERE id = ?", (report_id,)).fetchone()
        return None if row is None else from_data(CoverageReport, load(row[0]), f"coverage report {report_id}")

    def list(self, *, job_id: str | None = None, technology: str | None = None, since: datetime | None = None,
             limit: int | None = None) -> list[CoverageReport]:
        """Oldest first."""
        sql, args = "SELECT id, report FROM coverage_reports WHERE 1=1", []
        if job_id is not None:
            sql, args = sql + " AND job_id = ?", [*args, job_id]
        if technology is not None:
            sql, args = sql + " AND technology = ?", [*args, technology]
        if since is not None:
            sql, args = sql + " AND measured_at >= ?", [*args, stamp(since)]
        sql += " ORDER BY measured_at, id"
        if limit is not None:
            sql, args = sql + " LIMIT ?", [*args, int(limit)]
        with self.store.reading() as c:
            rows = c.execute(sql, args).fetchall()
        return [from_data(CoverageReport, load(text), f"coverage report {rid}") for rid, text in rows]
