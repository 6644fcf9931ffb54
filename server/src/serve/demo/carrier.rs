//! The demo's stand-in for a phone carrier and Twilio. To "text" a sign-in code, Northwind Cloud
//! posts the form Twilio would post for an inbound SMS, signed with the server's webhook token,
//! to this server's own webhook (`{public_url}/webhooks/sms/twilio`). When the number is a
//! Latchkey managed number, the code lands sealed in that account's shared inbox, exactly as a
//! real text would; any other number is dropped by the webhook.

use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use super::session::random_token;
use crate::serve::state::AppState;
use crate::serve::webhooks::TWILIO_PATH;

/// Northwind's short code, as the sender of its texts.
const SENDER: &str = "22395";
/// A fixed, obviously local account SID for the simulated Twilio account.
const ACCOUNT_SID: &str = "AC00000000000000000000000000000000";
const TIMEOUT: Duration = Duration::from_secs(5);

pub struct Carrier {
    app: AppState,
    client: Client<HttpConnector, Full<Bytes>>,
}

impl Carrier {
    pub fn new(app: AppState) -> Carrier {
        Carrier {
            app,
            client: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    /// Delivers `body` to `to` through the SMS webhook; the error says why it was not delivered.
    pub async fn text(&self, to: &str, body: &str) -> Result<(), String> {
        let url = format!("{}{TWILIO_PATH}", self.app.public_url);
        if !url.starts_with("http://") {
            return Err(format!("the demo carrier posts over plain HTTP only, and {url} is not"));
        }
        let sid = format!("SM{}", &random_token()[..32]);
        let params: Vec<(String, String)> = [
            ("ToCountry", "US"),
            ("SmsMessageSid", sid.as_str()),
            ("NumMedia", "0"),
            ("SmsSid", sid.as_str()),
            ("SmsStatus", "received"),
            ("Body", body),
            ("To", to),
            ("NumSegments", "1"),
            ("MessageSid", sid.as_str()),
            ("AccountSid", ACCOUNT_SID),
            ("From", SENDER),
            ("ApiVersion", "2010-04-01"),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        let signature = self.app.twilio.sign(&url, &params);
        let form = {
            let mut form = form_urlencoded::Serializer::new(String::new());
            for (n, v) in &params {
                form.append_pair(n, v);
            }
            form.finish()
        };
        let request = hyper::Request::post(&url)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-twilio-signature", signature)
            .body(Full::new(Bytes::from(form)))
            .map_err(|e| e.to_string())?;
        let response = tokio::time::timeout(TIMEOUT, self.client.request(request))
            .await
            .map_err(|_| format!("{url} did not answer within {}s", TIMEOUT.as_secs()))?
            .map_err(|e| format!("could not reach {url}: {e}"))?;
        let status = response.status();
        let _ = response.into_body().collect().await;
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("the SMS webhook answered {status}"))
        }
    }
}
