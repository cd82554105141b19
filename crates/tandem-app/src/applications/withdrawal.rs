//! Withdrawing one's own application, with what it ends: a mentor's relationships and the
//! requests waiting for them. The check page and the withdrawal follow one plan
//! ([`withdrawal_in`]).

use super::own_application;
use crate::{App, AppError, audit};
use tandem_core::ApplicationId;
use tandem_core::application::{Application, ApplicationStatus};
use tandem_core::audit::AuditAction;
use tandem_core::authz::Actor;
use tandem_core::hr::ExistingPerson;
use tandem_core::programme::Scheme;
use tandem_store::{ApplicationDecision, Tx};

/// What withdrawing an application does, for its check page: the application, its scheme's
/// name, and the pairs it ends with the other person in each. [`withdraw`] follows the same
/// plan, so the page and the withdrawal cannot disagree.
#[derive(Debug, Clone)]
pub struct Withdrawal {
    /// The application.
    pub application: Application,
    /// Its scheme.
    pub scheme: Scheme,
    /// The pairs the withdrawal ends (relationships and requests waiting for an answer), each
    /// with the other person.
    pub ends: Vec<(tandem_core::pairing::Match, ExistingPerson)>,
}

/// The withdrawal of `id` as the actor would make it now, or why they cannot.
async fn withdrawal_in(
    tx: &mut Tx,
    actor: &Actor,
    id: ApplicationId,
) -> Result<Withdrawal, AppError> {
    let application = own_application(tx, actor, id).await?;
    if let Some(why) = application.status.withdrawal_refusal() {
        return Err(AppError::Conflict(why.to_owned()));
    }
    let matches = tx.matches_of_person(application.person).await?;
    let mut ends = Vec::new();
    for pair in tandem_core::pairing::ended_by_withdrawal(application.id, &matches) {
        let other = if pair.mentor_application == application.id {
            pair.mentee
        } else {
            pair.mentor
        };
        ends.push((pair.clone(), tx.person(other).await?));
    }
    let scheme = tx
        .scheme(application.scheme)
        .await?
        .ok_or_else(|| AppError::NotFound("the scheme is gone".to_owned()))?;
    Ok(Withdrawal {
        application,
        scheme,
        ends,
    })
}

/// What withdrawing the signed-in person's application `id` would do, or why they cannot.
pub async fn withdrawal(
    app: &App,
    actor: &Actor,
    id: ApplicationId,
) -> Result<Withdrawal, AppError> {
    let mut tx = app.store.begin_read().await?;
    let withdrawal = withdrawal_in(&mut tx, actor, id).await?;
    tx.rollback().await?;
    Ok(withdrawal)
}

/// Withdraws the signed-in person's application, ending the pairs [`withdrawal`] names (a
/// mentor's mentees go back on the waiting list and are told). A matched mentee ends the
/// relationship instead; a decided or withdrawn application cannot be withdrawn again.
pub async fn withdraw(app: &App, actor: &Actor, id: ApplicationId) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let withdrawal = withdrawal_in(&mut tx, actor, id).await?;
    let application = withdrawal.application;
    for (pair, _) in &withdrawal.ends {
        crate::relationships::end_for_withdrawal(&mut tx, actor, pair, &withdrawal.scheme, now)
            .await?;
    }
    let application = tx.application(id).await?.unwrap_or(application);
    let label = actor.audit_label();
    tx.decide_application(
        id,
        application.version,
        ApplicationDecision {
            status: ApplicationStatus::Withdrawn,
            decided_by: &label,
            reason: None,
        },
        now,
    )
    .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::ApplicationWithdrawn,
        Some(withdrawal.scheme.organisation),
        "application",
        Some(id.0),
        serde_json::json!({ "role": application.role.as_str(), "pairs_ended": withdrawal.ends.len() }),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}
