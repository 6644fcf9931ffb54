//! The SCIM User resource (RFC 7643 §4.1) as Latchkey keeps it, and what creating, replacing and
//! patching one asks for.
//!
//! `userName` is the user's e-mail address (the one the trust flow e-mails codes to), checked by
//! the one e-mail rule (`domain::Email`); `emails` are answered with that address and otherwise
//! ignored. `displayName`, `name.givenName`, `name.familyName` and `externalId` are kept; `active`
//! is the user's status. Every other attribute a provider maps (title, phone numbers, the
//! enterprise extension…) is accepted and not stored: rejecting them would stop a provider's whole
//! sync over a field Latchkey has no use for.

use serde_json::{json, Map, Value};

use super::error::ScimError;
use crate::db::{ScimProfile, ScimUser, UserStatus};
use crate::domain::{person_name, Email, Utc};

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// The longest `externalId` kept.
const MAX_EXTERNAL_ID: usize = 256;
/// The most operations one PATCH may carry.
const MAX_OPERATIONS: usize = 100;

/// What a request asks a user to be: the profile, and the status if it says (`active`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub profile: ScimProfile,
    pub active: Option<bool>,
}

/// A user as SCIM shows them. `base` is the server's public URL (for `meta.location`).
pub fn resource(user: &ScimUser, base: &str) -> Value {
    let u = &user.user;
    let mut name = Map::new();
    if let Some(given) = &user.given_name {
        name.insert("givenName".into(), given.clone().into());
    }
    if let Some(family) = &user.family_name {
        name.insert("familyName".into(), family.clone().into());
    }
    let formatted = [user.given_name.as_deref(), user.family_name.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    if !formatted.is_empty() {
        name.insert("formatted".into(), formatted.into());
    }
    let mut out = json!({
        "schemas": [USER_SCHEMA],
        "id": u.id,
        "userName": u.email,
        "active": u.status != UserStatus::Deprovisioned,
        "emails": [{"value": u.email, "type": "work", "primary": true}],
        "meta": {
            "resourceType": "User",
            "created": Utc::from_unix(u.created_at).rfc3339_millis(0),
            "lastModified": Utc::from_unix(user.updated_at).rfc3339_millis(0),
            "location": format!("{}/scim/v2/Users/{}", base.trim_end_matches('/'), u.id),
            "version": format!("W/\"{}\"", user.updated_at),
        },
    });
    if !u.display_name.is_empty() {
        out["displayName"] = u.display_name.clone().into();
    }
    if !name.is_empty() {
        out["name"] = Value::Object(name);
    }
    if let Some(external_id) = &user.external_id {
        out["externalId"] = external_id.clone().into();
    }
    out
}

/// The user being edited: what a create, a replace or each patch operation changes.
#[derive(Debug, Clone)]
struct Draft {
    user_name: Option<String>,
    display_name: String,
    given_name: Option<String>,
    family_name: Option<String>,
    external_id: Option<String>,
    active: Option<bool>,
}

impl Draft {
    fn empty() -> Draft {
        Draft {
            user_name: None,
            display_name: String::new(),
            given_name: None,
            family_name: None,
            external_id: None,
            active: None,
        }
    }

    fn of(user: &ScimUser) -> Draft {
        Draft {
            user_name: Some(user.user.email.clone()),
            display_name: user.user.display_name.clone(),
            given_name: user.given_name.clone(),
            family_name: user.family_name.clone(),
            external_id: user.external_id.clone(),
            active: None,
        }
    }

    /// Checks what the draft became and turns it into what the database takes.
    fn finish(self) -> Result<Wanted, ScimError> {
        let user_name = self
            .user_name
            .ok_or_else(|| ScimError::invalid_value("userName is required (the user's e-mail address)"))?;
        let email = Email::parse(&user_name).map_err(|_| {
            ScimError::invalid_value(
                "userName must be the user's e-mail address (Latchkey e-mails their device codes to it)",
            )
        })?;
        let name = |value: Option<String>, what: &str| -> Result<Option<String>, ScimError> {
            match value {
                None => Ok(None),
                Some(v) => {
                    let v = person_name(&v).map_err(|_| {
                        ScimError::invalid_value(format!("{what} must be at most 100 characters, on one line"))
                    })?;
                    Ok((!v.is_empty()).then(|| v.to_string()))
                }
            }
        };
        let given_name = name(self.given_name, "name.givenName")?;
        let family_name = name(self.family_name, "name.familyName")?;
        let mut display_name = name(Some(self.display_name), "displayName")?.unwrap_or_default();
        if display_name.is_empty() {
            // Latchkey shows a display name everywhere; a provider that sends none gets the names.
            display_name = [given_name.as_deref(), family_name.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
        }
        let external_id = match self.external_id.map(|e| e.trim().to_string()) {
            Some(e) if e.chars().count() > MAX_EXTERNAL_ID || e.chars().any(char::is_control) => {
                return Err(ScimError::invalid_value(
                    "externalId must be at most 256 characters, on one line",
                ))
            }
            Some(e) if e.is_empty() => None,
            other => other,
        };
        Ok(Wanted {
            profile: ScimProfile {
                email,
                display_name,
                given_name,
                family_name,
                external_id,
            },
            active: self.active,
        })
    }

    /// Sets (`Some`) or removes (`None`) the attribute at `path` (lower-cased, schema prefix
    /// removed). Attributes not kept are ignored.
    fn set(&mut self, path: &str, value: Option<&Value>) -> Result<(), ScimError> {
        match path {
            "username" => match value {
                Some(v) => self.user_name = Some(string(v, "userName")?),
                None => return Err(ScimError::invalid_value("userName is required and cannot be removed")),
            },
            "active" => match value {
                Some(v) => self.active = Some(boolean(v)?),
                None => return Err(ScimError::invalid_value("active cannot be removed: set it to false")),
            },
            "displayname" => {
                self.display_name = value.map(|v| string(v, "displayName")).transpose()?.unwrap_or_default()
            }
            "externalid" => self.external_id = value.map(|v| string(v, "externalId")).transpose()?,
            "name.givenname" => self.given_name = value.map(|v| string(v, "name.givenName")).transpose()?,
            "name.familyname" => self.family_name = value.map(|v| string(v, "name.familyName")).transpose()?,
            "name" => match value {
                None => {
                    self.given_name = None;
                    self.family_name = None;
                }
                Some(Value::Object(fields)) => {
                    for (key, v) in fields {
                        self.set(&format!("name.{}", key.to_ascii_lowercase()), Some(v))?;
                    }
                }
                Some(_) => return Err(ScimError::invalid_value("name must be an object")),
            },
            _ => {}
        }
        Ok(())
    }

    /// Applies a whole resource (create, replace, or a PATCH value without a path): each key is an
    /// attribute, or an extension's schema URN holding its attributes (not kept).
    fn set_all(&mut self, fields: &Map<String, Value>) -> Result<(), ScimError> {
        for (key, value) in fields {
            let path = normalize_path(key);
            if matches!(path.as_str(), "schemas" | "id" | "meta") {
                continue;
            }
            self.set(&path, Some(value))?;
        }
        Ok(())
    }
}

/// `urn:…:User:name.givenName` → `name.givenname`.
fn normalize_path(path: &str) -> String {
    path.trim()
        .strip_prefix(USER_SCHEMA)
        .map(|rest| rest.trim_start_matches(':'))
        .unwrap_or(path.trim())
        .to_ascii_lowercase()
}

fn string(value: &Value, what: &str) -> Result<String, ScimError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        _ => Err(ScimError::invalid_value(format!("{what} must be a string"))),
    }
}

