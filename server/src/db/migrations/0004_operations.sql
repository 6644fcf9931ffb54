-- Server operations (issue 13). Lines `--@ sqlite` / `--@ postgres` start a part for one database,
-- `--@ both` goes back to the shared part (db/migrate.rs). On SQLite this runs with foreign-key
-- enforcement off and is refused if it leaves a reference broken (PRAGMA foreign_key_check).

-- Server secrets no longer live in the database: the key that hashed e-mail codes and the local
-- webhook token are derived from the server key (a file or the environment, serve/server_key.rs).
-- Codes sent before the upgrade stop verifying; they last five minutes anyway.
DELETE FROM settings WHERE name IN ('email_code_key', 'local_webhook_token');

-- Who may obtain managed numbers, and how many a workspace may hold (held or in quarantine).
ALTER TABLE workspaces ADD COLUMN number_min_role TEXT NOT NULL DEFAULT 'admin'
    CHECK (number_min_role IN ('owner', 'super_admin', 'admin', 'user'));
ALTER TABLE workspaces ADD COLUMN number_quota BIGINT NOT NULL DEFAULT 10 CHECK (number_quota >= 0);

-- A released number stays here, held by no account, until its quarantine ends: no other account
-- gets it and its texts are dropped. `voip` records a Twilio Local number (apps refusing VoIP
-- never get one again).
ALTER TABLE phone_numbers ADD COLUMN released_from TEXT;
ALTER TABLE phone_numbers ADD COLUMN quarantined_until BIGINT;
ALTER TABLE phone_numbers ADD COLUMN voip BIGINT NOT NULL DEFAULT 0 CHECK (voip IN (0, 1));

-- A quota slot taken while a number is bought from Twilio (outside any transaction), so several
-- instances buying at once cannot go over the quota. Expired ones no longer count.
CREATE TABLE number_reservations (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    account_id TEXT NOT NULL UNIQUE REFERENCES accounts (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- The app catalog becomes one per workspace. The row key is `workspace:slug` (so accounts.app_id
-- keeps a single-column reference); the API shows the slug. Every existing workspace gets a copy
-- of the catalog as it was (all workspaces shared it), and its accounts point at their copy.
CREATE TABLE apps_by_workspace (
    id TEXT PRIMARY KEY,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id),
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    site TEXT NOT NULL,
    accepts_managed_number BIGINT NOT NULL CHECK (accepts_managed_number IN (0, 1)),
    voip_ok BIGINT NOT NULL CHECK (voip_ok IN (0, 1)),
    UNIQUE (workspace_id, slug),
    UNIQUE (workspace_id, name)
);

INSERT INTO apps_by_workspace (id, workspace_id, slug, name, site, accepts_managed_number, voip_ok)
    SELECT w.id || ':' || a.id, w.id, a.id, a.name, a.site, a.accepts_managed_number, a.voip_ok
    FROM workspaces w CROSS JOIN apps a;

--@ postgres
ALTER TABLE accounts DROP CONSTRAINT accounts_app_id_fkey;
--@ both

UPDATE accounts SET app_id = workspace_id || ':' || app_id WHERE app_id IS NOT NULL;
DROP TABLE apps;
ALTER TABLE apps_by_workspace RENAME TO apps;

--@ postgres
ALTER TABLE accounts ADD CONSTRAINT accounts_app_id_fkey FOREIGN KEY (app_id) REFERENCES apps (id);
--@ both

-- No account with members is ever without an owner. Accounts left ownerless before (their only
-- owner deprovisioned) get one: their members who are workspace admins or above, else every
-- remaining member.
UPDATE account_members SET role = 'owner'
    WHERE account_id NOT IN (SELECT account_id FROM account_members WHERE role = 'owner')
    AND user_id IN (SELECT id FROM users WHERE role IN ('owner', 'super_admin', 'admin'));
UPDATE account_members SET role = 'owner'
    WHERE account_id NOT IN (SELECT account_id FROM account_members WHERE role = 'owner');

--@ sqlite
CREATE TRIGGER account_members_keep_an_owner_insert AFTER INSERT ON account_members
WHEN NOT EXISTS (SELECT 1 FROM account_members WHERE account_id = NEW.account_id AND role = 'owner')
BEGIN
    SELECT RAISE(ABORT, 'an account with members must keep an owner');
END;

CREATE TRIGGER account_members_keep_an_owner_update AFTER UPDATE OF role, account_id ON account_members
WHEN NOT EXISTS (SELECT 1 FROM account_members WHERE account_id = NEW.account_id AND role = 'owner')
    OR (EXISTS (SELECT 1 FROM account_members WHERE account_id = OLD.account_id)
        AND NOT EXISTS (SELECT 1 FROM account_members WHERE account_id = OLD.account_id AND role = 'owner'))
BEGIN
    SELECT RAISE(ABORT, 'an account with members must keep an owner');
END;

CREATE TRIGGER account_members_keep_an_owner_delete AFTER DELETE ON account_members
WHEN EXISTS (SELECT 1 FROM account_members WHERE account_id = OLD.account_id)
    AND NOT EXISTS (SELECT 1 FROM account_members WHERE account_id = OLD.account_id AND role = 'owner')
BEGIN
    SELECT RAISE(ABORT, 'an account with members must keep an owner');
END;

--@ postgres
-- Checked at commit (deferred), so a transaction may promote and remove in either order.
CREATE FUNCTION account_members_keep_an_owner() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT'
        AND EXISTS (SELECT 1 FROM account_members WHERE account_id = OLD.account_id)
        AND NOT EXISTS (SELECT 1 FROM account_members WHERE account_id = OLD.account_id AND role = 'owner') THEN
        RAISE EXCEPTION 'an account with members must keep an owner' USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP <> 'DELETE'
        AND NOT EXISTS (SELECT 1 FROM account_members WHERE account_id = NEW.account_id AND role = 'owner') THEN
        RAISE EXCEPTION 'an account with members must keep an owner' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER account_members_keep_an_owner AFTER INSERT OR UPDATE OR DELETE ON account_members
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION account_members_keep_an_owner();
