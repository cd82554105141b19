//! A work email address, unique across the installation.

use super::{ParseError, has_control_chars};
use std::fmt;

/// A syntactically valid address, lowercased so that uniqueness ignores case.
///
/// Deliverability is not checked here (that needs I/O); the shape is: one `@`, a non-empty
/// local part without spaces, and a domain of dot-separated labels.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Email(String);

impl Email {
    /// Parses and lowercases an address.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let address = raw.trim();
        let invalid = || ParseError::new(format!("'{address}' is not a valid email address"));
        if address.is_empty() {
            return Err(ParseError::new(
                "is empty; every person needs a work email address",
            ));
        }
        if address.len() > 254
            || has_control_chars(address)
            || address.contains(char::is_whitespace)
        {
            return Err(invalid());
        }
        let (local, domain) = address.split_once('@').ok_or_else(invalid)?;
        if local.is_empty() || local.len() > 64 || domain.contains('@') {
            return Err(invalid());
        }
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        let local_ok = !local.starts_with('.') && !local.ends_with('.') && !local.contains("..");
        if !domain_ok || !local_ok {
            return Err(invalid());
        }
        Ok(Self(address.to_lowercase()))
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn addresses_are_lowercased() {
        assert_eq!(
            Email::parse("Jane.Doe@Cleveland.PNN.Police.uk")
                .unwrap()
                .as_ref(),
            "jane.doe@cleveland.pnn.police.uk"
        );
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for raw in [
            "",
            "jane",
            "jane@",
            "@police.uk",
            "jane@police",
            "jane@@police.uk",
            "jane doe@police.uk",
            "jane@police..uk",
            "jane.@police.uk",
            "jane@-police.uk",
        ] {
            assert!(Email::parse(raw).is_err(), "{raw:?} should be refused");
        }
    }

    proptest! {
        #[test]
        fn well_formed_addresses_round_trip(
            local in "[a-z0-9]{1,10}(\\.[a-z0-9]{1,5})?",
            domain in "[a-z0-9]{1,10}\\.[a-z]{2,5}",
        ) {
            let address = format!("{local}@{domain}");
            let email = Email::parse(&address).unwrap();
            prop_assert_eq!(email.as_ref(), address.as_str());
        }
    }
}
