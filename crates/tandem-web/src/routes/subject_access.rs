//! Subject access and erasure (R8.4) in the browser: a person's records as a zip, for an
//! administrator from the person's page or for the person from their account, and the
//! erasure's confirmation page.

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::routes::people::{EmptyForm, capitalise, parse_person};
use crate::routes::sign_in::FieldError;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use tandem_app::AppError;
use tandem_app::subject_access::{self, WHAT_GOES, WHAT_STAYS};
use tandem_core::PersonId;

/// The zip as a download. The file is named by the person's id, never their name, so the name
/// does not land in download folders' listings and browser histories.
async fn download(
    state: &WebState,
    signed_in: &SignedIn,
    person: PersonId,
) -> Result<Response, WebError> {
    let zip = subject_access::export_person(&state.app, &signed_in.session.actor, person).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"tandem-records-{person}.zip\""),
            ),
        ],
        zip,
    )
        .into_response())
}

/// `GET /people/{id}/records.zip`: everything held on a person, for their administrator
/// (without what only the person may read, which their own download has).
pub(crate) async fn person_records(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    download(&state, &signed_in, parse_person(&id)?).await
}

/// `GET /account/records.zip`: everything held on the person signed in.
pub(crate) async fn own_records(
    State(state): State<WebState>,
    signed_in: SignedIn,
) -> Result<Response, WebError> {
    let person = signed_in.session.person;
    download(&state, &signed_in, person).await
}

#[derive(Template, WebTemplate)]
#[template(path = "erase_person.html")]
pub(crate) struct ErasePage {
    chrome: Chrome,
    id: String,
    name: String,
    organisation: String,
    goes: &'static [&'static str],
    stays: &'static [&'static str],
    errors: Vec<FieldError>,
}

fn reasons(reasons: &[String]) -> Vec<FieldError> {
    reasons
        .iter()
        .map(|reason| FieldError {
            field: "erase".to_owned(),
            message: capitalise(reason),
        })
        .collect()
}

async fn erase_page(
    state: &WebState,
    signed_in: &SignedIn,
    person: PersonId,
) -> Result<ErasePage, WebError> {
    let session = &signed_in.session;
    let check = subject_access::check_erasure(&state.app, &session.actor, person).await?;
    Ok(ErasePage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/people"),
        id: person.to_string(),
        name: check.person.record.full_name(),
        organisation: check.organisation.name,
        goes: WHAT_GOES,
        stays: WHAT_STAYS,
        errors: reasons(&check.refusals),
    })
}

/// `GET /people/{id}/erase`: what erasing the person removes and keeps, and why it cannot be
/// done yet if it cannot; the button asks for the confirmation.
pub(crate) async fn confirm(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<ErasePage, WebError> {
    erase_page(&state, &signed_in, parse_person(&id)?).await
}

/// `POST /people/{id}/erase`: erases the person and goes back to their (now erased) page; a
/// refusal shows the confirmation page again with its reasons.
pub(crate) async fn erase(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, WebError> {
    let person = parse_person(&id)?;
    match subject_access::erase_person(&state.app, &signed_in.session.actor, person).await {
        Ok(()) => Ok(crate::flash::attach(
            crate::redirect::to(&format!("/people/{person}")),
            crate::flash::Fixed::PersonErased,
        )),
        Err(AppError::ErasureRefused(refusals)) => {
            let mut page = erase_page(&state, &signed_in, person).await?;
            page.errors = reasons(&refusals);
            Ok((StatusCode::CONFLICT, page).into_response())
        }
        Err(err) => Err(err.into()),
    }
}
