//! A person's roles: list, give, take away.

use super::ApiError;
use super::auth::ApiClient;
use super::extract::{Json, Path};
use super::json::{ErrorJson, GrantJson, NewGrantJson};
use super::people::person_id;
use crate::WebState;
use axum::extract::State;
use axum::http::StatusCode;
use tandem_app::roles::ScopeChoice;
use tandem_app::{people, roles};
use tandem_core::authz::{Scope, StaffRole};
use tandem_core::domain::SchemeKey;
use uuid::Uuid;

/// A person's roles.
#[utoipa::path(get, path = "/api/v1/people/{id}/roles", tag = "roles",
    params(("id" = Uuid, Path, description = "The person's id")),
    responses((status = 200, body = [GrantJson]), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)))]
pub(crate) async fn list(
    State(state): State<WebState>,
    ApiClient(actor): ApiClient,
    Path(id): Path<String>,
) -> Result<Json<Vec<GrantJson>>, ApiError> {
    let profile = people::profile(&state.app, &actor, person_id(&id)?).await?;
    let keys: Vec<_> = profile
        .schemes
        .iter()
        .map(|scheme| (scheme.id, scheme.definition.key.to_string()))
        .collect();
    Ok(Json(
        profile
            .grants
            .iter()
            .map(|(id, grant)| GrantJson::new(*id, grant, &keys))
            .collect(),
    ))
}

/// Gives a person a role over a scope in their organisation.
#[utoipa::path(post, path = "/api/v1/people/{id}/roles", tag = "roles",
    params(("id" = Uuid, Path, description = "The person's id")),
    request_body = NewGrantJson,
    responses((status = 201, body = GrantJson), (status = 400, body = ErrorJson), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson), (status = 409, body = ErrorJson)))]
pub(crate) async fn grant(
    State(state): State<WebState>,
    ApiClient(actor): ApiClient,
    Path(id): Path<String>,
    Json(body): Json<NewGrantJson>,
) -> Result<(StatusCode, Json<GrantJson>), ApiError> {
    let person = person_id(&id)?;
    let role = StaffRole::parse(&body.role).ok_or_else(|| {
        ApiError::bad_request(
            "role must be national_admin, organisation_admin, coordinator or champion",
        )
    })?;
    let choice = match (
        body.scope.kind.as_str(),
        &body.scope.division,
        &body.scope.scheme,
    ) {
        ("installation", _, _) => ScopeChoice::Installation,
        ("organisation", _, _) => ScopeChoice::Organisation,
        ("division", Some(division), _) => ScopeChoice::Division(division.clone()),
        ("scheme", _, Some(key)) => ScopeChoice::Scheme(
            SchemeKey::parse(key)
                .map_err(|_| ApiError::not_found(format!("there is no scheme called {key}")))?,
        ),
        _ => {
            return Err(ApiError::bad_request(
                "scope.kind must be installation, organisation, division (with scope.division) or scheme (with scope.scheme)",
            ));
        }
    };
    let given = roles::grant_as_chosen(&state.app, &actor, person, role, choice).await?;
    let keys: Vec<_> = match (&given.grant.scope, &given.scheme_key) {
        (Scope::Scheme { scheme, .. }, Some(key)) => vec![(*scheme, key.to_string())],
        _ => Vec::new(),
    };
    Ok((
        StatusCode::CREATED,
        Json(GrantJson::new(given.id, &given.grant, &keys)),
    ))
}

/// Takes a role away.
#[utoipa::path(delete, path = "/api/v1/people/{id}/roles/{grant}", tag = "roles",
    params(("id" = Uuid, Path, description = "The person's id"), ("grant" = Uuid, Path, description = "The role's id")),
    responses((status = 204, description = "Taken away"), (status = 403, body = ErrorJson), (status = 404, body = ErrorJson)))]
pub(crate) async fn revoke(
    State(state): State<WebState>,
    ApiClient(actor): ApiClient,
    Path((id, grant)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let grant = Uuid::parse_str(&grant).map_err(|_| {
        ApiError::bad_request(format!(
            "{grant} is not a role's id: ids are UUIDs, as `id` in the person's roles"
        ))
    })?;
    roles::revoke(&state.app, &actor, person_id(&id)?, grant).await?;
    Ok(StatusCode::NO_CONTENT)
}
