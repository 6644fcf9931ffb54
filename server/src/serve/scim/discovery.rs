//! What a client reads to learn this service provider (RFC 7644 §4): `ServiceProviderConfig`,
//! `ResourceTypes` and `Schemas`. Fixed documents (they say nothing about any workspace), so no
//! token is needed to read them.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use super::error::{ScimError, ScimResult};
use super::user::USER_SCHEMA;
use super::{scim_reply, LIST_SCHEMA, MAX_RESULTS};
use crate::serve::state::AppState;

const SPC_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

fn base(state: &AppState) -> String {
    format!("{}/scim/v2", state.public_url.trim_end_matches('/'))
}

pub async fn service_provider_config(State(state): State<AppState>) -> Response {
    scim_reply(
        StatusCode::OK,
        &json!({
            "schemas": [SPC_SCHEMA],
            "patch": {"supported": true},
            "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": true, "maxResults": MAX_RESULTS},
            "changePassword": {"supported": false},
            "sort": {"supported": false},
            "etag": {"supported": false},
            "authenticationSchemes": [{
                "type": "oauthbearertoken",
                "name": "SCIM token",
                "description": "A workspace's SCIM token, created by an owner: Authorization: Bearer lks_scim_…",
                "primary": true,
            }],
            "meta": {"resourceType": "ServiceProviderConfig", "location": format!("{}/ServiceProviderConfig", base(&state))},
        }),
    )
}

fn user_resource_type(state: &AppState) -> Value {
    json!({
        "schemas": [RESOURCE_TYPE_SCHEMA],
        "id": "User",
        "name": "User",
        "endpoint": "/Users",
        "description": "A person in the workspace",
        "schema": USER_SCHEMA,
        "schemaExtensions": [],
        "meta": {"resourceType": "ResourceType", "location": format!("{}/ResourceTypes/User", base(state))},
    })
}

fn list(resources: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST_SCHEMA],
        "totalResults": resources.len(),
        "startIndex": 1,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}

pub async fn resource_types(State(state): State<AppState>) -> Response {
    scim_reply(StatusCode::OK, &list(vec![user_resource_type(&state)]))
}

pub async fn resource_type(State(state): State<AppState>, Path(id): Path<String>) -> ScimResult<Response> {
    match id.as_str() {
        "User" => Ok(scim_reply(StatusCode::OK, &user_resource_type(&state))),
        _ => Err(ScimError::not_found("the only resource type here is User")),
    }
}

/// One attribute's definition (RFC 7643 §7), with the defaults filled in.
fn attribute(name: &str, kind: &str, required: bool, description: &str) -> Value {
    json!({
        "name": name,
        "type": kind,
        "multiValued": false,
        "description": description,
        "required": required,
        "caseExact": false,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": if name == "userName" { "server" } else { "none" },
    })
}

fn user_schema(state: &AppState) -> Value {
    let mut name = attribute("name", "complex", false, "The user's names");
    name["subAttributes"] = json!([
        attribute("givenName", "string", false, "Given name, at most 100 characters"),
        attribute("familyName", "string", false, "Family name, at most 100 characters"),
    ]);
    // Required: Latchkey e-mails device codes (a userName that is an address stands in for it).
    let mut emails = attribute(
        "emails",
        "complex",
        true,
        "The user's address (where Latchkey e-mails device codes): the primary, else the work, else the first one \
         given; without emails, userName must be an address. Answered as one work address",
    );
    emails["multiValued"] = true.into();
    emails["subAttributes"] = json!([
        attribute("value", "string", true, "The address"),
        attribute("type", "string", false, "work, home, other"),
        attribute("primary", "boolean", false, "The address Latchkey uses"),
    ]);
    let mut id = attribute("id", "string", false, "Latchkey's id for the user");
    id["mutability"] = "readOnly".into();
    id["caseExact"] = true.into();
    id["returned"] = "always".into();
    id["uniqueness"] = "server".into();
    let mut external_id = attribute("externalId", "string", false, "The identity provider's id for the user");
    external_id["caseExact"] = true.into();
    json!({
        "schemas": [SCHEMA_SCHEMA],
        "id": USER_SCHEMA,
        "name": "User",
        "description": "A workspace user",
        "attributes": [
            id,
            external_id,
            attribute("userName", "string", true, "Unique in the workspace, not case-exact"),
            name,
            attribute("displayName", "string", false, "The name shown in Latchkey, at most 100 characters"),
            emails,
            attribute("active", "boolean", false, "false deprovisions the user; true makes them active again (every device stays disabled)"),
        ],
        "meta": {"resourceType": "Schema", "location": format!("{}/Schemas/{USER_SCHEMA}", base(state))},
    })
}

pub async fn schemas(State(state): State<AppState>) -> Response {
    scim_reply(StatusCode::OK, &list(vec![user_schema(&state)]))
}

pub async fn schema(State(state): State<AppState>, Path(id): Path<String>) -> ScimResult<Response> {
    match id == USER_SCHEMA {
        true => Ok(scim_reply(StatusCode::OK, &user_schema(&state))),
        false => Err(ScimError::not_found("the only schema here is the core User schema")),
    }
}
