//! The decisions on applications: the line manager's approvals and a scheme's applications for
//! its coordinators and champions (R3.4, R3.5): the lists, approving or declining with a reason,
//! waiting-list priority and the CSV.

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::date_input::DateInput;
use crate::form::{Pairs, value};
use crate::routes::applications::{date, date_only, parse_id};
use crate::routes::people::capitalise;
use crate::routes::sign_in::FieldError;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use tandem_app::AppError;
use tandem_app::applications::{self, ApplicationForReview, Verdict};
use tandem_core::application::ApplicationStatus;
use tandem_core::domain::SchemeKey;
use tandem_core::eligibility::Role;

/// An application as the people deciding or matching it see it.
struct ReviewRow {
    id: String,
    name: String,
    person_href: String,
    rank: String,
    division: String,
    location: String,
    scheme: String,
    role: &'static str,
    status: &'static str,
    coordinator_decides: bool,
    confidential: bool,
    summary: String,
    topics: String,
    capacity: String,
    submitted: String,
    waiting: String,
    ethics: bool,
    /// The training the role needs, in words, and whether it is still to be done.
    training: String,
    training_due: bool,
    /// A refused decision on this row: its message at the reason field, and what was typed.
    reason_error: Option<String>,
    reason_typed: String,
    /// The date the training was completed, to record it.
    completed: DateInput,
    /// A refused priority: the message at the box, and the box as typed.
    priority_error: Option<String>,
    priority_shown: String,
}

/// Which of a row's forms was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowForm {
    /// Approving or declining.
    Decision,
    /// Recording the training done.
    Training,
    /// A waiting mentee's priority.
    Priority,
}

/// A form refused on the row of application `id`: the message to show at its field and what
/// was sent.
#[derive(Debug, Clone)]
pub(crate) struct RefusedDecision {
    pub(crate) id: String,
    pub(crate) form: RowForm,
    pub(crate) message: String,
    pub(crate) kept: Pairs,
}

impl RefusedDecision {
    /// Puts the refusal on its row.
    fn mark(&self, rows: &mut [ReviewRow]) {
        if let Some(row) = rows.iter_mut().find(|row| row.id == self.id) {
            match self.form {
                RowForm::Decision => {
                    row.reason_error = Some(self.message.clone());
                    row.reason_typed = value(&self.kept, "reason").to_owned();
                }
                RowForm::Training => {
                    row.completed = row
                        .completed
                        .clone()
                        .kept(&self.kept)
                        .with_error(Some(self.message.clone()));
                }
                RowForm::Priority => {
                    row.priority_error = Some(self.message.clone());
                    row.priority_shown = value(&self.kept, "priority").to_owned();
                }
            }
        }
    }

    fn errors(&self) -> Vec<FieldError> {
        let field = match self.form {
            RowForm::Decision => format!("reason-{}", self.id),
            RowForm::Training => DateInput::first_box(&format!("completed-{}", self.id)),
            RowForm::Priority => format!("priority-{}", self.id),
        };
        vec![FieldError {
            field,
            message: self.message.clone(),
        }]
    }
}

