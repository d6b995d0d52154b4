-- Records' JSON, raw payloads and search documents are compressed when their row is stored out
-- of line (TOAST). PostgreSQL's default, pglz, costs several times lz4's CPU per page written,
-- so the columns use lz4 where the server was built with it (Debian's and most builds are);
-- elsewhere they keep pglz. Only values written from now on change.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings
               WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE candidates ALTER COLUMN record_json SET COMPRESSION lz4,
                               ALTER COLUMN raw SET COMPRESSION lz4,
                               ALTER COLUMN search SET COMPRESSION lz4,
                               ALTER COLUMN resume_text SET COMPRESSION lz4;
        ALTER TABLE jobs ALTER COLUMN record_json SET COMPRESSION lz4,
                         ALTER COLUMN raw SET COMPRESSION lz4,
                         ALTER COLUMN description SET COMPRESSION lz4;
        ALTER TABLE applications ALTER COLUMN record_json SET COMPRESSION lz4,
                                 ALTER COLUMN raw SET COMPRESSION lz4;
        ALTER TABLE attachments ALTER COLUMN text SET COMPRESSION lz4;
    END IF;
END
$$;
