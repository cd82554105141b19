//! The accessibility statement (R8.6): anyone reads an organisation's statement; its
//! administrators set the contact details, the dates and the known issues. Each change is
//! audited.

use crate::{App, AppError, audit};
use tandem_core::accessibility::{Compliance, KnownIssue, StatementContact, StatementDates};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::policy::PolicyProblem;
use tandem_core::{Organisation, OrganisationId, local_time};
use tandem_store::{StatementSettings, StoredIssue};
use uuid::Uuid;

/// An organisation's statement as the page shows it.
#[derive(Debug, Clone)]
pub struct Statement {
    /// Who runs the service.
    pub organisation: Organisation,
    /// What its administrators said; the defaults (nothing given) before they said anything.
    pub settings: StatementSettings,
    /// The problems it knows of, oldest first.
    pub issues: Vec<StoredIssue>,
    /// Fully or partially compliant, from the issues.
    pub compliance: Compliance,
}

/// The statement settings as an administrator typed them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SettingsForm {
    /// The address for problems and requests.
    pub email: String,
    /// A telephone number, or blank.
    pub phone: String,
    /// Working days to answer, or blank.
    pub reply_within_days: String,
    /// `YYYY-MM-DD`, or blank.
    pub prepared_on: String,
    /// `YYYY-MM-DD`, or blank.
    pub reviewed_on: String,
    /// `YYYY-MM-DD`, or blank.
    pub manually_checked_on: String,
}

/// A known issue as an administrator typed it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IssueForm {
    /// What does not work and for whom.
    pub description: String,
    /// The same in Welsh, or blank.
    pub description_cy: String,
    /// The WCAG success criterion it fails, e.g. 1.4.3.
    pub criterion: String,
    /// `YYYY-MM-DD` it will be fixed by, or blank.
    pub fix_by: String,
}

fn rejected(problems: Vec<(&'static str, tandem_core::domain::ParseError)>) -> AppError {
    AppError::PolicyRejected(
        problems
            .into_iter()
            .map(|(field, err)| PolicyProblem {
                field: field.to_owned(),
                message: err.to_string(),
            })
            .collect(),
    )
}

/// The organisation's statement; public, like the catalogue.
pub async fn statement(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
) -> Result<Statement, AppError> {
    authorize(actor, &Action::ViewCatalogue)?;
    let mut tx = app.store.begin_read().await?;
    let organisation = tx
        .organisations()
        .await?
        .into_iter()
        .find(|it| it.id == organisation)
        .ok_or_else(|| AppError::NotFound("there is no such organisation".to_owned()))?;
    let settings = tx
        .statement_settings(organisation.id)
        .await?
        .unwrap_or_default();
    let issues = tx.accessibility_issues(organisation.id).await?;
    tx.rollback().await?;
    let known: Vec<KnownIssue> = issues.iter().map(|it| it.issue.clone()).collect();
    Ok(Statement {
        organisation,
        settings,
        compliance: Compliance::of(&known),
        issues,
    })
}

/// Saves the contact details and dates; every problem is reported by field and nothing is
/// written then.
pub async fn save_settings(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    form: &SettingsForm,
) -> Result<(), AppError> {
    authorize(actor, &Action::ManageOrganisation(organisation))?;
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let zone = crate::training::time_zone_of(&mut tx, organisation).await?;
    let today = local_time::to_local(now, &zone).date();
    let contact = StatementContact::parse(&form.email, &form.phone, &form.reply_within_days);
    let dates = StatementDates::parse(
        &form.prepared_on,
        &form.reviewed_on,
        &form.manually_checked_on,
        today,
    );
    let (contact, dates) = match (contact, dates) {
        (Ok(contact), Ok(dates)) => (contact, dates),
        (contact, dates) => {
            let mut problems = contact.err().unwrap_or_default();
            problems.extend(dates.err().unwrap_or_default());
            return Err(rejected(problems));
        }
    };
    let settings = StatementSettings {
        contact,
        prepared_on: dates.prepared_on,
        reviewed_on: dates.reviewed_on,
        manually_checked_on: dates.manually_checked_on,
    };
    tx.save_statement_settings(organisation, &settings, now)
        .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::AccessibilityStatementSaved,
        Some(organisation),
        "organisation",
        Some(organisation.0),
        serde_json::json!({}),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a known issue; every problem is reported by field and nothing is written then.
pub async fn add_issue(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    form: &IssueForm,
) -> Result<Uuid, AppError> {
    authorize(actor, &Action::ManageOrganisation(organisation))?;
    let now = app.clock.now();
    let fix_by = tandem_core::accessibility::parse_day(&form.fix_by);
    let issue = KnownIssue::parse(
        &form.description,
        &form.description_cy,
        &form.criterion,
        fix_by.clone().ok().flatten(),
    );
    let issue = match (issue, fix_by) {
        (Ok(issue), Ok(_)) => issue,
        (issue, fix_by) => {
            let mut problems = issue.err().unwrap_or_default();
            if let Err(err) = fix_by {
                problems.push(("fix_by", err));
            }
            return Err(rejected(problems));
        }
    };
    let id = Uuid::now_v7();
    let mut tx = app.store.begin_write().await?;
    tx.insert_accessibility_issue(organisation, id, &issue, now)
        .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::AccessibilityIssueAdded,
        Some(organisation),
        "accessibility_issue",
        Some(id),
        serde_json::json!({ "criterion": issue.criterion.number() }),
    )])
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a known issue once it is fixed.
pub async fn remove_issue(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    id: Uuid,
) -> Result<(), AppError> {
    authorize(actor, &Action::ManageOrganisation(organisation))?;
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    if !tx.delete_accessibility_issue(organisation, id).await? {
        return Err(AppError::NotFound(
            "there is no such known issue; it may have been removed already".to_owned(),
        ));
    }
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::AccessibilityIssueRemoved,
        Some(organisation),
        "accessibility_issue",
        Some(id),
        serde_json::json!({}),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}
