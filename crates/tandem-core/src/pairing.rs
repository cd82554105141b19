//! Pairs (R5): a mentor and a mentee proposed by bulk matching, picked by hand, or requested from
//! the directory; confirmed, declined, or ended early. Pins and forbids steer bulk matching.

use crate::codes::codes;
use crate::ids::{ApplicationId, MatchId, PersonId, SchemeId};
use std::fmt;
use time::OffsetDateTime;

codes! {
    /// Where a pair stands (R6.1): proposed or requested, then the relationship's life from
    /// the introductory meeting to closing, or declined or withdrawn on the way. Which moves
    /// are allowed, and by whom, is `relationship::step`.
    MatchStatus {
        /// Proposed by bulk matching or a coordinator's pick; nothing is final until confirmed.
        Proposed => "proposed", "Proposed";
        /// A mentee asked this mentor from the directory; the mentor answers.
        Requested => "requested", "Requested by the mentee";
        /// Confirmed: the mentor arranges the introductory meeting, then each says whether
        /// they go on.
        Introductory => "introductory", "Introductory meeting";
        /// Both want to go on: the pair meets, sets goals and logs sessions.
        Active => "active", "Active";
        /// Paused for a while (career break, parental leave, sickness, secondment).
        OnHold => "on_hold", "On hold";
        /// Ending: each writes the end-of-mentoring review and answers the evaluation.
        Closing => "closing", "Closing";
        /// Closed after both reviews and evaluations; read-only.
        Closed => "closed", "Closed";
        /// Not taken up: a proposal set aside, a request declined, or a member who did not
        /// want to go on after the introductory meeting.
        Declined => "declined", "Declined";
        /// Ended early, with a reason; the mentee's history keeps it.
        Withdrawn => "withdrawn", "Withdrawn";
    }
}

impl MatchStatus {
    /// Whether the pair takes one of the mentor's places (and is the mentee's mentor): the one
    /// rule for "a mentor's free places" and "already has a mentor".
    pub fn holds_place(self) -> bool {
        matches!(
            self,
            Self::Introductory | Self::Active | Self::OnHold | Self::Closing
        )
    }

    /// Whether the relationship has ended, one way or another.
    pub fn is_over(self) -> bool {
        matches!(self, Self::Closed | Self::Declined | Self::Withdrawn)
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
    /// Who last moved it on (confirmed, declined, withdrew…), as an audit label.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<OffsetDateTime>,
    /// The reason given when it was declined or withdrawn.
    pub reason: Option<String>,
    /// Optimistic-concurrency version.
    pub version: i64,
    /// The relationship's dates, once confirmed.
    pub life: Lifecycle,
}

/// When a confirmed pair's relationship made each move (R6): none of it before confirmation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lifecycle {
    /// Confirmed (the introductory meeting is then arranged).
    pub confirmed_at: Option<OffsetDateTime>,
    /// The mentor said they go on after the introductory meeting.
    pub mentor_went_on_at: Option<OffsetDateTime>,
    /// The mentee said they go on after the introductory meeting.
    pub mentee_went_on_at: Option<OffsetDateTime>,
    /// Became active.
    pub started_on: Option<time::Date>,
    /// Planned end (the policy's duration, or an agreed extension).
    pub ends_on: Option<time::Date>,
    /// On hold, why and since when.
    pub hold: Option<Hold>,
    /// Closing started.
    pub closing_started_at: Option<OffsetDateTime>,
    /// Closed.
    pub closed_at: Option<OffsetDateTime>,
}

/// Why and since when a relationship is on hold (R6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hold {
    /// Why.
    pub reason: crate::relationship::HoldReason,
    /// Since.
    pub since: OffsetDateTime,
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

/// How many places each application's pairs take: a mentor's places taken (and a mentee's
/// mentors), counting only pairs that hold a place (`MatchStatus::holds_place`).
pub fn places_taken<'a>(
    matches: impl IntoIterator<Item = &'a Match>,
) -> std::collections::HashMap<ApplicationId, u32> {
    let mut taken = std::collections::HashMap::new();
    for pair in matches.into_iter().filter(|it| it.status.holds_place()) {
        *taken.entry(pair.mentor_application).or_default() += 1;
        *taken.entry(pair.mentee_application).or_default() += 1;
    }
    taken
}

/// The pairs that withdrawing `application` ends: those holding a place and requests still
/// waiting for an answer. A mentor's application stays approved while they mentor, so their
/// withdrawal ends their pairs (the check page names them first) rather than leaving mentees
/// with a mentor who has gone.
pub fn ended_by_withdrawal<'a>(
    application: ApplicationId,
    matches: impl IntoIterator<Item = &'a Match>,
) -> Vec<&'a Match> {
    matches
        .into_iter()
        .filter(|it| it.mentor_application == application || it.mentee_application == application)
        .filter(|it| it.status.holds_place() || it.status == MatchStatus::Requested)
        .collect()
}

/// A mentor's free places: the places they offered less the places taken.
pub fn free_places(capacity: u32, taken: u32) -> u32 {
    capacity.saturating_sub(taken)
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
            assert_eq!(MatchStatus::parse(status.as_str()), Some(*status));
        }
        for source in MatchSource::ALL {
            assert_eq!(MatchSource::parse(source.as_str()), Some(source));
        }
        for kind in [ConstraintKind::Pin, ConstraintKind::Forbid] {
            assert_eq!(ConstraintKind::parse(kind.as_str()), Some(kind));
        }
    }

    #[test]
    fn withdrawing_ends_the_applications_live_pairs_and_waiting_requests_only() {
        let mine = ApplicationId(uuid::Uuid::from_u128(1));
        let pair = |n: u128, status: MatchStatus, mentor: ApplicationId| Match {
            id: MatchId(uuid::Uuid::from_u128(100 + n)),
            scheme: SchemeId(uuid::Uuid::from_u128(9)),
            mentor_application: mentor,
            mentee_application: ApplicationId(uuid::Uuid::from_u128(10 + n)),
            mentor: PersonId(uuid::Uuid::from_u128(20)),
            mentee: PersonId(uuid::Uuid::from_u128(30 + n)),
            status,
            source: MatchSource::Bulk,
            score: None,
            explanation: String::new(),
            proposed_by: String::new(),
            proposed_at: OffsetDateTime::UNIX_EPOCH,
            decided_by: None,
            decided_at: None,
            reason: None,
            version: 1,
            life: Lifecycle::default(),
        };
        let someone_else = ApplicationId(uuid::Uuid::from_u128(2));
        let matches: Vec<Match> = MatchStatus::ALL
            .iter()
            .enumerate()
            .map(|(n, status)| pair(n as u128, *status, mine))
            .chain([pair(50, MatchStatus::Active, someone_else)])
            .collect();
        let ended: Vec<MatchStatus> = ended_by_withdrawal(mine, &matches)
            .into_iter()
            .map(|it| it.status)
            .collect();
        assert_eq!(
            ended,
            [
                MatchStatus::Requested,
                MatchStatus::Introductory,
                MatchStatus::Active,
                MatchStatus::OnHold,
                MatchStatus::Closing
            ]
        );
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
