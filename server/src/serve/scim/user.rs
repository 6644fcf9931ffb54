//! The SCIM User resource (RFC 7643 §4.1) as Latchkey keeps it, and what creating, replacing and
//! patching one asks for.
//!
//! The user's Latchkey address (where the trust flow e-mails device codes), checked by the one
//! e-mail rule (`domain::Email`), is the primary (else work, else first) address of `emails`, or
//! `userName` when the provider sends no `emails`; `userName` is kept as given (unique, not
//! case-exact), and `emails` answer with the one address. `displayName`, `name.givenName`,
//! `name.familyName` and `externalId` are kept; `active` is the user's status. Every other attribute a provider maps (title, phone numbers, the
//! enterprise extension…) is accepted and not stored: rejecting them would stop a provider's whole
//! sync over a field Latchkey has no use for.

use serde_json::{json, Map, Value};

use super::error::ScimError;
use crate::db::{ScimProfile, ScimUser, UserStatus};
use crate::domain::{person_name, Email, EmailError, Utc};

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const PATCH_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
/// The longest `userName` kept.
const MAX_USER_NAME: usize = 254;
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
    let mut out = json!({
        "schemas": [USER_SCHEMA],
        "id": u.id,
        "userName": user.user_name,
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
    email: Option<String>,
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
            email: None,
            display_name: String::new(),
            given_name: None,
            family_name: None,
            external_id: None,
            active: None,
        }
    }

    fn of(user: &ScimUser) -> Draft {
        Draft {
            user_name: Some(user.user_name.clone()),
            email: Some(user.user.email.clone()),
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
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty())
            .ok_or_else(|| ScimError::invalid_value("userName is required"))?;
        if user_name.chars().count() > MAX_USER_NAME || user_name.chars().any(char::is_control) {
            return Err(ScimError::invalid_value(
                "userName must be at most 254 characters, on one line",
            ));
        }
        let email = match &self.email {
            Some(address) => Email::parse(address).map_err(|e| match e {
                EmailError::NotAscii(_) => ScimError::invalid_value(e.to_string()),
                EmailError::Invalid(_) => {
                    ScimError::invalid_value(format!("{address:?} in emails is not an e-mail address"))
                }
            })?,
            None => Email::parse(&user_name).map_err(|e| match e {
                EmailError::NotAscii(_) => ScimError::invalid_value(e.to_string()),
                EmailError::Invalid(_) => ScimError::invalid_value(
                    "Latchkey needs the user's e-mail address (it e-mails their device codes): send it in emails \
                     (primary or work), or as userName",
                ),
            })?,
        };
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
                user_name,
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
            // The address: `emails` (a list, or one entry of it by a filtered path), `emails.value`.
            "emails" => self.email = value.map(chosen_email).transpose()?.flatten(),
            "emails.value" => self.email = value.map(|v| string(v, "emails.value")).transpose()?,
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

/// The address `emails` gives: the primary one, else the work one, else the first (None: an empty
/// list). One entry (`emails[type eq "work"]` as the path) counts as a list of one.
fn chosen_email(value: &Value) -> Result<Option<String>, ScimError> {
    let entries = match value {
        Value::Array(entries) => entries.as_slice(),
        Value::Object(_) => std::slice::from_ref(value),
        _ => {
            return Err(ScimError::invalid_value(
                "emails must be a list of {value, type, primary}",
            ))
        }
    };
    let pick = entries
        .iter()
        .find(|e| e["primary"] == true)
        .or_else(|| entries.iter().find(|e| e["type"] == "work"))
        .or_else(|| entries.first());
    pick.map(|e| string(&e["value"], "emails.value")).transpose()
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

/// Which attributes a reply holds (RFC 7644 §3.4.2.5): `attributes` (only these, with `id` and
/// `schemas`, which are always returned) or `excludedAttributes` (all but these), each a comma-
/// separated list of attribute paths (`name`, `name.givenName`, with or without the schema URN).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Projection {
    only: Option<Vec<String>>,
    excluded: Vec<String>,
}

impl Projection {
    pub fn new(attributes: Option<&str>, excluded: Option<&str>) -> Projection {
        let list =
            |text: &str| -> Vec<String> { text.split(',').map(normalize_path).filter(|p| !p.is_empty()).collect() };
        Projection {
            only: attributes.map(list).filter(|l| !l.is_empty()),
            excluded: excluded.map(list).unwrap_or_default(),
        }
    }

    /// From a JSON list or a comma-separated string (a `/.search` body holds either).
    pub fn from_json(attributes: Option<&Value>, excluded: Option<&Value>) -> Projection {
        let text = |v: Option<&Value>| -> Option<String> {
            match v? {
                Value::String(s) => Some(s.clone()),
                Value::Array(items) => Some(items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(",")),
                _ => None,
            }
        };
        Projection::new(text(attributes).as_deref(), text(excluded).as_deref())
    }

    pub fn apply(&self, resource: Value) -> Value {
        let Value::Object(fields) = resource else {
            return resource;
        };
        let always = |key: &str| matches!(key, "id" | "schemas");
        let out: Map<String, Value> = match &self.only {
            Some(only) => fields
                .into_iter()
                .filter_map(|(key, value)| {
                    let lower = key.to_ascii_lowercase();
                    if always(&lower) || only.contains(&lower) {
                        return Some((key, value));
                    }
                    let subs: Vec<&str> = only
                        .iter()
                        .filter_map(|p| p.strip_prefix(&format!("{lower}.")))
                        .collect();
                    match (subs.is_empty(), value) {
                        (false, Value::Object(inner)) => {
                            let kept: Map<String, Value> = inner
                                .into_iter()
                                .filter(|(k, _)| subs.contains(&k.to_ascii_lowercase().as_str()))
                                .collect();
                            Some((key, Value::Object(kept)))
                        }
                        _ => None,
                    }
                })
                .collect(),
            None => fields
                .into_iter()
                .filter(|(key, _)| {
                    always(&key.to_ascii_lowercase()) || !self.excluded.contains(&key.to_ascii_lowercase())
                })
                .map(|(key, value)| {
                    let lower = key.to_ascii_lowercase();
                    let value = match value {
                        Value::Object(inner) => Value::Object(
                            inner
                                .into_iter()
                                .filter(|(k, _)| {
                                    !self.excluded.contains(&format!("{lower}.{}", k.to_ascii_lowercase()))
                                })
                                .collect(),
                        ),
                        other => other,
                    };
                    (key, value)
                })
                .collect(),
        };
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::User;
    use crate::domain::Role;

    fn ana() -> ScimUser {
        ScimUser {
            user_name: "ana@acme.example".into(),
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
        assert_eq!(r["name"], json!({"givenName": "Ana", "familyName": "Lima"}));
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
        // A userName that is no address, with the address in emails (as Entra sends a UPN).
        let w = created(&json!({"userName": "Bo.Ek", "emails": [
            {"value": "home@bo.example", "type": "home"}, {"value": "Bo@Acme.example", "type": "work"}]}))
        .unwrap();
        assert_eq!(
            (w.profile.user_name.as_str(), w.profile.email.as_str()),
            ("Bo.Ek", "bo@acme.example")
        );
        for bad in [
            json!({"displayName": "x"}),
            json!({"userName": "bo"}),
            json!({"userName": "bo@acme.example", "emails": [{"value": "not an address"}]}),
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
        assert_eq!(w.profile.email.as_str(), "x@y.test");
        assert_eq!(w.profile.user_name, "ana@acme.example");
    }

    #[test]
    fn projections_keep_id_and_schemas_and_what_is_asked() {
        let r = resource(&ana(), "https://lk.example");
        let only = Projection::new(Some("userName,name.givenName"), None).apply(r.clone());
        assert_eq!(
            only,
            json!({"schemas": [USER_SCHEMA], "id": "u1", "userName": "ana@acme.example", "name": {"givenName": "Ana"}})
        );
        let without = Projection::new(
            None,
            Some("name, urn:ietf:params:scim:schemas:core:2.0:User:emails,meta.location,id"),
        )
        .apply(r.clone());
        assert!(without.get("name").is_none() && without.get("emails").is_none());
        assert!(without["meta"].get("location").is_none() && without["meta"]["created"].is_string());
        assert_eq!(without["id"], "u1");
        assert_eq!(Projection::default().apply(r.clone()), r);
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
