//! `--smtp-url`: where outgoing mail goes, and how. Parsed by hand: the form is tiny, and a
//! refusal can say exactly what to change.
//!
//! - `smtp://HOST[:PORT]` (port 25): plain SMTP to a relay on this host or a private network;
//! - `smtp+starttls://HOST[:PORT]` (port 587, "submission"): STARTTLS required, never plain;
//! - `smtps://HOST[:PORT]` (port 465, "submissions"): TLS from the first byte.
//!
//! Never credentials: they come from the environment or a file (cli/serve.rs), not a URL that
//! shows in `ps` and shell histories.

use std::fmt;

use super::MailError;

/// How the connection to the relay is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    Plain,
    /// STARTTLS, required (a server that does not offer it is an error, not a fallback).
    StartTls,
    /// TLS from the first byte.
    Implicit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpRelay {
    /// A name, an IPv4 address, or an IPv6 address without brackets.
    pub host: String,
    pub port: u16,
    pub security: Security,
}

impl SmtpRelay {
    pub fn parse(url: &str) -> Result<SmtpRelay, MailError> {
        let bad = || MailError::BadSmtpUrl(url.to_string());
        let Some((scheme, rest)) = url.trim().split_once("://") else {
            return Err(bad());
        };
        let (security, default_port) = match scheme.to_ascii_lowercase().as_str() {
            "smtp" => (Security::Plain, 25),
            "smtp+starttls" => (Security::StartTls, 587),
            "smtps" => (Security::Implicit, 465),
            _ => return Err(bad()),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.contains('@') {
            return Err(MailError::CredentialsInUrl);
        }
        if authority.contains(['/', '?', '#']) || authority.contains(char::is_whitespace) {
            return Err(bad());
        }
        let (host, port) = match authority.strip_prefix('[') {
            Some(v6) => {
                let (host, after) = v6.split_once(']').ok_or_else(bad)?;
                host.parse::<std::net::Ipv6Addr>().map_err(|_| bad())?;
                (host, after.strip_prefix(':'))
            }
            None => match authority.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            },
        };
        let host_ok = !host.is_empty()
            && (host.contains(':')
                || host
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-'));
        if !host_ok {
            return Err(bad());
        }
        let port = match port {
            None => default_port,
            Some(p) => p.parse().ok().filter(|p| *p != 0).ok_or_else(bad)?,
        };
        Ok(SmtpRelay {
            host: host.to_string(),
            port,
            security,
        })
    }
}

impl fmt::Display for SmtpRelay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.security {
            Security::Plain => "smtp",
            Security::StartTls => "smtp+starttls",
            Security::Implicit => "smtps",
        };
        if self.host.contains(':') {
            write!(f, "{scheme}://[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{scheme}://{}:{}", self.host, self.port)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_relay_urls() {
        let relay = |h: &str, p| SmtpRelay {
            host: h.into(),
            port: p,
            security: Security::Plain,
        };
        assert_eq!(
            SmtpRelay::parse("smtp://127.0.0.1:2525").unwrap(),
            relay("127.0.0.1", 2525)
        );
        assert_eq!(
            SmtpRelay::parse("smtp://mail.internal/").unwrap(),
            relay("mail.internal", 25)
        );
        assert_eq!(SmtpRelay::parse("SMTP://[::1]:25").unwrap(), relay("::1", 25));
        assert_eq!(
            SmtpRelay::parse("smtp://[::1]:25").unwrap().to_string(),
            "smtp://[::1]:25"
        );
        for bad in [
            "",
            "127.0.0.1:25",
            "http://x",
            "smtp://",
            "smtp://:25",
            "smtp://x:0",
            "smtp://x:99999",
            "smtp://x/y",
            "smtp://[::1",
            "smtp://a b",
        ] {
            assert!(matches!(SmtpRelay::parse(bad), Err(MailError::BadSmtpUrl(_))), "{bad}");
        }
        let tls = SmtpRelay::parse("smtps://mail.example.com").unwrap();
        assert_eq!((tls.port, tls.security), (465, Security::Implicit));
        assert_eq!(tls.to_string(), "smtps://mail.example.com:465");
        let starttls = SmtpRelay::parse("smtp+starttls://mail.example.com:2587").unwrap();
        assert_eq!((starttls.port, starttls.security), (2587, Security::StartTls));
        assert_eq!(SmtpRelay::parse("smtp+starttls://x").unwrap().port, 587);
        assert!(matches!(
            SmtpRelay::parse("submission://x"),
            Err(MailError::BadSmtpUrl(_))
        ));
        for with_password in ["smtp://u:p@x:25", "smtps://u:p@x"] {
            assert!(matches!(
                SmtpRelay::parse(with_password),
                Err(MailError::CredentialsInUrl)
            ));
        }
    }
}
