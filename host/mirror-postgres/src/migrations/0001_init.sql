-- 0001: the mirror's schema on PostgreSQL, as the SQLite schema stands at its version 7
-- (`host/mirror-sqlite/src/migrations`): the same tables and columns, with PostgreSQL's own
-- tools where SQLite needed workarounds (a tsvector column + GIN instead of FTS5, one trigger
-- function for the status history, no facet table: the planner probes applications by index).
--
-- Every record table shares the bookkeeping columns described in SQLite's 0001: rid, conn + id
-- (unique), record_json (the record without `raw`), raw, content_hash, version (1 on insert, +1
-- per content change), first_seen_at, last_seen_at, deleted_at (soft delete), missing_since.
-- Times are Unix seconds (BIGINT), as everywhere in the mirror.

CREATE TABLE connections (
    name                     TEXT PRIMARY KEY,
    tenant                   TEXT NOT NULL DEFAULT 'default',
    plugin_path              TEXT NOT NULL,
    plugin_hash              TEXT NOT NULL,
    plugin_declared_json     TEXT NOT NULL DEFAULT '{}',
    settings_json            TEXT NOT NULL,
    secret_refs_json         TEXT NOT NULL,   -- references only, never values
    stream_intervals_json    TEXT NOT NULL,
    extra_allowed_hosts_json TEXT NOT NULL DEFAULT '[]',
    granted_api_hosts_json   TEXT NOT NULL DEFAULT '[]',
    granted_token_url        TEXT,
    limits_json              TEXT NOT NULL DEFAULT '{}',
    paused_at                BIGINT,
    created_at               BIGINT NOT NULL,
    updated_at               BIGINT NOT NULL
);
CREATE INDEX connections_by_tenant ON connections (tenant, name);

CREATE TABLE candidates (
    rid            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conn           TEXT NOT NULL,
    id             TEXT NOT NULL,
    first_name     TEXT,
    last_name      TEXT,
    display_name   TEXT,
    email          TEXT,
    emails_text    TEXT,
    phone          TEXT,
    title          TEXT,
    company        TEXT,
    skills_text    TEXT,
    location       TEXT,
    folder_id      TEXT,
    folder_name    TEXT,
    source         TEXT,
    source_detail  TEXT,
    created_at     BIGINT,
    updated_at     BIGINT,
    resume_text    TEXT,
    -- The search document, written by the host from `ats_mirror::search_text::index_terms` of
    -- each field (weights: name and emails A, title B, company and skills C, resume text with
    -- work history and location D), so words are cut as FTS5 cuts them.
    search         TSVECTOR NOT NULL DEFAULT ''::tsvector,
    record_json    TEXT NOT NULL,
    raw            TEXT,
    content_hash   BIGINT NOT NULL,
    version        BIGINT NOT NULL DEFAULT 1,
    first_seen_at  BIGINT NOT NULL,
    last_seen_at   BIGINT NOT NULL,
    deleted_at     BIGINT,
    missing_since  BIGINT,
    UNIQUE (conn, id)
);
CREATE INDEX candidates_search ON candidates USING gin (search);
-- Newest first among the live candidates: searches without text walk it and stop at the limit.
CREATE INDEX candidates_recent ON candidates (conn, updated_at DESC NULLS LAST, rid DESC)
    WHERE deleted_at IS NULL;
CREATE INDEX candidates_by_folder ON candidates (conn, folder_id) WHERE folder_id IS NOT NULL;

CREATE TABLE candidate_keys (
    conn         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    key          TEXT NOT NULL,
    candidate_id TEXT NOT NULL,
    PRIMARY KEY (conn, kind, key, candidate_id)
);
CREATE INDEX candidate_keys_by_candidate ON candidate_keys (conn, candidate_id);

