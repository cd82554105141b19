//! Who is calling: the actor an API token stands for, from `Authorization: Bearer …`.

use super::ApiError;
use crate::WebState;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use tandem_app::tokens;
use tandem_core::authz::Actor;

/// The caller of an API route; a request without a current token is refused with 401.
#[derive(Debug)]
pub(crate) struct ApiClient(pub(crate) Actor);

impl FromRequestParts<WebState> for ApiClient {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or_else(ApiError::unauthorised)?;
        match tokens::actor_for(&state.app, secret).await? {
            Some(actor) => Ok(Self(actor)),
            None => Err(ApiError::unauthorised()),
        }
    }
}
