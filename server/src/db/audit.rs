//! The audit log: who did what to what, from where, and how it ended. This module owns the rules:
//! what an event holds (never a secret, code, key or message text: ids, names of actions, short
//! metadata), how it is hashed, how it is appended (inside the transaction of the change it
//! records, so a change and its event commit or roll back together), how the chain is verified,
//! pruned and read.
//!
//! Tamper evidence: each workspace's events form one chain. Event `seq` n carries the hash of
//! event n-1 (32 zero bytes for the first, or the checkpoint's hash after pruning) and its own
//! hash, SHA-256 over [`encode`]. Writers take turns on the workspace's `audit_heads` row (one
//! `UPDATE … RETURNING` locks it on PostgreSQL; SQLite's writer lock is already held), and
//! `UNIQUE (workspace_id, seq)` refuses a fork should anything get past that.

use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;

use super::{col, Db, DbError};

type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// The hash before a workspace's first event.
pub const GENESIS: [u8; 32] = [0; 32];
/// Tags the encoding; a new encoding gets a new tag (and verify learns both).
const DOMAIN: &[u8] = b"latchkey-audit-v1\0";
/// Events read per query while verifying or exporting.
const BATCH: i64 = 5_000;
/// Most events one API page may hold.
pub const MAX_PAGE: i64 = 1_000;

/// Who caused an event, as the server saw them: a person's user and device, and the client
/// address. [`Actor::system`] (no user, no device) is the server itself: seeding, retention,
/// an SMS arriving from the carrier.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<String>,
    pub device_id: Option<String>,
    pub client_addr: String,
}

impl Actor {
    pub fn system() -> Actor {
        Actor::default()
    }

    /// An identity provider calling SCIM with a workspace's token: no user; the device column
    /// names the token as `scim-token:ID` (docs/audit.md).
    pub fn scim_token(token_id: &str, client_addr: &str) -> Actor {
        Actor {
            user_id: None,
            device_id: Some(format!("{SCIM_TOKEN_ACTOR}{token_id}")),
            client_addr: client_addr.to_string(),
        }
    }

    pub fn device(user_id: &str, device_id: &str, client_addr: &str) -> Actor {
        Actor {
            user_id: Some(user_id.to_string()),
            device_id: Some(device_id.to_string()),
            client_addr: client_addr.to_string(),
        }
    }
}

/// How an event's actor device names a SCIM token (followed by the token's id).
pub const SCIM_TOKEN_ACTOR: &str = "scim-token:";

/// What happened. The names are the API's `action` values (docs/audit.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    DeviceRegistered,
    DeviceCodeEmailed,
    DeviceVerified,
    DeviceApprovalRequested,
    DeviceApproved,
    DeviceDenied,
    DeviceTrusted,
    DeviceDisabled,
    DeviceRenamed,
    UserInvited,
    UserRoleChanged,
    UserDeprovisioned,
    UserProvisioned,
    UserUpdated,
    UserReactivated,
    UserScimDeleted,
    InvitationCancelled,
    ScimTokenCreated,
    ScimTokenRevoked,
    AppSet,
    AccountCreated,
    AccountShared,
    AccountUnshared,
    AccountRekeyed,
    AccountUpdated,
    ItemSet,
    NumberCreated,
    NumberReleased,
    AddressCreated,
    AddressReleased,
    PolicyChanged,
    MessageReceived,
    InboxRead,
    CodeFilled,
    AutomationQueued,
    AutomationStep,
    AutomationFinished,
    AuditPruned,
}