CREATE TABLE attachments (
    conn          TEXT NOT NULL,
    candidate_id  TEXT NOT NULL,
    id            TEXT NOT NULL,
    kind          TEXT NOT NULL,
    file_name     TEXT,
    content_type  TEXT,
    text          TEXT,
    PRIMARY KEY (conn, candidate_id, id)
);

CREATE TABLE jobs (
    rid            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conn           TEXT NOT NULL,
    id             TEXT NOT NULL,
    requisition    TEXT,
    title          TEXT,
    state          TEXT,
    folder_id      TEXT,
    description    TEXT,
    location       TEXT,
    department     TEXT,
    created_at     BIGINT,
    updated_at     BIGINT,
    record_json    TEXT NOT NULL,
    raw            TEXT,
    content_hash   BIGINT NOT NULL,
    version        BIGINT NOT NULL DEFAULT 1,
    first_seen_at  BIGINT NOT NULL,
    last_seen_at   BIGINT NOT NULL,
    deleted_at     BIGINT,
    missing_since  BIGINT,
    UNIQUE (conn, id)
);

CREATE TABLE applications (
    rid            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conn           TEXT NOT NULL,
    id             TEXT NOT NULL,
    candidate_id   TEXT NOT NULL,
    job_id         TEXT NOT NULL,
    status_id      TEXT,
    status_name    TEXT,
    stage          TEXT,
    source         TEXT,
    applied_at     BIGINT,
    updated_at     BIGINT,
    record_json    TEXT NOT NULL,
    raw            TEXT,
    content_hash   BIGINT NOT NULL,
    version        BIGINT NOT NULL DEFAULT 1,
    first_seen_at  BIGINT NOT NULL,
    last_seen_at   BIGINT NOT NULL,
    deleted_at     BIGINT,
    missing_since  BIGINT,
    UNIQUE (conn, id)
);
CREATE INDEX applications_by_candidate ON applications (conn, candidate_id) WHERE deleted_at IS NULL;
CREATE INDEX applications_by_job ON applications (conn, job_id);
CREATE INDEX applications_by_status ON applications (conn, status_id);

CREATE TABLE application_status_history (
    seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conn           TEXT NOT NULL,
    application_id TEXT NOT NULL,
    status_id      TEXT,
    status_name    TEXT,
    stage          TEXT,
    changed_at     BIGINT,
    seen_at        BIGINT NOT NULL
);
CREATE INDEX status_history_by_application ON application_status_history (conn, application_id, seq);

-- Every path that stores an application records its status changes exactly once; an upsert
-- that changes nothing (same content hash) updates no status column and records nothing.
CREATE FUNCTION record_application_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR OLD.status_id IS DISTINCT FROM NEW.status_id
       OR OLD.stage IS DISTINCT FROM NEW.stage THEN
        INSERT INTO application_status_history
            (conn, application_id, status_id, status_name, stage, changed_at, seen_at)
        VALUES (NEW.conn, NEW.id, NEW.status_id, NEW.status_name, NEW.stage, NEW.updated_at,
                NEW.last_seen_at);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER applications_status_history AFTER INSERT OR UPDATE OF status_id, stage
    ON applications FOR EACH ROW EXECUTE FUNCTION record_application_status();

CREATE TABLE statuses (
    rid            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conn           TEXT NOT NULL,
    id             TEXT NOT NULL,
    name           TEXT,
    stage          TEXT,
    record_json    TEXT NOT NULL,
    raw            TEXT,
    content_hash   BIGINT NOT NULL,
    version        BIGINT NOT NULL DEFAULT 1,
    first_seen_at  BIGINT NOT NULL,
    last_seen_at   BIGINT NOT NULL,
    deleted_at     BIGINT,
    missing_since  BIGINT,
    UNIQUE (conn, id)
);

CREATE TABLE folders (
    rid            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conn           TEXT NOT NULL,
    id             TEXT NOT NULL,
    name           TEXT,
    kind           TEXT,
    record_json    TEXT NOT NULL,
    raw            TEXT,
    content_hash   BIGINT NOT NULL,
    version        BIGINT NOT NULL DEFAULT 1,
    first_seen_at  BIGINT NOT NULL,
    last_seen_at   BIGINT NOT NULL,
    deleted_at     BIGINT,
    missing_since  BIGINT,
    UNIQUE (conn, id)
);

