//! The accessibility statement (R8.6): `/accessibility` for anyone, and its settings for an
//! organisation's administrators.

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::date_input::{DateInput, Folded};
use crate::form::{Pairs, value};
use crate::query::Query;
use crate::routes::people::capitalise;
use crate::routes::sign_in::FieldError;
use crate::visitor::{SignedIn, Visitor};
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tandem_app::AppError;
use tandem_app::accessibility::{self, IssueForm, SettingsForm, Statement};
use tandem_core::authz::Actor;
use tandem_core::domain::OrgCode;
use time::Date;
use uuid::Uuid;

/// A day as the statement writes it, e.g. 4 December 2026.
fn day(date: Option<Date>) -> Option<String> {
    date.and_then(|it| {
        it.format(time::macros::format_description!(
            "[day padding:none] [month repr:long] [year]"
        ))
        .ok()
    })
}

/// A known issue as the statement shows it.
struct IssueView {
    id: String,
    description: String,
    description_cy: Option<String>,
    criterion: String,
    fix_by: Option<String>,
}

/// The statement's model.
struct StatementView {
    organisation: String,
    email: Option<String>,
    phone: Option<String>,
    reply_within_days: Option<u16>,
    compliance: &'static str,
    issues: Vec<IssueView>,
    prepared_on: Option<String>,
    reviewed_on: Option<String>,
    manually_checked_on: Option<String>,
}

fn view(statement: Statement) -> StatementView {
    StatementView {
        organisation: statement.organisation.name,
        email: statement.settings.contact.email,
        phone: statement.settings.contact.phone,
        reply_within_days: statement.settings.contact.reply_within_days,
        compliance: statement.compliance.words(),
        issues: statement
            .issues
            .into_iter()
            .map(|it| IssueView {
                id: it.id.to_string(),
                description: it.issue.description,
                description_cy: it.issue.description_cy,
                criterion: format!(
                    "{} ({})",
                    it.issue.criterion.number(),
                    it.issue.criterion.name()
                ),
                fix_by: day(it.issue.fix_by),
            })
            .collect(),
        prepared_on: day(statement.settings.prepared_on),
        reviewed_on: day(statement.settings.reviewed_on),
        manually_checked_on: day(statement.settings.manually_checked_on),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "accessibility.html")]
