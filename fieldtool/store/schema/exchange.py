"""The meter-exchange workflow's state per job and its append-only audit trail."""

REQUIRES = ("work_orders",)

MIGRATIONS = [
    # 1: the state snapshot (where the job stands, enough to resume after a crash) and the audit trail
    # (who did what, when, from which state to which, with what data). The audit is append-only.
    """
    CREATE TABLE exchange_state (
        job_id TEXT PRIMARY KEY REFERENCES work_orders (id),
        state TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        transitions INTEGER NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE exchange_audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id TEXT NOT NULL REFERENCES work_orders (id),
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        event TEXT NOT NULL,
        data TEXT NOT NULL
    );
    CREATE INDEX exchange_audit_job ON exchange_audit (job_id, seq);
    CREATE TRIGGER exchange_audit_no_update BEFORE UPDATE ON exchange_audit BEGIN
        SELECT RAISE(ABORT, 'the audit trail is append-only');
    END;
    CREATE TRIGGER exchange_audit_no_delete BEFORE DELETE ON exchange_audit BEGIN
        SELECT RAISE(ABORT, 'the audit trail is append-only');
    END;
    """,
]
