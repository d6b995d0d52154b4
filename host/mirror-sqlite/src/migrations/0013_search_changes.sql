-- The change log the search index follows (see `search_sync.rs`): a row per insert, delete, or
-- change of what a candidate's search reads (its record, résumé text, update time, deletion,
-- and the facets of its applications).
-- AUTOINCREMENT: a sequence number is never reused after the log is pruned, so the index's
-- position in it stays meaningful. Syncing a page that changes nothing (only `last_seen_at`)
-- logs nothing.
CREATE TABLE search_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    rid INTEGER NOT NULL
);

-- The mirror's identity (an index is never applied to another file's log) and how far the log
-- was pruned (an index behind that point is rebuilt, not caught up).
CREATE TABLE search_index_state (
    only_row       INTEGER PRIMARY KEY CHECK (only_row = 1),
    mirror_id      TEXT NOT NULL,
    pruned_through INTEGER NOT NULL DEFAULT 0
);
INSERT INTO search_index_state (only_row, mirror_id) VALUES (1, lower(hex(randomblob(16))));

CREATE TRIGGER candidates_search_insert AFTER INSERT ON candidates BEGIN
    INSERT INTO search_changes (rid) VALUES (NEW.rid);
END;
CREATE TRIGGER candidates_search_update
AFTER UPDATE OF content_hash, updated_at, deleted_at, resume_text ON candidates
WHEN OLD.content_hash IS NOT NEW.content_hash OR OLD.updated_at IS NOT NEW.updated_at
  OR OLD.deleted_at IS NOT NEW.deleted_at OR OLD.resume_text IS NOT NEW.resume_text
BEGIN
    INSERT INTO search_changes (rid) VALUES (NEW.rid);
END;
CREATE TRIGGER candidates_search_delete AFTER DELETE ON candidates BEGIN
    INSERT INTO search_changes (rid) VALUES (OLD.rid);
END;
-- A candidate's facets change with its applications (and their statuses' stages); the facet
-- triggers of migration 3 rewrite them, these log the candidate.
CREATE TRIGGER candidate_facets_search_insert AFTER INSERT ON candidate_facets BEGIN
    INSERT INTO search_changes (rid) VALUES (NEW.rid);
END;
CREATE TRIGGER candidate_facets_search_delete AFTER DELETE ON candidate_facets BEGIN
    INSERT INTO search_changes (rid) VALUES (OLD.rid);
END;