fn review_row(row: ApplicationForReview) -> ReviewRow {
    let (training, training_due) = match &row.training {
        None => ("None needed".to_owned(), false),
        Some((_, Some(on))) => (format!("Done {}", date_only(*on)), false),
        Some((name, None)) => (format!("Not yet: {name}"), true),
    };
    let application = row.application;
    let record = row.applicant.record;
    let completed = DateInput::new(
        format!("completed-{}", application.id),
        "completed_on",
        format!("Date {} completed it", record.full_name()),
    )
    .legend_hidden();
    ReviewRow {
        id: application.id.to_string(),
        name: record.full_name(),
        person_href: format!("/people/{}", row.applicant.id),
        rank: record.rank_or_grade.to_string(),
        division: record
            .department
            .map(|it| it.to_string())
            .unwrap_or_default(),
        location: application
            .answers
            .location
            .clone()
            .or_else(|| record.location.map(|it| it.to_string()))
            .unwrap_or_default(),
        scheme: row.scheme.definition.name,
        role: application.role.as_str(),
        status: application.status.describe(application.role),
        coordinator_decides: application.status == ApplicationStatus::AwaitingCoordinator,
        confidential: application.confidential,
        summary: application.answers.summary,
        topics: application.answers.topics.join(", "),
        capacity: application
            .answers
            .capacity
            .map(|it| it.to_string())
            .unwrap_or_default(),
        submitted: date(application.submitted_at),
        waiting: row
            .waiting
            .map(|place| format!("{} of {} ({} days)", place.position, place.of, place.days))
            .unwrap_or_default(),
        ethics: application.ethics_acknowledged_at.is_some(),
        training,
        training_due,
        reason_error: None,
        reason_typed: String::new(),
        completed,
        priority_error: None,
        priority_shown: application.priority.to_string(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "approvals.html")]
pub(crate) struct ApprovalsPage {
    chrome: Chrome,
    rows: Vec<ReviewRow>,
    errors: Vec<FieldError>,
    /// Which page the decision forms return to.
    from: String,
}

/// `GET /approvals`: applications waiting for the person as line manager.
pub(crate) async fn approvals(
    State(state): State<WebState>,
    signed_in: SignedIn,
) -> Result<ApprovalsPage, WebError> {
    approvals_page(&state, &signed_in, None).await
}

async fn approvals_page(
    state: &WebState,
    signed_in: &SignedIn,
    refused: Option<&RefusedDecision>,
) -> Result<ApprovalsPage, WebError> {
    let session = &signed_in.session;
    let mut rows: Vec<ReviewRow> = applications::awaiting_my_decision(&state.app, &session.actor)
        .await?
        .into_iter()
        .map(review_row)
        .collect();
    if let Some(refused) = refused {
        refused.mark(&mut rows);
    }
    Ok(ApprovalsPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/applications"),
        rows,
        errors: refused.map(RefusedDecision::errors).unwrap_or_default(),
        from: "approvals".to_owned(),
    })
}

