//! The JSON API under `/api/v1`: people, organisations, schemes and role grants for
//! integrations, authenticated by API tokens, described by the OpenAPI document at
//! `/api/openapi.json`. The same use cases as the pages; only the wire format differs.

mod auth;
mod error;
mod extract;
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
pub(crate) use extract::json_errors;

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

/// Adds to every operation the errors any route can answer with, from its shape: 401 and 500
/// always; 400 with parameters (a malformed one); 400, 413, 415 and 422 with a body. A route's
/// own errors (403, 404, 409, …) are in its `responses`.
struct ErrorResponses;

impl utoipa::Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorJson")))
                        .build(),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            for operation in [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ]
            .into_iter()
            .flatten()
            {
                let mut statuses = vec![
                    (
                        "401",
                        "No current API token: send `Authorization: Bearer tandem_…`",
                    ),
                    (
                        "500",
                        "The service failed; the error gives a reference for your administrator",
                    ),
                ];
                let has_parameters = operation
                    .parameters
                    .as_ref()
                    .is_some_and(|it| !it.is_empty());
                if has_parameters || operation.request_body.is_some() {
                    statuses.push((
                        "400",
                        "A parameter or the body is malformed or breaks a rule of this route",
                    ));
                }
                if operation.request_body.is_some() {
                    statuses.extend([
                        ("413", "The body is over 2 MB"),
                        ("415", "The body is not sent as `Content-Type: application/json`"),
                        ("422", "The body is JSON without the fields this route needs, or with a value of the wrong type"),
                    ]);
                }
                for (status, description) in statuses {
                    operation
                        .responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| error(description).into());
                }
            }
        }
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
    modifiers(&BearerToken, &ErrorResponses),
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
async fn openapi_json() -> extract::Json<utoipa::openapi::OpenApi> {
    extract::Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    /// axum's own extractors answer a bad request in plain text; the API's answer in its JSON.
    #[test]
    fn handlers_take_the_apis_extractors_not_axums() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|name| name == "extract.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            let code = source.split("#[cfg(test)]").next().unwrap_or_default();
            for (number, line) in code.lines().enumerate() {
                let axums = line.contains("axum::Json")
                    || (line.contains("axum::extract::")
                        && ["Json", "Path", "Query"]
                            .iter()
                            .any(|name| line.contains(name)));
                assert!(
                    !axums,
                    "{}:{}: use super::extract::{{Json, Path, Query}}: {line}",
                    path.display(),
                    number + 1
                );
            }
        }
    }
}