/// A boolean, or the strings "true"/"false" in any case (Microsoft Entra sends `"False"`).
fn boolean(value: &Value) -> Result<bool, ScimError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(ScimError::invalid_value("active must be true or false")),
    }
}

fn object(body: &Value) -> Result<&Map<String, Value>, ScimError> {
    body.as_object()
        .ok_or_else(|| ScimError::invalid_syntax("the body must be a JSON object"))
}

/// What a POST (create) asks for.
pub fn created(body: &Value) -> Result<Wanted, ScimError> {
    let mut draft = Draft::empty();
    draft.set_all(object(body)?)?;
    draft.finish()
}

/// What a PUT (replace) asks for: the attributes it leaves out are cleared (RFC 7644 §3.5.1);
/// `active` left out stays as it is.
pub fn replaced(body: &Value) -> Result<Wanted, ScimError> {
    created(body)
}

/// What a PATCH (RFC 7644 §3.5.2) makes of `user`: `add`/`replace` with a path or a value object,
/// `remove` with a path. Paths are attributes (`active`, `displayName`, `name.givenName`,
/// `emails[type eq "work"].value`…); a filtered path on an attribute not kept is ignored.
pub fn patched(user: &ScimUser, body: &Value) -> Result<Wanted, ScimError> {
    let body = object(body)?;
    let operations = body
        .get("Operations")
        .or_else(|| body.get("operations"))
        .and_then(Value::as_array)
        .ok_or_else(|| ScimError::invalid_syntax("a PATCH body needs Operations, a list"))?;
    if operations.is_empty() || operations.len() > MAX_OPERATIONS {
        return Err(ScimError::invalid_syntax("a PATCH needs 1 to 100 operations"));
    }
    let mut draft = Draft::of(user);
    for op in operations {
        let op = object(op)?;
        let kind = op
            .get("op")
            .and_then(Value::as_str)
            .ok_or_else(|| ScimError::invalid_syntax("each operation needs op"))?
            .to_ascii_lowercase();
        let path = match op.get("path") {
            None | Some(Value::Null) => None,
            Some(Value::String(p)) => Some(patch_path(p)?),
            Some(_) => return Err(ScimError::invalid_path("path must be a string")),
        };
        let value = op.get("value");
        match (kind.as_str(), path, value) {
            ("add" | "replace", Some(path), Some(value)) => draft.set(&path, Some(value))?,
            ("add" | "replace", None, Some(Value::Object(fields))) => draft.set_all(fields)?,
            ("add" | "replace", None, _) => {
                return Err(ScimError::invalid_value("without a path, the value must be an object"))
            }
            ("add" | "replace", Some(_), None) => return Err(ScimError::invalid_value("the operation needs a value")),
            ("remove", Some(path), _) => draft.set(&path, None)?,
            ("remove", None, _) => return Err(ScimError::no_target("remove needs a path")),
            _ => return Err(ScimError::invalid_syntax("op must be add, replace or remove")),
        }
    }
    draft.finish()
}

