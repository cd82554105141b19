//! An organisation (a force or the national body) and its settings.

use crate::domain::{OrgCode, ParseError, RankBands};
use crate::ids::OrganisationId;
use std::fmt;

/// Whether the organisation is a police force or the national body that runs cross-force schemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrganisationKind {
    /// A police force or similar public body.
    Force,
    /// The national body (e.g. the College of Policing).
    National,
}

impl OrganisationKind {
    /// The stored token.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Force => "force",
            Self::National => "national",
        }
    }

    /// Parses the stored token.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "force" => Ok(Self::Force),
            "national" => Ok(Self::National),
            other => Err(ParseError::new(format!(
                "'{other}' is not an organisation kind: use force or national"
            ))),
        }
    }
}

/// The protective marking shown on every page and export (R8.3), e.g. `OFFICIAL`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProtectiveMarking(String);

impl ProtectiveMarking {
    /// Parses a marking: capital letters, spaces and hyphens, at most 40 characters.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let marking = raw.trim().to_ascii_uppercase();
        let ok = !marking.is_empty()
            && marking.len() <= 40
            && marking
                .chars()
                .all(|c| c.is_ascii_uppercase() || c == ' ' || c == '-');
        if ok {
            Ok(Self(marking))
        } else {
            Err(ParseError::new(format!(
                "'{}' is not a protective marking: use words such as OFFICIAL or OFFICIAL-SENSITIVE",
                raw.trim()
            )))
        }
    }

    /// The Government Security Classifications default for routine public-sector business.
    pub fn official() -> Self {
        Self("OFFICIAL".to_owned())
    }
}

impl AsRef<str> for ProtectiveMarking {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ProtectiveMarking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// The development areas people can ask for and offer (R3.1), from the programmes' own lists;
/// each organisation starts from these and edits its own.
pub const DEFAULT_TOPICS: [&str; 14] = [
    "Promotion and career progression",
    "Leadership",
    "Academic study",
    "Specialist areas",
    "Management challenges",
    "Diversity and inclusion",
    "Return to work",
    "Career transition",
    "Lived experience",
    "Confidence",
    "Health and wellbeing",
    "Managing change",
    "Team working",
    "Work/life balance",
];

/// An organisation as the rest of the system sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    /// Its id.
    pub id: OrganisationId,
    /// Its short code.
    pub code: OrgCode,
    /// Its name.
    pub name: String,
    /// Force or national body.
    pub kind: OrganisationKind,
    /// The marking on its pages and exports.
    pub protective_marking: ProtectiveMarking,
    /// Its rank-band mapping.
    pub rank_bands: RankBands,
    /// Its topic list.
    pub topics: Vec<String>,
    /// The IANA time zone its people see times in.
    pub time_zone: String,
    /// Line managers are sent a monthly digest of which of their reports take part in
    /// mentoring and in which role (R11.4).
    pub line_manager_digest: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markings_are_uppercased_and_checked() {
        assert_eq!(
            ProtectiveMarking::parse("official-sensitive")
                .unwrap()
                .as_ref(),
            "OFFICIAL-SENSITIVE"
        );
        assert!(ProtectiveMarking::parse("<script>").is_err());
        assert!(ProtectiveMarking::parse("").is_err());
    }

    #[test]
    fn kinds_round_trip() {
        for kind in [OrganisationKind::Force, OrganisationKind::National] {
            assert_eq!(OrganisationKind::parse(kind.as_str()).unwrap(), kind);
        }
    }
}
