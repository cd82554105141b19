//! Cross-site request forgery protection for every state-changing request.
//!
//! Two checks. A middleware refuses unsafe requests whose `Origin` names another site, and
//! works out the token every form must carry in a hidden `csrf` field; [`CsrfForm`] refuses
//! the request unless the field matches.
//!
//! A signed-in visitor's token is derived from their session's secret
//! ([`SessionToken::form_token`]): a token from another session, or from before signing in,
//! is refused, and signing in gives a new one. A visitor who is not signed in (the sign-in and
//! password-reset forms) gets a random token in an `HttpOnly` cookie (a double-submit token).
//! Neither needs server state, so any app server on the database checks either.

use crate::{WebError, WebState, cookies};
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use tandem_app::accounts::SessionToken;

/// The visitor's CSRF token, for forms.
#[derive(Debug, Clone)]
pub(crate) struct CsrfToken(pub(crate) String);

fn fresh_token() -> String {
    let mut bytes = [0_u8; 32];
    // Without randomness the token is empty, and every form is then refused rather than forgeable.
    if getrandom::fill(&mut bytes).is_err() {
        return String::new();
    }
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Refuses cross-site unsafe requests and works out the visitor's token: their session's, or
/// the cookie's, which a visitor without either is given.
pub(crate) async fn protect(
    State(state): State<WebState>,
    mut request: Request,
    next: Next,
) -> Response {
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if unsafe_method && !same_origin(&request) {
        return WebError::Forbidden(
            "this form was sent from another site, so it was refused".to_owned(),
        )
        .into_response();
    }
    let secure = state.config.secure_cookies;
    // A session cookie that no longer names a session still binds the token: the visitor is
    // then treated as signed out, and their sign-in form carries and sends this same token.
    if let Some(session) = cookies::read(request.headers(), cookies::session_name(secure))
        .and_then(SessionToken::parse)
    {
        request
            .extensions_mut()
            .insert(CsrfToken(session.form_token()));
        return next.run(request).await;
    }
    let name = cookies::csrf_name(secure);
    let existing = cookies::read(request.headers(), name)
        .filter(|token| token.len() == 64)
        .map(str::to_owned);
    let (token, new) = match existing {
        Some(token) => (token, false),
        None => (fresh_token(), true),
    };
    request.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.run(request).await;
    if new
        && !token.is_empty()
        && let Ok(value) = cookies::set(name, &token, None, secure).parse()
    {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

/// An `Origin` header, when the browser sends one, must name this host.
fn same_origin(request: &Request) -> bool {
    let Some(origin) = request
        .headers()
        .get(header::ORIGIN)
        .and_then(|it| it.to_str().ok())
    else {
        return true;
    };
    let Some(host) = request
        .headers()
        .get(header::HOST)
        .and_then(|it| it.to_str().ok())
    else {
        return false;
    };
    let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
    origin_host == host
}

/// Compares two tokens in time that does not depend on where they differ.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0_u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A URL-encoded form whose `csrf` field matched the visitor's token; `T` gets the other fields.
#[derive(Debug)]
pub(crate) struct CsrfForm<T>(pub(crate) T);

impl<T: DeserializeOwned> FromRequest<WebState> for CsrfForm<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &WebState) -> Result<Self, Self::Rejection> {
        let expected = request
            .extensions()
            .get::<CsrfToken>()
            .map(|token| token.0.clone())
            .unwrap_or_default();
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|_| WebError::BadRequest("the form could not be read".to_owned()))?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| WebError::BadRequest("the form could not be read".to_owned()))?;
        let sent = pairs
            .iter()
            .find(|(key, _)| key == "csrf")
            .map(|(_, value)| value.as_str())
            .unwrap_or_default();
        if expected.is_empty() || !same(sent, &expected) {
            return Err(WebError::Forbidden(
                "the form had expired or came from somewhere else; go back, reload the page and try again".to_owned(),
            ));
        }
        let rest: Vec<&(String, String)> = pairs.iter().filter(|(key, _)| key != "csrf").collect();
        let encoded = serde_urlencoded::to_string(&rest)
            .map_err(|_| WebError::BadRequest("the form could not be read".to_owned()))?;
        serde_urlencoded::from_str(&encoded)
            .map(CsrfForm)
            .map_err(|err| WebError::BadRequest(format!("the form is missing something: {err}")))
    }
}
