//! `latchkey serve --demo`: a workspace to try Latchkey with, made once per database.
//!
//! - Two users, Alice (workspace owner) and Bob (user), each with real keys made here (a user key,
//!   a user key pair, a Recovery Kit), exactly as a first device would make them.
//! - One shared account, the demo app's team login, owned by Alice and shared with Bob: its sites
//!   record (where its codes may be filled), a login item and a TOTP item, sealed under the
//!   account key as the extension seals them.
//! - A managed number from the local pool, for the demo app's SMS step.
//! - With `--mail-domain`, a managed e-mail address for the demo app's e-mailed sign-in code
//!   ([`ensure_address`], also given to a workspace seeded before the server had a mail domain).
//!
//! The demo's secrets (the Recovery Kits, the team password and TOTP key) are written to
//! `DATA/demo-sign-in.txt` (owner-only) so that a restart can print them again, and so that the
//! demo app (`latchkey-demo`, a program of its own) knows the team login with two-factor on under
//! the same TOTP key: a real workspace has no such file, and this is why `--demo` is for trying
//! Latchkey only.

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;
use zeroize::Zeroizing;

use crate::db::{AccountRole, Db, DbError, NewAccount, UserStatus};
use crate::domain::Role;
use crate::log;
use latchkey_core::device::RecoveryKit;
use latchkey_core::otp::base32;
use latchkey_core::vault::{
    sites_item_id, AccountKey, Context, InboxKeyPair, Item, SealedItem, UserKey, UserKeyPair, VaultError,
};

/// Fictional numbers (555-01xx is reserved for fiction), used when `--pool-numbers` is not given.
/// Enough that trying the number dialog a few times (a released number stays in quarantine) does
/// not run the demo out.
pub const DEMO_POOL: &[&str] = &[
    "+12025550142",
    "+12025550143",
    "+12025550144",
    "+12025550145",
    "+12025550146",
    "+12025550147",
    "+12025550148",
    "+12025550149",
    "+12025550150",
    "+12025550151",
    "+12025550152",
    "+12025550153",
];
pub const WORKSPACE_NAME: &str = "Northwind Demo";
pub const TEAM_LOGIN: &str = "team@northwind.test";
const SETTING: &str = "demo_workspace_id";
const FILE: &str = "demo-sign-in.txt";

#[derive(Debug, Error)]
pub enum SeedError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("could not make the demo's keys: {0}")]
    Keys(#[from] VaultError),
    #[error("could not read or write {path}: {reason}")]
    File { path: PathBuf, reason: String },
}

/// What the seed made, to print and for the demo app (`DATA/demo-sign-in.txt`).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoSignIn {
    pub workspace_id: String,
    pub users: Vec<DemoUser>,
    pub team_password: String,
    /// Base32, as the demo app's setup page would show it.
    pub team_totp_key: String,
    pub number: Option<String>,
    /// The team login's managed e-mail address ([`ensure_address`]; not kept in the file).
    #[serde(default, skip_serializing)]
    pub email_address: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DemoUser {
    pub email: String,
    pub role: String,
    pub recovery_kit: String,
}

impl Drop for DemoSignIn {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.team_password.zeroize();
        self.team_totp_key.zeroize();
        for user in &mut self.users {
            user.recovery_kit.zeroize();
        }
    }
}

impl DemoSignIn {
    /// What `latchkey serve --demo` left in `data_dir`.
    pub fn read(data_dir: &Path) -> Result<DemoSignIn, SeedError> {
        read(&data_dir.join(FILE))
    }

