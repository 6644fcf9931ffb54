//! The storage rules (docs/security.md), each run against SQLite (a temp file) and a real
//! PostgreSQL (a throwaway cluster, see `support`). One scenario = one async fn over a fresh database.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::support::{Postgres, TempDir};
use latchkey::db::{
    AccountRole, App, Db, DbError, Decision, DeviceStatus, Limit, NewAccount, NewInvitation, NewSms, RateCheck,
    RequestOrigin, Target, UserStatus, MAX_ACTIVE_DEVICES, MAX_UNVERIFIED_PER_USER, MIGRATIONS,
};
use latchkey::domain::Role;
use latchkey_core::device::{DeviceError, PendingEmailCode};

const NOW: i64 = 1_800_000_000;

type Scenario = fn(Target) -> Pin<Box<dyn Future<Output = ()> + Send>>;

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        const SCENARIOS: &[(&str, Scenario)] = &[$((stringify!($name), |t| Box::pin($name(t)))),*];

        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let dir = super::TempDir::new("sqlite");
                    super::$name(super::Target::in_data_dir(dir.path())).await;
                }
            )*
        }
    };
}

scenarios!(
    migrations_run_once_and_are_recorded,
    sqlite_is_wal_with_foreign_keys,
    emails_are_unique_per_workspace,
    trusted_device_names_are_unique_per_user_look_alikes_too,
    the_21st_trusted_device_is_refused,
    device_limit_holds_under_concurrent_approvals,
    unverified_devices_are_bounded_without_pushing_out_a_lone_one,
    rate_limits_hold_across_connections,
    tokens_are_stored_hashed_and_die_with_their_device,
    deprovisioning_disables_everything_at_once,
    stale_vault_writes_are_refused,
    concurrent_vault_writes_one_wins,
    sms_is_stored_once_per_provider_id,
    concurrent_webhook_retries_store_one_row,
    email_codes_follow_the_core_rules,
    approvals_by_a_trusted_device_of_the_same_user_only,
    invitations_are_accepted_once,
    catalog_and_phone_numbers,
);

/// Every scenario on one PostgreSQL cluster, each in a database of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres() {
    let pg = Postgres::start();
    for (name, scenario) in SCENARIOS {
        let url = pg.fresh_database(name).await;
        eprintln!("postgres: {name}");
        scenario(Target::Postgres(url)).await;
    }
    listen_notify_works_beside_the_pool(&pg.fresh_database("notify").await).await;
}

/// The next part's inbox notifications across instances: a `PgListener` (its own connection)
/// hears a NOTIFY sent through the storage pool. Checked here so the build keeps what it needs.
async fn listen_notify_works_beside_the_pool(url: &str) {
    let db = open(&Target::Postgres(url.to_string())).await;
    let mut listener = sqlx::postgres::PgListener::connect(url).await.unwrap();
    listener.listen("latchkey_inbox").await.unwrap();
    sqlx::query("NOTIFY latchkey_inbox, 'account-1:42'")
        .execute(db.pool())
        .await
        .unwrap();
    let heard = tokio::time::timeout(std::time::Duration::from_secs(5), listener.recv())
        .await
        .expect("a notification within 5 s")
        .unwrap();
    assert_eq!((heard.channel(), heard.payload()), ("latchkey_inbox", "account-1:42"));
}

// Helpers

async fn open(target: &Target) -> Db {
    Db::open(target, NOW).await.expect("open the database")
}

struct Fixture {
    db: Db,
    workspace: String,
    alice: String,
}

async fn fixture(target: &Target) -> Fixture {
    let db = open(target).await;
    let workspace = db.create_workspace("Acme", NOW).await.unwrap().id;
    let alice = db
        .create_user(
            &workspace,
            "Alice@Example.com",
            "Alice",
            Role::Owner,
            UserStatus::Active,
            NOW,
        )
        .await
        .unwrap()
        .id;
    Fixture { db, workspace, alice }
}

impl Fixture {
    async fn user(&self, email: &str) -> String {
        self.db
            .create_user(&self.workspace, email, email, Role::User, UserStatus::Active, NOW)
            .await
            .unwrap()
            .id
    }

    async fn account(&self, owner: &str, name: &str) -> String {
        let new = NewAccount {
            workspace_id: &self.workspace,
            app_id: None,
            site: "instagram.com",
            name,
            owner_id: owner,
            owner_wrapped_key: b"wrapped",
            inbox_public_key: Some(b"inbox-pk"),
            sealed_inbox_private_key: Some(b"sealed-inbox-sk"),
        };
        self.db.create_account(&new, NOW).await.unwrap().id
    }
}

// Scenarios

