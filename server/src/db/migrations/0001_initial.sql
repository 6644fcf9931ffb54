-- Everything the workspace server keeps (issue 4). Portable between SQLite and PostgreSQL:
-- ids are random text, times are unix seconds (BIGINT), flags are 0/1 (BIGINT), and the two
-- dialect differences are placeholders filled in by db/migrate.rs: {bytes} (BLOB / BYTEA) and
-- {serial} (an auto-incrementing BIGINT primary key). Statements are separated by ";" at line end.

CREATE TABLE workspaces (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'super_admin', 'admin', 'user')),
    status TEXT NOT NULL CHECK (status IN ('invited', 'active', 'deprovisioned')),
    public_keys {bytes},
    sealed_private_keys {bytes},
    recovery_envelope {bytes},
    created_at BIGINT NOT NULL,
    deprovisioned_at BIGINT,
    UNIQUE (workspace_id, email)
);

CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    email TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'super_admin', 'admin', 'user')),
    invited_by TEXT REFERENCES users (id),
    token_hash {bytes} NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    accepted_at BIGINT
);

CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    public_keys {bytes} NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'disabled')),
    user_key_envelope {bytes},
    approval_grant {bytes},
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);

-- Names are unique per user among the devices that count (pending or approved), compared by
-- latchkey-core's device::name_key; a disabled device's name can be used again.
CREATE UNIQUE INDEX devices_active_name ON devices (user_id, name_key) WHERE status IN ('pending', 'approved');

CREATE INDEX devices_by_user ON devices (user_id, status);

CREATE TABLE device_tokens (
    token_hash {bytes} PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices (id),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE INDEX device_tokens_by_device ON device_tokens (device_id);

CREATE TABLE email_codes (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    user_id TEXT REFERENCES users (id),
    code_hash {bytes} NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    used BIGINT NOT NULL DEFAULT 0
);

CREATE INDEX email_codes_by_email ON email_codes (email, created_at);

CREATE TABLE approval_requests (
    id TEXT PRIMARY KEY,
    device_id TEXT NOT NULL REFERENCES devices (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'expired')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    decided_by TEXT REFERENCES devices (id),
    decided_at BIGINT
);

CREATE INDEX approval_requests_by_user ON approval_requests (user_id, status);

CREATE TABLE apps (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    site TEXT NOT NULL,
    accepts_managed_number BIGINT NOT NULL CHECK (accepts_managed_number IN (0, 1)),
    voip_ok BIGINT NOT NULL CHECK (voip_ok IN (0, 1))
);

CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    app_id TEXT REFERENCES apps (id),
    site TEXT NOT NULL,
    name TEXT NOT NULL,
    key_generation BIGINT NOT NULL DEFAULT 1,
    needs_rotation BIGINT NOT NULL DEFAULT 0 CHECK (needs_rotation IN (0, 1)),
    inbox_public_key {bytes},
    sealed_inbox_private_key {bytes},
    created_at BIGINT NOT NULL
);

CREATE TABLE account_members (
    account_id TEXT NOT NULL REFERENCES accounts (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL CHECK (role IN ('owner', 'member')),
    wrapped_account_key {bytes} NOT NULL,
    key_generation BIGINT NOT NULL,
    PRIMARY KEY (account_id, user_id)
);

CREATE INDEX account_members_by_user ON account_members (user_id);

CREATE TABLE vault_items (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    version BIGINT NOT NULL,
    data {bytes} NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE INDEX vault_items_by_account ON vault_items (account_id);

CREATE TABLE phone_numbers (
    e164 TEXT PRIMARY KEY CHECK (e164 LIKE '+%'),
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    provider TEXT NOT NULL,
    provider_ref TEXT,
    account_id TEXT UNIQUE REFERENCES accounts (id),
    created_at BIGINT NOT NULL
);

CREATE TABLE sms_messages (
    seq {serial},
    provider TEXT NOT NULL,
    provider_message_id TEXT NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    from_number TEXT NOT NULL,
    to_number TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    sealed {bytes} NOT NULL,
    UNIQUE (provider, provider_message_id)
);

CREATE INDEX sms_messages_by_account ON sms_messages (account_id, seq);
