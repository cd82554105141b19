//! A scheme's invitation list, and its supply of mentors with the appeals for more, for the
//! scheme's coordinators.

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::form::{Pairs, value};
use crate::routes::matching::{key_of, notice_redirect};
use crate::routes::people::capitalise;
use crate::routes::sign_in::{FieldError, error_for};
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use tandem_app::AppError;
use tandem_app::invitations;
use tandem_app::matching;
use tandem_core::PersonId;
use tandem_core::domain::SchemeKey;
use tandem_core::eligibility::Role;
use uuid::Uuid;

/// A use case's refusal as the form's errors; `None` for failures that are not the visitor's
/// to fix.
fn form_errors(err: &AppError, field: &str) -> Option<Vec<FieldError>> {
    let one = |message: String| {
        vec![FieldError {
            field: field.to_owned(),
            message: capitalise(&message),
        }]
    };
    match err {
        AppError::Invalid(problems) => Some(FieldError::from_problems(problems)),
        AppError::Ineligible(refusals) => Some(
            refusals
                .iter()
                .map(|refusal| FieldError {
                    field: field.to_owned(),
                    message: capitalise(&refusal.to_string()),
                })
                .collect(),
        ),
        AppError::Conflict(message) => Some(one(message.clone())),
        _ => None,
    }
}

struct InvitedRow {
    person: String,
    name: String,
    detail: String,
    role: &'static str,
    role_key: &'static str,
    note: String,
    invited: String,
    applied: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "invitations.html")]
pub(crate) struct InvitationsPage {
    chrome: Chrome,
    scheme_name: String,
    scheme_key: String,
    roles: Vec<(&'static str, &'static str)>,
    rows: Vec<InvitedRow>,
    errors: Vec<FieldError>,
    email: String,
    role: String,
    note: String,
    notice: Option<String>,
}

async fn invitations_page(
    state: &WebState,
    signed_in: &SignedIn,
    key: &SchemeKey,
    notice: Option<String>,
) -> Result<InvitationsPage, WebError> {
    let session = &signed_in.session;
    let list = invitations::list(&state.app, &session.actor, session.organisation.id, key).await?;
    Ok(InvitationsPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        scheme_name: list.scheme.definition.name.clone(),
        scheme_key: key.to_string(),
        roles: list
            .by_invitation
            .iter()
            .map(|role| (role.as_str(), role_words(*role)))
            .collect(),
        rows: list
            .rows
            .iter()
            .map(|row| InvitedRow {
                person: row.person.id.to_string(),
                name: row.person.record.full_name(),
                detail: format!("{}, {}", row.person.record.rank_or_grade, row.organisation),
                role: role_words(row.invitation.role),
                role_key: row.invitation.role.as_str(),
                note: row.invitation.note.clone().unwrap_or_default(),
                invited: format!(
                    "{} by {}",
                    crate::routes::training::local(
                        row.invitation.invited_at,
                        &session.organisation.time_zone
                    ),
                    row.invited_by
                ),
                applied: row.applied.map_or_else(
                    || "Not yet".to_owned(),
                    |status| capitalise(status.describe(row.invitation.role)),
                ),
            })
            .collect(),
        errors: Vec::new(),
        email: String::new(),
        role: String::new(),
        note: String::new(),
        notice: notice.filter(|it| it.len() <= 500),
    })
}

/// `GET /schemes/{key}/invitations`: who is invited to the scheme, and a form to invite more.
pub(crate) async fn list(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
    crate::flash::Notice(notice): crate::flash::Notice,
) -> Result<InvitationsPage, WebError> {
    let key = key_of(&key)?;
    invitations_page(&state, &signed_in, &key, notice).await
}

