//! The notice a page shows once after an action ("The meeting is arranged"). It travels from
//! the action to the page in a short-lived `HttpOnly` cookie that only this site can set, never
//! in the address: a `?notice=` anyone could put in a link would show their words as the
//! service's own banner.

use crate::{WebState, cookies};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::convert::Infallible;

/// Seconds a notice waits for its page.
const LIFETIME: i64 = 60;

/// The longest notice kept (a list of who was emailed can be long).
const LONGEST: usize = 2_000;

fn name(secure: bool) -> &'static str {
    if secure {
        "__Host-tandem_notice"
    } else {
        "tandem_notice"
    }
}

/// A notice a handler asks to show on the page its response leads to.
#[derive(Debug, Clone)]
struct Pending(String);

/// Marks `response` (a redirect) to show `notice` on the page it leads to.
pub(crate) fn attach(mut response: Response, notice: &str) -> Response {
    response
        .extensions_mut()
        .insert(Pending(notice.chars().take(LONGEST).collect()));
    response
}

/// The notice for this page, if an action just left one.
#[derive(Debug, Clone, Default)]
pub(crate) struct Notice(pub(crate) Option<String>);

impl FromRequestParts<WebState> for Notice {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Self>().cloned().unwrap_or_default())
    }
}

/// Reads the notice cookie for the handler, sets it from a handler's [`attach`], and clears it
/// once a page has been shown with it.
pub(crate) async fn carry(
    State(state): State<WebState>,
    mut request: Request,
    next: Next,
) -> Response {
    let secure = state.config.secure_cookies;
    let cookie = name(secure);
    let arrived = cookies::read(request.headers(), cookie).map(|raw| {
        url::form_urlencoded::parse(format!("n={raw}").as_bytes())
            .next()
            .map(|(_, text)| text.chars().take(LONGEST).collect::<String>())
            .unwrap_or_default()
    });
    if let Some(text) = arrived.clone().filter(|it| !it.is_empty()) {
        request.extensions_mut().insert(Notice(Some(text)));
    }
    let mut response = next.run(request).await;
    let value = match response.extensions_mut().remove::<Pending>() {
        Some(Pending(text)) => {
            let encoded: String = url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
            Some(cookies::set(cookie, &encoded, Some(LIFETIME), secure))
        }
        // Shown (or passed by): it is not shown again.
        None if arrived.is_some() => Some(cookies::set(cookie, "", Some(0), secure)),
        None => None,
    };
    if let Some(value) = value.and_then(|it| HeaderValue::from_str(&it).ok()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}