pub(crate) struct StatementPage {
    chrome: Chrome,
    statement: Option<StatementView>,
    /// Organisations to choose from (code, name), when the visitor's is not known.
    choose: Vec<(String, String)>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct StatementQuery {
    organisation: Option<String>,
}

/// `GET /accessibility`: the statement of the visitor's organisation, of the one asked for,
/// of the only one, or a choice of organisations.
pub(crate) async fn statement(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(query): Query<StatementQuery>,
) -> Result<StatementPage, WebError> {
    let chrome = Chrome::new(&visitor, None, "/accessibility");
    let asked = match query.organisation.as_deref() {
        Some(code) => Some(
            OrgCode::parse(code)
                .map_err(|err| WebError::from(AppError::NotFound(err.to_string())))?,
        ),
        None => None,
    };
    let organisation = match (asked, &visitor.session) {
        (Some(code), _) => Some(
            tandem_app::organisations::by_code(&state.app, &code)
                .await?
                .id,
        ),
        (None, Some(session)) => Some(session.organisation.id),
        (None, None) => None,
    };
    let organisation = match organisation {
        Some(it) => it,
        None => {
            let catalogue =
                tandem_app::organisations::catalogue(&state.app, &Actor::Anonymous).await?;
            match catalogue.as_slice() {
                [(only, _)] => only.id,
                many => {
                    return Ok(StatementPage {
                        chrome,
                        statement: None,
                        choose: many
                            .iter()
                            .map(|(it, _)| (it.code.to_string(), it.name.clone()))
                            .collect(),
                    });
                }
            }
        }
    };
    let statement = accessibility::statement(&state.app, &Actor::Anonymous, organisation).await?;
    Ok(StatementPage {
        chrome,
        statement: Some(view(statement)),
        choose: Vec::new(),
    })
}

/// The statement's contact details and dates as the form holds them.
#[derive(Debug, Clone, Default)]
pub(crate) struct SettingsFields {
    email: String,
    phone: String,
    reply_within_days: String,
    prepared_on: String,
    reviewed_on: String,
    manually_checked_on: String,
}

impl SettingsFields {
    fn of(pairs: &Pairs) -> Self {
        Self {
            email: value(pairs, "email").to_owned(),
            phone: value(pairs, "phone").to_owned(),
            reply_within_days: value(pairs, "reply_within_days").to_owned(),
            prepared_on: value(pairs, "prepared_on").to_owned(),
            reviewed_on: value(pairs, "reviewed_on").to_owned(),
            manually_checked_on: value(pairs, "manually_checked_on").to_owned(),
        }
    }
}

/// A known issue as the form holds it.
#[derive(Debug, Clone, Default)]
pub(crate) struct IssueFields {
    description: String,
    description_cy: String,
    criterion: String,
    fix_by: String,
}

impl IssueFields {
    fn of(pairs: &Pairs) -> Self {
        Self {
            description: value(pairs, "description").to_owned(),
            description_cy: value(pairs, "description_cy").to_owned(),
            criterion: value(pairs, "criterion").to_owned(),
            fix_by: value(pairs, "fix_by").to_owned(),
        }
    }
}

/// The statement's dates: name, question, what it is in a message.
const DATES: [(&str, &str, &str); 3] = [
    (
        "prepared_on",
        "Date the statement was prepared",
        "the date prepared",
    ),
    (
        "reviewed_on",
        "Date it was last reviewed",
        "the date last reviewed",
    ),
    (
        "manually_checked_on",
        "Date a person last checked the service by hand",
        "the date last checked by hand",
    ),
];

#[derive(Template, WebTemplate)]
#[template(path = "accessibility_settings.html")]
pub(crate) struct SettingsPage {
    chrome: Chrome,
    statement: StatementView,
    form: SettingsFields,
    issue: IssueFields,
    /// The statement's dates, each as three boxes.
    dates: Vec<DateInput>,
    /// The issue's planned fix date, as three boxes.
    fix_by: DateInput,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
}

impl SettingsPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::routes::sign_in::error_for(&self.errors, field)
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DoneQuery {
    done: Option<String>,
}

/// The label a field's message starts with.
fn label(field: &str) -> &'static str {
    match field {
        "email" => "Email address",
        "phone" => "Telephone number",
        "reply_within_days" => "Days to reply",
        "prepared_on" => "Date prepared",
        "reviewed_on" => "Date last reviewed",
        "manually_checked_on" => "Date last checked by hand",
        "description" => "What does not work",
        "description_cy" => "What does not work, in Welsh",
        "criterion" => "Success criterion",
        "fix_by" => "Fix planned by",
        _ => "This",
    }
}

fn field_errors(err: AppError) -> Result<Vec<FieldError>, WebError> {
    match err {
        AppError::PolicyRejected(problems) => Ok(problems
            .into_iter()
            .map(|problem| FieldError {
                message: capitalise(&format!("{} {}", label(&problem.field), problem.message)),
                field: problem.field,
            })
            .collect()),
        err => Err(err.into()),
    }
}

async fn settings_page(
    state: &WebState,
    signed_in: &SignedIn,
    sent: Option<&Pairs>,
    issue: Option<&Pairs>,
    errors: Vec<FieldError>,
    notice: Option<&'static str>,
) -> Result<SettingsPage, WebError> {
    let session = &signed_in.session;
    // Only an administrator of the organisation may edit: ask as one would save.
    tandem_app::organisations::settings(&state.app, &session.actor, session.organisation.id)
        .await?;
    let statement =
        accessibility::statement(&state.app, &session.actor, session.organisation.id).await?;
    let iso = |date: Option<Date>| date.map(|it| it.to_string()).unwrap_or_default();
    let form = sent
        .map(SettingsFields::of)
        .unwrap_or_else(|| SettingsFields {
            email: statement.settings.contact.email.clone().unwrap_or_default(),
            phone: statement.settings.contact.phone.clone().unwrap_or_default(),
            reply_within_days: statement
                .settings
                .contact
                .reply_within_days
                .map(|it| it.to_string())
                .unwrap_or_default(),
            prepared_on: iso(statement.settings.prepared_on),
            reviewed_on: iso(statement.settings.reviewed_on),
            manually_checked_on: iso(statement.settings.manually_checked_on),
        });
    let error = |field: &str| crate::routes::sign_in::error_for(&errors, field).map(str::to_owned);
    let dates = DATES
        .iter()
        .map(|&(name, question, _)| {
            let boxes = DateInput::new(name, name, question);
            let boxes = match sent {
                Some(pairs) => boxes.kept(pairs),
                None => {
                    let iso = match name {
                        "prepared_on" => &form.prepared_on,
                        "reviewed_on" => &form.reviewed_on,
                        _ => &form.manually_checked_on,
                    };
                    boxes.holding(iso)
                }
            };
            let boxes = if name == "manually_checked_on" {
                boxes.hint_also("The automated checks run on every change; this is the last check by a person, for example with a screen reader")
            } else {
                boxes
            };
            boxes.with_error(error(name))
        })
        .collect();
    let fix_by = DateInput::new("fix_by", "fix_by", "Fix planned by (optional)");
    let fix_by = match issue {
        Some(pairs) => fix_by.kept(pairs),
        None => fix_by,
    }
    .with_error(error("fix_by"));
    Ok(SettingsPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/settings"),
        statement: view(statement),
        form,
        issue: issue.map(IssueFields::of).unwrap_or_default(),
        dates,
        fix_by,
        errors,
        notice,
    })
}