async fn migrations_run_once_and_are_recorded(target: Target) {
    let db = open(&target).await;
    // Open again: nothing left to apply.
    assert_eq!(db.migrate(NOW).await.unwrap(), Vec::<i64>::new());
    let second = open(&target).await;
    let rows = sqlx::query("SELECT version FROM schema_migrations ORDER BY version")
        .fetch_all(second.pool())
        .await
        .unwrap();
    assert_eq!(rows.len(), MIGRATIONS.len());
    // A database from a newer server is refused, not guessed at.
    sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)")
        .execute(db.pool())
        .await
        .unwrap();
    let err = Db::open(&target, NOW).await.err().expect("a newer schema is refused");
    assert!(matches!(err, DbError::Migration { .. }), "{err}");
    assert!(err.to_string().contains("newer"), "{err}");
    assert!(db.health().await.is_ok());
}

async fn sqlite_is_wal_with_foreign_keys(target: Target) {
    let db = open(&target).await;
    if let Target::Sqlite(_) = target {
        let mode: String = sqlx::Row::get(
            &sqlx::query("PRAGMA journal_mode").fetch_one(db.pool()).await.unwrap(),
            0,
        );
        assert_eq!(mode, "wal");
    }
    // Foreign keys are enforced on both: a user in a workspace that does not exist is refused.
    let err = db
        .create_user("nope", "x@example.com", "X", Role::User, UserStatus::Active, NOW)
        .await
        .unwrap_err();
    assert!(matches!(err, DbError::Query(_)), "{err}");
}

async fn emails_are_unique_per_workspace(target: Target) {
    let f = fixture(&target).await;
    let err =
        f.db.create_user(
            &f.workspace,
            " alice@EXAMPLE.com ",
            "Again",
            Role::User,
            UserStatus::Active,
            NOW,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, DbError::Conflict(_)), "{err}");
    assert!(err.to_string().contains("alice@example.com is already a user"), "{err}");
    let other = f.db.create_workspace("Other", NOW).await.unwrap();
    let user =
        f.db.create_user(
            &other.id,
            "alice@example.com",
            "Alice",
            Role::Admin,
            UserStatus::Active,
            NOW,
        )
        .await
        .unwrap();
    assert_eq!(f.db.user(&user.id).await.unwrap().role, Role::Admin);
    assert_eq!(
        f.db.user_by_email(&f.workspace, "ALICE@example.com").await.unwrap().id,
        f.alice
    );
    f.db.set_user_role(&f.alice, Role::SuperAdmin, 1).await.unwrap();
    assert_eq!(f.db.user(&f.alice).await.unwrap().role, Role::SuperAdmin);
}

async fn trusted_device_names_are_unique_per_user_look_alikes_too(target: Target) {
    let f = fixture(&target).await;
    let bob = f.user("bob@example.com").await;
    let mac =
        f.db.register_device(&f.alice, "Alice Mac - macOS/Chrome", b"pk", NOW)
            .await
            .unwrap();
    f.db.approve_device_self(&mac.id, b"env").await.unwrap();
    // A pending device may carry any valid name (registration reveals nothing)...
    let same =
        f.db.register_device(&f.alice, "  alice   MAC - macos/chrome ", b"pk", NOW)
            .await
            .unwrap();
    let cyrillic =
        f.db.register_device(&f.alice, "\u{430}lice Mac - macOS/Chrome", b"pk", NOW)
            .await
            .unwrap();
    // ...but never becomes trusted under a name that is, or looks, the same as a trusted one's.
    for device in [&same, &cyrillic] {
        let err = f.db.approve_device_self(&device.id, b"env").await.unwrap_err();
        assert!(matches!(err, DbError::Conflict(_)), "{err}");
        assert!(err.to_string().contains("looks the same"), "{err}");
        assert_eq!(f.db.device(&device.id).await.unwrap().status, DeviceStatus::Pending);
    }
    assert_eq!(
        f.db.clashing_trusted_name(&f.alice, &cyrillic.id, &cyrillic.name)
            .await
            .unwrap()
            .as_deref(),
        Some("Alice Mac - macOS/Chrome")
    );
    // Another user may use it.
    let bobs =
        f.db.register_device(&bob, "Alice Mac - macOS/Chrome", b"pk", NOW)
            .await
            .unwrap();
    f.db.approve_device_self(&bobs.id, b"env").await.unwrap();
    // Renaming onto a taken name (or a look-alike) is refused too; renamed, it can be trusted.
    let other = f.db.register_device(&f.alice, "Work laptop", b"pk", NOW).await.unwrap();
    f.db.approve_device_self(&other.id, b"env").await.unwrap();
    for taken in ["ALICE MAC - MACOS/CHROME", "Alice Mac - mac\u{41e}S/Chrome"] {
        let err = f.db.rename_device(&other.id, taken, 0).await.unwrap_err();
        assert!(matches!(err, DbError::Conflict(_)), "{err}");
    }
    assert_eq!(
        f.db.rename_device(&other.id, "  Work   PC ", 0).await.unwrap().name,
        "Work PC"
    );
    f.db.rename_device(&cyrillic.id, "Alice phone", 0).await.unwrap();
    f.db.approve_device_self(&cyrillic.id, b"env").await.unwrap();
    // A disabled device's name is free again.
    f.db.disable_device(&mac.id, NOW).await.unwrap();
    f.db.approve_device_self(&same.id, b"env").await.unwrap();
    // Names the core refuses are refused.
    for bad in ["   ", "alice\u{202e}caM", "ali\u{200b}ce"] {
        let err = f.db.register_device(&f.alice, bad, b"pk", NOW).await.unwrap_err();
        assert!(matches!(err, DbError::Invalid(_)), "{err}");
    }
}

