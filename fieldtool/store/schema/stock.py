"""The installer's issued stock: which meters each installer carries (for the meter-not-issued check)."""

MIGRATIONS = [
    # 1: one row per installer whose list is known (an empty list is not the same as no list), and
    # the meters on it. ``meter_key`` is the normalised meter number used for look-ups.
    """
    CREATE TABLE stock_lists (
        installer_id TEXT PRIMARY KEY,
        replaced_at TEXT NOT NULL
    );
    CREATE TABLE issued_meters (
        installer_id TEXT NOT NULL REFERENCES stock_lists (installer_id) ON DELETE CASCADE,
        meter_key TEXT NOT NULL,
        meter_number TEXT NOT NULL,
        meter_type TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (installer_id, meter_key)
    );
    CREATE INDEX issued_meters_key ON issued_meters (meter_key);
    """,
]
