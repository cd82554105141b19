//! Two-factor sign-in's pages (R11.5): the code asked after the password, setting up an
//! authenticator app (at sign-in when an organisation requires it, or from one's account), the
//! recovery codes shown once, turning it off, and an administrator's reset.
//!
//! Between the password and the code the visitor holds a short-lived pending-sign-in cookie,
//! never a session: nothing but these pages opens with it.

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::query::Query;
use crate::routes::people::parse_person;
use crate::routes::sign_in::{ClientAddress, FieldError, error_for};
use crate::visitor::{SignedIn, Visitor};
use crate::{WebError, WebState, cookies};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tandem_app::accounts::{SESSION_IDLE, SessionToken};
use tandem_app::two_factor::{self, CodeRefused, Completed, Pending, Status};
use tandem_core::authz::StaffRole;
use tandem_core::two_factor::{RecoveryCode, TotpSecret};

/// The pending-sign-in cookie's name.
fn pending_name(secure: bool) -> &'static str {
    if secure {
        "__Host-tandem_pending"
    } else {
        "tandem_pending"
    }
}

/// A `Set-Cookie` for the pending sign-in (`None` removes it).
pub(crate) fn pending_cookie(
    state: &WebState,
    token: Option<&SessionToken>,
) -> Option<HeaderValue> {
    let secure = state.config.secure_cookies;
    let (value, age) = match token {
        Some(token) => (token.expose(), two_factor::PENDING_FOR.whole_seconds()),
        None => ("", 0),
    };
    HeaderValue::from_str(&cookies::set(
        pending_name(secure),
        value,
        Some(age),
        secure,
    ))
    .ok()
}

fn pending_token(state: &WebState, headers: &HeaderMap) -> Option<SessionToken> {
    cookies::read(headers, pending_name(state.config.secure_cookies)).and_then(SessionToken::parse)
}

/// The session cookie for a new session, and the pending cookie cleared.
fn start_session(state: &WebState, mut response: Response, token: &SessionToken) -> Response {
    let secure = state.config.secure_cookies;
    let session = cookies::set(
        cookies::session_name(secure),
        token.expose(),
        Some(SESSION_IDLE.whole_seconds()),
        secure,
    );
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&session) {
        headers.append(header::SET_COOKIE, value);
    }
    if let Some(value) = pending_cookie(state, None) {
        headers.append(header::SET_COOKIE, value);
    }
    response
}

