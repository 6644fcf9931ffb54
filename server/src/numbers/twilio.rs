//! Twilio as a number provider, through its REST API (<https://www.twilio.com/docs/phone-numbers/api>):
//! - search: `GET /2010-04-01/Accounts/{AccountSid}/AvailablePhoneNumbers/US/{Local|Mobile|TollFree}.json?SmsEnabled=true`
//! - buy: `POST /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json` with `PhoneNumber`, `SmsUrl`, …
//! - release: `DELETE /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json`
//!
//! Requests use HTTP Basic auth with the account SID and auth token. Errors come back as
//! `{code, message, more_info, status}` and are mapped to [`NumberError`].
//!
//! Which kinds are searched follows the app catalog: US "Local" numbers are landline/VoIP numbers
//! that apps refusing VoIP turn away, so such apps get Mobile numbers, then TollFree.

use base64::Engine;
use hyper::Method;
use serde::Deserialize;

use super::http::HttpClient;
use super::{BoxFuture, ManagedNumber, NumberError, NumberProvider, NumberRequest};
use crate::domain::E164;

pub const TWILIO_API: &str = "https://api.twilio.com";
/// Twilio's error for buying a number someone else bought since the search: try the next one.
const NUMBER_TAKEN: u32 = 21422;
/// How many search results to try buying before giving up on a kind.
const CANDIDATES: usize = 3;

pub struct TwilioConfig {
    /// `https://api.twilio.com`, or a stand-in's URL in tests.
    pub base_url: String,
    pub account_sid: String,
    pub auth_token: String,
    /// The webhook Twilio posts incoming texts to: the server's public URL + `/webhooks/sms/twilio`.
    pub sms_url: String,
}

pub struct Twilio {
    config: TwilioConfig,
    authorization: String,
    http: HttpClient,
}

impl std::fmt::Debug for Twilio {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Twilio")
            .field("base_url", &self.config.base_url)
            .field("account_sid", &self.config.account_sid)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct AvailableNumbers {
    available_phone_numbers: Vec<AvailableNumber>,
}

#[derive(Deserialize)]
struct AvailableNumber {
    phone_number: String,
}

#[derive(Deserialize)]
struct IncomingNumber {
    sid: String,
    phone_number: String,
}

#[derive(Deserialize)]
struct TwilioErrorBody {
    code: Option<u32>,
    message: Option<String>,
    more_info: Option<String>,
}

impl Twilio {
    pub fn new(config: TwilioConfig) -> Result<Twilio, NumberError> {
        let base = config.base_url.trim_end_matches('/');
        let rest = base.strip_prefix("https://").or_else(|| base.strip_prefix("http://"));
        if rest.is_none_or(str::is_empty) {
            return Err(NumberError::BadBaseUrl(config.base_url.clone()));
        }
        if base.starts_with("https://") && !super::http::TLS {
            return Err(NumberError::TlsNotBuilt(base.to_string()));
        }
        let credentials = format!("{}:{}", config.account_sid, config.auth_token);
        let authorization = format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(credentials)
        );
        Ok(Twilio {
            config: TwilioConfig {
                base_url: base.to_string(),
                ..config
            },
            authorization,
            http: HttpClient::new(),
        })
    }

    fn account_url(&self, rest: &str) -> String {
        let sid: String = form_urlencoded::byte_serialize(self.config.account_sid.as_bytes()).collect();
        format!("{}/2010-04-01/Accounts/{sid}/{rest}", self.config.base_url)
    }

    /// Sends a request and returns the body of a 2xx answer, or the mapped Twilio error.
    async fn call(&self, method: Method, url: &str, form: Option<String>) -> Result<(u16, Vec<u8>), NumberError> {
        let response = self
            .http
            .send(method, url, &self.authorization, form)
            .await
            .map_err(|reason| NumberError::Unreachable {
                base_url: self.config.base_url.clone(),
                reason,
            })?;
        if (200..300).contains(&response.status) {
            return Ok((response.status, response.body.to_vec()));
        }
        Err(twilio_error(response.status, &response.body))
    }

