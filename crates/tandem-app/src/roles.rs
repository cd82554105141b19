//! Giving and taking away staff roles (R1.3).

use crate::{App, AppError, audit};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, Grant, Scope, StaffRole, authorize};
use tandem_core::domain::SchemeKey;
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

/// Where a role is to apply, as a request names it: the organisation, division and scheme are
/// the person's own (see `grant`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScopeChoice {
    /// The whole installation (national administrators only).
    Installation,
    /// The person's organisation.
    Organisation,
    /// A division of the person's organisation, as the HR directory names it.
    Division(String),
    /// A scheme of the person's organisation.
    Scheme(SchemeKey),
}

/// A role just given: its id, the grant, and the scheme's key when it covers a scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Given {
    /// The grant's id.
    pub id: Uuid,
    /// The grant.
    pub grant: Grant,
    /// The scheme's key, for a scheme grant.
    pub scheme_key: Option<SchemeKey>,
}

/// Gives `person` a role over the scope `choice` names in their own organisation; every check
/// (the scheme exists, the actor may give the role) comes before anything is written, and no
/// personal data is read on the way beyond what the decision needs.
pub async fn grant_as_chosen(
    app: &App,
    actor: &Actor,
    person: PersonId,
    role: StaffRole,
    choice: ScopeChoice,
) -> Result<Given, AppError> {
    let mut tx = app.store.begin_write().await?;
    let held = existing(&mut tx, person).await?;
    let organisation = tx
        .organisation_by_code(&held.record.organisation)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("organisation {}", held.record.organisation)))?;
    let scheme_key = match &choice {
        ScopeChoice::Scheme(key) => Some(key.clone()),
        _ => None,
    };
    let scope = match choice {
        ScopeChoice::Installation => Scope::Installation,
        ScopeChoice::Organisation => Scope::Organisation(organisation.id),
        ScopeChoice::Division(division) => Scope::Division {
            organisation: organisation.id,
            division,
        },
        ScopeChoice::Scheme(key) => {
            // Asked before the scheme is looked up, so an actor who may not give roles here
            // learns nothing about the organisation's schemes.
            authorize(
                actor,
                &Action::ManageRoles {
                    organisation: Some(organisation.id),
                    role,
                },
            )?;
            let scheme = tx
                .scheme_by_key(organisation.id, &key)
                .await?
                .ok_or_else(|| {
                    AppError::NotFound(format!("{} runs no scheme called {key}", organisation.name))
                })?;
            Scope::Scheme {
                organisation: organisation.id,
                scheme: scheme.id,
            }
        }
    };
    let grant = Grant { role, scope };
    let id = grant_in(&mut tx, app, actor, person, &held, &organisation, &grant).await?;
    tx.commit().await?;
    Ok(Given {
        id,
        grant,
        scheme_key,
    })
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
    let mut tx = app.store.begin_write().await?;
    let held = existing(&mut tx, person).await?;
    let organisation = tx
        .organisation_by_code(&held.record.organisation)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("organisation {}", held.record.organisation)))?;
    grant_in(&mut tx, app, actor, person, &held, &organisation, &grant).await?;
    tx.commit().await?;
    Ok(())
}

/// The person a role is for; one who is not there is not found, not a failure of the service.
async fn existing(
    tx: &mut tandem_store::Tx,
    person: PersonId,
) -> Result<tandem_core::hr::ExistingPerson, AppError> {
    match tx.person(person).await {
        Ok(held) => Ok(held),
        Err(tandem_store::StoreError::NotFound(_)) => {
            Err(AppError::NotFound("there is no such person".to_owned()))
        }
        Err(err) => Err(err.into()),
    }
}

/// `grant` inside `tx`; returns the new grant's id.
async fn grant_in(
    tx: &mut tandem_store::Tx,
    app: &App,
    actor: &Actor,
    person: PersonId,
    held: &tandem_core::hr::ExistingPerson,
    organisation: &tandem_core::Organisation,
    grant: &Grant,
) -> Result<Uuid, AppError> {
    let now = app.clock.now();
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
        .any(|(_, held)| held == grant)
    {
        return Err(AppError::Conflict(format!(
            "{} already holds this role",
            held.record.full_name()
        )));
    }
    let id = Uuid::now_v7();
    tx.insert_grant(id, person, grant, &actor.audit_label(), now)
        .await?;
    let detail = serde_json::json!({ "role": grant.role.as_str(), "grant": id.to_string() });
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::RoleGranted,
        Some(organisation.id),
        "person",
        Some(person.0),
        detail,
    )])
    .await?;
    Ok(id)
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
        AuditAction::RoleRevoked,
        organisation,
        "person",
        Some(person.0),
        detail,
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}
