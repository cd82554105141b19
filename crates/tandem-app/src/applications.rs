//! Applications (R3): applying to a scheme, the line manager's authorisation or the
//! confidential route to the coordinator, withdrawing, the ethics acknowledgement and the
//! waiting list.

mod withdrawal;

pub use withdrawal::{Withdrawal, withdraw, withdrawal};

use crate::notify::{Notice, Notify as _};
use crate::{App, AppError, audit};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use tandem_core::application::{
    self, Application, ApplicationForm, ApplicationStatus, FormProblem, Participation,
};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, ApplicationScope, Denied, authorize};
use tandem_core::domain::{Email, OrgCode, SchemeKey};
use tandem_core::eligibility::{Refusal, Role};
use tandem_core::hr::ExistingPerson;
use tandem_core::programme::{Scheme, SchemeStatus};
use tandem_core::spreadsheet::{CsvWriter, Kind};
use tandem_core::{ApplicationId, Organisation, PersonId};
use tandem_store::{ApplicationDecision, Tx};
use time::OffsetDateTime;
use uuid::Uuid;

/// A mentee's place on the waiting list for a mentor (R3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitingPlace {
    /// 1 for the first in line.
    pub position: usize,
    /// How many are waiting.
    pub of: usize,
    /// Whole days since the application was made.
    pub days: i64,
}

/// One of a person's own applications, with the scheme it is for.
#[derive(Debug, Clone)]
pub struct OwnApplication {
    /// The application.
    pub application: Application,
    /// The scheme.
    pub scheme: Scheme,
    /// The code of the organisation running the scheme.
    pub organisation: OrgCode,
    /// The scheme's policy asks for the ethics acknowledgement and it is not recorded yet.
    pub ethics_due: bool,
    /// Where a waiting mentee stands.
    pub waiting: Option<WaitingPlace>,
    /// An approved mentor's places: (taken, offered).
    pub places: Option<(u32, u32)>,
}

/// An application with its applicant, for the people who decide or match it.
#[derive(Debug, Clone)]
pub struct ApplicationForReview {
    /// The application.
    pub application: Application,
    /// The applicant's HR record.
    pub applicant: ExistingPerson,
    /// The scheme.
    pub scheme: Scheme,
    /// Where a waiting mentee stands.
    pub waiting: Option<WaitingPlace>,
    /// The training the applicant's role needs in the scheme, if any, and when they last
    /// completed it.
    pub training: Option<(String, Option<time::Date>)>,
}

/// The training `application`'s role needs in `scheme` and when the applicant last did it.
fn training_of(
    scheme: &Scheme,
    application: &Application,
    done: &HashMap<PersonId, time::Date>,
) -> Option<(String, Option<time::Date>)> {
    tandem_core::training::required_training(&scheme.definition.policy, application.role)
        .map(|name| (name.to_owned(), done.get(&application.person).copied()))
}

/// A decision on an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Authorise it: a mentor becomes available, a mentee joins the waiting list.
    Approve,
    /// Decline it, with the reason the applicant will read.
    Decline {
        /// Why.
        reason: String,
    },
}

fn person_of(actor: &Actor) -> Result<PersonId, AppError> {
    actor.person().ok_or_else(|| {
        AppError::Denied(Denied {
            reason: "only a signed-in person can apply, for themselves".to_owned(),
        })
    })
}

pub(crate) async fn organisation_of_scheme(
    tx: &mut Tx,
    scheme: &Scheme,
) -> Result<Organisation, AppError> {
    tx.organisations()
        .await?
        .into_iter()
        .find(|it| it.id == scheme.organisation)
        .ok_or_else(|| AppError::NotFound("the scheme's organisation is gone".to_owned()))
}

/// What the person already takes part in, across every scheme.
async fn participations(tx: &mut Tx, person: PersonId) -> Result<Vec<Participation>, AppError> {
    let mut schemes: HashMap<tandem_core::SchemeId, Scheme> = HashMap::new();
    let mut out = Vec::new();
    for application in tx.applications_of_person(person).await? {
        if let Entry::Vacant(slot) = schemes.entry(application.scheme) {
            let scheme = tx
                .scheme(application.scheme)
                .await?
                .ok_or_else(|| AppError::NotFound("an application's scheme is gone".to_owned()))?;
            slot.insert(scheme);
        }
        if let Some(scheme) = schemes.get(&application.scheme) {
            out.push(Participation {
                scheme: scheme.id,
                scheme_name: scheme.definition.name.clone(),
                role: application.role,
                status: application.status,
                dual_roles_allowed: scheme.definition.policy.dual_roles_allowed,
            });
        }
    }
    Ok(out)
}

