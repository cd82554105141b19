//! Training in the browser: a scheme's workshops (schedule, book people, waiting lists,
//! attendance), cancelling and prioritising bookings, and recording an applicant's completion.

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::form::{Pairs, checked, value, values};
use crate::routes::sign_in::FieldError;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use tandem_app::AppError;
use tandem_app::training::{self, WorkshopForm, WorkshopView};
use tandem_core::application::ApplicationStatus;
use tandem_core::domain::SchemeKey;
use tandem_core::eligibility::Role;
use tandem_core::training::{BookingStatus, WorkshopPurpose};
use tandem_core::{ApplicationId, BookingId, PersonId, WorkshopId};
use uuid::Uuid;

fn uuid(raw: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(raw).map_err(|_| WebError::NotFound)
}

/// A time as the organisation's clocks show it.
pub(crate) fn local(at: time::OffsetDateTime, zone: &str) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short] [day padding:none] [month repr:short] [year], [hour]:[minute]"
    );
    tandem_core::local_time::to_local(at, zone)
        .format(&format)
        .unwrap_or_default()
}

struct BookingRow {
    id: String,
    person: String,
    name: String,
    status: &'static str,
    booked: bool,
    waiting: Option<usize>,
    partner: bool,
    /// A refused priority: the message at the box, and the box as typed.
    priority_error: Option<String>,
    priority_shown: String,
}

struct WorkshopRow {
    id: String,
    title: String,
    when: String,
    location: String,
    capacity: u32,
    free: u32,
    joint: bool,
    support_group: bool,
    past: bool,
    cancelled: bool,
    bookings: Vec<BookingRow>,
    /// A refused booking: why, at the person chosen.
    book_error: Option<String>,
}

fn workshop_row(view: WorkshopView, zone: &str, now: time::OffsetDateTime) -> WorkshopRow {
    let workshop = view.workshop;
    WorkshopRow {
        id: workshop.id.to_string(),
        title: workshop.title,
        when: local(workshop.starts_at, zone),
        location: workshop.location,
        capacity: workshop.capacity,
        free: view.free,
        joint: workshop.joint,
        support_group: workshop.purpose == WorkshopPurpose::SupportGroup,
        past: workshop.starts_at <= now,
        cancelled: workshop.cancelled,
        book_error: None,
        bookings: view
            .bookings
            .into_iter()
            .map(|it| BookingRow {
                id: it.booking.id.to_string(),
                person: it.person.id.to_string(),
                name: it.person.record.full_name(),
                status: it.booking.status.describe(),
                booked: it.booking.status == BookingStatus::Booked,
                waiting: it.position,
                partner: it.booking.partner.is_some(),
                priority_error: None,
                priority_shown: it.booking.priority.to_string(),
            })
            .collect(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "workshops.html")]
pub(crate) struct WorkshopsPage {
    chrome: Chrome,
    scheme_name: String,
    scheme_key: String,
    training: String,
    joint_default: bool,
    may_schedule: bool,
    workshops: Vec<WorkshopRow>,
    /// Applicants who still need the training: (person id, name and role).
    mentors: Vec<(String, String)>,
    mentees: Vec<(String, String)>,
    /// The policy asks for mentor support groups every so many months (R4.3).
    support_group_months: Option<u32>,
    /// Who a support group is for: approved and matched mentors.
    group_mentors: Vec<(String, String)>,
    /// A support group to schedule, in words, when one is due.
    support_group_due: Option<String>,
    form: WorkshopForm,
    /// The workshop's date in three boxes.
    date: crate::date_input::DateInput,
    errors: Vec<FieldError>,
}

impl WorkshopsPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::routes::sign_in::error_for(&self.errors, field)
    }
}

async fn page(
    state: &WebState,
    signed_in: &SignedIn,
    key: &SchemeKey,
    form: Option<WorkshopForm>,
    errors: Vec<FieldError>,
) -> Result<WorkshopsPage, WebError> {
    let session = &signed_in.session;
    let organisation = session.organisation.id;
    let (scheme, views) =
        training::workshops(&state.app, &session.actor, organisation, key).await?;
    let (_, applications) =
        tandem_app::applications::of_scheme(&state.app, &session.actor, organisation, key).await?;
    let mut mentors = Vec::new();
    let mut mentees = Vec::new();
    let mut group_mentors = Vec::new();
    for row in applications {
        if row.application.role == Role::Mentor
            && matches!(
                row.application.status,
                ApplicationStatus::Approved | ApplicationStatus::Matched
            )
        {
            group_mentors.push((
                row.applicant.id.to_string(),
                row.applicant.record.full_name(),
            ));
        }
        let needs = matches!(&row.training, Some((_, None))) && row.application.status.is_open();
        if !needs {
            continue;
        }
        let entry = (
            row.applicant.id.to_string(),
            row.applicant.record.full_name(),
        );
        match row.application.role {
            Role::Mentor => mentors.push(entry),
            Role::Mentee => mentees.push(entry),
        }
    }
    let zone = session.organisation.time_zone.clone();
    let now = state.app.clock.now();
    let policy = &scheme.definition.policy;
    Ok(WorkshopsPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        scheme_name: scheme.definition.name.clone(),
        scheme_key: key.to_string(),
        training: policy.training.name.clone(),
        joint_default: policy.training.joint,
        may_schedule: tandem_core::authz::authorize(
            &session.actor,
            &tandem_core::authz::Action::ManageSchemes(organisation),
        )
        .is_ok(),
        workshops: views
            .into_iter()
            .map(|view| workshop_row(view, &zone, now))
            .collect(),
        mentors,
        mentees,
        support_group_months: policy.mentor_support_group_months.filter(|it| *it > 0),
        group_mentors,
        support_group_due: crate::routes::relationships::support_group_words(
            tandem_app::support_groups::due(&state.app, &session.actor, organisation, key).await?,
        ),
        date: crate::date_input::DateInput::new("date", "date", "Date")
            .holding(form.as_ref().map_or("", |it| it.date.as_str()))
            .with_error(crate::routes::sign_in::error_for(&errors, &date_box()).map(str::to_owned)),
        form: form.unwrap_or_else(|| WorkshopForm {
            joint: policy.training.joint,
            ..WorkshopForm::default()
        }),
        errors,
    })
}

