//! People: the directory and one person (every read is audited).
// utoipa expands `params(DirectoryParams)` with the type's full path, outside any function.
#![allow(unused_qualifications)]

use super::ApiError;
use super::auth::ApiClient;
use super::extract::{Json, Path, Query};
use super::json::{ErrorJson, GrantJson, PeoplePageJson, PersonDetailJson, PersonJson};
use crate::WebState;
use axum::extract::State;
use serde::Deserialize;
use tandem_app::{PeopleSearch, organisations, people};
use tandem_core::PersonId;
use tandem_core::domain::OrgCode;
use utoipa::IntoParams;
use uuid::Uuid;

/// Directory filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct DirectoryParams {
    /// Part of a name, staff number or email.
    #[serde(default)]
    q: String,
    /// A rank or grade exactly.
    #[serde(default)]
    rank: String,
    /// Part of a department.
    #[serde(default)]
    department: String,
    /// Rows to return, 1 to 500 (default 100).
    #[param(minimum = 1, maximum = 500)]
    limit: Option<i64>,
    /// Rows to skip (default 0).
    #[param(minimum = 0)]
    offset: Option<i64>,
}

pub(crate) fn organisation_code(raw: &str) -> Result<OrgCode, ApiError> {
    OrgCode::parse(raw)
        .map_err(|_| ApiError::not_found(format!("there is no organisation with code {raw}")))
}

/// A page of an organisation's people.
#[utoipa::path(get, path = "/api/v1/organisations/{code}/people", tag = "people",
    params(("code" = String, Path, description = "Organisation code"), DirectoryParams),
    responses((status = 200, body = PeoplePageJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)))]
pub(crate) async fn directory(
    State(state): State<WebState>,
    ApiClient(actor): ApiClient,
    Path(code): Path<String>,
    Query(params): Query<DirectoryParams>,
) -> Result<Json<PeoplePageJson>, ApiError> {
    let organisation = organisations::by_code(&state.app, &organisation_code(&code)?).await?;
    let limit = params.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::bad_request("limit must be from 1 to 500"));
    }
    let offset = params.offset.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::bad_request(
            "offset must be 0 or more: the number of people to skip",
        ));
    }
    let search = PeopleSearch {
        text: params.q,
        rank: params.rank,
        department: params.department,
        limit,
        offset,
    };
    let page = people::directory(&state.app, &actor, organisation.id, &search).await?;
    Ok(Json(PeoplePageJson {
        total: page.total,
        offset,
        limit,
        people: page.people.iter().map(PersonJson::from).collect(),
    }))
}

pub(crate) fn person_id(raw: &str) -> Result<PersonId, ApiError> {
    Uuid::parse_str(raw).map(PersonId).map_err(|_| {
        ApiError::bad_request(format!(
            "{raw} is not a person's id: ids are UUIDs, as `id` in the people directory"
        ))
    })
}

/// One person, with their roles.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "people",
    params(("id" = Uuid, Path, description = "The person's id")),
    responses((status = 200, body = PersonDetailJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)))]
pub(crate) async fn get(
    State(state): State<WebState>,
    ApiClient(actor): ApiClient,
    Path(id): Path<String>,
) -> Result<Json<PersonDetailJson>, ApiError> {
    let profile = people::profile(&state.app, &actor, person_id(&id)?).await?;
    let keys: Vec<_> = profile
        .schemes
        .iter()
        .map(|scheme| (scheme.id, scheme.definition.key.to_string()))
        .collect();
    Ok(Json(PersonDetailJson {
        person: PersonJson::from(&profile.person),
        roles: profile
            .grants
            .iter()
            .map(|(id, grant)| GrantJson::new(*id, grant, &keys))
            .collect(),
        direct_reports: profile.direct_reports,
    }))
}