    /// How to sign in, for the console.
    pub fn instructions(&self, server_url: &str) -> String {
        let mut out = format!("latchkey: demo workspace \"{WORKSPACE_NAME}\" is ready\n");
        out.push_str(&format!(
            "  1. In the extension, use the server {server_url} and one of these e-mail addresses:\n"
        ));
        for user in &self.users {
            out.push_str(&format!(
                "       {:<24} {:<7} Recovery Kit {}\n",
                user.email, user.role, user.recovery_kit
            ));
        }
        out.push_str(
            "  2. The 6-digit code is e-mailed; without --smtp-url it is printed here and kept in the outbox.\n",
        );
        out.push_str("  3. The user's keys already exist, so the new device asks for the Recovery Kit above.\n");
        out.push_str(&format!(
            "  The demo app (latchkey-demo): team login {TEAM_LOGIN}, password {}; its code comes from the vault\n",
            self.team_password
        ));
        if let Some(number) = &self.number {
            out.push_str(&format!("  Managed number of the team login: {number}\n"));
        }
        if let Some(address) = &self.email_address {
            out.push_str(&format!("  Managed e-mail address of the team login: {address}\n"));
        }
        out
    }
}

/// Seeds the demo workspace unless this database already has it; either way returns the sign-in.
pub async fn ensure(db: &Db, data_dir: &Path, now: i64) -> Result<DemoSignIn, SeedError> {
    let file = data_dir.join(FILE);
    if db.setting(SETTING).await?.is_some() {
        return read(&file);
    }
    let seeded = seed(db, now).await?;
    write(&file, &seeded)?;
    // Recorded last: a seed interrupted half way is redone on a fresh database, not half kept.
    db.setting_or_init(SETTING, || seeded.workspace_id.as_bytes().to_vec(), now)
        .await?;
    log::info("demo_seeded", &[("workspace", seeded.workspace_id.as_str().into())]);
    Ok(seeded)
}

struct Person {
    id: String,
    pair: UserKeyPair,
}

async fn seed(db: &Db, now: i64) -> Result<DemoSignIn, SeedError> {
    let workspace = db.create_workspace(WORKSPACE_NAME, now).await?;
    let ws = workspace.id.as_str();
    let mut users = Vec::new();
    let mut people = Vec::new();
    for (email, name, role) in [
        ("alice@northwind.test", "Alice", Role::Owner),
        ("bob@northwind.test", "Bob", Role::User),
    ] {
        let user = db.create_user(ws, email, name, role, UserStatus::Active, now).await?;
        let user_key = UserKey::generate();
        let pair = UserKeyPair::generate();
        let sealed_pair = user_key.wrap_key_pair(&pair, &Context::user_key_pair(ws, &user.id))?;
        let kit = RecoveryKit::generate();
        let recovery = kit.wrap_user_key(&user_key, &Context::user_key_recovery(ws, &user.id))?;
        db.set_user_keys(
            &user.id,
            &pair.public().to_bytes(),
            sealed_pair.as_bytes(),
            recovery.as_bytes(),
        )
        .await?;
        users.push(DemoUser {
            email: email.to_string(),
            role: role.as_str().to_string(),
            recovery_kit: kit.to_text().to_string(),
        });
        people.push(Person { id: user.id, pair });
    }

    // The team login at the demo app: a password and a TOTP key, as its owner would have set up.
    let team_password = Zeroizing::new(format!("northwind-{}", &crate::db::hex(&random::<6>())));
    let totp_secret = Zeroizing::new(random::<20>().to_vec());
    let team_totp_key = base32::encode(&totp_secret);

    let app = db
        .apps(ws)
        .await?
        .into_iter()
        .find(|a| a.site == "demo.localhost")
        .map(|a| a.id);
    let account_key = AccountKey::generate();
    let inbox = InboxKeyPair::generate();
    let (alice, bob) = (&people[0], &people[1]);
    // The account id is bound into every envelope, so it is chosen before anything is sealed.
    let account_id = crate::db::hex(&random::<16>());
    let generation = 0;
    let owner_wrapped = account_key.seal_to_member(
        &alice.pair.public(),
        &Context::account_key_for_member(ws, &account_id, &alice.id, generation),
    )?;
    let sealed_inbox = account_key.wrap_inbox(&inbox, &Context::inbox_key_pair(ws, &account_id, generation))?;
    let account = db
        .create_account_as(
            &account_id,
            &NewAccount {
                workspace_id: ws,
                app_id: app.as_deref(),
                site: "demo.localhost",
                name: "Northwind Cloud team",
                owner_id: &alice.id,
                owner_wrapped_key: owner_wrapped.as_bytes(),
                inbox_public_key: Some(&inbox.public().0),
                sealed_inbox_private_key: Some(sealed_inbox.as_bytes()),
            },
            generation as i64,
            now,
        )
        .await?;
    let bob_wrapped = account_key.seal_to_member(
        &bob.pair.public(),
        &Context::account_key_for_member(ws, &account.id, &bob.id, generation),
    )?;
    db.put_member(
        &account.id,
        &bob.id,
        AccountRole::Member,
        bob_wrapped.as_bytes(),
        generation as i64,
    )
    .await?;

    // The sites record (at the id the core derives from the account id) is what members' codes
    // fill on; the account's plaintext site above is for display.
    let items = [
        (
            sites_item_id(&account.id),
            Item::sites("Northwind Cloud team", &["demo.localhost"])?,
        ),
        (
            crate::db::hex(&random::<16>()),
            Item::login("Northwind Cloud team", TEAM_LOGIN, &team_password, &["demo.localhost"]),
        ),
        (
            crate::db::hex(&random::<16>()),
            Item::totp(
                "Northwind Cloud team",
                &format!(
                    "otpauth://totp/Northwind%20Cloud:{TEAM_LOGIN}?secret={team_totp_key}&issuer=Northwind%20Cloud"
                ),
            )?,
        ),
    ];
    for (item_id, item) in &items {
        let sealed = SealedItem::seal(&account_key, ws, &account.id, item_id, 1, item)?;
        // On the wire and in storage an item is its `SealedItem` as JSON (docs/api.md).
        let data = serde_json::to_vec(&sealed).map_err(|_| SeedError::Keys(VaultError::Malformed("item")))?;
        db.create_item(&account.id, Some(item_id), &data, now).await?;
    }

    // A managed number from the pool, held by the team login.
    let number = DEMO_POOL[0];
    db.add_phone_number(ws, number, "pool", Some(number), now).await?;
    db.assign_phone_number(number, &account.id, now).await?;

    Ok(DemoSignIn {
        workspace_id: workspace.id.clone(),
        users,
        team_password: team_password.to_string(),
        team_totp_key: team_totp_key.to_string(),
        number: Some(number.to_string()),
        email_address: None,
    })
}

