//! The mentor directory (R5.5) in the browser: the mentors a mentee may ask, why others are not
//! shown, and the request; a refused request shows the directory again with the reason.

use super::{id_of, key_of};
use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::form::{Pairs, value};
use crate::query::Query;
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
use tandem_app::matching::{self, DirectorySearch};
use tandem_core::ApplicationId;
use tandem_core::domain::OrgCode;

pub(crate) struct DirectoryRow {
    application: String,
    name: String,
    rank: String,
    location: String,
    remote: bool,
    topics: String,
    summary: String,
    free: u32,
    requested: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "directory.html")]
pub(crate) struct DirectoryPage {
    chrome: Chrome,
    organisation_code: String,
    scheme_key: String,
    scheme_name: String,
    topics: Vec<String>,
    search: DirectorySearch,
    rows: Vec<DirectoryRow>,
    /// Mentors not shown, and why, as sentences.
    hidden: Vec<String>,
    /// How many mentors are not shown.
    hidden_total: usize,
    /// Why no mentor can be asked yet, when none can (training, a pending request, a reason
    /// the mentee may not be matched).
    blocked: Vec<String>,
    errors: Vec<FieldError>,
}

#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct DirectoryQuery {
    #[serde(default)]
    topic: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    remote: String,
}

/// "2 are in your line-management chain": a count and its reason as a clause.
fn counted(n: usize, why: &str) -> String {
    format!("{n} {} {why}", if n == 1 { "is" } else { "are" })
}

async fn page(
    state: &WebState,
    signed_in: &SignedIn,
    code: &OrgCode,
    key: &tandem_core::domain::SchemeKey,
    search: DirectorySearch,
) -> Result<DirectoryPage, WebError> {
    let session = &signed_in.session;
    let found = matching::directory(&state.app, &session.actor, code, key, &search).await?;
    let organisation = tandem_app::organisations::by_code(&state.app, code).await?;
    let mut blocked: Vec<String> = found
        .refused
        .iter()
        .map(|reason| format!("You cannot ask a mentor at the moment: {reason}."))
        .collect();
    if found.training_due {
        blocked.push(
            "You can ask a mentor once your training is done: the scheme requires it before matching. Book it from Your mentoring."
                .to_owned(),
        );
    }
    if let Some(mentor) = &found.pending {
        blocked.push(format!(
            "You have asked {} and are waiting for their answer. You can ask someone else if they decline, or if you withdraw your request on Your mentoring.",
            mentor.record.full_name()
        ));
    }
    Ok(DirectoryPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/applications"),
        organisation_code: code.to_string(),
        scheme_key: key.to_string(),
        scheme_name: found.scheme.definition.name,
        topics: organisation.topics,
        search,
        hidden_total: found.hidden.iter().map(|(_, n)| n).sum(),
        hidden: found
            .hidden
            .iter()
            .map(|(why, n)| counted(*n, why))
            .collect(),
        blocked,
        rows: found
            .entries
            .into_iter()
            .map(|entry| DirectoryRow {
                application: entry.application.id.to_string(),
                name: entry.person.record.full_name(),
                rank: entry.person.record.rank_or_grade.to_string(),
                location: entry
                    .application
                    .answers
                    .location
                    .clone()
                    .or_else(|| {
                        entry
                            .person
                            .record
                            .location
                            .as_ref()
                            .map(ToString::to_string)
                    })
                    .unwrap_or_default(),
                remote: entry.application.answers.remote_ok,
                topics: entry.application.answers.topics.join(", "),
                summary: entry.application.answers.summary.clone(),
                free: entry.free,
                requested: entry.requested,
            })
            .collect(),
        errors: Vec::new(),
    })
}

/// `GET /organisations/{code}/schemes/{key}/directory`: the mentors with free places the
/// mentee may ask.
pub(crate) async fn directory(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path((code, key)): Path<(String, String)>,
    Query(query): Query<DirectoryQuery>,
) -> Result<DirectoryPage, WebError> {
    let code = OrgCode::parse(&code).map_err(|_| WebError::NotFound)?;
    let key = key_of(&key)?;
    let search = DirectorySearch {
        topic: query.topic.chars().take(200).collect(),
        location: query.location.chars().take(200).collect(),
        remote: query.remote == "true",
    };
    page(&state, &signed_in, &code, &key, search).await
}

/// `POST /mentors/{id}/request`: asks a mentor from the directory. A refusal (the place taken
/// meanwhile, a rule) shows the directory again with the reason in words.
pub(crate) async fn request(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let mentor = ApplicationId(id_of(&id)?);
    let url = crate::routes::password::public_url(&state, &headers);
    let refused = match matching::request(&state.app, &signed_in.session.actor, mentor, &url).await
    {
        Ok(_) => return Ok(crate::redirect::to("/applications?requested=1")),
        Err(AppError::Conflict(reason)) => vec![reason],
        Err(AppError::RuleBroken(reasons)) => reasons,
        Err(other) => return Err(other.into()),
    };
    let (Ok(code), Ok(key)) = (
        OrgCode::parse(value(&pairs, "organisation")),
        key_of(value(&pairs, "scheme")),
    ) else {
        return Err(AppError::Conflict(refused.join("; ")).into());
    };
    let mut page = page(&state, &signed_in, &code, &key, DirectorySearch::default()).await?;
    page.errors = refused
        .iter()
        .map(|reason| FieldError {
            field: "mentors".to_owned(),
            message: capitalise(reason),
        })
        .collect();
    Ok((StatusCode::CONFLICT, page).into_response())
}
