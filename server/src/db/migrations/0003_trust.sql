-- Trust that cannot be phished or jammed (issue 13, trust flow).
--
-- Device names are no longer unique among pending devices (an unverified caller must not learn
-- that a name is taken); uniqueness among trusted devices is checked by the server under the
-- user's row lock, with the core's look-alike rule (a skeleton cannot be a plain index).
DROP INDEX devices_active_name;

-- Where a device registered from (the client address the server saw), for the per-address bound
-- on unverified pending devices.
ALTER TABLE devices ADD COLUMN client_addr TEXT;

-- An e-mailed code belongs to the device that asked for it.
ALTER TABLE email_codes ADD COLUMN device_id TEXT;
ALTER TABLE email_codes ADD COLUMN client_addr TEXT;
CREATE INDEX email_codes_by_device ON email_codes (device_id, created_at);

-- Number matching, and what the approving person is shown: when, from which address, browser/OS
-- as the server saw them; why a request was denied.
ALTER TABLE approval_requests ADD COLUMN match_number BIGINT;
ALTER TABLE approval_requests ADD COLUMN client_addr TEXT;
ALTER TABLE approval_requests ADD COLUMN client_os TEXT;
ALTER TABLE approval_requests ADD COLUMN client_browser TEXT;
ALTER TABLE approval_requests ADD COLUMN denied_reason TEXT;
CREATE INDEX approval_requests_by_device ON approval_requests (device_id, created_at);

-- Rate limits and quotas shared by every instance: one row per key (locked while counting) and
-- one row per counted event.
CREATE TABLE rate_keys (
    key TEXT PRIMARY KEY,
    touched_at BIGINT NOT NULL
);

CREATE TABLE rate_events (
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);

CREATE INDEX rate_events_by_key ON rate_events (key, at);

-- Registrations for an address that is not (or no longer) a user: answered exactly like real ones
-- and kept like an unverified pending device, so the caller cannot tell; nothing is ever e-mailed.
CREATE TABLE ghost_devices (
    id TEXT PRIMARY KEY,
    token_hash {bytes} NOT NULL UNIQUE,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    client_addr TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    code_expires_at BIGINT,
    code_attempts BIGINT NOT NULL DEFAULT 0,
    request_id TEXT,
    request_number BIGINT,
    request_created_at BIGINT,
    request_expires_at BIGINT
);

CREATE INDEX ghost_devices_by_created ON ghost_devices (created_at);
