//! Attacks on SCIM provisioning, against the real server over loopback: one workspace's token
//! reaching another's users, a revoked token used again, guessed, malformed and borrowed tokens
//! (each gets the same 401), filters built to break the parser, a provider deactivating the last
//! owner, non-owners minting tokens, and the token looked for in the database file.

use serde_json::json;

use crate::api_scim::{new_token, scim_error, Scim};
use crate::support::TempDir;
use crate::support::{member, now, open_db, Server};
use latchkey::domain::Role;

const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_sees_and_touches_only_its_own_workspace() {
    let dir = TempDir::new("abuse-scim-workspaces");
    let db = open_db(dir.path()).await;
    let server = Server::start(dir.path(), &[]);
    let (a, b) = (
        db.create_workspace("Acme", now()).await.unwrap(),
        db.create_workspace("Globex", now()).await.unwrap(),
    );
    let olga = member(&server, &db, &a.id, "olga@acme.example", Role::Owner).await;
    let gus = member(&server, &db, &b.id, "gus@globex.example", Role::Owner).await;
    let hank = member(&server, &db, &b.id, "hank@globex.example", Role::User).await;
    let (_, token) = new_token(&olga, "Okta").await;
    let acme = Scim::new(&server, &token);

    // Globex's people are not in Acme's lists, by any filter.
    let all = acme.get("/Users?count=200").await.expect(200).clone();
    assert_eq!(all["totalResults"], 1);
    assert_eq!(acme.find("hank@globex.example").await["totalResults"], 0);
    let by_id = acme
        .get(&format!("/Users?filter=id%20eq%20%22{}%22", hank.user.id))
        .await;
    assert_eq!(by_id.expect(200)["totalResults"], 0);
    // Read, replace, patch, deactivate, delete Hank by his id: "not found", and nothing changes.
    let path = format!("/Users/{}", hank.user.id);
    scim_error(&acme.get(&path).await, 404, None);
    let replace = json!({"schemas": [USER], "userName": "attacker@evil.example", "active": false});
    scim_error(&acme.put(&path, replace).await, 404, None);
    let off = json!([{"op": "replace", "value": {"active": false, "userName": "attacker@evil.example"}}]);
    scim_error(&acme.patch(&path, off).await, 404, None);
    scim_error(&acme.delete(&path).await, 404, None);
    let hank_now = db.user(&hank.user.id).await.unwrap();
    assert_eq!(
        (hank_now.email.as_str(), hank_now.status.as_str()),
        ("hank@globex.example", "active")
    );
    hank.get("/devices").await.expect(200);
    // Creating someone with Globex's address makes an Acme user; Globex's stays untouched.
    let made = acme
        .post("/Users", json!({"schemas": [USER], "userName": "hank@globex.example"}))
        .await;
    assert_ne!(made.expect(201)["id"], hank.user.id.as_str());
    assert_eq!(db.user(&hank.user.id).await.unwrap().workspace_id, b.id);
    // Nor does Globex's owner see or revoke Acme's token.
    assert_eq!(gus.get("/scim-tokens").await.expect(200)["scimTokens"], json!([]));
    let acme_token_id = olga.get("/scim-tokens").await.expect(200)["scimTokens"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    gus.api
        .delete(&format!("/api/v1/scim-tokens/{acme_token_id}"))
        .await
        .expect_error(404, "not_found");
    acme.get("/Users").await.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_guessed_malformed_and_borrowed_tokens_all_get_the_same_401() {
    let dir = TempDir::new("abuse-scim-tokens");
    let db = open_db(dir.path()).await;
    let server = Server::start(dir.path(), &[]);
    let ws = db.create_workspace("Acme", now()).await.unwrap();
    let olga = member(&server, &db, &ws.id, "olga@acme.example", Role::Owner).await;
    let (id, token) = new_token(&olga, "Okta").await;
    let live = Scim::new(&server, &token);
    live.get("/Users").await.expect(200);

    let (prefix, secret) = token.rsplit_once('_').unwrap();
    let wrong_secret = format!("{prefix}_{}", "0".repeat(secret.len()));
    let one_char_off = format!(
        "{}{}",
        &token[..token.len() - 1],
        if token.ends_with('a') { 'b' } else { 'a' }
    );
    let device_token = olga.api.token.clone().unwrap();
    let mut replies = Vec::new();
    for presented in [
        wrong_secret.as_str(),
        one_char_off.as_str(),
        "lks_scim_",
        "lks_scim_zz_zz",
        "Bearer",
        &"x".repeat(300),
        // A trusted owner's device token is not a SCIM token.
        device_token.as_str(),
    ] {
        replies.push(Scim::new(&server, presented).get("/Users").await);
    }
    // No Authorization header at all, and a Basic one.
    let anonymous = server.api();
    replies.push(anonymous.raw("GET", "/scim/v2/Users", None, vec![], &[]).await);
    replies.push(
        anonymous
            .raw(
                "GET",
                "/scim/v2/Users",
                None,
                vec![],
                &[("authorization", "Basic b2xnYTpwYXNz")],
            )
            .await,
    );
    // Revoked: refused on the very next request.
    olga.api.delete(&format!("/api/v1/scim-tokens/{id}")).await.expect(200);
    replies.push(live.get("/Users").await);
    replies.push(
        live.post("/Users", json!({"schemas": [USER], "userName": "x@acme.example"}))
            .await,
    );
    let first = &replies[0];
    scim_error(first, 401, None);
    assert_eq!(first.header("www-authenticate"), Some("Bearer realm=\"latchkey-scim\""));
    for reply in &replies {
        assert_eq!(
            (reply.status, &reply.text),
            (401, &first.text),
            "every refusal reads the same"
        );
    }
    assert!(db.user_by_email(&ws.id, "x@acme.example").await.is_err());
    // A SCIM token does not open the device API either.
    server
        .api()
        .as_device(&token)
        .get("/api/v1/users")
        .await
        .expect_error(401, "unauthenticated");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_built_to_break_the_parser_get_invalid_filter_not_a_500() {
    let dir = TempDir::new("abuse-scim-filters");
    let db = open_db(dir.path()).await;
    let server = Server::start(dir.path(), &[]);
    let ws = db.create_workspace("Acme", now()).await.unwrap();
    let olga = member(&server, &db, &ws.id, "olga@acme.example", Role::Owner).await;
    let (_, token) = new_token(&olga, "Okta").await;
    let scim = Scim::new(&server, &token);
    for filter in [
        "userName",
        "userName%20co%20%22olga%22",
        "userName%20eq%20olga",
        "userName%20eq%20%22olga%22%20or%201%20eq%201",
        "userName%20eq%20%22olga%27%20OR%20%271%27=%271%22%22",
        "(userName%20eq%20%22a%22)",
        "password%20eq%20%22x%22",
        "emails[type%20eq%20%22work%22]",
        "%00",
        "userName%20eq%20%22%5Cu00",
    ] {
        let reply = scim.get(&format!("/Users?filter={filter}")).await;
        scim_error(&reply, 400, Some("invalidFilter"));
    }
    let long = "a".repeat(5000);
    scim_error(
        &scim.get(&format!("/Users?filter={long}")).await,
        400,
        Some("invalidFilter"),
    );
    // A quote inside the value is data, not SQL.
    let sneaky = scim
        .get("/Users?filter=userName%20eq%20%22olga%40acme.example%27%20OR%20%271%27%3D%271%22")
        .await;
    assert_eq!(sneaky.expect(200)["totalResults"], 0);
    // Bodies that are not SCIM get SCIM errors too.
    let reply = scim.send("POST", "/Users", None).await;
    scim_error(&reply, 400, Some("invalidSyntax"));
    let reply = scim
        .patch(
            &format!("/Users/{}", olga.user.id),
            json!([{"op": "replace", "path": "active", "value": "maybe"}]),
        )
        .await;
    scim_error(&reply, 400, Some("invalidValue"));
    scim_error(&scim.get("/Users?startIndex=x").await, 400, Some("invalidValue"));
    scim_error(&scim.get("/Users?count=lots").await, 400, Some("invalidValue"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_cannot_deactivate_the_last_owner() {
    let dir = TempDir::new("abuse-scim-owner");
    let db = open_db(dir.path()).await;
    let server = Server::start(dir.path(), &[]);
    let ws = db.create_workspace("Acme", now()).await.unwrap();
    let olga = member(&server, &db, &ws.id, "olga@acme.example", Role::Owner).await;
    let (_, token) = new_token(&olga, "Okta").await;
    let scim = Scim::new(&server, &token);
    let olga_path = format!("/Users/{}", olga.user.id);
    let off = json!([{"op": "replace", "value": {"active": false}}]);
    scim_error(&scim.patch(&olga_path, off.clone()).await, 403, None);
    scim_error(&scim.delete(&olga_path).await, 403, None);
    olga.get("/devices").await.expect(200);
    assert_eq!(db.user(&olga.user.id).await.unwrap().status.as_str(), "active");
    // With a second owner, the rank rule is the API's: an owner's rank deprovisions owners.
    let oscar = member(&server, &db, &ws.id, "oscar@acme.example", Role::Owner).await;
    assert_eq!(scim.patch(&olga_path, off.clone()).await.expect(200)["active"], false);
    scim_error(&scim.patch(&format!("/Users/{}", oscar.user.id), off).await, 403, None);
    oscar.get("/devices").await.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_owners_mint_tokens_and_the_database_never_holds_one() {
    let dir = TempDir::new("abuse-scim-mint");
    let db = open_db(dir.path()).await;
    let server = Server::start(dir.path(), &[]);
    let ws = db.create_workspace("Acme", now()).await.unwrap();
    let olga = member(&server, &db, &ws.id, "olga@acme.example", Role::Owner).await;
    for role in [Role::SuperAdmin, Role::Admin, Role::User] {
        let someone = member(&server, &db, &ws.id, &format!("{}@acme.example", role.as_str()), role).await;
        someone
            .post("/scim-tokens", json!({"name": "mine"}))
            .await
            .expect_error(403, "forbidden");
        someone.get("/scim-tokens").await.expect_error(403, "forbidden");
    }
    let (id, token) = new_token(&olga, "Okta").await;
    let secret = token.rsplit_once('_').unwrap().1.to_string();
    // Neither the token nor its secret is anywhere in the database's files (only a hash).
    db.close().await;
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap().to_str().unwrap().starts_with("latchkey.db") {
            bytes.extend(std::fs::read(&path).unwrap());
        }
    }
    assert!(!bytes.is_empty());
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains(&id), "the token's id is stored");
    assert!(
        !text.contains(&secret) && !text.contains(&token),
        "the secret was stored"
    );
}

/// Look-alike letters cannot add a second "alice" to the people an owner shares with: an address
/// written with a Cyrillic letter before the @ is refused, by an invitation and by SCIM, saying why;
/// a domain's look-alike is kept in its visibly foreign ASCII form (`xn--…`), and an ideographic
/// full stop is a dot (the colleague's own address, so a conflict).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn look_alike_addresses_are_refused_or_shown_as_what_they_are() {
    let dir = TempDir::new("abuse-scim-lookalike");
    let db = open_db(dir.path()).await;
    let server = Server::start(dir.path(), &[]);
    let ws = db.create_workspace("Northwind", now()).await.unwrap();
    let olga = member(&server, &db, &ws.id, "olga@northwind.test", Role::Owner).await;
    member(&server, &db, &ws.id, "alice@northwind.test", Role::User).await;
    let (_, token) = new_token(&olga, "Okta").await;
    let scim = Scim::new(&server, &token);

    let cyrillic = olga
        .post(
            "/invitations",
            json!({"email": "\u{430}lice@northwind.test", "role": "user"}),
        )
        .await;
    cyrillic.expect_error(422, "invalid");
    assert!(cyrillic.text.contains("look-alike"), "{}", cyrillic.text);
    let made = scim
        .post(
            "/Users",
            json!({"schemas": [USER], "userName": "b\u{43e}b@northwind.test"}),
        )
        .await;
    scim_error(&made, 400, Some("invalidValue"));
    assert!(made.text.contains("look-alike"), "{}", made.text);

    let dotless = scim
        .post(
            "/Users",
            json!({"schemas": [USER], "userName": "bob@northw\u{131}nd.test"}),
        )
        .await;
    assert_eq!(dotless.expect(201)["emails"][0]["value"], "bob@xn--northwnd-ykb.test");
    let full_stop = olga
        .post(
            "/invitations",
            json!({"email": "alice@northwind\u{3002}test", "role": "user"}),
        )
        .await;
    full_stop.expect_error(409, "conflict");
    let people = olga.get("/users").await.expect(200).to_string();
    assert!(
        !people.contains('\u{430}') && !people.contains('\u{43e}') && !people.contains('\u{131}'),
        "{people}"
    );
}
