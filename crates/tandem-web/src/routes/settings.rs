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
use tandem_core::domain::BandEdit;

use crate::form::{Pairs, value};

/// The settings as the form holds them (typed text, kept after a refusal).
#[derive(Debug, Clone, Default)]
pub(crate) struct SettingsForm {
    version: String,
    name: String,
    protective_marking: String,
    time_zone: String,
    topics: String,
    /// "yes" or "no".
    line_manager_digest: String,
}

/// Empty rows for new bands under the organisation's own (GOV.UK "add another", without
/// JavaScript): a blank row is ignored.
const NEW_BAND_ROWS: usize = 2;

/// One band's row: its name, seniority and ranks, with the errors at each.
#[derive(Debug, Clone, Default)]
pub(crate) struct BandRow {
    idx: usize,
    /// Kept from the saved band so schemes naming it still find it; empty for a new band.
    code: String,
    name: String,
    level: String,
    /// One rank or grade a line.
    ranks: String,
    name_error: Option<String>,
    level_error: Option<String>,
    ranks_error: Option<String>,
}

impl BandRow {
    fn is_blank(&self) -> bool {
        self.name.trim().is_empty() && self.level.trim().is_empty() && self.ranks.trim().is_empty()
    }
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

    /// Every problem with the mapping as a whole (several ranks may be left without a band).
    fn mapping_errors(&self) -> Vec<&str> {
        self.errors
            .iter()
            .filter(|it| it.field == "rank_bands")
            .map(|it| it.message.as_str())
            .collect()
    }
}

fn form_of(pairs: &Pairs) -> SettingsForm {
    SettingsForm {
        version: value(pairs, "version").to_owned(),
        name: value(pairs, "name").to_owned(),
        protective_marking: value(pairs, "protective_marking").to_owned(),
        time_zone: value(pairs, "time_zone").to_owned(),
        topics: value(pairs, "topics").to_owned(),
        line_manager_digest: value(pairs, "line_manager_digest").to_owned(),
    }
}

/// The band rows a form sent (`rank_bands.{n}.code|name|level|ranks`), in order, blank ones too.
fn rows_of(pairs: &Pairs) -> Vec<BandRow> {
    let mut rows: Vec<BandRow> = Vec::new();
    for (key, _) in pairs {
        let Some(idx) = key
            .strip_prefix("rank_bands.")
            .and_then(|rest| rest.split_once('.'))
            .and_then(|(idx, _)| idx.parse::<usize>().ok())
            .filter(|idx| *idx < 200)
        else {
            continue;
        };
        if rows.iter().any(|it| it.idx == idx) {
            continue;
        }
        let field = |part: &str| value(pairs, &format!("rank_bands.{idx}.{part}")).to_owned();
        rows.push(BandRow {
            idx,
            code: field("code"),
            name: field("name"),
            level: field("level"),
            ranks: field("ranks"),
            ..BandRow::default()
        });
    }
    rows.sort_by_key(|it| it.idx);
    rows
}

/// The bands the rows hold, blank rows left out, with the index of each one's row.
fn bands_of(rows: &[BandRow]) -> (Vec<BandEdit>, Vec<usize>) {
    rows.iter()
        .filter(|it| !it.is_blank())
        .map(|row| {
            let band = BandEdit {
                code: row.code.trim().to_owned(),
                name: row.name.clone(),
                level: row.level.clone(),
                ranks: row
                    .ranks
                    .lines()
                    .map(str::trim)
                    .filter(|it| !it.is_empty())
                    .map(str::to_owned)
                    .collect(),
            };
            (band, row.idx)
        })
        .unzip()
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SavedQuery {
    saved: Option<String>,
}

async fn page(
    state: &WebState,
    signed_in: &SignedIn,
    sent: Option<&Pairs>,
    errors: Vec<FieldError>,
    saved: bool,
) -> Result<SettingsPage, WebError> {
    let session = &signed_in.session;
    let (organisation, version) =
        organisations::settings(&state.app, &session.actor, session.organisation.id).await?;
    let (form, mut bands) = match sent {
        Some(pairs) => (form_of(pairs), rows_of(pairs)),
        None => (
            SettingsForm {
                version: version.to_string(),
                name: organisation.name.clone(),
                protective_marking: organisation.protective_marking.to_string(),
                time_zone: organisation.time_zone.clone(),
                topics: organisation.topics.join("\n"),
                line_manager_digest: if organisation.line_manager_digest {
                    "yes"
                } else {
                    "no"
                }
                .to_owned(),
            },
            organisation
                .rank_bands
                .bands()
                .iter()
                .enumerate()
                .map(|(idx, band)| BandRow {
                    idx,
                    code: band.code.clone(),
                    name: band.name.clone(),
                    level: band.level.to_string(),
                    ranks: band.ranks.join("\n"),
                    ..BandRow::default()
                })
                .collect(),
        ),
    };
    let blank_at_end = bands.iter().rev().take_while(|it| it.is_blank()).count();
    let next = bands.last().map_or(0, |it| it.idx + 1);
    bands.extend(
        (next..next + NEW_BAND_ROWS.saturating_sub(blank_at_end)).map(|idx| BandRow {
            idx,
            ..BandRow::default()
        }),
    );
    for row in &mut bands {
        let at = |part: &str| {
            crate::routes::sign_in::error_for(&errors, &format!("rank_bands-{}-{part}", row.idx))
                .map(str::to_owned)
        };
        row.name_error = at("name");
        row.level_error = at("level");
        row.ranks_error = at("ranks");
    }
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
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let session = &signed_in.session;
    let form = form_of(&pairs);
    let rows = rows_of(&pairs);
    let (bands, row_of) = bands_of(&rows);
    let changes = SettingsChanges {
        name: form.name.clone(),
        protective_marking: form.protective_marking.clone(),
        time_zone: form.time_zone.clone(),
        topics: form.topics.clone(),
        rank_bands: bands,
        line_manager_digest: form.line_manager_digest == "yes",
    };
    let version = form.version.parse().unwrap_or(-1);
    let outcome = organisations::update_settings(
        &state.app,
        &session.actor,
        session.organisation.id,
        version,
        changes,
    )
    .await;
    match outcome {
        Ok(_) => Ok(crate::redirect::to("/settings?saved=1")),
        Err(AppError::PolicyRejected(problems)) => {
            let mut errors: Vec<FieldError> = Vec::new();
            for problem in &problems {
                let field = match problem.field.strip_prefix("rank_bands.") {
                    // The use case counts the bands it was given; the page counts its rows.
                    Some(rest) => {
                        let (idx, part) = rest.split_once('.').unwrap_or((rest, "name"));
                        let row = idx
                            .parse::<usize>()
                            .ok()
                            .and_then(|idx| row_of.get(idx).copied())
                            .unwrap_or(0);
                        format!("rank_bands-{row}-{part}")
                    }
                    None => problem.field.clone(),
                };
                if !errors
                    .iter()
                    .any(|it| it.field == field && field != "rank_bands")
                {
                    errors.push(FieldError {
                        field,
                        message: capitalise(&problem.message),
                    });
                }
            }
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&state, &signed_in, Some(&pairs), errors, false).await?,
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
                page(&state, &signed_in, Some(&pairs), errors, false).await?,
            )
                .into_response())
        }
        Err(err) => Err(err.into()),
    }
}
