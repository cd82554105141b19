//! `GET /api/v1/organisations`.

use super::ApiError;
use super::auth::ApiClient;
use super::extract::Json;
use super::json::OrganisationJson;
use crate::WebState;
use axum::extract::State;
use tandem_app::organisations;

/// Every organisation in the installation.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations",
    responses((status = 200, body = [OrganisationJson])))]
pub(crate) async fn list(
    State(state): State<WebState>,
    ApiClient(actor): ApiClient,
) -> Result<Json<Vec<OrganisationJson>>, ApiError> {
    let catalogue = organisations::catalogue(&state.app, &actor).await?;
    Ok(Json(
        catalogue
            .iter()
            .map(|(organisation, _)| OrganisationJson::from(organisation))
            .collect(),
    ))
}