    async fn search(&self, kind: &str) -> Result<Vec<E164>, NumberError> {
        let url = self.account_url(&format!(
            "AvailablePhoneNumbers/US/{kind}.json?SmsEnabled=true&PageSize=20"
        ));
        let (status, body) = self.call(Method::GET, &url, None).await?;
        let list: AvailableNumbers = parse(status, &body)?;
        // Keep only what we can use; an odd entry is skipped rather than failing the search.
        Ok(list
            .available_phone_numbers
            .into_iter()
            .filter_map(|n| E164::parse(&n.phone_number).filter(E164::is_us))
            .collect())
    }

    async fn buy(&self, number: &E164, request: &NumberRequest) -> Result<ManagedNumber, NumberError> {
        let form = form_urlencoded::Serializer::new(String::new())
            .append_pair("PhoneNumber", number.as_str())
            .append_pair("SmsUrl", &self.config.sms_url)
            .append_pair("SmsMethod", "POST")
            .append_pair("FriendlyName", &format!("Latchkey {}", request.account_id))
            .finish();
        let (status, body) = self
            .call(Method::POST, &self.account_url("IncomingPhoneNumbers.json"), Some(form))
            .await?;
        let bought: IncomingNumber = parse(status, &body)?;
        let bad = |reason: &str| NumberError::BadResponse {
            status,
            reason: reason.to_string(),
        };
        let number = E164::parse(&bought.phone_number).ok_or_else(|| bad("phone_number is not E.164"))?;
        if !(bought.sid.starts_with("PN")
            && bought.sid.len() == 34
            && bought.sid.bytes().all(|b| b.is_ascii_alphanumeric()))
        {
            return Err(bad("sid is not a PN… SID"));
        }
        Ok(ManagedNumber {
            number,
            provider_id: bought.sid,
            voip: false,
        })
    }

    async fn obtain_number(&self, request: &NumberRequest) -> Result<ManagedNumber, NumberError> {
        let (kinds, label): (&[&str], _) = if request.voip_ok {
            (&["Local"][..], "local")
        } else {
            (&["Mobile", "TollFree"][..], "mobile or toll-free, not VoIP")
        };
        for kind in kinds {
            for candidate in self.search(kind).await?.iter().take(CANDIDATES) {
                match self.buy(candidate, request).await {
                    Err(NumberError::Twilio { code: NUMBER_TAKEN, .. }) => continue,
                    Ok(bought) => {
                        return Ok(ManagedNumber {
                            voip: *kind == "Local",
                            ..bought
                        })
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        Err(NumberError::NoneAvailable { kinds: label })
    }

    async fn release_number(&self, number: &ManagedNumber) -> Result<(), NumberError> {
        let sid: String = form_urlencoded::byte_serialize(number.provider_id.as_bytes()).collect();
        let url = self.account_url(&format!("IncomingPhoneNumbers/{sid}.json"));
        self.call(Method::DELETE, &url, None).await.map(drop)
    }
}

impl NumberProvider for Twilio {
    fn obtain<'a>(&'a self, request: &'a NumberRequest) -> BoxFuture<'a, Result<ManagedNumber, NumberError>> {
        Box::pin(self.obtain_number(request))
    }

    fn release<'a>(&'a self, number: &'a ManagedNumber) -> BoxFuture<'a, Result<(), NumberError>> {
        Box::pin(self.release_number(number))
    }
}

fn parse<'de, T: Deserialize<'de>>(status: u16, body: &'de [u8]) -> Result<T, NumberError> {
    serde_json::from_slice(body).map_err(|e| NumberError::BadResponse {
        status,
        reason: e.to_string(),
    })
}

/// Maps Twilio's error JSON; 401 (wrong SID or token, code 20003) gets its own advice.
fn twilio_error(status: u16, body: &[u8]) -> NumberError {
    let Ok(error) = serde_json::from_slice::<TwilioErrorBody>(body) else {
        return NumberError::BadResponse {
            status,
            reason: "not Twilio's error JSON".into(),
        };
    };
    let code = error.code.unwrap_or(0);
    if status == 401 {
        return NumberError::TwilioAuth { code };
    }
    // Twilio's message is shown to the operator: keep it one short line.
    let clean = |s: Option<String>, max: usize| -> String {
        s.unwrap_or_default()
            .chars()
            .filter(|c| !c.is_control())
            .take(max)
            .collect()
    };
    NumberError::Twilio {
        status,
        code,
        message: clean(error.message, 300),
        more_info: clean(error.more_info, 200),
    }
}

#[cfg(test)]
mod tests;
