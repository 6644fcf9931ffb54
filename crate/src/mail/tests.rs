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

#[test]
fn an_alphanumeric_code_set_apart_under_the_line_naming_it_is_found() {
    let raw = eml(
        "From: noreply@steampowered.com\nSubject: Your Steam account: Access from new computer",
        "Here is the Steam Guard code you need to login to account octo:\n\nF7K2Q\n\nThis email was generated because of a login attempt.",
    );
    let found = extract(&read(&raw).unwrap()).unwrap();
    assert_eq!(found.code.code, "F7K2Q");
    // Not a word, not without a digit, not under a line that does not end with a colon.
    for body in [
        "Here is the code you need to sign in:\n\nThanks\n\nThe team",
        "Here is the code you need to sign in\n\nF7K2Q\n\nThe team",
        "Enjoy this promo code at checkout:\n\nSAVE20\n\nThe team",
    ] {
        let raw = eml("From: a@b.example\nSubject: Hello", body);
        assert!(extract(&read(&raw).unwrap()).is_none(), "{body:?}");
    }
}

/// Both alternatives of a message, the plain text one first.
fn alternatives(plain: &str, html: &str) -> Vec<u8> {
    eml(
        "From: x@y.example\nSubject: Verify your sign-in\nMIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=\"b\"",
        &format!(
            "--b\nContent-Type: text/plain; charset=utf-8\n\n{plain}\n--b\nContent-Type: text/html; charset=utf-8\n\n{html}\n--b--\n"
        ),
    )
}

#[test]
fn a_stub_text_alternative_gives_way_to_the_html_that_holds_the_code() {
    let stub = "Your email client cannot display this message. View it in a browser: https://y.example/view/77312";
    let mail = read(&alternatives(stub, "<p>Your sign-in code is <b>482913</b>.</p>")).unwrap();
    assert_eq!(mail.text, "Your sign-in code is 482913.");
    assert_eq!(extract(&mail).map(|f| f.code.code).as_deref(), Some("482913"));
    // A text alternative with the code is what is read, whatever the HTML says.
    let mail = read(&alternatives(
        "Your sign-in code is 519204.",
        "<p>Your sign-in code is <b>482913</b>.</p>",
    ))
    .unwrap();
    assert_eq!(extract(&mail).map(|f| f.code.code).as_deref(), Some("519204"));
    // Neither has a code: the text alternative is shown.
    let mail = read(&alternatives(stub, "<p>Our December news.</p>")).unwrap();
    assert_eq!(mail.text, stub);
    assert_eq!(extract(&mail), None);
}
