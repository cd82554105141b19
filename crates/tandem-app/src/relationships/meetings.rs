//! The pair's meetings (R6.2, R7.1): the mentor arranges the introductory meeting, then either
//! member books sessions ahead or logs those held; each booking or change is emailed to both
//! with its calendar entry attached (R7.4).

use super::{Relationship, link, load, next_state};
use crate::notify::{Notice, Notify as _};
use crate::{App, AppError, audit};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::relationship::{
    Meeting, MeetingForm, MeetingKind, MeetingStatus, PlannedMeeting, Step, first_meeting_refusal,
};
use tandem_core::{MatchId, local_time};
use tandem_store::Tx;
use time::OffsetDateTime;
use uuid::Uuid;

fn when(relationship: &Relationship, at: OffsetDateTime) -> String {
    let local = local_time::to_local(at, &relationship.organisation.time_zone);
    let format = time::macros::format_description!(
        "[weekday] [day padding:none] [month repr:long] [year] at [hour]:[minute]"
    );
    local.format(&format).unwrap_or_default()
}

/// Emails both members about a meeting (its link and calendar entry).
async fn tell_both(
    tx: &mut Tx,
    relationship: &Relationship,
    meeting: &Meeting,
    headline: &str,
    public_url: &str,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let place = meeting
        .place
        .as_deref()
        .map(|it| format!(", {it}"))
        .unwrap_or_default();
    let calendar = format!(
        "{}/meetings/{}/calendar.ics",
        public_url.trim_end_matches('/'),
        meeting.id
    );
    for (person, partner) in [
        (&relationship.mentor, &relationship.mentee),
        (&relationship.mentee, &relationship.mentor),
    ] {
        let (name, content) = super::calendar::calendar_file(
            meeting,
            &relationship.scheme.definition.name,
            &partner.record.full_name(),
        );
        let notice = Notice::of(
            person,
            format!("meeting.{}.{}.{}", meeting.id, meeting.sequence, person.id),
            "meeting.arranged".to_owned(),
            format!(
                "{headline}: your {} in {}",
                meeting.kind.describe(),
                relationship.scheme.definition.name
            ),
            format!(
                "{headline}: {} on {} ({} minutes, {}{place}).\nAdd it to your calendar with the attached file (or from {calendar}).\nYour relationship's page:\n{}",
                meeting.kind.describe(),
                when(relationship, meeting.starts_at),
                meeting.minutes,
                meeting.mode.describe(),
                link(public_url, relationship.pair.id)
            ),
        )
        .with_attachment(tandem_store::MailAttachment {
            name,
            content_type: "text/calendar; charset=UTF-8".to_owned(),
            content,
        });
        tx.notify(notice, now).await?;
    }
    Ok(())
}

fn parsed(
    relationship: &Relationship,
    form: &MeetingForm,
    now: OffsetDateTime,
    held: bool,
) -> Result<PlannedMeeting, AppError> {
    form.parse(
        &relationship.scheme.definition.policy,
        &relationship.organisation.time_zone,
        now,
        held,
    )
    .map_err(AppError::Invalid)
}

/// The mentor arranges (or re-arranges) the introductory meeting (R6.2): face to face unless
/// the scheme allows otherwise, the pair is cross-force, or an adjustment applies.
pub async fn arrange_introduction(
    app: &App,
    actor: &Actor,
    id: MatchId,
    form: &MeetingForm,
    public_url: &str,
) -> Result<Meeting, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = load(&mut tx, actor, id).await?;
    authorize(actor, &Action::ActInPair(relationship.members()))?;
    next_state(&relationship, Step::ArrangeIntroduction)?;
    let planned = parsed(&relationship, form, now, false)?;
    let mut remote_adjustment = false;
    for person in [relationship.pair.mentor, relationship.pair.mentee] {
        remote_adjustment |= tx
            .adjustments_of(person)
            .await?
            .is_some_and(|it| it.allow_remote_meetings());
    }
    if let Some(why) = first_meeting_refusal(
        &relationship.scheme.definition.policy,
        planned.mode,
        relationship.cross_force(),
        remote_adjustment,
    ) {
        return Err(AppError::Invalid(vec![
            tandem_core::application::FormProblem::at("mode", why),
        ]));
    }
    let existing =
        tx.meetings_of(id).await?.into_iter().find(|it| {
            it.kind == MeetingKind::Introductory && it.status != MeetingStatus::Cancelled
        });
    let label = actor.audit_label();
    let meeting = match existing {
        Some(old) => {
            let changed = Meeting {
                status: MeetingStatus::Booked,
                starts_at: planned.starts_at,
                minutes: planned.minutes,
                mode: planned.mode,
                place: planned.place,
                arranged_by: label,
                sequence: old.sequence + 1,
                updated_at: now,
                ..old
            };
            tx.update_meeting(&changed).await?;
            Meeting {
                version: changed.version + 1,
                ..changed
            }
        }
        None => {
            let meeting = new_meeting(
                id,
                MeetingKind::Introductory,
                MeetingStatus::Booked,
                planned,
                label,
                now,
            );
            tx.insert_meeting(&meeting).await?;
            meeting
        }
    };
    audited(
        &mut tx,
        actor,
        &relationship,
        &meeting,
        AuditAction::MeetingArranged,
        now,
    )
    .await?;
    let headline = if meeting.sequence > 0 {
        "Changed"
    } else {
        "Arranged"
    };
    tell_both(&mut tx, &relationship, &meeting, headline, public_url, now).await?;
    tx.commit().await?;
    Ok(meeting)
}

