//! Ending a relationship early (R6.3): by either member or the mentee's coordinator, with a
//! reason, or as a consequence of the mentor withdrawing their application. The check page and
//! the ending itself follow one rule ([`ending_in`]).

use super::{back_on_the_list, members};
use crate::matching::{MatchView, views};
use crate::notify::Notify as _;
use crate::{App, AppError, audit};
use std::collections::HashMap;
use tandem_core::MatchId;
use tandem_core::application::{TextLimit, written};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::pairing::{Match, MatchStatus};
use tandem_core::programme::Scheme;
use tandem_core::relationship::{self, Party, Step};
use tandem_store::Tx;
use time::OffsetDateTime;

/// A relationship the actor may end now, for the check page: who is in it and who is ending it.
#[derive(Debug, Clone)]
pub struct Ending {
    /// The pair and the two people.
    pub view: MatchView,
    /// The scheme.
    pub scheme: Scheme,
    /// Who ends it: a member, or staff.
    pub party: Party,
    /// The state it moves to.
    status: MatchStatus,
}

/// Whether `actor` may end `id` now, and how: the one rule the check page and [`withdraw`]
/// follow.
async fn ending_in(tx: &mut Tx, actor: &Actor, id: MatchId) -> Result<Ending, AppError> {
    let missing = || AppError::NotFound("there is no such relationship".to_owned());
    let pair = tx.match_by_id(id).await?.ok_or_else(missing)?;
    let scheme = tx
        .scheme(pair.scheme)
        .await?
        .ok_or_else(|| AppError::NotFound("the scheme is gone".to_owned()))?;
    let party = if actor.person() == Some(pair.mentor) {
        Party::Mentor
    } else if actor.person() == Some(pair.mentee) {
        Party::Mentee
    } else {
        let mentee = tx.person(pair.mentee).await?;
        authorize(
            actor,
            &Action::ManageRelationships(crate::matching::scope_of(&scheme, &mentee)),
        )?;
        Party::Staff
    };
    if party.is_member() {
        authorize(actor, &Action::ActInPair(members(&pair)))?;
    }
    let status = relationship::step(pair.status, Step::Withdraw, party).map_err(|refused| {
        AppError::Conflict(match pair.status {
            MatchStatus::Proposed => "only a confirmed pair can be ended".to_owned(),
            _ => refused.reason.to_owned(),
        })
    })?;
    let view = views(tx, vec![pair], &mut HashMap::new())
        .await?
        .pop()
        .ok_or_else(missing)?;
    Ok(Ending {
        view,
        scheme,
        party,
        status,
    })
}

/// Whether the actor may end relationship `id` now, with the two people, for the check page.
pub async fn ending(app: &App, actor: &Actor, id: MatchId) -> Result<Ending, AppError> {
    let mut tx = app.store.begin_read().await?;
    let ending = ending_in(&mut tx, actor, id).await?;
    tx.rollback().await?;
    // Staff read who is in the pair, as the relationship's staff page does.
    if !ending.party.is_member() {
        audit::record_read(
            app,
            [audit::entry(
                actor,
                app.clock.now(),
                AuditAction::RelationshipViewed,
                Some(ending.scheme.organisation),
                "match",
                Some(id.0),
                serde_json::json!({}),
            )],
        )
        .await?;
    }
    Ok(ending)
}

/// Ends a relationship early (either member or the mentee's coordinator), with a reason. With
/// `rematch`, the mentee goes back on the waiting list, keeping the ended pair in their history,
/// and bulk matching will not propose the same mentor again (R5.6).
pub async fn withdraw(
    app: &App,
    actor: &Actor,
    id: MatchId,
    reason: &str,
    rematch: bool,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let ending = ending_in(&mut tx, actor, id).await?;
    let reason = written(
        "reason",
        reason,
        TextLimit::Reason,
        Some("say briefly why the relationship is ending (up to 500 characters)"),
    )
    .map_err(|problem| AppError::Invalid(vec![problem]))?;
    let pair = &ending.view.pair;
    back_on_the_list(&mut tx, actor, pair, rematch, now).await?;
    tx.update_match(&Match {
        status: ending.status,
        decided_by: Some(actor.audit_label()),
        decided_at: Some(now),
        reason: Some(reason),
        ..pair.clone()
    })
    .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::MatchEnded,
        Some(ending.scheme.organisation),
        "match",
        Some(id.0),
        serde_json::json!({ "rematch": rematch }),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Ends `pair` because the actor, one of its members, withdrew their application to `scheme`:
/// a relationship ends with the mentee back on the waiting list, a request waiting for an
/// answer is declined (by its mentor) or withdrawn (by its mentee); the other person is told.
pub(crate) async fn end_for_withdrawal(
    tx: &mut Tx,
    actor: &Actor,
    pair: &Match,
    scheme: &Scheme,
    now: OffsetDateTime,
) -> Result<(), AppError> {
    let party = if actor.person() == Some(pair.mentor) {
        Party::Mentor
    } else {
        Party::Mentee
    };
    let requested = pair.status == MatchStatus::Requested;
    let move_ = if requested && party == Party::Mentor {
        Step::Decline
    } else {
        Step::Withdraw
    };
    let status = relationship::step(pair.status, move_, party)
        .map_err(|refused| AppError::Conflict(refused.reason.to_owned()))?;
    if !requested {
        back_on_the_list(tx, actor, pair, true, now).await?;
    }
    tx.update_match(&Match {
        status,
        decided_by: Some(actor.audit_label()),
        decided_at: Some(now),
        ..pair.clone()
    })
    .await?;
    let (leaving, other) = if party == Party::Mentor {
        (pair.mentor, pair.mentee)
    } else {
        (pair.mentee, pair.mentor)
    };
    let leaving = tx.person(leaving).await?;
    let name = &scheme.definition.name;
    let other = tx.person(other).await?;
    let body = match (party, requested) {
        (Party::Mentor, false) => format!(
            "{} has withdrawn from {name}, so your relationship has ended. You are back on the waiting list for another mentor.",
            leaving.record.full_name()
        ),
        (Party::Mentor, true) => format!(
            "{} has withdrawn from {name}, so they cannot answer your request. Choose another mentor from the directory.",
            leaving.record.full_name()
        ),
        _ => format!(
            "{} has withdrawn from {name}, and with it their request to you.",
            leaving.record.full_name()
        ),
    };
    tx.notify(
        crate::notify::Notice::of(
            &other,
            format!("match.ended.{}.{}", pair.id, other.id),
            "match.ended".to_owned(),
            format!("{} has withdrawn from {name}", leaving.record.full_name()),
            body,
        ),
        now,
    )
    .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::MatchEnded,
        Some(scheme.organisation),
        "match",
        Some(pair.id.0),
        serde_json::json!({ "rematch": !requested, "application_withdrawn": true }),
    )])
    .await?;
    Ok(())
}
