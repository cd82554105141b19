//! The limits of confidentiality (R8.2): what a pair says stays between them, except when one
//! of them believes there is a risk of harm, a breach of policy or illegal activity. Then they
//! raise a concern with the scheme's coordinator. A concern carries only what its reporter
//! writes, never the pair's notes; the coordinator records what was done about it.

use crate::application::{FormProblem, TextLimit, written};
use crate::codes::codes;
use crate::ids::{MatchId, PersonId, SchemeId};
use time::OffsetDateTime;
use uuid::Uuid;

codes! {
    /// What a concern is about: the three limits of confidentiality.
    ConcernKind {
        /// Someone may come to harm.
        RiskOfHarm => "risk_of_harm", "a risk of harm";
        /// A breach of the force's policy or the code of ethics.
        BreachOfPolicy => "breach_of_policy", "a breach of policy";
        /// Something illegal.
        IllegalActivity => "illegal_activity", "illegal activity";
    }
}

/// A concern raised with the coordinator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Concern {
    /// Its id.
    pub id: Uuid,
    /// The relationship it arose in.
    pub pair: MatchId,
    /// The relationship's scheme (whose coordinators handle it).
    pub scheme: SchemeId,
    /// Who raised it (one of the pair).
    pub raised_by: PersonId,
    /// What it is about.
    pub kind: ConcernKind,
    /// What the reporter wrote: all the coordinator is given.
    pub text: String,
    /// When it was raised.
    pub raised_at: OffsetDateTime,
    /// What the coordinator did, once recorded.
    pub outcome: Option<ConcernOutcome>,
}

/// What the coordinator recorded as done about a concern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcernOutcome {
    /// What was done.
    pub text: String,
    /// Who recorded it (audit label).
    pub recorded_by: String,
    /// When.
    pub recorded_at: OffsetDateTime,
}

/// A concern as its reporter fills it in, parsed: every problem at its field.
pub fn parse_concern(kind: &str, text: &str) -> Result<(ConcernKind, String), Vec<FormProblem>> {
    let mut problems = Vec::new();
    let kind = ConcernKind::parse(kind.trim());
    if kind.is_none() {
        problems.push(FormProblem::at(
            "kind",
            "choose what the concern is about: a risk of harm, a breach of policy or illegal activity",
        ));
    }
    let text = written(
        "text",
        text,
        TextLimit::Note,
        Some("say what the coordinator needs to know; only what you write here reaches them"),
    )
    .map_err(|problem| problems.push(problem))
    .ok();
    match (kind, text) {
        (Some(kind), Some(text)) if problems.is_empty() => Ok((kind, text)),
        _ => Err(problems),
    }
}

/// What the coordinator did, parsed.
pub fn parse_outcome(text: &str) -> Result<String, FormProblem> {
    written(
        "outcome",
        text,
        TextLimit::Note,
        Some("say what was done about the concern"),
    )
}
