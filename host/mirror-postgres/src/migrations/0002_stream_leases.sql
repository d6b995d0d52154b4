-- 0002: stream leases, so a stream runs in one process at a time (`ats_mirror::lease`). A row
-- per stream ever leased; `holder` NULL when released. `token` rises each time a different
-- holder takes the stream. Taking locks the row with FOR UPDATE SKIP LOCKED, so a process never
-- waits for another that is taking the same stream: it moves on.
CREATE TABLE stream_leases (
    conn       TEXT NOT NULL,
    stream     TEXT NOT NULL,
    holder     TEXT,
    token      BIGINT NOT NULL DEFAULT 0,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (conn, stream)
);
