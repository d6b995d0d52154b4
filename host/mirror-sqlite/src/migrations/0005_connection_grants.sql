-- What the operator grants a connection (hosts that receive credentials, the OAuth token URL),
-- the bounds overridden for it, and what its plugin declared when connected. Connections saved
-- before this version have an empty grant: they must be connected again before they run.
ALTER TABLE connections ADD COLUMN granted_api_hosts_json TEXT NOT NULL DEFAULT '[]';
ALTER TABLE connections ADD COLUMN granted_token_url TEXT;
ALTER TABLE connections ADD COLUMN limits_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE connections ADD COLUMN plugin_declared_json TEXT NOT NULL DEFAULT '{}';
