//! A signed webhook must also come from this server's Twilio account. The signature proves the
//! sender knows the auth token; `AccountSid` was not looked at, so a form signed with the token
//! but naming any account (another of the operator's Twilio accounts or subaccounts sharing a
//! token, the demo's simulated account) was stored. Now `AccountSid` must be the configured
//! `--twilio-account-sid`, or, without one, the local account `AC000…0` only: refused otherwise.

use crate::support::sms::*;
use crate::support::TempDir;
use crate::support::{open_db, Reply, Server};

const OTHER_ACCOUNT: &str = "AC00000000000000000000000000000002";
const LOCAL_ACCOUNT: &str = "AC00000000000000000000000000000000";

/// A signed text to `number` naming `account_sid`.
async fn post(server: &Server, number: &str, n: u128, account_sid: &str) -> Reply {
    let form = sms_params(&message_sid(n), "+14155550100", number, "Your code is 864200");
    send_form(&server.api(), with_account_sid(form, account_sid)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_webhook_from_another_twilio_account_is_refused() {
    let dir = TempDir::new("abuse-account-sid");
    // Configured for ACCOUNT_SID.
    let server = Server::start_with_env(dir.path(), &server_flags(), &server_env());
    let db = open_db(dir.path()).await;
    let f = seed(&db, "+18005550141").await;

    let refused = post(&server, &f.number, 1, OTHER_ACCOUNT).await;
    refused.expect_error(403, "wrong_account");
    post(&server, &f.number, 2, LOCAL_ACCOUNT)
        .await
        .expect_error(403, "wrong_account");
    assert_eq!(
        db.count_sms("twilio").await.unwrap().0,
        0,
        "a refused webhook stored a message"
    );
    assert!(server.logged("\"sms_wrong_account\"").await, "{}", server.stderr());
    post(&server, &f.number, 3, ACCOUNT_SID).await.expect(200);
    assert_eq!(db.count_sms("twilio").await.unwrap().0, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_configured_account_only_the_local_one_is_accepted() {
    let dir = TempDir::new("abuse-account-sid-local");
    let flags = vec!["--public-url", PUBLIC_URL];
    let server = Server::start_with_env(dir.path(), &flags, &server_env());
    let db = open_db(dir.path()).await;
    let f = seed(&db, "+18005550142").await;

    post(&server, &f.number, 1, ACCOUNT_SID)
        .await
        .expect_error(403, "wrong_account");
    assert_eq!(db.count_sms("twilio").await.unwrap().0, 0);
    post(&server, &f.number, 2, LOCAL_ACCOUNT).await.expect(200);
    assert_eq!(db.count_sms("twilio").await.unwrap().0, 1);
    // The operator is told at start why real texts would be refused.
    assert!(server.logged("twilio_account_not_set").await, "{}", server.stderr());
}
