"""Coverage reports measured at meters, and the registration watches left running (see store/coverage.py)."""

MIGRATIONS = [
    # 1: coverage reports (I1FR33, I1FR36) and registration watches (I1NFR3). The whole report is kept as
    # JSON; the columns beside it are what export and look-ups filter and sort on.
    """
    CREATE TABLE coverage_reports (
        id TEXT PRIMARY KEY,
        job_id TEXT,
        meter_number TEXT,
        technology TEXT NOT NULL,
        verdict TEXT NOT NULL CHECK (verdict IN ('adequate', 'marginal', 'none')),
        measured_at TEXT NOT NULL,
        lat REAL,
        lon REAL,
        accuracy_m REAL,
        metric TEXT NOT NULL,
        value REAL,
        loss_pct REAL,
        report TEXT NOT NULL
    );
    CREATE INDEX coverage_reports_job ON coverage_reports (job_id, measured_at);
    CREATE INDEX coverage_reports_time ON coverage_reports (measured_at);
    CREATE TABLE registration_watches (
        job_id TEXT NOT NULL,
        meter_number TEXT NOT NULL,
        technology TEXT,
        meter_address TEXT,
        started_at TEXT NOT NULL,
        next_check_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_state TEXT,
        last_checked_at TEXT,
        installer_left_at TEXT,
        soft_registration TEXT,
        soft_registration_ref TEXT,
        ended_at TEXT,
        outcome TEXT CHECK (outcome IS NULL OR outcome IN ('registered', 'expired', 'cancelled')),
        PRIMARY KEY (job_id, meter_number)
    );
    CREATE INDEX registration_watches_due ON registration_watches (ended_at, next_check_at);
    """,
]
