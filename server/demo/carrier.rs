//! The demo's stand-in for a phone carrier and Twilio. To "text" a sign-in code, Northwind Cloud
//! posts the form Twilio would post for an inbound SMS, signed with the webhook token it was given
//! (`LATCHKEY_TWILIO_AUTH_TOKEN`, the same the server checks with), to the server's webhook
//! (`{server}/webhooks/sms/twilio`), so the code lands sealed in the number's shared inbox exactly
//! as a real text would.
//!
//! Its signature is as good as Twilio's, and anyone may sign up to the demo and give any number:
//! so it texts only the demo workspace's own managed numbers, as the server's database says at the
//! moment of the text (a number obtained after the start counts, a released one no longer does),
//! and refuses every other number (another workspace's would otherwise receive texts of an
//! anonymous stranger's choosing).

use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use latchkey::db::{Db, DbError};
use latchkey::serve::webhooks::TWILIO_PATH;
use latchkey::sms::TwilioSignature;

use super::session::random_token;

/// Northwind's short code, as the sender of its texts.
const SENDER: &str = "22395";
const TIMEOUT: Duration = Duration::from_secs(5);

/// What the carrier needs, given explicitly at start.
pub struct CarrierConfig {
    /// The server's URL, as it checks webhook signatures (its `--public-url`, default `http://ADDR`).
    pub server_url: String,
    /// Signs the webhooks: the server's `LATCHKEY_TWILIO_AUTH_TOKEN`.
    pub signer: TwilioSignature,
    /// The `AccountSid` the server accepts.
    pub account_sid: String,
    /// The server's database, read for one thing: which numbers the demo workspace holds.
    pub db: Db,
    /// The demo workspace: only its accounts' numbers are texted.
    pub workspace_id: String,
}

pub struct Carrier {
    config: CarrierConfig,
    client: Client<HttpConnector, Full<Bytes>>,
}

/// Why a text was not delivered.
#[derive(Debug)]
pub enum NotSent {
    /// The number is not a managed number of the demo workspace.
    NotDemoNumber,
    /// The webhook could not be reached or refused it.
    Failed(String),
}

impl std::fmt::Display for NotSent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotSent::NotDemoNumber => f.write_str("the demo texts only the demo workspace's managed numbers"),
            NotSent::Failed(reason) => f.write_str(reason),
        }
    }
}

impl Carrier {
    pub fn new(config: CarrierConfig) -> Carrier {
        Carrier {
            config,
            client: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    /// Whether `to` is held by an account of the demo workspace.
    async fn is_demo_number(&self, to: &str) -> Result<bool, NotSent> {
        match self.config.db.phone_number(to).await {
            Ok(number) => Ok(number.workspace_id == self.config.workspace_id && number.account_id.is_some()),
            Err(DbError::NotFound(_)) => Ok(false),
            Err(e) => Err(NotSent::Failed(e.to_string())),
        }
    }

    /// Delivers `body` to `to` through the SMS webhook, if `to` is one of the demo's numbers.
    pub async fn text(&self, to: &str, body: &str) -> Result<(), NotSent> {
        if !self.is_demo_number(to).await? {
            return Err(NotSent::NotDemoNumber);
        }
        self.post(to, body).await.map_err(NotSent::Failed)
    }

    async fn post(&self, to: &str, body: &str) -> Result<(), String> {
        let url = format!("{}{TWILIO_PATH}", self.config.server_url);
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
            ("AccountSid", self.config.account_sid.as_str()),
            ("From", SENDER),
            ("ApiVersion", "2010-04-01"),
        ]
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect();
        let signature = self.config.signer.sign(&url, &params);
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
