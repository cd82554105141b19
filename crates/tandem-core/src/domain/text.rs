//! Short free-text fields (department, location) and self-declared diversity answers.

use super::{ParseError, has_control_chars};
use std::fmt;

/// Optional free text of at most 200 characters; empty input means "not given".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FreeText(String);

impl FreeText {
    /// Parses optional text: `Ok(None)` for blank input.
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, ParseError> {
        let text = raw.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if text.chars().count() > 200 {
            return Err(ParseError::new("is longer than 200 characters"));
        }
        if has_control_chars(text) {
            return Err(ParseError::new("contains control characters"));
        }
        Ok(Some(Self(text.to_owned())))
    }
}

impl AsRef<str> for FreeText {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FreeText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// A self-declared answer to one diversity question. Every question is optional (`None`),
/// and "prefer not to say" is an answer in its own right, counted separately in monitoring.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Declaration {
    /// The person chose not to answer.
    PreferNotToSay,
    /// The person's answer, from the organisation's list or in their own words.
    Declared(FreeText),
}

impl Declaration {
    /// The token used in files for "prefer not to say".
    pub const PREFER_NOT_TO_SAY: &'static str = "prefer_not_to_say";

    /// Parses an optional answer: blank is no answer, `prefer_not_to_say` (any case, spaces
    /// or underscores) is a refusal to answer, anything else is the answer itself.
    pub fn parse_optional(raw: &str) -> Result<Option<Self>, ParseError> {
        let normalised = raw.trim().to_ascii_lowercase().replace([' ', '-'], "_");
        if normalised == Self::PREFER_NOT_TO_SAY {
            return Ok(Some(Self::PreferNotToSay));
        }
        Ok(FreeText::parse_optional(raw)?.map(Self::Declared))
    }

    /// The text written to files and shown in reports.
    pub fn as_str(&self) -> &str {
        match self {
            Self::PreferNotToSay => Self::PREFER_NOT_TO_SAY,
            Self::Declared(text) => text.as_ref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn blank_text_is_not_given() {
        assert_eq!(FreeText::parse_optional("   ").unwrap(), None);
    }

    #[test]
    fn prefer_not_to_say_is_recognised_in_its_usual_spellings() {
        for raw in [
            "prefer_not_to_say",
            "Prefer not to say",
            "PREFER-NOT-TO-SAY",
        ] {
            assert_eq!(
                Declaration::parse_optional(raw).unwrap(),
                Some(Declaration::PreferNotToSay)
            );
        }
    }

    #[test]
    fn declared_answers_keep_their_words() {
        let answer = Declaration::parse_optional(" Woman ").unwrap().unwrap();
        assert_eq!(answer.as_str(), "Woman");
    }

    proptest! {
        #[test]
        fn a_declaration_reparses_to_itself(raw in "\\PC{0,40}") {
            if let Ok(Some(answer)) = Declaration::parse_optional(&raw) {
                prop_assert_eq!(Declaration::parse_optional(answer.as_str()).unwrap(), Some(answer));
            }
        }
    }
}