/// The team login's managed e-mail address at `domain`, created (by Alice, its owner, under the
/// same rules as the dashboard's **Create email address**) when it has none; `None` when the team
/// login no longer holds the demo number it is found by.
pub async fn ensure_address(
    db: &Db,
    seeded: &DemoSignIn,
    domain: &crate::domain::MailDomain,
    address_key: &[u8],
    now: i64,
) -> Result<Option<String>, SeedError> {
    let Some(number) = &seeded.number else {
        return Ok(None);
    };
    let account_id = match db.phone_number(number).await {
        Ok(held) => match held.account_id {
            Some(id) if held.workspace_id == seeded.workspace_id => id,
            _ => return Ok(None),
        },
        Err(DbError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if let Some(held) = db.account_address(&account_id).await? {
        return Ok(Some(held.address));
    }
    let owner = db.user_by_email(&seeded.workspace_id, "alice@northwind.test").await?;
    let before = db.addresses_ever(&account_id).await?;
    let proposed = domain.propose(address_key, &account_id, before);
    let held = db.obtain_address(&account_id, &owner.id, &proposed, now).await?;
    Ok(Some(held.address))
}

fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system's random number generator failed");
    bytes
}

fn write(path: &Path, seeded: &DemoSignIn) -> Result<(), SeedError> {
    let fail = |e: std::io::Error| SeedError::File {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let json = Zeroizing::new(serde_json::to_vec_pretty(seeded).unwrap_or_default());
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(fail)?;
    file.write_all(&json).and_then(|()| file.sync_all()).map_err(fail)
}

fn read(path: &Path) -> Result<DemoSignIn, SeedError> {
    let text = Zeroizing::new(std::fs::read(path).map_err(|e| SeedError::File {
        path: path.to_path_buf(),
        reason: format!("{e} (the demo workspace exists in the database, but its sign-in file is gone: start with a new --data-dir)"),
    })?);
    serde_json::from_slice(&text).map_err(|e| SeedError::File {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}
