"""Work orders: the plan as JSON plus the columns the installer searches and sorts by."""

MIGRATIONS = [
    # 1: the work orders, with indexed copies of what lists and look-ups need. ``data`` is the whole
    # WorkOrder (fieldtool.domain.codec.to_data); the other columns are derived from it on every write.
    """
    CREATE TABLE work_orders (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        district TEXT NOT NULL,
        route TEXT NOT NULL,
        schedule_order INTEGER NOT NULL DEFAULT 0,
        old_meter_number TEXT,
        address TEXT NOT NULL,
        installer_id TEXT,
        revision INTEGER NOT NULL DEFAULT 0,
        data TEXT NOT NULL
    );
    CREATE INDEX work_orders_route ON work_orders (route, schedule_order, id);
    CREATE INDEX work_orders_status ON work_orders (status, route, schedule_order);
    CREATE INDEX work_orders_old_meter ON work_orders (old_meter_number);
    CREATE INDEX work_orders_installer ON work_orders (installer_id, route, schedule_order);
    """,
    # 2: full-text search (FTS5, kept in step by triggers) over the address and, in ``search_text``, the
    # id, customer, ISP, account and old meter number. Existing rows get it from their stored JSON.
    """
    ALTER TABLE work_orders ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
    UPDATE work_orders SET search_text = trim(
        id || ' ' ||
        coalesce(json_extract(data, '$.service_point.customer_name'), '') || ' ' ||
        coalesce(json_extract(data, '$.service_point.isp_number'), '') || ' ' ||
        coalesce(json_extract(data, '$.service_point.account_number'), '') || ' ' ||
        coalesce(json_extract(data, '$.removal.meter_number'), '') || ' ' ||
        coalesce(old_meter_number, ''));
    CREATE VIRTUAL TABLE work_orders_fts USING fts5 (
        address, search_text, content='work_orders', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER work_orders_fts_insert AFTER INSERT ON work_orders BEGIN
        INSERT INTO work_orders_fts (rowid, address, search_text)
        VALUES (new.rowid, new.address, new.search_text);
    END;
    CREATE TRIGGER work_orders_fts_delete AFTER DELETE ON work_orders BEGIN
        INSERT INTO work_orders_fts (work_orders_fts, rowid, address, search_text)
        VALUES ('delete', old.rowid, old.address, old.search_text);
    END;
    CREATE TRIGGER work_orders_fts_update AFTER UPDATE OF address, search_text ON work_orders BEGIN
        INSERT INTO work_orders_fts (work_orders_fts, rowid, address, search_text)
        VALUES ('delete', old.rowid, old.address, old.search_text);
        INSERT INTO work_orders_fts (rowid, address, search_text)
        VALUES (new.rowid, new.address, new.search_text);
    END;
    INSERT INTO work_orders_fts (work_orders_fts) VALUES ('rebuild');
    """,
]
