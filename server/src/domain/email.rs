//! E-mail addresses: the one rule for what the server accepts as an address and how two compare.
//! Registration, invitations and the storage all go through [`Email`].

use thiserror::Error;

/// The longest address accepted, in bytes (RFC 5321's limit on a forward path, less the brackets).
pub const MAX_EMAIL_LEN: usize = 254;

/// An e-mail address as the server keeps it: trimmed, lower-cased, at most [`MAX_EMAIL_LEN`]
/// bytes, and an address SMTP can deliver to (`local@domain`, as `lettre` parses it), so an
/// invitation or a code can always be sent to it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

/// Why a text is not an e-mail address. The text is repeated: it is what the person typed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0:?} is not an e-mail address")]
pub struct EmailError(pub String);

impl Email {
    pub fn parse(text: &str) -> Result<Email, EmailError> {
        let normal = Email::normalize(text);
        if normal.len() > MAX_EMAIL_LEN || normal.parse::<lettre::Address>().is_err() {
            return Err(EmailError(normal));
        }
        Ok(Email(normal))
    }

    /// The form addresses are compared and looked up in: trimmed and lower-cased. (A lookup with
    /// something that is no address simply finds nothing.)
    pub fn normalize(text: &str) -> String {
        text.trim().to_lowercase()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        assert_eq!(Email::parse("  Ana@Example.COM\n").unwrap().as_str(), "ana@example.com");
        assert_eq!(Email::parse("a@b.test").unwrap().to_string(), "a@b.test");
        assert_eq!(Email::normalize(" X@Y "), "x@y");
    }

    #[test]
    fn what_is_not_an_address_is_refused() {
        let long = format!("{}@example.com", "a".repeat(250));
        for bad in [
            "",
            "ana",
            "ana.example.com",
            "@example.com",
            "ana@",
            "ana@@example.com",
            "ana smith@example.com",
            "ana@exa mple.com",
            "<ana@example.com>",
            "Ana <ana@example.com>",
            long.as_str(),
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} was taken for an address");
        }
        assert_eq!(
            Email::parse(" Nope ").unwrap_err().to_string(),
            "\"nope\" is not an e-mail address"
        );
    }
}
