//! `--smtp-url smtp://HOST[:PORT]`: where the relay is. Parsed by hand: the form is tiny, and a
//! refusal can say exactly what to change.

use std::fmt;

use super::MailError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpRelay {
    /// A name, an IPv4 address, or an IPv6 address without brackets.
    pub host: String,
    pub port: u16,
}

impl SmtpRelay {
    pub fn parse(url: &str) -> Result<SmtpRelay, MailError> {
        let bad = || MailError::BadSmtpUrl(url.to_string());
        let Some((scheme, rest)) = url.trim().split_once("://") else {
            return Err(bad());
        };
        match scheme.to_ascii_lowercase().as_str() {
            "smtp" => {}
            "smtps" | "smtp+starttls" | "submission" | "submissions" => {
                return Err(MailError::TlsUnsupported(url.to_string()))
            }
            _ => return Err(bad()),
        }
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
            None => 25,
            Some(p) => p.parse().ok().filter(|p| *p != 0).ok_or_else(bad)?,
        };
        Ok(SmtpRelay {
            host: host.to_string(),
            port,
        })
    }
}

impl fmt::Display for SmtpRelay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "smtp://[{}]:{}", self.host, self.port)
        } else {
            write!(f, "smtp://{}:{}", self.host, self.port)
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
        assert!(matches!(
            SmtpRelay::parse("smtps://x:465"),
            Err(MailError::TlsUnsupported(_))
        ));
        assert!(matches!(
            SmtpRelay::parse("smtp://u:p@x:25"),
            Err(MailError::CredentialsInUrl)
        ));
    }
}
