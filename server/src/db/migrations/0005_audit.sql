-- The audit log (issue 18): append-only events, one hash chain per workspace (db/audit.rs).
-- Each event's hash covers its fields and the previous event's hash; `audit_heads` holds each
-- workspace's newest (seq, hash) and is the row writers lock to take turns, so concurrent writers
-- on several instances never fork a chain; UNIQUE (workspace_id, seq) is the database's own guard.
CREATE TABLE audit_events (
    id {serial},
    workspace_id TEXT NOT NULL,
    seq BIGINT NOT NULL CHECK (seq >= 1),
    at BIGINT NOT NULL,
    actor_user_id TEXT,
    actor_device_id TEXT,
    action TEXT NOT NULL,
    target_type TEXT,
    target_id TEXT,
    account_id TEXT,
    detail TEXT,
    client_addr TEXT NOT NULL,
    outcome TEXT NOT NULL,
    prev_hash {bytes} NOT NULL,
    hash {bytes} NOT NULL,
    UNIQUE (workspace_id, seq)
);

CREATE INDEX audit_events_by_actor ON audit_events (workspace_id, actor_user_id, seq);
CREATE INDEX audit_events_by_account ON audit_events (workspace_id, account_id, seq);
CREATE INDEX audit_events_by_time ON audit_events (workspace_id, at);

CREATE TABLE audit_heads (
    workspace_id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash {bytes} NOT NULL
);

-- Where a pruned chain resumes: the seq and hash of the last event deleted by retention.
CREATE TABLE audit_checkpoints (
    workspace_id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash {bytes} NOT NULL,
    pruned_at BIGINT NOT NULL
);
