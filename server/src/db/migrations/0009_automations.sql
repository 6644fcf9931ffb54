-- Automation jobs (issue 20): what the extension's job runner did for an account, kept so the
-- Automation Log survives the browser. Names and fixed codes only: no secret, code, selector or
-- page content. Runs on SQLite and PostgreSQL alike.

CREATE TABLE automation_jobs (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    account_id TEXT NOT NULL REFERENCES accounts (id),
    -- turn-on-totp, add-number, turn-on-sms
    task TEXT NOT NULL,
    started_by TEXT NOT NULL REFERENCES users (id),
    started_device TEXT,
    -- queued, running, needs_attention, succeeded, failed
    status TEXT NOT NULL,
    -- Why it stopped, as a fixed code (wrong_password, element_missing, tab_closed, …).
    reason TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    finished_at BIGINT
);

-- One job at a time per account: a second queued or running job is refused by the database itself,
-- whatever the number of server instances.
CREATE UNIQUE INDEX automation_jobs_one_active ON automation_jobs (account_id)
    WHERE status IN ('queued', 'running');

CREATE INDEX automation_jobs_by_workspace ON automation_jobs (workspace_id, created_at);

-- Each step's outcome, in order: the automation's line, the step's kind, how it ended.
CREATE TABLE automation_steps (
    job_id TEXT NOT NULL REFERENCES automation_jobs (id),
    seq BIGINT NOT NULL,
    line BIGINT NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT,
    at BIGINT NOT NULL,
    PRIMARY KEY (job_id, seq)
);
