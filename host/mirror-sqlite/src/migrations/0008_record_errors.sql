-- Records a connector could not translate (issue 19): kept until a read of the record succeeds
-- or the record is gone. One row per record; `stream` says which stream's read reported it.
CREATE TABLE record_errors (
    conn          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    id            TEXT NOT NULL,
    stream        TEXT NOT NULL,
    reason        TEXT NOT NULL,
    advice        TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (conn, kind, id)
) WITHOUT ROWID;
CREATE INDEX record_errors_by_stream ON record_errors (conn, stream, id);

-- How many records the run could not translate.
ALTER TABLE runs ADD COLUMN record_errors INTEGER NOT NULL DEFAULT 0;

-- Incremental health: records the last completed run read without an update date, and how
-- many completed runs in a row did.
ALTER TABLE stream_state ADD COLUMN unstamped_records INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stream_state ADD COLUMN unstamped_runs INTEGER NOT NULL DEFAULT 0;
