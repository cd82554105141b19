//! Reasonable adjustments (R8.5): each person records theirs once, for every scheme they take
//! part in. The partner in a relationship reads them only when the person chooses to share;
//! the first-meeting rule and matching use the remote and no-travel ones without showing them.

use crate::{App, AppError, audit};
use tandem_core::PersonId;
use tandem_core::adjustment::{Adjustments, AdjustmentsForm};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};

fn own_person(actor: &Actor) -> Result<PersonId, AppError> {
    let person = actor.person().ok_or_else(|| {
        AppError::NotFound("only a signed-in person has adjustments of their own".to_owned())
    })?;
    authorize(actor, &Action::OwnSettings { person })?;
    Ok(person)
}

/// The signed-in person's adjustments, if they recorded any.
pub async fn own(app: &App, actor: &Actor) -> Result<Option<Adjustments>, AppError> {
    let person = own_person(actor)?;
    let mut tx = app.store.begin_read().await?;
    let adjustments = tx.adjustments_of(person).await?;
    tx.rollback().await?;
    Ok(adjustments)
}

/// Records the signed-in person's adjustments over the version they read (`None` the first
/// time); a change made meanwhile in another window is refused, not overwritten.
pub async fn save(
    app: &App,
    actor: &Actor,
    form: &AdjustmentsForm,
    read_version: Option<i64>,
) -> Result<Adjustments, AppError> {
    let now = app.clock.now();
    let person = own_person(actor)?;
    let other = form
        .other()
        .map_err(|problem| AppError::Invalid(vec![problem]))?;
    let mut tx = app.store.begin_write().await?;
    let adjustments = Adjustments {
        person,
        remote_meetings: form.remote_meetings,
        no_travel: form.no_travel,
        other,
        shared_with_partner: form.shared_with_partner,
        updated_at: now,
        version: read_version.map_or(1, |it| it + 1),
    };
    tx.save_adjustments(&adjustments, read_version).await?;
    let organisation = tx.person(person).await?.record.organisation;
    let organisation = tx
        .organisation_by_code(&organisation)
        .await?
        .map(|it| it.id);
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::AdjustmentsSaved,
        organisation,
        "person",
        Some(person.0),
        serde_json::json!({ "fields": ["remote_meetings", "no_travel", "other", "shared_with_partner"] }),
    )])
    .await?;
    tx.commit().await?;
    Ok(adjustments)
}
