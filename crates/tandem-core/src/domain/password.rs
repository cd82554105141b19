//! A new password someone chooses, checked against the password policy.

use super::ParseError;
use std::fmt;

/// At least 12 and at most 256 characters, not all the same character. Length rather than
/// composition rules, as the NCSC advises; the hash (Argon2id) is made by the application.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    /// Fewest characters accepted.
    pub const MIN_CHARS: usize = 12;

    /// Checks a chosen password. The text is kept as typed (spaces count).
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let chars = raw.chars().count();
        if chars < Self::MIN_CHARS {
            return Err(ParseError::new(format!(
                "is too short: use at least {} characters (three random words work well)",
                Self::MIN_CHARS
            )));
        }
        if chars > 256 {
            return Err(ParseError::new("is too long: use at most 256 characters"));
        }
        let mut distinct = raw.chars();
        let first = distinct.next();
        if distinct.all(|c| Some(c) == first) {
            return Err(ParseError::new(
                "repeats one character: choose something harder to guess",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The password itself, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Never shows the password, even in logs of a debug build.
impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_and_repetitive_passwords_are_refused() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse("aaaaaaaaaaaaaaaa").is_err());
        assert!(NewPassword::parse(&"x".repeat(300)).is_err());
        assert!(NewPassword::parse("correct horse battery").is_ok());
    }

    #[test]
    fn debug_output_hides_the_password() {
        let password = NewPassword::parse("correct horse battery").unwrap();
        assert_eq!(format!("{password:?}"), "NewPassword(…)");
    }

    proptest! {
        #[test]
        fn any_long_varied_password_is_kept_as_typed(raw in "[a-z ]{10,40}[0-9]{2}") {
            let password = NewPassword::parse(&raw).unwrap();
            prop_assert_eq!(password.expose(), raw.as_str());
        }
    }
}
