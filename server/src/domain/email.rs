//! E-mail addresses: the one rule for what the server accepts as an address and how two compare.
//! Registration, invitations and the storage all go through [`Email`].

use thiserror::Error;

/// The longest address accepted, in bytes (RFC 5321's limit on a forward path, less the brackets).
pub const MAX_EMAIL_LEN: usize = 254;

/// An e-mail address as the server keeps it: trimmed, lower-cased, at most [`MAX_EMAIL_LEN`]
/// bytes, and an address SMTP can deliver to (`local@domain`, as `lettre` parses it), so an
/// invitation or a code can always be sent to it. One form per address, and a form that looks like
/// no colleague's: the part before the `@` is ASCII, and the domain is in its ASCII form (IDNA,
/// UTS 46: `müller.de` is kept as `xn--mller-kva.de`, and `acme。example` is `acme.example`), so a
/// Cyrillic "а" or a dotless "ı" cannot make a second "alice@acme.example" in a list of people.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

/// Why a text is not an address the server takes. The text is repeated: it is what the person typed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EmailError {
    #[error("{0:?} is not an e-mail address")]
    Invalid(String),
    #[error(
        "{0:?}: the part before the @ must be plain ASCII letters, digits and signs (an address written with \
         look-alike letters could pass for a colleague's)"
    )]
    NotAscii(String),
}

impl Email {
    pub fn parse(text: &str) -> Result<Email, EmailError> {
        let normal = Email::normalize(text);
        let Some((local, _)) = normal.rsplit_once('@') else {
            return Err(EmailError::Invalid(normal));
        };
        if !local.is_ascii() {
            return Err(EmailError::NotAscii(normal));
        }
        if !normal.is_ascii() || normal.len() > MAX_EMAIL_LEN || normal.parse::<lettre::Address>().is_err() {
            return Err(EmailError::Invalid(normal));
        }
        Ok(Email(normal))
    }

    /// The form addresses are compared and looked up in: trimmed, lower-cased, the domain in its
    /// ASCII form. (A lookup with something that is no address simply finds nothing.)
    pub fn normalize(text: &str) -> String {
        let lower = text.trim().to_lowercase();
        match lower.rsplit_once('@') {
            Some((local, domain)) if !domain.is_ascii() => match idna::domain_to_ascii(domain) {
                Ok(ascii) => format!("{local}@{ascii}"),
                Err(_) => lower,
            },
            _ => lower,
        }
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

    #[test]
    fn look_alike_letters_cannot_make_a_second_address() {
        // A Cyrillic "а" or "о" before the @: refused, saying why.
        for text in ["аlice@northwind.test", "bоb@northwind.test"] {
            assert!(matches!(Email::parse(text), Err(EmailError::NotAscii(_))), "{text}");
        }
        // The domain is kept in its ASCII form: a dotless "ı" is a different, visibly foreign domain,
        // and an ideographic full stop is a dot, the colleague's own address.
        assert_eq!(
            Email::parse("bob@northwınd.test").unwrap().as_str(),
            "bob@xn--northwnd-ykb.test"
        );
        assert_eq!(
            Email::parse("bob@northwind。test").unwrap().as_str(),
            "bob@northwind.test"
        );
        assert_eq!(Email::parse("Ana@Müller.DE").unwrap().as_str(), "ana@xn--mller-kva.de");
        assert_eq!(Email::normalize("ana@müller.de"), "ana@xn--mller-kva.de");
    }
}
