"""The HAN log of every interaction with a customer's HAN (I1FR47) and each device's last known place on the
readiness ladder, kept with the job (see store/han.py)."""

MIGRATIONS = [
    # 1: han_log is append-only: one row per stage, message, acknowledgement, failure and guidance, in order.
    # han_devices keeps one row per (job, device) with the latest rung and the I1FR44 data as JSON.
    """
    CREATE TABLE han_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        job_id TEXT NOT NULL,
        at TEXT NOT NULL,
        eui64 TEXT,
        path TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('stage', 'sent', 'received', 'failure', 'guidance', 'note')),
        text TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX han_log_job ON han_log (job_id, seq);
    CREATE TABLE han_devices (
        job_id TEXT NOT NULL,
        eui64 TEXT NOT NULL,
        rung TEXT NOT NULL,
        failure TEXT,
        updated_at TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (job_id, eui64)
    );
    """,
]