impl Action {
    pub const ALL: [Action; 38] = [
        Action::DeviceRegistered,
        Action::DeviceCodeEmailed,
        Action::DeviceVerified,
        Action::DeviceApprovalRequested,
        Action::DeviceApproved,
        Action::DeviceDenied,
        Action::DeviceTrusted,
        Action::DeviceDisabled,
        Action::DeviceRenamed,
        Action::UserInvited,
        Action::UserRoleChanged,
        Action::UserDeprovisioned,
        Action::UserProvisioned,
        Action::UserUpdated,
        Action::UserReactivated,
        Action::UserScimDeleted,
        Action::InvitationCancelled,
        Action::ScimTokenCreated,
        Action::ScimTokenRevoked,
        Action::AppSet,
        Action::AccountCreated,
        Action::AccountShared,
        Action::AccountUnshared,
        Action::AccountRekeyed,
        Action::AccountUpdated,
        Action::ItemSet,
        Action::NumberCreated,
        Action::NumberReleased,
        Action::AddressCreated,
        Action::AddressReleased,
        Action::PolicyChanged,
        Action::MessageReceived,
        Action::InboxRead,
        Action::CodeFilled,
        Action::AutomationQueued,
        Action::AutomationStep,
        Action::AutomationFinished,
        Action::AuditPruned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::DeviceRegistered => "device.registered",
            Action::DeviceCodeEmailed => "device.code_emailed",
            Action::DeviceVerified => "device.verified",
            Action::DeviceApprovalRequested => "device.approval_requested",
            Action::DeviceApproved => "device.approved",
            Action::DeviceDenied => "device.denied",
            Action::DeviceTrusted => "device.trusted",
            Action::DeviceDisabled => "device.disabled",
            Action::DeviceRenamed => "device.renamed",
            Action::UserInvited => "user.invited",
            Action::UserRoleChanged => "user.role_changed",
            Action::UserDeprovisioned => "user.deprovisioned",
            Action::UserProvisioned => "user.provisioned",
            Action::UserUpdated => "user.updated",
            Action::UserReactivated => "user.reactivated",
            Action::UserScimDeleted => "user.scim_deleted",
            Action::InvitationCancelled => "user.invitation_cancelled",
            Action::ScimTokenCreated => "scim_token.created",
            Action::ScimTokenRevoked => "scim_token.revoked",
            Action::AppSet => "app.set",
            Action::AccountCreated => "account.created",
            Action::AccountShared => "account.shared",
            Action::AccountUnshared => "account.unshared",
            Action::AccountRekeyed => "account.rekeyed",
            Action::AccountUpdated => "account.updated",
            Action::ItemSet => "item.set",
            Action::NumberCreated => "number.created",
            Action::NumberReleased => "number.released",
            Action::AddressCreated => "address.created",
            Action::AddressReleased => "address.released",
            Action::PolicyChanged => "workspace.policy_changed",
            Action::MessageReceived => "message.received",
            Action::InboxRead => "inbox.read",
            Action::CodeFilled => "code.filled",
            Action::AutomationQueued => "automation.queued",
            Action::AutomationStep => "automation.step",
            Action::AutomationFinished => "automation.finished",
            Action::AuditPruned => "audit.pruned",
        }
    }

    pub fn parse(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

/// One event to append. `detail` is short metadata (never a secret, code or message text).
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub workspace_id: &'a str,
    pub action: Action,
    /// What it was done to: ("device", id), ("user", id), ("account", id), ("item", id),
    /// ("number", e164), ("message", id), ("scim_token", id).
    pub target: Option<(&'static str, &'a str)>,
    /// The account concerned, if any (for filtering by account).
    pub account_id: Option<&'a str>,
    pub detail: Option<String>,
    /// `ok`, or why it did not succeed (`wrong_code`, `wrong_number`, …).
    pub outcome: &'a str,
}

impl<'a> NewEvent<'a> {
    pub fn ok(workspace_id: &'a str, action: Action) -> Self {
        NewEvent {
            workspace_id,
            action,
            target: None,
            account_id: None,
            detail: None,
            outcome: "ok",
        }
    }

    pub fn target(mut self, kind: &'static str, id: &'a str) -> Self {
        self.target = Some((kind, id));
        self
    }

    pub fn account(mut self, account_id: &'a str) -> Self {
        self.account_id = Some(account_id);
        self
    }

    pub fn detail(mut self, detail: String) -> Self {
        self.detail = Some(detail);
        self
    }

    pub fn outcome(mut self, outcome: &'a str) -> Self {
        self.outcome = outcome;
        self
    }
}

/// A stored event, as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub workspace_id: String,
    pub seq: i64,
    pub at: i64,
    pub actor_user_id: Option<String>,
    pub actor_device_id: Option<String>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub account_id: Option<String>,
    pub detail: Option<String>,
    pub client_addr: String,
    pub outcome: String,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

impl AuditEvent {
    /// The hash this event should carry, given its fields and its `prev_hash`.
    pub fn computed_hash(&self) -> [u8; 32] {
        encode_hash(&Fields {
            workspace_id: &self.workspace_id,
            seq: self.seq,
            at: self.at,
            actor_user_id: self.actor_user_id.as_deref(),
            actor_device_id: self.actor_device_id.as_deref(),
            action: &self.action,
            target_type: self.target_type.as_deref(),
            target_id: self.target_id.as_deref(),
            account_id: self.account_id.as_deref(),
            detail: self.detail.as_deref(),
            client_addr: &self.client_addr,
            outcome: &self.outcome,
            prev_hash: &self.prev_hash,
        })
    }
}

