//! Importing the HR directory from the browser: upload, see what would change (or every bad
//! row), then confirm.

use crate::chrome::Chrome;
use crate::csrf::{CsrfForm, CsrfToken};
use crate::routes::people::capitalise;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tandem_app::AppError;
use tandem_app::people::{self, ImportReport, ImportRequest, ImportStage, PREVIEW_LINES};
use tandem_core::authz::{Action, StaffRole, authorize};
use tandem_core::hr::{ImportOptions, ImportProblem, ImportProblems, Keep, ProblemKind};
use uuid::Uuid;

/// The largest HR file accepted (a national workforce of 300,000 people is about 55 MiB).
pub(crate) const UPLOAD_LIMIT: usize = 128 * 1024 * 1024;

/// The most problems the downloaded problems file lists (the rest are counted in it). At a few
/// hundred bytes each, this many take about the upload limit's memory, however bad the file.
const PROBLEMS_FILE_LIMIT: usize = 250_000;

#[derive(Template, WebTemplate)]
#[template(path = "import.html")]
pub(crate) struct ImportPage {
    chrome: Chrome,
    organisation: String,
    may_create_organisations: bool,
    /// The first problems, by line.
    problems: Vec<ImportProblem>,
    /// Every problem counted by kind, when there are any.
    counts: Vec<(ProblemKind, u64)>,
    total: u64,
    /// The total in words, "1 problem" or "3 problems".
    total_words: String,
    not_shown: u64,
    /// The options the file was checked with, for the form that downloads every problem.
    options: ImportOptions,
    file_name: String,
    message: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "import_preview.html")]
pub(crate) struct PreviewPage {
    chrome: Chrome,
    upload: String,
    file_name: String,
    report: ImportReport,
    more: usize,
    full_extract: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "import_done.html")]
pub(crate) struct DonePage {
    chrome: Chrome,
    file_name: String,
    imported: bool,
    counts: Vec<(String, u64)>,
}

fn may_create_organisations(signed_in: &SignedIn) -> bool {
    matches!(&signed_in.session.actor, tandem_core::authz::Actor::Person { grants, .. } if grants.iter().any(|grant| grant.role == StaffRole::NationalAdmin))
}

fn form_page(
    signed_in: &SignedIn,
    problems: ImportProblems,
    options: ImportOptions,
    file_name: String,
    message: Option<String>,
) -> ImportPage {
    ImportPage {
        chrome: Chrome::new(&signed_in.visitor, Some(&signed_in.session), "/people"),
        organisation: signed_in.session.organisation.name.clone(),
        may_create_organisations: may_create_organisations(signed_in),
        counts: problems.counts().collect(),
        total: problems.total(),
        total_words: tandem_core::words::counted(problems.total(), "problem", "problems"),
        not_shown: problems.not_kept(),
        problems: problems.iter().cloned().collect(),
        options,
        file_name,
        message,
    }
}

fn may_import(signed_in: &SignedIn) -> Result<(), WebError> {
    let session = &signed_in.session;
    authorize(
        &session.actor,
        &Action::ImportPeople(session.organisation.id),
    )
    .map_err(|denied| WebError::App(denied.into()))
}

/// `GET /people/import`: the upload form.
pub(crate) async fn form(signed_in: SignedIn) -> Result<ImportPage, WebError> {
    may_import(&signed_in)?;
    Ok(form_page(
        &signed_in,
        ImportProblems::default(),
        ImportOptions::default(),
        String::new(),
        None,
    ))
}

/// An upload form as sent: its file (when one was chosen) and options.
struct UploadForm {
    file: Option<(String, Vec<u8>)>,
    options: ImportOptions,
}

/// Reads the multipart upload form, refusing it unless its token is the visitor's.
async fn read_upload(
    signed_in: &SignedIn,
    csrf: &CsrfToken,
    mut multipart: Multipart,
) -> Result<UploadForm, WebError> {
    let unreadable =
        || WebError::BadRequest("the upload could not be read; choose the file again".to_owned());
    let mut sent_csrf = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut options = ImportOptions::default();
    while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
        match field.name().unwrap_or_default() {
            "csrf" => sent_csrf = field.text().await.map_err(|_| unreadable())?,
            "full_extract" => {
                options.full_extract = field.text().await.map_err(|_| unreadable())? == "true"
            }
            "create_organisations" => {
                options.create_organisations =
                    field.text().await.map_err(|_| unreadable())? == "true"
            }
            "file" => {
                let name = field.file_name().unwrap_or("upload.csv").to_owned();
                file = Some((
                    name,
                    field.bytes().await.map_err(|_| unreadable())?.to_vec(),
                ));
            }
            _ => {}
        }
    }
    if csrf.0.is_empty() || !crate::csrf::same(&sent_csrf, &csrf.0) {
        return Err(WebError::Forbidden("the form had expired or came from somewhere else; go back, reload the page and try again".to_owned()));
    }
    if options.create_organisations && !may_create_organisations(signed_in) {
        options.create_organisations = false;
    }
    Ok(UploadForm {
        file: file.filter(|(_, bytes)| !bytes.is_empty()),
        options,
    })
}

