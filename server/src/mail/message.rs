//! The verification e-mail's text. Plain ASCII text, so that it travels as 7bit and the code is
//! readable in any client; the device name, chosen by the user, is cleaned before it goes in.

use latchkey_core::device::{EMAIL_CODE_DIGITS, EMAIL_CODE_LIFETIME_SECS};
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::Message;

use super::MailError;

/// No code in the subject: subjects show in notifications and lock screens.
pub const SUBJECT: &str = "Your Latchkey verification code";
const MAX_DEVICE_NAME_CHARS: usize = 80;

pub fn device_code(from: Mailbox, to: Mailbox, device_name: &str, code: &str) -> Result<Message, MailError> {
    if code.len() != EMAIL_CODE_DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(MailError::BadCode);
    }
    let device = clean_device_name(device_name);
    let body = format!(
        "Your Latchkey verification code is:\r\n\r\n    {code}\r\n\r\n\
         Enter it in Latchkey to trust the device \"{device}\". It expires in {} minutes and works once.\r\n\r\n\
         If you did not ask for it, someone may be trying to add a device to your account:\r\n\
         do not share the code, and tell your workspace administrator.\r\n",
        EMAIL_CODE_LIFETIME_SECS / 60
    );
    Message::builder()
        .from(from)
        .to(to)
        .subject(SUBJECT)
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| MailError::Build(e.to_string()))
}

/// The invitation's subject; the workspace name goes in the body only (it is chosen by people).
pub const INVITATION_SUBJECT: &str = "You are invited to a Latchkey workspace";

pub fn invitation(
    from: Mailbox,
    to: Mailbox,
    workspace: &str,
    invited_by: &str,
    role: &str,
    server_url: &str,
) -> Result<Message, MailError> {
    let body = format!(
        "{} invited you to the Latchkey workspace \"{}\" as {}.\r\n\r\n\
         To join: install the Latchkey browser extension, enter this server address:\r\n\r\n    {}\r\n\r\n\
         and sign in with this e-mail address. Latchkey e-mails you a code to confirm it is you.\r\n\r\n\
         If you did not expect this, ignore this e-mail.\r\n",
        clean_device_name(invited_by),
        clean_device_name(workspace),
        clean_device_name(role),
        clean_device_name(server_url),
    );
    Message::builder()
        .from(from)
        .to(to)
        .subject(INVITATION_SUBJECT)
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| MailError::Build(e.to_string()))
}

/// Sent for every approval request: no number in it (that is shown only on the new device).
pub const APPROVAL_SUBJECT: &str = "A new device asks to join your Latchkey account";

/// What the server saw of an approval request, for the e-mail.
pub struct RequestSeen<'a> {
    pub device_name: &'a str,
    /// UTC, as `2026-12-06 14:03 UTC`.
    pub when: &'a str,
    pub address: &'a str,
    pub os: &'a str,
    pub browser: &'a str,
    pub minutes: i64,
}

pub fn approval_request(from: Mailbox, to: Mailbox, seen: &RequestSeen<'_>) -> Result<Message, MailError> {
    let body = format!(
        "A device named \"{}\" asked one of your trusted devices to approve it.\r\n\r\n\
         When:       {}\r\n\
         From:       {}\r\n\
         Browser/OS: {} on {}\r\n\r\n\
         If this is you: open My trusted devices on a trusted device, check the words, and type the\r\n\
         number shown on the new device.\r\n\r\n\
         If this was not you: deny it, or do nothing (it expires in {} minutes). Never type a number\r\n\
         someone else gives you. Tell your workspace administrator.\r\n",
        clean_device_name(seen.device_name),
        clean_device_name(seen.when),
        clean_device_name(seen.address),
        clean_device_name(seen.browser),
        clean_device_name(seen.os),
        seen.minutes,
    );
    Message::builder()
        .from(from)
        .to(to)
        .subject(APPROVAL_SUBJECT)
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| MailError::Build(e.to_string()))
}

pub const FAILURES_SUBJECT: &str = "Many wrong Latchkey codes were typed for your account";

pub fn failures_notice(from: Mailbox, to: Mailbox, failures: i64) -> Result<Message, MailError> {
    let body = format!(
        "In the last 24 hours, {failures} wrong verification codes were typed for your Latchkey account,\r\n\
         on devices asking to join it. Someone may be trying to guess a code.\r\n\r\n\
         Your codes stay safe: each code works only on the device that asked for it, and the networks\r\n\
         the wrong codes came from can no longer try. You can still verify your own devices.\r\n\r\n\
         If you are not setting up a device, tell your workspace administrator.\r\n"
    );
    Message::builder()
        .from(from)
        .to(to)
        .subject(FAILURES_SUBJECT)
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| MailError::Build(e.to_string()))
}

/// Printable ASCII only (others become `?`), quotes made single, at most 80 characters: a name
/// cannot add lines, change the encoding or pose as part of the message.
fn clean_device_name(name: &str) -> String {
    name.chars()
        .take(MAX_DEVICE_NAME_CHARS)
        .map(|c| match c {
            '"' => '\'',
            ' '..='~' => c,
            _ => '?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invitations_name_the_workspace_and_server_and_cannot_add_headers() {
        let from: Mailbox = "a@example.com".parse().unwrap();
        let to: Mailbox = "b@example.com".parse().unwrap();
        let message = invitation(from, to, "Acme\r\nBcc: x@evil", "Ana", "admin", "https://lk.example").unwrap();
        let text = String::from_utf8(message.formatted()).unwrap();
        assert!(text.contains("Subject: You are invited to a Latchkey workspace"));
        assert!(text.contains("\"Acme??Bcc: x@evil\""), "{text}");
        assert!(text.contains("    https://lk.example\r\n"));
        assert!(!text.contains("\r\nBcc:"));
    }

    #[test]
    fn cleans_device_names_and_checks_codes() {
        assert_eq!(clean_device_name("ana's Chrome - macOS"), "ana's Chrome - macOS");
        assert_eq!(clean_device_name("a\r\nBcc: x\"é"), "a??Bcc: x'?");
        assert_eq!(clean_device_name(&"x".repeat(500)).len(), 80);
        let from: Mailbox = "a@example.com".parse().unwrap();
        for bad in ["12345", "1234567", "12345a", "١٢٣٤٥٦"] {
            assert!(
                matches!(
                    device_code(from.clone(), from.clone(), "d", bad),
                    Err(MailError::BadCode)
                ),
                "{bad}"
            );
        }
    }
}
