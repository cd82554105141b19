//! The JSON API under `/api/v1`: people, organisations, schemes and role grants for
//! integrations, authenticated by API tokens, described by the OpenAPI document at
//! `/api/openapi.json`. The same use cases as the pages; only the wire format differs.

mod auth;
mod error;
mod json;
mod matching;
mod organisations;
mod people;
mod roles;
mod schemes;

use crate::WebState;
use axum::Router;
use axum::routing;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

pub(crate) use error::ApiError;

/// Adds the bearer-token scheme every operation uses.
struct BearerToken;

impl utoipa::Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token issued by an administrator (tandem_…)"))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI description of the JSON API.
#[derive(OpenApi)]
#[openapi(
    info(title = "Tandem API", version = "1", description = "Mentoring programmes: people, organisations, schemes, role grants, applications, matches and relationships (metadata only, never what a pair writes)."),
    paths(
        organisations::list,
        people::directory,
        people::get,
        schemes::list,
        schemes::get,
        schemes::set_status,
        roles::list,
        roles::grant,
        roles::revoke,
        matching::applications,
        matching::list,
        matching::confirm,
        matching::propose,
        matching::relationships,
    ),
    modifiers(&BearerToken),
    security(("token" = [])),
    tags((name = "organisations"), (name = "people"), (name = "schemes"), (name = "roles"), (name = "matching"))
)]
pub(crate) struct ApiDoc;

macro_rules! api_routes {
    ($($method:ident $path:literal => $handler:path;)*) => {
        /// Every API route as (method, path), in registration order; the OpenAPI test checks
        /// the document describes exactly these.
        pub const API_ROUTES: &[(&str, &str)] = &[$((stringify!($method), $path)),*];

        pub(crate) fn router() -> Router<WebState> {
            let mut router = Router::new();
            $(router = router.route($path, routing::$method($handler));)*
            router.route("/api/openapi.json", routing::get(openapi_json))
        }
    };
}

api_routes! {
    get "/api/v1/organisations" => organisations::list;
    get "/api/v1/organisations/{code}/people" => people::directory;
    get "/api/v1/people/{id}" => people::get;
    get "/api/v1/organisations/{code}/schemes" => schemes::list;
    get "/api/v1/organisations/{code}/schemes/{key}" => schemes::get;
    put "/api/v1/organisations/{code}/schemes/{key}/status" => schemes::set_status;
    get "/api/v1/people/{id}/roles" => roles::list;
    post "/api/v1/people/{id}/roles" => roles::grant;
    delete "/api/v1/people/{id}/roles/{grant}" => roles::revoke;
    get "/api/v1/organisations/{code}/schemes/{key}/applications" => matching::applications;
    get "/api/v1/organisations/{code}/schemes/{key}/matches" => matching::list;
    post "/api/v1/matches/{id}/confirm" => matching::confirm;
    post "/api/v1/organisations/{code}/schemes/{key}/matches" => matching::propose;
    get "/api/v1/organisations/{code}/schemes/{key}/relationships" => matching::relationships;
}

/// The answer for an address under `/api/` that is not a route (the pages' fallback sends it here).
pub(crate) fn no_such_route() -> ApiError {
    ApiError::not_found("there is no such API route; see /api/openapi.json")
}

/// `GET /api/openapi.json`: the API's description.
async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}
