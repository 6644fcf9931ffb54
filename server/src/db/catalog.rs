//! The app catalog: which apps take a managed phone number for their verification texts, and
//! whether a VoIP number will do; which take a managed e-mail address. One catalog per workspace: an admin edits their own workspace's
//! only, and never sees another's. A new workspace starts with [`DEFAULT_APPS`].
//!
//! Rows are keyed `workspace:slug` so that `accounts.app_id` stays a one-column reference; callers
//! only ever see the slug (`App::id`), and accounts are given and shown their app by slug.
//!
//! VoIP is marked acceptable only where we know it is: many apps refuse VoIP numbers for
//! verification, and a refused number is worse than none. AWS root MFA has no SMS option at all.

use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};

use super::audit::{self, Action, NewEvent};
use super::error::is_unique_violation;
use super::{col, flag, Db, DbError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct App {
    /// The slug, unique in its workspace ("instagram").
    pub id: String,
    pub name: String,
    pub site: String,
    /// Whether the app accepts a managed (Latchkey-provided) phone number for its SMS step.
    pub accepts_managed_number: bool,
    /// Whether a VoIP number will do (many apps refuse them).
    pub voip_ok: bool,
    /// Whether the app takes a managed (Latchkey-provided) e-mail address for its account.
    pub accepts_managed_email: bool,
}

/// (slug, name, site, accepts a managed number, VoIP accepted, accepts a managed e-mail address)
pub const DEFAULT_APPS: &[(&str, &str, &str, bool, bool, bool)] = &[
    (
        "northwind",
        "Northwind Cloud (demo)",
        "demo.localhost",
        true,
        true,
        true,
    ),
    ("aws", "Amazon Web Services", "aws.amazon.com", false, false, true),
    ("facebook", "Facebook", "facebook.com", true, false, true),
    ("github", "GitHub", "github.com", true, false, true),
    ("google", "Google", "google.com", true, false, true),
    ("instagram", "Instagram", "instagram.com", true, false, true),
    ("linkedin", "LinkedIn", "linkedin.com", true, false, true),
    ("microsoft", "Microsoft", "live.com", true, false, true),
    ("shopify", "Shopify", "shopify.com", true, false, true),
    ("tiktok", "TikTok", "tiktok.com", true, false, true),
    ("x", "X (Twitter)", "x.com", true, false, true),
];

/// The row key of app `slug` in `workspace_id`'s catalog (what `accounts.app_id` holds).
pub(super) fn app_key(workspace_id: &str, slug: &str) -> String {
    format!("{workspace_id}:{slug}")
}

/// The slug of a row key read back from `accounts.app_id`.
pub(super) fn app_slug(key: String) -> String {
    match key.split_once(':') {
        Some((_, slug)) => slug.to_string(),
        None => key,
    }
}

const APP_COLUMNS: &str = "slug, name, site, accepts_managed_number, voip_ok, accepts_managed_email";

fn app_from(row: &AnyRow) -> Result<App, DbError> {
    Ok(App {
        id: col(row, "slug")?,
        name: col(row, "name")?,
        site: col(row, "site")?,
        accepts_managed_number: col::<i64>(row, "accepts_managed_number")? != 0,
        voip_ok: col::<i64>(row, "voip_ok")? != 0,
        accepts_managed_email: col::<i64>(row, "accepts_managed_email")? != 0,
    })
}

/// Fills a new workspace's catalog (inside the transaction that creates it).
pub(super) async fn insert_default_apps(tx: &mut Transaction<'static, Any>, workspace_id: &str) -> Result<(), DbError> {
    for (slug, name, site, managed, voip, email) in DEFAULT_APPS {
        sqlx::query(
            "INSERT INTO apps (id, workspace_id, slug, name, site, accepts_managed_number, voip_ok, accepts_managed_email) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(app_key(workspace_id, slug))
        .bind(workspace_id)
        .bind(*slug)
        .bind(*name)
        .bind(*site)
        .bind(flag(*managed))
        .bind(flag(*voip))
        .bind(flag(*email))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

impl Db {
    /// A workspace's catalog, by name.
    pub async fn apps(&self, workspace_id: &str) -> Result<Vec<App>, DbError> {
        let rows = sqlx::query(&format!(
            "SELECT {APP_COLUMNS} FROM apps WHERE workspace_id = $1 ORDER BY name, slug"
        ))
        .bind(workspace_id)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(app_from).collect()
    }

    /// App `slug` of `workspace_id`'s catalog; `NotFound` for another workspace's.
    pub async fn app(&self, workspace_id: &str, slug: &str) -> Result<App, DbError> {
        let row = sqlx::query(&format!("SELECT {APP_COLUMNS} FROM apps WHERE id = $1"))
            .bind(app_key(workspace_id, slug))
            .fetch_optional(self.pool())
            .await?
            .ok_or(DbError::NotFound("the app"))?;
        app_from(&row)
    }

    /// Adds or changes entry `app.id` of `workspace_id`'s catalog. Names stay unique per workspace.
    pub async fn put_app(&self, workspace_id: &str, app: &App, now: i64) -> Result<App, DbError> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO apps (id, workspace_id, slug, name, site, accepts_managed_number, voip_ok, accepts_managed_email) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, site = excluded.site, \
             accepts_managed_number = excluded.accepts_managed_number, voip_ok = excluded.voip_ok, \
             accepts_managed_email = excluded.accepts_managed_email",
        )
        .bind(app_key(workspace_id, &app.id))
        .bind(workspace_id)
        .bind(&app.id)
        .bind(&app.name)
        .bind(&app.site)
        .bind(flag(app.accepts_managed_number))
        .bind(flag(app.voip_ok))
        .bind(flag(app.accepts_managed_email))
        .execute(&mut *tx)
        .await
        .map_err(|e| {
            if is_unique_violation(&e) {
                DbError::Conflict(format!("another app in the catalog is already called {:?}", app.name))
            } else {
                e.into()
            }
        })?;
        let event = NewEvent::ok(workspace_id, Action::AppSet).target("app", &app.id);
        audit::append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        self.app(workspace_id, &app.id).await
    }
}
