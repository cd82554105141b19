//! Pairs (R5): a mentor and a mentee proposed by bulk matching, picked by hand, or requested from
//! the directory; confirmed, declined, or ended early. Pins and forbids steer bulk matching.

use crate::ids::{ApplicationId, MatchId, PersonId, SchemeId};
use std::fmt;
use time::OffsetDateTime;

/// Where a pair stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchStatus {
    /// Proposed by bulk matching or a coordinator's pick; nothing is final until confirmed.
    Proposed,
    /// A mentee asked this mentor from the directory; the mentor answers.
    Requested,
    /// Confirmed: the pair is mentoring.
    Confirmed,
    /// The mentor declined a request, or a proposal was set aside.
    Declined,
    /// Ended early (or withdrawn); the mentee's history keeps it.
    Ended,
}

impl MatchStatus {
    /// Every status.
    pub const ALL: [Self; 5] = [
        Self::Proposed,
        Self::Requested,
        Self::Confirmed,
        Self::Declined,
        Self::Ended,
    ];

    /// The stored token.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Proposed => "proposed",
            Self::Requested => "requested",
            Self::Confirmed => "confirmed",
            Self::Declined => "declined",
            Self::Ended => "ended",
        }
    }

    /// Parses the stored token.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == raw)
    }

    /// Words for people.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Proposed => "Proposed",
            Self::Requested => "Requested by the mentee",
            Self::Confirmed => "Confirmed",
            Self::Declined => "Declined",
            Self::Ended => "Ended",
        }
    }
}

impl fmt::Display for MatchStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// How a pair came about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchSource {
    /// Bulk matching proposed it.
    Bulk,
    /// A coordinator or champion picked it.
    Manual,
    /// The mentee asked the mentor from the directory.
    Directory,
}

impl MatchSource {
    /// Every source.
    pub const ALL: [Self; 3] = [Self::Bulk, Self::Manual, Self::Directory];

    /// The stored token.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bulk => "bulk",
            Self::Manual => "manual",
            Self::Directory => "directory",
        }
    }

    /// Parses the stored token.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|source| source.as_str() == raw)
    }
}

/// A pair of a mentor and a mentee in a scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Its id.
    pub id: MatchId,
    /// The scheme.
    pub scheme: SchemeId,
    /// The mentor's application.
    pub mentor_application: ApplicationId,
    /// The mentee's application.
    pub mentee_application: ApplicationId,
    /// The mentor.
    pub mentor: PersonId,
    /// The mentee.
    pub mentee: PersonId,
    /// Where it stands.
    pub status: MatchStatus,
    /// How it came about.
    pub source: MatchSource,
    /// Its score when it was proposed, if scored.
    pub score: Option<i32>,
    /// The score factor by factor, one line each, when it was proposed.
    pub explanation: String,
    /// Who proposed or requested it (audit label).
    pub proposed_by: String,
    /// When.
    pub proposed_at: OffsetDateTime,
    /// Who confirmed, declined or ended it (audit label).
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<OffsetDateTime>,
    /// The reason given when it was declined or ended.
    pub reason: Option<String>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// A pin (the pair must be in the proposal) or a forbid (it must never be).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConstraintKind {
    /// Keep the pair in every bulk proposal.
    Pin,
    /// Never propose the pair.
    Forbid,
}

impl ConstraintKind {
    /// The stored token.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pin => "pin",
            Self::Forbid => "forbid",
        }
    }

    /// Parses the stored token.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "pin" => Some(Self::Pin),
            "forbid" => Some(Self::Forbid),
            _ => None,
        }
    }
}

/// A coordinator's pin or forbid on a pair of applications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairConstraint {
    /// The scheme.
    pub scheme: SchemeId,
    /// The mentee's application.
    pub mentee_application: ApplicationId,
    /// The mentor's application.
    pub mentor_application: ApplicationId,
    /// Pin or forbid.
    pub kind: ConstraintKind,
    /// Why (a conflict of interest, a relationship that ended early, …).
    pub reason: String,
    /// Who set it (audit label).
    pub created_by: String,
}

/// A policy weight (0 to 100) as the matching engine's weight (0 to 10), to the nearest.
pub fn engine_weight(policy_weight: u32) -> u8 {
    u8::try_from(policy_weight.min(100).saturating_add(5) / 10).unwrap_or(10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        for status in MatchStatus::ALL {
            assert_eq!(MatchStatus::parse(status.as_str()), Some(status));
        }
        for source in MatchSource::ALL {
            assert_eq!(MatchSource::parse(source.as_str()), Some(source));
        }
        for kind in [ConstraintKind::Pin, ConstraintKind::Forbid] {
            assert_eq!(ConstraintKind::parse(kind.as_str()), Some(kind));
        }
    }

    #[test]
    fn policy_weights_scale_to_the_engine_to_the_nearest_tenth() {
        let cases = [
            (0, 0),
            (4, 0),
            (5, 1),
            (15, 2),
            (40, 4),
            (100, 10),
            (250, 10),
        ];
        for (policy, engine) in cases {
            assert_eq!(engine_weight(policy), engine, "{policy}");
        }
    }
}
