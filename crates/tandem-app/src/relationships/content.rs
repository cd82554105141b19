//! What the pair keeps in confidence (R7.2, R7.3, R8.1): GROW notes for each meeting, the
//! mentee's goals, agreed actions with an owner and a due date, and progress reviews. Read and
//! written by the two members only; the audit log names what changed, never what was written.

use super::{Relationship, held, load, next_state};
use crate::{App, AppError, audit};
use tandem_core::MatchId;
use tandem_core::application::{FormProblem, TextLimit, written};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::relationship::{
    ActionOwner, AgreedAction, Goal, GoalStatus, GrowNotes, Party, Review, ReviewKind, Step,
};
use tandem_store::Tx;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

async fn audited(
    tx: &mut Tx,
    actor: &Actor,
    relationship: &Relationship,
    action: AuditAction,
    subject: Uuid,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        action,
        Some(relationship.scheme.organisation),
        "relationship_content",
        Some(subject),
        serde_json::json!({ "match": relationship.pair.id.to_string() }),
    )])
    .await?;
    Ok(())
}

/// Opens a relationship for writing content: one of the pair, in a state that allows it.
async fn for_writing(
    tx: &mut Tx,
    actor: &Actor,
    id: MatchId,
    step: Step,
) -> Result<Relationship, AppError> {
    let relationship = load(tx, actor, id).await?;
    authorize(actor, &Action::PairContent(relationship.members()))?;
    next_state(&relationship, step)?;
    Ok(relationship)
}

