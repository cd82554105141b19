//! An organisation's short code (`cleveland`, `police-scotland`, `college`): its key in files and URLs.

use super::{ParseError, slug};
use std::fmt;

/// A lowercase slug of 2 to 40 letters, digits and single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OrgCode(String);

impl OrgCode {
    /// Parses a code case-insensitively; HR files often capitalise it.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        slug(raw, "an organisation code", "police-scotland").map(Self)
    }
}

impl AsRef<str> for OrgCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OrgCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_are_lowercased_and_trimmed() {
        assert_eq!(
            OrgCode::parse(" Police-Scotland ").unwrap().as_ref(),
            "police-scotland"
        );
    }

    #[test]
    fn spaces_underscores_and_double_hyphens_are_refused() {
        for raw in [
            "police scotland",
            "police_scotland",
            "a--b",
            "-ab",
            "ab-",
            "x",
            "",
        ] {
            assert!(OrgCode::parse(raw).is_err(), "{raw:?} should be refused");
        }
    }

    proptest! {
        #[test]
        fn any_accepted_code_parses_to_itself(raw in "[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,2}") {
            prop_assume!(raw.len() >= 2);
            let code = OrgCode::parse(&raw).unwrap();
            prop_assert_eq!(OrgCode::parse(code.as_ref()).unwrap(), code);
        }
    }
}
