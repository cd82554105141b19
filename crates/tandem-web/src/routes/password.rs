//! Forgotten passwords: ask for a one-time link by email, then choose a new password with it.

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::routes::people::capitalise;
use crate::routes::sign_in::FieldError;
use crate::visitor::Visitor;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tandem_app::accounts::{self, SessionToken};
use tandem_core::domain::NewPassword;

#[derive(Template, WebTemplate)]
#[template(path = "forgot_password.html")]
pub(crate) struct ForgotPage {
    chrome: Chrome,
    sent: bool,
    errors: Vec<FieldError>,
    email: String,
}

/// `GET /forgot-password`: ask for a reset link.
pub(crate) async fn forgot(visitor: Visitor) -> ForgotPage {
    ForgotPage {
        chrome: Chrome::new(&visitor, None, "/forgot-password"),
        sent: false,
        errors: Vec::new(),
        email: String::new(),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ForgotForm {
    #[serde(default)]
    email: String,
}

/// The site's address as people reach it: configured, or worked out from the request.
pub(crate) fn public_url(state: &WebState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.config.public_url {
        return url.clone();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|it| it.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if state.config.secure_cookies {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

/// `POST /forgot-password`: emails a link if the address has an active account; the page says
/// the same either way.
pub(crate) async fn send(
    State(state): State<WebState>,
    visitor: Visitor,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> Result<Response, WebError> {
    let email = form.email.trim().to_owned();
    if email.is_empty() {
        let errors = vec![FieldError {
            field: "email".to_owned(),
            message: "Enter your email address".to_owned(),
        }];
        let page = ForgotPage {
            chrome: Chrome::new(&visitor, None, "/forgot-password"),
            sent: false,
            errors,
            email,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    accounts::request_password_reset(&state.app, &email, &public_url(&state, &headers)).await?;
    Ok(ForgotPage {
        chrome: Chrome::new(&visitor, None, "/forgot-password"),
        sent: true,
        errors: Vec::new(),
        email,
    }
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "reset_password.html")]
pub(crate) struct ResetPage {
    chrome: Chrome,
    token: String,
    works: bool,
    errors: Vec<FieldError>,
}

/// `GET /reset-password/{token}`: the new-password form, or a note that the link expired.
pub(crate) async fn reset_form(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<ResetPage, WebError> {
    let works = match SessionToken::parse(&token) {
        Some(parsed) => accounts::reset_link_works(&state.app, &parsed).await?,
        None => false,
    };
    Ok(ResetPage {
        chrome: Chrome::new(&visitor, None, "/reset-password"),
        token,
        works,
        errors: Vec::new(),
    })
}

#[derive(Debug, Deserialize)]
pub(crate) struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /reset-password/{token}`: sets the new password and sends the person to sign in.
pub(crate) async fn reset(
    State(state): State<WebState>,
    visitor: Visitor,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> Result<Response, WebError> {
    let page = |errors: Vec<FieldError>, works: bool| ResetPage {
        chrome: Chrome::new(&visitor, None, "/reset-password"),
        token: token.clone(),
        works,
        errors,
    };
    let Some(parsed) = SessionToken::parse(&token) else {
        return Ok((StatusCode::NOT_FOUND, page(Vec::new(), false)).into_response());
    };
    let mut errors = Vec::new();
    let password = NewPassword::parse(&form.password)
        .map_err(|err| {
            errors.push(FieldError {
                field: "password".to_owned(),
                message: capitalise(&format!("the password {err}")),
            })
        })
        .ok();
    if form.password != form.confirm {
        errors.push(FieldError {
            field: "confirm".to_owned(),
            message: "The two passwords are different; type the same one twice".to_owned(),
        });
    }
    let (Some(password), true) = (password, errors.is_empty()) else {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page(errors, true)).into_response());
    };
    match accounts::reset_password(&state.app, &parsed, &password).await? {
        Ok(()) => Ok(crate::redirect::to("/sign-in?reset=1")),
        Err(_) => Ok((StatusCode::GONE, page(Vec::new(), false)).into_response()),
    }
}