/// The id of the workshop date's first box, where its error summary entry leads.
fn date_box() -> String {
    crate::date_input::DateInput::first_box("date")
}

fn parse_key(raw: &str) -> Result<SchemeKey, WebError> {
    SchemeKey::parse(raw).map_err(|_| WebError::NotFound)
}

/// `GET /schemes/{key}/workshops`: the scheme's workshops, their places and waiting lists.
pub(crate) async fn list(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
) -> Result<WorkshopsPage, WebError> {
    let key = parse_key(&key)?;
    page(&state, &signed_in, &key, None, Vec::new()).await
}

/// `POST /schemes/{key}/workshops`: schedules a workshop or a mentor support group, or shows
/// each problem by its field.
pub(crate) async fn schedule(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(key): Path<String>,
    CsrfForm(mut pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let key = parse_key(&key)?;
    // The boxes' own problem (a month missing, not a real date) replaces the use case's, which
    // reads only the folded value; the use case still reports every other field at once.
    let date_problem = match crate::date_input::fold(&mut pairs, "date", "the date") {
        Err(message) => Some(message),
        Ok(()) if value(&pairs, "date").is_empty() => Some("Enter the date".to_owned()),
        Ok(()) => None,
    };
    let form = WorkshopForm {
        title: value(&pairs, "title").to_owned(),
        date: value(&pairs, "date").to_owned(),
        time: value(&pairs, "time").to_owned(),
        location: value(&pairs, "location").to_owned(),
        capacity: value(&pairs, "capacity").to_owned(),
        joint: checked(&pairs, "joint"),
        support_group: value(&pairs, "purpose") == WorkshopPurpose::SupportGroup.as_str(),
    };
    let session = &signed_in.session;
    let url = crate::routes::password::public_url(&state, &headers);
    match training::schedule(
        &state.app,
        &session.actor,
        session.organisation.id,
        &key,
        &form,
        &url,
    )
    .await
    {
        Ok(_) => Ok(crate::redirect::to(&format!("/schemes/{key}/workshops"))),
        Err(AppError::Invalid(problems)) => {
            let errors = FieldError::from_problems(&problems)
                .into_iter()
                .map(|error| match error.field.as_str() {
                    "date" => FieldError {
                        field: date_box(),
                        message: date_problem.clone().unwrap_or(error.message),
                    },
                    _ => error,
                })
                .collect();
            let mut page = page(&state, &signed_in, &key, Some(form), errors).await?;
            page.date = page.date.clone().kept(&pairs);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(err) => Err(err.into()),
    }
}

/// Where to go after a change: back to the scheme's workshops for staff, to Your mentoring for
/// a participant.
fn back(pairs: &Pairs) -> String {
    match SchemeKey::parse(value(pairs, "scheme")) {
        Ok(key) => format!("/schemes/{key}/workshops"),
        Err(_) => "/applications".to_owned(),
    }
}

/// `POST /workshops/{id}/book`: books the signed-in person, or (for a coordinator) the person
/// and partner named in the form.
pub(crate) async fn book(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let workshop = WorkshopId(uuid(&id)?);
    let session = &signed_in.session;
    let person = match value(&pairs, "person") {
        "" => session.person,
        raw => PersonId(
            Uuid::parse_str(raw)
                .map_err(|_| WebError::BadRequest("choose the person to book".to_owned()))?,
        ),
    };
    let partner = match value(&pairs, "partner") {
        "" => None,
        raw => Some(PersonId(Uuid::parse_str(raw).map_err(|_| {
            WebError::BadRequest("choose the partner to book with them".to_owned())
        })?)),
    };
    let refused = match training::book(&state.app, &session.actor, workshop, person, partner).await
    {
        Ok(_) => return Ok(crate::redirect::to(&back(&pairs))),
        Err(AppError::Conflict(message)) => crate::routes::people::capitalise(&message),
        Err(AppError::Invalid(problems)) => problems
            .iter()
            .map(|it| crate::routes::people::capitalise(&it.message))
            .collect::<Vec<_>>()
            .join(". "),
        Err(err) => return Err(err.into()),
    };
    // Booked by staff from the scheme's workshops: that page again, the reason at the person
    // chosen. A participant booking their own place: Your mentoring again, the reason at the
    // workshop.
    let Ok(key) = SchemeKey::parse(value(&pairs, "scheme")) else {
        let page = crate::routes::applications::mine_page(&state, &signed_in, None)
            .await?
            .with_booking_refused(&workshop.to_string(), refused);
        return Ok((StatusCode::CONFLICT, page).into_response());
    };
    let errors = vec![FieldError {
        field: format!("person-{workshop}"),
        message: refused.clone(),
    }];
    let mut page = page(&state, &signed_in, &key, None, errors).await?;
    let id = workshop.to_string();
    if let Some(row) = page.workshops.iter_mut().find(|it| it.id == id) {
        row.book_error = Some(refused);
    }
    Ok((StatusCode::CONFLICT, page).into_response())
}

/// `POST /bookings/{id}/cancel`: gives up a place or leaves the waiting list.
pub(crate) async fn cancel(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let booking = BookingId(uuid(&id)?);
    training::cancel(&state.app, &signed_in.session.actor, booking).await?;
    Ok(crate::redirect::to(&back(&pairs)))
}

/// `POST /bookings/{id}/priority`: sets a waiting booking's priority.
pub(crate) async fn priority(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let booking = BookingId(uuid(&id)?);
    let message = match value(&pairs, "priority").trim().parse::<i32>() {
        Err(_) => "Enter a priority from 0 (none) to 9 (first), as a number".to_owned(),
        Ok(priority) => {
            match training::set_priority(&state.app, &signed_in.session.actor, booking, priority)
                .await
            {
                Ok(_) => return Ok(crate::redirect::to(&back(&pairs))),
                Err(AppError::Invalid(problems)) => problems
                    .iter()
                    .map(|it| crate::routes::people::capitalise(&it.message))
                    .collect::<Vec<_>>()
                    .join(". "),
                Err(err) => return Err(err.into()),
            }
        }
    };
    // The scheme's workshops again, the message at the booking's priority.
    let key = SchemeKey::parse(value(&pairs, "scheme"))
        .map_err(|_| WebError::BadRequest(message.clone()))?;
    let field = format!("priority-{booking}");
    let mut page = page(
        &state,
        &signed_in,
        &key,
        None,
        vec![FieldError {
            field,
            message: message.clone(),
        }],
    )
    .await?;
    let id = booking.to_string();
    for row in page
        .workshops
        .iter_mut()
        .flat_map(|it| it.bookings.iter_mut())
        .filter(|it| it.id == id)
    {
        row.priority_error = Some(message.clone());
        row.priority_shown = value(&pairs, "priority").to_owned();
    }
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// `POST /workshops/{id}/attendance`: records who came (ticked) and who did not.
pub(crate) async fn attendance(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let workshop = WorkshopId(uuid(&id)?);
    let attended: Vec<PersonId> = values(&pairs, "attended")
        .into_iter()
        .filter_map(|raw| Uuid::parse_str(raw).ok().map(PersonId))
        .collect();
    training::record_attendance(&state.app, &signed_in.session.actor, workshop, &attended).await?;
    Ok(crate::redirect::to(&back(&pairs)))
}

/// `POST /applications/{id}/training`: records that the applicant completed their training; a
/// date refused shows the scheme's applications again with the message at the date.
pub(crate) async fn record(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(mut pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let application = ApplicationId(uuid(&id)?);
    let key = SchemeKey::parse(value(&pairs, "scheme"))
        .map_err(|_| WebError::BadRequest("the form names no scheme".to_owned()))?;
    let what = "the date they completed it";
    let read = crate::date_input::fold(&mut pairs, "completed_on", what).and_then(|()| {
        match crate::date_input::read(&pairs, "completed_on", what) {
            crate::date_input::Read::Date(date) => Ok(date),
            _ => Err("Enter the date they completed it".to_owned()),
        }
    });
    let message = match read {
        Err(message) => message,
        Ok(completed_on) => match training::record_completion(
            &state.app,
            &signed_in.session.actor,
            application,
            completed_on,
        )
        .await
        {
            Ok(_) => return Ok(crate::redirect::to(&format!("/schemes/{key}/applications"))),
            Err(AppError::Invalid(problems)) => problems
                .iter()
                .map(|it| crate::routes::people::capitalise(&it.message))
                .collect::<Vec<_>>()
                .join(". "),
            Err(other) => return Err(other.into()),
        },
    };
    let refused = crate::routes::decisions::RefusedDecision {
        id: application.to_string(),
        form: crate::routes::decisions::RowForm::Training,
        message,
        kept: pairs,
    };
    let page = crate::routes::decisions::scheme_applications_page(
        &state,
        &signed_in,
        &key,
        Some(&refused),
    )
    .await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