/// Every reason `person` may not take `role` in `scheme` now (R3.3): the HR record against the
/// scheme's audience, the organisation, the scheme being open, and what they already take part in.
pub(crate) async fn refusals(
    tx: &mut Tx,
    person: &ExistingPerson,
    person_organisation: &Organisation,
    scheme: &Scheme,
    scheme_organisation: &Organisation,
    role: Role,
    ignore: Option<ApplicationId>,
) -> Result<Vec<Refusal>, AppError> {
    let mut existing = participations(tx, person.id).await?;
    if let Some(ignore) = ignore {
        let own = tx.application(ignore).await?;
        if let Some(own) = own {
            existing.retain(|it| !(it.scheme == own.scheme && it.role == own.role));
        }
    }
    let invited = tx.is_invited(scheme.id, person.id, role).await?;
    Ok(application::refusals(
        role,
        scheme.id,
        &scheme.definition.policy,
        scheme_organisation,
        application::Candidate {
            record: &person.record,
            organisation: person_organisation,
            invited,
            participations: &existing,
        },
    ))
}

/// Applies to a scheme for the signed-in person. Refused, with every reason, when they may not
/// take part (R3.3); a form with problems is refused naming each field. Where the policy asks for
/// it, the line manager is sent a request (or, on the confidential route or with no manager, the
/// application waits for the coordinator); otherwise it is approved at once.
pub async fn apply(
    app: &App,
    actor: &Actor,
    organisation: &OrgCode,
    key: &SchemeKey,
    role: Role,
    form: &ApplicationForm,
    public_url: &str,
) -> Result<Application, AppError> {
    authorize(actor, &Action::Apply)?;
    let person_id = person_of(actor)?;
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let scheme_organisation = tx
        .organisation_by_code(organisation)
        .await?
        .ok_or_else(|| crate::organisations::not_found(organisation))?;
    let scheme = tx
        .scheme_by_key(scheme_organisation.id, key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("{organisation} runs no scheme called {key}")))?;
    let person = tx.person(person_id).await?;
    let person_organisation = tx
        .organisation_by_code(&person.record.organisation)
        .await?
        .ok_or_else(|| crate::organisations::not_found(&person.record.organisation))?;
    let mut refused = refusals(
        &mut tx,
        &person,
        &person_organisation,
        &scheme,
        &scheme_organisation,
        role,
        None,
    )
    .await?;
    if scheme.status != SchemeStatus::Open {
        refused.insert(0, Refusal::SchemeClosed);
    }
    if !refused.is_empty() {
        return Err(AppError::Ineligible(refused));
    }
    let policy = &scheme.definition.policy;
    let (answers, signatures) =
        application::parse_form(form, role, policy, &scheme_organisation.topics)
            .map_err(AppError::Invalid)?;
    if let Some(preferred) = &answers.preferred_mentor_email {
        let known = match Email::parse(preferred) {
            Ok(email) => tx.person_id_by_email(&email).await?,
            Err(_) => None,
        };
        if known.is_none() || known == Some(person_id) {
            return Err(AppError::Invalid(vec![FormProblem {
                field: "preferred_mentor_email",
                message: "nobody else has that work email; check it, or leave it blank".to_owned(),
            }]));
        }
    }

    let manager = if policy.line_manager_approval && !form.confidential {
        tx.line_manager_of(person_id).await?
    } else {
        None
    };
    let status = match (policy.line_manager_approval, manager) {
        (false, _) => ApplicationStatus::Approved,
        (true, Some(_)) => ApplicationStatus::AwaitingManager,
        (true, None) => ApplicationStatus::AwaitingCoordinator,
    };
    let signed = |yes: bool| yes.then_some(now);
    let created = Application {
        id: ApplicationId(Uuid::now_v7()),
        scheme: scheme.id,
        person: person_id,
        role,
        status,
        answers,
        confidential: form.confidential,
        approver: manager,
        decided_by: None,
        decision_reason: None,
        decided_at: None,
        statement_signed_at: signed(signatures.statement_of_suitability),
        agreement_signed_at: signed(signatures.mentor_agreement),
        ethics_acknowledged_at: signed(signatures.ethics),
        priority: 0,
        submitted_at: now,
        version: 1,
    };
    match tx.insert_application(&created).await {
        Err(tandem_store::StoreError::Conflict(message)) => {
            return Err(AppError::Conflict(message));
        }
        other => other?,
    }
    if let Some(manager) = manager {
        let manager = tx.person(manager).await?;
        let body = format!(
            "{} has applied to be a {} in {} and asks for your authorisation.\n\n\
             Approve or decline it, with a reason, here:\n{}/approvals",
            person.record.full_name(),
            role.as_str(),
            scheme.definition.name,
            public_url.trim_end_matches('/'),
        );
        tx.notify(
            Notice::of(
                &manager,
                format!("application.authorise.{}", created.id),
                "application.authorise".to_owned(),
                format!(
                    "Authorise {}'s mentoring application",
                    person.record.full_name()
                ),
                body,
            ),
            now,
        )
        .await?;
    }
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::ApplicationSubmitted,
        Some(scheme.organisation),
        "application",
        Some(created.id.0),
        serde_json::json!({
            "scheme": key.as_ref(),
            "role": role.as_str(),
            "status": status.as_str(),
            "confidential": form.confidential,
        }),
    )])
    .await?;
    tx.commit().await?;
    Ok(created)
}

