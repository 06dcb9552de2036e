"""The outbox: events waiting for the back office's acknowledgement (see fieldtool/store/outbox.py)."""

MIGRATIONS = [
    # 1: the outbox. A row is never deleted before the back office acknowledged it (delivered or
    # rejected); the trigger makes that a rule of the file, not only of the code.
    """
    CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        schema_version INTEGER NOT NULL,
        payload TEXT NOT NULL,
        job_id TEXT,
        correlation_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_error TEXT,
        state TEXT NOT NULL DEFAULT 'queued'
            CHECK (state IN ('queued', 'attempted', 'delivered', 'rejected')),
        reject_reason TEXT,
        attempted_at TEXT,
        acknowledged_at TEXT
    );
    CREATE INDEX outbox_due ON outbox (state, next_attempt_at, seq);
    CREATE INDEX outbox_job ON outbox (job_id, seq);
    CREATE TRIGGER outbox_kept_until_acknowledged BEFORE DELETE ON outbox
    WHEN OLD.state NOT IN ('delivered', 'rejected')
    BEGIN
        SELECT RAISE(ABORT, 'an outbox row is kept until the back office acknowledged it');
    END;
    """,
]
