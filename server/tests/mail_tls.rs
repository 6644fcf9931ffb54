//! Outgoing mail to a provider: the server's verification e-mail goes out over STARTTLS and over
//! TLS from the first byte, authenticated, to a local TLS SMTP server with a throwaway certificate
//! (made by openssl in the test); credentials come from the environment or an owner-only file and
//! never show in the output; a wrong password, an untrusted certificate, or credentials over plain
//! SMTP stop the start with a sentence that says what to fix.

use std::os::unix::fs::PermissionsExt;

use crate::support::mail::throwaway_cert;
use crate::support::server::{serve_refused, stderr};
use crate::support::smtp::{SmtpServer, TlsMode};
use crate::support::trust::Device;
use crate::support::world::seed_user;
use crate::support::{open_db, Server, TempDir};

const USER: &str = "latchkey@acme.test";
const PASSWORD: &str = "pr0vider-Pa55word-7731";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verification_mail_goes_out_over_starttls_and_implicit_tls_with_authentication() {
    let certs = TempDir::new("mail-tls-provider");
    let (cert, key) = throwaway_cert(certs.path(), "provider");
    let ca = cert.to_str().unwrap();
    // The password from the environment (STARTTLS), then from an owner-only file (implicit TLS).
    let file = certs.path().join("smtp-credentials");
    std::fs::write(&file, format!("{USER}\n{PASSWORD}\n")).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    for (mode, scheme) in [(TlsMode::StartTls, "smtp+starttls"), (TlsMode::Implicit, "smtps")] {
        let provider = SmtpServer::start_secure(mode, &cert, &key, USER, PASSWORD).await;
        let dir = TempDir::new("mail-tls-out");
        let url = format!("{scheme}://127.0.0.1:{}", provider.port);
        let server = match mode {
            TlsMode::StartTls => Server::start_with_env(
                dir.path(),
                &["--smtp-url", &url, "--smtp-ca-file", ca],
                &[("LATCHKEY_SMTP_USERNAME", USER), ("LATCHKEY_SMTP_PASSWORD", PASSWORD)],
            ),
            TlsMode::Implicit => Server::start(
                dir.path(),
                &[
                    "--smtp-url",
                    &url,
                    "--smtp-ca-file",
                    ca,
                    "--smtp-credentials-file",
                    file.to_str().unwrap(),
                ],
            ),
        };
        let db = open_db(dir.path()).await;
        seed_user(&db, "ana@acme.test").await;
        let device = Device::register_device(&server.api(), "ana@acme.test", "Ana's laptop").await;
        let code = device.email_code(&provider).await;
        assert_eq!(code.len(), 6);
        assert_eq!(*provider.refused_logins.lock().unwrap(), 0);
        assert!(!server.stderr().contains(PASSWORD) && !server.stdout().contains(PASSWORD));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_an_untrusted_certificate_or_credentials_in_clear_stop_the_start() {
    let certs = TempDir::new("mail-tls-refusals");
    let (cert, key) = throwaway_cert(certs.path(), "provider");
    let ca = cert.to_str().unwrap();
    let provider = SmtpServer::start_secure(TlsMode::StartTls, &cert, &key, USER, PASSWORD).await;
    let url = format!("smtp+starttls://127.0.0.1:{}", provider.port);
    let dir = TempDir::new("mail-tls-refused");
    let refused_with = |out: &std::process::Output, says: &str| {
        let err = stderr(out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(says), "{err:?} lacks {says:?}");
        assert!(
            !err.contains("wrong-password") && !err.contains(PASSWORD),
            "a password was printed: {err}"
        );
    };

    let out = serve_refused(
        dir.path(),
        &["--smtp-url", &url, "--smtp-ca-file", ca],
        &[
            ("LATCHKEY_SMTP_USERNAME", USER),
            ("LATCHKEY_SMTP_PASSWORD", "wrong-password"),
        ],
    );
    refused_with(&out, "refused the user name or password");
    assert_eq!(*provider.refused_logins.lock().unwrap(), 1);

    // Without the CA, the throwaway certificate is not trusted (Mozilla's roots only).
    let out = serve_refused(
        dir.path(),
        &["--smtp-url", &url],
        &[("LATCHKEY_SMTP_USERNAME", USER), ("LATCHKEY_SMTP_PASSWORD", PASSWORD)],
    );
    refused_with(&out, "is not trusted");

    // Credentials over plain SMTP, in the URL, or in a file others may read: refused before any
    // connection.
    let out = serve_refused(
        dir.path(),
        &["--smtp-url", "smtp://127.0.0.1:25"],
        &[("LATCHKEY_SMTP_USERNAME", USER), ("LATCHKEY_SMTP_PASSWORD", PASSWORD)],
    );
    refused_with(&out, "would cross the network in clear");
    let out = serve_refused(dir.path(), &["--smtp-url", "smtps://u:p@127.0.0.1"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let file = certs.path().join("smtp-credentials");
    std::fs::write(&file, format!("{USER}\n{PASSWORD}\n")).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = serve_refused(
        dir.path(),
        &[
            "--smtp-url",
            &url,
            "--smtp-ca-file",
            ca,
            "--smtp-credentials-file",
            file.to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("chmod 600"), "{}", stderr(&out));
}
