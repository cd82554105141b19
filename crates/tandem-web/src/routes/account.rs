//! The signed-in person's own account page, and changing their password.

use crate::chrome::{Chrome, role_names};
use crate::csrf::CsrfForm;
use crate::routes::people::capitalise;
use crate::routes::sign_in::{FieldError, error_for};
use crate::visitor::SignedIn;
use crate::{WebError, WebState, cookies};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tandem_app::accounts::{self, SESSION_IDLE};
use tandem_core::domain::NewPassword;

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub(crate) struct AccountPage {
    chrome: Chrome,
    rows: Vec<(&'static str, String)>,
    roles: Vec<String>,
    notice: Option<String>,
}

/// `GET /account`: who you are signed in as, and your roles.
pub(crate) async fn get(
    signed_in: SignedIn,
    crate::flash::Notice(notice): crate::flash::Notice,
) -> AccountPage {
    let SignedIn { session, visitor } = signed_in;
    let record = &session.record;
    let optional = |text: &Option<tandem_core::domain::FreeText>| {
        text.as_ref()
            .map_or_else(|| "Not recorded".to_owned(), ToString::to_string)
    };
    // Their own organisation is the one their HR record is in, whichever they work in now.
    let own = session
        .organisations
        .iter()
        .find(|it| it.code == record.organisation)
        .map_or_else(|| record.organisation.to_string(), |it| it.name.clone());
    let mut rows = vec![
        ("Name", record.full_name()),
        ("Email", record.email.to_string()),
        ("Organisation", own),
    ];
    if session.organisation.code != record.organisation {
        rows.push(("Working in now", session.organisation.name.clone()));
    }
    rows.extend([
        ("Staff number", record.staff_number.to_string()),
        ("Rank or grade", record.rank_or_grade.to_string()),
        ("Department", optional(&record.department)),
        ("Location", optional(&record.location)),
    ]);
    AccountPage {
        chrome: Chrome::new(&visitor, Some(&session), "/account"),
        rows,
        roles: role_names(&session),
        notice,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "change_password.html")]
pub(crate) struct PasswordPage {
    chrome: Chrome,
    errors: Vec<FieldError>,
}

impl PasswordPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

/// `GET /account/password`: the form to change one's password.
pub(crate) async fn password_form(signed_in: SignedIn) -> PasswordPage {
    PasswordPage {
        chrome: Chrome::new(&signed_in.visitor, Some(&signed_in.session), "/account"),
        errors: Vec::new(),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /account/password`: checks the current password and sets the new one; every other
/// session of the person ends, and this browser gets a new one.
pub(crate) async fn change_password(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<Response, WebError> {
    let mut errors = Vec::new();
    if form.current.is_empty() {
        errors.push(FieldError {
            field: "current".to_owned(),
            message: "Enter your current password".to_owned(),
        });
    }
    let password = NewPassword::parse(&form.password)
        .map_err(|err| {
            errors.push(FieldError {
                field: "password".to_owned(),
                message: capitalise(&format!("the new password {err}")),
            });
        })
        .ok();
    if form.password != form.confirm {
        errors.push(FieldError {
            field: "confirm".to_owned(),
            message: "The two new passwords are different; type the same one twice".to_owned(),
        });
    }
    let refused = |errors| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            PasswordPage {
                chrome: Chrome::new(&signed_in.visitor, Some(&signed_in.session), "/account"),
                errors,
            },
        )
            .into_response()
    };
    let (Some(password), true) = (password, errors.is_empty()) else {
        return Ok(refused(errors));
    };
    match accounts::change_password(&state.app, &signed_in.session, &form.current, &password)
        .await?
    {
        Ok(token) => {
            let secure = state.config.secure_cookies;
            let mut response = crate::flash::attach(
                crate::redirect::to("/account"),
                crate::flash::Fixed::PasswordChanged,
            );
            let cookie = cookies::set(
                cookies::session_name(secure),
                token.expose(),
                Some(SESSION_IDLE.whole_seconds()),
                secure,
            );
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            Ok(response)
        }
        Err(refused_because) => Ok(refused(vec![FieldError {
            field: "current".to_owned(),
            message: capitalise(&refused_because.to_string()),
        }])),
    }
}
