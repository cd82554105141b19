//! The limits of confidentiality (R8.2): a member raises a concern (a risk of harm, a breach of
//! policy, illegal activity) with the scheme's coordinators. It carries only what the reporter
//! writes; the coordinators read it and record what was done, and every step is audited. The
//! partner is not told, and nobody else (champions, administrators, operators, tokens) reads it.

use super::{link, load};
use crate::matching::scope_of;
use crate::notify::Notify as _;
use crate::{App, AppError, audit};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::domain::SchemeKey;
use tandem_core::eligibility::Role;
use tandem_core::hr::ExistingPerson;
use tandem_core::programme::Scheme;
use tandem_core::relationship::{Concern, ConcernOutcome, parse_concern, parse_outcome};
use tandem_core::{MatchId, OrganisationId};
use tandem_store::Tx;
use uuid::Uuid;

/// A concern as the coordinator reads it.
#[derive(Debug, Clone)]
pub struct ConcernView {
    /// The concern.
    pub concern: Concern,
    /// Its scheme.
    pub scheme: Scheme,
    /// Who raised it.
    pub reporter: ExistingPerson,
    /// In which role.
    pub reporter_role: Role,
    /// The other member of the pair.
    pub partner: ExistingPerson,
}

/// A member raises a concern with the scheme's coordinators, who are emailed that one waits
/// (never what it says: they read it in Tandem).
pub async fn raise_concern(
    app: &App,
    actor: &Actor,
    id: MatchId,
    kind: &str,
    text: &str,
    public_url: &str,
) -> Result<Concern, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let relationship = load(&mut tx, actor, id).await?;
    authorize(actor, &Action::ActInPair(relationship.members()))?;
    let (kind, text) = parse_concern(kind, text).map_err(AppError::Invalid)?;
    let concern = Concern {
        id: Uuid::now_v7(),
        pair: id,
        scheme: relationship.scheme.id,
        raised_by: relationship.me().id,
        kind,
        text,
        raised_at: now,
        outcome: None,
    };
    tx.insert_concern(&concern).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::ConcernRaised,
        Some(relationship.scheme.organisation),
        "concern",
        Some(concern.id),
        serde_json::json!({ "match": id.to_string(), "kind": kind.as_str() }),
    )])
    .await?;
    let scheme = &relationship.scheme.definition.name;
    for coordinator in super::coordinators_of(&mut tx, &relationship.scheme).await? {
        tx.notify(
            crate::notify::Notice::of(&coordinator, format!("concern.raised.{}.{}", concern.id, coordinator.id), "concern.raised".to_owned(), format!("A concern has been raised in {scheme}"), format!(
                "A member of a mentoring relationship in {scheme} has raised a concern about {}. Read it and record what was done:\n{}",
                kind.describe(),
                concern_link(public_url, concern.id)
            ))
            .urgent(),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(concern)
}

/// A concern's page, as a link in an email.
fn concern_link(public_url: &str, id: Uuid) -> String {
    format!("{}/concerns/{id}", public_url.trim_end_matches('/'))
}

async fn view(tx: &mut Tx, actor: &Actor, concern: Concern) -> Result<ConcernView, AppError> {
    let scheme = tx
        .scheme(concern.scheme)
        .await?
        .ok_or_else(|| AppError::NotFound("the scheme is gone".to_owned()))?;
    let pair = tx
        .match_by_id(concern.pair)
        .await?
        .ok_or_else(|| AppError::NotFound("the relationship is gone".to_owned()))?;
    let mentee = tx.person(pair.mentee).await?;
    authorize(actor, &Action::HandleConcerns(scope_of(&scheme, &mentee)))?;
    let mentor = tx.person(pair.mentor).await?;
    let (reporter, reporter_role, partner) = if concern.raised_by == pair.mentor {
        (mentor, Role::Mentor, mentee)
    } else {
        (mentee, Role::Mentee, mentor)
    };
    Ok(ConcernView {
        concern,
        scheme,
        reporter,
        reporter_role,
        partner,
    })
}

/// A concern, for the scheme's coordinators; the read is audited.
pub async fn concern(app: &App, actor: &Actor, id: Uuid) -> Result<ConcernView, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let concern = tx
        .concern(id)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such concern".to_owned()))?;
    let view = view(&mut tx, actor, concern).await?;
    tx.rollback().await?;
    audit::record_read(
        app,
        [audit::entry(
            actor,
            now,
            AuditAction::ConcernRead,
            Some(view.scheme.organisation),
            "concern",
            Some(id),
            serde_json::json!({}),
        )],
    )
    .await?;
    Ok(view)
}

/// A scheme's concerns, newest first, for its coordinators; the read is audited.
pub async fn of_scheme(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
) -> Result<(Scheme, Vec<ConcernView>), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let scheme = tx
        .scheme_by_key(organisation, key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no scheme called {key}")))?;
    authorize(
        actor,
        &Action::HandleConcerns(tandem_core::authz::ApplicationScope {
            organisation: scheme.organisation,
            scheme: scheme.id,
            division: None,
        }),
    )?;
    let mut views = Vec::new();
    for concern in tx.concerns_of_scheme(scheme.id).await? {
        views.push(view(&mut tx, actor, concern).await?);
    }
    tx.rollback().await?;
    audit::record_read(
        app,
        [audit::entry(
            actor,
            now,
            AuditAction::ConcernListRead,
            Some(scheme.organisation),
            "scheme",
            Some(scheme.id.0),
            serde_json::json!({ "concerns": views.len() }),
        )],
    )
    .await?;
    Ok((scheme, views))
}

/// The coordinator records what was done; the reporter is told that it was (not what).
pub async fn record_outcome(
    app: &App,
    actor: &Actor,
    id: Uuid,
    text: &str,
    public_url: &str,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let concern = tx
        .concern(id)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such concern".to_owned()))?;
    let view = view(&mut tx, actor, concern).await?;
    if view.concern.outcome.is_some() {
        return Err(AppError::Conflict(
            "what was done about this concern is already recorded".to_owned(),
        ));
    }
    let text = parse_outcome(text).map_err(|problem| AppError::Invalid(vec![problem]))?;
    tx.record_concern_outcome(
        id,
        &ConcernOutcome {
            text,
            recorded_by: actor.audit_label(),
            recorded_at: now,
        },
    )
    .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::ConcernOutcomeRecorded,
        Some(view.scheme.organisation),
        "concern",
        Some(id),
        serde_json::json!({}),
    )])
    .await?;
    tx.notify(
        crate::notify::Notice::of(&view.reporter, format!("concern.answered.{id}.{}", view.reporter.id), "concern.answered".to_owned(), "The coordinator has dealt with your concern".to_owned(), format!(
            "The coordinator of {} has recorded what was done about the concern you raised. If you are still worried, contact them directly. Your relationship's page:\n{}",
            view.scheme.definition.name,
            link(public_url, view.concern.pair)
        )),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
