use std::os::unix::fs::PermissionsExt;

use super::*;
use crate::test_support::smtp::SmtpServer;

fn temp_dir(name: &str) -> PathBuf {
    let mut r = [0u8; 8];
    getrandom::fill(&mut r).unwrap();
    std::env::temp_dir().join(format!("latchkey-{name}-{}", u64::from_le_bytes(r)))
}

#[tokio::test]
async fn sends_the_code_to_a_real_smtp_server() {
    let server = SmtpServer::start().await;
    let url = server.url();
    let mailer = Mailer::new(
        Some(&url),
        Some("Latchkey <no-reply@example.com>"),
        Path::new("/nonexistent"),
    )
    .unwrap();
    assert_eq!(mailer.startup_warning(), None);
    let code = latchkey_core::device::new_email_code();
    let delivery = mailer
        .send_device_code("ana@example.com", "ana Chrome - macOS", &code)
        .await
        .unwrap();
    assert_eq!(delivery, Delivery::Relayed);

    let received = server.received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let mail = &received[0];
    assert_eq!(mail.mail_from, "<no-reply@example.com>");
    assert_eq!(mail.rcpt_to, vec!["<ana@example.com>"]);
    assert_eq!(mail.header("Subject").as_deref(), Some(SUBJECT));
    assert_eq!(mail.header("To").as_deref(), Some("ana@example.com"));
    assert!(mail.header("Content-Type").unwrap().starts_with("text/plain"));
    assert!(
        mail.body().contains(&format!("    {}\r\n", code.as_str())),
        "the code is in the body: {mail:?}"
    );
    assert!(mail.body().contains("\"ana Chrome - macOS\""));
    assert!(!mail.header("Subject").unwrap().contains(code.as_str()));
}

#[tokio::test]
async fn reports_a_relay_that_is_not_there() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mailer = Mailer::new(
        Some(&format!("smtp://127.0.0.1:{port}")),
        None,
        Path::new("/nonexistent"),
    )
    .unwrap();
    let err = mailer
        .send_device_code("ana@example.com", "d", "123456")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, MailError::Relay { relay, .. } if relay == &format!("smtp://127.0.0.1:{port}")),
        "{err}"
    );
}

#[tokio::test]
async fn writes_to_the_dev_outbox_without_a_relay() {
    let data = temp_dir("outbox");
    let mailer = Mailer::new(None, None, &data).unwrap();
    let warning = mailer.startup_warning().unwrap();
    assert!(
        warning.contains("WARNING") && warning.contains("--smtp-url"),
        "{warning}"
    );
    let Delivery::Outbox(path) = mailer.send_device_code("ana@example.com", "d", "042917").await.unwrap() else {
        panic!("expected the outbox")
    };
    assert!(path.starts_with(data.join("outbox")));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("Subject: Your Latchkey verification code\r\n") && text.contains("    042917\r\n"));
    assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    assert_eq!(
        std::fs::metadata(data.join("outbox")).unwrap().permissions().mode() & 0o777,
        0o700
    );
    let second = mailer.send_device_code("ana@example.com", "d", "000001").await.unwrap();
    assert_ne!(second, Delivery::Outbox(path), "one file per e-mail");
    std::fs::remove_dir_all(&data).unwrap();
}

#[test]
fn refuses_bad_configuration_and_addresses() {
    let dir = Path::new("/tmp");
    assert!(matches!(
        Mailer::new(None, Some("not an address"), dir),
        Err(MailError::BadFrom(_))
    ));
    let credentials = MailOptions {
        credentials: Some(SmtpCredentials {
            username: "u".into(),
            password: Zeroizing::new("p".into()),
        }),
        ca_file: None,
    };
    assert!(matches!(
        Mailer::with_options(Some("smtp://relay:25"), None, dir, &credentials),
        Err(MailError::CredentialsNeedTls(_))
    ));
    assert!(
        !format!("{credentials:?}").contains("\"p\""),
        "credentials print redacted"
    );
    let mailer = Mailer::new(None, None, dir).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let err = rt
        .block_on(mailer.send_device_code("ana@example.com\r\nBcc: x@y", "d", "123456"))
        .unwrap_err();
    assert!(matches!(err, MailError::BadRecipient(_)), "{err}");
}

/// A throwaway end-entity certificate for 127.0.0.1 (openssl command line) in `dir`.
fn throwaway_cert(dir: &Path) -> (PathBuf, PathBuf) {
    std::fs::create_dir_all(dir).unwrap();
    let (cert, key) = (dir.join("relay.crt"), dir.join("relay.key"));
    let out = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
        ])
        .args(["-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"])
        .args([
            "-addext",
            "basicConstraints=critical,CA:FALSE",
            "-addext",
            "extendedKeyUsage=serverAuth",
        ])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    (cert, key)
}

#[tokio::test]
async fn the_start_check_tells_a_wrong_password_from_an_untrusted_certificate() {
    use crate::test_support::smtp::TlsMode;
    let dir = temp_dir("mail-check");
    let (cert, key) = throwaway_cert(&dir);
    let relay = SmtpServer::start_secure(TlsMode::Implicit, &cert, &key, "user", "right").await;
    let url = format!("smtps://127.0.0.1:{}", relay.port);
    let options = |password: &str, ca: bool| MailOptions {
        credentials: Some(SmtpCredentials {
            username: "user".into(),
            password: Zeroizing::new(password.into()),
        }),
        ca_file: ca.then(|| cert.clone()),
    };
    let mailer = |o: &MailOptions| Mailer::with_options(Some(&url), None, &dir, o).unwrap();
    mailer(&options("right", true)).check().await.unwrap();
    let err = mailer(&options("wrong", true)).check().await.unwrap_err();
    assert!(matches!(err, MailError::AuthRefused { .. }), "{err}");
    assert_eq!(*relay.refused_logins.lock().unwrap(), 1);
    let err = mailer(&options("right", false)).check().await.unwrap_err();
    assert!(matches!(err, MailError::BadCertificate { .. }), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
