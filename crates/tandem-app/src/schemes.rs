//! Schemes: creating an organisation's schemes from a programme (a shipped preset or a file).

use crate::{App, AppError, audit, organisations};
use tandem_core::SchemeId;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::domain::OrgCode;
use tandem_core::programme::{Programme, Scheme, SchemeStatus};
use uuid::Uuid;

/// Creates every scheme of `programme` in the organisation, open for applications. All or
/// nothing: a scheme key the organisation already uses, or a policy naming a rank band the
/// organisation does not have, refuses the whole programme.
pub async fn apply_programme(
    app: &App,
    actor: &Actor,
    programme: &Programme,
    organisation: &OrgCode,
    preset: Option<&str>,
) -> Result<Vec<Scheme>, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let organisation = tx
        .organisation_by_code(organisation)
        .await?
        .ok_or_else(|| organisations::not_found(organisation))?;
    authorize(actor, &Action::ManageSchemes(organisation.id))?;

    let mut problems = Vec::new();
    for definition in &programme.schemes {
        for mut problem in definition.policy.problems_in(&organisation.rank_bands) {
            problem.field = format!("{}.policy.{}", definition.key, problem.field);
            problems.push(problem);
        }
    }
    if !problems.is_empty() {
        return Err(AppError::PolicyRejected(problems));
    }
    let existing = tx.schemes_of(organisation.id).await?;
    let taken: Vec<&str> = programme
        .schemes
        .iter()
        .filter(|definition| {
            existing
                .iter()
                .any(|scheme| scheme.definition.key == definition.key)
        })
        .map(|definition| definition.key.as_ref())
        .collect();
    if !taken.is_empty() {
        return Err(AppError::Conflict(format!(
            "{} already runs scheme(s) {}; nothing was created (change the keys in the programme file to add them again)",
            organisation.code,
            taken.join(", ")
        )));
    }

    let mut schemes = Vec::with_capacity(programme.schemes.len());
    let mut entries = Vec::with_capacity(programme.schemes.len());
    for definition in &programme.schemes {
        let scheme = Scheme {
            id: SchemeId(Uuid::now_v7()),
            organisation: organisation.id,
            definition: definition.clone(),
            preset: preset.map(str::to_owned),
            status: SchemeStatus::Open,
            version: 1,
        };
        tx.insert_scheme(&scheme, now).await?;
        entries.push(audit::entry(
            actor,
            now,
            "scheme.created",
            Some(organisation.id),
            "scheme",
            Some(scheme.id.0),
            serde_json::json!({ "key": definition.key.as_ref(), "programme": programme.name, "preset": preset }),
        ));
        schemes.push(scheme);
    }
    tx.insert_audit(&entries).await?;
    tx.commit().await?;
    Ok(schemes)
}

/// An organisation's schemes.
pub async fn list(
    app: &App,
    actor: &Actor,
    organisation: &OrgCode,
) -> Result<Vec<Scheme>, AppError> {
    let mut tx = app.store.begin_read().await?;
    let organisation = tx
        .organisation_by_code(organisation)
        .await?
        .ok_or_else(|| organisations::not_found(organisation))?;
    authorize(actor, &Action::ViewSchemes(organisation.id))?;
    Ok(tx.schemes_of(organisation.id).await?)
}

/// One scheme as the public catalogue shows it, with its organisation.
pub async fn catalogue_entry(
    app: &App,
    actor: &Actor,
    organisation: &OrgCode,
    key: &tandem_core::domain::SchemeKey,
) -> Result<(tandem_core::Organisation, Scheme), AppError> {
    authorize(actor, &Action::ViewCatalogue)?;
    let mut tx = app.store.begin_read().await?;
    let organisation = tx
        .organisation_by_code(organisation)
        .await?
        .ok_or_else(|| organisations::not_found(organisation))?;
    let scheme = tx
        .scheme_by_key(organisation.id, key)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!("{} runs no scheme called {key}", organisation.code))
        })?;
    Ok((organisation, scheme))
}
