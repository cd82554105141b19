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
        let page = ErrorPage {
            chrome: crate::chrome::Chrome::plain(),
            title,
            message,
            reference,
        };
        (status, page).into_response()
    }
}