struct Fields<'a> {
    workspace_id: &'a str,
    seq: i64,
    at: i64,
    actor_user_id: Option<&'a str>,
    actor_device_id: Option<&'a str>,
    action: &'a str,
    target_type: Option<&'a str>,
    target_id: Option<&'a str>,
    account_id: Option<&'a str>,
    detail: Option<&'a str>,
    client_addr: &'a str,
    outcome: &'a str,
    prev_hash: &'a [u8],
}

/// The canonical encoding (docs/audit.md): the domain tag, then each field in a fixed order;
/// integers as 8 bytes big-endian, text as a 4-byte big-endian length and its UTF-8 bytes, an
/// optional field as one byte 0 (absent) or 1 followed by the text. No two different events
/// encode the same (every field is length-prefixed or fixed-width).
fn encode(f: &Fields<'_>) -> Vec<u8> {
    fn text(out: &mut Vec<u8>, value: &str) {
        let len = u32::try_from(value.len()).unwrap_or(u32::MAX);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(value.as_bytes());
    }
    fn optional(out: &mut Vec<u8>, value: Option<&str>) {
        match value {
            None => out.push(0),
            Some(value) => {
                out.push(1);
                text(out, value);
            }
        }
    }
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(DOMAIN);
    text(&mut out, f.workspace_id);
    out.extend_from_slice(&f.seq.to_be_bytes());
    out.extend_from_slice(&f.at.to_be_bytes());
    optional(&mut out, f.actor_user_id);
    optional(&mut out, f.actor_device_id);
    text(&mut out, f.action);
    optional(&mut out, f.target_type);
    optional(&mut out, f.target_id);
    optional(&mut out, f.account_id);
    optional(&mut out, f.detail);
    text(&mut out, f.client_addr);
    text(&mut out, f.outcome);
    out.extend_from_slice(&u32::try_from(f.prev_hash.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(f.prev_hash);
    out
}

fn encode_hash(f: &Fields<'_>) -> [u8; 32] {
    Sha256::digest(encode(f)).into()
}

/// Appends one event inside `tx` (the transaction of the change it records). Call it last in
/// the transaction: it locks the workspace's head row, and every writer taking that lock last
/// keeps lock order the same everywhere (no deadlock with the rows the change itself locked).
pub(crate) async fn append(tx: &mut Tx, actor: &Actor, event: NewEvent<'_>, now: i64) -> Result<(), DbError> {
    let next = "UPDATE audit_heads SET seq = seq + 1 WHERE workspace_id = $1 RETURNING seq, hash";
    let head = match sqlx::query(next)
        .bind(event.workspace_id)
        .fetch_optional(&mut **tx)
        .await?
    {
        Some(head) => head,
        None => {
            // The workspace's first event. Two first writers at once: the second waits on the
            // first's row (unique key), inserts nothing, and then takes its turn on it.
            sqlx::query(
                "INSERT INTO audit_heads (workspace_id, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (workspace_id) DO NOTHING",
            )
            .bind(event.workspace_id)
            .bind(GENESIS.to_vec())
            .execute(&mut **tx)
            .await?;
            sqlx::query(next).bind(event.workspace_id).fetch_one(&mut **tx).await?
        }
    };
    let seq: i64 = col(&head, "seq")?;
    let prev_hash: Vec<u8> = col(&head, "hash")?;
    let (target_type, target_id) = event.target.unzip();
    let hash = encode_hash(&Fields {
        workspace_id: event.workspace_id,
        seq,
        at: now,
        actor_user_id: actor.user_id.as_deref(),
        actor_device_id: actor.device_id.as_deref(),
        action: event.action.as_str(),
        target_type,
        target_id,
        account_id: event.account_id,
        detail: event.detail.as_deref(),
        client_addr: &actor.client_addr,
        outcome: event.outcome,
        prev_hash: &prev_hash,
    });
    sqlx::query("UPDATE audit_heads SET hash = $2 WHERE workspace_id = $1")
        .bind(event.workspace_id)
        .bind(hash.to_vec())
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO audit_events (workspace_id, seq, at, actor_user_id, actor_device_id, action, target_type, \
         target_id, account_id, detail, client_addr, outcome, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(event.workspace_id)
    .bind(seq)
    .bind(now)
    .bind(actor.user_id.as_deref())
    .bind(actor.device_id.as_deref())
    .bind(event.action.as_str())
    .bind(target_type)
    .bind(target_id)
    .bind(event.account_id)
    .bind(event.detail.as_deref())
    .bind(&actor.client_addr)
    .bind(event.outcome)
    .bind(prev_hash)
    .bind(hash.to_vec())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The workspace of a user (for events about a user's devices).
pub(crate) async fn workspace_of_user(tx: &mut Tx, user_id: &str) -> Result<String, DbError> {
    let row = sqlx::query("SELECT workspace_id FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(DbError::NotFound("the user"))?;
    col(&row, "workspace_id")
}

/// The workspace of an account.
pub(crate) async fn workspace_of_account(tx: &mut Tx, account_id: &str) -> Result<String, DbError> {
    let row = sqlx::query("SELECT workspace_id FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(DbError::NotFound("the account"))?;
    col(&row, "workspace_id")
}

/// A small JSON object for `detail`, from string pairs (serde_json escapes them).
pub fn detail(pairs: &[(&str, &str)]) -> String {
    let map: serde_json::Map<String, serde_json::Value> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), serde_json::Value::String((*v).to_string())))
        .collect();
    serde_json::Value::Object(map).to_string()
}

const EVENT_COLUMNS: &str = "workspace_id, seq, at, actor_user_id, actor_device_id, action, target_type, target_id, \
     account_id, detail, client_addr, outcome, prev_hash, hash";

fn event_from(row: &AnyRow) -> Result<AuditEvent, DbError> {
    Ok(AuditEvent {
        workspace_id: col(row, "workspace_id")?,
        seq: col(row, "seq")?,
        at: col(row, "at")?,
        actor_user_id: col(row, "actor_user_id")?,
        actor_device_id: col(row, "actor_device_id")?,
        action: col(row, "action")?,
        target_type: col(row, "target_type")?,
        target_id: col(row, "target_id")?,
        account_id: col(row, "account_id")?,
        detail: col(row, "detail")?,
        client_addr: col(row, "client_addr")?,
        outcome: col(row, "outcome")?,
        prev_hash: col(row, "prev_hash")?,
        hash: col(row, "hash")?,
    })
}

/// Which events to read: always one workspace's; the filters are optional.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub workspace_id: String,
    /// Events done by this user, or done to them.
    pub user_id: Option<String>,
    pub account_id: Option<String>,
    pub action: Option<String>,
    /// `at >= since` and `at < until`, unix seconds.
    pub since: Option<i64>,
    pub until: Option<i64>,
    /// Only events after this `seq` (the cursor).
    pub after_seq: i64,
    pub limit: i64,
}

/// How verification ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Every chain holds: (workspaces, events checked).
    Intact { workspaces: u64, events: u64 },
    /// The first broken link found.
    Broken {
        workspace_id: String,
        seq: i64,
        reason: String,
    },
}

impl Db {
    /// Appends one event in a transaction of its own (for reads worth recording, such as the
    /// inbox being read, and for reports from the extension such as a code filled).
    pub async fn record(&self, event: NewEvent<'_>, now: i64) -> Result<(), DbError> {
        let mut tx = self.begin_write().await?;
        append(&mut tx, self.actor(), event, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Events matching `query`, oldest first (ascending `seq`), at most `query.limit`.
    pub async fn audit_events(&self, query: &AuditQuery) -> Result<Vec<AuditEvent>, DbError> {
        enum Value<'q> {
            Text(&'q str),
            Int(i64),
        }
        let mut sql = format!("SELECT {EVENT_COLUMNS} FROM audit_events WHERE workspace_id = $1 AND seq > $2");
        let mut values: Vec<Value<'_>> = Vec::new();
        // Numbered placeholders work on both databases; a repeated one binds the same value.
        fn clause<'q>(sql: &mut String, values: &mut Vec<Value<'q>>, text: &str, value: Value<'q>) {
            let n = values.len() + 3;
            sql.push_str(&text.replace('?', &format!("${n}")));
            values.push(value);
        }
        if let Some(user) = &query.user_id {
            let text = " AND (actor_user_id = ? OR (target_type = 'user' AND target_id = ?))";
            clause(&mut sql, &mut values, text, Value::Text(user));
        }
        if let Some(account) = &query.account_id {
            clause(&mut sql, &mut values, " AND account_id = ?", Value::Text(account));
        }
        if let Some(action) = &query.action {
            clause(&mut sql, &mut values, " AND action = ?", Value::Text(action));
        }
        if let Some(since) = query.since {
            clause(&mut sql, &mut values, " AND at >= ?", Value::Int(since));
        }
        if let Some(until) = query.until {
            clause(&mut sql, &mut values, " AND at < ?", Value::Int(until));
        }
        sql.push_str(&format!(" ORDER BY seq LIMIT ${}", values.len() + 3));
        let mut q = sqlx::query(&sql).bind(&query.workspace_id).bind(query.after_seq);
        for value in values {
            q = match value {
                Value::Text(text) => q.bind(text),
                Value::Int(int) => q.bind(int),
            };
        }
        let rows = q.bind(query.limit.clamp(1, MAX_PAGE)).fetch_all(self.pool()).await?;
        rows.iter().map(event_from).collect()
    }

    /// Checks every workspace's chain from its start (or its retention checkpoint) to its head:
    /// consecutive `seq`, each `prev_hash` the hash before it, each hash recomputed, the head
    /// row naming the last event. Stops at the first broken link.
    pub async fn verify_audit(&self) -> Result<Verdict, DbError> {
        let rows = sqlx::query(
            "SELECT workspace_id FROM audit_heads UNION SELECT DISTINCT workspace_id FROM audit_events \
             UNION SELECT workspace_id FROM audit_checkpoints ORDER BY workspace_id",
        )
        .fetch_all(self.pool())
        .await?;
        let mut events = 0u64;
        for row in &rows {
            let workspace: String = col(row, "workspace_id")?;
            match self.verify_chain(&workspace).await? {
                Ok(n) => events += n,
                Err((seq, reason)) => {
                    return Ok(Verdict::Broken {
                        workspace_id: workspace,
                        seq,
                        reason,
                    })
                }
            }
        }
        Ok(Verdict::Intact {
            workspaces: u64::try_from(rows.len()).unwrap_or(u64::MAX),
            events,
        })
    }

    /// One chain: `Ok(events checked)` or `Err((seq, why))` for its first broken link.
    async fn verify_chain(&self, workspace: &str) -> Result<Result<u64, (i64, String)>, DbError> {
        let checkpoint = sqlx::query("SELECT seq, hash FROM audit_checkpoints WHERE workspace_id = $1")
            .bind(workspace)
            .fetch_optional(self.pool())
            .await?;
        let (mut last_seq, mut last_hash) = match &checkpoint {
            Some(row) => (col::<i64>(row, "seq")?, col::<Vec<u8>>(row, "hash")?),
            None => (0, GENESIS.to_vec()),
        };
        // Events at or before the checkpoint were pruned: one still there was put back or forged.
        let older = sqlx::query("SELECT MIN(seq) AS s FROM audit_events WHERE workspace_id = $1 AND seq <= $2")
            .bind(workspace)
            .bind(last_seq)
            .fetch_one(self.pool())
            .await?;
        if let Some(seq) = col::<Option<i64>>(&older, "s")? {
            return Ok(Err((
                seq,
                "an event at or before the retention checkpoint is still stored".into(),
            )));
        }
        let mut checked = 0u64;
        loop {
            let rows = sqlx::query(&format!(
                "SELECT {EVENT_COLUMNS} FROM audit_events WHERE workspace_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"
            ))
            .bind(workspace)
            .bind(last_seq)
            .bind(BATCH)
            .fetch_all(self.pool())
            .await?;
            for row in &rows {
                let event = event_from(row)?;
                let expected = last_seq + 1;
                if event.seq != expected {
                    return Ok(Err((
                        expected,
                        format!("event {expected} is missing (the next stored one is {})", event.seq),
                    )));
                }
                if event.prev_hash != last_hash {
                    return Ok(Err((
                        event.seq,
                        "its previous-event hash is not the hash of the event before it".into(),
                    )));
                }
                let computed = event.computed_hash();
                if event.hash != computed {
                    return Ok(Err((
                        event.seq,
                        "its contents do not match its hash (the event was changed)".into(),
                    )));
                }
                last_seq = event.seq;
                last_hash = event.hash;
                checked += 1;
            }
            if i64::try_from(rows.len()).unwrap_or(i64::MAX) < BATCH {
                break;
            }
        }
        let head = sqlx::query("SELECT seq, hash FROM audit_heads WHERE workspace_id = $1")
            .bind(workspace)
            .fetch_optional(self.pool())
            .await?;
        let Some(head) = head else {
            return Ok(Err((last_seq, "the chain's head record is missing".into())));
        };
        let head_seq: i64 = col(&head, "seq")?;
        if head_seq != last_seq || col::<Vec<u8>>(&head, "hash")? != last_hash {
            return Ok(Err((
                last_seq + 1,
                format!("the chain ends at event {last_seq} but its head records event {head_seq} (events were removed from the end)"),
            )));
        }
        Ok(Ok(checked))
    }

    /// Deletes every workspace's events older than `before` (unix seconds), oldest first and
    /// always a prefix of the chain, recording where the chain resumes (the seq and hash of the
    /// last deleted event) and an `audit.pruned` event. Returns how many events were deleted.
    pub async fn prune_audit(&self, before: i64, now: i64) -> Result<u64, DbError> {
        let rows = sqlx::query("SELECT workspace_id FROM audit_heads ORDER BY workspace_id")
            .fetch_all(self.pool())
            .await?;
        let mut deleted = 0u64;
        for row in &rows {
            let workspace: String = col(row, "workspace_id")?;
            let mut tx = self.begin_write().await?;
            // Lock the chain first: no event is appended while its prefix is cut.
            sqlx::query("UPDATE audit_heads SET seq = seq WHERE workspace_id = $1")
                .bind(&workspace)
                .execute(&mut *tx)
                .await?;
            let last = sqlx::query("SELECT MAX(seq) AS s FROM audit_events WHERE workspace_id = $1 AND at < $2")
                .bind(&workspace)
                .bind(before)
                .fetch_one(&mut *tx)
                .await?;
            let Some(through) = col::<Option<i64>>(&last, "s")? else {
                continue;
            };
            let hash_row = sqlx::query("SELECT hash FROM audit_events WHERE workspace_id = $1 AND seq = $2")
                .bind(&workspace)
                .bind(through)
                .fetch_one(&mut *tx)
                .await?;
            let hash: Vec<u8> = col(&hash_row, "hash")?;
            let done = sqlx::query("DELETE FROM audit_events WHERE workspace_id = $1 AND seq <= $2")
                .bind(&workspace)
                .bind(through)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO audit_checkpoints (workspace_id, seq, hash, pruned_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (workspace_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, pruned_at = excluded.pruned_at",
            )
            .bind(&workspace)
            .bind(through)
            .bind(hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            let through_text = through.to_string();
            let count_text = done.rows_affected().to_string();
            append(
                &mut tx,
                &Actor::system(),
                NewEvent::ok(&workspace, Action::AuditPruned)
                    .detail(detail(&[("through_seq", &through_text), ("events", &count_text)])),
                now,
            )
            .await?;
            tx.commit().await?;
            deleted += done.rows_affected();
        }
        Ok(deleted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> AuditEvent {
        AuditEvent {
            workspace_id: "w".into(),
            seq: 1,
            at: 100,
            actor_user_id: Some("u".into()),
            actor_device_id: None,
            action: "device.registered".into(),
            target_type: Some("device".into()),
            target_id: Some("d".into()),
            account_id: None,
            detail: None,
            client_addr: "127.0.0.1".into(),
            outcome: "ok".into(),
            prev_hash: GENESIS.to_vec(),
            hash: Vec::new(),
        }
    }

    #[test]
    fn every_field_changes_the_hash_and_fields_cannot_slide() {
        let base = event().computed_hash();
        let mut moved = event();
        // Moving text from one field to its neighbour must not give the same encoding.
        moved.actor_user_id = Some(String::new());
        moved.actor_device_id = Some("u".into());
        assert_ne!(moved.computed_hash(), base);
        let mut none_vs_empty = event();
        none_vs_empty.account_id = Some(String::new());
        assert_ne!(none_vs_empty.computed_hash(), base);
        let mut later = event();
        later.seq = 2;
        assert_ne!(later.computed_hash(), base);
        let mut other_prev = event();
        other_prev.prev_hash = vec![1; 32];
        assert_ne!(other_prev.computed_hash(), base);
    }

    #[test]
    fn action_names_round_trip() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.as_str()), Some(action));
        }
        assert_eq!(Action::parse("nope"), None);
    }
}