async fn the_21st_trusted_device_is_refused(target: Target) {
    let f = fixture(&target).await;
    let mut ids = Vec::new();
    for i in 0..MAX_ACTIVE_DEVICES {
        let device =
            f.db.register_device(&f.alice, &format!("Device {i}"), b"pk", NOW)
                .await
                .unwrap();
        f.db.approve_device_self(&device.id, b"env").await.unwrap();
        ids.push(device.id);
    }
    // Pending devices never count: the 21st registers, and is refused only at being trusted.
    let extra = f.db.register_device(&f.alice, "Device 20", b"pk", NOW).await.unwrap();
    let err = f.db.approve_device_self(&extra.id, b"env").await.unwrap_err();
    assert!(matches!(err, DbError::LimitReached(_)), "{err}");
    let message = err.to_string();
    assert!(
        message.contains("20 trusted devices") && message.contains("disable one"),
        "{message}"
    );
    // Disabling one makes room.
    f.db.disable_device(&ids[3], NOW).await.unwrap();
    f.db.approve_device_self(&extra.id, b"env").await.unwrap();
    let devices = f.db.devices(&f.alice).await.unwrap();
    assert_eq!(devices.len(), 21);
    assert_eq!(devices.iter().filter(|d| d.status == DeviceStatus::Disabled).count(), 1);
}

async fn device_limit_holds_under_concurrent_approvals(target: Target) {
    let f = fixture(&target).await;
    for i in 0..MAX_ACTIVE_DEVICES - 1 {
        let device =
            f.db.register_device(&f.alice, &format!("Existing {i}"), b"pk", NOW)
                .await
                .unwrap();
        f.db.approve_device_self(&device.id, b"env").await.unwrap();
    }
    // As many racers as may wait unverified at once (more would give the oldest up).
    let mut racers = Vec::new();
    for i in 0..MAX_UNVERIFIED_PER_USER {
        racers.push(
            f.db.register_device(&f.alice, &format!("Racer {i}"), b"pk", NOW)
                .await
                .unwrap()
                .id,
        );
    }
    let db = Arc::new(f.db.clone());
    let tasks: Vec<_> = racers
        .into_iter()
        .map(|id| {
            let db = Arc::clone(&db);
            tokio::spawn(async move { db.approve_device_self(&id, b"env").await })
        })
        .collect();
    let mut ok = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(()) => ok += 1,
            Err(DbError::LimitReached(_)) => {}
            Err(other) => panic!("unexpected error: {other}"),
        }
    }
    assert_eq!(ok, 1);
    let trusted = f.db.approved_devices(&f.alice).await.unwrap();
    assert_eq!(trusted.len() as i64, MAX_ACTIVE_DEVICES);
}

async fn unverified_devices_are_bounded_without_pushing_out_a_lone_one(target: Target) {
    let f = fixture(&target).await;
    // The person at their browser registers once from their address...
    let real =
        f.db.register_pending(&f.alice, "Alice laptop", b"pk", "198.51.100.7", NOW)
            .await
            .unwrap();
    // ...while someone registers device after device for the address from three others.
    for i in 0..60 {
        let addr = format!("203.0.113.{}", i % 3);
        f.db.register_pending(&f.alice, &format!("Noise {i}"), b"pk", &addr, NOW + 1)
            .await
            .unwrap();
    }
    let devices = f.db.devices(&f.alice).await.unwrap();
    let pending: Vec<_> = devices.iter().filter(|d| d.status == DeviceStatus::Pending).collect();
    assert_eq!(pending.len(), MAX_UNVERIFIED_PER_USER);
    assert!(pending.iter().any(|d| d.id == real.id), "the lone device stays");
    // Unverified ones are given up after 15 minutes; a verified one lasts the hour.
    f.db.mark_email_verified(&real.id, NOW + 2).await.unwrap();
    f.db.register_pending(&f.alice, "Later", b"pk", "203.0.113.9", NOW + 16 * 60)
        .await
        .unwrap();
    let devices = f.db.devices(&f.alice).await.unwrap();
    let pending: Vec<_> = devices
        .iter()
        .filter(|d| d.status == DeviceStatus::Pending)
        .map(|d| d.name.as_str())
        .collect();
    assert_eq!(pending.len(), 2, "{pending:?}");
    assert!(pending.contains(&"Alice laptop") && pending.contains(&"Later"));
    assert!(!f.db.device(&real.id).await.unwrap().pending_too_long(NOW + 16 * 60));
    assert!(f.db.device(&real.id).await.unwrap().pending_too_long(NOW + 61 * 60));
}

