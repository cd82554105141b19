//! Schemes: creating an organisation's schemes from a programme (a shipped preset or a file).

use crate::{App, AppError, audit, organisations};
use tandem_core::SchemeId;
use tandem_core::audit::AuditAction;
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
            "{} already runs {} {}; nothing was created (give the new {} other keys to add them as well)",
            organisation.name,
            if taken.len() == 1 {
                "the scheme"
            } else {
                "the schemes"
            },
            taken.join(", "),
            if taken.len() == 1 {
                "scheme"
            } else {
                "schemes"
            },
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
            AuditAction::SchemeCreated,
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

/// What a coordinator may change in a scheme (its key and organisation stay).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeChanges {
    /// Name shown to people.
    pub name: String,
    /// What the scheme is for.
    pub description: String,
    /// The organisational development need it serves.
    pub organisational_need: Option<String>,
    /// Its policy.
    pub policy: tandem_core::policy::SchemePolicy,
}

/// One of the organisation's schemes, for managing it.
pub async fn managed(
    app: &App,
    actor: &Actor,
    organisation: tandem_core::OrganisationId,
    key: &tandem_core::domain::SchemeKey,
) -> Result<Scheme, AppError> {
    authorize(actor, &Action::ManageSchemes(organisation))?;
    let mut tx = app.store.begin_read().await?;
    tx.scheme_by_key(organisation, key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no scheme called {key}")))
}

/// Every problem with `changes` under the organisation's rank `bands`: what saving them would
/// refuse (also for a form that shows every problem at once before it can be saved).
pub fn problems(
    changes: &SchemeChanges,
    bands: &tandem_core::domain::RankBands,
) -> Vec<tandem_core::policy::PolicyProblem> {
    use tandem_core::policy::PolicyProblem;
    let mut problems = Vec::new();
    if changes.name.trim().is_empty() {
        problems.push(PolicyProblem {
            field: "name".to_owned(),
            message: "enter the scheme's name".to_owned(),
        });
    }
    if changes.policy.organisational_need_required
        && changes
            .organisational_need
            .as_deref()
            .is_none_or(|need| need.trim().is_empty())
    {
        problems.push(PolicyProblem {
            field: "organisational_need".to_owned(),
            message: "describe the organisational development need this scheme serves".to_owned(),
        });
    }
    problems.extend(changes.policy.problems());
    problems.extend(changes.policy.problems_in(bands));
    problems
}

/// The dotted names of the policy fields that differ, for the audit log.
fn changed_policy_fields(
    before: &tandem_core::policy::SchemePolicy,
    after: &tandem_core::policy::SchemePolicy,
) -> Vec<String> {
    fn flatten(
        prefix: &str,
        value: &toml::Value,
        out: &mut std::collections::BTreeMap<String, String>,
    ) {
        match value {
            toml::Value::Table(table) => {
                for (key, value) in table {
                    let path = if prefix.is_empty() {
                        key.clone()
                    } else {
                        format!("{prefix}.{key}")
                    };
                    flatten(&path, value, out);
                }
            }
            other => {
                out.insert(prefix.to_owned(), other.to_string());
            }
        }
    }
    let mut old = std::collections::BTreeMap::new();
    let mut new = std::collections::BTreeMap::new();
    if let (Ok(before), Ok(after)) = (toml::Value::try_from(before), toml::Value::try_from(after)) {
        flatten("", &before, &mut old);
        flatten("", &after, &mut new);
    }
    let keys: std::collections::BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .filter(|key| old.get(*key) != new.get(*key))
        .map(|key| format!("policy.{key}"))
        .collect()
}

/// Changes a scheme, unless someone else changed it since `expected_version` was read.
/// Every problem is reported, naming the field; nothing is written unless there are none.
pub async fn update(
    app: &App,
    actor: &Actor,
    organisation: tandem_core::OrganisationId,
    key: &tandem_core::domain::SchemeKey,
    expected_version: i64,
    changes: SchemeChanges,
) -> Result<Scheme, AppError> {
    authorize(actor, &Action::ManageSchemes(organisation))?;
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let held = tx
        .organisations()
        .await?
        .into_iter()
        .find(|it| it.id == organisation)
        .ok_or_else(|| AppError::NotFound("there is no such organisation".to_owned()))?;
    let mut scheme = tx
        .scheme_by_key(organisation, key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no scheme called {key}")))?;
    let problems = problems(&changes, &held.rank_bands);
    if !problems.is_empty() {
        return Err(AppError::PolicyRejected(problems));
    }
    let mut changed = changed_policy_fields(&scheme.definition.policy, &changes.policy);
    let need = changes
        .organisational_need
        .filter(|need| !need.trim().is_empty());
    for (field, differs) in [
        ("name", scheme.definition.name != changes.name.trim()),
        (
            "description",
            scheme.definition.description != changes.description.trim(),
        ),
        (
            "organisational_need",
            scheme.definition.organisational_need != need,
        ),
    ] {
        if differs {
            changed.insert(0, field.to_owned());
        }
    }
    scheme.definition.name = changes.name.trim().to_owned();
    scheme.definition.description = changes.description.trim().to_owned();
    scheme.definition.organisational_need = need;
    scheme.definition.policy = changes.policy;
    match tx.update_scheme(&scheme, expected_version, now).await {
        Err(tandem_store::StoreError::Conflict(message)) => {
            return Err(AppError::Conflict(message));
        }
        other => other?,
    }
    let detail = serde_json::json!({ "key": key.as_ref(), "fields": changed });
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::SchemeUpdated,
        Some(organisation),
        "scheme",
        Some(scheme.id.0),
        detail,
    )])
    .await?;
    tx.commit().await?;
    scheme.version = expected_version + 1;
    Ok(scheme)
}

