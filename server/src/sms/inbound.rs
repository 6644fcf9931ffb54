//! Twilio's inbound-SMS webhook form (<https://www.twilio.com/docs/messaging/guides/webhook-request>),
//! read field by field as hostile input: every field we keep has a length limit and a shape check,
//! repeated fields are refused, and the many optional fields Twilio adds (FromCity, ApiVersion, …)
//! are ignored. Check the signature over the raw parameters *before* parsing (see
//! [`super::twilio_signature`]); this only decides whether a signed message is one we can store.

use thiserror::Error;

use crate::domain::E164;

/// The whole form, before parsing; the route should refuse larger bodies before reading them.
pub const MAX_FORM_BYTES: usize = 64 * 1024;
/// Twilio sends about 20 fields, plus two per media item (at most 10).
const MAX_FIELDS: usize = 100;
/// Twilio accepts bodies up to 1600 characters (ten segments); a character is at most 4 UTF-8 bytes.
pub const MAX_BODY_CHARS: usize = 1600;
/// MMS carry at most 10 media items.
const MAX_MEDIA: u8 = 10;

#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum InboundError {
    #[error("the webhook form is larger than {MAX_FORM_BYTES} bytes: it is not an SMS from Twilio")]
    TooLarge,
    #[error("the webhook form has more than {MAX_FIELDS} fields: it is not an SMS from Twilio")]
    TooManyFields,
    #[error("the webhook form gives {0} more than once")]
    Repeated(&'static str),
    #[error("the webhook form has no {0} field: is the number's webhook set to \"A message comes in\"?")]
    MissingField(&'static str),
    #[error("the webhook form's {0} field is malformed")]
    BadField(&'static str),
    #[error("the message body is longer than {MAX_BODY_CHARS} characters")]
    BodyTooLong,
}

/// Who sent the text: a phone number, or a short code (how many services send verification codes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sender {
    Phone(E164),
    /// 3 to 8 digits, as carriers assign them.
    ShortCode(String),
}

/// One inbound text, as Twilio posted it. `body` is the secret part: seal it at once, never log it.
#[derive(Clone, PartialEq, Eq)]
pub struct InboundSms {
    /// `SM…`/`MM…` and 32 hex digits: Twilio's id for the message, used to store it once.
    pub message_sid: String,
    /// `AC…` and 32 hex digits: must be the server's own Twilio account.
    pub account_sid: String,
    pub from: Sender,
    /// The managed number that received it.
    pub to: E164,
    pub body: String,
    pub num_media: u8,
}

impl std::fmt::Debug for InboundSms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InboundSms")
            .field("message_sid", &self.message_sid)
            .field("account_sid", &self.account_sid)
            .field("from", &self.from)
            .field("to", &self.to)
            .field("body", &format_args!("<{} characters>", self.body.chars().count()))
            .field("num_media", &self.num_media)
            .finish()
    }
}

impl InboundSms {
    /// Parses the raw `application/x-www-form-urlencoded` body.
    pub fn from_form(body: &[u8]) -> Result<InboundSms, InboundError> {
        if body.len() > MAX_FORM_BYTES {
            return Err(InboundError::TooLarge);
        }
        let params: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
        InboundSms::from_params(&params)
    }

    /// Parses already-decoded parameters (the same ones the signature was checked over).
    pub fn from_params(params: &[(String, String)]) -> Result<InboundSms, InboundError> {
        if params.len() > MAX_FIELDS {
            return Err(InboundError::TooManyFields);
        }
        let field = |name: &'static str| -> Result<Option<&str>, InboundError> {
            let mut values = params.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str());
            let first = values.next();
            match values.next() {
                Some(_) => Err(InboundError::Repeated(name)),
                None => Ok(first),
            }
        };
        let required = |name: &'static str| field(name)?.ok_or(InboundError::MissingField(name));

        let message_sid = required("MessageSid")?;
        if !(is_sid(message_sid, "SM") || is_sid(message_sid, "MM")) {
            return Err(InboundError::BadField("MessageSid"));
        }
        let account_sid = required("AccountSid")?;
        if !is_sid(account_sid, "AC") {
            return Err(InboundError::BadField("AccountSid"));
        }
        let from = parse_sender(required("From")?).ok_or(InboundError::BadField("From"))?;
        let to = E164::parse(required("To")?).ok_or(InboundError::BadField("To"))?;
        // Twilio always sends Body, empty for a picture-only MMS.
        let body = required("Body")?;
        if body.len() > MAX_BODY_CHARS * 4 || body.chars().count() > MAX_BODY_CHARS {
            return Err(InboundError::BodyTooLong);
        }
        if body.contains('\0') {
            return Err(InboundError::BadField("Body"));
        }
        let num_media = match field("NumMedia")? {
            None => 0,
            // Canonical digits only: `+1` and `01` parse as numbers but are not what Twilio sends.
            Some(n) => n
                .parse::<u8>()
                .ok()
                .filter(|v| *v <= MAX_MEDIA && v.to_string() == n)
                .ok_or(InboundError::BadField("NumMedia"))?,
        };
        Ok(InboundSms {
            message_sid: message_sid.to_string(),
            account_sid: account_sid.to_string(),
            from,
            to,
            body: body.to_string(),
            num_media,
        })
    }
}

