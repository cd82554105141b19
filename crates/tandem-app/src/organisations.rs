//! Organisations: creating them and listing the public catalogue.

use crate::{App, AppError, audit};
use tandem_core::audit::AuditAction;
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
        line_manager_digest: false,
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
        AuditAction::OrganisationCreated,
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

/// An organisation's settings as an administrator edits them (text as typed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsChanges {
    /// The organisation's name.
    pub name: String,
    /// Its protective marking, e.g. OFFICIAL.
    pub protective_marking: String,
    /// Its IANA time zone, e.g. Europe/London.
    pub time_zone: String,
    /// Its topic list, one topic per line.
    pub topics: String,
    /// Its rank bands as edited, in order; a band without a code is new and gets one from its
    /// name.
    pub rank_bands: Vec<tandem_core::domain::BandEdit>,
    /// Line managers get a monthly digest of their reports taking part (R11.4).
    pub line_manager_digest: bool,
}

/// An organisation's settings and their version, for editing.
pub async fn settings(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
) -> Result<(Organisation, i64), AppError> {
    authorize(actor, &Action::ManageOrganisation(organisation))?;
    let mut tx = app.store.begin_read().await?;
    let held = tx
        .organisations()
        .await?
        .into_iter()
        .find(|it| it.id == organisation)
        .ok_or_else(|| AppError::NotFound("there is no such organisation".to_owned()))?;
    let version = tx.organisation_version(organisation).await?;
    Ok((held, version))
}

/// Where a rank-band problem is shown: `rank_bands.{band}.{name|level|ranks}`, or
/// `rank_bands` for the mapping as a whole.
pub fn band_field(at: Option<(usize, tandem_core::domain::BandPart)>) -> String {
    use tandem_core::domain::BandPart;
    match at {
        None => "rank_bands".to_owned(),
        Some((idx, part)) => {
            let part = match part {
                BandPart::Name => "name",
                BandPart::Level => "level",
                BandPart::Ranks => "ranks",
            };
            format!("rank_bands.{idx}.{part}")
        }
    }
}

fn time_zone_ok(zone: &str) -> bool {
    tandem_core::local_time::zone_exists(zone)
}

/// Changes an organisation's settings. Every problem is reported, naming the field; a rank-band
/// mapping is refused if it would leave a rank someone holds without a band, or a scheme naming
/// a band that no longer exists.
pub async fn update_settings(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    expected_version: i64,
    changes: SettingsChanges,
) -> Result<Organisation, AppError> {
    use tandem_core::policy::PolicyProblem;
    authorize(actor, &Action::ManageOrganisation(organisation))?;
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let mut held = tx
        .organisations()
        .await?
        .into_iter()
        .find(|it| it.id == organisation)
        .ok_or_else(|| AppError::NotFound("there is no such organisation".to_owned()))?;
    let mut problems = Vec::new();
    let mut fail = |field: &str, message: String| {
        problems.push(PolicyProblem {
            field: field.to_owned(),
            message,
        })
    };
    let name = changes.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        fail(
            "name",
            "enter the organisation's name (at most 120 characters)".to_owned(),
        );
    }
    let marking = ProtectiveMarking::parse(&changes.protective_marking)
        .map_err(|err| fail("protective_marking", err.to_string()))
        .ok();
    let zone = changes.time_zone.trim();
    if !time_zone_ok(zone) {
        fail(
            "time_zone",
            format!("'{zone}' is not a time zone name; use one like Europe/London"),
        );
    }
    let topics: Vec<String> = changes
        .topics
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    if topics.is_empty() {
        fail("topics", "list at least one topic, one per line".to_owned());
    }
    if let Some(long) = topics.iter().find(|topic| topic.chars().count() > 60) {
        fail("topics", format!("'{long}' is longer than 60 characters"));
    }
    let mut seen = std::collections::HashSet::new();
    if let Some(twice) = topics
        .iter()
        .find(|topic| !seen.insert(topic.to_lowercase()))
    {
        fail("topics", format!("'{twice}' is listed twice"));
    }
    let bands = match RankBands::check(changes.rank_bands) {
        Ok(bands) => Some(bands),
        Err(band_problems) => {
            for problem in band_problems {
                fail(&band_field(problem.at), problem.message);
            }
            None
        }
    };
    if let Some(bands) = &bands {
        let (ranks, _) = tx.directory_facets(organisation).await?;
        for rank in ranks {
            let mapped = tandem_core::domain::RankOrGrade::parse(&rank)
                .is_ok_and(|rank| bands.band_of(&rank).is_some());
            if !mapped {
                fail(
                    "rank_bands",
                    format!(
                        "{rank} is held by people in {} but is in no band; add it to a band's ranks and grades",
                        held.name
                    ),
                );
            }
        }
        for scheme in tx.schemes_of(organisation).await? {
            let policy = &scheme.definition.policy;
            let named = policy
                .eligibility
                .mentor
                .rank_bands
                .iter()
                .chain(&policy.eligibility.mentee.rank_bands);
            for code in named {
                if bands.band(code).is_none() {
                    let band = held.rank_bands.band(code).map_or("a band", |it| &it.name);
                    fail(
                        "rank_bands",
                        format!(
                            "the scheme {} admits people by the band {band}; keep the band, or change the scheme first",
                            scheme.definition.name
                        ),
                    );
                }
            }
        }
    }
    let (Some(marking), Some(bands), true) = (marking, bands, problems.is_empty()) else {
        return Err(AppError::PolicyRejected(problems));
    };
    let mut fields = Vec::new();
    if held.name != name {
        fields.push("name");
    }
    if held.protective_marking != marking {
        fields.push("protective_marking");
    }
    if held.time_zone != zone {
        fields.push("time_zone");
    }
    if held.topics != topics {
        fields.push("topics");
    }
    if held.rank_bands != bands {
        fields.push("rank_bands");
    }
    if held.line_manager_digest != changes.line_manager_digest {
        fields.push("line_manager_digest");
    }
    held.name = name.to_owned();
    held.protective_marking = marking;
    held.time_zone = zone.to_owned();
    held.topics = topics;
    held.rank_bands = bands;
    held.line_manager_digest = changes.line_manager_digest;
    match tx.update_organisation(&held, expected_version, now).await {
        Err(tandem_store::StoreError::Conflict(message)) => {
            return Err(AppError::Conflict(message));
        }
        other => other?,
    }
    let detail = serde_json::json!({ "fields": fields });
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::OrganisationUpdated,
        Some(organisation),
        "organisation",
        Some(organisation.0),
        detail,
    )])
    .await?;
    tx.commit().await?;
    Ok(held)
}
