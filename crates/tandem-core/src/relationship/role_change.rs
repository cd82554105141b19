//! Role changes (R6.5): a relationship that was sound when it was made can stop being so, when
//! the mentor becomes the mentee's line manager (or anyone above them) or sits on an interview
//! panel where the mentee is a candidate. The relationship is then flagged until the
//! coordinator records a suitability decision or the pair records a conflict-of-interest
//! declaration.

use crate::application::{FormProblem, TextLimit, written};
use crate::codes::codes;
use crate::ids::{MatchId, PersonId};
use crate::line_management::LineManagementTree;
use time::OffsetDateTime;
use uuid::Uuid;

codes! {
    /// Why a relationship is flagged.
    FlagKind {
        /// An HR import made the mentor the mentee's line manager, or anyone above them.
        LineManagement => "line_management", "the mentor is now in the mentee's line management";
        /// The mentor sits on an interview panel where the mentee is a candidate.
        InterviewPanel => "interview_panel", "the mentor sits on an interview panel where the mentee is a candidate";
    }
}

codes! {
    /// How a flag was settled.
    FlagOutcome {
        /// The coordinator decided the relationship may continue, and why.
        Continue => "continue", "may continue";
        /// The coordinator ended the relationship.
        End => "end", "ended";
        /// The pair declared the conflict of interest and how they will manage it.
        Declared => "declared", "conflict of interest declared";
    }
}

/// A flag on a relationship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// Its id.
    pub id: Uuid,
    /// The relationship.
    pub pair: MatchId,
    /// Why.
    pub kind: FlagKind,
    /// When it was raised.
    pub raised_at: OffsetDateTime,
    /// Who raised it (audit label: an import's operator or administrator, a member, a
    /// coordinator).
    pub raised_by: String,
    /// How it was settled, once it is.
    pub settled: Option<FlagSettlement>,
}

/// How and by whom a flag was settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagSettlement {
    /// Continue, end, or a declaration.
    pub outcome: FlagOutcome,
    /// The coordinator's reason, or the pair's declaration.
    pub reason: String,
    /// Who (audit label).
    pub by: String,
    /// When.
    pub at: OffsetDateTime,
}

impl Flag {
    /// Whether it still waits for a decision or a declaration.
    pub fn is_open(&self) -> bool {
        self.settled.is_none()
    }
}

/// Whether the mentor now sits above the mentee in the line-management chain: the same rule
/// that keeps such a pair from being matched (R5.1), checked again when the directory changes.
pub fn mentor_manages(
    tree: &LineManagementTree<PersonId>,
    mentor: PersonId,
    mentee: PersonId,
) -> bool {
    tree.is_above(&mentor, &mentee)
}

/// The coordinator's decision or the pair's declaration, parsed.
pub fn parse_settlement(
    outcome: &str,
    reason: &str,
) -> Result<(FlagOutcome, String), Vec<FormProblem>> {
    let mut problems = Vec::new();
    let outcome = FlagOutcome::parse(outcome.trim());
    if outcome.is_none() {
        problems.push(FormProblem::at(
            "outcome",
            "choose whether the relationship continues or ends",
        ));
    }
    let needed = match outcome {
        Some(FlagOutcome::Declared) => {
            "say what the conflict is and how you will keep it apart from the mentoring"
        }
        Some(FlagOutcome::End) => "say why the relationship ends; both members read it",
        _ => "say why the relationship may continue; both members read it",
    };
    let reason = written("reason", reason, TextLimit::Reason, Some(needed))
        .map_err(|problem| problems.push(problem))
        .ok();
    match (outcome, reason) {
        (Some(outcome), Some(reason)) if problems.is_empty() => Ok((outcome, reason)),
        _ => Err(problems),
    }
}
