//! SCIM list filters (RFC 7644 §3.4.2.2), the part identity providers send to find a user before
//! creating one: `ATTRIBUTE eq "VALUE"` on `userName`, `externalId`, `id` or `emails.value`
//! (`emails[value eq "…"]` too). Anything else (other operators, `and`/`or`, attributes we do not
//! index) is a [`FilterError`], which the API answers with `invalidFilter`, never a guess.

use thiserror::Error;

use crate::db::ScimMatch;

/// Why a filter is refused; the text goes to the client as the SCIM `detail`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FilterError {
    #[error("the filter is too long (at most 1000 characters)")]
    TooLong,
    #[error("the filter must be ATTRIBUTE eq \"VALUE\" (on userName, externalId, id or emails.value); {0}")]
    Syntax(&'static str),
    #[error("filtering on {0:?} is not supported: use userName, externalId, id or emails.value")]
    Attribute(String),
    #[error("the operator {0:?} is not supported: only eq is")]
    Operator(String),
}

/// Parses a filter into the one lookup it asks for.
pub fn parse(filter: &str) -> Result<ScimMatch, FilterError> {
    if filter.len() > 1000 {
        return Err(FilterError::TooLong);
    }
    let filter = filter.trim();
    // `emails[value eq "x"]` is `emails.value eq "x"`.
    if let Some(inner) = filter
        .strip_prefix("emails[")
        .or_else(|| filter.strip_prefix("Emails["))
        .and_then(|rest| rest.strip_suffix(']'))
    {
        let (attr, rest) = split_word(inner);
        if !attr.eq_ignore_ascii_case("value") {
            return Err(FilterError::Attribute(format!("emails.{attr}")));
        }
        return comparison("emails.value", rest);
    }
    let (attr, rest) = split_word(filter);
    if attr.is_empty() {
        return Err(FilterError::Syntax("it is empty"));
    }
    comparison(attr, rest)
}

fn comparison(attr: &str, rest: &str) -> Result<ScimMatch, FilterError> {
    let (op, rest) = split_word(rest);
    if op.is_empty() {
        return Err(FilterError::Syntax("the operator is missing"));
    }
    let value = string_literal(rest)?;
    // Attribute names are case-insensitive (RFC 7644 §3.10); a schema URN prefix is allowed.
    let name = attr
        .strip_prefix("urn:ietf:params:scim:schemas:core:2.0:User:")
        .unwrap_or(attr)
        .to_ascii_lowercase();
    let make: fn(String) -> ScimMatch = match name.as_str() {
        "username" => ScimMatch::UserName,
        "emails.value" | "emails" => ScimMatch::Email,
        "externalid" => ScimMatch::ExternalId,
        "id" => ScimMatch::Id,
        _ => return Err(FilterError::Attribute(attr.to_string())),
    };
    if !op.eq_ignore_ascii_case("eq") {
        return Err(FilterError::Operator(op.to_string()));
    }
    Ok(make(value))
}

/// The first word (up to whitespace) and the rest, trimmed.
fn split_word(text: &str) -> (&str, &str) {
    let text = text.trim_start();
    match text.find(char::is_whitespace) {
        Some(i) => (&text[..i], text[i..].trim_start()),
        None => (text, ""),
    }
}

/// A JSON string literal that is the whole of `text` (escapes as JSON has them).
fn string_literal(text: &str) -> Result<String, FilterError> {
    let text = text.trim();
    if !text.starts_with('"') {
        return Err(FilterError::Syntax("the value must be a string in double quotes"));
    }
    match serde_json::from_str::<String>(text) {
        Ok(value) => Ok(value),
        // A valid string followed by more (`"a" and x eq "b"`) is not one literal.
        Err(_) => Err(FilterError::Syntax(
            "after the quoted value there must be nothing (and/or are not supported)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_okta_and_entra_send_is_understood() {
        assert_eq!(
            parse("userName eq \"ana@acme.example\""),
            Ok(ScimMatch::UserName("ana@acme.example".into()))
        );
        assert_eq!(parse("USERNAME EQ \"a\\\"b\""), Ok(ScimMatch::UserName("a\"b".into())));
        assert_eq!(
            parse("externalId eq \"00aa-11\""),
            Ok(ScimMatch::ExternalId("00aa-11".into()))
        );
        assert_eq!(parse("id eq \"abc\""), Ok(ScimMatch::Id("abc".into())));
        assert_eq!(
            parse("emails[value eq \"a@b.test\"]"),
            Ok(ScimMatch::Email("a@b.test".into()))
        );
        assert_eq!(
            parse("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"x\""),
            Ok(ScimMatch::UserName("x".into()))
        );
    }

    #[test]
    fn everything_else_is_an_invalid_filter() {
        for bad in [
            "",
            "userName",
            "userName eq",
            "userName eq ana",
            "userName co \"ana\"",
            "userName eq \"a\" and active eq true",
            "title eq \"x\"",
            "emails[type eq \"work\"]",
            "userName eq \"unterminated",
            "(userName eq \"a\")",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was accepted");
        }
        assert!(matches!(parse(&"a".repeat(1001)), Err(FilterError::TooLong)));
        assert_eq!(
            parse("userName sw \"a\"").unwrap_err().to_string(),
            "the operator \"sw\" is not supported: only eq is"
        );
    }
}
