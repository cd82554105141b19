//! Organisations: creating them and listing the public catalogue.

use crate::{App, AppError, audit};
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::domain::{OrgCode, RankBands};
use tandem_core::programme::Scheme;
use tandem_core::{
    DEFAULT_TOPICS, Organisation, OrganisationId, OrganisationKind, ProtectiveMarking,
};
use uuid::Uuid;

/// The settings a new organisation starts with: OFFICIAL marking, UK rank bands, the
/// programmes' topic list and the London time zone. All can be changed later.
pub fn with_defaults(code: OrgCode, name: String, kind: OrganisationKind) -> Organisation {
    Organisation {
        id: OrganisationId(Uuid::now_v7()),
        code,
        name,
        kind,
        protective_marking: ProtectiveMarking::official(),
        rank_bands: RankBands::uk_policing(),
        topics: DEFAULT_TOPICS
            .iter()
            .map(|topic| (*topic).to_owned())
            .collect(),
        time_zone: "Europe/London".to_owned(),
    }
}

/// Creates an organisation with default settings.
pub async fn create(
    app: &App,
    actor: &Actor,
    code: OrgCode,
    name: String,
    kind: OrganisationKind,
) -> Result<Organisation, AppError> {
    authorize(actor, &Action::CreateOrganisation)?;
    let now = app.clock.now();
    let organisation = with_defaults(code, name, kind);
    let mut tx = app.store.begin_write().await?;
    if tx.organisation_by_code(&organisation.code).await?.is_some() {
        return Err(AppError::Conflict(format!(
            "an organisation with code {} already exists",
            organisation.code
        )));
    }
    insert(&mut tx, actor, now, &organisation, None).await?;
    tx.commit().await?;
    Ok(organisation)
}

/// Writes a new organisation and its audit entry; `via` says what created it when it was not
/// created on its own (e.g. "people import").
pub(crate) async fn insert(
    tx: &mut tandem_store::Tx,
    actor: &Actor,
    now: time::OffsetDateTime,
    organisation: &Organisation,
    via: Option<&str>,
) -> Result<(), AppError> {
    tx.insert_organisation(organisation, now).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        "organisation.created",
        Some(organisation.id),
        "organisation",
        Some(organisation.id.0),
        serde_json::json!({ "code": organisation.code.as_ref(), "via": via }),
    )])
    .await?;
    Ok(())
}

/// The organisation with this code, or a not-found error that names it.
pub async fn by_code(app: &App, code: &OrgCode) -> Result<Organisation, AppError> {
    let mut tx = app.store.begin_read().await?;
    tx.organisation_by_code(code)
        .await?
        .ok_or_else(|| not_found(code))
}

pub(crate) fn not_found(code: &OrgCode) -> AppError {
    AppError::NotFound(format!(
        "there is no organisation with code {code}; `tandem preset list` and the home page show what exists"
    ))
}

/// Every organisation with its schemes: the public catalogue on the home page.
pub async fn catalogue(
    app: &App,
    actor: &Actor,
) -> Result<Vec<(Organisation, Vec<Scheme>)>, AppError> {
    authorize(actor, &Action::ViewCatalogue)?;
    let mut tx = app.store.begin_read().await?;
    let mut catalogue = Vec::new();
    for organisation in tx.organisations().await? {
        let schemes = tx.schemes_of(organisation.id).await?;
        catalogue.push((organisation, schemes));
    }
    Ok(catalogue)
}
