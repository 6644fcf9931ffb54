//! The app catalog, shared accounts and their members, key rotation, and `GET /vault`.
//!
//! Who may do what: any trusted device reads its workspace's catalog and its user's accounts;
//! admins and above edit their workspace's catalog (never another workspace's, which they cannot
//! even see); an account's members read it; only its owners change it, share it and rotate its
//! key. An account the caller is not a member of (or of another workspace) is `not_found`, the
//! same as one that does not exist, so ids reveal nothing.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::Router;
use serde::{Deserialize, Deserializer, Serialize};

use super::auth::Trusted;
use super::body::{ok, reply, Json, B64};
use super::error::{ApiError, ApiResult};
use super::items::{item_view, ItemView};
use crate::db::{Account, AccountRole, App, DbError, Member, NewAccount, Rotation, UserStatus};
use crate::serve::state::{now_unix, AppState};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/apps", get(list_apps))
        .route("/apps/{id}", put(put_app))
        .route("/accounts", get(list_accounts).post(create_account))
        .route("/accounts/{id}", axum::routing::patch(patch_account))
        .route("/accounts/{id}/members", get(list_members))
        .route(
            "/accounts/{id}/members/{user_id}",
            put(put_member).delete(remove_member),
        )
        .route("/accounts/{id}/rotate", post(rotate))
        .route("/vault", get(vault))
}

// ---- access ----

