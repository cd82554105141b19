//! Single sign-on: off to the organisation's identity provider and back.

use crate::query::Query;
use crate::routes::sign_in::{FieldError, page as sign_in_page};
use crate::visitor::Visitor;
use crate::{WebError, WebState, cookies};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tandem_app::accounts::SESSION_IDLE;

#[derive(Debug, Deserialize)]
pub(crate) struct StartQuery {
    next: Option<String>,
}

/// `GET /sign-in/sso`: sends the browser to the identity provider.
pub(crate) async fn start(
    State(state): State<WebState>,
    Query(query): Query<StartQuery>,
) -> Result<Response, WebError> {
    let sso = state.sso.as_ref().ok_or(WebError::NotFound)?;
    let next = crate::redirect::same_site(query.next.as_deref().unwrap_or_default());
    let url = sso.begin(&state.app, &next).await?;
    Ok(crate::redirect::to_identity_provider(&url))
}

#[derive(Debug, Deserialize)]
pub(crate) struct CallbackQuery {
    #[serde(default)]
    state: String,
    code: Option<String>,
    error: Option<String>,
}

/// `GET /sign-in/sso/callback`: the provider sends the browser back here.
pub(crate) async fn callback(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(query): Query<CallbackQuery>,
) -> Result<Response, WebError> {
    let sso = state.sso.as_ref().ok_or(WebError::NotFound)?;
    match sso
        .finish(
            &state.app,
            &query.state,
            query.code.as_deref(),
            query.error.as_deref(),
        )
        .await?
    {
        Ok((token, next)) => {
            let secure = state.config.secure_cookies;
            let cookie = cookies::set(
                cookies::session_name(secure),
                token.expose(),
                Some(SESSION_IDLE.whole_seconds()),
                secure,
            );
            let mut response = crate::redirect::to(&next);
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            Ok(response)
        }
        Err(refused) => {
            let message = crate::routes::people::capitalise(&refused.to_string());
            let errors = vec![FieldError {
                field: "sso".to_owned(),
                message,
            }];
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                sign_in_page(&state, &visitor, String::new(), "/".to_owned(), errors),
            )
                .into_response())
        }
    }
}
