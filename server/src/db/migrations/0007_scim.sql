-- SCIM 2.0 provisioning (issue 18). Runs on SQLite and PostgreSQL alike.

-- A workspace's SCIM bearer tokens: `lks_scim_<id>_<secret>`; only SHA-256 of the secret is kept.
-- Revoked tokens stay (the audit log names them) with `revoked_at` set.
CREATE TABLE scim_tokens (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    name TEXT NOT NULL,
    secret_hash {bytes} NOT NULL,
    created_by TEXT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);

CREATE INDEX scim_tokens_by_workspace ON scim_tokens (workspace_id);

-- What an identity provider tells us about a user beyond address, display name and status: the
-- `userName` it knows them by (NULL: their address is their userName), its own id for them, their
-- given and family names, when SCIM last changed them, and when SCIM deleted them (the user stays,
-- deprovisioned, for the audit log; SCIM no longer sees them).
ALTER TABLE users ADD COLUMN scim_user_name TEXT;
ALTER TABLE users ADD COLUMN external_id TEXT;
ALTER TABLE users ADD COLUMN given_name TEXT;
ALTER TABLE users ADD COLUMN family_name TEXT;
ALTER TABLE users ADD COLUMN updated_at BIGINT;
ALTER TABLE users ADD COLUMN scim_deleted_at BIGINT;

-- userName is unique in a workspace, whatever its case (RFC 7643: not case-exact).
CREATE UNIQUE INDEX users_by_scim_user_name ON users (workspace_id, LOWER(scim_user_name));