/// The waiting list of a scheme: approved mentees, in the order they will be offered a mentor.
pub(crate) fn waiting_places(
    applications: &[Application],
    now: OffsetDateTime,
) -> HashMap<ApplicationId, WaitingPlace> {
    let mut waiting: Vec<&Application> = applications
        .iter()
        .filter(|it| it.role == Role::Mentee && it.status == ApplicationStatus::Approved)
        .collect();
    application::waiting_order(&mut waiting, |it| (it.priority, it.submitted_at, it.id));
    let of = waiting.len();
    waiting
        .into_iter()
        .enumerate()
        .map(|(index, it)| {
            (
                it.id,
                WaitingPlace {
                    position: index + 1,
                    of,
                    days: (now - it.submitted_at).whole_days(),
                },
            )
        })
        .collect()
}

/// The signed-in person's own applications, newest first, with waiting-list places.
pub async fn mine(app: &App, actor: &Actor) -> Result<Vec<OwnApplication>, AppError> {
    let person = person_of(actor)?;
    authorize(actor, &Action::ActOnOwnApplication { applicant: person })?;
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let organisations = tx.organisations().await?;
    let mut out = Vec::new();
    let mut places: HashMap<tandem_core::SchemeId, HashMap<ApplicationId, WaitingPlace>> =
        HashMap::new();
    let taken = tandem_core::pairing::places_taken(&tx.matches_of_person(person).await?);
    for application in tx.applications_of_person(person).await? {
        let scheme = tx
            .scheme(application.scheme)
            .await?
            .ok_or_else(|| AppError::NotFound("an application's scheme is gone".to_owned()))?;
        let organisation = organisations
            .iter()
            .find(|it| it.id == scheme.organisation)
            .map(|it| it.code.clone())
            .ok_or_else(|| AppError::NotFound("a scheme's organisation is gone".to_owned()))?;
        let waiting = if application.status == ApplicationStatus::Approved
            && application.role == Role::Mentee
        {
            if let Entry::Vacant(slot) = places.entry(scheme.id) {
                let all = tx.applications_to_scheme(scheme.id).await?;
                slot.insert(waiting_places(&all, now));
            }
            places
                .get(&scheme.id)
                .and_then(|it| it.get(&application.id))
                .copied()
        } else {
            None
        };
        let ethics_due = application::ethics_due(&scheme.definition.policy, &application);
        let places = (application.role == Role::Mentor
            && application.status == ApplicationStatus::Approved)
            .then(|| {
                let offered = application.answers.capacity.unwrap_or(0);
                (taken.get(&application.id).copied().unwrap_or(0), offered)
            });
        out.push(OwnApplication {
            application,
            scheme,
            organisation,
            ethics_due,
            waiting,
            places,
        });
    }
    tx.rollback().await?;
    Ok(out)
}

