"""Photos attached to jobs: the record of each picture (its bytes live in a file named by its id)."""

MIGRATIONS = [
    # 1: one row per photo; ``sha256`` is of the file's exact bytes. ``job_id`` is not a foreign key:
    # a photo may document a job that a later download no longer lists, and evidence is never dropped.
    """
    CREATE TABLE photos (
        id TEXT PRIMARY KEY,
        job_id TEXT,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        content_type TEXT NOT NULL,
        taken_at TEXT NOT NULL,
        path TEXT NOT NULL,
        caption TEXT NOT NULL DEFAULT '',
        attached_to TEXT,
        lat REAL,
        lon REAL,
        accuracy_m REAL,
        fix_time TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX photos_job ON photos (job_id);
    """,
]
