//! Signing in with an email and password, and signing out.

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::query::Query;
use crate::visitor::Visitor;
use crate::{WebError, WebState, cookies};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use tandem_app::accounts::{self, SESSION_IDLE};
use tandem_app::demo::{DemoAccount, Journey};
use tandem_app::two_factor::SignInStep;

/// A field's error, shown in the summary at the top and next to the field.
#[derive(Debug, Clone)]
pub(crate) struct FieldError {
    pub(crate) field: String,
    pub(crate) message: String,
}

impl FieldError {
    /// A use case's form problems, one error per field named.
    pub(crate) fn from_problems(problems: &[tandem_core::application::FormProblem]) -> Vec<Self> {
        problems
            .iter()
            .map(|problem| Self {
                field: problem.field.to_owned(),
                message: crate::routes::people::capitalise(&problem.message),
            })
            .collect()
    }
}

/// The message for `field`, for a template to show beside it.
pub(crate) fn error_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|error| error.field == field)
        .map(|error| error.message.as_str())
}

#[derive(Template, WebTemplate)]
#[template(path = "sign_in.html")]
pub(crate) struct SignInPage {
    chrome: Chrome,
    email: String,
    next: String,
    errors: Vec<FieldError>,
    /// The demo's accounts by the journey they show.
    demo_journeys: Vec<(Journey, Vec<DemoAccount>)>,
    demo_password: Option<String>,
    reset: bool,
    sso_label: Option<String>,
}

impl SignInPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct NextQuery {
    next: Option<String>,
    reset: Option<String>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// The demo's accounts grouped by journey, in the order the tour takes them.
fn by_journey(accounts: &[DemoAccount]) -> Vec<(Journey, Vec<DemoAccount>)> {
    Journey::ALL
        .into_iter()
        .map(|journey| {
            let accounts = accounts
                .iter()
                .filter(|it| it.journey == journey)
                .cloned()
                .collect::<Vec<_>>();
            (journey, accounts)
        })
        .filter(|(_, accounts)| !accounts.is_empty())
        .collect()
}

pub(crate) fn page(
    state: &WebState,
    visitor: &Visitor,
    email: String,
    next: String,
    errors: Vec<FieldError>,
) -> SignInPage {
    let demo = state.config.demo.as_ref();
    SignInPage {
        chrome: Chrome::new(visitor, None, "/sign-in"),
        email,
        next,
        errors,
        demo_journeys: demo
            .map(|demo| by_journey(&demo.accounts))
            .unwrap_or_default(),
        demo_password: demo.map(|demo| demo.password.clone()),
        reset: false,
        sso_label: state.sso.as_ref().map(|sso| sso.label().to_owned()),
    }
}

/// `GET /sign-in`: the sign-in form (and, in the demo, accounts to try).
pub(crate) async fn get(
    State(state): State<WebState>,
    visitor: Visitor,
    Query(query): Query<NextQuery>,
) -> Response {
    let next = crate::redirect::same_site(query.next.as_deref().unwrap_or_default());
    if visitor.session.is_some() {
        return crate::redirect::to(&next);
    }
    let mut page = page(&state, &visitor, String::new(), next, Vec::new());
    page.reset = query.reset.is_some();
    page.into_response()
}

/// The client's address, when the server knows it (it does behind `serve`; tests have none).
pub(crate) struct ClientAddress(pub(crate) IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
        Ok(Self(address))
    }
}

/// `POST /sign-in`: checks the email and password and starts a session.
pub(crate) async fn post(
    State(state): State<WebState>,
    ClientAddress(address): ClientAddress,
    visitor: Visitor,
    CsrfForm(form): CsrfForm<SignInForm>,
) -> Result<Response, WebError> {
    let next = crate::redirect::same_site(&form.next);
    let email = form.email.trim().to_owned();
    let mut errors = Vec::new();
    if email.is_empty() {
        errors.push(FieldError {
            field: "email".to_owned(),
            message: "Enter your email address".to_owned(),
        });
    }
    if form.password.is_empty() {
        errors.push(FieldError {
            field: "password".to_owned(),
            message: "Enter your password".to_owned(),
        });
    }
    if !errors.is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&state, &visitor, email, next, errors),
        )
            .into_response());
    }
    if state.sign_in_limiter.check_key(&address).is_err() {
        let errors = vec![FieldError { field: "email".to_owned(),
            message: "There have been too many attempts to sign in from your network; wait a minute and try again".to_owned(),
        }];
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            page(&state, &visitor, email, next, errors),
        )
            .into_response());
    }
    match accounts::sign_in(&state.app, &email, &form.password).await? {
        Ok(SignInStep::Signed(token)) => {
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
        Ok(SignInStep::Code(pending) | SignInStep::SetUp(pending)) => {
            // The code page sends someone still to set up on to the set-up page.
            let encoded: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
            let mut response = crate::redirect::to(&format!("/sign-in/code?next={encoded}"));
            if let Some(value) = crate::routes::two_factor::pending_cookie(&state, Some(&pending)) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            Ok(response)
        }
        Err(refused) => {
            let message = refused.to_string();
            let mut message = message[..1].to_uppercase() + &message[1..];
            if matches!(refused, accounts::SignInRefused::WrongCredentials) {
                message = "The email address or password is not right".to_owned();
            }
            let errors = vec![FieldError {
                field: "email".to_owned(),
                message,
            }];
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&state, &visitor, email, next, errors),
            )
                .into_response())
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct SignOutForm {}

/// `POST /sign-out`: ends the session.
pub(crate) async fn sign_out(
    State(state): State<WebState>,
    visitor: Visitor,
    CsrfForm(_): CsrfForm<SignOutForm>,
) -> Result<Response, WebError> {
    if let Some(token) = &visitor.token {
        accounts::sign_out(&state.app, token).await?;
    }
    let secure = state.config.secure_cookies;
    let mut response = crate::redirect::to("/");
    if let Ok(value) = HeaderValue::from_str(&cookies::set(
        cookies::session_name(secure),
        "",
        Some(0),
        secure,
    )) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}
