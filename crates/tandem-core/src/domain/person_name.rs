//! A first or last name as the HR system holds it.

use super::{ParseError, has_control_chars};
use std::fmt;

/// Non-empty, at most 100 characters, no control characters; any script is welcome.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PersonName(String);

impl PersonName {
    /// Parses a name, trimming surrounding spaces.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(ParseError::new("is empty"));
        }
        if name.chars().count() > 100 {
            return Err(ParseError::new("is longer than 100 characters"));
        }
        if has_control_chars(name) {
            return Err(ParseError::new("contains control characters"));
        }
        Ok(Self(name.to_owned()))
    }
}

impl AsRef<str> for PersonName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_in_any_script_are_kept_as_written() {
        assert_eq!(PersonName::parse(" Siobhán ").unwrap().as_ref(), "Siobhán");
        assert_eq!(
            PersonName::parse("O'Neill-Ó Briain").unwrap().as_ref(),
            "O'Neill-Ó Briain"
        );
    }

    #[test]
    fn empty_long_and_control_names_are_refused() {
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse(&"a".repeat(101)).is_err());
        assert!(PersonName::parse("Ann\u{0}").is_err());
    }

    proptest! {
        #[test]
        fn parsing_is_idempotent(raw in "\\PC{1,50}") {
            if let Ok(name) = PersonName::parse(&raw) {
                prop_assert_eq!(PersonName::parse(name.as_ref()).unwrap(), name);
            }
        }
    }
}
