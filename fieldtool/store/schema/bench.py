"""Bench mode: lots, their units, the samples drawn, per-unit test results and lot decisions."""

REQUIRES = ("custody",)

MIGRATIONS = [
    # 1: a lot keeps its plan and the seed its samples were drawn with, so anyone can draw them again;
    # results are append only (a retest adds a row; the latest row of a unit's test counts).
    """
    CREATE TABLE bench_lots (
        lot_id TEXT PRIMARY KEY,
        document TEXT NOT NULL,
        asset_type TEXT,
        lot_size INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        actor TEXT NOT NULL,
        seed INTEGER,
        plan TEXT,
        status TEXT NOT NULL,
        decision TEXT,
        decided_at TEXT
    );
    CREATE TABLE bench_lot_units (
        lot_id TEXT NOT NULL REFERENCES bench_lots (lot_id),
        asset_id TEXT NOT NULL REFERENCES custody_assets (asset_id),
        PRIMARY KEY (lot_id, asset_id)
    );
    CREATE TABLE bench_samples (
        lot_id TEXT NOT NULL REFERENCES bench_lots (lot_id),
        stage INTEGER NOT NULL CHECK (stage IN (1, 2)),
        position INTEGER NOT NULL,
        asset_id TEXT NOT NULL,
        PRIMARY KEY (lot_id, asset_id),
        FOREIGN KEY (lot_id, asset_id) REFERENCES bench_lot_units (lot_id, asset_id)
    );
    CREATE TABLE bench_results (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        lot_id TEXT NOT NULL,
        asset_id TEXT NOT NULL,
        test TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('passed', 'failed', 'not_run')),
        detail TEXT NOT NULL,
        actor TEXT NOT NULL,
        at TEXT NOT NULL,
        FOREIGN KEY (lot_id, asset_id) REFERENCES bench_samples (lot_id, asset_id)
    );
    CREATE INDEX bench_results_unit ON bench_results (lot_id, asset_id, test, seq);
    CREATE TABLE bench_decisions (
        lot_id TEXT NOT NULL REFERENCES bench_lots (lot_id),
        stage INTEGER NOT NULL,
        defects INTEGER NOT NULL,
        decision TEXT NOT NULL,
        actor TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (lot_id, stage)
    );
    """,
]
