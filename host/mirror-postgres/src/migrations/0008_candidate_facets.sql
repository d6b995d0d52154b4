-- Facets: what a candidate's filters need, kept on the candidate's row, so a search that
-- combines text with a stage, status, rejection or source filter intersects two GIN indexes
-- (a BitmapAnd) before reading any row. Before, it checked the filter on every text match (on
-- 1M candidates, "seattle" in stage screening: 554 ms). SQLite keeps the same sets in its own
-- `candidate_facets` table (its migration 3).
--   'app'              the candidate has a live application
--   'stage:<stage>'    a live application's stage (its own, else its status's)
--   'status:<id>'      a live application's status
--   'unrejected'       a live application not at stage rejected
--   'source:<lower>'   the candidate's source or source detail, or a live application's
-- Triggers keep the facets exact on every write path. A search with one application condition
-- (stages, statuses or rejection) or a source filter needs nothing more; with several, all must
-- hold for one application, so the search checks them on what the facets leave.

CREATE FUNCTION candidate_facets_of(p_conn TEXT, p_id TEXT, p_source TEXT, p_source_detail TEXT)
RETURNS TEXT[] LANGUAGE sql STABLE AS $$
    SELECT COALESCE(array_agg(DISTINCT f ORDER BY f), '{}') FROM (
        SELECT 'source:' || lower(p_source) AS f
        UNION ALL SELECT 'source:' || lower(p_source_detail)
        UNION ALL
        SELECT unnest(ARRAY['app', 'stage:' || COALESCE(a.stage, s.stage),
                            CASE WHEN COALESCE(a.stage, s.stage) IS DISTINCT FROM 'rejected'
                                 THEN 'unrejected' END,
                            'status:' || a.status_id, 'source:' || lower(a.source),
                            'source:' || lower(a.source_detail)])
        FROM applications a LEFT JOIN statuses s ON s.conn = a.conn AND s.id = a.status_id
        WHERE a.conn = p_conn AND a.candidate_id = p_id AND a.deleted_at IS NULL
    ) x WHERE f IS NOT NULL
$$;

ALTER TABLE candidates ADD COLUMN facets TEXT[] NOT NULL DEFAULT '{}';
UPDATE candidates c SET facets = candidate_facets_of(c.conn, c.id, c.source, c.source_detail)
    WHERE c.source IS NOT NULL OR c.source_detail IS NOT NULL
       OR EXISTS (SELECT 1 FROM applications a WHERE a.conn = c.conn
                  AND a.candidate_id = c.id AND a.deleted_at IS NULL);
CREATE INDEX candidates_facets ON candidates USING gin (facets) WHERE deleted_at IS NULL;
-- The recency walk (a search without text) reads the facets from the index, so a filter on
-- facets alone never visits a row it does not keep.
DROP INDEX candidates_recent;
CREATE INDEX candidates_recent ON candidates (conn, updated_at DESC NULLS LAST, rid DESC)
    INCLUDE (facets) WHERE deleted_at IS NULL;
-- The planner's estimates of facet filters come from the column's statistics.
ANALYZE candidates;

-- A candidate inserted takes the facets of its source at once, computed from the row alone (a
-- lookup per row cost 36 us of the ~50 us an insert takes); the few inserted after their
-- applications (read first) get the rest from the statement trigger below. A changed source
-- recomputes all (rare: syncs write the same source again, which changes nothing).
CREATE FUNCTION set_candidate_facets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE s TEXT; d TEXT;
BEGIN
    IF TG_OP = 'INSERT' THEN
        s := 'source:' || lower(NEW.source);
        d := 'source:' || lower(NEW.source_detail);
        NEW.facets := CASE
            WHEN s IS NULL AND d IS NULL THEN '{}'::text[]
            WHEN s IS NULL THEN ARRAY[d]
            WHEN d IS NULL OR d = s THEN ARRAY[s]
            WHEN s < d THEN ARRAY[s, d]
            ELSE ARRAY[d, s] END;
    ELSIF OLD.source IS DISTINCT FROM NEW.source
       OR OLD.source_detail IS DISTINCT FROM NEW.source_detail THEN
        NEW.facets := candidate_facets_of(NEW.conn, NEW.id, NEW.source, NEW.source_detail);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER candidates_facets BEFORE INSERT OR UPDATE OF source, source_detail
    ON candidates FOR EACH ROW EXECUTE FUNCTION set_candidate_facets();

-- Applications change in pages: one statement-level trigger per event recomputes the facets of
-- the page's candidates in one UPDATE, and only writes rows whose facets changed.
CREATE FUNCTION refresh_candidate_facets(p_conns TEXT[], p_ids TEXT[]) RETURNS void
LANGUAGE sql AS $$
    UPDATE candidates c SET facets = f.facets
    FROM (SELECT c2.rid, candidate_facets_of(c2.conn, c2.id, c2.source, c2.source_detail) AS facets
          FROM (SELECT DISTINCT conn, id FROM unnest(p_conns, p_ids) AS t (conn, id)) t
          JOIN candidates c2 ON c2.conn = t.conn AND c2.id = t.id) f
    WHERE c.rid = f.rid AND c.facets IS DISTINCT FROM f.facets