fn new_meeting(
    pair: MatchId,
    kind: MeetingKind,
    status: MeetingStatus,
    planned: PlannedMeeting,
    arranged_by: String,
    now: OffsetDateTime,
) -> Meeting {
    Meeting {
        id: Uuid::now_v7(),
        pair,
        kind,
        status,
        starts_at: planned.starts_at,
        minutes: planned.minutes,
        mode: planned.mode,
        place: planned.place,
        arranged_by,
        sequence: 0,
        created_at: now,
        updated_at: now,
        version: 1,
    }
}

async fn audited(
    tx: &mut Tx,
    actor: &Actor,
    relationship: &Relationship,
    meeting: &Meeting,
    action: AuditAction,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        action,
        Some(relationship.scheme.organisation),
        "meeting",
        Some(meeting.id),
        serde_json::json!({ "match": relationship.pair.id.to_string(), "kind": meeting.kind.as_str() }),
    )])
    .await?;
    Ok(())
}

/// Books a session ahead (R7.1); both are emailed with its calendar entry (R7.4).
pub async fn book_session(
    app: &App,
    actor: &Actor,
    id: MatchId,
    form: &MeetingForm,
    public_url: &str,
) -> Result<Meeting, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = load(&mut tx, actor, id).await?;
    authorize(actor, &Action::ActInPair(relationship.members()))?;
    next_state(&relationship, Step::Meet)?;
    let planned = parsed(&relationship, form, now, false)?;
    let meeting = new_meeting(
        id,
        MeetingKind::Session,
        MeetingStatus::Booked,
        planned,
        actor.audit_label(),
        now,
    );
    tx.insert_meeting(&meeting).await?;
    audited(
        &mut tx,
        actor,
        &relationship,
        &meeting,
        AuditAction::MeetingBooked,
        now,
    )
    .await?;
    tell_both(&mut tx, &relationship, &meeting, "Booked", public_url, now).await?;
    tx.commit().await?;
    Ok(meeting)
}

/// Logs a session that has taken place (R7.1).
pub async fn log_session(
    app: &App,
    actor: &Actor,
    id: MatchId,
    form: &MeetingForm,
) -> Result<Meeting, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = load(&mut tx, actor, id).await?;
    authorize(actor, &Action::ActInPair(relationship.members()))?;
    next_state(&relationship, Step::Meet)?;
    let planned = parsed(&relationship, form, now, true)?;
    let meeting = new_meeting(
        id,
        MeetingKind::Session,
        MeetingStatus::Held,
        planned,
        actor.audit_label(),
        now,
    );
    tx.insert_meeting(&meeting).await?;
    audited(
        &mut tx,
        actor,
        &relationship,
        &meeting,
        AuditAction::MeetingLogged,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(meeting)
}

/// A meeting and its relationship, for one of the pair.
async fn meeting_of(
    tx: &mut Tx,
    actor: &Actor,
    meeting: Uuid,
) -> Result<(Meeting, Relationship), AppError> {
    let found = tx
        .meeting(meeting)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such meeting".to_owned()))?;
    let relationship = load(tx, actor, found.pair).await?;
    Ok((found, relationship))
}

/// Records that a booked session took place.
pub async fn mark_held(app: &App, actor: &Actor, meeting: Uuid) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let (meeting, relationship) = meeting_of(&mut tx, actor, meeting).await?;
    authorize(actor, &Action::ActInPair(relationship.members()))?;
    next_state(&relationship, Step::Meet)?;
    if meeting.status != MeetingStatus::Booked {
        return Err(AppError::Conflict(format!(
            "the {} is already {}",
            meeting.kind.describe(),
            meeting.status.describe()
        )));
    }
    if meeting.starts_at > now {
        return Err(AppError::Conflict(
            "the session is still to come; mark it held once it has taken place".to_owned(),
        ));
    }
    tx.update_meeting(&Meeting {
        status: MeetingStatus::Held,
        updated_at: now,
        ..meeting.clone()
    })
    .await?;
    audited(
        &mut tx,
        actor,
        &relationship,
        &meeting,
        AuditAction::MeetingHeld,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Calls off a booked meeting; both are emailed, and the calendar entry is updated (a higher
/// sequence, the same UID).
pub async fn cancel_meeting(
    app: &App,
    actor: &Actor,
    meeting: Uuid,
    public_url: &str,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let (meeting, relationship) = meeting_of(&mut tx, actor, meeting).await?;
    authorize(actor, &Action::ActInPair(relationship.members()))?;
    next_state(&relationship, Step::Write)?;
    if meeting.status != MeetingStatus::Booked {
        return Err(AppError::Conflict(format!(
            "only a booked {} can be called off",
            meeting.kind.describe()
        )));
    }
    let cancelled = Meeting {
        status: MeetingStatus::Cancelled,
        sequence: meeting.sequence + 1,
        updated_at: now,
        ..meeting
    };
    tx.update_meeting(&cancelled).await?;
    audited(
        &mut tx,
        actor,
        &relationship,
        &cancelled,
        AuditAction::MeetingCancelled,
        now,
    )
    .await?;
    tell_both(
        &mut tx,
        &relationship,
        &cancelled,
        "Called off",
        public_url,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A meeting with its relationship, for one of the pair.
pub async fn meeting_and_relationship(
    app: &App,
    actor: &Actor,
    meeting: Uuid,
) -> Result<(Meeting, Relationship), AppError> {
    let mut tx = app.store.begin_read().await?;
    let found = meeting_of(&mut tx, actor, meeting).await?;
    tx.rollback().await?;
    Ok(found)
}
