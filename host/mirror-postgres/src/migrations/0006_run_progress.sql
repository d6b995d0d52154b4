-- The run in progress's progress (issue 17, the ETA of a load), saved with each page.
ALTER TABLE stream_state ADD COLUMN run_records BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stream_state ADD COLUMN run_requests BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stream_state ADD COLUMN run_busy_ms BIGINT NOT NULL DEFAULT 0;
