//! The API's errors: a status and a JSON body `{ "error": …, "problems": [...] }`.
//!
//! Rule: every API handler returns `Result<_, ApiError>`. Server faults log their cause under a
//! reference and return only the reference.

use super::extract::Json;
use super::json::{ErrorJson, ProblemJson};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tandem_app::AppError;

/// An API failure.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    body: ErrorJson,
}

impl ApiError {
    fn new(status: StatusCode, error: impl Into<String>) -> Self {
        Self {
            status,
            body: ErrorJson {
                error: error.into(),
                problems: Vec::new(),
            },
        }
    }

    /// An error with a status chosen elsewhere (an extractor's rejection, a middleware).
    pub(crate) fn with_status(status: StatusCode, error: impl Into<String>) -> Self {
        Self::new(status, error)
    }

    /// What went wrong, as the body says it.
    pub(crate) fn message(&self) -> &str {
        &self.body.error
    }

    pub(crate) fn not_found(error: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, error)
    }

    pub(crate) fn unauthorised() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "send an API token as `Authorization: Bearer tandem_…`; an administrator issues them under API tokens",
        )
    }

    pub(crate) fn bad_request(error: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error)
    }
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        match err {
            AppError::Denied(denied) => Self::new(StatusCode::FORBIDDEN, denied.reason),
            AppError::NotFound(message) => Self::new(StatusCode::NOT_FOUND, message),
            AppError::Conflict(message) => Self::new(StatusCode::CONFLICT, message),
            AppError::PolicyRejected(problems) => Self {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                body: ErrorJson {
                    error: format!(
                        "{}; nothing was changed",
                        tandem_core::words::counted(problems.len(), "problem", "problems")
                    ),
                    problems: problems
                        .into_iter()
                        .map(|problem| ProblemJson {
                            field: Some(problem.field),
                            line: None,
                            message: problem.message,
                        })
                        .collect(),
                },
            },
            AppError::Ineligible(refusals) => Self {
                status: StatusCode::CONFLICT,
                body: ErrorJson {
                    error: "the person may not take part as asked; nothing was changed".to_owned(),
                    problems: refusals
                        .into_iter()
                        .map(|refusal| ProblemJson {
                            field: None,
                            line: None,
                            message: refusal.to_string(),
                        })
                        .collect(),
                },
            },
            AppError::ErasureRefused(reasons) => Self {
                status: StatusCode::CONFLICT,
                body: ErrorJson {
                    error: "the person cannot be erased yet; nothing was changed".to_owned(),
                    problems: reasons
                        .into_iter()
                        .map(|reason| ProblemJson {
                            field: None,
                            line: None,
                            message: reason,
                        })
                        .collect(),
                },
            },
            AppError::RuleBroken(rules) => Self {
                status: StatusCode::CONFLICT,
                body: ErrorJson {
                    error: "the pair breaks a matching rule; nothing was changed".to_owned(),
                    problems: rules
                        .into_iter()
                        .map(|rule| ProblemJson {
                            field: None,
                            line: None,
                            message: rule,
                        })
                        .collect(),
                },
            },
            AppError::Invalid(problems) => Self {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                body: ErrorJson {
                    error: format!(
                        "{}; nothing was changed",
                        tandem_core::words::counted(problems.len(), "problem", "problems")
                    ),
                    problems: problems
                        .into_iter()
                        .map(|problem| ProblemJson {
                            field: Some(problem.field.to_owned()),
                            line: None,
                            message: problem.message,
                        })
                        .collect(),
                },
            },
            AppError::ImportRejected(problems) => Self {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                body: ErrorJson {
                    error: if problems.not_kept() > 0 {
                        format!(
                            "{}; nothing was changed; the first {} are listed",
                            tandem_core::words::counted(problems.total(), "problem", "problems"),
                            problems.total() - problems.not_kept()
                        )
                    } else {
                        format!(
                            "{}; nothing was changed",
                            tandem_core::words::counted(problems.total(), "problem", "problems")
                        )
                    },
                    problems: problems
                        .iter()
                        .map(|problem| ProblemJson {
                            field: problem.column.clone(),
                            line: Some(problem.line),
                            message: problem.reason.clone(),
                        })
                        .collect(),
                },
            },
            AppError::Store(err) => {
                let reference = uuid::Uuid::now_v7().simple().to_string()[20..].to_owned();
                tracing::error!(reference = %reference, error = %err, "API request failed");
                Self::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!(
                        "the service failed; tell your administrator the reference {reference}"
                    ),
                )
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
