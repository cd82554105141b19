//! API tokens: issued by administrators for integrations, shown once, stored only as a hash.

use crate::{App, AppError, audit};
use sha2::{Digest, Sha256};
use tandem_core::OrganisationId;
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_store::ApiToken;
use uuid::Uuid;

/// The prefix of every token secret, so a leaked one is easy to recognise and search for.
pub const PREFIX: &str = "tandem_";

fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// Why `name` cannot name a token, if it cannot (for a form that shows every problem at once).
pub fn name_problem(name: &str) -> Option<&'static str> {
    let name = name.trim();
    (name.is_empty() || name.chars().count() > 100)
        .then_some("give the token a name of at most 100 characters, saying what uses it")
}

/// Issues a token limited to `organisation` (`None`: installation-wide) and returns it with its
/// secret, which is never shown again.
pub async fn issue(
    app: &App,
    actor: &Actor,
    organisation: Option<OrganisationId>,
    name: &str,
    write: bool,
) -> Result<(ApiToken, String), AppError> {
    authorize(actor, &Action::ManageApiTokens(organisation))?;
    if let Some(problem) = name_problem(name) {
        return Err(AppError::Conflict(problem.to_owned()));
    }
    let name = name.trim();
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|err| AppError::Conflict(format!("no randomness available: {err}")))?;
    let secret = format!(
        "{PREFIX}{}",
        bytes
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect::<String>()
    );
    let now = app.clock.now();
    let token = ApiToken {
        id: Uuid::now_v7(),
        name: name.to_owned(),
        organisation,
        write,
        created_by: actor.audit_label(),
        created_at: now,
        last_used_at: None,
        revoked_at: None,
    };
    let mut tx = app.store.begin_write().await?;
    tx.insert_token(&token, &hash(&secret)).await?;
    let detail = serde_json::json!({ "name": token.name, "write": write });
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::ApiTokenIssued,
        organisation,
        "api_token",
        Some(token.id),
        detail,
    )])
    .await?;
    tx.commit().await?;
    Ok((token, secret))
}

/// The tokens of an organisation (`None`: installation-wide ones).
pub async fn list(
    app: &App,
    actor: &Actor,
    organisation: Option<OrganisationId>,
) -> Result<Vec<ApiToken>, AppError> {
    authorize(actor, &Action::ManageApiTokens(organisation))?;
    Ok(app
        .store
        .begin_read()
        .await?
        .tokens_of(organisation)
        .await?)
}

/// Revokes a token of the organisation; it opens nothing from then on.
pub async fn revoke(
    app: &App,
    actor: &Actor,
    organisation: Option<OrganisationId>,
    id: Uuid,
) -> Result<(), AppError> {
    authorize(actor, &Action::ManageApiTokens(organisation))?;
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    if !tx
        .tokens_of(organisation)
        .await?
        .iter()
        .any(|token| token.id == id)
    {
        return Err(AppError::NotFound("there is no such token".to_owned()));
    }
    if !tx.revoke_token(id, now).await? {
        return Err(AppError::Conflict(
            "this token was already revoked".to_owned(),
        ));
    }
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::ApiTokenRevoked,
        organisation,
        "api_token",
        Some(id),
        serde_json::json!({}),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The actor a bearer secret stands for, if it is a current token.
pub async fn actor_for(app: &App, secret: &str) -> Result<Option<Actor>, AppError> {
    if !secret.starts_with(PREFIX) || secret.len() != PREFIX.len() + 64 {
        return Ok(None);
    }
    let mut tx = app.store.begin_read().await?;
    let Some(token) = tx
        .token_by_hash(&hash(secret))
        .await?
        .filter(|token| token.revoked_at.is_none())
    else {
        return Ok(None);
    };
    drop(tx);
    let now = app.clock.now();
    // One write a minute at most, so a busy integration does not turn reads into writes.
    if token
        .last_used_at
        .is_none_or(|used| now - used > time::Duration::minutes(1))
    {
        let mut tx = app.store.begin_write().await?;
        tx.touch_token(token.id, now).await?;
        tx.commit().await?;
    }
    Ok(Some(Actor::Token {
        id: token.id,
        organisation: token.organisation,
        write: token.write,
    }))
}
