-- 0001: the first mirror schema.
-- Every record table shares the same bookkeeping columns:
--   rid            integer row id (the FTS index joins on it)
--   conn, id       the connection name and the ATS's id; unique together
--   record_json    the full ats-model record as JSON, without `raw`
--   raw            the connector's raw payload, verbatim
--   content_hash   first 8 bytes of SHA-256 over record_json and raw; unchanged records are not rewritten
--   version        1 on insert, +1 on each content change (lets an upsert tell inserts from updates)
--   first_seen_at, last_seen_at   when the host first / last read it
--   deleted_at     soft delete (gone from the ATS); never hard-deleted by sync
--   missing_since  first clean reconciliation scan that did not list it (grace before deleted_at)

CREATE TABLE connections (
    name                  TEXT PRIMARY KEY,
    plugin_path           TEXT NOT NULL,
    plugin_hash           TEXT NOT NULL,
    settings_json         TEXT NOT NULL,
    secret_refs_json      TEXT NOT NULL,
    stream_intervals_json TEXT NOT NULL,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL
);

CREATE TABLE candidates (
    rid            INTEGER PRIMARY KEY,
    conn           TEXT NOT NULL,
    id             TEXT NOT NULL,
    first_name     TEXT,
    last_name      TEXT,
    display_name   TEXT,
    email          TEXT,   -- primary email, normalised lowercase
    emails_text    TEXT,   -- every email, space separated (search)
    phone          TEXT,   -- first phone, E.164 when it can be derived
    title          TEXT,
    company        TEXT,
    skills_text    TEXT,
    location       TEXT,
    folder_id      TEXT,
    folder_name    TEXT,
    source         TEXT,
    created_at     INTEGER,
    updated_at     INTEGER,
    resume_text    TEXT,
    record_json    TEXT NOT NULL,
    raw            TEXT,
    content_hash   INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    first_seen_at  INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL,
    deleted_at     INTEGER,
    missing_since  INTEGER,
    UNIQUE (conn, id)
);
-- Both search indexes cover every column a search filters or ranks on, so a search touches the
-- wide candidate rows (JSON, raw payload) only for the page it returns.
-- Newest first: drives searches without text, and broad text searches.
CREATE INDEX candidates_updated ON candidates (conn, updated_at, rid, deleted_at, id, folder_id, source);
-- By row id: joins FTS matches (rowids) to the filter columns without reading the rows.
CREATE INDEX candidates_search ON candidates (rid, conn, deleted_at, updated_at, id, folder_id, source);