/// The QR code an authenticator app scans, drawn as SVG on the server (no script, no image
/// request), labelled for screen readers; the manual key beside it is the text alternative.
fn qr_svg(secret: &TotpSecret, account: &str) -> String {
    let Some(url) = secret.otpauth_url(account) else {
        return String::new();
    };
    let Ok(code) = qrcode::QrCode::new(url.as_bytes()) else {
        return String::new();
    };
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    let svg = svg.find("<svg").map_or(svg.as_str(), |start| &svg[start..]);
    svg.replacen(
        "<svg ",
        "<svg role=\"img\" aria-label=\"QR code for your authenticator app (the key below says the same)\" ",
        1,
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct NextQuery {
    #[serde(default)]
    next: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct CodeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    next: String,
}

/// The code asked for after the password.
#[derive(Template, WebTemplate)]
#[template(path = "two_factor_code.html")]
pub(crate) struct CodePage {
    chrome: Chrome,
    next: String,
    errors: Vec<FieldError>,
}

impl CodePage {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }
}

/// Setting up an authenticator app: the QR code, the key to type, and a code to prove it works.
#[derive(Template, WebTemplate)]
#[template(path = "two_factor_set_up.html")]
pub(crate) struct SetUpPage {
    chrome: Chrome,
    /// Where the form goes: the sign-in's step or the account's.
    action: &'static str,
    /// At sign-in, because the organisation requires it.
    at_sign_in: bool,
    qr: String,
    key: String,
    next: String,
    errors: Vec<FieldError>,
}

impl SetUpPage {
    fn error_for(&self, field: &str) -> Option<&str> {
        error_for(&self.errors, field)
    }

    /// The page at sign-in, for someone whose role requires two-factor sign-in.
    fn at_sign_in(
        visitor: &Visitor,
        secret: &TotpSecret,
        email: &str,
        next: String,
        errors: Vec<FieldError>,
    ) -> Self {
        Self {
            chrome: Chrome::new(visitor, None, "/sign-in"),
            action: "/sign-in/set-up",
            at_sign_in: true,
            qr: qr_svg(secret, email),
            key: secret.manual_key(),
            next,
            errors,
        }
    }
}

/// The recovery codes, shown once.
#[derive(Template, WebTemplate)]
#[template(path = "two_factor_recovery.html")]
pub(crate) struct RecoveryPage {
    chrome: Chrome,
    codes: Vec<String>,
    /// Where to go on.
    next: String,
    /// Just turned on (rather than replaced).
    turned_on: bool,
}

fn recovery_page(
    chrome: Chrome,
    codes: &[RecoveryCode],
    next: String,
    turned_on: bool,
) -> RecoveryPage {
    RecoveryPage {
        chrome,
        codes: codes.iter().map(RecoveryCode::shown).collect(),
        next,
        turned_on,
    }
}

fn code_error(refused: &CodeRefused) -> Vec<FieldError> {
    vec![FieldError {
        field: "code".to_owned(),
        message: crate::routes::people::capitalise(&refused.to_string()),
    }]
}

fn too_many_attempts() -> Vec<FieldError> {
    vec![FieldError {
        field: "code".to_owned(),
        message: "There have been too many attempts to sign in from your network; wait a minute and try again".to_owned(),
    }]
}

fn back_to_sign_in(next: &str) -> Response {
    let mut to = "/sign-in".to_owned();
    if !next.is_empty() && next != "/" {
        to.push_str("?next=");
        to.extend(url::form_urlencoded::byte_serialize(next.as_bytes()));
    }
    crate::redirect::to(&to)
}

/// `GET /sign-in/code`: the code from the app, after the right password.
pub(crate) async fn code_form(
    State(state): State<WebState>,
    visitor: Visitor,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Result<Response, WebError> {
    let next = crate::redirect::same_site(&query.next);
    let Some(token) = pending_token(&state, &headers) else {
        return Ok(back_to_sign_in(&next));
    };
    Ok(match two_factor::pending(&state.app, &token).await? {
        None => back_to_sign_in(&next),
        Some(Pending::SetUp { .. }) => crate::redirect::to(&with_next("/sign-in/set-up", &next)),
        Some(Pending::Code) => CodePage {
            chrome: Chrome::new(&visitor, None, "/sign-in"),
            next,
            errors: Vec::new(),
        }
        .into_response(),
    })
}

fn with_next(path: &str, next: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
    format!("{path}?next={encoded}")
}

/// `POST /sign-in/code` and `POST /sign-in/set-up`: the second step; on success the session
/// starts (and after setting up, the recovery codes show once).
pub(crate) async fn complete(
    State(state): State<WebState>,
    ClientAddress(address): ClientAddress,
    visitor: Visitor,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    let next = crate::redirect::same_site(&form.next);
    let Some(token) = pending_token(&state, &headers) else {
        return Ok(back_to_sign_in(&next));
    };
    let limited = state.sign_in_limiter.check_key(&address).is_err();
    let outcome = if limited {
        Err(None)
    } else {
        two_factor::complete(&state.app, &token, &form.code)
            .await?
            .map_err(Some)
    };
    match outcome {
        Ok(Completed {
            token: session,
            recovery_codes,
            recovery_codes_left,
        }) => {
            let response = if recovery_codes.is_empty() {
                let mut response = crate::redirect::to(&next);
                if let Some(left) = recovery_codes_left {
                    // Where they can make new codes, which also says how many are left.
                    response = crate::flash::attach(
                        crate::redirect::to("/account/two-factor"),
                        crate::flash::Flash::RecoveryCodesLeft(left),
                    );
                }
                response
            } else {
                // The new session's forms need its own token, so this page has none: a link on.
                recovery_page(
                    Chrome::new(&visitor, None, "/sign-in"),
                    &recovery_codes,
                    next,
                    true,
                )
                .into_response()
            };
            Ok(start_session(&state, response, &session))
        }
        Err(Some(CodeRefused::Expired)) => Ok(back_to_sign_in(&next)),
        Err(refused) => {
            let (status, errors) = match &refused {
                None => (StatusCode::TOO_MANY_REQUESTS, too_many_attempts()),
                Some(refused) => (StatusCode::UNPROCESSABLE_ENTITY, code_error(refused)),
            };
            let page = match two_factor::pending(&state.app, &token).await? {
                None => return Ok(back_to_sign_in(&next)),
                Some(Pending::Code) => CodePage {
                    chrome: Chrome::new(&visitor, None, "/sign-in"),
                    next,
                    errors,
                }
                .into_response(),
                Some(Pending::SetUp { secret, email }) => {
                    SetUpPage::at_sign_in(&visitor, &secret, &email, next, errors).into_response()
                }
            };
            Ok((status, page).into_response())
        }
    }
}

/// `GET /sign-in/set-up`: setting up an app at sign-in, when the organisation requires it.
pub(crate) async fn set_up_at_sign_in(
    State(state): State<WebState>,
    visitor: Visitor,
    headers: HeaderMap,
    Query(query): Query<NextQuery>,
) -> Result<Response, WebError> {
    let next = crate::redirect::same_site(&query.next);
    let Some(token) = pending_token(&state, &headers) else {
        return Ok(back_to_sign_in(&next));
    };
    Ok(match two_factor::pending(&state.app, &token).await? {
        None => back_to_sign_in(&next),
        Some(Pending::Code) => crate::redirect::to(&with_next("/sign-in/code", &next)),
        Some(Pending::SetUp { secret, email }) => {
            SetUpPage::at_sign_in(&visitor, &secret, &email, next, Vec::new()).into_response()
        }
    })
}

/// The account's two-factor page.
#[derive(Template, WebTemplate)]
#[template(path = "account_two_factor.html")]
pub(crate) struct AccountPage {
    chrome: Chrome,
    status: Status,
    notice: Option<String>,
    errors: Vec<FieldError>,
    /// Which form the errors belong to: "off" or "recovery".
    failed: &'static str,
}

impl AccountPage {
    fn error_for(&self, form: &str, field: &str) -> Option<&str> {
        (self.failed == form)
            .then(|| error_for(&self.errors, field))
            .flatten()
    }
}

async fn account_page(
    state: &WebState,
    signed_in: &SignedIn,
    notice: Option<String>,
    errors: Vec<FieldError>,
    failed: &'static str,
) -> Result<AccountPage, WebError> {
    let status = two_factor::status(&state.app, &signed_in.session).await?;
    Ok(AccountPage {
        chrome: Chrome::new(&signed_in.visitor, Some(&signed_in.session), "/account"),
        status,
        notice,
        errors,
        failed,
    })
}

/// `GET /account/two-factor`: whether it is on, and what one can do about it.
pub(crate) async fn account(
    State(state): State<WebState>,
    signed_in: SignedIn,
    crate::flash::Notice(notice): crate::flash::Notice,
) -> Result<AccountPage, WebError> {
    account_page(&state, &signed_in, notice, Vec::new(), "").await
}

/// `GET /account/two-factor/set-up`: the QR code and key for the signed-in person's app.
pub(crate) async fn set_up(
    State(state): State<WebState>,
    signed_in: SignedIn,
) -> Result<Response, WebError> {
    if two_factor::status(&state.app, &signed_in.session).await?.on {
        return Ok(crate::redirect::to("/account/two-factor"));
    }
    let secret = two_factor::start_set_up(&state.app, &signed_in.session).await?;
    Ok(own_set_up_page(&signed_in, &secret, Vec::new()).into_response())
}

fn own_set_up_page(
    signed_in: &SignedIn,
    secret: &TotpSecret,
    errors: Vec<FieldError>,
) -> SetUpPage {
    SetUpPage {
        chrome: Chrome::new(&signed_in.visitor, Some(&signed_in.session), "/account"),
        action: "/account/two-factor/set-up",
        at_sign_in: false,
        qr: qr_svg(secret, signed_in.session.record.email.as_ref()),
        key: secret.manual_key(),
        next: "/account/two-factor".to_owned(),
        errors,
    }
}

/// `POST /account/two-factor/set-up`: the first code from the app turns it on.
pub(crate) async fn confirm(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    match two_factor::confirm_set_up(&state.app, &signed_in.session, &form.code).await? {
        Ok(codes) => Ok(recovery_page(
            Chrome::new(&signed_in.visitor, Some(&signed_in.session), "/account"),
            &codes,
            "/account/two-factor".to_owned(),
            true,
        )
        .into_response()),
        Err(refused) => {
            let secret = two_factor::start_set_up(&state.app, &signed_in.session).await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                own_set_up_page(&signed_in, &secret, code_error(&refused)),
            )
                .into_response())
        }
    }
}

