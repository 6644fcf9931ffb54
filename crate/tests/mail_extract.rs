//! E-mail reading and code extraction over the corpus (`tests/data/mail`, 14 languages, HTML-only
//! and multipart, odd charsets and transfer encodings, messages without a code): every expected
//! code found, none invented; and `mail::read`/`extract` never panic on arbitrary or mutated bytes,
//! and `read_and_extract` (which searches the body once) gives what they give.
mod mail;

use latchkey_core::mail::{extract, read, read_and_extract, Field};
use proptest::prelude::*;

#[test]
fn corpus_is_read_at_98_percent_without_inventing_codes() {
    let cases = mail::cases();
    assert!(cases.len() >= 50, "only {} messages", cases.len());
    let with_code = cases.iter().filter(|c| c.code.is_some()).count();
    assert!(with_code >= 40 && cases.len() - with_code >= 10);
    let langs: std::collections::BTreeSet<_> = cases.iter().map(|c| c.lang.as_str()).collect();
    assert!(langs.len() >= 10, "{langs:?}");
    let r = mail::evaluate(&cases);
    let report = format!(
        "{}/{} exact ({:.1}%), {} of {} negatives given a code\n{}",
        r.exact,
        r.total,
        100.0 * r.accuracy(),
        r.invented,
        r.negatives,
        r.misses.join("\n")
    );
    println!("{report}");
    assert!(r.accuracy() >= 0.98, "{report}");
    assert_eq!(r.invented, 0, "{report}");
}

#[test]
fn every_corpus_message_reads_with_a_sender_a_subject_and_text() {
    for c in mail::cases() {
        let m = read(&c.raw).unwrap_or_else(|e| panic!("{}: {e}", c.file));
        assert!(m.from.as_deref().is_some_and(|f| f.contains('@')), "{}", c.file);
        assert!(
            !m.subject.is_empty() && !m.subject.contains("=?"),
            "{}: {:?}",
            c.file,
            m.subject
        );
        assert!(!m.text.is_empty(), "{}", c.file);
        assert!(!m.text.contains('\u{fffd}'), "{}: undecoded text", c.file);
        // HTML is turned into text: no markup, no script or style content.
        for bad in ["<td", "<p>", "</", "font-size", "document.write", "&nbsp;", "&copy;"] {
            assert!(!m.text.contains(bad), "{}: {bad:?} in {:?}", c.file, m.text);
        }
        if let Some(found) = extract(&m) {
            let field = if found.field == Field::Subject {
                &m.subject
            } else {
                &m.text
            };
            let shown = &field[found.code.span.clone()];
            assert!(mail::same(shown, &found.code.code), "{}: span shows {shown:?}", c.file);
            let utf16: Vec<u16> = field.encode_utf16().collect();
            let s = String::from_utf16(&utf16[found.code.span_utf16.clone()]).unwrap();
            assert_eq!(s, shown, "{}", c.file);
        }
        for l in &m.links {
            assert!(
                l.url.starts_with("http://") || l.url.starts_with("https://"),
                "{}",
                c.file
            );
            assert!(m.text.is_char_boundary(l.span.start) && l.span.end <= m.text.len());
        }
    }
}

