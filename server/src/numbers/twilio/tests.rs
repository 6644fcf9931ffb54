use super::*;
use crate::test_support::twilio_api::{Numbers, StandIn, ACCOUNT_SID, AUTH_TOKEN};

const SMS_URL: &str = "https://latchkey.example.com/webhooks/sms/twilio";

fn numbers(kinds: &[(&str, &[&str])]) -> Numbers {
    Numbers {
        available: kinds
            .iter()
            .map(|(k, list)| (k.to_string(), list.iter().map(|n| n.to_string()).collect()))
            .collect(),
        ..Numbers::default()
    }
}

fn provider(stand_in: &StandIn, token: &str) -> Twilio {
    Twilio::new(TwilioConfig {
        base_url: format!("{}/", stand_in.base_url),
        account_sid: ACCOUNT_SID.into(),
        auth_token: token.into(),
        sms_url: SMS_URL.into(),
    })
    .unwrap()
}

fn request(voip_ok: bool) -> NumberRequest {
    NumberRequest {
        account_id: "acc_1".into(),
        voip_ok,
    }
}

#[tokio::test]
async fn buys_a_local_number_when_voip_will_do_and_releases_it() {
    let stand_in = StandIn::start(numbers(&[("Local", &["+14155550100", "+14155550101"])])).await;
    let twilio: Box<dyn NumberProvider> = Box::new(provider(&stand_in, AUTH_TOKEN));
    let bought = twilio.obtain(&request(true)).await.unwrap();
    assert_eq!(bought.number.as_str(), "+14155550100");
    assert!(bought.provider_id.starts_with("PN"));
    {
        let state = stand_in.state.lock().unwrap();
        assert_eq!(
            state.owned,
            vec![(
                bought.provider_id.clone(),
                "+14155550100".to_string(),
                SMS_URL.to_string()
            )]
        );
        assert_eq!(
            state.log,
            vec![
                "GET US/Local.json?SmsEnabled=true&PageSize=20",
                "POST IncomingPhoneNumbers.json"
            ]
        );
    }
    twilio.release(&bought).await.unwrap();
    assert!(stand_in.state.lock().unwrap().owned.is_empty());
    // Releasing twice: Twilio's 404 comes back as a clear error.
    let err = twilio.release(&bought).await.unwrap_err();
    assert!(
        matches!(
            err,
            NumberError::Twilio {
                status: 404,
                code: 20404,
                ..
            }
        ),
        "{err}"
    );
}

#[tokio::test]
async fn avoids_voip_when_the_app_refuses_it() {
    let stand_in = StandIn::start(numbers(&[
        ("Local", &["+14155550100"]),
        ("TollFree", &["+18885550100"]),
    ]))
    .await;
    let bought = provider(&stand_in, AUTH_TOKEN).obtain(&request(false)).await.unwrap();
    assert_eq!(bought.number.as_str(), "+18885550100");
    let log = stand_in.state.lock().unwrap().log.clone();
    assert_eq!(
        log,
        vec![
            "GET US/Mobile.json?SmsEnabled=true&PageSize=20",
            "GET US/TollFree.json?SmsEnabled=true&PageSize=20",
            "POST IncomingPhoneNumbers.json"
        ]
    );
}

#[tokio::test]
async fn tries_the_next_number_when_one_was_bought_meanwhile() {
    let mut n = numbers(&[("Local", &["+14155550100", "+14155550101"])]);
    n.gone.push("+14155550100".into());
    let stand_in = StandIn::start(n).await;
    let bought = provider(&stand_in, AUTH_TOKEN).obtain(&request(true)).await.unwrap();
    assert_eq!(bought.number.as_str(), "+14155550101");
}

#[tokio::test]
async fn says_when_no_numbers_are_available() {
    let stand_in = StandIn::start(numbers(&[("Local", &["+14155550100"])])).await;
    let err = provider(&stand_in, AUTH_TOKEN)
        .obtain(&request(false))
        .await
        .unwrap_err();
    assert_eq!(
        err,
        NumberError::NoneAvailable {
            kinds: "mobile or toll-free, not VoIP"
        }
    );
    assert!(err.to_string().contains("no US numbers"), "{err}");
    assert!(stand_in.state.lock().unwrap().owned.is_empty());
}

#[tokio::test]
async fn maps_a_401_to_a_credentials_error() {
    let stand_in = StandIn::start(numbers(&[("Local", &["+14155550100"])])).await;
    let err = provider(&stand_in, "wrong-token")
        .obtain(&request(true))
        .await
        .unwrap_err();
    assert_eq!(err, NumberError::TwilioAuth { code: 20003 });
    assert!(err.to_string().contains("check the Twilio credentials"), "{err}");
    assert!(
        !err.to_string().contains("wrong-token"),
        "the token never shows in errors"
    );
}

#[tokio::test]
async fn reports_an_unreachable_api_and_refuses_bad_base_urls() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let twilio = Twilio::new(TwilioConfig {
        base_url: format!("http://127.0.0.1:{port}"),
        account_sid: ACCOUNT_SID.into(),
        auth_token: AUTH_TOKEN.into(),
        sms_url: SMS_URL.into(),
    })
    .unwrap();
    let err = twilio.obtain(&request(true)).await.unwrap_err();
    assert!(matches!(err, NumberError::Unreachable { .. }), "{err}");
    let config = |base: &str| TwilioConfig {
        base_url: base.into(),
        account_sid: ACCOUNT_SID.into(),
        auth_token: AUTH_TOKEN.into(),
        sms_url: SMS_URL.into(),
    };
    // https:// needs the `twilio-tls` feature; without it the refusal says how to get it.
    let https = Twilio::new(config(TWILIO_API));
    if super::super::http::TLS {
        assert!(https.is_ok());
    } else {
        assert!(matches!(https, Err(NumberError::TlsNotBuilt(_))));
    }
    assert!(matches!(
        Twilio::new(config("https://")),
        Err(NumberError::BadBaseUrl(_))
    ));
    assert!(matches!(
        Twilio::new(config("api.twilio.com")),
        Err(NumberError::BadBaseUrl(_))
    ));
}

#[test]
fn maps_twilio_error_json() {
    let body = br#"{"code": 21452, "message": "No numbers found\nin area", "more_info": "https://www.twilio.com/docs/errors/21452", "status": 400}"#;
    assert_eq!(
        twilio_error(400, body),
        NumberError::Twilio {
            status: 400,
            code: 21452,
            message: "No numbers foundin area".into(),
            more_info: "https://www.twilio.com/docs/errors/21452".into(),
        }
    );
    assert!(matches!(
        twilio_error(502, b"<html>Bad gateway</html>"),
        NumberError::BadResponse { status: 502, .. }
    ));
}
