//! Equality monitoring (R10.3): how far applications to an organisation's programme got, by
//! each protected characteristic, as tables suppressed so that nobody can be picked out, for the
//! staff whose scope it is. Every view and download is audited, naming the scope and the
//! characteristics, never a person. The organisation's small-number threshold is set here too.
//!
//! What each stage counts is defined once, in `tandem_store::equality`.

use crate::reports::{ReportRequest, Resolved, resolve, window};
use crate::{App, AppError, audit};
use tandem_core::application::FormProblem;
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::domain::Declaration;
use tandem_core::domain::OrgCode;
use tandem_core::eligibility::Role;
use tandem_core::equality::{Characteristic, EqualityTable, Group};
use tandem_core::programme::Scheme;
use tandem_core::reports::Period;
use tandem_core::suppression::Threshold;
use tandem_core::{Organisation, OrganisationId};
use tandem_store::equality::{EqualityFilter, FunnelRow};

/// An equality report: its scope, its period, its threshold and a table per characteristic.
#[derive(Debug, Clone)]
pub struct EqualityReport {
    /// The organisation whose programme it reports.
    pub organisation: Organisation,
    /// Only this scheme, if one was chosen.
    pub scheme: Option<Scheme>,
    /// Only applicants of this division, if one was chosen.
    pub division: Option<String>,
    /// Only applications in this role, if one was chosen.
    pub role: Option<Role>,
    /// The days whose applications are counted.
    pub period: Period,
    /// Counts below it are not shown.
    pub threshold: Threshold,
    /// The schemes that can be chosen.
    pub schemes: Vec<Scheme>,
    /// The divisions that can be chosen.
    pub divisions: Vec<String>,
    /// A table per characteristic asked for, in [`Characteristic::ALL`] order.
    pub tables: Vec<EqualityTable>,
}

impl EqualityReport {
    /// What the figures cover, in words: "Police Scotland, Mentoring programme, Highland
    /// division, applications to mentor, 1 Dec 2025 to 30 Nov 2026".
    pub fn covers(&self) -> String {
        let applications = self.role.map(|role| match role {
            Role::Mentor => "applications to mentor",
            Role::Mentee => "applications to be mentored",
        });
        crate::reports::covers(
            &self.organisation,
            self.scheme.as_ref(),
            self.division.as_deref(),
            applications,
            self.period,
        )
    }

    /// One characteristic's table as a CSV file with the organisation's protective marking,
    /// suppressed exactly as the page shows it.
    pub fn csv(&self, characteristic: Characteristic) -> Option<String> {
        let table = self
            .tables
            .iter()
            .find(|table| table.characteristic == characteristic)?;
        Some(table.csv(
            self.organisation.protective_marking.as_ref(),
            &self.covers(),
        ))
    }
}

/// Whether a report is looked at or downloaded, for the audit entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Use {
    Viewed,
    Downloaded,
}

/// The equality report of `organisation`'s programme for what `request` asks: every
/// characteristic, or only `characteristic`; every application, or only those in `role`.
pub async fn equality(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    request: &ReportRequest,
    characteristic: Option<Characteristic>,
    role: Option<Role>,
) -> Result<EqualityReport, AppError> {
    let characteristics = match characteristic {
        Some(one) => vec![one],
        None => Characteristic::ALL.to_vec(),
    };
    report(
        app,
        actor,
        organisation,
        request,
        &characteristics,
        role,
        Use::Viewed,
    )
    .await
}

/// One characteristic's table of an organisation's equality report as CSV, suppressed as the
/// page shows it, for a download; audited as one.
pub async fn download(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    characteristic: Characteristic,
    request: &ReportRequest,
    role: Option<Role>,
) -> Result<String, AppError> {
    let report = report(
        app,
        actor,
        organisation,
        request,
        &[characteristic],
        role,
        Use::Downloaded,
    )
    .await?;
    report.csv(characteristic).ok_or_else(|| {
        AppError::NotFound(format!(
            "there is no {} table in the report",
            characteristic.report_name()
        ))
    })
}

