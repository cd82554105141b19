//! Closing a relationship (R6.6): either member starts it; each writes the end-of-mentoring
//! review (what was achieved, how it will be sustained) and answers the scheme's confidential
//! evaluation; when both have done both, the relationship closes and the coordinators are told
//! that it ended, never what was said.

use super::{Announced, Relationship, held, link, load, moved, next_state};
use crate::notify::Notify as _;
use crate::{App, AppError, audit};
use tandem_core::MatchId;
use tandem_core::application::{TextLimit, written};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::pairing::{Lifecycle, Match};
use tandem_core::relationship::{
    Answers, Review, ReviewKind, Step, closing_complete, parse_answers,
};
use tandem_store::Tx;
use time::OffsetDateTime;
use uuid::Uuid;

/// Either member starts closing an active (or paused) relationship.
pub async fn start_closing(
    app: &App,
    actor: &Actor,
    id: MatchId,
    public_url: &str,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = load(&mut tx, actor, id).await?;
    authorize(actor, &Action::ActInPair(relationship.members()))?;
    let status = next_state(&relationship, Step::StartClosing)?;
    let pair = &relationship.pair;
    let me = relationship.me().record.full_name();
    moved(
        &mut tx,
        actor,
        &relationship,
        Match {
            status,
            life: Lifecycle {
                closing_started_at: Some(now),
                hold: None,
                ..pair.life.clone()
            },
            ..pair.clone()
        },
        Announced {
            action: AuditAction::RelationshipClosingStarted,
            partner_hears: Some((
                "Closing your mentoring relationship".to_owned(),
                format!(
                    "{me} has started closing your relationship. Please write your end-of-mentoring review and answer the short, confidential evaluation on its page."
                ),
            )),
        },
        public_url,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Who has written their closing review.
fn reviewed(reviews: &[Review]) -> Vec<tandem_core::PersonId> {
    reviews
        .iter()
        .filter(|it| it.kind == ReviewKind::Closing)
        .map(|it| it.author)
        .collect()
}

/// A member writes their end-of-mentoring review, once.
pub async fn write_closing_review(
    app: &App,
    actor: &Actor,
    id: MatchId,
    achieved: &str,
    sustained: &str,
    public_url: &str,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = load(&mut tx, actor, id).await?;
    authorize(actor, &Action::PairContent(relationship.members()))?;
    next_state(&relationship, Step::WriteClosing)?;
    let me = relationship.me().id;
    if reviewed(&tx.reviews_of(id).await?).contains(&me) {
        return Err(AppError::Conflict(
            "you have already written your end-of-mentoring review".to_owned(),
        ));
    }
    let mut problems = Vec::new();
    let mut text = |field, raw, needed| {
        written(field, raw, TextLimit::Note, Some(needed)).unwrap_or_else(|problem| {
            problems.push(problem);
            String::new()
        })
    };
    let achieved = text("achieved", achieved, "say what the mentoring achieved");
    let sustained = text("sustained", sustained, "say how you will keep it going");
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let review = Review {
        id: Uuid::now_v7(),
        pair: id,
        kind: ReviewKind::Closing,
        author: me,
        at_meeting: held(&tx.meetings_of(id).await?),
        achieved,
        next_steps: sustained,
        created_at: now,
    };
    tx.insert_review(&review).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::RelationshipClosingReviewed,
        Some(relationship.scheme.organisation),
        "relationship_content",
        Some(review.id),
        serde_json::json!({ "match": id.to_string() }),
    )])
    .await?;
    close_if_done(&mut tx, actor, &relationship, public_url, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A member answers the scheme's confidential evaluation, once; `raw` gives each answer field's
/// value (`relationship::ANSWER_FIELDS`, by the question's position).
pub async fn answer_evaluation(
    app: &App,
    actor: &Actor,
    id: MatchId,
    raw: impl Fn(&str) -> String,
    public_url: &str,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = load(&mut tx, actor, id).await?;
    authorize(actor, &Action::PairContent(relationship.members()))?;
    next_state(&relationship, Step::WriteClosing)?;
    let me = relationship.me().id;
    if tx.evaluated_by(id).await?.contains(&me) {
        return Err(AppError::Conflict(
            "you have already answered the evaluation; thank you".to_owned(),
        ));
    }
    let answers: Answers = parse_answers(&relationship.scheme.definition.policy.evaluation, raw)
        .map_err(AppError::Invalid)?;
    let json = serde_json::to_string(&answers)
        .map_err(|err| AppError::Conflict(format!("the answers could not be kept: {err}")))?;
    let reference = crate::evaluation::new_reference()?;
    tx.insert_evaluation(id, me, &json, &reference, now).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::RelationshipEvaluated,
        Some(relationship.scheme.organisation),
        "match",
        Some(id.0),
        serde_json::json!({}),
    )])
    .await?;
    close_if_done(&mut tx, actor, &relationship, public_url, now).await?;
    tx.commit().await?;
    Ok(())
}

