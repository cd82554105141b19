//! Pulse check-ins (R11.1): a member answers the round open now; the coordinators see each
//! round's scores and the "at risk" reasons, and a comment only when its author shared it.

use super::{Relationship, load};
use crate::{App, AppError, audit};
use std::collections::BTreeMap;
use tandem_core::MatchId;
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::pairing::MatchStatus;
use tandem_core::pulse::{self, Pulse, Risk, Score};
use tandem_core::relationship::Party;
use tandem_core::reminder::CarePolicy;
use time::Date;
use uuid::Uuid;

/// The check-in a member may answer now, and whether they have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCheckIn {
    /// The round (from 1).
    pub round: u32,
    /// The day it opened.
    pub opened_on: Date,
    /// The member's answer, once given.
    pub answered: Option<Pulse>,
}

/// The round open on `today` for an active relationship, if any.
pub(crate) fn open_round(relationship: &Relationship, today: Date) -> Option<u32> {
    let started = relationship.pair.life.started_on?;
    (relationship.pair.status == MatchStatus::Active)
        .then(|| pulse::open_round(care(relationship), started, today))
        .flatten()
}

fn care(relationship: &Relationship) -> &CarePolicy {
    &relationship.scheme.definition.policy.care
}

/// The check-in open for the member now, with their answer if they gave one.
pub(crate) fn open_check_in(
    relationship: &Relationship,
    own: &[Pulse],
    today: Date,
) -> Option<OpenCheckIn> {
    let round = open_round(relationship, today)?;
    let started = relationship.pair.life.started_on?;
    Some(OpenCheckIn {
        round,
        opened_on: pulse::round_opens(care(relationship), started, round),
        answered: own.iter().find(|it| it.round == round).cloned(),
    })
}

/// A member answers the check-in open now (`round` is the one their form showed: an answer to
/// a round that closed meanwhile is refused, so a score never lands in the wrong round).
pub async fn answer_pulse(
    app: &App,
    actor: &Actor,
    id: MatchId,
    round: &str,
    score: &str,
    comment: &str,
    share: &str,
) -> Result<Pulse, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = load(&mut tx, actor, id).await?;
    authorize(actor, &Action::ActInPair(relationship.members()))?;
    let today = tandem_core::local_time::to_local(now, &relationship.organisation.time_zone).date();
    let Some(open) = open_round(&relationship, today) else {
        return Err(AppError::Conflict(
            "there is no check-in open for this relationship now; you will be asked when the next one opens".to_owned(),
        ));
    };
    if round.trim().parse::<u32>().ok() != Some(open) {
        return Err(AppError::Conflict(
            "that check-in has closed; answer the one open now on the relationship's page"
                .to_owned(),
        ));
    }
    let answer = pulse::parse_answer(score, comment, share).map_err(AppError::Invalid)?;
    let me = relationship.me().id;
    if tx
        .own_pulses(id, me)
        .await?
        .iter()
        .any(|it| it.round == open)
    {
        return Err(AppError::Conflict(
            "you have answered this check-in already; the next one opens later".to_owned(),
        ));
    }
    let pulse = Pulse {
        id: Uuid::now_v7(),
        pair: id,
        person: me,
        round: open,
        score: answer.score,
        comment: answer.comment,
        shared: answer.shared,
        answered_at: now,
    };
    tx.insert_pulse(&pulse).await?;
    // The audit names the round, never the score or the comment.
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::RelationshipPulseAnswered,
        Some(relationship.scheme.organisation),
        "match",
        Some(id.0),
        serde_json::json!({ "round": open, "shared": pulse.shared }),
    )])
    .await?;
    tx.commit().await?;
    Ok(pulse)
}

/// One round of a relationship's check-ins as the coordinators see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrendRound {
    /// The round.
    pub round: u32,
    /// The day it opened.
    pub opened_on: Date,
    /// The mentor's score, if they answered.
    pub mentor: Option<Score>,
    /// The mentee's score, if they answered.
    pub mentee: Option<Score>,
}

/// A comment its author chose to share with the coordinators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedComment {
    /// The round it answered.
    pub round: u32,
    /// Whose it is.
    pub by: Party,
    /// What they wrote.
    pub text: String,
}

/// A relationship's check-ins for its coordinators: the score trend, the reasons it is at risk
/// and the shared comments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PulseTrend {
    /// Every round opened so far, oldest first.
    pub rounds: Vec<TrendRound>,
    /// Why the check-ins put it at risk (empty when they do not).
    pub risks: Vec<Risk>,
    /// Comments shared with the coordinators.
    pub shared: Vec<SharedComment>,
}

/// Works out the trend of one relationship from the answers staff may read (comments blanked
/// unless shared).
pub(crate) fn trend(
    care: &CarePolicy,
    pair: &tandem_core::pairing::Match,
    answers: &[Pulse],
    today: Date,
) -> PulseTrend {
    let Some(started) = pair.life.started_on else {
        return PulseTrend::default();
    };
    // After the relationship left "active" its rounds stop where they were.
    let open = pulse::open_round(care, started, today);
    let last_round = answers
        .iter()
        .map(|it| it.round)
        .max()
        .max(open)
        .unwrap_or(0);
    let scores = |person| -> BTreeMap<u32, Score> {
        answers
            .iter()
            .filter(|it| it.person == person)
            .map(|it| (it.round, it.score))
            .collect()
    };
    let mentor = scores(pair.mentor);
    let mentee = scores(pair.mentee);
    let risk_round = (pair.status == MatchStatus::Active)
        .then_some(open)
        .flatten();
    PulseTrend {
        rounds: (1..=last_round)
            .map(|round| TrendRound {
                round,
                opened_on: pulse::round_opens(care, started, round),
                mentor: mentor.get(&round).copied(),
                mentee: mentee.get(&round).copied(),
            })
            .collect(),
        risks: if pair.status == MatchStatus::Active {
            pulse::relationship_risks(care, &mentor, &mentee, risk_round)
        } else {
            Vec::new()
        },
        shared: answers
            .iter()
            .filter(|it| it.shared && !it.comment.is_empty())
            .filter_map(|it| {
                Some(SharedComment {
                    round: it.round,
                    by: Party::of(pair, it.person)?,
                    text: it.comment.clone(),
                })
            })
            .collect(),
    }
}