/// `POST /applications/{id}/decision`: approves or declines (with a reason), as the line
/// manager or the coordinator; back to the list it came from.
pub(crate) async fn decide(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let session = &signed_in.session;
    let verdict = match value(&pairs, "decision") {
        "approve" => Verdict::Approve,
        "decline" => Verdict::Decline {
            reason: value(&pairs, "reason").to_owned(),
        },
        _ => {
            return Err(WebError::BadRequest(
                "choose whether to approve or decline the application".to_owned(),
            ));
        }
    };
    let url = crate::routes::password::public_url(&state, &headers);
    // The page the form sits on: the coordinator's list of a scheme's applications, or the
    // line manager's approvals.
    let from_scheme = value(&pairs, "from")
        .strip_prefix("scheme:")
        .and_then(|key| SchemeKey::parse(key).ok());
    match applications::decide(&state.app, &session.actor, id, verdict, &url).await {
        Ok(application) => {
            let back = match &from_scheme {
                Some(key) => format!("/schemes/{key}/applications"),
                None if application.approver.is_some() && !application.confidential => {
                    "/approvals".to_owned()
                }
                None => {
                    let key = scheme_key_of(&state, &signed_in, application.scheme).await?;
                    format!("/schemes/{key}/applications")
                }
            };
            Ok(crate::redirect::to(&back))
        }
        Err(AppError::Invalid(problems)) => {
            let refused = RefusedDecision {
                id: id.to_string(),
                form: RowForm::Decision,
                message: problems
                    .iter()
                    .map(|problem| capitalise(&problem.message))
                    .collect::<Vec<_>>()
                    .join(". "),
                kept: pairs,
            };
            let page = match from_scheme {
                Some(key) => scheme_applications_page(&state, &signed_in, &key, Some(&refused))
                    .await?
                    .into_response(),
                None => approvals_page(&state, &signed_in, Some(&refused))
                    .await?
                    .into_response(),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(err) => Err(err.into()),
    }
}

async fn scheme_key_of(
    state: &WebState,
    signed_in: &SignedIn,
    scheme: tandem_core::SchemeId,
) -> Result<String, WebError> {
    let session = &signed_in.session;
    let schemes =
        tandem_app::schemes::list(&state.app, &session.actor, &session.organisation.code).await?;
    Ok(schemes
        .into_iter()
        .find(|it| it.id == scheme)
        .map(|it| it.definition.key.to_string())
        .unwrap_or_default())
}

#[derive(Template, WebTemplate)]
#[template(path = "scheme_applications.html")]
pub(crate) struct SchemeApplicationsPage {
    chrome: Chrome,
    scheme_name: String,
    scheme_key: String,
    errors: Vec<FieldError>,
    /// Which page the decision forms return to.
    from: String,
    to_decide: Vec<ReviewRow>,
    /// Waiting for the applicants' line managers: someone else's to decide.
    with_managers: Vec<ReviewRow>,
    /// The visitor acts on the whole scheme (its invitations and supply of mentors), not only
    /// on some divisions' applicants.
    whole_scheme: bool,
    mentors: Vec<ReviewRow>,
    waiting: Vec<ReviewRow>,
    others: Vec<ReviewRow>,
}

/// `GET /schemes/{key}/applications`: the scheme's applications the visitor may see: those to
/// decide, mentors, the mentees' waiting list in order, and the rest.
pub(crate) async fn of_scheme(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
) -> Result<SchemeApplicationsPage, WebError> {
    let key = SchemeKey::parse(&key).map_err(|_| WebError::NotFound)?;
    scheme_applications_page(&state, &signed_in, &key, None).await
}

pub(crate) async fn scheme_applications_page(
    state: &WebState,
    signed_in: &SignedIn,
    key: &SchemeKey,
    refused: Option<&RefusedDecision>,
) -> Result<SchemeApplicationsPage, WebError> {
    let session = &signed_in.session;
    let (scheme, rows) =
        applications::of_scheme(&state.app, &session.actor, session.organisation.id, key).await?;
    let mut to_decide = Vec::new();
    let mut with_managers = Vec::new();
    let mut mentors = Vec::new();
    let mut waiting = Vec::new();
    let mut others = Vec::new();
    for row in rows {
        let status = row.application.status;
        let role = row.application.role;
        let place = row.waiting.map(|it| it.position);
        let view = review_row(row);
        if status == ApplicationStatus::AwaitingCoordinator {
            to_decide.push(view);
        } else if status == ApplicationStatus::AwaitingManager {
            with_managers.push(view);
        } else if role == Role::Mentor && status == ApplicationStatus::Approved {
            mentors.push(view);
        } else if let Some(place) = place {
            waiting.push((place, view));
        } else {
            others.push(view);
        }
    }
    waiting.sort_by_key(|(place, _)| *place);
    let mut waiting: Vec<ReviewRow> = waiting.into_iter().map(|(_, row)| row).collect();
    if let Some(refused) = refused {
        for rows in [
            &mut to_decide,
            &mut with_managers,
            &mut mentors,
            &mut waiting,
            &mut others,
        ] {
            refused.mark(rows);
        }
    }
    Ok(SchemeApplicationsPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        scheme_name: scheme.definition.name,
        scheme_key: key.to_string(),
        errors: refused.map(RefusedDecision::errors).unwrap_or_default(),
        from: format!("scheme:{key}"),
        whole_scheme: tandem_core::authz::authorize(
            &session.actor,
            &tandem_core::authz::Action::ManageApplications(tandem_core::authz::ApplicationScope {
                organisation: scheme.organisation,
                scheme: scheme.id,
                division: None,
            }),
        )
        .is_ok(),
        to_decide,
        with_managers,
        mentors,
        waiting,
        others,
    })
}

/// `POST /applications/{id}/priority`: sets a waiting mentee's priority.
pub(crate) async fn priority(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let key = SchemeKey::parse(value(&pairs, "scheme"))
        .map_err(|_| WebError::BadRequest("the form names no scheme".to_owned()))?;
    let session = &signed_in.session;
    let message = match value(&pairs, "priority").trim().parse::<i32>() {
        Err(_) => "Enter a priority from 0 (none) to 9 (first), as a number".to_owned(),
        Ok(priority) => {
            match applications::set_priority(&state.app, &session.actor, id, priority).await {
                Ok(()) => return Ok(crate::redirect::to(&format!("/schemes/{key}/applications"))),
                Err(AppError::Invalid(problems)) => problems
                    .iter()
                    .map(|problem| capitalise(&problem.message))
                    .collect::<Vec<_>>()
                    .join(". "),
                Err(err) => return Err(err.into()),
            }
        }
    };
    // The scheme's applications again, the message at the mentee's priority.
    let refused = RefusedDecision {
        id: id.to_string(),
        form: RowForm::Priority,
        message,
        kept: pairs,
    };
    let page = scheme_applications_page(&state, &signed_in, &key, Some(&refused)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// `GET /schemes/{key}/applications.csv`: the same table as a CSV file with the marking.
pub(crate) async fn of_scheme_csv(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
) -> Result<Response, WebError> {
    let key = SchemeKey::parse(&key).map_err(|_| WebError::NotFound)?;
    let session = &signed_in.session;
    let csv = applications::export_csv(
        &state.app,
        &session.actor,
        &session.organisation.code,
        Some(&key),
    )
    .await?;
    Ok(crate::routes::csv_download(
        &session.organisation.code,
        &key,
        "applications",
        csv,
    ))
}
