//! The API's own `Json`, `Path` and `Query` extractors: axum's, refused with the API's JSON error
//! instead of axum's plain text, so a handler cannot answer a bad request in another shape.
//!
//! Rule: API handlers take these, never `axum::extract::{Json, Path, Query}` (a tidy test in
//! `api/mod.rs` checks). Whatever still escapes as a non-JSON error under `/api/` (a method the
//! route does not take, a body over the limit) is rewritten by [`json_errors`].

use super::ApiError;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A JSON request body (`Content-Type: application/json`), or a JSON 400, 413, 415 or 422.
#[derive(Debug)]
pub(crate) struct Json<T>(pub(crate) T);

impl<T, S> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

fn json_rejection(rejection: &JsonRejection) -> ApiError {
    let error = match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            "send the body as JSON with the header `Content-Type: application/json`".to_owned()
        }
        JsonRejection::JsonSyntaxError(_) => format!(
            "the body is not valid JSON ({}); send one JSON object as /api/openapi.json describes",
            rejection.body_text()
        ),
        JsonRejection::JsonDataError(_) => format!(
            "the body does not have the fields this route needs ({}); see its request body in /api/openapi.json",
            rejection.body_text()
        ),
        _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => too_large().to_owned(),
        _ => format!(
            "the body could not be read ({}); send it again",
            rejection.body_text()
        ),
    };
    ApiError::with_status(rejection.status(), error)
}

fn too_large() -> &'static str {
    "the body is too large; send at most 2 MB"
}

/// Values from the path, or a JSON 400 naming the one that is malformed.
#[derive(Debug)]
pub(crate) struct Path<T>(pub(crate) T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(rejection) => Err(path_rejection(&rejection)),
        }
    }
}

fn path_rejection(rejection: &PathRejection) -> ApiError {
    ApiError::with_status(
        rejection.status(),
        format!(
            "the address is malformed ({}); see the route's path parameters in /api/openapi.json",
            rejection.body_text()
        ),
    )
}

/// The query string's parameters, or a JSON 400 naming the one that is malformed.
#[derive(Debug)]
pub(crate) struct Query<T>(pub(crate) T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(query_rejection(&rejection)),
        }
    }
}

fn query_rejection(rejection: &QueryRejection) -> ApiError {
    ApiError::with_status(
        rejection.status(),
        format!(
            "a query parameter is malformed ({}); see the route's query parameters in /api/openapi.json",
            rejection.body_text()
        ),
    )
}

/// Middleware: an error answered under `/api/` in any shape but JSON (axum's own 405 and 413,
/// a layer's refusal) goes out as the API's JSON error with the same status and headers.
pub(crate) async fn json_errors(request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let method = request.method().clone();
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let error = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            let allowed = parts
                .headers
                .get(header::ALLOW)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default();
            format!("this route does not take {method}; it takes {allowed} (see /api/openapi.json)")
        }
        StatusCode::PAYLOAD_TOO_LARGE => too_large().to_owned(),
        StatusCode::NOT_FOUND => super::no_such_route().message().to_owned(),
        _ if status.is_server_error() => {
            "the service failed; try again, and tell your administrator if it goes on".to_owned()
        }
        _ => format!(
            "the request was refused ({}); see /api/openapi.json for what this route takes",
            status.canonical_reason().unwrap_or("error")
        ),
    };
    let rewritten = ApiError::with_status(status, error).into_response();
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_TYPE);
    let (new_parts, body) = rewritten.into_parts();
    parts.headers.extend(new_parts.headers);
    Response::from_parts(parts, body)
}
