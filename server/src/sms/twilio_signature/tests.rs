use super::*;
use crate::test_support::rng::Rng;
use crate::test_support::twilio_python::{sign_all, Case};

fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
}

/// Twilio's documented example (webhooks-security page): token 12345, this URL and these parameters.
#[test]
fn matches_twilios_documented_example() {
    let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    let params = p(&[
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+12349013030"),
        ("Digits", "1234"),
        ("From", "+12349013030"),
        ("To", "+18005551212"),
    ]);
    let v = TwilioSignature::new("12345");
    assert_eq!(v.sign(url, &params), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    assert_eq!(v.verify(url, &params, Some("0/KCTR6DLpKmkAf8muzZqo1nDgQ=")), Ok(()));
    // Twilio may have signed it with the default port spelled out.
    assert_eq!(
        v.verify(
            "https://mycompany.com:443/myapp.php?foo=1&bar=2",
            &params,
            Some("0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        ),
        Ok(())
    );
}

#[test]
fn refuses_missing_malformed_and_tampered_signatures() {
    let v = TwilioSignature::new("token");
    let url = "https://sms.example.com/webhooks/sms/twilio";
    let params = p(&[("Body", "Your code is 123456"), ("From", "+14155550100")]);
    let good = v.sign(url, &params);
    assert_eq!(v.verify(url, &params, None), Err(SignatureError::Missing));
    assert_eq!(
        v.verify(url, &params, Some("not base64!")),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        v.verify(url, &params, Some(&"A".repeat(4000))),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        v.verify(
            url,
            &p(&[("Body", "Your code is 999999"), ("From", "+14155550100")]),
            Some(&good)
        ),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        v.verify("https://evil.example.com/webhooks/sms/twilio", &params, Some(&good)),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        v.verify("http://sms.example.com/webhooks/sms/twilio", &params, Some(&good)),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        TwilioSignature::new("other").verify(url, &params, Some(&good)),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(v.verify(url, &params, Some(&format!(" {good} "))), Ok(()));
}

#[test]
fn rebuilds_the_public_url_behind_a_proxy() {
    let path = "/webhooks/sms/twilio?account=ab%20c";
    assert_eq!(
        webhook_url("https://sms.example.com", path).unwrap(),
        "https://sms.example.com/webhooks/sms/twilio?account=ab%20c"
    );
    assert_eq!(
        webhook_url("https://example.com/latchkey/", path).unwrap(),
        "https://example.com/latchkey/webhooks/sms/twilio?account=ab%20c"
    );
    assert_eq!(
        webhook_url("http://127.0.0.1:8787", path).unwrap(),
        "http://127.0.0.1:8787/webhooks/sms/twilio?account=ab%20c"
    );
    for bad in [
        "sms.example.com",
        "ftp://x",
        "https://",
        "https://u:p@x.com",
        "https://x.com/?a=1",
        "https://x.com/#f",
        "https://x .com",
    ] {
        assert!(
            matches!(webhook_url(bad, path), Err(SignatureError::BadPublicUrl(_))),
            "{bad}"
        );
    }
}

/// Query parameters are signed as part of the URL, in the order Twilio sent them, never sorted in.
#[test]
fn signs_the_query_string_as_it_is() {
    let v = TwilioSignature::new("token");
    let params = p(&[("Body", "hi")]);
    let signed = v.sign("https://sms.example.com/webhooks/sms/twilio?b=2&a=1", &params);
    let reordered = "https://sms.example.com/webhooks/sms/twilio?a=1&b=2";
    assert_eq!(
        v.verify(reordered, &params, Some(&signed)),
        Err(SignatureError::Mismatch)
    );
    let as_params = p(&[("Body", "hi"), ("a", "1"), ("b", "2")]);
    assert_eq!(
        v.verify("https://sms.example.com/webhooks/sms/twilio", &as_params, Some(&signed)),
        Err(SignatureError::Mismatch)
    );
}

/// Behind a proxy the server sees another scheme, host and port; the configured public URL plus the
/// request's path and query gives back the URL Twilio signed.
#[test]
fn verifies_behind_a_proxy_with_the_public_url() {
    let v = TwilioSignature::new("token");
    let params = p(&[("Body", "Your code is 123456"), ("MessageSid", "SM1")]);
    let signature = v.sign("https://sms.example.com/latchkey/webhooks/sms/twilio?n=1", &params);
    let seen_by_server = "/webhooks/sms/twilio?n=1"; // proxied from /latchkey/ to http://127.0.0.1:8787/
    let url = webhook_url("https://sms.example.com/latchkey", seen_by_server).unwrap();
    assert_eq!(v.verify(&url, &params, Some(&signature)), Ok(()));
    let naive = format!("http://127.0.0.1:8787{seen_by_server}");
    assert_eq!(
        v.verify(&naive, &params, Some(&signature)),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn port_variants_follow_the_official_libraries() {
    let cases = [
        ("https://a.com/x?y=1", "https://a.com:443/x?y=1", "https://a.com/x?y=1"),
        ("http://a.com:8080/x", "http://a.com:8080/x", "http://a.com/x"),
        ("https://a.com", "https://a.com:443", "https://a.com"),
        ("https://a.com?q=1", "https://a.com:443?q=1", "https://a.com?q=1"),
        ("http://[::1]:8787/x", "http://[::1]:8787/x", "http://[::1]/x"),
        ("http://[::1]/x", "http://[::1]:80/x", "http://[::1]/x"),
    ];
    for (url, with, without) in cases {
        assert_eq!(port_variants(url), (with.to_string(), without.to_string()), "{url}");
    }
}

/// Many random requests signed by the official `twilio` Python package: our signatures are
/// byte-identical, we accept what it accepts (with and without the default port), and both refuse a
/// tampered parameter.
#[test]
fn agrees_with_the_official_twilio_library() {
    let mut rng = Rng::from_env_or_random();
    let hosts = ["sms.example.com", "example.com", "127.0.0.1", "xn--bcher-kva.example"];
    let paths = ["/webhooks/sms/twilio", "/latchkey/webhooks/sms/twilio", "/", "/a%20b/c"];
    let queries = ["", "?account=acc_1", "?b=2&a=1", "?x=%C3%A9&x=2", "?flag"];
    let names = [
        "Body",
        "From",
        "To",
        "MessageSid",
        "AccountSid",
        "NumMedia",
        "body",
        "_x",
        "Z",
        "é",
        "a b",
    ];
    let mut cases = Vec::new();
    for i in 0..400 {
        let scheme = if rng.below(4) == 0 { "http" } else { "https" };
        let default = if scheme == "https" { ":443" } else { ":80" };
        let host = rng.pick(&hosts);
        let (signed_port, check_port) = match rng.below(4) {
            0 => ("", ""),
            1 => (default, ""),
            2 => ("", default),
            _ => (":8443", ":8443"),
        };
        let tail = format!("{}{}", rng.pick(&paths), rng.pick(&queries));
        let mut params = Vec::new();
        for _ in 0..rng.below(12) {
            let name = if rng.below(3) == 0 {
                rng.text(6)
            } else {
                rng.pick(&names).to_string()
            };
            params.push((name, rng.text(40)));
        }
        if i % 50 == 0 {
            params.push(("Body".into(), String::new())); // an empty value still appends its name
        }
        cases.push(Case {
            token: format!("{:032x}", rng.next() as u128 * rng.next() as u128),
            signed_url: format!("{scheme}://{host}{signed_port}{tail}"),
            check_url: format!("{scheme}://{host}{check_port}{tail}"),
            params,
        });
    }
    let answers = sign_all(&cases);
    for (case, answer) in cases.iter().zip(&answers) {
        let ours = TwilioSignature::new(&case.token);
        let what = format!("url {:?}, params {:?}", case.signed_url, case.params);
        assert_eq!(ours.sign(&case.signed_url, &case.params), answer.signature, "{what}");
        assert!(answer.valid, "the official library refused its own signature: {what}");
        assert_eq!(
            ours.verify(&case.check_url, &case.params, Some(&answer.signature)),
            Ok(()),
            "{what}"
        );
        let mut tampered = case.params.clone();
        tampered.push(("Body".into(), "tampered".into()));
        assert_eq!(
            ours.verify(&case.check_url, &tampered, Some(&answer.signature)),
            Err(SignatureError::Mismatch)
        );
    }
}