/// `POST /schemes/{key}/invitations`: invites a person by their work email and emails them.
pub(crate) async fn invite(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(key): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let key = key_of(&key)?;
    let session = &signed_in.session;
    let url = crate::routes::password::public_url(&state, &headers);
    let email = value(&pairs, "email").to_owned();
    let note = value(&pairs, "note").to_owned();
    let role_raw = value(&pairs, "role").to_owned();
    let outcome = match Role::parse(&role_raw) {
        Some(role) => invitations::invite(
            &state.app,
            &session.actor,
            session.organisation.id,
            &key,
            invitations::NewInvitation {
                email: &email,
                role,
                note: &note,
            },
            &url,
        )
        .await
        .map(|person| (person, role)),
        None => Err(AppError::Invalid(vec![
            tandem_core::application::FormProblem {
                field: "role",
                message: "choose whether they are invited as a mentor or a mentee".to_owned(),
            },
        ])),
    };
    match outcome {
        Ok((_, role)) => Ok(notice_redirect(
            &format!("/schemes/{key}/invitations"),
            crate::flash::Flash::Invited {
                mentor: role == Role::Mentor,
            },
        )),
        Err(err) => {
            let Some(errors) = form_errors(&err, "email") else {
                return Err(err.into());
            };
            let mut page = invitations_page(&state, &signed_in, &key, None).await?;
            page.errors = errors;
            page.email = email;
            page.role = role_raw;
            page.note = note;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// Whose invitation, as a form or a link names it.
fn invitation_of(pairs: &Pairs) -> Result<(PersonId, Role), WebError> {
    let person = Uuid::parse_str(value(pairs, "person").trim())
        .map(PersonId)
        .map_err(|_| WebError::BadRequest("choose who to take off the list".to_owned()))?;
    let role = Role::parse(value(pairs, "role"))
        .ok_or_else(|| WebError::BadRequest("choose the role of the invitation".to_owned()))?;
    Ok((person, role))
}

/// A role as the list names it.
fn role_words(role: Role) -> &'static str {
    match role {
        Role::Mentor => "Mentor",
        Role::Mentee => "Mentee",
    }
}

async fn withdraw_page(
    state: &WebState,
    signed_in: &SignedIn,
    key: &SchemeKey,
    (person, role): (PersonId, Role),
) -> Result<crate::check::CheckPage, WebError> {
    let session = &signed_in.session;
    let withdrawal = invitations::invitation_withdrawal(
        &state.app,
        &session.actor,
        session.organisation.id,
        key,
        person,
        role,
    )
    .await?;
    let name = withdrawal.row.person.record.full_name();
    let scheme = &withdrawal.scheme.definition.name;
    let as_role = role_words(role).to_lowercase();
    let mut page = crate::check::CheckPage::new(
        Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        (
            format!("/schemes/{key}/invitations"),
            "invitations".to_owned(),
        ),
        format!("You are about to withdraw the invitation of {name}"),
        format!("/schemes/{key}/invitations/withdraw"),
        "Withdraw the invitation",
    );
    page.caption = scheme.clone();
    page.hidden = vec![
        ("person".to_owned(), person.to_string()),
        ("role".to_owned(), role.as_str().to_owned()),
    ];
    page.consequences = vec![
        format!(
            "{name} comes off the list of people invited to {scheme} as a {as_role}, and can no longer apply."
        ),
        match withdrawal.row.applied {
            Some(status) => format!(
                "Their application stands ({}), but they will not be matched without the invitation.",
                status.describe(role).to_lowercase()
            ),
            None => "They have not applied.".to_owned(),
        },
        format!("{name} is not emailed. To let them take part, invite them again."),
    ];
    Ok(page)
}

/// `GET /schemes/{key}/invitations/withdraw?person=…&role=…`: the check page before taking a
/// person off the invitation list.
pub(crate) async fn withdraw_check(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
    crate::query::Query(query): crate::query::Query<Pairs>,
) -> Result<crate::check::CheckPage, WebError> {
    let key = key_of(&key)?;
    withdraw_page(&state, &signed_in, &key, invitation_of(&query)?).await
}

/// `POST /schemes/{key}/invitations/withdraw`: takes a person off the invitation list, when
/// sent from its check page; otherwise shows the check page.
pub(crate) async fn withdraw(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let key = key_of(&key)?;
    let (person, role) = invitation_of(&pairs)?;
    if !crate::check::confirmed(&pairs) {
        return Ok(withdraw_page(&state, &signed_in, &key, (person, role))
            .await?
            .into_response());
    }
    let session = &signed_in.session;
    invitations::withdraw(
        &state.app,
        &session.actor,
        session.organisation.id,
        &key,
        person,
        role,
    )
    .await?;
    Ok(notice_redirect(
        &format!("/schemes/{key}/invitations"),
        crate::flash::Fixed::InvitationWithdrawn,
    ))
}

struct SupplyLine {
    label: String,
    mentees: u32,
    places: u32,
    shortfall: u32,
}

impl From<&tandem_core::supply::Line> for SupplyLine {
    fn from(line: &tandem_core::supply::Line) -> Self {
        Self {
            label: line.label.clone(),
            mentees: line.mentees,
            places: line.places,
            shortfall: line.shortfall(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "supply.html")]
pub(crate) struct SupplyPage {
    chrome: Chrome,
    scheme_name: String,
    scheme_key: String,
    total: SupplyLine,
    short: Vec<(String, u32, String)>,
    tables: Vec<(&'static str, &'static str, &'static str, Vec<SupplyLine>)>,
    bands: Vec<(String, String)>,
    /// People an appeal could still reach, in every band.
    left_total: u32,
    mentors_by_invitation: bool,
    appeals: Vec<(String, String, u32, String)>,
    errors: Vec<FieldError>,
    band: String,
    message: String,
    notice: Option<String>,
}

async fn supply_page(
    state: &WebState,
    signed_in: &SignedIn,
    key: &SchemeKey,
    notice: Option<String>,
) -> Result<SupplyPage, WebError> {
    let session = &signed_in.session;
    let view = matching::supply(&state.app, &session.actor, session.organisation.id, key).await?;
    let balance = &view.balance;
    // The band the scheme is shortest of, to ask for first.
    let suggested = balance
        .bands
        .iter()
        .find(|it| it.shortfall() > 0)
        .and_then(|it| it.band.clone())
        .unwrap_or_default();
    Ok(SupplyPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        scheme_name: view.scheme.definition.name.clone(),
        scheme_key: key.to_string(),
        total: (&balance.total).into(),
        short: balance
            .short()
            .map(|line| {
                let left = match line.band.as_ref().map(|band| view.left_to_ask.get(band)) {
                    None => String::new(),
                    Some(Some(0) | None) => ": nobody in the band is left to ask".to_owned(),
                    Some(Some(left)) => format!(
                        ": {} in the band could still volunteer",
                        tandem_core::words::counted(*left, "person", "people")
                    ),
                };
                (line.label.clone(), line.shortfall(), left)
            })
            .collect(),
        left_total: view.left_to_ask.values().sum(),
        tables: vec![
            (
                "By rank band",
                "bands",
                "Mentees' rank band",
                balance.bands.iter().map(Into::into).collect(),
            ),
            (
                "By topic",
                "topics",
                "Topic",
                balance.topics.iter().map(Into::into).collect(),
            ),
            (
                "By location",
                "locations",
                "Location",
                balance.locations.iter().map(Into::into).collect(),
            ),
        ],
        // Only the bands someone is left to ask in: the appeal's own rule.
        bands: view
            .appeal_bands
            .iter()
            .filter_map(|band| {
                let left = *view.left_to_ask.get(&band.code)?;
                (left > 0).then(|| {
                    (
                        band.code.clone(),
                        format!(
                            "{} ({} could volunteer)",
                            band.name,
                            tandem_core::words::counted(left, "person", "people")
                        ),
                    )
                })
            })
            .collect(),
        mentors_by_invitation: view.mentors_by_invitation,
        appeals: view
            .appeals
            .iter()
            .map(|(appeal, by)| {
                (
                    crate::routes::training::local(appeal.sent_at, &session.organisation.time_zone),
                    appeal.rank_band.clone(),
                    appeal.recipients,
                    by.clone(),
                )
            })
            .collect(),
        errors: Vec::new(),
        band: suggested,
        message: String::new(),
        notice: notice.filter(|it| it.len() <= 500),
    })
}

/// `GET /schemes/{key}/supply`: mentees waiting against free mentor places, where the scheme is
/// short, and the appeals sent.
pub(crate) async fn supply(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
    crate::flash::Notice(notice): crate::flash::Notice,
) -> Result<SupplyPage, WebError> {
    let key = key_of(&key)?;
    supply_page(&state, &signed_in, &key, notice).await
}

/// `POST /schemes/{key}/supply/appeal`: emails an appeal for mentors of one rank band.
pub(crate) async fn appeal(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(key): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let key = key_of(&key)?;
    let session = &signed_in.session;
    let url = crate::routes::password::public_url(&state, &headers);
    let band = value(&pairs, "band").to_owned();
    let message = value(&pairs, "message").to_owned();
    match matching::appeal(
        &state.app,
        &session.actor,
        session.organisation.id,
        &key,
        &band,
        &message,
        &url,
    )
    .await
    {
        Ok(recipients) => Ok(notice_redirect(
            &format!("/schemes/{key}/supply"),
            crate::flash::Flash::AppealSent(recipients),
        )),
        Err(err) => {
            let Some(errors) = form_errors(&err, "message") else {
                return Err(err.into());
            };
            let mut page = supply_page(&state, &signed_in, &key, None).await?;
            page.errors = errors;
            page.band = band;
            page.message = message;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

impl InvitationsPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

impl SupplyPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}