/// A member's own evaluation answers, once given: for their eyes only.
pub async fn own_evaluation(
    app: &App,
    actor: &Actor,
    id: MatchId,
) -> Result<Option<Answers>, AppError> {
    let mut tx = app.store.begin_read().await?;
    let relationship = load(&mut tx, actor, id).await?;
    authorize(actor, &Action::PairContent(relationship.members()))?;
    let found = tx.own_evaluation(id, relationship.me().id).await?;
    tx.rollback().await?;
    found
        .map(|json| {
            serde_json::from_str(&json).map_err(|err| {
                AppError::Store(tandem_store::StoreError::Corrupt(format!(
                    "evaluation_answers.answers: {err}"
                )))
            })
        })
        .transpose()
}

/// Closes the relationship once both have reviewed and evaluated, and tells the coordinators.
async fn close_if_done(
    tx: &mut Tx,
    actor: &Actor,
    relationship: &Relationship,
    public_url: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let id = relationship.pair.id;
    let pair = &relationship.pair;
    if !closing_complete(
        pair.mentor,
        pair.mentee,
        &reviewed(&tx.reviews_of(id).await?),
        &tx.evaluated_by(id).await?,
    ) {
        return Ok(());
    }
    let status = next_state(relationship, Step::FinishClosing)?;
    let current = tx
        .match_by_id(id)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such relationship".to_owned()))?;
    tx.update_match(&Match {
        status,
        life: Lifecycle {
            closed_at: Some(now),
            ..current.life.clone()
        },
        ..current.clone()
    })
    .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::RelationshipClosed,
        Some(relationship.scheme.organisation),
        "match",
        Some(id.0),
        serde_json::json!({}),
    )])
    .await?;
    for person in [&relationship.mentor, &relationship.mentee] {
        tx.notify(
            crate::notify::Notice::of(person, format!("relationship.closed.{id}.{}", person.id), "relationship.closed".to_owned(), format!("Your mentoring relationship in {} has closed", relationship.scheme.definition.name), format!(
                "Thank you both: your reviews and evaluations are in and the relationship is closed. You can still read it on its page:\n{}",
                link(public_url, id)
            )),
            now,
        )
        .await?;
    }
    let scheme = &relationship.scheme;
    for coordinator in super::coordinators_of(tx, scheme).await? {
        let person = coordinator.id;
        tx.notify(
            crate::notify::Notice::of(&coordinator, format!("relationship.closed.{id}.coordinator.{person}"), "relationship.closed".to_owned(), format!("A mentoring relationship in {} has closed", scheme.definition.name), format!(
                "The relationship of {} (mentor) and {} (mentee) has closed after both wrote their review and answered the evaluation. What they wrote stays between them; the evaluation counts in the scheme's reports.",
                relationship.mentor.record.full_name(),
                relationship.mentee.record.full_name()
            )),
            now,
        )
        .await?;
    }
    Ok(())
}
