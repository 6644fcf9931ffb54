//! The Key URI format (`otpauth://TYPE/LABEL?PARAMETERS`) as published for Google Authenticator, read
//! leniently (any case in scheme, type and parameter names; unknown parameters ignored; the last of a
//! repeated parameter wins) and written canonically.

use super::{base32, spec::Kind, Algorithm, Otp, OtpError, DEFAULT_DIGITS, DEFAULT_PERIOD, MAX_DIGITS, MIN_DIGITS};

const SCHEMES: [&str; 3] = ["otpauth://", "apple-otpauth://", "steam://"];

/// The URI scheme `input` starts with, if it is one we read.
pub(super) fn scheme_of(input: &str) -> Option<&'static str> {
    let head = input.as_bytes();
    SCHEMES
        .into_iter()
        .find(|s| head.len() >= s.len() && head[..s.len()].eq_ignore_ascii_case(s.as_bytes()))
        .or_else(|| {
            // Anything else shaped like a URI is a mistake worth naming, not a base32 key.
            input.contains("://").then_some("")
        })
}

pub(super) fn parse(input: &str) -> Result<Otp, OtpError> {
    let scheme = scheme_of(input)
        .filter(|s| !s.is_empty())
        .ok_or(OtpError::NotAnOtpUri)?;
    let rest = &input[scheme.len()..];
    if scheme == "steam://" {
        let mut otp = Otp::totp(base32::decode(rest)?);
        otp.kind = Kind::Steam;
        otp.digits = 5;
        otp.issuer = Some("Steam".into());
        return Ok(otp);
    }

    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (otp_type, label) = path.split_once('/').unwrap_or((path, ""));

    let (mut secret, mut issuer, mut algorithm, mut digits, mut period, mut counter, mut encoder) =
        (None, None, None, None, None, None, None);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let value = percent_decode(value, true, "parameter")?;
        match key.to_ascii_lowercase().as_str() {
            "secret" => secret = Some(value),
            "issuer" => issuer = Some(value),
            "algorithm" => algorithm = Some(value),
            "digits" => digits = Some(value),
            "period" => period = Some(value),
            "counter" => counter = Some(value),
            "encoder" => encoder = Some(value),
            _ => {} // image=, color=, … belong to other apps
        }
    }

    let secret = secret.filter(|s| !s.trim().is_empty()).ok_or(OtpError::MissingSecret)?;
    let secret = base32::decode(&secret)?;
    let algorithm = match algorithm.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => Algorithm::parse(a)?,
        None => Algorithm::Sha1,
    };
    let digits = match digits.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => d
            .parse::<u32>()
            .ok()
            .filter(|n| (MIN_DIGITS..=MAX_DIGITS).contains(n))
            .ok_or_else(|| OtpError::InvalidDigits(d.into()))?,
        None => DEFAULT_DIGITS,
    };
    let steam = encoder
        .as_deref()
        .is_some_and(|e| e.trim().eq_ignore_ascii_case("steam"));
    let kind = match otp_type.to_ascii_lowercase().as_str() {
        _ if steam => Kind::Steam,
        "totp" => Kind::Totp {
            period: parse_period(period.as_deref())?,
        },
        "hotp" => Kind::Hotp {
            counter: match counter.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                Some(c) => c.parse().map_err(|_| OtpError::InvalidCounter(c.into()))?,
                None => 0,
            },
        },
        other => return Err(OtpError::UnknownType(other.into())),
    };

    let label = percent_decode(label, false, "label")?;
    let (label_issuer, account) = match label.split_once(':') {
        Some((i, a)) => (Some(i.trim().to_string()), a.trim().to_string()),
        None => (None, label.trim().to_string()),
    };
    let issuer = issuer
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty())
        .or(label_issuer.filter(|i| !i.is_empty()));

    Ok(Otp {
        kind,
        algorithm: if steam { Algorithm::Sha1 } else { algorithm },
        digits: if steam { 5 } else { digits },
        secret,
        issuer,
        account: (!account.is_empty()).then_some(account),
    })
}

fn parse_period(value: Option<&str>) -> Result<u64, OtpError> {
    match value.map(str::trim).filter(|p| !p.is_empty()) {
        Some(p) => p
            .parse::<u64>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| OtpError::InvalidPeriod(p.into())),
        None => Ok(DEFAULT_PERIOD),
    }
}

/// Canonical form: `otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=…&digits=…&period=…`.
pub(super) fn format(otp: &Otp) -> String {
    let issuer = otp.issuer.as_deref().unwrap_or("");
    let account = otp.account.as_deref().unwrap_or("");
    // A ':' in the issuer cannot sit in the label; the parameter carries it alone. A ':' in the
    // account after no issuer gets an empty prefix so it is not read as one.
    let label = if !issuer.is_empty() && !issuer.contains(':') {
        format!("{}:{}", percent_encode(issuer), percent_encode(account))
    } else if account.contains(':') {
        format!(":{}", percent_encode(account))
    } else {
        percent_encode(account)
    };
    let (kind, tail) = match otp.kind {
        Kind::Totp { period } => ("totp", format!("&period={period}")),
        Kind::Hotp { counter } => ("hotp", format!("&counter={counter}")),
        Kind::Steam => ("totp", format!("&period={DEFAULT_PERIOD}&encoder=steam")),
    };
    let mut uri = format!("otpauth://{kind}/{label}?secret={}", otp.secret.to_base32());
    if !issuer.is_empty() {
        uri.push_str("&issuer=");
        uri.push_str(&percent_encode(issuer));
    }
    uri.push_str(&format!("&algorithm={}&digits={}{tail}", otp.algorithm, otp.digits));
    uri
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes (and `+` as a space in parameters, as form encoding does).
pub(crate) fn percent_decode(s: &str, plus_is_space: bool, part: &'static str) -> Result<String, OtpError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                let byte = hex.and_then(|h| u8::from_str_radix(h, 16).ok()).ok_or_else(|| {
                    let end = (i + 3).min(s.len());
                    OtpError::BadPercentEncoding(part, String::from_utf8_lossy(&bytes[i..end]).into_owned())
                })?;
                out.push(byte);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| OtpError::NotUtf8(part))
}
