-- Managed e-mail addresses and e-mail in the inbox (issue 17). Runs on SQLite and PostgreSQL alike.
-- (0005 is another change's.)

-- Whether an app of the catalog takes a managed e-mail address (its sign-in or verification
-- e-mails then reach the account's inbox). The default catalog's apps all accept any address.
ALTER TABLE apps ADD COLUMN accepts_managed_email BIGINT NOT NULL DEFAULT 0 CHECK (accepts_managed_email IN (0, 1));
UPDATE apps SET accepts_managed_email = 1
    WHERE slug IN ('northwind', 'aws', 'facebook', 'github', 'google', 'instagram', 'linkedin', 'microsoft',
                   'shopify', 'tiktok', 'x');

-- How many addresses a workspace may have, held or in quarantine. Who may create one is the same
-- rule as for numbers (number_min_role, and account owners only).
ALTER TABLE workspaces ADD COLUMN address_quota BIGINT NOT NULL DEFAULT 100 CHECK (address_quota >= 0);

-- A managed address: `local@domain`, lower case, the local part random. Released, it stays here,
-- held by no account, until its quarantine ends: mail to it is refused and only the account it
-- came from may take it back.
CREATE TABLE mail_addresses (
    address TEXT PRIMARY KEY CHECK (address LIKE '_%@_%'),
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    account_id TEXT UNIQUE REFERENCES accounts (id),
    released_from TEXT,
    quarantined_until BIGINT,
    created_at BIGINT NOT NULL
);

CREATE INDEX mail_addresses_by_workspace ON mail_addresses (workspace_id);
CREATE INDEX mail_addresses_by_released_from ON mail_addresses (released_from);

-- E-mail shares the inbox with SMS (one cursor, one wake-up): `kind` tells them apart, `size` is
-- the raw message's size in bytes (e-mail only). For e-mail, from_number and to_number hold the
-- envelope sender and recipient.
ALTER TABLE sms_messages ADD COLUMN kind TEXT NOT NULL DEFAULT 'sms' CHECK (kind IN ('sms', 'email'));
ALTER TABLE sms_messages ADD COLUMN size BIGINT;
