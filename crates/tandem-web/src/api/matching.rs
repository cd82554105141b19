//! Applications and matches: read a scheme's applications and pairs, propose a pair (judged by
//! the same hard rules as every other path) and confirm it.

use super::ApiError;
use super::auth::ApiClient;
use super::extract::{Json, Path};
use super::json::ErrorJson;
use super::people::organisation_code;
use super::schemes::scheme_key;
use crate::WebState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use tandem_app::{applications, matching, organisations};
use tandem_core::{ApplicationId, MatchId};
use utoipa::ToSchema;
use uuid::Uuid;

/// An application to a scheme (what the applicant wrote in their own words is left out).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ApplicationJson {
    /// Its id.
    id: Uuid,
    /// The applicant's person id.
    person: Uuid,
    /// The applicant's name.
    name: String,
    /// `mentor` or `mentee`.
    role: String,
    /// `awaiting_manager`, `awaiting_coordinator`, `approved`, `matched`, `declined` or `withdrawn`.
    status: String,
    /// Development areas offered or wanted.
    topics: Vec<String>,
    /// A mentor's places.
    #[serde(skip_serializing_if = "Option::is_none")]
    capacity: Option<u32>,
    /// When it was made (RFC 3339).
    submitted_at: String,
    /// A waiting mentee's place on the waiting list.
    #[serde(skip_serializing_if = "Option::is_none")]
    waiting_position: Option<usize>,
    /// The training the role needs has been done (absent when none is needed).
    #[serde(skip_serializing_if = "Option::is_none")]
    training_done: Option<bool>,
    /// The ethics statement has been accepted.
    ethics_acknowledged: bool,
}

/// A pair of a mentor and a mentee.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct MatchJson {
    /// Its id.
    id: Uuid,
    /// The mentee's application.
    mentee_application: Uuid,
    /// The mentor's application.
    mentor_application: Uuid,
    /// The mentee's name.
    mentee: String,
    /// The mentor's name.
    mentor: String,
    /// `proposed`, `requested`, `confirmed`, `declined` or `ended`.
    status: String,
    /// `bulk`, `manual` or `directory`.
    source: String,
    /// The pair's score when proposed.
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<i32>,
    /// The score factor by factor.
    explanation: Vec<String>,
}

impl From<&matching::MatchView> for MatchJson {
    fn from(view: &matching::MatchView) -> Self {
        Self {
            id: view.pair.id.0,
            mentee_application: view.pair.mentee_application.0,
            mentor_application: view.pair.mentor_application.0,
            mentee: view.mentee.record.full_name(),
            mentor: view.mentor.record.full_name(),
            status: view.pair.status.as_str().to_owned(),
            source: view.pair.source.as_str().to_owned(),
            score: view.pair.score,
            explanation: view.pair.explanation.lines().map(str::to_owned).collect(),
        }
    }
}

/// A pair to propose.
#[derive(Debug, Deserialize, ToSchema)]
pub(crate) struct NewMatchJson {
    /// The mentee's application.
    mentee_application: Uuid,
    /// The mentor's application.
    mentor_application: Uuid,
}

/// A scheme's applications, oldest first.
#[utoipa::path(get, path = "/api/v1/organisations/{code}/schemes/{key}/applications", tag = "matching",
    params(("code" = String, Path, description = "Organisation code"), ("key" = String, Path, description = "Scheme key")),
    responses((status = 200, body = [ApplicationJson]), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)))]
pub(crate) async fn applications(
    State(state): State<WebState>,
    ApiClient(actor): ApiClient,
    Path((code, key)): Path<(String, String)>,
) -> Result<Json<Vec<ApplicationJson>>, ApiError> {
    let organisation = organisations::by_code(&state.app, &organisation_code(&code)?).await?;
    let (_, rows) =
        applications::of_scheme(&state.app, &actor, organisation.id, &scheme_key(&key)?).await?;
    Ok(Json(
        rows.into_iter()
            .map(|row| ApplicationJson {
                id: row.application.id.0,
                person: row.applicant.id.0,
                name: row.applicant.record.full_name(),
                role: row.application.role.as_str().to_owned(),
                status: row.application.status.as_str().to_owned(),
                topics: row.application.answers.topics.clone(),
                capacity: row.application.answers.capacity,
                submitted_at: row
                    .application
                    .submitted_at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                waiting_position: row.waiting.map(|it| it.position),
                training_done: row.training.as_ref().map(|(_, done)| done.is_some()),
                ethics_acknowledged: row.application.ethics_acknowledged_at.is_some(),
            })
            .collect(),
    ))
}

/// A scheme's pairs in the token's reach: proposed, requested and confirmed.
#[utoipa::path(get, path = "/api/v1/organisations/{code}/schemes/{key}/matches", tag = "matching",
    params(("code" = String, Path, description = "Organisation code"), ("key" = String, Path, description = "Scheme key")),
    responses((status = 200, body = [MatchJson]), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)))]
