use super::*;

fn eml(headers: &str, body: &str) -> Vec<u8> {
    format!("{headers}\r\n\r\n{body}")
        .replace('\n', "\r\n")
        .replace("\r\r\n", "\r\n")
        .into_bytes()
}

#[test]
fn plain_text_message_gives_sender_subject_text_and_code() {
    let raw = eml(
        "From: \"Example\" <no-reply@example.com>\nTo: a@b.test\nSubject: Your sign-in code",
        "Hi,\n\nYour verification code is 482913.\nIt expires in 10 minutes.\n",
    );
    let mail = read(&raw).unwrap();
    assert_eq!(mail.from.as_deref(), Some("no-reply@example.com"));
    assert_eq!(mail.subject, "Your sign-in code");
    assert_eq!(
        mail.text,
        "Hi,\n\nYour verification code is 482913.\nIt expires in 10 minutes."
    );
    let found = extract(&mail).unwrap();
    assert_eq!(found.field, Field::Text);
    assert_eq!(found.code.code, "482913");
    assert_eq!(&mail.text[found.code.span.clone()], "482913");
}

#[test]
fn html_only_quoted_printable_message_is_turned_into_text() {
    let raw = eml(
        "From: Shop <hello@shop.example>\nSubject: =?UTF-8?Q?Ihr_Best=C3=A4tigungscode?=\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable",
        "<html><head><style>.c{font-size:40px}</style></head><body><p>Ihr Best=C3=A4tigungscode:</p>=\n<div class=3D\"c\">731 942</div><p><a href=3D\"https://shop.example/verify?t=3Dabc\">E-Mail best=C3=A4tigen</a></p></body></html>",
    );
    let mail = read(&raw).unwrap();
    assert_eq!(mail.subject, "Ihr Bestätigungscode");
    assert_eq!(mail.text, "Ihr Bestätigungscode:\n\n731 942\n\nE-Mail bestätigen");
    let found = extract(&mail).unwrap();
    assert_eq!((found.field, found.code.code.as_str()), (Field::Text, "731942"));
    assert_eq!(mail.links.len(), 1);
    assert_eq!(mail.links[0].url, "https://shop.example/verify?t=abc");
    assert_eq!(&mail.text[mail.links[0].span.clone()], "E-Mail bestätigen");
}

#[test]
fn subject_only_code_is_found_in_the_subject() {
    let raw = eml(
        "From: x@y.example\nSubject: 583920 is your Example code",
        "Enter the code in the subject line to sign in.",
    );
    let found = extract(&read(&raw).unwrap()).unwrap();
    assert_eq!(found.field, Field::Subject);
    assert_eq!(found.code.code, "583920");
    assert_eq!(found.code.span_utf16, 0..6);
}

#[test]
fn what_is_not_a_message_is_refused_with_a_sentence() {
    assert_eq!(read(b""), Err(MailError::Empty));
    assert_eq!(read(b" \r\n"), Err(MailError::Empty));
    assert_eq!(read(b"Your code is 482913"), Err(MailError::NotAMessage));
    assert_eq!(read(b"\xff\xfe\x00binary"), Err(MailError::NotAMessage));
    assert!(MailError::NotAMessage.to_string().contains("raw message"));
}

#[test]
fn debug_output_hides_subject_and_text() {
    let raw = eml("From: x@y.example\nSubject: 583920 is your code", "code 583920");
    let mail = read(&raw).unwrap();
    assert!(!format!("{mail:?}").contains("583920"));
    assert!(!format!("{:?}", extract(&mail).unwrap()).contains("583920"));
}