async fn rate_limits_hold_across_connections(target: Target) {
    let f = fixture(&target).await;
    let limit = Limit {
        max: 7,
        window_secs: 60,
    };
    // Two handles (two pools: on PostgreSQL, as two instances would have) racing on one key.
    let other = Arc::new(Db::open(&target, NOW).await.unwrap());
    let one = Arc::new(f.db.clone());
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let db = if i % 2 == 0 {
                Arc::clone(&one)
            } else {
                Arc::clone(&other)
            };
            tokio::spawn(async move { db.rate_limit(&[RateCheck::new("k", limit)], NOW).await.unwrap().is_ok() })
        })
        .collect();
    let mut allowed = 0;
    for task in tasks {
        allowed += usize::from(task.await.unwrap());
    }
    assert_eq!(allowed, 7);
    // All or nothing: a refused key records nothing under the others.
    let wide = Limit {
        max: 100,
        window_secs: 60,
    };
    let refused =
        f.db.rate_limit(&[RateCheck::new("wide", wide), RateCheck::new("k", limit)], NOW)
            .await
            .unwrap();
    assert_eq!(refused.unwrap_err().retry_after, 60);
    assert_eq!(f.db.rate_count("wide", 60, NOW).await.unwrap(), 0);
    // The window slides.
    assert!(f
        .db
        .rate_limit(&[RateCheck::new("k", limit)], NOW + 60)
        .await
        .unwrap()
        .is_ok());
    // Record-only keys count without refusing.
    for _ in 0..3 {
        let soft = RateCheck::record_only(
            "soft",
            Limit {
                max: 1,
                window_secs: 60,
            },
        );
        assert!(f.db.rate_limit(&[soft], NOW).await.unwrap().is_ok());
    }
    assert_eq!(f.db.rate_count("soft", 60, NOW).await.unwrap(), 3);
    assert!(f.db.sweep_rate_limits(NOW + 2 * 86_400).await.unwrap() >= 10);
    assert_eq!(f.db.rate_count("k", 86_400 * 3, NOW + 2 * 86_400).await.unwrap(), 0);
}

async fn tokens_are_stored_hashed_and_die_with_their_device(target: Target) {
    let f = fixture(&target).await;
    let device = f.db.register_device(&f.alice, "Laptop", b"pk", NOW).await.unwrap();
    let token = f.db.issue_device_token(&device.id, NOW).await.unwrap();
    assert_eq!(token.len(), 64);
    let stored = sqlx::query("SELECT token_hash FROM device_tokens")
        .fetch_all(f.db.pool())
        .await
        .unwrap();
    let hash: Vec<u8> = sqlx::Row::get(&stored[0], 0);
    assert_eq!(hash.len(), 32);
    assert_ne!(hash, token.as_bytes());
    let seen = f.db.device_for_token(&token, NOW + 60).await.unwrap();
    assert_eq!(seen.id, device.id);
    assert_eq!(f.db.device(&device.id).await.unwrap().last_seen_at, NOW + 60);
    assert!(matches!(
        f.db.device_for_token("not-a-token", NOW).await,
        Err(DbError::NotFound(_))
    ));
    f.db.disable_device(&device.id, NOW).await.unwrap();
    assert!(matches!(
        f.db.device_for_token(&token, NOW).await,
        Err(DbError::NotFound(_))
    ));
}

