-- Issue 17, as SQLite's migration 13: the run in progress's progress, saved with each page.
-- Numbered 6: 4 and 5 are taken by other work.
ALTER TABLE stream_state ADD COLUMN run_records BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stream_state ADD COLUMN run_requests BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stream_state ADD COLUMN run_busy_ms BIGINT NOT NULL DEFAULT 0;
