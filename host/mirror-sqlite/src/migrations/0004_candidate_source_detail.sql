-- A candidate's source detail (iCIMS `sourcename`: the campaign, the referrer, the platform
-- that exported them) is searched like its source. Recruiters filter by the name they know, and
-- people our platform exports carry its attribution only there: the source itself must be one
-- of the ATS's own list values, so the connector sets the configured default.
ALTER TABLE candidates ADD COLUMN source_detail TEXT;
UPDATE candidates SET source_detail = record_json ->> '$.source_detail'
    WHERE record_json ->> '$.source_detail' IS NOT NULL;
-- The search indexes keep covering every column a search filters on.
DROP INDEX candidates_updated;
CREATE INDEX candidates_updated
    ON candidates (conn, updated_at, rid, deleted_at, id, folder_id, source, source_detail);
DROP INDEX candidates_search;
CREATE INDEX candidates_search
    ON candidates (rid, conn, deleted_at, updated_at, id, folder_id, source, source_detail);
