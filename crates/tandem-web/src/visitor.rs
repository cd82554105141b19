//! Who is asking: the signed-in session (if any) and the CSRF token, read once per request.

use crate::csrf::CsrfToken;
use crate::{WebError, WebState, cookies};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use tandem_app::accounts::{self, Session, SessionToken};

/// The visitor of a page: signed in or not.
#[derive(Debug)]
pub(crate) struct Visitor {
    /// Their session, when signed in.
    pub(crate) session: Option<Session>,
    /// The session cookie's token, when one was sent and is current.
    pub(crate) token: Option<SessionToken>,
    /// The CSRF token for forms on the page.
    pub(crate) csrf: String,
}

impl FromRequestParts<WebState> for Visitor {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let csrf = parts
            .extensions
            .get::<CsrfToken>()
            .map(|token| token.0.clone())
            .unwrap_or_default();
        let name = cookies::session_name(state.config.secure_cookies);
        let token = cookies::read(&parts.headers, name).and_then(SessionToken::parse);
        let session = match &token {
            Some(token) => accounts::session(&state.app, token).await?,
            None => None,
        };
        let token = token.filter(|_| session.is_some());
        Ok(Self {
            session,
            token,
            csrf,
        })
    }
}

/// A visitor who must be signed in; anyone else is sent to the sign-in page and brought back.
#[derive(Debug)]
pub(crate) struct SignedIn {
    pub(crate) session: Session,
    pub(crate) visitor: Visitor,
}

/// Sends the visitor to sign in, then back to where they were going.
#[derive(Debug)]
pub(crate) struct SignInFirst(String);

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        let next: String = url_encode(&self.0);
        crate::redirect::to(&format!("/sign-in?next={next}"))
    }
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'/' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

impl FromRequestParts<WebState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let mut visitor = Visitor::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        match visitor.session.take() {
            Some(session) => Ok(Self { session, visitor }),
            None => {
                let path = parts
                    .uri
                    .path_and_query()
                    .map_or("/", |it| it.as_str())
                    .to_owned();
                Err(SignInFirst(path).into_response())
            }
        }
    }
}
