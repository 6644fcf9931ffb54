-- The sender verification of each e-mail (issue 17): DKIM, SPF and DMARC as checked on arrival,
-- kept in clear beside the sealed message (it says who signed, never what the message says).
-- NULL for SMS and for mail stored while verification was off (`--mail-auth off`). Runs on SQLite
-- and PostgreSQL alike.
ALTER TABLE sms_messages ADD COLUMN auth_dkim TEXT CHECK (auth_dkim IN ('pass', 'fail', 'none', 'temperror', 'unchecked'));
ALTER TABLE sms_messages ADD COLUMN auth_spf TEXT CHECK (auth_spf IN ('pass', 'fail', 'none', 'temperror', 'unchecked'));
ALTER TABLE sms_messages ADD COLUMN auth_dmarc TEXT CHECK (auth_dmarc IN ('pass', 'fail', 'none', 'temperror', 'unchecked'));
-- The authenticated domain (lower case), if any passed.
ALTER TABLE sms_messages ADD COLUMN auth_domain TEXT;
-- 1: the author's (From:) domain is proven (DMARC pass, or DKIM aligned with it); the inbox's
-- "verified sender".
ALTER TABLE sms_messages ADD COLUMN auth_verified BIGINT CHECK (auth_verified IN (0, 1));
