//! The people directory, a person's page, and giving or taking away their roles.

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::query::Query;
use crate::routes::sign_in::FieldError;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tandem_app::PeopleSearch;
use tandem_app::accounts::Session;
use tandem_app::{AppError, people, roles};
use tandem_core::PersonId;
use tandem_core::authz::{Action, Grant, Scope, StaffRole, authorize};
use uuid::Uuid;

/// People per directory page.
const PAGE_SIZE: i64 = 25;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DirectoryQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    rank: String,
    #[serde(default)]
    department: String,
    page: Option<i64>,
}

struct PersonRow {
    id: String,
    name: String,
    staff_number: String,
    rank: String,
    department: String,
    location: String,
    status: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "people.html")]
pub(crate) struct DirectoryPage {
    chrome: Chrome,
    organisation: String,
    q: String,
    rank: String,
    department: String,
    ranks: Vec<String>,
    departments: Vec<String>,
    rows: Vec<PersonRow>,
    total: i64,
    first: i64,
    last: i64,
    previous: Option<String>,
    next: Option<String>,
    may_import: bool,
}

fn page_link(query: &DirectoryQuery, page: i64) -> String {
    let pairs = [
        ("q", query.q.as_str()),
        ("rank", query.rank.as_str()),
        ("department", query.department.as_str()),
    ];
    let mut encoded = serde_urlencoded::to_string(
        pairs
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    if !encoded.is_empty() {
        encoded.push('&');
    }
    format!("/people?{encoded}page={page}")
}

/// `GET /people`: search the organisation's people by name, staff number, rank and department.
pub(crate) async fn directory(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Query(query): Query<DirectoryQuery>,
) -> Result<DirectoryPage, WebError> {
    let SignedIn { session, visitor } = signed_in;
    let page = query.page.unwrap_or(1).max(1);
    let search = PeopleSearch {
        text: query.q.clone(),
        rank: query.rank.clone(),
        department: query.department.clone(),
        limit: PAGE_SIZE,
        offset: (page - 1).saturating_mul(PAGE_SIZE),
    };
    let found =
        people::directory(&state.app, &session.actor, session.organisation.id, &search).await?;
    let shown = i64::try_from(found.people.len()).unwrap_or(i64::MAX);
    let first = if shown == 0 { 0 } else { search.offset + 1 };
    let rows = found
        .people
        .into_iter()
        .map(|person| {
            let record = person.record;
            PersonRow {
                id: person.id.to_string(),
                name: record.full_name(),
                staff_number: record.staff_number.to_string(),
                rank: record.rank_or_grade.to_string(),
                department: record
                    .department
                    .map(|it| it.to_string())
                    .unwrap_or_default(),
                location: record.location.map(|it| it.to_string()).unwrap_or_default(),
                status: record.employment_status.as_str().replace('_', " "),
            }
        })
        .collect();
    let may_import = authorize(
        &session.actor,
        &Action::ImportPeople(session.organisation.id),
    )
    .is_ok();
    Ok(DirectoryPage {
        may_import,
        chrome: Chrome::new(&visitor, Some(&session), "/people"),
        organisation: session.organisation.name.clone(),
        ranks: found.ranks,
        departments: found.departments,
        rows,
        total: found.total,
        first,
        last: search.offset + shown,
        previous: (page > 1).then(|| page_link(&query, page - 1)),
        next: (search.offset + shown < found.total).then(|| page_link(&query, page + 1)),
        q: query.q,
        rank: query.rank,
        department: query.department,
    })
}

struct GrantRow {
    id: String,
    role: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "person.html")]