CREATE TABLE stream_state (
    conn                 TEXT NOT NULL,
    stream               TEXT NOT NULL,
    label                TEXT NOT NULL,
    mode                 TEXT,
    cursor               TEXT,
    run_started_at       BIGINT,
    run_max_updated_at   BIGINT,
    high_water_mark      BIGINT,
    last_success_at      BIGINT,
    last_failure_at      BIGINT,
    error_kind           TEXT,
    error_message        TEXT,
    error_advice         TEXT,
    consecutive_failures BIGINT NOT NULL DEFAULT 0,
    paused_until         BIGINT,
    PRIMARY KEY (conn, stream)
);

CREATE TABLE runs (
    run_id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conn           TEXT NOT NULL,
    stream         TEXT NOT NULL,
    mode           TEXT NOT NULL,
    started_at     BIGINT NOT NULL,
    finished_at    BIGINT,
    outcome        TEXT,
    upserted       BIGINT NOT NULL DEFAULT 0,
    unchanged      BIGINT NOT NULL DEFAULT 0,
    deleted        BIGINT NOT NULL DEFAULT 0,
    pages          BIGINT NOT NULL DEFAULT 0,
    requests       BIGINT NOT NULL DEFAULT 0,
    error_kind     TEXT,
    error_message  TEXT
);
CREATE INDEX runs_by_connection ON runs (conn, run_id);

CREATE TABLE reconcile_scans (
    scan_id     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conn        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    started_at  BIGINT NOT NULL,
    state       TEXT NOT NULL,   -- running | finished | abandoned
    finished_at BIGINT
);
CREATE TABLE reconcile_seen (
    scan_id BIGINT NOT NULL,
    id      TEXT NOT NULL,
    PRIMARY KEY (scan_id, id)
);

CREATE TABLE idempotency (
    conn        TEXT NOT NULL,
    key         TEXT NOT NULL,
    state       TEXT NOT NULL,
    result_json TEXT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (conn, key)
);

CREATE TABLE duplicate_links (
    conn        TEXT NOT NULL,
    a_id        TEXT NOT NULL,
    b_id        TEXT NOT NULL,
    rule        TEXT NOT NULL,
    confidence  DOUBLE PRECISION NOT NULL,
    status      TEXT NOT NULL,  -- suggested | confirmed | dismissed
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (conn, a_id, b_id)
);
CREATE INDEX duplicate_links_by_b ON duplicate_links (conn, b_id);

CREATE TABLE candidate_clusters (
    conn         TEXT NOT NULL,
    candidate_id TEXT NOT NULL,
    cluster_id   TEXT NOT NULL,
    PRIMARY KEY (conn, candidate_id)
);
CREATE INDEX candidate_clusters_by_cluster ON candidate_clusters (conn, cluster_id);

CREATE TABLE rejection_reasons (
    conn           TEXT NOT NULL,
    application_id TEXT NOT NULL,
    reason         TEXT NOT NULL,
    rejected_at    BIGINT NOT NULL,
    rejected_by    TEXT,
    PRIMARY KEY (conn, application_id)
);

-- The request-quota ledger of each connection, shared by every process on the database: each
-- update locks its row (`SELECT … FOR UPDATE`), inserting it first with no state when missing.
-- No foreign key: the ATS's quota outlives a removed and re-added connection.
CREATE TABLE quota_ledgers (
    connection TEXT PRIMARY KEY,
    state      TEXT,          -- NULL: locked once, never written
    updated_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
    id         TEXT PRIMARY KEY,
    hash       TEXT NOT NULL UNIQUE,
    tenant     TEXT NOT NULL,
    label      TEXT,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
