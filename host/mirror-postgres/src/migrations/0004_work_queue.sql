-- 0004: the service's work queue and its memory of event deliveries, shared by every process on
-- the database (`ats_mirror::work_queue`, `ats_mirror::deliveries`).
--
-- A work item is available when nobody holds it and its time has come, or when its holder's
-- claim expired (the holder died). Re-reads of one record coalesce while waiting: at most one
-- untaken item per (conn, coalesce_key), enforced by a partial unique index.
CREATE TABLE work_queue (
    id            BIGSERIAL PRIMARY KEY,
    conn          TEXT NOT NULL,
    work          TEXT NOT NULL,
    coalesce_key  TEXT,
    available_at  BIGINT NOT NULL,
    holder        TEXT,
    claimed_until BIGINT NOT NULL DEFAULT 0,
    attempts      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX work_queue_by_conn ON work_queue (conn, id);
CREATE UNIQUE INDEX work_queue_waiting_once ON work_queue (conn, coalesce_key)
    WHERE holder IS NULL AND coalesce_key IS NOT NULL;

-- Recent deliveries per connection: `kind` 'r' for a signed request, 'b' for a body digest.
CREATE TABLE event_deliveries (
    conn    TEXT NOT NULL,
    kind    CHAR(1) NOT NULL,
    key     TEXT NOT NULL,
    seen_at BIGINT NOT NULL,
    PRIMARY KEY (conn, kind, key)
);
CREATE INDEX event_deliveries_by_age ON event_deliveries (conn, kind, seen_at);
