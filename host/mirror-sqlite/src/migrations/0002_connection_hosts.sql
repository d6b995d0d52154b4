-- Hosts the operator allows a connection beyond those its plugin declares (a proxy, say).
ALTER TABLE connections ADD COLUMN extra_allowed_hosts_json TEXT NOT NULL DEFAULT '[]';
