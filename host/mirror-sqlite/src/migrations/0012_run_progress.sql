-- Issue 17, the ETA of a load: what the run in progress has read so far and what it cost,
-- saved with each page (see `RunProgress`).
ALTER TABLE stream_state ADD COLUMN run_records INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stream_state ADD COLUMN run_requests INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stream_state ADD COLUMN run_busy_ms INTEGER NOT NULL DEFAULT 0;