#[test]
fn charsets_are_decoded_to_their_words() {
    for (file, words) in [
        (
            "ja-rakuten-shiftjis.eml",
            ["【楽天】認証コードのお知らせ", "認証コード：482913"],
        ),
        (
            "ja-mercari-iso2022jp.eml",
            ["確認コードのお知らせ", "確認コード: 593021"],
        ),
        (
            "ja-amazon-eucjp.eml",
            ["Amazon.co.jp: ワンタイムパスワード", "有効期限は10分"],
        ),
        ("zh-alibaba-gb2312.eml", ["您的验证码", "您的验证码是：739102"]),
        ("zh-taobao-gbk-html.eml", ["【淘宝网】验证码", "验证码30分钟内有效"]),
        ("zh-tw-big5.eml", ["您的驗證碼", "您的驗證碼為 384019"]),
        ("ko-naver-euckr.eml", ["[네이버] 인증번호 안내", "인증번호 [482913]"]),
        (
            "ru-yandex-koi8r.eml",
            ["Код подтверждения", "Ваш код подтверждения: 482917"],
        ),
        ("ru-vk-cp1251.eml", ["Код для входа", "Код для входа: 739102"]),
        ("pl-allegro-latin2.eml", ["Twój kod weryfikacyjny", "Kod jest ważny"]),
        ("tr-trendyol-latin5.eml", ["Doğrulama kodunuz", "kimseyle paylaşmayın"]),
        ("de-n26-latin1.eml", ["Dein Bestätigungscode für N26", "abzuschließen"]),
        (
            "fr-leboncoin-latin9.eml",
            ["Votre code de vérification leboncoin", "L'équipe"],
        ),
    ] {
        let raw = std::fs::read(mail::dir().join(file)).unwrap();
        let m = read(&raw).unwrap();
        assert_eq!(m.subject, words[0], "{file}");
        assert!(m.text.contains(words[1]), "{file}: {:?}", m.text);
    }
}

#[test]
fn verification_links_are_found_and_others_are_not() {
    let raw = std::fs::read(mail::dir().join("none-en-verify-link-only.eml")).unwrap();
    let m = read(&raw).unwrap();
    let urls: Vec<_> = m
        .links
        .iter()
        .map(|l| (l.url.as_str(), &m.text[l.span.clone()]))
        .collect();
    assert_eq!(
        urls,
        [(
            "https://slack.com/confirm/email?token=abcdef0123",
            "Confirm Email Address"
        )]
    );
    assert!(extract(&m).is_none());

    let raw = std::fs::read(mail::dir().join("none-en-newsletter.eml")).unwrap();
    assert!(read(&raw).unwrap().links.is_empty());
}

fn mutate(raw: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut v = raw.to_vec();
    for &(at, op, byte) in edits {
        if v.is_empty() {
            v.push(byte);
            continue;
        }
        let i = at % v.len();
        match op % 4 {
            0 => v[i] = byte,
            1 => v.insert(i, byte),
            2 => {
                v.remove(i);
            }
            _ => v.truncate(i),
        }
    }
    v
}

/// `read_and_extract` agrees with `read` then `extract` (and neither panics).
fn same_as_read_then_extract(raw: &[u8]) -> Result<(), TestCaseError> {
    let both = read(raw).map(|m| {
        let found = extract(&m);
        (m, found)
    });
    prop_assert_eq!(read_and_extract(raw), both);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..2048)) {
        same_as_read_then_extract(&raw)?;
    }

    #[test]
    fn header_like_garbage_never_panics(
        body in "(From: a@b\\.c\r\n|Subject: =\\?[a-z0-9_-]{0,12}\\?[bBqQx]\\?[ -~]{0,20}\\?=\r\n|Content-Type: (text/html|multipart/alternative; boundary=x|text/plain; charset=[a-z0-9_-]{0,12})\r\n|Content-Transfer-Encoding: (base64|quoted-printable)\r\n|\r\n|--x\r\n|<[a-z/!]{0,4}[^>]{0,10}>?|&#?[a-z0-9]{0,6};?|[ -~]{0,20}|[\\u{80}-\\u{10ffff}]{0,4}){0,30}"
    ) {
        same_as_read_then_extract(body.as_bytes())?;
    }

    #[test]
    fn mutated_corpus_messages_never_panic(
        pick in any::<proptest::sample::Index>(),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 1..12),
    ) {
        let cases = mail::cases();
        let case = &cases[pick.index(cases.len())];
        let raw = mutate(&case.raw, &edits);
        same_as_read_then_extract(&raw)?;
    }
}
