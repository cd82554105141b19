//! Applying to a scheme and one's own applications (R3); the decisions on them are in
//! `decisions.rs`.

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::form::{Pairs, checked, value, values};
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
use tandem_app::applications::{self, OwnApplication};
use tandem_core::ApplicationId;
use tandem_core::application::{AVAILABILITY_SLOTS, ApplicationForm, ApplicationStatus};
use tandem_core::domain::{OrgCode, SchemeKey};
use tandem_core::eligibility::Role;
use tandem_core::policy::SchemePolicy;
use uuid::Uuid;

/// What the ethics statement asks both parties to acknowledge (R3.6).
pub(crate) const ETHICS_STATEMENT: &str = "What is said between mentor and mentee stays between them, except where it \
    reveals a risk of harm, a crime or misconduct that must be reported. Both respect each other's time: \
    meetings are kept or moved in good time. Both share responsibility for the relationship and its goals. \
    Either may end it at any time, without giving a reason.";

fn parse_role(raw: &str) -> Result<Role, WebError> {
    Role::parse(raw).ok_or(WebError::NotFound)
}

pub(crate) fn parse_id(raw: &str) -> Result<ApplicationId, WebError> {
    Uuid::parse_str(raw)
        .map(ApplicationId)
        .map_err(|_| WebError::NotFound)
}

fn form_of(pairs: &Pairs) -> ApplicationForm {
    let owned = |name: &str| values(pairs, name).into_iter().map(str::to_owned).collect();
    ApplicationForm {
        summary: value(pairs, "summary").to_owned(),
        topics: owned("topics"),
        capacity: value(pairs, "capacity").to_owned(),
        location: value(pairs, "location").to_owned(),
        will_travel: checked(pairs, "will_travel"),
        remote_ok: checked(pairs, "remote_ok"),
        availability: owned("availability"),
        preferred_mentor_email: value(pairs, "preferred_mentor_email").to_owned(),
        statement_of_suitability: checked(pairs, "statement_of_suitability"),
        mentor_agreement: checked(pairs, "mentor_agreement"),
        ethics_acknowledged: checked(pairs, "ethics_acknowledged"),
        confidential: checked(pairs, "confidential"),
    }
}

/// One row of the availability grid: a day and its three slots.
struct DayRow {
    day: &'static str,
    slots: Vec<(String, &'static str, bool)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "apply.html")]
pub(crate) struct ApplyPage {
    chrome: Chrome,
    organisation: String,
    organisation_code: String,
    scheme_key: String,
    scheme_name: String,
    role: &'static str,
    mentor: bool,
    form: ApplicationForm,
    topics: Vec<(String, bool)>,
    days: Vec<DayRow>,
    max_capacity: u32,
    asks_statement: bool,
    asks_agreement: bool,
    asks_manager: bool,
    confidential_route: bool,
    ethics: &'static str,
    refusals: Vec<String>,
    errors: Vec<FieldError>,
}

impl ApplyPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::routes::sign_in::error_for(&self.errors, field)
    }
}

fn days(chosen: &[String]) -> Vec<DayRow> {
    const DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    const PARTS: [&str; 3] = ["Morning", "Afternoon", "Evening"];
    DAYS.iter()
        .enumerate()
        .map(|(day, name)| DayRow {
            day: name,
            slots: (0..3)
                .filter_map(|part| {
                    AVAILABILITY_SLOTS.get(day * 3 + part).map(|slot| {
                        (
                            (*slot).to_owned(),
                            PARTS[part],
                            chosen.iter().any(|it| it == slot),
                        )
                    })
                })
                .collect(),
        })
        .collect()
}

async fn apply_page(
    state: &WebState,
    signed_in: &SignedIn,
    code: &OrgCode,
    key: &SchemeKey,
    role: Role,
    form: Option<ApplicationForm>,
    errors: Vec<FieldError>,
) -> Result<ApplyPage, WebError> {
    let session = &signed_in.session;
    let (organisation, scheme) =
        tandem_app::schemes::catalogue_entry(&state.app, &session.actor, code, key).await?;
    let refusals = applications::check(&state.app, &session.actor, &scheme, role)
        .await?
        .iter()
        .map(|refusal| capitalise(&refusal.to_string()))
        .collect();
    let policy: &SchemePolicy = &scheme.definition.policy;
    let form = form.unwrap_or_else(|| ApplicationForm {
        location: session
            .record
            .location
            .as_ref()
            .map(|it| it.as_ref().to_owned())
            .unwrap_or_default(),
        remote_ok: policy.cross_force,
        ..ApplicationForm::default()
    });
    let topics = organisation
        .topics
        .iter()
        .map(|topic| {
            (
                topic.clone(),
                form.topics.iter().any(|it| it.eq_ignore_ascii_case(topic)),
            )
        })
        .collect();
    Ok(ApplyPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), ""),
        organisation: organisation.name.clone(),
        organisation_code: organisation.code.to_string(),
        scheme_key: key.to_string(),
        scheme_name: scheme.definition.name.clone(),
        role: role.as_str(),
        mentor: role == Role::Mentor,
        days: days(&form.availability),
        topics,
        max_capacity: policy.max_mentees_per_mentor,
        asks_statement: policy.mentor_statement_of_suitability,
        asks_agreement: policy.mentor_agreement,
        asks_manager: policy.line_manager_approval,
        confidential_route: tandem_core::application::confidential_route_offered(policy),
        ethics: ETHICS_STATEMENT,
        form,
        refusals,
        errors,
    })
}