async fn deprovisioning_disables_everything_at_once(target: Target) {
    let f = fixture(&target).await;
    let bob = f.user("bob@example.com").await;
    let d1 = f.db.register_device(&bob, "Bob 1", b"pk", NOW).await.unwrap();
    let d2 = f.db.register_device(&bob, "Bob 2", b"pk", NOW).await.unwrap();
    f.db.approve_device_self(&d1.id, b"user-key-envelope").await.unwrap();
    let t1 = f.db.issue_device_token(&d1.id, NOW).await.unwrap();
    let t2 = f.db.issue_device_token(&d2.id, NOW).await.unwrap();
    let shared = f.account(&f.alice, "Brand Instagram").await;
    let owned = f.account(&bob, "Bob's vendor portal").await;
    let untouched = f.account(&f.alice, "Company AWS").await;
    f.db.put_member(&shared, &bob, AccountRole::Member, b"wrapped-for-bob", 1)
        .await
        .unwrap();
    f.db.request_approval(&d2.id, 123, &RequestOrigin::default(), NOW)
        .await
        .unwrap();
    // The console's reads (one approved device, seen at NOW; nothing to re-key yet).
    let before = f.db.device_activity(&f.workspace).await.unwrap()[&bob];
    assert_eq!((before.trusted, before.last_seen_at), (1, Some(NOW)));
    assert!(f.db.accounts_needing_rotation(&f.workspace).await.unwrap().is_empty());

    let done = f.db.deprovision_user(&bob, NOW + 5).await.unwrap();
    assert_eq!(done.devices_disabled, 2);
    assert_eq!(done.tokens_revoked, 2);
    assert_eq!(done.accounts_marked_for_rotation, 2);
    assert_eq!(f.db.user(&bob).await.unwrap().status, UserStatus::Deprovisioned);
    for device in f.db.devices(&bob).await.unwrap() {
        assert_eq!(device.status, DeviceStatus::Disabled);
    }
    for token in [t1, t2] {
        assert!(f.db.device_for_token(&token, NOW).await.is_err());
    }
    assert!(f.db.account(&shared).await.unwrap().needs_rotation);
    assert!(f.db.account(&owned).await.unwrap().needs_rotation);
    assert!(!f.db.account(&untouched).await.unwrap().needs_rotation);
    assert_eq!(f.db.device_activity(&f.workspace).await.unwrap()[&bob].trusted, 0);
    // By name, each with the owners who can rotate it (Bob's own account was left with nobody).
    let waiting: Vec<_> =
        f.db.accounts_needing_rotation(&f.workspace)
            .await
            .unwrap()
            .into_iter()
            .map(|(account, owners)| (account.name, owners))
            .collect();
    assert_eq!(
        waiting,
        [
            ("Bob's vendor portal".to_string(), vec![]),
            ("Brand Instagram".to_string(), vec![f.alice.clone()]),
        ]
    );
    assert!(f.db.membership(&shared, &bob).await.is_err());
    assert!(f.db.accounts_for_user(&bob).await.unwrap().is_empty());
    assert!(f.db.pending_approvals(&bob, NOW, 10).await.unwrap().is_empty());
    // A deprovisioned user cannot register a device.
    assert!(f.db.register_device(&bob, "Bob 3", b"pk", NOW).await.is_err());
    // Rotation clears the mark.
    f.db.finish_rotation(&shared, 2).await.unwrap();
    let account = f.db.account(&shared).await.unwrap();
    assert!(!account.needs_rotation && account.key_generation == 2);
    assert!(matches!(
        f.db.finish_rotation(&shared, 2).await,
        Err(DbError::Conflict(_))
    ));
    assert!(matches!(
        f.db.deprovision_user("nobody", NOW).await,
        Err(DbError::NotFound(_))
    ));
}

async fn stale_vault_writes_are_refused(target: Target) {
    let f = fixture(&target).await;
    let account = f.account(&f.alice, "Brand Instagram").await;
    let item = f.db.create_item(&account, Some("item-1"), b"v1", NOW).await.unwrap();
    assert_eq!(item.version, 1);
    assert_eq!(f.db.update_item("item-1", 1, b"v2", NOW + 1).await.unwrap(), 2);
    let err = f.db.update_item("item-1", 1, b"lost?", NOW + 2).await.unwrap_err();
    assert!(
        matches!(
            err,
            DbError::StaleVersion {
                expected: 1,
                current: 2
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("reload"), "{err}");
    // The API answers it with its own stable code.
    assert_eq!(
        latchkey::serve::api::error::ApiError::from(err).code.as_str(),
        "stale_version"
    );
    let stored = f.db.item("item-1").await.unwrap();
    assert_eq!(
        (stored.version, stored.data.as_slice(), stored.updated_at),
        (2, &b"v2"[..], NOW + 1)
    );
    assert!(matches!(
        f.db.delete_item("item-1", 1).await,
        Err(DbError::StaleVersion { .. })
    ));
    assert!(matches!(
        f.db.create_item(&account, Some("item-1"), b"x", NOW).await,
        Err(DbError::Conflict(_))
    ));
    assert_eq!(f.db.items(&account).await.unwrap().len(), 1);
    f.db.delete_item("item-1", 2).await.unwrap();
    assert!(matches!(f.db.item("item-1").await, Err(DbError::NotFound(_))));
    assert!(matches!(
        f.db.update_item("item-1", 2, b"x", NOW).await,
        Err(DbError::NotFound(_))
    ));
}

async fn concurrent_vault_writes_one_wins(target: Target) {
    let f = fixture(&target).await;
    let account = f.account(&f.alice, "Brand Instagram").await;
    let item = f.db.create_item(&account, None, b"v1", NOW).await.unwrap();
    let tasks: Vec<_> = (0..16)
        .map(|i| {
            let (db, id) = (f.db.clone(), item.id.clone());
            tokio::spawn(async move { db.update_item(&id, 1, format!("writer {i}").as_bytes(), NOW).await })
        })
        .collect();
    let mut winners = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(2) => winners += 1,
            Err(DbError::StaleVersion {
                expected: 1,
                current: 2,
            }) => {}
            other => panic!("unexpected: {other:?}"),
        }
    }
    assert_eq!(winners, 1);
    assert_eq!(f.db.item(&item.id).await.unwrap().version, 2);
}

