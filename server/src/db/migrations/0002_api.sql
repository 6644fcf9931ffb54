-- The HTTP API (issue 4): server-wide secrets shared by every instance (the key that hashes
-- e-mail codes, the demo's webhook token), and when a pending device proved its user's mailbox.

CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value {bytes} NOT NULL,
    created_at BIGINT NOT NULL
);

ALTER TABLE devices ADD COLUMN email_verified_at BIGINT;