fn choose_a_file(signed_in: &SignedIn, options: ImportOptions) -> Response {
    let page = form_page(
        signed_in,
        ImportProblems::default(),
        options,
        String::new(),
        Some("Choose a CSV file to upload".to_owned()),
    );
    (StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

/// `POST /people/import`: checks the uploaded file without changing anything and shows what the
/// import would do, or the first problems in the file with every problem counted by kind.
pub(crate) async fn upload(
    State(state): State<WebState>,
    signed_in: SignedIn,
    csrf: axum::Extension<CsrfToken>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    may_import(&signed_in)?;
    let UploadForm { file, options } = read_upload(&signed_in, &csrf, multipart).await?;
    let Some((file_name, bytes)) = file else {
        return Ok(choose_a_file(&signed_in, options));
    };
    match people::stage_upload(
        &state.app,
        &signed_in.session.actor,
        &file_name,
        bytes,
        options,
    )
    .await
    {
        Ok(staged) => {
            let more =
                (staged.report.created + staged.report.updated + staged.report.marked_leaver)
                    .saturating_sub(PREVIEW_LINES);
            Ok(PreviewPage {
                chrome: Chrome::new(&signed_in.visitor, Some(&signed_in.session), "/people"),
                upload: staged.upload.to_string(),
                file_name,
                report: staged.report,
                more,
                full_extract: options.full_extract,
            }
            .into_response())
        }
        Err(AppError::ImportRejected(problems)) => {
            let message = format!(
                "{file_name} has {}. Nothing was changed. Correct the file and upload it again.",
                tandem_core::words::counted(problems.total(), "problem", "problems")
            );
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(&signed_in, problems, options, file_name, Some(message)),
            )
                .into_response())
        }
        Err(err) => Err(err.into()),
    }
}

/// `POST /people/import/problems`: every problem of the file chosen again, as a CSV download.
///
/// A bad file is not kept (it holds personal data, and keeping it would need a place and a
/// time to delete it), so the problems page asks for the file again and this checks it again
/// in the same request, nothing written; what is listed is bounded by [`PROBLEMS_FILE_LIMIT`].
pub(crate) async fn problems(
    State(state): State<WebState>,
    signed_in: SignedIn,
    csrf: axum::Extension<CsrfToken>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    may_import(&signed_in)?;
    let UploadForm { file, options } = read_upload(&signed_in, &csrf, multipart).await?;
    let Some((file_name, bytes)) = file else {
        return Ok(choose_a_file(&signed_in, options));
    };
    let request = ImportRequest {
        bytes: &bytes,
        options,
        dry_run: true,
        source: &file_name,
    };
    let checked = people::import_keeping(
        &state.app,
        &signed_in.session.actor,
        request,
        Keep::First(PROBLEMS_FILE_LIMIT),
        &|_: ImportStage| {},
    )
    .await;
    match checked {
        Err(AppError::ImportRejected(problems)) => {
            let marking = signed_in
                .session
                .organisation
                .protective_marking
                .to_string();
            let mut body = problems.csv(&marking);
            drop(bytes);
            if problems.not_kept() > 0 {
                body.extend_from_slice(
                    format!(
                        "# {} more not listed; correct these and check the file again\n",
                        tandem_core::words::counted(problems.not_kept(), "problem", "problems")
                    )
                    .as_bytes(),
                );
            }
            let stem: String = file_name
                .rsplit_once('.')
                .map_or(file_name.as_str(), |(stem, _)| stem)
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                .collect();
            Ok((
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{stem}-problems.csv\""),
                    ),
                ],
                body,
            )
                .into_response())
        }
        Ok(_) => {
            let message = format!(
                "{file_name} has no problems now. Upload it to see what the import would change."
            );
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(
                    &signed_in,
                    ImportProblems::default(),
                    options,
                    String::new(),
                    Some(message),
                ),
            )
                .into_response())
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct EmptyForm {}

fn parse_upload(raw: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(raw).map_err(|_| WebError::NotFound)
}

/// `POST /people/import/{id}/confirm`: imports the checked file.
pub(crate) async fn confirm(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, WebError> {
    may_import(&signed_in)?;
    let id = parse_upload(&id)?;
    match people::confirm_upload(&state.app, &signed_in.session.actor, id).await {
        Ok(_) => Ok(crate::redirect::to(&format!("/people/import/{id}"))),
        Err(AppError::ImportRejected(problems)) => {
            let message = format!(
                "The directory changed since the file was checked, and it now has {}. Nothing was changed.",
                tandem_core::words::counted(problems.total(), "problem", "problems")
            );
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(
                    &signed_in,
                    problems,
                    ImportOptions::default(),
                    String::new(),
                    Some(message),
                ),
            )
                .into_response())
        }
        Err(AppError::Conflict(message)) => Ok((
            StatusCode::CONFLICT,
            form_page(
                &signed_in,
                ImportProblems::default(),
                ImportOptions::default(),
                String::new(),
                Some(capitalise(&message)),
            ),
        )
            .into_response()),
        Err(err) => Err(err.into()),
    }
}

/// `GET /people/import/{id}`: what an import did.
pub(crate) async fn done(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<DonePage, WebError> {
    may_import(&signed_in)?;
    let outcome =
        people::upload_outcome(&state.app, &signed_in.session.actor, parse_upload(&id)?).await?;
    Ok(DonePage {
        chrome: Chrome::new(&signed_in.visitor, Some(&signed_in.session), "/people"),
        file_name: outcome.file_name,
        imported: outcome.imported,
        counts: outcome.counts,
    })
}