/// Saves a meeting's GROW notes (R7.2): new ones, or a change to the version the writer saw;
/// if the other member saved in between, the writer is told and nothing is lost.
pub async fn save_notes(
    app: &App,
    actor: &Actor,
    meeting: Uuid,
    notes: &GrowNotes,
    seen_version: Option<i64>,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let found = tx
        .meeting(meeting)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such meeting".to_owned()))?;
    let relationship = for_writing(&mut tx, actor, found.pair, Step::Write).await?;
    let mut problems = Vec::new();
    let mut field = |name: &'static str, raw: &str| match written(name, raw, TextLimit::Note, None)
    {
        Ok(text) => text,
        Err(problem) => {
            problems.push(problem);
            String::new()
        }
    };
    let cleaned = GrowNotes {
        goal: field("goal", &notes.goal),
        reality: field("reality", &notes.reality),
        options: field("options", &notes.options),
        way_ahead: field("way_ahead", &notes.way_ahead),
    };
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    tx.save_meeting_notes(
        found.pair,
        meeting,
        &cleaned,
        seen_version,
        &actor.audit_label(),
        now,
    )
    .await?;
    audited(
        &mut tx,
        actor,
        &relationship,
        AuditAction::RelationshipNotesSaved,
        meeting,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The mentee sets a goal for the relationship (R7.2: the mentee leads).
pub async fn add_goal(app: &App, actor: &Actor, id: MatchId, text: &str) -> Result<Goal, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = for_writing(&mut tx, actor, id, Step::Write).await?;
    if relationship.party != Party::Mentee {
        return Err(AppError::Conflict(
            "the mentee sets the goals; suggest one in your next session".to_owned(),
        ));
    }
    let text = written("goal", text, TextLimit::Note, Some("write the goal"))
        .map_err(|problem| AppError::Invalid(vec![problem]))?;
    let goal = Goal {
        id: Uuid::now_v7(),
        pair: id,
        text,
        status: GoalStatus::Open,
        created_by: actor.audit_label(),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    tx.insert_goal(&goal).await?;
    audited(
        &mut tx,
        actor,
        &relationship,
        AuditAction::RelationshipGoalSet,
        goal.id,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(goal)
}

/// The mentee marks a goal achieved, set aside or open again (`status` as the form sent it,
/// checked once the person is known to be one of the pair).
pub async fn set_goal_status(
    app: &App,
    actor: &Actor,
    id: MatchId,
    goal: Uuid,
    status: &str,
    seen_version: i64,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = for_writing(&mut tx, actor, id, Step::Write).await?;
    let status = GoalStatus::parse(status.trim()).ok_or_else(|| {
        AppError::Invalid(vec![FormProblem::at(
            "status",
            "choose whether the goal is achieved, set aside or open",
        )])
    })?;
    if relationship.party != Party::Mentee {
        return Err(AppError::Conflict(
            "the mentee decides where a goal stands".to_owned(),
        ));
    }
    let held = tx
        .goals_of(id)
        .await?
        .into_iter()
        .find(|it| it.id == goal)
        .ok_or_else(|| AppError::NotFound("there is no such goal".to_owned()))?;
    tx.update_goal(&Goal {
        status,
        updated_at: now,
        version: seen_version,
        ..held
    })
    .await?;
    audited(
        &mut tx,
        actor,
        &relationship,
        AuditAction::RelationshipGoalChanged,
        goal,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// An action as a member typed it.
#[derive(Debug, Clone, Default)]
pub struct ActionForm {
    /// What.
    pub text: String,
    /// `mentor` or `mentee`.
    pub owner: String,
    /// `YYYY-MM-DD`, optional.
    pub due_on: String,
    /// The meeting it was agreed at, if any.
    pub meeting: Option<Uuid>,
}

/// Adds an agreed action with its owner and due date (R7.2).
pub async fn add_action(
    app: &App,
    actor: &Actor,
    id: MatchId,
    form: &ActionForm,
) -> Result<AgreedAction, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = for_writing(&mut tx, actor, id, Step::Write).await?;
    let mut problems = Vec::new();
    let text = written(
        "text",
        &form.text,
        TextLimit::Note,
        Some("say what is to be done"),
    )
    .unwrap_or_else(|problem| {
        problems.push(problem);
        String::new()
    });
    let owner = ActionOwner::parse(form.owner.trim());
    if owner.is_none() {
        problems.push(FormProblem::at(
            "owner",
            "choose whose action it is: the mentor's or the mentee's",
        ));
    }
    let due_on = match form.due_on.trim() {
        "" => None,
        raw => match Date::parse(
            raw,
            time::macros::format_description!("[year]-[month]-[day]"),
        ) {
            Ok(date) => Some(date),
            Err(_) => {
                problems.push(FormProblem::at(
                    "due_on",
                    "enter the due date as year-month-day, e.g. 2027-01-14, or leave it empty",
                ));
                None
            }
        },
    };
    if let Some(meeting) = form.meeting
        && !tx.meetings_of(id).await?.iter().any(|it| it.id == meeting)
    {
        problems.push(FormProblem::at("meeting", "choose one of your meetings"));
    }
    let Some(owner) = owner.filter(|_| problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    let action = AgreedAction {
        id: Uuid::now_v7(),
        pair: id,
        meeting: form.meeting,
        text,
        owner,
        due_on,
        done: false,
        created_by: actor.audit_label(),
        created_at: now,
        updated_at: now,
        version: 1,
    };
    tx.insert_action(&action).await?;
    audited(
        &mut tx,
        actor,
        &relationship,
        AuditAction::RelationshipActionAdded,
        action.id,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(action)
}

/// Marks an action done or not done.
pub async fn set_action_done(
    app: &App,
    actor: &Actor,
    id: MatchId,
    action: Uuid,
    done: bool,
    seen_version: i64,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = for_writing(&mut tx, actor, id, Step::Write).await?;
    let held = tx
        .actions_of(id)
        .await?
        .into_iter()
        .find(|it| it.id == action)
        .ok_or_else(|| AppError::NotFound("there is no such action".to_owned()))?;
    tx.update_action(&AgreedAction {
        done,
        updated_at: now,
        version: seen_version,
        ..held
    })
    .await?;
    audited(
        &mut tx,
        actor,
        &relationship,
        AuditAction::RelationshipActionChanged,
        action,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a progress review (R7.3): what has been achieved and what comes next, at the
/// meetings held so far.
pub async fn record_review(
    app: &App,
    actor: &Actor,
    id: MatchId,
    achieved: &str,
    next_steps: &str,
) -> Result<Review, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = for_writing(&mut tx, actor, id, Step::Review).await?;
    let mut problems = Vec::new();
    let achieved = written(
        "achieved",
        achieved,
        TextLimit::Note,
        Some("say what has been achieved so far"),
    )
    .unwrap_or_else(|problem| {
        problems.push(problem);
        String::new()
    });
    let next_steps = written(
        "next_steps",
        next_steps,
        TextLimit::Note,
        Some("say what comes next"),
    )
    .unwrap_or_else(|problem| {
        problems.push(problem);
        String::new()
    });
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let person = actor
        .person()
        .ok_or_else(|| AppError::NotFound("only one of the pair records a review".to_owned()))?;
    let review = Review {
        id: Uuid::now_v7(),
        pair: id,
        kind: ReviewKind::Progress,
        author: person,
        at_meeting: held(&tx.meetings_of(id).await?),
        achieved,
        next_steps,
        created_at: now,
    };
    tx.insert_review(&review).await?;
    audited(
        &mut tx,
        actor,
        &relationship,
        AuditAction::RelationshipReviewed,
        review.id,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(review)
}