fn sms<'a>(account: &'a str, id: &'a str) -> NewSms<'a> {
    NewSms {
        provider: "twilio",
        provider_message_id: id,
        account_id: account,
        from: "+15550001111",
        to: "+15550002222",
        received_at: NOW,
        sealed: b"sealed",
    }
}

async fn sms_is_stored_once_per_provider_id(target: Target) {
    let f = fixture(&target).await;
    let account = f.account(&f.alice, "Brand Instagram").await;
    let other = f.account(&f.alice, "Company AWS").await;
    let (first, inserted) = f.db.store_sms(&sms(&account, "SM1")).await.unwrap();
    assert!(inserted);
    let (again, inserted) = f.db.store_sms(&sms(&account, "SM1")).await.unwrap();
    assert!(!inserted);
    assert_eq!(first, again);
    let (second, _) = f.db.store_sms(&sms(&other, "SM2")).await.unwrap();
    assert!(second.seq > first.seq);
    assert_eq!(
        f.db.sms_for_account(&account, 0, 100).await.unwrap(),
        vec![first.clone()]
    );
    assert_eq!(f.db.sms_for_user(&f.alice, 0, 100).await.unwrap().len(), 2);
    assert_eq!(f.db.sms_for_user(&f.alice, first.seq, 100).await.unwrap(), vec![second]);
    let bob = f.user("bob@example.com").await;
    assert!(f.db.sms_for_user(&bob, 0, 100).await.unwrap().is_empty());
}

async fn concurrent_webhook_retries_store_one_row(target: Target) {
    let f = fixture(&target).await;
    let account = f.account(&f.alice, "Brand Instagram").await;
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let (db, account) = (f.db.clone(), account.clone());
            tokio::spawn(async move {
                let id = format!("SM{}", i % 5);
                db.store_sms(&sms(&account, &id)).await.unwrap().1
            })
        })
        .collect();
    let mut inserted = 0;
    for task in tasks {
        inserted += usize::from(task.await.unwrap());
    }
    assert_eq!(inserted, 5);
    assert_eq!(f.db.sms_for_account(&account, 0, 1000).await.unwrap().len(), 5);
}

async fn email_codes_follow_the_core_rules(target: Target) {
    let f = fixture(&target).await;
    let secret = b"server secret";
    let email = "alice@example.com";
    let a = f.db.register_device(&f.alice, "A", b"pk", NOW).await.unwrap().id;
    let b = f.db.register_device(&f.alice, "B", b"pk", NOW).await.unwrap().id;
    let code = PendingEmailCode::new(secret, email, "123456", NOW as u64);
    f.db.put_email_code(" Alice@Example.com", Some(&f.alice), &a, "203.0.113.1", &code, NOW)
        .await
        .unwrap();
    let check = |device: &str, submitted: &'static str, now: i64| {
        let (db, device) = (f.db.clone(), device.to_string());
        async move { db.check_email_code(secret, &device, email, submitted, now).await }
    };
    // A code e-mailed for device A never verifies device B (B has no code of its own: not found).
    assert!(matches!(check(&b, "123456", NOW).await, Err(DbError::NotFound(_))));
    let own = PendingEmailCode::new(secret, email, "999999", NOW as u64);
    f.db.put_email_code(email, Some(&f.alice), &b, "203.0.113.2", &own, NOW)
        .await
        .unwrap();
    assert_eq!(
        check(&b, "123456", NOW).await.unwrap(),
        Err(DeviceError::CodeWrong { attempts_left: 4 })
    );
    // Attempts are per code: B's wrong tries did not touch A's code.
    assert_eq!(
        check(&a, "000000", NOW).await.unwrap(),
        Err(DeviceError::CodeWrong { attempts_left: 4 })
    );
    assert_eq!(check(&a, "123 456", NOW + 10).await.unwrap(), Ok(()));
    assert_eq!(check(&a, "123456", NOW + 11).await.unwrap(), Err(DeviceError::CodeUsed));
    // Attempts are counted in the database: the sixth try is refused even with the right code.
    let code = PendingEmailCode::new(secret, email, "654321", NOW as u64);
    f.db.put_email_code(email, None, &a, "", &code, NOW + 20).await.unwrap();
    for left in (1..=4).rev() {
        let verdict = check(&a, "000000", NOW + 21).await.unwrap();
        assert_eq!(verdict, Err(DeviceError::CodeWrong { attempts_left: left }));
    }
    assert_eq!(
        check(&a, "000000", NOW + 21).await.unwrap(),
        Err(DeviceError::CodeAttempts)
    );
    assert_eq!(
        check(&a, "654321", NOW + 22).await.unwrap(),
        Err(DeviceError::CodeAttempts)
    );
    // Expiry.
    let code = PendingEmailCode::new(secret, email, "111111", (NOW + 30) as u64);
    f.db.put_email_code(email, None, &a, "", &code, NOW + 30).await.unwrap();
    assert_eq!(
        check(&a, "111111", NOW + 30 + 300).await.unwrap(),
        Err(DeviceError::CodeExpired)
    );
    assert!(matches!(
        f.db.check_email_code(secret, &a, "nobody@example.com", "111111", NOW)
            .await,
        Err(DbError::NotFound(_))
    ));
}