async fn own_application(
    tx: &mut Tx,
    actor: &Actor,
    id: ApplicationId,
) -> Result<Application, AppError> {
    let application = tx
        .application(id)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such application".to_owned()))?;
    authorize(
        actor,
        &Action::ActOnOwnApplication {
            applicant: application.person,
        },
    )?;
    Ok(application)
}

/// Records that the applicant acknowledged the ethics statement (R3.6): confidentiality and its
/// limits, respect of time, shared responsibility, and that either party may withdraw.
pub async fn acknowledge_ethics(
    app: &App,
    actor: &Actor,
    id: ApplicationId,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let application = own_application(&mut tx, actor, id).await?;
    if !application.status.is_open() {
        return Err(AppError::Conflict(
            "the application is closed; apply again to take part".to_owned(),
        ));
    }
    tx.acknowledge_ethics(id, now).await?;
    let scheme = tx.scheme(application.scheme).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::ApplicationEthicsAcknowledged,
        scheme.map(|it| it.organisation),
        "application",
        Some(id.0),
        serde_json::json!({ "role": application.role.as_str() }),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A scheme with its waiting places and its applicants' training completions.
type SchemeContext = (
    Scheme,
    HashMap<ApplicationId, WaitingPlace>,
    HashMap<PersonId, time::Date>,
);

async fn for_review(
    tx: &mut Tx,
    applications: Vec<Application>,
    now: OffsetDateTime,
) -> Result<Vec<ApplicationForReview>, AppError> {
    let mut schemes: HashMap<tandem_core::SchemeId, SchemeContext> = HashMap::new();
    let mut out = Vec::with_capacity(applications.len());
    for application in applications {
        if let Entry::Vacant(slot) = schemes.entry(application.scheme) {
            let scheme = tx
                .scheme(application.scheme)
                .await?
                .ok_or_else(|| AppError::NotFound("an application's scheme is gone".to_owned()))?;
            let all = tx.applications_to_scheme(scheme.id).await?;
            let done = crate::training::completions(tx, &scheme, now.date()).await?;
            slot.insert((scheme, waiting_places(&all, now), done));
        }
        let applicant = tx.person(application.person).await?;
        if let Some((scheme, places, done)) = schemes.get(&application.scheme) {
            out.push(ApplicationForReview {
                training: training_of(scheme, &application, done),
                waiting: places.get(&application.id).copied(),
                scheme: scheme.clone(),
                application,
                applicant,
            });
        }
    }
    Ok(out)
}

/// The applications waiting for the signed-in person as line manager, oldest first.
pub async fn awaiting_my_decision(
    app: &App,
    actor: &Actor,
) -> Result<Vec<ApplicationForReview>, AppError> {
    let manager = person_of(actor)?;
    authorize(actor, &Action::DecideAsLineManager { manager })?;
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let waiting = tx.applications_awaiting_manager(manager).await?;
    let out = for_review(&mut tx, waiting, now).await?;
    tx.rollback().await?;
    Ok(out)
}

fn scope_of(scheme: &Scheme, applicant: &ExistingPerson) -> ApplicationScope {
    ApplicationScope {
        organisation: scheme.organisation,
        scheme: scheme.id,
        division: applicant
            .record
            .department
            .as_ref()
            .map(|it| it.as_ref().to_owned()),
    }
}

/// Authorises or declines an application: as the line manager it was sent to, or (when it came
/// to the coordinator) as a coordinator or a champion for the applicant. Declining needs a
/// reason, which the applicant is sent. A decision someone else made first is a conflict.
pub async fn decide(
    app: &App,
    actor: &Actor,
    id: ApplicationId,
    verdict: Verdict,
    public_url: &str,
) -> Result<Application, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let mut application = tx
        .application(id)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such application".to_owned()))?;
    let scheme = tx
        .scheme(application.scheme)
        .await?
        .ok_or_else(|| AppError::NotFound("the application's scheme is gone".to_owned()))?;
    let applicant = tx.person(application.person).await?;
    let as_manager = match application.status {
        ApplicationStatus::AwaitingManager => {
            let manager = application.approver.ok_or_else(|| {
                AppError::Conflict("the application names no line manager".to_owned())
            })?;
            authorize(actor, &Action::DecideAsLineManager { manager })?;
            true
        }
        ApplicationStatus::AwaitingCoordinator => {
            authorize(
                actor,
                &Action::ManageApplications(scope_of(&scheme, &applicant)),
            )?;
            false
        }
        other => {
            // Say nothing about an application the actor could not have decided anyway.
            let may = application.approver == actor.person()
                || authorize(
                    actor,
                    &Action::ViewApplications(scope_of(&scheme, &applicant)),
                )
                .is_ok();
            if !may {
                return Err(AppError::NotFound(
                    "there is no such application".to_owned(),
                ));
            }
            return Err(AppError::Conflict(format!(
                "the application was already decided: {}",
                other.describe(application.role).to_lowercase()
            )));
        }
    };
    let (status, reason) = match &verdict {
        Verdict::Approve => (ApplicationStatus::Approved, None),
        Verdict::Decline { reason } => {
            let reason = reason.trim();
            if reason.is_empty() {
                return Err(AppError::Invalid(vec![FormProblem {
                    field: "reason",
                    message: "give the reason for declining; the applicant will read it".to_owned(),
                }]));
            }
            if reason.chars().count() > application::SUMMARY_MAX_CHARS {
                return Err(AppError::Invalid(vec![FormProblem {
                    field: "reason",
                    message: format!(
                        "shorten the reason to {} characters or fewer",
                        application::SUMMARY_MAX_CHARS
                    ),
                }]));
            }
            (ApplicationStatus::Declined, Some(reason.to_owned()))
        }
    };
    let label = actor.audit_label();
    match tx
        .decide_application(
            id,
            application.version,
            ApplicationDecision {
                status,
                decided_by: &label,
                reason: reason.as_deref(),
            },
            now,
        )
        .await
    {
        Err(tandem_store::StoreError::Conflict(message)) => {
            return Err(AppError::Conflict(message));
        }
        other => other?,
    }
    let outcome = match &reason {
        None => format!(
            "Your application to be a {} in {} was approved. {}",
            application.role.as_str(),
            scheme.definition.name,
            match application.role {
                Role::Mentor => "You are now available to mentees.",
                Role::Mentee =>
                    "You are on the waiting list for a mentor; your place is shown on your applications page.",
            }
        ),
        Some(reason) => format!(
            "Your application to be a {} in {} was declined.\n\nThe reason given:\n{reason}",
            application.role.as_str(),
            scheme.definition.name,
        ),
    };
    let body = format!(
        "{outcome}\n\nSee your applications:\n{}/applications",
        public_url.trim_end_matches('/'),
    );
    tx.notify(
        Notice::of(
            &applicant,
            format!("application.decided.{id}"),
            "application.decided".to_owned(),
            format!("Your application to {}", scheme.definition.name),
            body,
        ),
        now,
    )
    .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        if status == ApplicationStatus::Approved {
            AuditAction::ApplicationApproved
        } else {
            AuditAction::ApplicationDeclined
        },
        Some(scheme.organisation),
        "application",
        Some(id.0),
        serde_json::json!({ "as": if as_manager { "line_manager" } else { "coordinator" } }),
    )])
    .await?;
    tx.commit().await?;
    application.status = status;
    application.decision_reason = reason;
    application.decided_by = Some(label);
    application.decided_at = Some(now);
    application.version += 1;
    Ok(application)
}

