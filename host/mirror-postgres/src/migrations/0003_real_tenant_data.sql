-- Issue 19, as SQLite's migrations 8 to 10.

-- Records a connector could not translate: kept until a read of the record succeeds or the
-- record is gone. One row per record; `stream` says which stream's read reported it.
CREATE TABLE record_errors (
    conn          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    id            TEXT NOT NULL,
    stream        TEXT NOT NULL,
    reason        TEXT NOT NULL,
    advice        TEXT NOT NULL,
    first_seen_at BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    attempts      BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (conn, kind, id)
);
CREATE INDEX record_errors_by_stream ON record_errors (conn, stream, id);
ALTER TABLE runs ADD COLUMN record_errors BIGINT NOT NULL DEFAULT 0;

-- Incremental health.
ALTER TABLE stream_state ADD COLUMN unstamped_records BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stream_state ADD COLUMN unstamped_runs BIGINT NOT NULL DEFAULT 0;

-- An application read without any status leaves no all-empty history row.
CREATE OR REPLACE FUNCTION record_application_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.status_id IS NOT NULL OR NEW.stage IS NOT NULL)
       AND (TG_OP = 'INSERT' OR OLD.status_id IS DISTINCT FROM NEW.status_id
            OR OLD.stage IS DISTINCT FROM NEW.stage) THEN
        INSERT INTO application_status_history
            (conn, application_id, status_id, status_name, stage, changed_at, seen_at)
        VALUES (NEW.conn, NEW.id, NEW.status_id, NEW.status_name, NEW.stage, NEW.updated_at,
                NEW.last_seen_at);
    END IF;
    RETURN NULL;
END
$$;
DELETE FROM application_status_history WHERE status_id IS NULL AND stage IS NULL;

-- An application's source detail, so search by source finds where applications came from.
ALTER TABLE applications ADD COLUMN source_detail TEXT;
UPDATE applications SET source_detail = (record_json::jsonb) ->> 'source_detail';
