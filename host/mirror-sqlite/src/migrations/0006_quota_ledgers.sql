-- The request-quota ledger of each connection, shared by every process on this database: each
-- admission and each settled answer updates its row in one IMMEDIATE transaction. `state` is the
-- sync engine's encoding of the ledger (JSON); the mirror only keeps it. No foreign key: a
-- connection is checked (and spends quota) before `ats connect` saves its row, and the ATS's
-- quota outlives a removed and re-added connection.
CREATE TABLE quota_ledgers (
    connection TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
