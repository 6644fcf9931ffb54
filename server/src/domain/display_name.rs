//! Names people read: a user's display name, and the given and family names an identity provider
//! sends. One rule for invitations and SCIM alike.

use thiserror::Error;

/// The longest name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// A name that is too long or spans lines.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("the display name must be at most 100 characters, on one line")]
pub struct NameError;

/// The name as kept: trimmed, at most [`MAX_NAME_CHARS`] characters, no control characters (so
/// it cannot forge a line in a prompt or a log).
pub fn person_name(text: &str) -> Result<&str, NameError> {
    let name = text.trim();
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(NameError);
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_short_and_on_one_line() {
        assert_eq!(person_name("  Ana Lima "), Ok("Ana Lima"));
        assert_eq!(person_name(""), Ok(""));
        assert_eq!(person_name(&"é".repeat(100)).map(str::len), Ok(200));
        assert_eq!(person_name(&"a".repeat(101)), Err(NameError));
        assert_eq!(person_name("Ana\nAdmin approved"), Err(NameError));
        assert_eq!(person_name("Ana\u{7}"), Err(NameError));
    }
}
