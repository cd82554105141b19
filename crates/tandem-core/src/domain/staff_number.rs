//! A person's staff number: their key within their organisation.

use super::{ParseError, has_control_chars};
use std::fmt;

/// Non-empty, at most 32 characters, no spaces inside (HR systems differ on leading zeros, so
/// the text is kept exactly as given: `00123` and `123` are different people).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StaffNumber(String);

impl StaffNumber {
    /// Parses a staff number, trimming surrounding spaces.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let number = raw.trim();
        if number.is_empty() {
            return Err(ParseError::new(
                "is empty; every person needs a staff number",
            ));
        }
        if number.chars().count() > 32
            || has_control_chars(number)
            || number.contains(char::is_whitespace)
        {
            return Err(ParseError::new(format!(
                "'{number}' is not a staff number: use at most 32 characters without spaces"
            )));
        }
        Ok(Self(number.to_owned()))
    }
}

impl AsRef<str> for StaffNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for StaffNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn leading_zeros_are_kept() {
        assert_eq!(StaffNumber::parse(" 00123 ").unwrap().as_ref(), "00123");
    }

    #[test]
    fn blank_and_spaced_numbers_are_refused() {
        assert!(StaffNumber::parse("  ").is_err());
        assert!(StaffNumber::parse("12 34").is_err());
        assert!(StaffNumber::parse(&"9".repeat(33)).is_err());
    }

    proptest! {
        #[test]
        fn parsing_is_idempotent(raw in "[A-Za-z0-9/-]{1,32}") {
            let number = StaffNumber::parse(&raw).unwrap();
            prop_assert_eq!(StaffNumber::parse(number.as_ref()).unwrap(), number);
        }
    }
}
