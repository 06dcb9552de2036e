"""Back-office sync: pull cursors, work-order conflicts awaiting the installer, and the MMS verdicts."""

MIGRATIONS = [
    # 1: ``sync_cursors`` remembers where each incremental pull stands (per server and stream).
    # ``sync_conflicts``: a job the back office changed, cancelled or reassigned while it was being
    # worked here; the server's version waits in ``server_data`` until the installer decides.
    # ``sync_verifications``: step-8 verdicts as the back office sent them (by its id).
    """
    CREATE TABLE sync_cursors (
        server TEXT NOT NULL,
        stream TEXT NOT NULL,
        cursor TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (server, stream)
    );
    CREATE TABLE sync_conflicts (
        job_id TEXT PRIMARY KEY,
        change TEXT NOT NULL,
        server_revision INTEGER NOT NULL,
        local_revision INTEGER,
        local_status TEXT,
        server_data TEXT,
        reason TEXT NOT NULL,
        detected_at TEXT NOT NULL,
        resolved_at TEXT,
        resolution TEXT
    );
    CREATE TABLE sync_verifications (
        server TEXT NOT NULL,
        id INTEGER NOT NULL,
        job_id TEXT,
        event_id TEXT NOT NULL,
        correlation_id TEXT NOT NULL,
        step TEXT NOT NULL,
        outcome TEXT NOT NULL,
        data TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (server, id)
    );
    CREATE INDEX sync_verifications_job ON sync_verifications (job_id);
    """,
    # 2: one sender at a time. Two fieldtool processes (the GUI and a `fieldtool sync` in a terminal) must
    # not drain the same outbox together: the holder of the lease sends, renewing it on every pass.
    """
    CREATE TABLE sync_lease (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    """,
]