/// `GET /settings/accessibility`: the statement's contact details, dates and known issues.
pub(crate) async fn settings(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Query(query): Query<DoneQuery>,
) -> Result<SettingsPage, WebError> {
    let notice = match query.done.as_deref() {
        Some("saved") => Some("The statement's details were saved."),
        Some("added") => Some(
            "The known issue was added; the statement now says the service is partially compliant.",
        ),
        Some("removed") => Some("The known issue was removed from the statement."),
        _ => None,
    };
    settings_page(&state, &signed_in, None, None, Vec::new(), notice).await
}

/// `POST /settings/accessibility`: saves the contact details and dates, or shows every
/// problem next to its field with what was typed.
pub(crate) async fn save(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(mut pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let session = &signed_in.session;
    let dates = Folded::of(&mut pairs, &DATES.map(|(name, _, what)| (name, what)));
    let form = SettingsFields::of(&pairs);
    let typed = SettingsForm {
        email: form.email.clone(),
        phone: form.phone.clone(),
        reply_within_days: form.reply_within_days.clone(),
        prepared_on: form.prepared_on.clone(),
        reviewed_on: form.reviewed_on.clone(),
        manually_checked_on: form.manually_checked_on.clone(),
    };
    match accessibility::save_settings(&state.app, &session.actor, session.organisation.id, &typed)
        .await
    {
        Ok(()) => Ok(crate::redirect::to("/settings/accessibility?done=saved")),
        Err(err) => {
            let mut errors = field_errors(err)?;
            dates.fix(&mut errors, "");
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                settings_page(&state, &signed_in, Some(&pairs), None, errors, None).await?,
            )
                .into_response())
        }
    }
}

/// `POST /settings/accessibility/issues`: adds a known issue, or shows every problem next to
/// its field with what was typed.
pub(crate) async fn add_issue(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(mut pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let session = &signed_in.session;
    let dates = Folded::of(&mut pairs, &[("fix_by", "the date the fix is planned by")]);
    let issue = IssueFields::of(&pairs);
    let typed = IssueForm {
        description: issue.description.clone(),
        description_cy: issue.description_cy.clone(),
        criterion: issue.criterion.clone(),
        fix_by: issue.fix_by.clone(),
    };
    match accessibility::add_issue(&state.app, &session.actor, session.organisation.id, &typed)
        .await
    {
        Ok(_) => Ok(crate::redirect::to("/settings/accessibility?done=added")),
        Err(err) => {
            let mut errors = field_errors(err)?;
            dates.fix(&mut errors, "");
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                settings_page(&state, &signed_in, None, Some(&pairs), errors, None).await?,
            )
                .into_response())
        }
    }
}

/// `POST /settings/accessibility/issues/{id}/delete`: removes a known issue once fixed.
pub(crate) async fn remove_issue(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<crate::routes::people::EmptyForm>,
) -> Result<Response, WebError> {
    let session = &signed_in.session;
    let id = Uuid::parse_str(&id).map_err(|_| WebError::NotFound)?;
    accessibility::remove_issue(&state.app, &session.actor, session.organisation.id, id).await?;
    Ok(crate::redirect::to("/settings/accessibility?done=removed"))
}
