//! Whether a person is serving, has left, has retired, or is away.

use super::ParseError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Employment status from the HR file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentStatus {
    /// In post.
    Serving,
    /// Left the organisation; kept, never deleted, so their mentoring history stays.
    Leaver,
    /// Retired.
    Retired,
    /// On a career break.
    CareerBreak,
    /// Suspended from duty.
    Suspended,
}

impl EmploymentStatus {
    /// Every status, in the order files and forms list them.
    pub const ALL: [Self; 5] = [
        Self::Serving,
        Self::Leaver,
        Self::Retired,
        Self::CareerBreak,
        Self::Suspended,
    ];

    /// Parses the file token (case-insensitive).
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let token = raw.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|it| it.as_str() == token).ok_or_else(|| {
            ParseError::new(format!(
                "'{}' is not an employment status: use serving, leaver, retired, career_break or suspended",
                raw.trim()
            ))
        })
    }

    /// The file token.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Serving => "serving",
            Self::Leaver => "leaver",
            Self::Retired => "retired",
            Self::CareerBreak => "career_break",
            Self::Suspended => "suspended",
        }
    }

    /// The status in words, for a person to read.
    pub fn words(self) -> &'static str {
        match self {
            Self::CareerBreak => "career break",
            other => other.as_str(),
        }
    }

    /// Whether the person still belongs to the organisation's workforce: a full extract that
    /// omits them means they have left.
    pub fn is_on_strength(self) -> bool {
        matches!(self, Self::Serving | Self::CareerBreak | Self::Suspended)
    }
}

impl fmt::Display for EmploymentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_token_round_trips() {
        for status in EmploymentStatus::ALL {
            assert_eq!(EmploymentStatus::parse(status.as_str()).unwrap(), status);
        }
    }

    #[test]
    fn leavers_and_retired_people_are_not_on_strength() {
        assert!(EmploymentStatus::Serving.is_on_strength());
        assert!(EmploymentStatus::CareerBreak.is_on_strength());
        assert!(!EmploymentStatus::Leaver.is_on_strength());
        assert!(!EmploymentStatus::Retired.is_on_strength());
    }

    #[test]
    fn unknown_status_is_refused_with_the_accepted_values() {
        assert!(
            EmploymentStatus::parse("active")
                .unwrap_err()
                .to_string()
                .contains("serving, leaver")
        );
    }
}