/// Closing a scheme for applications, as its check page states it.
#[derive(Debug, Clone)]
pub struct Closing {
    /// The scheme.
    pub scheme: Scheme,
    /// Applications still waiting for a line manager's or a coordinator's decision.
    pub awaiting_decision: usize,
    /// Approved applications not yet matched (mentees waiting for a mentor, mentors with a
    /// place to offer).
    pub approved: usize,
}

/// The scheme `key` whose status the actor may change, or why not (the check page and
/// [`set_status`] both ask here). Setting the status it has already changes nothing, so a
/// repeated request is answered the same way.
async fn status_change_in(
    tx: &mut tandem_store::Tx,
    actor: &Actor,
    organisation: tandem_core::OrganisationId,
    key: &tandem_core::domain::SchemeKey,
) -> Result<Scheme, AppError> {
    authorize(actor, &Action::ManageSchemes(organisation))?;
    tx.scheme_by_key(organisation, key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no scheme called {key}")))
}

/// What closing the scheme `key` for applications would leave going, or why it cannot be closed.
pub async fn closing(
    app: &App,
    actor: &Actor,
    organisation: tandem_core::OrganisationId,
    key: &tandem_core::domain::SchemeKey,
) -> Result<Closing, AppError> {
    use tandem_core::application::ApplicationStatus;
    let mut tx = app.store.begin_read().await?;
    let scheme = status_change_in(&mut tx, actor, organisation, key).await?;
    let applications = tx.applications_to_scheme(scheme.id).await?;
    tx.rollback().await?;
    Ok(Closing {
        awaiting_decision: applications
            .iter()
            .filter(|it| it.status.is_awaiting_decision())
            .count(),
        approved: applications
            .iter()
            .filter(|it| it.status == ApplicationStatus::Approved)
            .count(),
        scheme,
    })
}

/// Opens or closes a scheme for applications.
pub async fn set_status(
    app: &App,
    actor: &Actor,
    organisation: tandem_core::OrganisationId,
    key: &tandem_core::domain::SchemeKey,
    status: SchemeStatus,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let scheme = status_change_in(&mut tx, actor, organisation, key).await?;
    tx.set_scheme_status(scheme.id, status, now).await?;
    let detail = serde_json::json!({ "key": key.as_ref(), "status": status.as_str() });
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::SchemeStatusChanged,
        Some(organisation),
        "scheme",
        Some(scheme.id.0),
        detail,
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Every scheme of every shipped preset, as (preset, scheme key, the scheme's name with its
/// programme's title), for "create from a preset".
pub fn preset_schemes() -> Vec<(String, String, String)> {
    tandem_core::programme::presets::names()
        .filter_map(|name| {
            tandem_core::programme::presets::load(name)
                .and_then(Result::ok)
                .map(|programme| (name, programme))
        })
        .flat_map(|(name, programme)| {
            let title = programme.title;
            programme.schemes.into_iter().map(move |scheme| {
                (
                    name.to_owned(),
                    scheme.key.to_string(),
                    format!("{} ({title})", scheme.name),
                )
            })
        })
        .collect()
}

/// Creates a scheme in the organisation as a copy of one of a preset's schemes, under a new key
/// (and name, if given); it can then be changed.
pub async fn create_from_preset(
    app: &App,
    actor: &Actor,
    organisation: &OrgCode,
    preset: &str,
    preset_scheme: &str,
    key: tandem_core::domain::SchemeKey,
    name: Option<String>,
) -> Result<Scheme, AppError> {
    let programme = tandem_core::programme::presets::load(preset)
        .ok_or_else(|| AppError::NotFound(format!("there is no preset called {preset}")))?
        .map_err(AppError::PolicyRejected)?;
    let mut definition = programme
        .schemes
        .into_iter()
        .find(|scheme| scheme.key.as_ref() == preset_scheme)
        .ok_or_else(|| {
            AppError::NotFound(format!(
                "preset {preset} has no scheme called {preset_scheme}"
            ))
        })?;
    definition.key = key;
    if let Some(name) = name.filter(|name| !name.trim().is_empty()) {
        definition.name = name.trim().to_owned();
    }
    let single = Programme {
        name: programme.name,
        title: programme.title,
        source: programme.source,
        suggested_organisation: None,
        schemes: vec![definition],
    };
    let mut created = apply_programme(app, actor, &single, organisation, Some(preset)).await?;
    created
        .pop()
        .ok_or_else(|| AppError::NotFound("the scheme was not created".to_owned()))
}