async fn approvals_by_a_trusted_device_of_the_same_user_only(target: Target) {
    let f = fixture(&target).await;
    let bob = f.user("bob@example.com").await;
    let trusted =
        f.db.register_device(&f.alice, "Alice trusted", b"pk", NOW)
            .await
            .unwrap();
    f.db.approve_device_self(&trusted.id, b"env").await.unwrap();
    let bobs = f.db.register_device(&bob, "Bob trusted", b"pk", NOW).await.unwrap();
    f.db.approve_device_self(&bobs.id, b"env").await.unwrap();
    let new = f.db.register_device(&f.alice, "Alice new", b"pk", NOW).await.unwrap();
    let origin = RequestOrigin {
        client_addr: "203.0.113.5".into(),
        os: "Linux".into(),
        browser: "Chrome".into(),
    };
    let request = f.db.request_approval(&new.id, 472, &origin, NOW).await.unwrap();
    assert_eq!(request.expires_at, NOW + 5 * 60);
    assert_eq!(request.match_number, Some(472));
    assert_eq!(
        f.db.pending_approvals(&f.alice, NOW, 10).await.unwrap(),
        vec![request.clone()]
    );
    // One open request per device: asking again replaces it.
    let request = f.db.request_approval(&new.id, 318, &origin, NOW).await.unwrap();
    let open = f.db.pending_approvals(&f.alice, NOW, 10).await.unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].id, request.id);
    let grant = Decision::Approve {
        envelope: b"wrapped user key",
        grant: b"signed grant",
    };
    // Another user's device, and the pending device itself, cannot decide.
    assert!(f.db.decide_approval(&request.id, &bobs.id, grant, NOW).await.is_err());
    assert!(f.db.decide_approval(&request.id, &new.id, grant, NOW).await.is_err());
    // Too late.
    assert!(f
        .db
        .decide_approval(&request.id, &trusted.id, grant, NOW + 5 * 60)
        .await
        .is_err());
    f.db.decide_approval(&request.id, &trusted.id, grant, NOW + 60)
        .await
        .unwrap();
    let approved = f.db.device(&new.id).await.unwrap();
    assert_eq!(approved.status, DeviceStatus::Approved);
    assert_eq!(approved.user_key_envelope.as_deref(), Some(&b"wrapped user key"[..]));
    // Decided once.
    assert!(f
        .db
        .decide_approval(&request.id, &trusted.id, Decision::Deny, NOW + 61)
        .await
        .is_err());
    // A wrong number denies the request; the device may ask again.
    let other = f.db.register_device(&f.alice, "Alice other", b"pk", NOW).await.unwrap();
    let request = f.db.request_approval(&other.id, 555, &origin, NOW).await.unwrap();
    f.db.decide_approval(&request.id, &trusted.id, Decision::WrongNumber, NOW)
        .await
        .unwrap();
    let denied = f.db.approval_request(&request.id).await.unwrap();
    assert_eq!(
        (denied.status.as_str(), denied.denied_reason.as_deref()),
        ("denied", Some("wrong_number"))
    );
    assert_eq!(f.db.device(&other.id).await.unwrap().status, DeviceStatus::Pending);
    // Deny: the device too.
    let request = f.db.request_approval(&other.id, 556, &origin, NOW).await.unwrap();
    f.db.decide_approval(&request.id, &trusted.id, Decision::Deny, NOW)
        .await
        .unwrap();
    assert_eq!(f.db.device(&other.id).await.unwrap().status, DeviceStatus::Denied);
    assert!(f.db.request_approval(&other.id, 557, &origin, NOW).await.is_err());
}

