"""Custody: assets, their component serials, the move history, shipping documents and receipts."""

MIGRATIONS = [
    # 1: ``custody_moves`` is the history (append only: a trigger refuses deletes and updates);
    # ``custody_assets`` is the current state it leads to; ``custody_components`` answers "which asset
    # is this module serial recorded on" for the stale-pairing check (I1BR7).
    """
    CREATE TABLE custody_assets (
        asset_id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        state TEXT,
        asset_type TEXT,
        manufacturer TEXT,
        manufacturer_serial TEXT,
        lot_number TEXT,
        po_number TEXT,
        value REAL,
        currency TEXT NOT NULL,
        components TEXT NOT NULL DEFAULT '{}',
        location TEXT,
        holder TEXT,
        updated_at TEXT,
        container TEXT
    );
    CREATE INDEX custody_assets_container ON custody_assets (container);
    CREATE INDEX custody_assets_lot ON custody_assets (lot_number);
    CREATE INDEX custody_assets_holder ON custody_assets (holder);
    CREATE TABLE custody_components (
        serial TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        asset_id TEXT NOT NULL REFERENCES custody_assets (asset_id)
    );
    CREATE TABLE custody_moves (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        asset_id TEXT NOT NULL REFERENCES custody_assets (asset_id),
        move TEXT NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        actor TEXT NOT NULL,
        at TEXT NOT NULL,
        location TEXT NOT NULL,
        document TEXT NOT NULL,
        action_taken TEXT NOT NULL,
        asset_status TEXT NOT NULL,
        other_kind TEXT,
        reason TEXT NOT NULL DEFAULT '',
        holder TEXT,
        disposal_method TEXT,
        disposal_cost REAL,
        components TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX custody_moves_asset ON custody_moves (asset_id, seq);
    CREATE TRIGGER custody_moves_no_delete BEFORE DELETE ON custody_moves
    BEGIN SELECT RAISE(ABORT, 'custody history is never deleted'); END;
    CREATE TRIGGER custody_moves_no_update BEFORE UPDATE ON custody_moves
    BEGIN SELECT RAISE(ABORT, 'custody history is never changed'); END;
    CREATE TABLE custody_documents (
        document TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('ship_notice', 'purchase_order')),
        po_number TEXT,
        vendor TEXT,
        created_at TEXT NOT NULL,
        body TEXT NOT NULL
    );
    CREATE TABLE custody_receipts (
        id TEXT PRIMARY KEY,
        document TEXT NOT NULL,
        actor TEXT NOT NULL,
        at TEXT NOT NULL,
        location TEXT NOT NULL,
        result TEXT NOT NULL
    );
    """,
]
