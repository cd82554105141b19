//! The signed-in person's reasonable adjustments (R8.5): recorded once for every scheme they
//! take part in, shared with their mentor or mentee only if they choose.

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::form::{Pairs, checked, value};
use crate::routes::sign_in::FieldError;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tandem_app::{AppError, adjustments};
use tandem_core::adjustment::AdjustmentsForm;

#[derive(Template, WebTemplate)]
#[template(path = "adjustments.html")]
pub(crate) struct AdjustmentsPage {
    chrome: Chrome,
    form: AdjustmentsForm,
    version: String,
    notice: Option<String>,
    errors: Vec<FieldError>,
    /// The error at "anything else", if any.
    other_error: Option<String>,
}

/// `GET /account/adjustments`: the person's adjustments, to read and change.
pub(crate) async fn page(
    State(state): State<WebState>,
    signed_in: SignedIn,
    crate::flash::Notice(notice): crate::flash::Notice,
) -> Result<AdjustmentsPage, WebError> {
    let held = adjustments::own(&state.app, &signed_in.session.actor).await?;
    let form = held
        .as_ref()
        .map_or_else(AdjustmentsForm::default, |it| AdjustmentsForm {
            remote_meetings: it.remote_meetings,
            no_travel: it.no_travel,
            other: it.other.clone(),
            shared_with_partner: it.shared_with_partner,
        });
    Ok(AdjustmentsPage {
        chrome: Chrome::new(&signed_in.visitor, Some(&signed_in.session), "/account"),
        form,
        version: held.map(|it| it.version.to_string()).unwrap_or_default(),
        notice,
        errors: Vec::new(),
        other_error: None,
    })
}

/// `POST /account/adjustments`: records them over the version the person read.
pub(crate) async fn save(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let form = AdjustmentsForm {
        remote_meetings: checked(&pairs, "remote_meetings"),
        no_travel: checked(&pairs, "no_travel"),
        other: value(&pairs, "other").to_owned(),
        shared_with_partner: checked(&pairs, "shared_with_partner"),
    };
    let version = value(&pairs, "version").trim();
    let read_version = if version.is_empty() {
        None
    } else {
        Some(version.parse::<i64>().map_err(|_| {
            WebError::BadRequest("the form was damaged; open the page again".to_owned())
        })?)
    };
    let errors =
        match adjustments::save(&state.app, &signed_in.session.actor, &form, read_version).await {
            Ok(_) => {
                return Ok(crate::routes::matching::notice_redirect_to(
                    "/account/adjustments",
                    crate::flash::Fixed::AdjustmentsRecorded,
                    "",
                ));
            }
            Err(AppError::Invalid(problems)) => FieldError::from_problems(&problems),
            Err(AppError::Conflict(message)) => vec![FieldError {
                field: "remote_meetings".to_owned(),
                message: crate::routes::people::capitalise(&message),
            }],
            Err(other) => return Err(other.into()),
        };
    let page = AdjustmentsPage {
        chrome: Chrome::new(&signed_in.visitor, Some(&signed_in.session), "/account"),
        form,
        version: version.to_owned(),
        notice: None,
        other_error: errors
            .iter()
            .find(|it| it.field == "other")
            .map(|it| it.message.clone()),
        errors,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
