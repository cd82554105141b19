//! A scheme's short key within its organisation (`traditional`, `reverse`, `peer-acc-aco`).

use super::{ParseError, slug};
use std::fmt;

/// A lowercase slug, unique among one organisation's schemes; used in URLs and commands.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SchemeKey(String);

impl SchemeKey {
    /// Parses a key case-insensitively.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        slug(raw, "a scheme key", "reverse-mentoring").map(Self)
    }
}

impl AsRef<str> for SchemeKey {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SchemeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keys_are_slugs() {
        assert_eq!(
            SchemeKey::parse("Peer-ACC-ACO").unwrap().as_ref(),
            "peer-acc-aco"
        );
        assert_eq!(
            SchemeKey::parse("peer acc").unwrap_err().to_string(),
            "'peer acc' is not a scheme key: use 2 to 40 letters, digits and single hyphens, e.g. reverse-mentoring"
        );
    }

    proptest! {
        #[test]
        fn an_accepted_key_reparses_to_itself(raw in "[A-Za-z0-9]{2,10}(-[a-z0-9]{1,8}){0,2}") {
            let key = SchemeKey::parse(&raw).unwrap();
            prop_assert_eq!(SchemeKey::parse(key.as_ref()).unwrap(), key);
        }
    }
}