/// A scheme's applications as the actor may see them: every one for its coordinators, their
/// division's for divisional champions. The read is audited.
pub async fn of_scheme(
    app: &App,
    actor: &Actor,
    organisation: tandem_core::OrganisationId,
    key: &SchemeKey,
) -> Result<(Scheme, Vec<ApplicationForReview>), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let scheme = tx
        .scheme_by_key(organisation, key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no scheme called {key}")))?;
    authorize(
        actor,
        &Action::ViewApplicationList {
            organisation,
            scheme: scheme.id,
        },
    )?;
    let applications = tx.applications_to_scheme(scheme.id).await?;
    let places = waiting_places(&applications, now);
    let done = crate::training::completions(&mut tx, &scheme, now.date()).await?;
    let applicants: HashMap<PersonId, ExistingPerson> = tx
        .applicants_to_scheme(scheme.id)
        .await?
        .into_iter()
        .map(|person| (person.id, person))
        .collect();
    let mut rows = Vec::new();
    for application in applications {
        let Some(applicant) = applicants.get(&application.person) else {
            continue;
        };
        if authorize(
            actor,
            &Action::ViewApplications(scope_of(&scheme, applicant)),
        )
        .is_err()
        {
            continue;
        }
        rows.push(ApplicationForReview {
            training: training_of(&scheme, &application, &done),
            waiting: places.get(&application.id).copied(),
            applicant: applicant.clone(),
            scheme: scheme.clone(),
            application,
        });
    }
    tx.rollback().await?;
    audit::record_read(
        app,
        [audit::entry(
            actor,
            now,
            AuditAction::ApplicationsViewed,
            Some(organisation),
            "scheme",
            Some(scheme.id.0),
            serde_json::json!({ "scheme": key.as_ref(), "applications": rows.len() }),
        )],
    )
    .await?;
    Ok((scheme, rows))
}

