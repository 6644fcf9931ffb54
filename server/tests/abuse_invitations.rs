//! Invitations expire: an invited address that never joined cannot be taken over
//! after its week, at registration or at the first device; admins resend (a new week, a new
//! e-mail) or cancel an invitation through the API.

use serde_json::json;

use crate::support::smtp::SmtpServer;
use crate::support::trust::*;
use crate::support::TempDir;
use crate::support::{now, open_db, trusted_user, Server};
use latchkey::db::UserStatus;
use latchkey::domain::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitations_expire_and_admins_resend_or_cancel_them() {
    let dir = TempDir::new("abuse-invitations");
    let smtp = SmtpServer::start().await;
    let db = open_db(dir.path()).await;
    let ws = db.create_workspace("Acme", now()).await.unwrap();
    let (_owner, owner_token) = trusted_user(&db, &ws.id, "owner@acme.example", Role::Owner).await;
    let (_admin, admin_token) = trusted_user(&db, &ws.id, "admin@acme.example", Role::Admin).await;
    let (_user, user_token) = trusted_user(&db, &ws.id, "user@acme.example", Role::User).await;
    let relay = smtp.url();
    let server = Server::start(dir.path(), &["--smtp-url", &relay]);
    let api = server.api();
    let (owner, admin, user) = (
        api.as_device(&owner_token),
        api.as_device(&admin_token),
        api.as_device(&user_token),
    );

    let invited = owner
        .post(
            &format!("{API}/invitations"),
            json!({"email": "new@acme.example", "role": "user"}),
        )
        .await;
    let invitation = invited.expect(201)["invitation"].clone();
    let id = invitation["id"].as_str().unwrap().to_string();
    assert_eq!(invitation["expired"], false);

    // Registered while open; then the week passes before the first device.
    let early = Device::register_device(&api, "new@acme.example", "New laptop").await;
    let code = early.email_code(&smtp).await;
    early
        .post("/trust/email-code/verify", json!({ "code": code }))
        .await
        .expect(200);
    sqlx::query("UPDATE invitations SET expires_at = $1 WHERE id = $2")
        .bind(now() - 1)
        .bind(&id)
        .execute(db.pool())
        .await
        .unwrap();
    let refused = early
        .post(
            "/trust/first-device",
            json!({"userPublicKeys": Device::new(&api).public.to_text(), "sealedPrivateKeys": "AA", "recoveryEnvelope": "AA", "userKeyEnvelope": "AA", "proof": "AA"}),
        )
        .await;
    refused.expect_error(403, "forbidden");
    assert!(
        refused.text.contains("invitation to this workspace expired"),
        "{}",
        refused.text
    );
    // A registration after expiry is answered as for an unknown address: no code is e-mailed.
    let before = code_mails(&smtp, "new@acme.example").len();
    let late = Device::register_device(&api, "new@acme.example", "New phone").await;
    late.post("/trust/email-code", json!({})).await.expect(202);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        code_mails(&smtp, "new@acme.example").len(),
        before,
        "no code for an expired invitation"
    );
    let listed = admin.get(&format!("{API}/invitations")).await.expect(200).clone();
    assert_eq!(listed["invitations"][0]["expired"], true);

    // Who may manage invitations: admins and above, within their own workspace and rank.
    user.get(&format!("{API}/invitations"))
        .await
        .expect_error(403, "forbidden");
    user.post(&format!("{API}/invitations/{id}/resend"), json!({}))
        .await
        .expect_error(403, "forbidden");
    user.delete(&format!("{API}/invitations/{id}"))
        .await
        .expect_error(403, "forbidden");
    admin
        .post(&format!("{API}/invitations/{}/resend", "0".repeat(32)), json!({}))
        .await
        .expect_error(404, "not_found");
    let boss = owner
        .post(
            &format!("{API}/invitations"),
            json!({"email": "boss@acme.example", "role": "owner"}),
        )
        .await;
    let boss_id = boss.expect(201)["invitation"]["id"].as_str().unwrap().to_string();
    admin
        .delete(&format!("{API}/invitations/{boss_id}"))
        .await
        .expect_error(403, "forbidden");

    // Resend: a new week, a new e-mail; then the early device finishes as the first device.
    let invitations_before = mails(&smtp, "new@acme.example", "invited you").len();
    let resent = admin.post(&format!("{API}/invitations/{id}/resend"), json!({})).await;
    let resent = resent.expect(200).clone();
    assert_eq!(resent["emailSent"], true);
    assert_eq!(resent["invitation"]["expired"], false);
    assert!(resent["invitation"]["expiresAt"].as_i64().unwrap() >= now() + 7 * 24 * 3600 - 60);
    next_mail(&smtp, "new@acme.example", "invited you", invitations_before).await;
    let fresh = Device::register_device(&api, "new@acme.example", "New desktop").await;
    let code = fresh.email_code(&smtp).await;
    fresh
        .post("/trust/email-code/verify", json!({ "code": code }))
        .await
        .expect(200);

    // Cancel: the invited user goes; the address is then unknown, and can be invited again.
    owner.delete(&format!("{API}/invitations/{boss_id}")).await.expect(200);
    owner
        .delete(&format!("{API}/invitations/{boss_id}"))
        .await
        .expect_error(404, "not_found");
    let gone = db.users(&ws.id).await.unwrap();
    assert!(!gone.iter().any(|u| u.email == "boss@acme.example"));
    let again = owner
        .post(
            &format!("{API}/invitations"),
            json!({"email": "boss@acme.example", "role": "owner"}),
        )
        .await;
    again.expect(201);
    // Until a first device is made, the user stays invited (the mailbox proof alone joins nobody).
    let pending = db.user_by_email(&ws.id, "new@acme.example").await.unwrap();
    assert_eq!(pending.status, UserStatus::Invited);
}