/// A PATCH path, lower-cased: a plain attribute path, or `attr[filter].sub` (only `emails` and
/// other multi-valued attributes have filters; none of those is kept, so the filter is not
/// evaluated, only checked to be bracketed).
fn patch_path(path: &str) -> Result<String, ScimError> {
    let path = normalize_path(path);
    if path.is_empty() || path.len() > 300 {
        return Err(ScimError::invalid_path("the path is empty or too long"));
    }
    match path.find('[') {
        None if path.contains(']') => Err(ScimError::invalid_path("the path has an unmatched ]")),
        None => Ok(path),
        Some(open) => {
            let close = path
                .rfind(']')
                .filter(|close| *close > open)
                .ok_or_else(|| ScimError::invalid_path("the path has an unmatched ["))?;
            // `emails[type eq "work"].value` → `emails.value` (then ignored: not kept).
            Ok(format!("{}{}", &path[..open], &path[close + 1..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::User;
    use crate::domain::Role;

    fn ana() -> ScimUser {
        ScimUser {
            user: User {
                id: "u1".into(),
                workspace_id: "w".into(),
                email: "ana@acme.example".into(),
                display_name: "Ana Lima".into(),
                role: Role::User,
                status: UserStatus::Active,
                public_keys: None,
                created_at: 1_700_000_000,
            },
            external_id: Some("ext-1".into()),
            given_name: Some("Ana".into()),
            family_name: Some("Lima".into()),
            updated_at: 1_700_000_100,
        }
    }

    #[test]
    fn a_resource_shows_what_is_kept() {
        let r = resource(&ana(), "https://lk.example/");
        assert_eq!(r["userName"], "ana@acme.example");
        assert_eq!(r["name"]["formatted"], "Ana Lima");
        assert_eq!(r["active"], true);
        assert_eq!(r["meta"]["location"], "https://lk.example/scim/v2/Users/u1");
        assert_eq!(r["meta"]["created"], "2023-11-14T22:13:20.000Z");
    }

    #[test]
    fn create_needs_an_address_for_user_name_and_derives_a_display_name() {
        let w = created(&json!({"schemas": [USER_SCHEMA], "userName": " Bo@Acme.example ",
            "name": {"givenName": "Bo", "familyName": "Ek"}, "title": "CFO",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "7"}}))
        .unwrap();
        assert_eq!(w.profile.email.as_str(), "bo@acme.example");
        assert_eq!(w.profile.display_name, "Bo Ek");
        assert_eq!(w.active, None);
        for bad in [
            json!({"displayName": "x"}),
            json!({"userName": "bo"}),
            json!({"userName": 3}),
            json!({"userName": "b@a.test", "displayName": "two\nlines"}),
            json!({"userName": "b@a.test", "active": "maybe"}),
            json!([1]),
        ] {
            assert!(created(&bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn patches_as_okta_and_entra_send_them() {
        // Okta: replace with a value object.
        let w = patched(
            &ana(),
            &json!({"schemas": [PATCH_SCHEMA],
            "Operations": [{"op": "replace", "value": {"active": false}}]}),
        )
        .unwrap();
        assert_eq!(w.active, Some(false));
        assert_eq!(w.profile.display_name, "Ana Lima");
        // Entra: capitalised ops, paths, "False" as a string, a filtered emails path.
        let w = patched(&ana(), &json!({"schemas": [PATCH_SCHEMA], "Operations": [
            {"op": "Replace", "path": "active", "value": "False"},
            {"op": "Add", "path": "name.givenName", "value": "Anna"},
            {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "x@y.test"},
            {"op": "Replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "value": "Ops"},
            {"op": "Remove", "path": "externalId"},
            {"op": "replace", "value": {"name.familyName": "Souza", "displayName": "Anna Souza"}}]}))
        .unwrap();
        assert_eq!(w.active, Some(false));
        assert_eq!(w.profile.given_name.as_deref(), Some("Anna"));
        assert_eq!(w.profile.family_name.as_deref(), Some("Souza"));
        assert_eq!(w.profile.display_name, "Anna Souza");
        assert_eq!(w.profile.external_id, None);
        assert_eq!(w.profile.email.as_str(), "ana@acme.example");
    }

    #[test]
    fn malformed_patches_are_refused_with_their_scim_type() {
        let cases = [
            (json!({"Operations": []}), "invalidSyntax"),
            (json!({"Operations": [{"op": "move", "path": "x"}]}), "invalidSyntax"),
            (json!({"Operations": [{"op": "remove"}]}), "noTarget"),
            (
                json!({"Operations": [{"op": "remove", "path": "userName"}]}),
                "invalidValue",
            ),
            (
                json!({"Operations": [{"op": "replace", "path": "emails[type eq \"work\".value", "value": "a"}]}),
                "invalidPath",
            ),
            (json!({"Operations": [{"op": "replace", "value": "x"}]}), "invalidValue"),
        ];
        for (body, scim_type) in cases {
            let err = patched(&ana(), &body).unwrap_err();
            assert_eq!(err.scim_type, Some(scim_type), "{body}");
        }
    }
}