/// The same for `tandem export report --report equality-…`, by the organisation's code.
pub async fn export(
    app: &App,
    actor: &Actor,
    organisation: &OrgCode,
    characteristic: Characteristic,
    request: &ReportRequest,
    role: Option<Role>,
) -> Result<String, AppError> {
    let id = crate::organisations::by_code(app, organisation).await?.id;
    download(app, actor, id, characteristic, request, role).await
}

/// The organisation's small-number threshold, for its settings page.
pub async fn threshold(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
) -> Result<Threshold, AppError> {
    authorize(actor, &Action::ManageOrganisation(organisation))?;
    let mut tx = app.store.begin_read().await?;
    let threshold = tx.equality_threshold(organisation).await?;
    tx.rollback().await?;
    Ok(threshold)
}

/// Sets the organisation's small-number threshold from what an administrator typed (a whole
/// number from 1 to 100); audited with the old and new numbers, which are settings, not
/// anyone's data.
pub async fn save_threshold(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    raw: &str,
) -> Result<Threshold, AppError> {
    authorize(actor, &Action::ManageOrganisation(organisation))?;
    let threshold = Threshold::parse(raw)
        .map_err(|err| AppError::Invalid(vec![FormProblem::at("threshold", err.to_string())]))?;
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let before = tx.equality_threshold(organisation).await?;
    tx.save_equality_threshold(organisation, threshold, now)
        .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::EqualityThresholdSaved,
        Some(organisation),
        "organisation",
        Some(organisation.0),
        serde_json::json!({ "from": before.get(), "to": threshold.get() }),
    )])
    .await?;
    tx.commit().await?;
    Ok(threshold)
}

async fn report(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    request: &ReportRequest,
    characteristics: &[Characteristic],
    role: Option<Role>,
    purpose: Use,
) -> Result<EqualityReport, AppError> {
    // Read everything first, then record the view in a short write of its own: a write
    // transaction held over sixteen aggregate queries would keep SQLite's one writer waiting.
    let mut tx = app.store.begin_read().await?;
    let Resolved {
        owner,
        scheme,
        division,
        period,
        filter: scope,
        schemes: visible,
    } = resolve(&mut tx, app, actor, organisation, request).await?;
    let filter = EqualityFilter { scope, role };
    let window = window(period, &owner.time_zone)?;
    let threshold = tx.equality_threshold(organisation).await?;
    let answers = tx.equality_answers(organisation, characteristics).await?;
    let funnels = tx
        .equality_funnels(&filter, window, characteristics)
        .await?;
    let tables = answers
        .into_iter()
        .zip(funnels)
        .map(|((characteristic, groups), (_, counts))| {
            table(characteristic, &groups, counts, threshold)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let divisions = tx.report_divisions(organisation).await?;
    tx.rollback().await?;

    let now = app.clock.now();
    audit::record_read(
        app,
        [audit::entry(
            actor,
            now,
            AuditAction::EqualityViewed,
            Some(organisation),
            "organisation",
            Some(organisation.0),
            serde_json::json!({
                "characteristics": characteristics.iter().map(|it| it.as_str()).collect::<Vec<_>>(),
                "scheme": scheme.as_ref().map(|it| it.definition.key.as_ref().to_owned()),
                "division": division,
                "role": role.map(Role::as_str),
                "from": period.from.to_string(),
                "to": period.to.to_string(),
                "threshold": threshold.get(),
                "download": purpose == Use::Downloaded,
            }),
        )],
    )
    .await?;

    Ok(EqualityReport {
        organisation: owner,
        scheme,
        division,
        role,
        period,
        threshold,
        schemes: visible,
        divisions,
        tables,
    })
}

fn table(
    characteristic: Characteristic,
    groups: &[Declaration],
    counts: Vec<FunnelRow>,
    threshold: Threshold,
) -> Result<EqualityTable, AppError> {
    EqualityTable::build(
        characteristic,
        groups.iter().map(|answer| Group::of(Some(answer))),
        counts
            .into_iter()
            .map(|(answer, stages)| (Group::of(answer.as_ref()), stages)),
        threshold,
    )
    // The store counts each stage among the applications of the one before; a funnel that
    // grows is a fault in the counting, not something the person asking can put right.
    .map_err(|fault| {
        AppError::Store(tandem_store::StoreError::Corrupt(format!(
            "the {} funnel: {fault}",
            characteristic.as_str()
        )))
    })
}
