//! Extensions (R6.4): one member proposes a later end date, the other agrees or declines, and
//! only an agreed extension moves the end date. One proposal waits at a time; its proposer may
//! take it back.

use super::{Relationship, link, load, next_state};
use crate::notify::Notify as _;
use crate::{App, AppError, audit};
use tandem_core::MatchId;
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::pairing::{Lifecycle, Match};
use tandem_core::relationship::{Extension, ExtensionStatus, Step, proposed_end};
use tandem_core::{local_time, relationship};
use tandem_store::Tx;
use time::OffsetDateTime;
use uuid::Uuid;

/// The member's answer to a proposed extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionAnswer {
    /// The other member agrees: the end date moves.
    Agree,
    /// The other member declines.
    Decline,
    /// The proposer takes it back.
    TakeBack,
}

fn extend_step(relationship: &Relationship) -> Step {
    Step::Extend {
        allowed: relationship.scheme.definition.policy.extension_allowed,
    }
}

async fn audited(
    tx: &mut Tx,
    actor: &Actor,
    relationship: &Relationship,
    action: AuditAction,
    extension: Uuid,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        action,
        Some(relationship.scheme.organisation),
        "match",
        Some(relationship.pair.id.0),
        serde_json::json!({ "extension": extension.to_string() }),
    )])
    .await?;
    Ok(())
}

/// A member proposes a new end date (R6.4); the partner is asked to agree.
pub async fn propose_extension(
    app: &App,
    actor: &Actor,
    id: MatchId,
    ends_on: &str,
    public_url: &str,
) -> Result<Extension, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = load(&mut tx, actor, id).await?;
    authorize(actor, &Action::ActInPair(relationship.members()))?;
    next_state(&relationship, extend_step(&relationship))?;
    if let Some(waiting) = tx
        .extensions_of(id)
        .await?
        .into_iter()
        .find(|it| it.status == ExtensionStatus::Proposed)
    {
        return Err(AppError::Conflict(format!(
            "an extension to {} is already waiting for an answer; answer it or take it back first",
            waiting.ends_on
        )));
    }
    let today = local_time::to_local(now, &relationship.organisation.time_zone).date();
    let policy = &relationship.scheme.definition.policy;
    let previous = relationship.pair.life.ends_on;
    let ends_on = proposed_end(policy, previous, today, ends_on)
        .map_err(|problem| AppError::Invalid(vec![problem]))?;
    let extension = Extension {
        id: Uuid::now_v7(),
        pair: id,
        proposed_by: relationship.me().id,
        proposed_at: now,
        previous_ends_on: previous.unwrap_or(ends_on),
        ends_on,
        status: ExtensionStatus::Proposed,
        answered_at: None,
    };
    tx.insert_extension(&extension).await?;
    audited(
        &mut tx,
        actor,
        &relationship,
        AuditAction::RelationshipExtensionProposed,
        extension.id,
        now,
    )
    .await?;
    let me = relationship.me().record.full_name();
    let partner = relationship.partner();
    tx.notify(
        crate::notify::Notice::of(partner, format!("extension.proposed.{}.{}", extension.id, partner.id), "extension.proposed".to_owned(), format!("{me} proposes to extend your mentoring relationship"), format!(
            "{me} would like your relationship in {} to go on until {ends_on} instead of {}. Agree or decline on its page:\n{}",
            relationship.scheme.definition.name,
            extension.previous_ends_on,
            link(public_url, id)
        )),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(extension)
}

/// The partner agrees or declines a proposed extension, or its proposer takes it back. An
/// agreed extension becomes the relationship's end date, recorded with who agreed and when.
pub async fn answer_extension(
    app: &App,
    actor: &Actor,
    id: MatchId,
    extension: Uuid,
    answer: ExtensionAnswer,
    public_url: &str,
) -> Result<ExtensionStatus, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = load(&mut tx, actor, id).await?;
    authorize(actor, &Action::ActInPair(relationship.members()))?;
    let proposal = tx
        .extensions_of(id)
        .await?
        .into_iter()
        .find(|it| it.id == extension)
        .ok_or_else(|| AppError::NotFound("there is no such extension".to_owned()))?;
    if proposal.status != ExtensionStatus::Proposed {
        return Err(AppError::Conflict(format!(
            "this extension has already been {}",
            proposal.status.describe()
        )));
    }
    let mine = proposal.proposed_by == relationship.me().id;
    let status = match (answer, mine) {
        (ExtensionAnswer::TakeBack, true) => ExtensionStatus::Withdrawn,
        (ExtensionAnswer::TakeBack, false) => {
            return Err(AppError::Conflict(
                "only the member who proposed the extension takes it back; agree or decline it"
                    .to_owned(),
            ));
        }
        (_, true) => {
            return Err(AppError::Conflict(
                "your partner agrees or declines the extension you proposed; you can take it back"
                    .to_owned(),
            ));
        }
        (ExtensionAnswer::Agree, false) => ExtensionStatus::Agreed,
        (ExtensionAnswer::Decline, false) => ExtensionStatus::Declined,
    };
    // Every check before any write: the relationship must still be extendable to agree.
    let state = if status == ExtensionStatus::Agreed {
        next_state(&relationship, extend_step(&relationship))?
    } else {
        relationship.pair.status
    };
    tx.answer_extension(extension, status, now).await?;
    let me = relationship.me().record.full_name();
    let scheme = &relationship.scheme.definition.name;
    match status {
        ExtensionStatus::Agreed => {
            let pair = &relationship.pair;
            tx.update_match(&Match {
                status: state,
                life: Lifecycle {
                    ends_on: Some(proposal.ends_on),
                    ..pair.life.clone()
                },
                ..pair.clone()
            })
            .await?;
            audited(
                &mut tx,
                actor,
                &relationship,
                AuditAction::RelationshipExtensionAgreed,
                extension,
                now,
            )
            .await?;
            for person in [&relationship.mentor, &relationship.mentee] {
                tx.notify(
                    crate::notify::Notice::of(person, format!("extension.agreed.{extension}.{}", person.id), "extension.agreed".to_owned(), format!("Your mentoring relationship is extended to {}", proposal.ends_on), format!(
                        "You both agreed: your relationship in {scheme} now ends on {} (it was {}). Keep booking your sessions on its page:\n{}",
                        proposal.ends_on,
                        proposal.previous_ends_on,
                        link(public_url, id)
                    )),
                    now,
                )
                .await?;
            }
        }
        ExtensionStatus::Declined => {
            audited(
                &mut tx,
                actor,
                &relationship,
                AuditAction::RelationshipExtensionDeclined,
                extension,
                now,
            )
            .await?;
            let partner = relationship.partner();
            tx.notify(
                crate::notify::Notice::of(partner, format!("extension.declined.{extension}.{}", partner.id), "extension.declined".to_owned(), format!("{me} did not agree to extend your mentoring relationship"), format!(
                    "Your relationship in {scheme} still ends on {}. Plan your last sessions and your end-of-mentoring review on its page:\n{}",
                    proposal.previous_ends_on,
                    link(public_url, id)
                )),
                now,
            )
            .await?;
        }
        ExtensionStatus::Withdrawn | ExtensionStatus::Proposed => {
            audited(
                &mut tx,
                actor,
                &relationship,
                AuditAction::RelationshipExtensionWithdrawn,
                extension,
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(status)
}

/// Whether the relationship's end date may still be extended, for the page to offer it.
pub fn may_extend(relationship: &Relationship) -> bool {
    relationship.pair.life.ends_on.is_some()
        && relationship::step(
            relationship.pair.status,
            extend_step(relationship),
            relationship.party,
        )
        .is_ok()
}
