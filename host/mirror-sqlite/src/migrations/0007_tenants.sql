-- The service's tenants: each connection belongs to one (the CLI's to `default`), and API tokens
-- act for one. A connection can be paused (no syncs until resumed). Only a token's SHA-256 is kept; `revoked_at` keeps a revoked token's row so its
-- id is never handed out again.
ALTER TABLE connections ADD COLUMN tenant TEXT NOT NULL DEFAULT 'default';
ALTER TABLE connections ADD COLUMN paused_at INTEGER;
CREATE INDEX connections_by_tenant ON connections (tenant, name);
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    tenant TEXT NOT NULL,
    label TEXT,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