/// `GET /organisations/{code}/schemes/{key}/apply/{role}`: the application form, or why the
/// person cannot apply.
pub(crate) async fn apply_form(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path((code, key, role)): Path<(String, String, String)>,
) -> Result<ApplyPage, WebError> {
    let code = OrgCode::parse(&code).map_err(|_| WebError::NotFound)?;
    let key = SchemeKey::parse(&key).map_err(|_| WebError::NotFound)?;
    let role = parse_role(&role)?;
    apply_page(&state, &signed_in, &code, &key, role, None, Vec::new()).await
}

/// `POST /organisations/{code}/schemes/{key}/apply/{role}`: applies, or shows every problem.
pub(crate) async fn apply(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path((code, key, role)): Path<(String, String, String)>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let code = OrgCode::parse(&code).map_err(|_| WebError::NotFound)?;
    let key = SchemeKey::parse(&key).map_err(|_| WebError::NotFound)?;
    let role = parse_role(&role)?;
    let form = form_of(&pairs);
    let session = &signed_in.session;
    let url = crate::routes::password::public_url(&state, &headers);
    match applications::apply(&state.app, &session.actor, &code, &key, role, &form, &url).await {
        Ok(application) => Ok(crate::redirect::to(&format!(
            "/applications/{}/applied",
            application.id
        ))),
        Err(AppError::Invalid(problems)) => {
            let errors = FieldError::from_problems(&problems);
            let page =
                apply_page(&state, &signed_in, &code, &key, role, Some(form), errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(AppError::Ineligible(_) | AppError::Conflict(_)) => {
            // The page lists the reasons afresh.
            let page = apply_page(
                &state,
                &signed_in,
                &code,
                &key,
                role,
                Some(form),
                Vec::new(),
            )
            .await?;
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(err) => Err(err.into()),
    }
}

/// One of the person's applications, as their page lists it.
struct OwnRow {
    id: String,
    scheme: String,
    scheme_href: String,
    role: &'static str,
    status: String,
    submitted: String,
    waiting: Option<String>,
    reason: Option<String>,
    ethics_due: bool,
    may_withdraw: bool,
    /// The mentor directory, for an approved mentee in a scheme where mentees choose.
    directory: Option<String>,
    /// The steps from applying to being matched, with where each stands.
    steps: Vec<crate::routes::next_steps::StepView>,
}

#[derive(Template, WebTemplate)]
#[template(path = "applications.html")]
pub(crate) struct OwnApplicationsPage {
    chrome: Chrome,
    rows: Vec<OwnRow>,
    /// Pairs the person is in.
    pairs: Vec<PairLine>,
    requested: bool,
    /// Completed training: (name, date).
    records: Vec<(String, String)>,
    /// Bookings: (booking id, workshop title, when, where, status in words, may cancel).
    bookings: Vec<(String, String, String, String, String, bool)>,
    /// Workshops to book: (workshop id, title, when, where, free places).
    /// Workshops the person may book: id, title, when, where, free places, and a refused
    /// booking's message.
    open: Vec<(String, String, String, String, u32, Option<String>)>,
    awaiting_me: usize,
    applied: bool,
    ethics: &'static str,
    errors: Vec<FieldError>,
}

/// A mentor's answer to a request the rules refused (a decline without its reason): the
/// message at the request's reason box, and what was typed.
#[derive(Debug, Clone)]
pub(crate) struct RefusedAnswer {
    pub(crate) pair: String,
    pub(crate) message: String,
    pub(crate) typed: String,
}

pub(crate) fn date(at: time::OffsetDateTime) -> String {
    date_only(at.date())
}

pub(crate) fn date_only(on: time::Date) -> String {
    let format = time::macros::format_description!("[day padding:none] [month repr:long] [year]");
    on.format(&format).unwrap_or_default()
}

/// Where one's own application stands, in words: a mentor's places taken beside it.
pub(crate) fn status_words(
    application: &tandem_core::application::Application,
    places: Option<(u32, u32)>,
) -> String {
    match places {
        Some((taken, offered)) if taken >= offered => {
            format!("Full ({taken} of {offered} places taken)")
        }
        Some((taken, offered)) if taken > 0 => format!(
            "{} ({taken} of {offered} places taken)",
            application.status.describe(application.role)
        ),
        _ => application.status.describe(application.role).to_owned(),
    }
}

/// A waiting mentee's place, in words.
pub(crate) fn waiting_words(place: applications::WaitingPlace) -> String {
    format!(
        "Number {} of {} waiting; waiting {} day{}",
        place.position,
        place.of,
        place.days,
        if place.days == 1 { "" } else { "s" }
    )
}

fn own_row(own: OwnApplication, steps: Vec<crate::routes::next_steps::StepView>) -> OwnRow {
    let application = own.application;
    OwnRow {
        id: application.id.to_string(),
        scheme: own.scheme.definition.name,
        scheme_href: format!(
            "/organisations/{}/schemes/{}",
            own.organisation, own.scheme.definition.key
        ),
        role: if application.role == Role::Mentor {
            "Mentor"
        } else {
            "Mentee"
        },
        status: status_words(&application, own.places),
        submitted: date(application.submitted_at),
        waiting: own.waiting.map(waiting_words),
        reason: (application.status == ApplicationStatus::Declined)
            .then_some(application.decision_reason)
            .flatten(),
        ethics_due: own.ethics_due,
        directory: (application.role == Role::Mentee
            && application.status == ApplicationStatus::Approved
            && own.scheme.definition.policy.matching
                == tandem_core::policy::MatchingMode::SelfSelect)
            .then(|| {
                format!(
                    "/organisations/{}/schemes/{}/directory",
                    own.organisation, own.scheme.definition.key
                )
            }),
        may_withdraw: application.status.withdrawal_refusal().is_none(),
        steps,
    }
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct AppliedQuery {
    applied: Option<String>,
    requested: Option<String>,
}

/// One of the person's pairs, as their page shows it.
struct PairLine {
    id: String,
    scheme: String,
    /// "mentor" or "mentee": what the other person is to them.
    other_role: &'static str,
    other: String,
    other_email: String,
    /// The relationship holds a place (from the introductory meeting to closing).
    live: bool,
    /// A directory request waits for the mentor.
    requested: bool,
    /// Not taken up.
    declined: bool,
    /// Closed after its reviews.
    closed: bool,
    /// Where it stands, in words.
    state: &'static str,
    /// They are the mentor and the mentee's request waits for them.
    to_answer: bool,
    /// They are the mentee and may ask to be matched again.
    mentee: bool,
    reason: Option<String>,
    /// What the mentee wrote for a mentor answering their request: (label, words).
    request: Vec<(&'static str, String)>,
    /// A refused answer: the message at the reason box, and what was typed.
    decline_error: Option<String>,
    decline_typed: String,
}

/// A mentee's answers as a mentor reads them before answering a request.
fn request_rows(answers: &tandem_core::application::Answers) -> Vec<(&'static str, String)> {
    let mut meets = Vec::new();
    if answers.will_travel {
        meets.push("will travel");
    }
    if answers.remote_ok {
        meets.push("will meet remotely");
    }
    vec![
        ("Their aims", answers.summary.clone()),
        ("Development areas", answers.topics.join(", ")),
        (
            "Where they are",
            answers
                .location
                .clone()
                .unwrap_or_else(|| "Not given".to_owned()),
        ),
        (
            "How they can meet",
            if meets.is_empty() {
                "In person, where they are".to_owned()
            } else {
                capitalise(&meets.join(", "))
            },
        ),
        (
            "When they are free",
            tandem_core::application::availability_words(&answers.availability),
        ),
    ]
}

fn pair_line(own: tandem_app::relationships::OwnMatch) -> PairLine {
    let view = own.view;
    let (other, other_role) = match own.role {
        Role::Mentor => (&view.mentee, "mentee"),
        Role::Mentee => (&view.mentor, "mentor"),
    };
    PairLine {
        id: view.pair.id.to_string(),
        scheme: own.scheme,
        other_role,
        other: other.record.full_name(),
        other_email: other.record.email.to_string(),
        live: view.pair.status.holds_place(),
        requested: view.pair.status == tandem_core::pairing::MatchStatus::Requested,
        declined: view.pair.status == tandem_core::pairing::MatchStatus::Declined,
        closed: view.pair.status == tandem_core::pairing::MatchStatus::Closed,
        state: view.pair.status.describe(),
        to_answer: own.role == Role::Mentor
            && view.pair.status == tandem_core::pairing::MatchStatus::Requested,
        mentee: own.role == Role::Mentee,
        reason: view.pair.reason.clone(),
        request: own.request.as_ref().map(request_rows).unwrap_or_default(),
        decline_error: None,
        decline_typed: String::new(),
    }
}

/// `GET /applications`: the person's applications, where each stands, and their waiting place.
pub(crate) async fn mine(
    State(state): State<WebState>,
    signed_in: SignedIn,
    crate::query::Query(query): crate::query::Query<AppliedQuery>,
) -> Result<OwnApplicationsPage, WebError> {
    let mut page = mine_page(&state, &signed_in, None).await?;
    page.requested = query.requested.is_some();
    page.applied = query.applied.is_some();
    Ok(page)
}

/// Your mentoring, with a refused answer to a request at its reason box.
pub(crate) async fn mine_page(
    state: &WebState,
    signed_in: &SignedIn,
    refused: Option<&RefusedAnswer>,
) -> Result<OwnApplicationsPage, WebError> {
    let session = &signed_in.session;
    let awaiting_me = applications::awaiting_my_decision(&state.app, &session.actor)
        .await?
        .len();
    let own = tandem_app::training::mine(&state.app, &session.actor).await?;
    let matches = tandem_app::relationships::mine(&state.app, &session.actor).await?;
    let today = state.app.clock.now().date();
    let rows = applications::mine(&state.app, &session.actor)
        .await?
        .into_iter()
        .map(|it| {
            let steps = crate::routes::next_steps::of(&it, &own.records, &matches, today);
            own_row(it, steps)
        })
        .collect();
    let mut pairs: Vec<PairLine> = matches.into_iter().map(pair_line).collect();
    let mut errors = Vec::new();
    if let Some(refused) = refused {
        if let Some(pair) = pairs.iter_mut().find(|it| it.id == refused.pair) {
            pair.decline_error = Some(refused.message.clone());
            pair.decline_typed = refused.typed.clone();
        }
        errors.push(FieldError {
            field: format!("decline-{}", refused.pair),
            message: refused.message.clone(),
        });
    }
    let zone = session.organisation.time_zone.as_str();
    let local = crate::routes::training::local;
    Ok(OwnApplicationsPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/applications"),
        rows,
        pairs,
        requested: false,
        records: own
            .records
            .into_iter()
            .map(|it| (it.training, date_only(it.completed_on)))
            .collect(),
        bookings: own
            .bookings
            .into_iter()
            .map(|it| {
                let status = match it.position {
                    Some((at, of)) => format!("On the waiting list: number {at} of {of}"),
                    None => it.booking.status.describe().to_owned(),
                };
                (
                    it.booking.id.to_string(),
                    workshop_title(&it.workshop),
                    local(it.workshop.starts_at, zone),
                    it.workshop.location,
                    status,
                    it.booking.status.is_live(),
                )
            })
            .collect(),
        open: own
            .open
            .into_iter()
            .map(|(workshop, free)| {
                (
                    workshop.id.to_string(),
                    workshop_title(&workshop),
                    local(workshop.starts_at, zone),
                    workshop.location,
                    free,
                    None,
                )
            })
            .collect(),
        awaiting_me,
        applied: false,
        ethics: ETHICS_STATEMENT,
        errors,
    })
}

impl OwnApplicationsPage {
    /// The page with a refused booking of `workshop`: the message in the summary and at the
    /// workshop's button, when the workshop is still offered.
    pub(crate) fn with_booking_refused(mut self, workshop: &str, message: String) -> Self {
        self.errors.push(FieldError {
            field: format!("book-{workshop}"),
            message: message.clone(),
        });
        if let Some(row) = self.open.iter_mut().find(|it| it.0 == workshop) {
            row.5 = Some(message);
        }
        self
    }
}

/// A workshop's title as a participant reads it: a support group says it is one.
fn workshop_title(workshop: &tandem_core::training::Workshop) -> String {
    match workshop.purpose {
        tandem_core::training::WorkshopPurpose::Training => workshop.title.clone(),
        tandem_core::training::WorkshopPurpose::SupportGroup => {
            format!("{} (mentor support group)", workshop.title)
        }
    }
}

/// `POST /applications/{id}/ethics`: records the ethics acknowledgement.
pub(crate) async fn acknowledge(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    applications::acknowledge_ethics(&state.app, &signed_in.session.actor, id).await?;
    Ok(crate::redirect::to("/applications"))
}
