//! Schemes: list, read, open and close.

use super::ApiError;
use super::auth::ApiClient;
use super::extract::{Json, Path};
use super::json::{ErrorJson, SchemeJson, StatusJson};
use super::people::organisation_code;
use crate::WebState;
use axum::extract::State;
use axum::http::StatusCode;
use tandem_app::{organisations, schemes};
use tandem_core::domain::SchemeKey;

/// An organisation's schemes.
#[utoipa::path(get, path = "/api/v1/organisations/{code}/schemes", tag = "schemes",
    params(("code" = String, Path, description = "Organisation code")),
    responses((status = 200, body = [SchemeJson]), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)))]
pub(crate) async fn list(
    State(state): State<WebState>,
    ApiClient(actor): ApiClient,
    Path(code): Path<String>,
) -> Result<Json<Vec<SchemeJson>>, ApiError> {
    let found = schemes::list(&state.app, &actor, &organisation_code(&code)?).await?;
    Ok(Json(found.iter().map(SchemeJson::from).collect()))
}

pub(crate) fn scheme_key(raw: &str) -> Result<SchemeKey, ApiError> {
    SchemeKey::parse(raw)
        .map_err(|_| ApiError::not_found(format!("there is no scheme called {raw}")))
}

/// One scheme and its policy.
#[utoipa::path(get, path = "/api/v1/organisations/{code}/schemes/{key}", tag = "schemes",
    params(("code" = String, Path, description = "Organisation code"), ("key" = String, Path, description = "Scheme key")),
    responses((status = 200, body = SchemeJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)))]
pub(crate) async fn get(
    State(state): State<WebState>,
    ApiClient(actor): ApiClient,
    Path((code, key)): Path<(String, String)>,
) -> Result<Json<SchemeJson>, ApiError> {
    let key = scheme_key(&key)?;
    let found = schemes::list(&state.app, &actor, &organisation_code(&code)?).await?;
    let scheme = found
        .iter()
        .find(|scheme| scheme.definition.key == key)
        .ok_or_else(|| ApiError::not_found(format!("there is no scheme called {key}")))?;
    Ok(Json(SchemeJson::from(scheme)))
}

/// Opens or closes a scheme for applications.
#[utoipa::path(put, path = "/api/v1/organisations/{code}/schemes/{key}/status", tag = "schemes",
    params(("code" = String, Path, description = "Organisation code"), ("key" = String, Path, description = "Scheme key")),
    request_body = StatusJson,
    responses((status = 204, description = "Changed"), (status = 400, body = ErrorJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)))]
pub(crate) async fn set_status(
    State(state): State<WebState>,
    ApiClient(actor): ApiClient,
    Path((code, key)): Path<(String, String)>,
    Json(body): Json<StatusJson>,
) -> Result<StatusCode, ApiError> {
    let status = body
        .parse()
        .ok_or_else(|| ApiError::bad_request("status must be open or closed"))?;
    let organisation = organisations::by_code(&state.app, &organisation_code(&code)?).await?;
    schemes::set_status(
        &state.app,
        &actor,
        organisation.id,
        &scheme_key(&key)?,
        status,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
