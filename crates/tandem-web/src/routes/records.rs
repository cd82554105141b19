//! Retention of records (R8.3): `/settings/records`, where an organisation's administrators set
//! how long each kind of record is kept, see what the next disposal run would take, and may
//! run it now (the sweep runs it every 15 minutes anyway).

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
use std::collections::HashMap;
use tandem_app::AppError;
use tandem_app::retention::{self, RecordsPlan};
use tandem_core::retention::RecordKind;

/// A kind of record as the schedule form shows it.
struct KindView {
    field: &'static str,
    label: String,
    counted_from: &'static str,
    /// What was typed, or the months in force.
    months: Option<String>,
}

/// A line of the dry run.
struct DueView {
    kind: String,
    scheme: String,
    records: u64,
    oldest: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "records.html")]
pub(crate) struct RecordsPage {
    chrome: Chrome,
    organisation: String,
    kinds: Vec<KindView>,
    due: Vec<DueView>,
    total: u64,
    errors: Vec<FieldError>,
    notice: Option<String>,
}

impl RecordsPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        crate::routes::sign_in::error_for(&self.errors, field)
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DoneQuery {
    done: Option<String>,
    disposed: Option<u64>,
}

fn day(at: Option<time::OffsetDateTime>) -> String {
    at.and_then(|it| {
        it.date()
            .format(time::macros::format_description!(
                "[day padding:none] [month repr:long] [year]"
            ))
            .ok()
    })
    .unwrap_or_else(|| "While employed".to_owned())
}

fn page(
    signed_in: &SignedIn,
    plan: RecordsPlan,
    typed: Option<&HashMap<String, String>>,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> RecordsPage {
    let session = &signed_in.session;
    let kinds = RecordKind::ALL
        .iter()
        .map(|kind| KindView {
            field: kind.field(),
            label: capitalise(kind.describe()),
            counted_from: kind.counted_from(),
            months: plan.retention.months(*kind).map(|months| {
                typed
                    .and_then(|typed| typed.get(kind.field()).cloned())
                    .unwrap_or_else(|| months.get().to_string())
            }),
        })
        .collect();
    let total = plan.due.iter().map(|line| line.records).sum();
    let due = plan
        .due
        .into_iter()
        .map(|line| DueView {
            kind: capitalise(line.kind.describe()),
            scheme: line
                .scheme
                .unwrap_or_else(|| "People who have left".to_owned()),
            records: line.records,
            oldest: day(line.oldest),
        })
        .collect();
    RecordsPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/settings"),
        organisation: plan.organisation.name,
        kinds,
        due,
        total,
        errors,
        notice,
    }
}

/// `GET /settings/records`: the schedule and what the next run would dispose of.
pub(crate) async fn show(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Query(query): Query<DoneQuery>,
) -> Result<RecordsPage, WebError> {
    let session = &signed_in.session;
    let plan = retention::plan(&state.app, &session.actor, session.organisation.id).await?;
    let notice = match (query.done.as_deref(), query.disposed) {
        (Some("saved"), _) => Some("The retention schedule was saved.".to_owned()),
        (Some("disposed"), Some(0)) => Some("Nothing was due for disposal.".to_owned()),
        (Some("disposed"), Some(1)) => Some("1 record was disposed of.".to_owned()),
        (Some("disposed"), Some(count)) => Some(format!("{count} records were disposed of.")),
        _ => None,
    };
    Ok(page(&signed_in, plan, None, Vec::new(), notice))
}

/// `POST /settings/records`: saves the schedule, or shows every problem at its field with
/// what was typed.
pub(crate) async fn save(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let session = &signed_in.session;
    let raw = |field: &str| form.get(field).cloned().unwrap_or_default();
    match retention::save_schedule(&state.app, &session.actor, session.organisation.id, raw).await {
        Ok(_) => Ok(crate::redirect::to("/settings/records?done=saved")),
        Err(AppError::Invalid(problems)) => {
            let plan = retention::plan(&state.app, &session.actor, session.organisation.id).await?;
            let errors = FieldError::from_problems(&problems);
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&signed_in, plan, Some(&form), errors, None),
            )
                .into_response())
        }
        Err(err) => Err(err.into()),
    }
}

/// `POST /settings/records/dispose`: runs the disposal for the organisation now.
pub(crate) async fn dispose(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(_): CsrfForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let session = &signed_in.session;
    let done = retention::dispose(
        &state.app,
        &session.actor,
        session.organisation.id,
        state.app.clock.now(),
        false,
    )
    .await?;
    let count: u64 = done.iter().map(|it| it.records).sum();
    Ok(crate::redirect::to(&format!(
        "/settings/records?done=disposed&disposed={count}"
    )))
}