async fn invitations_are_accepted_once(target: Target) {
    let f = fixture(&target).await;
    let invite = |email, role, token_hash| NewInvitation {
        workspace_id: &f.workspace,
        email,
        role,
        invited_by: &f.alice,
        token_hash,
        expires_at: NOW + 3600,
    };
    let (user, invitation) =
        f.db.invite(&invite("Carol@example.com", Role::Admin, b"token-hash"), NOW)
            .await
            .unwrap();
    assert_eq!(
        (user.status, invitation.email.as_str()),
        (UserStatus::Invited, "carol@example.com")
    );
    let err =
        f.db.invite(&invite("carol@EXAMPLE.com", Role::User, b"other"), NOW)
            .await
            .unwrap_err();
    assert!(matches!(err, DbError::Conflict(_)), "{err}");
    // Nothing half-done: the refused invitation left no row behind.
    assert!(f.db.accept_invitation(b"other", NOW).await.is_err());
    assert!(
        f.db.accept_invitation(b"token-hash", NOW + 3600).await.is_err(),
        "expired"
    );
    let accepted = f.db.accept_invitation(b"token-hash", NOW + 10).await.unwrap();
    assert_eq!(
        (accepted.id, accepted.status, accepted.role),
        (user.id, UserStatus::Active, Role::Admin)
    );
    assert!(f.db.accept_invitation(b"token-hash", NOW + 11).await.is_err(), "used");
    assert_eq!(f.db.users(&f.workspace).await.unwrap().len(), 2);
}

async fn catalog_and_phone_numbers(target: Target) {
    let f = fixture(&target).await;
    // A new workspace starts with the default catalog; entries change in place, by id.
    let defaults = f.db.apps(&f.workspace).await.unwrap();
    assert_eq!(defaults.len(), latchkey::db::DEFAULT_APPS.len());
    let mut app = App {
        id: "brand-app".into(),
        name: "Brand app".into(),
        site: "brand.example".into(),
        accepts_managed_number: true,
        voip_ok: false,
        accepts_managed_email: true,
    };
    let saved = f.db.put_app(&f.workspace, &app, 0).await.unwrap();
    assert!(saved.accepts_managed_number && !saved.voip_ok && saved.accepts_managed_email);
    app.voip_ok = true;
    let again = f.db.put_app(&f.workspace, &app, 0).await.unwrap();
    assert_eq!((again.id.as_str(), again.voip_ok), ("brand-app", true));
    assert_eq!(f.db.apps(&f.workspace).await.unwrap().len(), defaults.len() + 1);
    app.id = "other-id".into();
    assert!(
        matches!(f.db.put_app(&f.workspace, &app, 0).await, Err(DbError::Conflict(_))),
        "names are unique"
    );
    let account = f.account(&f.alice, "Brand Instagram").await;
    let other = f.account(&f.alice, "Second").await;
    assert!(matches!(
        f.db.add_phone_number(&f.workspace, "555-0100", "local", None, NOW)
            .await,
        Err(DbError::Invalid(_))
    ));
    let number =
        f.db.add_phone_number(&f.workspace, "+15550100123", "local", None, NOW)
            .await
            .unwrap();
    assert_eq!(number.account_id, None);
    assert!(matches!(
        f.db.add_phone_number(&f.workspace, "+15550100123", "local", None, NOW)
            .await,
        Err(DbError::Conflict(_))
    ));
    f.db.assign_phone_number("+15550100123", &account, NOW).await.unwrap();
    assert!(f.db.assign_phone_number("+15550100123", &other, NOW).await.is_err());
    f.db.add_phone_number(&f.workspace, "+15550100124", "twilio", Some("PN123"), NOW)
        .await
        .unwrap();
    let err =
        f.db.assign_phone_number("+15550100124", &account, NOW)
            .await
            .unwrap_err();
    assert!(matches!(err, DbError::Conflict(_)), "{err}");
    assert_eq!(
        f.db.phone_number("+15550100123").await.unwrap().account_id,
        Some(account)
    );
}

/// A data directory whose name would end or change a URL still names that directory.
#[tokio::test]
async fn sqlite_path_with_odd_characters() {
    let dir = TempDir::new("sqlite");
    let data = dir.path().join("my data?#%20x");
    std::fs::create_dir_all(&data).unwrap();
    let db = open(&Target::in_data_dir(&data)).await;
    db.create_workspace("Acme", NOW).await.unwrap();
    db.close().await;
    assert!(data.join("latchkey.db").is_file());
}
