//! Giving and taking away staff roles (R1.3).

use crate::{App, AppError, audit};
use tandem_core::authz::{Action, Actor, Grant, Scope, StaffRole, authorize};
use tandem_core::{OrganisationId, PersonId};
use uuid::Uuid;

fn scope_organisation(scope: &Scope) -> Option<OrganisationId> {
    match scope {
        Scope::Installation => None,
        Scope::Organisation(organisation)
        | Scope::Division { organisation, .. }
        | Scope::Scheme { organisation, .. } => Some(*organisation),
    }
}

/// Gives `person` a role over a scope. The scope must lie in the person's own organisation
/// (cross-force schemes are run by the national body's own staff), a division must be one the
/// HR directory knows, a scheme must be the organisation's, and a person holds each grant once.
pub async fn grant(
    app: &App,
    actor: &Actor,
    person: PersonId,
    grant: Grant,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let held = tx.person(person).await?;
    let organisation = tx
        .organisation_by_code(&held.record.organisation)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("organisation {}", held.record.organisation)))?;
    authorize(
        actor,
        &Action::ManageRoles {
            organisation: scope_organisation(&grant.scope),
            role: grant.role,
        },
    )?;
    match (&grant.scope, grant.role) {
        (Scope::Installation, StaffRole::NationalAdmin) => {}
        (Scope::Installation, _) => {
            return Err(AppError::Conflict(
                "only the national administrator role covers the whole installation".to_owned(),
            ));
        }
        (_, StaffRole::NationalAdmin) => {
            return Err(AppError::Conflict(
                "the national administrator role covers the whole installation; choose that scope"
                    .to_owned(),
            ));
        }
        (scope, _) if scope_organisation(scope) != Some(organisation.id) => {
            return Err(AppError::Conflict(format!(
                "{} can only be given roles in {}",
                held.record.full_name(),
                organisation.name
            )));
        }
        (Scope::Division { division, .. }, _) => {
            let (_, departments) = tx.directory_facets(organisation.id).await?;
            if !departments.iter().any(|known| known == division) {
                return Err(AppError::Conflict(format!(
                    "nobody in {} works in a division called '{division}'",
                    organisation.name
                )));
            }
        }
        (Scope::Scheme { scheme, .. }, _) => {
            if !tx
                .schemes_of(organisation.id)
                .await?
                .iter()
                .any(|it| it.id == *scheme)
            {
                return Err(AppError::NotFound(format!(
                    "{} runs no such scheme",
                    organisation.name
                )));
            }
        }
        (Scope::Organisation(_), _) => {}
    }
    if tx
        .held_grants_of(person)
        .await?
        .iter()
        .any(|(_, held)| *held == grant)
    {
        return Err(AppError::Conflict(format!(
            "{} already holds this role",
            held.record.full_name()
        )));
    }
    let id = Uuid::now_v7();
    tx.insert_grant(id, person, &grant, &actor.audit_label(), now)
        .await?;
    let detail = serde_json::json!({ "role": grant.role.as_str(), "grant": id.to_string() });
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        "role.granted",
        Some(organisation.id),
        "person",
        Some(person.0),
        detail,
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Takes a role away from `person`.
pub async fn revoke(
    app: &App,
    actor: &Actor,
    person: PersonId,
    grant_id: Uuid,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let grants = tx.held_grants_of(person).await?;
    let (_, grant) = grants
        .into_iter()
        .find(|(id, _)| *id == grant_id)
        .ok_or_else(|| AppError::NotFound("that role has already been taken away".to_owned()))?;
    let organisation = scope_organisation(&grant.scope);
    authorize(
        actor,
        &Action::ManageRoles {
            organisation,
            role: grant.role,
        },
    )?;
    if actor.person() == Some(person)
        && matches!(
            grant.role,
            StaffRole::NationalAdmin | StaffRole::OrganisationAdmin
        )
    {
        return Err(AppError::Conflict(
            "you cannot take away your own administrator role; ask another administrator"
                .to_owned(),
        ));
    }
    tx.delete_grant(person, grant_id).await?;
    let detail = serde_json::json!({ "role": grant.role.as_str(), "grant": grant_id.to_string() });
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        "role.revoked",
        organisation,
        "person",
        Some(person.0),
        detail,
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}
