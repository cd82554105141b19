//! The web layer's one error type and its pages.
//!
//! Rule: a handler returns `Result<_, WebError>`. The user sees a page with a plain message and,
//! for server faults, a reference; the full cause goes to the log under that reference, and
//! nothing internal reaches the page. Messages are lowercase, without a trailing period.

use crate::routes::people::capitalise;
use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tandem_app::AppError;

/// What went wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// Nothing at this address.
    #[error("page not found")]
    NotFound,
    /// The person may not see or do this.
    #[error("{0}")]
    Forbidden(String),
    /// The request could not be read.
    #[error("{0}")]
    BadRequest(String),
    /// A use case or the store failed.
    #[error(transparent)]
    App(#[from] AppError),
}

#[derive(Template, WebTemplate)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: crate::chrome::Chrome,
    title: &'static str,
    message: String,
    reference: Option<String>,
    /// The page the visitor came from on this site, to go back to.
    back: Option<String>,
}

/// What an error page says, kept on its response so [`with_visitor`] can show it again in the
/// visitor's own frame.
#[derive(Debug, Clone)]
struct Shown {
    title: &'static str,
    message: String,
    reference: Option<String>,
}

/// A request header's value as text, if it has one.
fn header_text(request: &axum::extract::Request, name: axum::http::HeaderName) -> Option<String> {
    request
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// Error pages in the visitor's own frame: a signed-in person keeps their header and
/// navigation, and everyone gets a link back to the page they came from on this site. A
/// handler's error is rendered without knowing who asked (extractors may have failed before
/// the visitor was known), so this puts it right on the way out.
pub(crate) async fn with_visitor(
    axum::extract::State(state): axum::extract::State<crate::WebState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    // Only what an error page needs is kept, so pages that succeed pay almost nothing.
    let path = request.uri().path().to_owned();
    let (host, referer) = (
        header_text(&request, axum::http::header::HOST),
        header_text(&request, axum::http::header::REFERER),
    );
    let session_cookie = crate::cookies::read(
        request.headers(),
        crate::cookies::session_name(state.config.secure_cookies),
    )
    .map(str::to_owned);
    let csrf = request
        .extensions()
        .get::<crate::csrf::CsrfToken>()
        .map(|token| token.0.clone())
        .unwrap_or_default();
    let mut response = next.run(request).await;
    let Some(shown) = response.extensions_mut().remove::<Shown>() else {
        return response;
    };
    let token = session_cookie
        .as_deref()
        .and_then(tandem_app::accounts::SessionToken::parse);
    // A failure to read the session leaves the plain frame: the error page must still show.
    let session = match &token {
        Some(token) => tandem_app::accounts::session(&state.app, token)
            .await
            .ok()
            .flatten(),
        None => None,
    };
    let back = referer
        .as_deref()
        .and_then(|referer| url::Url::parse(referer).ok())
        // Only a page of this site: the link would otherwise lead wherever the last site was.
        .filter(|url| {
            let port = url
                .port()
                .map(|port| format!(":{port}"))
                .unwrap_or_default();
            host.as_deref().is_some_and(|host| {
                url.host_str().map(|it| format!("{it}{port}")).as_deref() == Some(host)
            })
        })
        .map(|url| {
            let mut back = url.path().to_owned();
            if let Some(query) = url.query() {
                back.push('?');
                back.push_str(query);
            }
            crate::redirect::same_site(&back)
        })
        .filter(|back| *back != path && back != "/");
    let visitor = crate::visitor::Visitor {
        token: token.filter(|_| session.is_some()),
        session,
        csrf,
    };
    let page = ErrorPage {
        chrome: crate::chrome::Chrome::new(&visitor, None, &path),
        title: shown.title,
        message: shown.message,
        reference: shown.reference,
        back,
    };
    let status = response.status();
    let mut fresh = (status, page).into_response();
    // Cookies the handler set (a cleared session, a notice) still apply.
    for value in response.headers().get_all(axum::http::header::SET_COOKIE) {
        fresh
            .headers_mut()
            .append(axum::http::header::SET_COOKIE, value.clone());
    }
    fresh
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, title, message, reference) = match self {
            Self::NotFound | Self::App(AppError::NotFound(_)) => (
                StatusCode::NOT_FOUND,
                "Page not found",
                "If you typed the web address, check it is correct. If you followed a link, it may be out of date.".to_owned(),
                None,
            ),
            Self::BadRequest(reason) => (StatusCode::BAD_REQUEST, "There is a problem with what was sent", reason, None),
            Self::Forbidden(reason) => (StatusCode::FORBIDDEN, "You cannot see this page", reason, None),
            Self::App(AppError::Denied(denied)) => (StatusCode::FORBIDDEN, "You cannot see this page", denied.reason, None),
            Self::App(AppError::Conflict(message)) => (StatusCode::CONFLICT, "That could not be done", capitalise(&message), None),
            Self::App(AppError::Ineligible(refusals)) => (
                StatusCode::CONFLICT,
                "You cannot take part in this way",
                refusals.iter().map(|refusal| capitalise(&refusal.to_string())).collect::<Vec<_>>().join(". "),
                None,
            ),
            Self::App(AppError::RuleBroken(rules)) => (
                StatusCode::CONFLICT,
                "That pair cannot be matched",
                rules.iter().map(|rule| capitalise(rule)).collect::<Vec<_>>().join(". "),
                None,
            ),
            Self::App(AppError::ErasureRefused(reasons)) => (
                StatusCode::CONFLICT,
                "This person cannot be erased yet",
                reasons.iter().map(|reason| capitalise(reason)).collect::<Vec<_>>().join(". "),
                None,
            ),
            Self::App(AppError::Invalid(problems)) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "There is a problem with what was sent",
                problems.iter().map(|problem| capitalise(&problem.message)).collect::<Vec<_>>().join(". "),
                None,
            ),
            Self::App(err) => {
                let reference = uuid::Uuid::now_v7().simple().to_string()[20..].to_owned();
                tracing::error!(reference = %reference, error = %err, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Sorry, there is a problem with the service",
                    "Try again later. If it keeps happening, tell your administrator the reference below.".to_owned(),
                    Some(reference),
                )
            }
        };
        let shown = Shown {
            title,
            message: message.clone(),
            reference: reference.clone(),
        };
        let page = ErrorPage {
            chrome: crate::chrome::Chrome::plain(),
            title,
            message,
            reference,
            back: None,
        };
        let mut response = (status, page).into_response();
        response.extensions_mut().insert(shown);
        response
    }
}
