//! The kind of worker a person is, as the HR file states it.

use super::ParseError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Officer, police staff, special constable, volunteer or external/community participant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleType {
    /// A warranted police officer.
    Officer,
    /// Police staff (authority staff in Scotland).
    Staff,
    /// A special constable (volunteer officer).
    Special,
    /// A police support volunteer.
    Volunteer,
    /// Someone from the community or an education provider, not employed by the force.
    External,
}

impl RoleType {
    /// Every role type, in the order files and forms list them.
    pub const ALL: [Self; 5] = [
        Self::Officer,
        Self::Staff,
        Self::Special,
        Self::Volunteer,
        Self::External,
    ];

    /// Parses the file token (case-insensitive).
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let token = raw.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|it| it.as_str() == token)
            .ok_or_else(|| {
                ParseError::new(format!(
                    "'{}' is not a role type: use officer, staff, special, volunteer or external",
                    raw.trim()
                ))
            })
    }

    /// The file token.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Officer => "officer",
            Self::Staff => "staff",
            Self::Special => "special",
            Self::Volunteer => "volunteer",
            Self::External => "external",
        }
    }
}

impl fmt::Display for RoleType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_token_round_trips() {
        for role_type in RoleType::ALL {
            assert_eq!(
                RoleType::parse(&role_type.as_str().to_uppercase()).unwrap(),
                role_type
            );
        }
    }

    #[test]
    fn unknown_tokens_name_the_accepted_values() {
        let err = RoleType::parse("contractor").unwrap_err();
        assert_eq!(
            err.to_string(),
            "'contractor' is not a role type: use officer, staff, special, volunteer or external"
        );
    }
}