pub(crate) async fn list(
    State(state): State<WebState>,
    ApiClient(actor): ApiClient,
    Path((code, key)): Path<(String, String)>,
) -> Result<Json<Vec<MatchJson>>, ApiError> {
    let organisation = organisations::by_code(&state.app, &organisation_code(&code)?).await?;
    let board = matching::board(&state.app, &actor, organisation.id, &scheme_key(&key)?).await?;
    Ok(Json(
        board
            .proposed
            .iter()
            .chain(&board.requested)
            .chain(&board.confirmed)
            .map(MatchJson::from)
            .collect(),
    ))
}

/// Proposes a pair; refused with 409 and each hard rule it breaks.
#[utoipa::path(post, path = "/api/v1/organisations/{code}/schemes/{key}/matches", tag = "matching",
    params(("code" = String, Path, description = "Organisation code"), ("key" = String, Path, description = "Scheme key")),
    request_body = NewMatchJson,
    responses((status = 201, body = MatchJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson)))]
pub(crate) async fn propose(
    State(state): State<WebState>,
    ApiClient(actor): ApiClient,
    Path((code, key)): Path<(String, String)>,
    Json(body): Json<NewMatchJson>,
) -> Result<(StatusCode, Json<MatchJson>), ApiError> {
    let organisation = organisations::by_code(&state.app, &organisation_code(&code)?).await?;
    let key = scheme_key(&key)?;
    let scheme = matching::SchemeRef {
        organisation: organisation.id,
        key: &key,
    };
    let view = matching::pick(
        &state.app,
        &actor,
        scheme,
        ApplicationId(body.mentee_application),
        ApplicationId(body.mentor_application),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(MatchJson::from(&view))))
}

/// Confirms a proposed pair; refused with 409 and the reason (a place taken, an ethics
/// statement not accepted, a rule broken).
#[utoipa::path(post, path = "/api/v1/matches/{id}/confirm", tag = "matching",
    params(("id" = Uuid, Path, description = "Match id")),
    responses((status = 204, description = "Confirmed"), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson)))]
pub(crate) async fn confirm(
    State(state): State<WebState>,
    ApiClient(actor): ApiClient,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| {
        ApiError::bad_request(format!(
            "{id} is not a match's id: ids are UUIDs, as `id` in the scheme's matches"
        ))
    })?;
    let url = crate::routes::password::public_url(&state, &headers);
    matching::confirm(&state.app, &actor, MatchId(id), &url).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A relationship's metadata: state, dates and meetings, never what the pair wrote.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RelationshipJson {
    /// The pair's id.
    id: Uuid,
    /// `introductory`, `active`, `on_hold`, `closing`, `closed`, `declined` or `withdrawn`.
    state: String,
    /// The mentor's person id.
    mentor: Uuid,
    /// The mentee's person id.
    mentee: Uuid,
    /// When it was confirmed (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    confirmed_at: Option<String>,
    /// When it became active (a date).
    #[serde(skip_serializing_if = "Option::is_none")]
    started_on: Option<String>,
    /// When it is planned to end (a date).
    #[serde(skip_serializing_if = "Option::is_none")]
    ends_on: Option<String>,
    /// Meetings held.
    sessions_held: i64,
    /// When the last meeting was held (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    last_session_at: Option<String>,
    /// The next booked meeting (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    next_session_at: Option<String>,
    /// A progress review is due.
    review_due: bool,
    /// Why it is on hold, while it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    on_hold_because: Option<String>,
    /// Flags (a role change: the mentor now manages the mentee, or sits on their interview
    /// panel) still waiting for a suitability decision or the pair's declaration.
    flags_open: i64,
}

fn rfc3339(at: Option<time::OffsetDateTime>) -> Option<String> {
    at.and_then(|at| {
        at.format(&time::format_description::well_known::Rfc3339)
            .ok()
    })
}

/// A scheme's relationships in the token's reach: metadata only, never content.
#[utoipa::path(get, path = "/api/v1/organisations/{code}/schemes/{key}/relationships", tag = "matching",
    params(("code" = String, Path, description = "Organisation code"), ("key" = String, Path, description = "Scheme key")),
    responses((status = 200, body = [RelationshipJson]), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)))]
pub(crate) async fn relationships(
    State(state): State<WebState>,
    ApiClient(actor): ApiClient,
    Path((code, key)): Path<(String, String)>,
) -> Result<Json<Vec<RelationshipJson>>, ApiError> {
    let organisation = organisations::by_code(&state.app, &organisation_code(&code)?).await?;
    let rows = tandem_app::relationships::all_of_scheme(
        &state.app,
        &actor,
        organisation.id,
        &scheme_key(&key)?,
    )
    .await?;
    Ok(Json(
        rows.iter()
            .map(|row| RelationshipJson {
                id: row.pair.id.0,
                state: row.pair.status.as_str().to_owned(),
                mentor: row.pair.mentor.0,
                mentee: row.pair.mentee.0,
                confirmed_at: rfc3339(row.pair.life.confirmed_at),
                started_on: row.pair.life.started_on.map(|it| it.to_string()),
                ends_on: row.pair.life.ends_on.map(|it| it.to_string()),
                sessions_held: row.held,
                last_session_at: rfc3339(row.last_held),
                next_session_at: rfc3339(row.next_booked),
                review_due: row.review_due,
                on_hold_because: row.pair.life.hold.map(|it| it.reason.as_str().to_owned()),
                flags_open: row.open_flags,
            })
            .collect(),
    ))
}