/// Ids the client chooses (accounts, items): 128 random bits as 32 lower-case hex digits.
pub(super) fn is_client_id(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn hidden() -> ApiError {
    ApiError::not_found("there is no such account, or it is not shared with you")
}

/// The account and the caller's membership; `not_found` for anyone who is not a member.
pub(super) async fn member_access(state: &AppState, who: &Trusted, account_id: &str) -> ApiResult<(Account, Member)> {
    if !is_client_id(account_id) {
        return Err(hidden());
    }
    let account = match state.db.account(account_id).await {
        Ok(account) => account,
        Err(DbError::NotFound(_)) => return Err(hidden()),
        Err(e) => return Err(e.into()),
    };
    if account.workspace_id != who.user.workspace_id {
        return Err(hidden());
    }
    match state.db.membership(account_id, &who.user.id).await {
        Ok(member) => Ok((account, member)),
        Err(DbError::NotFound(_)) => Err(hidden()),
        Err(e) => Err(e.into()),
    }
}

/// As [`member_access`], and the caller must be one of the account's owners.
pub(super) async fn owner_access(state: &AppState, who: &Trusted, account_id: &str) -> ApiResult<(Account, Member)> {
    let (account, member) = member_access(state, who, account_id).await?;
    if member.role != AccountRole::Owner {
        return Err(ApiError::forbidden(
            "only the account's owners manage its sharing, its MFA items and its phone number; ask an owner",
        ));
    }
    Ok((account, member))
}

// ---- bodies ----

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AppView {
    id: String,
    name: String,
    site: String,
    accepts_managed_number: bool,
    voip_ok: bool,
    accepts_managed_email: bool,
}

fn app_view(app: App) -> AppView {
    AppView {
        id: app.id,
        name: app.name,
        site: app.site,
        accepts_managed_number: app.accepts_managed_number,
        voip_ok: app.voip_ok,
        accepts_managed_email: app.accepts_managed_email,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AccountView {
    id: String,
    name: String,
    site: String,
    app_id: Option<String>,
    app: Option<AppView>,
    role: &'static str,
    key_generation: i64,
    /// The account key sealed to the caller (at `key_generation`).
    wrapped_key: B64,
    inbox_public_key: Option<B64>,
    sealed_inbox_private_key: Option<B64>,
    needs_rotation: bool,
    phone_number: Option<String>,
    /// The account's managed e-mail address (`local@domain`), if it has one.
    email_address: Option<String>,
    created_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<Vec<ItemView>>,
}

async fn account_view(state: &AppState, account: Account, member: Member) -> ApiResult<AccountView> {
    let app = match &account.app_id {
        Some(id) => match state.db.app(&account.workspace_id, id).await {
            Ok(app) => Some(app_view(app)),
            Err(DbError::NotFound(_)) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let phone_number = state.db.account_phone_number(&account.id).await?.map(|n| n.e164);
    let email_address = state.db.account_address(&account.id).await?.map(|a| a.address);
    Ok(AccountView {
        id: account.id,
        name: account.name,
        site: account.site,
        app_id: account.app_id,
        app,
        role: member.role.as_str(),
        key_generation: account.key_generation,
        wrapped_key: B64(member.wrapped_account_key),
        inbox_public_key: account.inbox_public_key.map(B64),
        sealed_inbox_private_key: account.sealed_inbox_private_key.map(B64),
        needs_rotation: account.needs_rotation,
        phone_number,
        email_address,
        created_at: account.created_at,
        items: None,
    })
}

/// A display name: trimmed, 1 to 200 characters, no control characters.
fn check_name(name: &str, what: &str) -> ApiResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(ApiError::invalid(format!(
            "the {what} must be 1 to 200 characters, without control characters"
        )));
    }
    Ok(name.to_string())
}

/// A site as typed ("https://www.Example.com/login" or "example.com"), kept as its host.
fn check_site(site: &str) -> ApiResult<String> {
    latchkey_core::site::host_from_input(site)
        .map_err(|e| ApiError::invalid(format!("the site {site:?} is not a web address: {e}")))
}

/// Opaque key bytes from the client: present and of a sane size.
fn check_bytes(bytes: &B64, what: &str) -> ApiResult<()> {
    if bytes.0.is_empty() || bytes.0.len() > 4096 {
        return Err(ApiError::invalid(format!("{what} must be 1 to 4096 bytes")));
    }
    Ok(())
}

/// The inbox public key is an X25519 key, which the server seals arriving texts to.
fn check_inbox_key(bytes: &B64) -> ApiResult<()> {
    if bytes.0.len() != 32 {
        return Err(ApiError::invalid(
            "inboxPublicKey must be an X25519 public key (32 bytes, base64url)",
        ));
    }
    Ok(())
}

/// The app must be in the caller's workspace's catalog.
async fn check_app(state: &AppState, workspace_id: &str, app_id: &str) -> ApiResult<()> {
    match state.db.app(workspace_id, app_id).await {
        Ok(_) => Ok(()),
        Err(DbError::NotFound(_)) => Err(ApiError::invalid(format!(
            "there is no app {app_id:?} in the catalog (GET /apps lists them)"
        ))),
        Err(e) => Err(e.into()),
    }
}

/// For fields where `null` means "clear it" and a missing field "leave it".
fn nullable<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

// ---- the catalog ----

async fn list_apps(State(state): State<AppState>, who: Trusted) -> ApiResult<Response> {
    let apps: Vec<AppView> = state
        .db
        .apps(&who.user.workspace_id)
        .await?
        .into_iter()
        .map(app_view)
        .collect();
    Ok(ok(&apps))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AppBody {
    name: String,
    site: String,
    accepts_managed_number: bool,
    voip_ok: bool,
    /// Left out (clients from before e-mail addresses): unchanged, or false for a new app.
    #[serde(default)]
    accepts_managed_email: Option<bool>,
}

async fn put_app(
    State(state): State<AppState>,
    who: Trusted,
    Path(id): Path<String>,
    Json(body): Json<AppBody>,
) -> ApiResult<Response> {
    who.user.role.may_edit_catalog()?;
    let id_ok = (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if !id_ok {
        return Err(ApiError::invalid(
            "an app id is 1 to 64 lower-case letters, digits, '-' or '_' (for example \"instagram\")",
        ));
    }
    let accepts_managed_email = match body.accepts_managed_email {
        Some(accepts) => accepts,
        None => match state.db.app(&who.user.workspace_id, &id).await {
            Ok(existing) => existing.accepts_managed_email,
            Err(DbError::NotFound(_)) => false,
            Err(e) => return Err(e.into()),
        },
    };
    let app = App {
        id,
        name: check_name(&body.name, "app name")?,
        site: check_site(&body.site)?,
        accepts_managed_number: body.accepts_managed_number,
        voip_ok: body.voip_ok,
        accepts_managed_email,
    };
    let app = who.db(&state).put_app(&who.user.workspace_id, &app, now_unix()).await?;
    crate::log::info(
        "app_saved",
        &[("app", app.id.as_str().into()), ("by", who.user.id.as_str().into())],
    );
    Ok(ok(&app_view(app)))
}

// ---- accounts ----

#[derive(Serialize)]
struct Accounts {
    accounts: Vec<AccountView>,
}

async fn list_accounts(State(state): State<AppState>, who: Trusted) -> ApiResult<Response> {
    let mut accounts = Vec::new();
    for (account, member) in state.db.memberships_of(&who.user.id).await? {
        if account.workspace_id == who.user.workspace_id {
            accounts.push(account_view(&state, account, member).await?);
        }
    }
    Ok(ok(&Accounts { accounts }))
}

async fn vault(State(state): State<AppState>, who: Trusted) -> ApiResult<Response> {
    let mut accounts = Vec::new();
    for (account, member) in state.db.memberships_of(&who.user.id).await? {
        if account.workspace_id != who.user.workspace_id {
            continue;
        }
        let items = state.db.items(&account.id).await?.into_iter().map(item_view).collect();
        let mut view = account_view(&state, account, member).await?;
        view.items = Some(items);
        accounts.push(view);
    }
    Ok(ok(&Accounts { accounts }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CreateAccount {
    id: String,
    name: String,
    site: String,
    app_id: Option<String>,
    wrapped_key: B64,
    inbox_public_key: B64,
    sealed_inbox_private_key: B64,
}

/// The first key generation, as the core's `createAccount` makes it (bound into the envelopes).
const FIRST_GENERATION: i64 = 0;

async fn create_account(
    State(state): State<AppState>,
    who: Trusted,
    Json(body): Json<CreateAccount>,
) -> ApiResult<Response> {
    if !is_client_id(&body.id) {
        return Err(ApiError::invalid(
            "an account id is 32 lower-case hex digits (128 random bits chosen by the client)",
        ));
    }
    let name = check_name(&body.name, "account name")?;
    let site = check_site(&body.site)?;
    if let Some(app_id) = &body.app_id {
        check_app(&state, &who.user.workspace_id, app_id).await?;
    }
    check_bytes(&body.wrapped_key, "wrappedKey")?;
    check_inbox_key(&body.inbox_public_key)?;
    check_bytes(&body.sealed_inbox_private_key, "sealedInboxPrivateKey")?;
    let new = NewAccount {
        workspace_id: &who.user.workspace_id,
        app_id: body.app_id.as_deref(),
        site: &site,
        name: &name,
        owner_id: &who.user.id,
        owner_wrapped_key: &body.wrapped_key.0,
        inbox_public_key: Some(&body.inbox_public_key.0),
        sealed_inbox_private_key: Some(&body.sealed_inbox_private_key.0),
    };
    let account = who
        .db(&state)
        .create_account_as(&body.id, &new, FIRST_GENERATION, now_unix())
        .await?;
    crate::log::info(
        "account_created",
        &[
            ("account", account.id.as_str().into()),
            ("by", who.user.id.as_str().into()),
        ],
    );
    let member = state.db.membership(&account.id, &who.user.id).await?;
    let view = account_view(&state, account, member).await?;
    Ok(reply(StatusCode::CREATED, &view))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PatchAccount {
    name: Option<String>,
    site: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    app_id: Option<Option<String>>,
}

async fn patch_account(
    State(state): State<AppState>,
    who: Trusted,
    Path(id): Path<String>,
    Json(body): Json<PatchAccount>,
) -> ApiResult<Response> {
    owner_access(&state, &who, &id).await?;
    let name = body
        .name
        .as_deref()
        .map(|n| check_name(n, "account name"))
        .transpose()?;
    let site = body.site.as_deref().map(check_site).transpose()?;
    if let Some(Some(app_id)) = &body.app_id {
        check_app(&state, &who.user.workspace_id, app_id).await?;
    }
    let app_id = body.app_id.as_ref().map(Option::as_deref);
    let account = who
        .db(&state)
        .update_account(&id, name.as_deref(), site.as_deref(), app_id, now_unix())
        .await?;
    let member = state.db.membership(&id, &who.user.id).await?;
    Ok(ok(&account_view(&state, account, member).await?))
}

// ---- members ----

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct MemberView {
    user_id: String,
    email: String,
    display_name: String,
    role: &'static str,
    key_generation: i64,
}

async fn member_view(state: &AppState, member: Member) -> ApiResult<MemberView> {
    let user = state.db.user(&member.user_id).await?;
    Ok(MemberView {
        user_id: member.user_id,
        email: user.email,
        display_name: user.display_name,
        role: member.role.as_str(),
        key_generation: member.key_generation,
    })
}

async fn list_members(State(state): State<AppState>, who: Trusted, Path(id): Path<String>) -> ApiResult<Response> {
    member_access(&state, &who, &id).await?;
    let mut members = Vec::new();
    for member in state.db.members(&id).await? {
        members.push(member_view(&state, member).await?);
    }
    Ok(ok(&members))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PutMember {
    role: String,
    wrapped_key: Option<B64>,
    key_generation: Option<i64>,
}

async fn put_member(
    State(state): State<AppState>,
    who: Trusted,
    Path((id, user_id)): Path<(String, String)>,
    Json(body): Json<PutMember>,
) -> ApiResult<Response> {
    owner_access(&state, &who, &id).await?;
    let role = match body.role.as_str() {
        "owner" => AccountRole::Owner,
        "member" => AccountRole::Member,
        _ => return Err(ApiError::invalid("an account role is \"owner\" or \"member\"")),
    };
    let no_such_user = || ApiError::not_found("there is no such user in your workspace");
    let user = match state.db.user(&user_id).await {
        Ok(user) if user.workspace_id == who.user.workspace_id => user,
        Ok(_) | Err(DbError::NotFound(_)) => return Err(no_such_user()),
        Err(e) => return Err(e.into()),
    };
    if user.status != UserStatus::Active {
        return Err(ApiError::conflict(format!(
            "{} is not an active user of this workspace (invited users must join first)",
            user.email
        )));
    }
    if user.public_keys.is_none() {
        return Err(ApiError::conflict(format!(
            "{} has not set up Latchkey on a device yet, so there is no key to share with",
            user.email
        )));
    }
    if let Some(wrapped) = &body.wrapped_key {
        check_bytes(wrapped, "wrappedKey")?;
    }
    let member = who
        .db(&state)
        .share_account(
            &id,
            &user_id,
            role,
            body.wrapped_key.as_ref().map(|w| w.0.as_slice()),
            body.key_generation,
            now_unix(),
        )
        .await?;
    crate::log::info(
        "account_shared",
        &[
            ("account", id.as_str().into()),
            ("user", user_id.as_str().into()),
            ("role", role.as_str().into()),
            ("by", who.user.id.as_str().into()),
        ],
    );
    Ok(ok(&member_view(&state, member).await?))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Removed {
    removed: String,
    needs_rotation: bool,
}

async fn remove_member(
    State(state): State<AppState>,
    who: Trusted,
    Path((id, user_id)): Path<(String, String)>,
) -> ApiResult<Response> {
    owner_access(&state, &who, &id).await?;
    who.db(&state)
        .remove_member(&id, &user_id, now_unix())
        .await
        .map_err(|e| match e {
            DbError::NotFound(_) => ApiError::not_found("that user is not a member of this account"),
            other => other.into(),
        })?;
    crate::log::info(
        "account_member_removed",
        &[
            ("account", id.as_str().into()),
            ("user", user_id.as_str().into()),
            ("by", who.user.id.as_str().into()),
        ],
    );
    Ok(ok(&Removed {
        removed: user_id,
        needs_rotation: true,
    }))
}

// ---- rotation ----

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RotateBody {
    key_generation: i64,
    members: Vec<RotatedMember>,
    inbox_public_key: B64,
    sealed_inbox_private_key: B64,
    items: Vec<RotatedItem>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RotatedMember {
    user_id: String,
    wrapped_key: B64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RotatedItem {
    id: String,
    version: i64,
    data: B64,
}

async fn rotate(
    State(state): State<AppState>,
    who: Trusted,
    Path(id): Path<String>,
    Json(body): Json<RotateBody>,
) -> ApiResult<Response> {
    owner_access(&state, &who, &id).await?;
    check_inbox_key(&body.inbox_public_key)?;
    check_bytes(&body.sealed_inbox_private_key, "sealedInboxPrivateKey")?;
    for member in &body.members {
        check_bytes(&member.wrapped_key, "every wrappedKey")?;
    }
    for item in &body.items {
        if item.data.0.is_empty() {
            return Err(ApiError::invalid("every item's data must be the re-wrapped item"));
        }
    }
    let rotation = Rotation {
        generation: body.key_generation,
        members: body.members.into_iter().map(|m| (m.user_id, m.wrapped_key.0)).collect(),
        inbox_public_key: body.inbox_public_key.0,
        sealed_inbox_private_key: body.sealed_inbox_private_key.0,
        items: body.items.into_iter().map(|i| (i.id, i.version, i.data.0)).collect(),
    };
    let account = who.db(&state).rotate_account(&id, &rotation, now_unix()).await?;
    crate::log::info(
        "account_rotated",
        &[
            ("account", id.as_str().into()),
            ("generation", account.key_generation.into()),
            ("by", who.user.id.as_str().into()),
        ],
    );
    let member = state.db.membership(&id, &who.user.id).await?;
    Ok(ok(&account_view(&state, account, member).await?))
}