-- Full-text index over candidates. Contentless (the text lives in `candidates`), with delete
-- support so it can be kept exact; joined to candidates on rowid = rid. The code writes it, not
-- triggers: an FTS5 write inside a trigger runs under a statement savepoint, and FTS5 flushes its
-- pending terms at every savepoint, turning each candidate into its own index segment (8x slower).
CREATE VIRTUAL TABLE candidates_fts USING fts5(
    name, emails, title, company, skills, resume, location,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Document frequency per term: the search estimates how many candidates a query matches and
-- picks its plan (rank every match, or rank the most recent matches).
CREATE VIRTUAL TABLE candidates_fts_terms USING fts5vocab(candidates_fts, 'row');

-- De-duplication keys of a candidate: kind is email | url | phone | name.
CREATE TABLE candidate_keys (
    conn         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    key          TEXT NOT NULL,
    candidate_id TEXT NOT NULL,
    PRIMARY KEY (conn, kind, key, candidate_id)
) WITHOUT ROWID;
CREATE INDEX candidate_keys_by_candidate ON candidate_keys (conn, candidate_id);

CREATE TABLE attachments (
    conn          TEXT NOT NULL,
    candidate_id  TEXT NOT NULL,
    id            TEXT NOT NULL,
    kind          TEXT NOT NULL,
    file_name     TEXT,
    content_type  TEXT,
    text          TEXT,    -- extracted text, filled later by features
    PRIMARY KEY (conn, candidate_id, id)
) WITHOUT ROWID;

CREATE TABLE jobs (
    rid            INTEGER PRIMARY KEY,
    conn           TEXT NOT NULL,
    id             TEXT NOT NULL,
    requisition    TEXT,
    title          TEXT,
    state          TEXT,
    folder_id      TEXT,
    description    TEXT,
    location       TEXT,
    department     TEXT,
    created_at     INTEGER,
    updated_at     INTEGER,
    record_json    TEXT NOT NULL,
    raw            TEXT,
    content_hash   INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    first_seen_at  INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL,
    deleted_at     INTEGER,
    missing_since  INTEGER,
    UNIQUE (conn, id)
);

CREATE TABLE applications (
    rid            INTEGER PRIMARY KEY,
    conn           TEXT NOT NULL,
    id             TEXT NOT NULL,
    candidate_id   TEXT NOT NULL,
    job_id         TEXT NOT NULL,
    status_id      TEXT,
    status_name    TEXT,
    stage          TEXT,
    source         TEXT,
    applied_at     INTEGER,
    updated_at     INTEGER,
    record_json    TEXT NOT NULL,
    raw            TEXT,
    content_hash   INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    first_seen_at  INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL,
    deleted_at     INTEGER,
    missing_since  INTEGER,
    UNIQUE (conn, id)
);
-- Covers the search's per-candidate application filters (stage, status, dates), so they never
-- read the wide application rows.
CREATE INDEX applications_by_candidate ON applications
    (conn, candidate_id, deleted_at, job_id, status_id, stage, applied_at, status_name);
CREATE INDEX applications_by_job ON applications (conn, job_id);
CREATE INDEX applications_by_status ON applications (conn, status_id);

-- Every status an application was seen in. Triggers write it, so every path that stores an
-- application (pages, single writes) records changes exactly once, and re-applying a page
-- (same content, no update) records nothing.
CREATE TABLE application_status_history (
    conn           TEXT NOT NULL,
    application_id TEXT NOT NULL,
    seq            INTEGER PRIMARY KEY,
    status_id      TEXT,
    status_name    TEXT,
    stage          TEXT,
    changed_at     INTEGER,  -- the ATS's updated_at when we saw the change
    seen_at        INTEGER NOT NULL
);
CREATE INDEX status_history_by_application ON application_status_history (conn, application_id);

CREATE TRIGGER applications_status_first AFTER INSERT ON applications BEGIN
    INSERT INTO application_status_history (conn, application_id, status_id, status_name, stage, changed_at, seen_at)
    VALUES (new.conn, new.id, new.status_id, new.status_name, new.stage, new.updated_at, new.last_seen_at);
END;
CREATE TRIGGER applications_status_change AFTER UPDATE OF status_id, stage ON applications
WHEN old.status_id IS NOT new.status_id OR old.stage IS NOT new.stage BEGIN
    INSERT INTO application_status_history (conn, application_id, status_id, status_name, stage, changed_at, seen_at)
    VALUES (new.conn, new.id, new.status_id, new.status_name, new.stage, new.updated_at, new.last_seen_at);
END;

CREATE TABLE statuses (
    rid            INTEGER PRIMARY KEY,
    conn           TEXT NOT NULL,
    id             TEXT NOT NULL,
    name           TEXT,
    stage          TEXT,
    record_json    TEXT NOT NULL,
    raw            TEXT,
    content_hash   INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    first_seen_at  INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL,
    deleted_at     INTEGER,
    missing_since  INTEGER,
    UNIQUE (conn, id)
);

CREATE TABLE folders (
    rid            INTEGER PRIMARY KEY,
    conn           TEXT NOT NULL,
    id             TEXT NOT NULL,
    name           TEXT,
    kind           TEXT,
    record_json    TEXT NOT NULL,
    raw            TEXT,
    content_hash   INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 1,
    first_seen_at  INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL,
    deleted_at     INTEGER,
    missing_since  INTEGER,
    UNIQUE (conn, id)
);

CREATE TABLE stream_state (
    conn                 TEXT NOT NULL,
    stream               TEXT NOT NULL,
    label                TEXT NOT NULL,
    mode                 TEXT,
    cursor               TEXT,
    run_started_at       INTEGER,
    run_max_updated_at   INTEGER,
    high_water_mark      INTEGER,
    last_success_at      INTEGER,
    last_failure_at      INTEGER,
    error_kind           TEXT,
    error_message        TEXT,
    error_advice         TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    paused_until         INTEGER,
    PRIMARY KEY (conn, stream)
) WITHOUT ROWID;

CREATE TABLE runs (
    run_id         INTEGER PRIMARY KEY,
    conn           TEXT NOT NULL,
    stream         TEXT NOT NULL,
    mode           TEXT NOT NULL,
    started_at     INTEGER NOT NULL,
    finished_at    INTEGER,
    outcome        TEXT,          -- NULL while running
    upserted       INTEGER NOT NULL DEFAULT 0,
    unchanged      INTEGER NOT NULL DEFAULT 0,
    deleted        INTEGER NOT NULL DEFAULT 0,
    pages          INTEGER NOT NULL DEFAULT 0,
    requests       INTEGER NOT NULL DEFAULT 0,
    error_kind     TEXT,
    error_message  TEXT
);
CREATE INDEX runs_by_connection ON runs (conn, run_id);

CREATE TABLE reconcile_scans (
    scan_id     INTEGER PRIMARY KEY,
    conn        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    started_at  INTEGER NOT NULL,
    state       TEXT NOT NULL,   -- running | finished | abandoned
    finished_at INTEGER
);
CREATE TABLE reconcile_seen (
    scan_id INTEGER NOT NULL,
    id      TEXT NOT NULL,
    PRIMARY KEY (scan_id, id)
) WITHOUT ROWID;

CREATE TABLE idempotency (
    conn        TEXT NOT NULL,
    key         TEXT NOT NULL,
    state       TEXT NOT NULL,
    result_json TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (conn, key)
) WITHOUT ROWID;

-- Candidate pairs that may be one person; a_id < b_id.
CREATE TABLE duplicate_links (
    conn        TEXT NOT NULL,
    a_id        TEXT NOT NULL,
    b_id        TEXT NOT NULL,
    rule        TEXT NOT NULL,
    confidence  REAL NOT NULL,
    status      TEXT NOT NULL,  -- suggested | confirmed | dismissed
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (conn, a_id, b_id)
) WITHOUT ROWID;
CREATE INDEX duplicate_links_by_b ON duplicate_links (conn, b_id);

-- Connected components of non-dismissed links; a candidate without a row is its own cluster.
CREATE TABLE candidate_clusters (
    conn         TEXT NOT NULL,
    candidate_id TEXT NOT NULL,
    cluster_id   TEXT NOT NULL,
    PRIMARY KEY (conn, candidate_id)
) WITHOUT ROWID;
CREATE INDEX candidate_clusters_by_cluster ON candidate_clusters (conn, cluster_id);

-- Reasons recruiters gave for rejections (the iCIMS API does not expose them).
CREATE TABLE rejection_reasons (
    conn           TEXT NOT NULL,
    application_id TEXT NOT NULL,
    reason         TEXT NOT NULL,
    rejected_at    INTEGER NOT NULL,
    rejected_by    TEXT,
    PRIMARY KEY (conn, application_id)
) WITHOUT ROWID;