/// Sets a waiting mentee's priority (higher goes first, e.g. EDI priority) (R4.2, R3.5).
pub async fn set_priority(
    app: &App,
    actor: &Actor,
    id: ApplicationId,
    priority: i32,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let application = tx
        .application(id)
        .await?
        .ok_or_else(|| AppError::NotFound("there is no such application".to_owned()))?;
    let scheme = tx
        .scheme(application.scheme)
        .await?
        .ok_or_else(|| AppError::NotFound("the application's scheme is gone".to_owned()))?;
    let applicant = tx.person(application.person).await?;
    authorize(
        actor,
        &Action::ManageApplications(scope_of(&scheme, &applicant)),
    )?;
    if !(0..=9).contains(&priority) {
        return Err(AppError::Invalid(vec![FormProblem {
            field: "priority",
            message: "use a priority from 0 (none) to 9 (first)".to_owned(),
        }]));
    }
    tx.set_application_priority(id, priority, now).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::ApplicationPrioritySet,
        Some(scheme.organisation),
        "application",
        Some(id.0),
        serde_json::json!({ "priority": priority }),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Checks the signed-in person against a scheme without applying: every reason they may not
/// take `role`.
pub async fn check(
    app: &App,
    actor: &Actor,
    scheme: &Scheme,
    role: Role,
) -> Result<Vec<Refusal>, AppError> {
    authorize(actor, &Action::Apply)?;
    let person = actor.person().ok_or_else(|| {
        AppError::NotFound("only a signed-in person can be checked against a scheme".to_owned())
    })?;
    let mut tx = app.store.begin_read().await?;
    let record = tx.person(person).await?;
    let person_organisation = tx
        .organisation_by_code(&record.record.organisation)
        .await?
        .ok_or_else(|| crate::organisations::not_found(&record.record.organisation))?;
    let scheme_organisation = organisation_of_scheme(&mut tx, scheme).await?;
    let mut refused = refusals(
        &mut tx,
        &record,
        &person_organisation,
        scheme,
        &scheme_organisation,
        role,
        None,
    )
    .await?;
    if scheme.status != SchemeStatus::Open {
        refused.insert(0, Refusal::SchemeClosed);
    }
    tx.rollback().await?;
    Ok(refused)
}

/// The columns of the applications CSV, in order, and whether each holds text people typed
/// (neutralised for spreadsheets) or a value the product writes.
pub const EXPORT_COLUMNS: [(&str, Kind); 18] = [
    ("scheme", Kind::Value),
    ("role", Kind::Value),
    ("status", Kind::Value),
    ("staff_number", Kind::Text),
    ("organisation", Kind::Value),
    ("first_name", Kind::Text),
    ("last_name", Kind::Text),
    ("email", Kind::Text),
    ("department", Kind::Text),
    ("location", Kind::Text),
    ("rank_or_grade", Kind::Text),
    ("topics", Kind::Text),
    ("capacity", Kind::Value),
    ("remote_ok", Kind::Value),
    ("submitted_at", Kind::Value),
    ("decided_at", Kind::Value),
    ("waiting_position", Kind::Value),
    ("ethics_acknowledged", Kind::Value),
];

/// An organisation's applications as CSV (one scheme's, or every scheme the actor may see),
/// each row with its scheme and state; the first line carries the protective marking. What the
/// applicant wrote in their own words stays out of the file. The export is audited.
pub async fn export_csv(
    app: &App,
    actor: &Actor,
    organisation: &OrgCode,
    scheme: Option<&SchemeKey>,
) -> Result<String, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let held = tx
        .organisation_by_code(organisation)
        .await?
        .ok_or_else(|| crate::organisations::not_found(organisation))?;
    let mut schemes = tx.schemes_of(held.id).await?;
    if let Some(key) = scheme {
        schemes.retain(|it| &it.definition.key == key);
        if schemes.is_empty() {
            return Err(AppError::NotFound(format!(
                "there is no scheme called {key}"
            )));
        }
    }
    let mut writer = CsvWriter::with_marking(held.protective_marking.as_ref(), EXPORT_COLUMNS);
    let mut permitted = 0;
    let mut count = 0;
    let stamp = |at: Option<OffsetDateTime>| {
        at.and_then(|at| {
            at.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
    };
    for scheme in &schemes {
        let list = Action::ViewApplicationList {
            organisation: held.id,
            scheme: scheme.id,
        };
        if let Err(denied) = authorize(actor, &list) {
            if schemes.len() == 1 {
                return Err(denied.into());
            }
            continue;
        }
        permitted += 1;
        let applications = tx.applications_to_scheme(scheme.id).await?;
        let places = waiting_places(&applications, now);
        let applicants: HashMap<PersonId, ExistingPerson> = tx
            .applicants_to_scheme(scheme.id)
            .await?
            .into_iter()
            .map(|person| (person.id, person))
            .collect();
        for application in applications {
            let Some(applicant) = applicants.get(&application.person) else {
                continue;
            };
            if authorize(
                actor,
                &Action::ViewApplications(scope_of(scheme, applicant)),
            )
            .is_err()
            {
                continue;
            }
            let record = &applicant.record;
            let text = |value: &Option<tandem_core::domain::FreeText>| {
                value.as_ref().map(ToString::to_string).unwrap_or_default()
            };
            writer.row([
                scheme.definition.key.to_string(),
                application.role.as_str().to_owned(),
                application.status.as_str().to_owned(),
                record.staff_number.to_string(),
                record.organisation.to_string(),
                record.first_name.to_string(),
                record.last_name.to_string(),
                record.email.to_string(),
                text(&record.department),
                application
                    .answers
                    .location
                    .clone()
                    .unwrap_or_else(|| text(&record.location)),
                record.rank_or_grade.to_string(),
                application.answers.topics.join("; "),
                application
                    .answers
                    .capacity
                    .map(|it| it.to_string())
                    .unwrap_or_default(),
                if application.answers.remote_ok {
                    "yes"
                } else {
                    "no"
                }
                .to_owned(),
                stamp(Some(application.submitted_at)),
                stamp(application.decided_at),
                places
                    .get(&application.id)
                    .map(|it| it.position.to_string())
                    .unwrap_or_default(),
                if application.ethics_acknowledged_at.is_some() {
                    "yes"
                } else {
                    "no"
                }
                .to_owned(),
            ]);
            count += 1;
        }
    }
    if permitted == 0 {
        authorize(
            actor,
            &Action::ViewApplicationList {
                organisation: held.id,
                scheme: schemes
                    .first()
                    .map_or(tandem_core::SchemeId(Uuid::nil()), |it| it.id),
            },
        )?;
    }
    tx.rollback().await?;
    audit::record_read(
        app,
        [audit::entry(
            actor,
            now,
            AuditAction::ApplicationsExported,
            Some(held.id),
            "organisation",
            Some(held.id.0),
            serde_json::json!({ "scheme": scheme.map(AsRef::<str>::as_ref), "rows": count }),
        )],
    )
    .await?;
    Ok(writer.finish_text())
}