pub(crate) struct PersonPage {
    chrome: Chrome,
    id: String,
    name: String,
    organisation: String,
    rows: Vec<(&'static str, String)>,
    line_manager: Option<(String, String)>,
    direct_reports: usize,
    diversity_declared: bool,
    grants: Vec<GrantRow>,
    scopes: Vec<(String, String)>,
    roles: Vec<(&'static str, &'static str)>,
    notice: Option<String>,
    may_export: bool,
    may_erase: bool,
    /// The person's entries in the audit log are theirs to read.
    may_audit: bool,
    /// Their two-factor sign-in, for an administrator who may reset it.
    two_factor: Option<tandem_app::two_factor::Status>,
    errors: Vec<FieldError>,
    chosen_role: String,
    chosen_scope: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct NoticeQuery {
    notice: Option<String>,
}

pub(crate) fn parse_person(raw: &str) -> Result<PersonId, WebError> {
    Uuid::parse_str(raw)
        .map(PersonId)
        .map_err(|_| WebError::NotFound)
}

async fn person_page(
    state: &WebState,
    signed_in: &SignedIn,
    person: PersonId,
    notice: Option<String>,
    errors: Vec<FieldError>,
    chosen: (String, String),
) -> Result<PersonPage, WebError> {
    let session = &signed_in.session;
    let profile = people::profile(&state.app, &session.actor, person).await?;
    let record = &profile.person.record;
    let optional = |text: &Option<tandem_core::domain::FreeText>| {
        text.as_ref()
            .map_or_else(|| "Not recorded".to_owned(), ToString::to_string)
    };
    let mut scopes = vec![(
        "organisation".to_owned(),
        format!("All of {}", profile.organisation.name),
    )];
    scopes.extend(profile.departments.iter().map(|division| {
        (
            format!("division:{division}"),
            format!("Division: {division}"),
        )
    }));
    scopes.extend(profile.schemes.iter().map(|scheme| {
        (
            format!("scheme:{}", scheme.id),
            format!("Scheme: {}", scheme.definition.name),
        )
    }));
    let national = matches!(&session.actor, tandem_core::authz::Actor::Person { grants, .. } if grants.iter().any(|grant| grant.role == StaffRole::NationalAdmin));
    let mut roles: Vec<(&str, &str)> = [
        StaffRole::OrganisationAdmin,
        StaffRole::Coordinator,
        StaffRole::Champion,
    ]
    .into_iter()
    .map(|role| (role.as_str(), role.words()))
    .collect();
    if national {
        let role = StaffRole::NationalAdmin;
        roles.push((role.as_str(), role.words()));
        scopes.push((
            "installation".to_owned(),
            "The whole installation (national administrator only)".to_owned(),
        ));
    }
    // The links show only to those the use cases would let through.
    let organisation = profile.organisation.id;
    let may_export = authorize(
        &session.actor,
        &Action::ExportPersonData {
            person,
            organisation,
        },
    )
    .is_ok();
    let may_erase = authorize(&session.actor, &Action::ErasePerson(organisation)).is_ok();
    let may_audit = authorize(&session.actor, &Action::ViewAudit(Some(organisation))).is_ok();
    let two_factor = if authorize(&session.actor, &Action::ResetTwoFactor(organisation)).is_ok() {
        Some(tandem_app::two_factor::status_of(&state.app, &session.actor, person).await?)
    } else {
        None
    };
    Ok(PersonPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/people"),
        id: person.to_string(),
        name: record.full_name(),
        organisation: profile.organisation.name.clone(),
        rows: vec![
            ("Staff number", record.staff_number.to_string()),
            ("Email", record.email.to_string()),
            ("Rank or grade", record.rank_or_grade.to_string()),
            ("Role type", record.role_type.to_string()),
            ("Department", optional(&record.department)),
            ("Location", optional(&record.location)),
            ("Start of service", record.start_date.to_string()),
            (
                "Employment status",
                record.employment_status.as_str().replace('_', " "),
            ),
            (
                "On probation",
                if record.on_probation { "Yes" } else { "No" }.to_owned(),
            ),
            (
                "Under performance management",
                if record.under_performance_management {
                    "Yes"
                } else {
                    "No"
                }
                .to_owned(),
            ),
            ("Mentoring", mentoring(&profile.applications)),
        ],
        line_manager: profile
            .line_manager
            .map(|(id, name)| (id.to_string(), name)),
        direct_reports: profile.direct_reports,
        diversity_declared: profile.diversity_declared,
        grants: profile
            .grants
            .iter()
            .map(|(id, grant)| GrantRow {
                id: id.to_string(),
                role: crate::chrome::role_name(grant),
            })
            .collect(),
        scopes,
        roles,
        notice,
        may_export,
        may_erase,
        may_audit,
        two_factor,
        errors,
        chosen_role: chosen.0,
        chosen_scope: chosen.1,
    })
}

/// Where a person takes part, in words: each application's scheme, role and where it stands.
fn mentoring(
    applications: &[(
        String,
        tandem_core::eligibility::Role,
        tandem_core::application::ApplicationStatus,
    )],
) -> String {
    if applications.is_empty() {
        return "Has not applied to a scheme".to_owned();
    }
    applications
        .iter()
        .map(|(scheme, role, status)| {
            format!(
                "{scheme}: {} ({})",
                role.as_str(),
                status.describe(*role).to_lowercase()
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `GET /people/{id}`: one person's record and roles (the read is audited).
pub(crate) async fn person(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
    crate::flash::Notice(flash): crate::flash::Notice,
) -> Result<PersonPage, WebError> {
    let notice = match query.notice.as_deref() {
        Some("granted") => Some("The role was given.".to_owned()),
        Some("revoked") => Some("The role was taken away.".to_owned()),
        _ => flash,
    };
    person_page(
        &state,
        &signed_in,
        parse_person(&id)?,
        notice,
        Vec::new(),
        (String::new(), String::new()),
    )
    .await
}

#[derive(Debug, Deserialize)]
pub(crate) struct GrantForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    scope: String,
}

fn parse_grant(session: &Session, form: &GrantForm) -> Result<Grant, Vec<FieldError>> {
    let mut errors = Vec::new();
    let role = StaffRole::parse(&form.role);
    if role.is_none() {
        errors.push(FieldError {
            field: "role".to_owned(),
            message: "Choose a role".to_owned(),
        });
    }
    let organisation = session.organisation.id;
    let scope = match form.scope.split_once(':') {
        _ if form.scope == "organisation" => Some(Scope::Organisation(organisation)),
        _ if form.scope == "installation" => Some(Scope::Installation),
        Some(("division", division)) if !division.is_empty() => Some(Scope::Division {
            organisation,
            division: division.to_owned(),
        }),
        Some(("scheme", scheme)) => Uuid::parse_str(scheme).ok().map(|scheme| Scope::Scheme {
            organisation,
            scheme: tandem_core::SchemeId(scheme),
        }),
        _ => None,
    };
    if scope.is_none() {
        errors.push(FieldError {
            field: "scope".to_owned(),
            message: "Choose where the role applies".to_owned(),
        });
    }
    match (role, scope) {
        (Some(role), Some(scope)) if errors.is_empty() => Ok(Grant { role, scope }),
        _ => Err(errors),
    }
}

/// `POST /people/{id}/roles`: gives the person a role.
pub(crate) async fn grant(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<GrantForm>,
) -> Result<Response, WebError> {
    let person = parse_person(&id)?;
    let chosen = (form.role.clone(), form.scope.clone());
    let grant = match parse_grant(&signed_in.session, &form) {
        Ok(grant) => grant,
        Err(errors) => {
            let page = person_page(&state, &signed_in, person, None, errors, chosen).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match roles::grant(&state.app, &signed_in.session.actor, person, grant).await {
        Ok(()) => Ok(crate::redirect::to(&format!(
            "/people/{person}?notice=granted"
        ))),
        Err(AppError::Conflict(message) | AppError::NotFound(message)) => {
            let errors = vec![FieldError {
                field: "scope".to_owned(),
                message: capitalise(&message),
            }];
            let page = person_page(&state, &signed_in, person, None, errors, chosen).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct EmptyForm {}

/// `POST /people/{id}/roles/{grant}/delete`: takes a role away.
pub(crate) async fn revoke(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path((id, grant)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, WebError> {
    let person = parse_person(&id)?;
    let grant = Uuid::parse_str(&grant).map_err(|_| WebError::NotFound)?;
    match roles::revoke(&state.app, &signed_in.session.actor, person, grant).await {
        Ok(()) => Ok(crate::redirect::to(&format!(
            "/people/{person}?notice=revoked"
        ))),
        Err(AppError::Conflict(message)) => {
            let errors = vec![FieldError {
                field: "roles".to_owned(),
                message: capitalise(&message),
            }];
            let page = person_page(
                &state,
                &signed_in,
                person,
                None,
                errors,
                (String::new(), String::new()),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(err) => Err(err.into()),
    }
}

/// Use-case messages are lowercase; on a page they start a sentence.
pub(crate) fn capitalise(message: &str) -> String {
    let mut chars = message.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}