/// `POST /account/two-factor/recovery-codes`: new recovery codes, with a code from the app.
pub(crate) async fn new_recovery_codes(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    match two_factor::replace_recovery_codes(&state.app, &signed_in.session, &form.code).await? {
        Ok(codes) => Ok(recovery_page(
            Chrome::new(&signed_in.visitor, Some(&signed_in.session), "/account"),
            &codes,
            "/account/two-factor".to_owned(),
            false,
        )
        .into_response()),
        Err(refused) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            account_page(&state, &signed_in, None, code_error(&refused), "recovery").await?,
        )
            .into_response()),
    }
}

/// `POST /account/two-factor/off`: turns it off, with a code.
pub(crate) async fn turn_off(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, WebError> {
    match two_factor::turn_off(&state.app, &signed_in.session, &form.code).await? {
        Ok(()) => Ok(crate::flash::attach(
            crate::redirect::to("/account/two-factor"),
            crate::flash::Fixed::TwoFactorOff,
        )),
        Err(refused) => {
            // The error summary links to this form's own field.
            let errors = code_error(&refused)
                .into_iter()
                .map(|error| FieldError {
                    field: "off-code".to_owned(),
                    ..error
                })
                .collect();
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                account_page(&state, &signed_in, None, errors, "off").await?,
            )
                .into_response())
        }
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct ResetForm {}

/// `POST /people/{id}/two-factor/reset`: an administrator resets someone's two-factor sign-in.
pub(crate) async fn reset(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<ResetForm>,
) -> Result<Response, WebError> {
    let person = parse_person(&id)?;
    two_factor::reset(&state.app, &signed_in.session.actor, person).await?;
    Ok(crate::flash::attach(
        crate::redirect::to(&format!("/people/{person}")),
        crate::flash::Fixed::TwoFactorReset,
    ))
}

/// An organisation's two-factor requirement, on its settings.
#[derive(Template, WebTemplate)]
#[template(path = "two_factor_settings.html")]
pub(crate) struct SettingsPage {
    chrome: Chrome,
    /// Each staff role: its code, its name, and whether it is required.
    roles: Vec<(&'static str, &'static str, bool)>,
    notice: Option<String>,
}

/// `GET /settings/two-factor`: the staff roles that must use two-factor sign-in.
pub(crate) async fn settings(
    State(state): State<WebState>,
    signed_in: SignedIn,
    crate::flash::Notice(notice): crate::flash::Notice,
) -> Result<SettingsPage, WebError> {
    let session = &signed_in.session;
    let required =
        two_factor::required_roles(&state.app, &session.actor, session.organisation.id).await?;
    Ok(SettingsPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/settings"),
        roles: StaffRole::ALL
            .into_iter()
            .map(|role| (role.as_str(), role.words(), required.contains(&role)))
            .collect(),
        notice,
    })
}

/// `POST /settings/two-factor`: sets them; a role the form names that is not a staff role is
/// refused, not ignored.
pub(crate) async fn save_settings(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(form): CsrfForm<crate::form::Pairs>,
) -> Result<Response, WebError> {
    let session = &signed_in.session;
    let roles = crate::form::values(&form, "role")
        .into_iter()
        .map(|code| {
            StaffRole::parse(code)
                .ok_or_else(|| WebError::BadRequest(format!("there is no staff role {code:?}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    two_factor::set_required_roles(&state.app, &session.actor, session.organisation.id, &roles)
        .await?;
    let notice = if roles.is_empty() {
        crate::flash::Fixed::NoRoleNeedsTwoFactor.into()
    } else {
        crate::flash::Flash::TwoFactorRequired(roles)
    };
    Ok(crate::flash::attach(
        crate::redirect::to("/settings/two-factor"),
        notice,
    ))
}