$$;

CREATE FUNCTION candidate_facets_after_candidates_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE conns TEXT[]; ids TEXT[];
BEGIN
    SELECT array_agg(n.conn), array_agg(n.id) INTO conns, ids FROM new_candidates n
    WHERE EXISTS (SELECT 1 FROM applications a WHERE a.conn = n.conn
                  AND a.candidate_id = n.id AND a.deleted_at IS NULL);
    IF conns IS NOT NULL THEN
        PERFORM refresh_candidate_facets(conns, ids);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER candidates_facets_insert AFTER INSERT ON candidates
    REFERENCING NEW TABLE AS new_candidates
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_facets_after_candidates_insert();

CREATE FUNCTION candidate_facets_after_applications_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE conns TEXT[]; ids TEXT[];
BEGIN
    SELECT array_agg(conn), array_agg(candidate_id) INTO conns, ids FROM new_applications;
    PERFORM refresh_candidate_facets(conns, ids);
    RETURN NULL;
END
$$;
CREATE TRIGGER applications_facets_insert AFTER INSERT ON applications
    REFERENCING NEW TABLE AS new_applications
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_facets_after_applications_insert();

-- Updates touch `last_seen_at` of every unchanged application a sync sees again, so only rows
-- whose facet inputs changed count.
CREATE FUNCTION candidate_facets_after_applications_update() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE conns TEXT[]; ids TEXT[];
BEGIN
    SELECT array_agg(t.conn), array_agg(t.candidate_id) INTO conns, ids FROM (
        SELECT n.conn, unnest(ARRAY[n.candidate_id, o.candidate_id]) AS candidate_id
        FROM new_applications n JOIN old_applications o ON o.rid = n.rid
        WHERE n.candidate_id IS DISTINCT FROM o.candidate_id
           OR n.stage IS DISTINCT FROM o.stage
           OR n.status_id IS DISTINCT FROM o.status_id
           OR n.deleted_at IS DISTINCT FROM o.deleted_at
           OR n.source IS DISTINCT FROM o.source
           OR n.source_detail IS DISTINCT FROM o.source_detail) t;
    IF conns IS NOT NULL THEN
        PERFORM refresh_candidate_facets(conns, ids);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER applications_facets_update AFTER UPDATE ON applications
    REFERENCING OLD TABLE AS old_applications NEW TABLE AS new_applications
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_facets_after_applications_update();

CREATE FUNCTION candidate_facets_after_applications_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE conns TEXT[]; ids TEXT[];
BEGIN
    SELECT array_agg(conn), array_agg(candidate_id) INTO conns, ids FROM old_applications;
    PERFORM refresh_candidate_facets(conns, ids);
    RETURN NULL;
END
$$;
CREATE TRIGGER applications_facets_delete AFTER DELETE ON applications
    REFERENCING OLD TABLE AS old_applications
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_facets_after_applications_delete();

-- A status's stage feeds the stage of applications that have none of their own; a status read
-- for the first time gives one to applications that named it before. Syncs write statuses
-- again unchanged, so an update counts only when the stage changed.
CREATE FUNCTION candidate_facets_after_statuses_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE conns TEXT[]; ids TEXT[];
BEGIN
    SELECT array_agg(a.conn), array_agg(a.candidate_id) INTO conns, ids
    FROM new_statuses n JOIN applications a ON a.conn = n.conn AND a.status_id = n.id
    WHERE a.stage IS NULL AND a.deleted_at IS NULL;
    IF conns IS NOT NULL THEN
        PERFORM refresh_candidate_facets(conns, ids);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER statuses_facets_insert AFTER INSERT ON statuses
    REFERENCING NEW TABLE AS new_statuses
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_facets_after_statuses_insert();

CREATE FUNCTION candidate_facets_after_statuses_update() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE conns TEXT[]; ids TEXT[];
BEGIN
    SELECT array_agg(a.conn), array_agg(a.candidate_id) INTO conns, ids
    FROM new_statuses n JOIN old_statuses o ON o.rid = n.rid
    JOIN applications a ON a.conn = n.conn AND a.status_id IN (n.id, o.id)
    WHERE (n.stage IS DISTINCT FROM o.stage OR n.id IS DISTINCT FROM o.id)
      AND a.stage IS NULL AND a.deleted_at IS NULL;
    IF conns IS NOT NULL THEN
        PERFORM refresh_candidate_facets(conns, ids);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER statuses_facets_update AFTER UPDATE ON statuses
    REFERENCING OLD TABLE AS old_statuses NEW TABLE AS new_statuses
    FOR EACH STATEMENT EXECUTE FUNCTION candidate_facets_after_statuses_update();
