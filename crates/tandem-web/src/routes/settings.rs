//! An organisation's settings: name, protective marking, time zone, topics, rank bands.

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::query::Query;
use crate::routes::people::capitalise;
use crate::routes::sign_in::FieldError;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tandem_app::AppError;
use tandem_app::organisations::{self, SettingsChanges};

#[derive(Debug, Clone, Default, Deserialize)]
pub(crate) struct SettingsForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    protective_marking: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    topics: String,
    #[serde(default)]
    rank_bands: String,
    /// "yes" or "no".
    #[serde(default)]
    line_manager_digest: String,
}

struct BandRow {
    name: String,
    level: u8,
    ranks: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "settings.html")]
pub(crate) struct SettingsPage {
    chrome: Chrome,
    form: SettingsForm,
    bands: Vec<BandRow>,
    errors: Vec<FieldError>,
    saved: bool,
}

impl SettingsPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::routes::sign_in::error_for(&self.errors, field)
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SavedQuery {
    saved: Option<String>,
}

async fn page(
    state: &WebState,
    signed_in: &SignedIn,
    form: Option<SettingsForm>,
    errors: Vec<FieldError>,
    saved: bool,
) -> Result<SettingsPage, WebError> {
    let session = &signed_in.session;
    let (organisation, version) =
        organisations::settings(&state.app, &session.actor, session.organisation.id).await?;
    let bands = organisation
        .rank_bands
        .bands()
        .iter()
        .map(|band| BandRow {
            name: band.name.clone(),
            level: band.level,
            ranks: band.ranks.join(", "),
        })
        .collect();
    let form = form.unwrap_or_else(|| SettingsForm {
        version: version.to_string(),
        name: organisation.name.clone(),
        protective_marking: organisation.protective_marking.to_string(),
        time_zone: organisation.time_zone.clone(),
        topics: organisation.topics.join("\n"),
        rank_bands: organisation.rank_bands.to_toml(),
        line_manager_digest: if organisation.line_manager_digest {
            "yes"
        } else {
            "no"
        }
        .to_owned(),
    });
    Ok(SettingsPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/settings"),
        form,
        bands,
        errors,
        saved,
    })
}

/// `GET /settings`: the organisation's settings form.
pub(crate) async fn get(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Query(query): Query<SavedQuery>,
) -> Result<SettingsPage, WebError> {
    page(&state, &signed_in, None, Vec::new(), query.saved.is_some()).await
}

/// `POST /settings`: saves the settings, or shows every problem next to its field.
pub(crate) async fn post(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(form): CsrfForm<SettingsForm>,
) -> Result<Response, WebError> {
    let session = &signed_in.session;
    let changes = SettingsChanges {
        name: form.name.clone(),
        protective_marking: form.protective_marking.clone(),
        time_zone: form.time_zone.clone(),
        topics: form.topics.clone(),
        rank_bands: form.rank_bands.clone(),
        line_manager_digest: form.line_manager_digest == "yes",
    };
    let version = form.version.parse().unwrap_or(-1);
    match organisations::update_settings(
        &state.app,
        &session.actor,
        session.organisation.id,
        version,
        changes,
    )
    .await
    {
        Ok(_) => Ok(crate::redirect::to("/settings?saved=1")),
        Err(AppError::PolicyRejected(problems)) => {
            let errors = problems
                .iter()
                .map(|problem| FieldError {
                    field: problem.field.clone(),
                    message: capitalise(&problem.message),
                })
                .collect();
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&state, &signed_in, Some(form), errors, false).await?,
            )
                .into_response())
        }
        Err(AppError::Conflict(message)) => {
            let errors = vec![FieldError {
                field: "name".to_owned(),
                message: capitalise(&format!("{message}; reload the page to see their changes")),
            }];
            Ok((
                StatusCode::CONFLICT,
                page(&state, &signed_in, Some(form), errors, false).await?,
            )
                .into_response())
        }
        Err(err) => Err(err.into()),
    }
}