/// A Twilio SID: a two-letter prefix and 32 lower-case hex digits.
fn is_sid(value: &str, prefix: &str) -> bool {
    value.len() == 34
        && value.starts_with(prefix)
        && value[2..]
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn parse_sender(value: &str) -> Option<Sender> {
    if let Some(number) = E164::parse(value) {
        return Some(Sender::Phone(number));
    }
    let short = (3..=8).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit());
    short.then(|| Sender::ShortCode(value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MSG: &str = "SM0123456789abcdef0123456789abcdef";
    const ACC: &str = "AC0123456789abcdef0123456789abcdef";

    fn form(extra: &[(&str, &str)]) -> Vec<u8> {
        let mut f = form_urlencoded::Serializer::new(String::new());
        f.append_pair("ToCountry", "US").append_pair("SmsStatus", "received");
        for (n, v) in extra {
            f.append_pair(n, v);
        }
        f.finish().into_bytes()
    }

    fn standard() -> Vec<(&'static str, &'static str)> {
        vec![
            ("MessageSid", MSG),
            ("AccountSid", ACC),
            ("From", "+14155550100"),
            ("To", "+18005550199"),
            ("Body", "Your Northwind code is 123456. Don't share it."),
            ("NumMedia", "0"),
        ]
    }

    fn with(name: &'static str, value: &'static str) -> Vec<u8> {
        let mut fields: Vec<_> = standard().into_iter().filter(|(n, _)| *n != name).collect();
        fields.push((name, value));
        form(&fields)
    }

    fn without(name: &str) -> Vec<u8> {
        form(&standard().into_iter().filter(|(n, _)| *n != name).collect::<Vec<_>>())
    }

    #[test]
    fn parses_twilios_form() {
        let sms = InboundSms::from_form(&form(&standard())).unwrap();
        assert_eq!(sms.message_sid, MSG);
        assert_eq!(sms.account_sid, ACC);
        assert_eq!(sms.from, Sender::Phone(E164::parse("+14155550100").unwrap()));
        assert_eq!(sms.to.as_str(), "+18005550199");
        assert_eq!(sms.body, "Your Northwind code is 123456. Don't share it.");
        assert_eq!(sms.num_media, 0);
        // The body never shows in debug output (logs).
        assert!(!format!("{sms:?}").contains("Northwind"));
        let short = InboundSms::from_form(&with("From", "22395")).unwrap();
        assert_eq!(short.from, Sender::ShortCode("22395".into()));
        assert_eq!(InboundSms::from_form(&without("NumMedia")).unwrap().num_media, 0);
    }

    #[test]
    fn refuses_hostile_fields() {
        let long_body = "x".repeat(MAX_BODY_CHARS + 1);
        let long: &'static str = Box::leak(long_body.into_boxed_str());
        let cases: Vec<(Vec<u8>, InboundError)> = vec![
            (without("MessageSid"), InboundError::MissingField("MessageSid")),
            (without("Body"), InboundError::MissingField("Body")),
            (with("MessageSid", "SMxyz"), InboundError::BadField("MessageSid")),
            (
                with("MessageSid", "XX0123456789abcdef0123456789abcdef"),
                InboundError::BadField("MessageSid"),
            ),
            (
                with("AccountSid", "AC0123456789ABCDEF0123456789ABCDEF"),
                InboundError::BadField("AccountSid"),
            ),
            (with("From", "Alice"), InboundError::BadField("From")),
            (with("From", "+1 415 555 0100"), InboundError::BadField("From")),
            (with("To", "4155550100"), InboundError::BadField("To")),
            (with("To", "+14155550100\n"), InboundError::BadField("To")),
            (with("NumMedia", "11"), InboundError::BadField("NumMedia")),
            (with("NumMedia", "-1"), InboundError::BadField("NumMedia")),
            (with("NumMedia", "+1"), InboundError::BadField("NumMedia")),
            (with("NumMedia", "01"), InboundError::BadField("NumMedia")),
            (with("Body", "a\0b"), InboundError::BadField("Body")),
            (with("Body", long), InboundError::BodyTooLong),
            (
                form(&[standard(), vec![("To", "+18005550100")]].concat()),
                InboundError::Repeated("To"),
            ),
            (vec![b'a'; MAX_FORM_BYTES + 1], InboundError::TooLarge),
            (b"a=1&".repeat(MAX_FIELDS + 1), InboundError::TooManyFields),
        ];
        for (body, want) in cases {
            assert_eq!(InboundSms::from_form(&body), Err(want.clone()), "{want}");
        }
        // 1600 characters of 4 bytes each is still a valid body.
        let emoji: &'static str = Box::leak("😀".repeat(MAX_BODY_CHARS).into_boxed_str());
        assert!(InboundSms::from_form(&with("Body", emoji)).is_ok());
    }
}
