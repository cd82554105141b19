//! Managing an organisation's schemes: create one from a preset, change its policy field by
//! field (every problem named next to its field), open or close it for applications.
//!
//! `fields` says what the policy form shows; `convert` turns a scheme into the form's values and
//! the submitted values back into changes; this file has the pages.

mod close;
mod convert;
mod fields;

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::query::Query;
use crate::routes::people::capitalise;
use crate::routes::sign_in::FieldError;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tandem_app::AppError;
use tandem_app::schemes::{self};
use tandem_core::domain::SchemeKey;
use tandem_core::programme::SchemeStatus;

use crate::form::{Pairs, value};

use convert::{changes_of, pairs_of};
use fields::{Field, Section, sections};

struct SchemeRow {
    key: String,
    name: String,
    open: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "schemes_admin.html")]
pub(crate) struct SchemesPage {
    chrome: Chrome,
    organisation: String,
    schemes: Vec<SchemeRow>,
    presets: Vec<(String, String)>,
    errors: Vec<FieldError>,
    chosen_preset: String,
    new_key: String,
    new_name: String,
    notice: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct NoticeQuery {
    notice: Option<String>,
}

async fn schemes_page(
    state: &WebState,
    signed_in: &SignedIn,
    errors: Vec<FieldError>,
    chosen: (String, String, String),
    notice: Option<String>,
) -> Result<SchemesPage, WebError> {
    let session = &signed_in.session;
    tandem_core::authz::authorize(
        &session.actor,
        &tandem_core::authz::Action::ManageSchemes(session.organisation.id),
    )
    .map_err(AppError::from)?;
    let schemes = schemes::list(&state.app, &session.actor, &session.organisation.code).await?;
    Ok(SchemesPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        organisation: session.organisation.name.clone(),
        schemes: schemes
            .into_iter()
            .map(|scheme| SchemeRow {
                key: scheme.definition.key.to_string(),
                name: scheme.definition.name,
                open: scheme.status == SchemeStatus::Open,
            })
            .collect(),
        presets: schemes::preset_schemes()
            .into_iter()
            .map(|(preset, key, name)| (format!("{preset}/{key}"), name))
            .collect(),
        errors,
        chosen_preset: chosen.0,
        new_key: chosen.1,
        new_name: chosen.2,
        notice,
    })
}

/// `GET /schemes`: the organisation's schemes, to change, open or close, and a form to add one.
pub(crate) async fn list(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Query(query): Query<NoticeQuery>,
) -> Result<SchemesPage, WebError> {
    let notice = match query.notice.as_deref() {
        Some("created") => Some("The scheme was created. Check its policy below.".to_owned()),
        Some("opened") => Some("The scheme is open for applications.".to_owned()),
        Some("closed") => Some("The scheme is closed for applications.".to_owned()),
        Some("saved") => Some("The scheme's changes were saved.".to_owned()),
        _ => None,
    };
    schemes_page(&state, &signed_in, Vec::new(), Default::default(), notice).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct CreateForm {
    #[serde(default)]
    preset: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    name: String,
}

/// `POST /schemes`: creates a scheme from one of a preset's schemes.
pub(crate) async fn create(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(form): CsrfForm<CreateForm>,
) -> Result<Response, WebError> {
    let chosen = (form.preset.clone(), form.key.clone(), form.name.clone());
    let mut errors = Vec::new();
    let preset = form.preset.split_once('/');
    if preset.is_none() {
        errors.push(FieldError {
            field: "preset".to_owned(),
            message: "Choose the scheme to start from".to_owned(),
        });
    }
    let key = SchemeKey::parse(&form.key)
        .map_err(|err| {
            errors.push(FieldError {
                field: "key".to_owned(),
                message: capitalise(&format!("the short name {err}")),
            })
        })
        .ok();
    let (Some((preset, preset_scheme)), Some(key), true) = (preset, key, errors.is_empty()) else {
        let page = schemes_page(&state, &signed_in, errors, chosen, None).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let session = &signed_in.session;
    let name = Some(form.name.clone());
    match schemes::create_from_preset(
        &state.app,
        &session.actor,
        &session.organisation.code,
        preset,
        preset_scheme,
        key.clone(),
        name,
    )
    .await
    {
        Ok(_) => Ok(crate::redirect::to(&format!(
            "/schemes/{key}/edit?notice=created"
        ))),
        Err(AppError::Conflict(message)) => {
            let errors = vec![FieldError {
                field: "key".to_owned(),
                message: capitalise(&message),
            }];
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                schemes_page(&state, &signed_in, errors, chosen, None).await?,
            )
                .into_response())
        }
        Err(AppError::PolicyRejected(problems)) => {
            let errors = problems
                .iter()
                .map(|problem| FieldError {
                    field: "preset".to_owned(),
                    message: capitalise(&problem.to_string()),
                })
                .collect();
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                schemes_page(&state, &signed_in, errors, chosen, None).await?,
            )
                .into_response())
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "scheme_edit.html")]
pub(crate) struct EditPage {
    chrome: Chrome,
    organisation: String,
    key: String,
    version: i64,
    sections: Vec<Section>,
    errors: Vec<FieldError>,
    notice: Option<String>,
}

fn edit_page(
    signed_in: &SignedIn,
    key: &SchemeKey,
    version: i64,
    pairs: &Pairs,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> EditPage {
    let session = &signed_in.session;
    let mut sections = sections(pairs, &session.organisation.rank_bands);
    for section in &mut sections {
        for field in &mut section.fields {
            field.error = errors
                .iter()
                .find(|error| error.field == field.id)
                .map(|error| error.message.clone());
        }
    }
    EditPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        organisation: session.organisation.name.clone(),
        key: key.to_string(),
        version,
        sections,
        errors,
        notice,
    }
}

fn parse_key(raw: &str) -> Result<SchemeKey, WebError> {
    SchemeKey::parse(raw).map_err(|_| WebError::NotFound)
}

/// `GET /schemes/{key}/edit`: the scheme's policy as a form.
pub(crate) async fn edit(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<EditPage, WebError> {
    let key = parse_key(&key)?;
    let session = &signed_in.session;
    let scheme =
        schemes::managed(&state.app, &session.actor, session.organisation.id, &key).await?;
    let notice = (query.notice.as_deref() == Some("created")).then(|| {
        "The scheme was created from the preset. Change what your programme needs, then save."
            .to_owned()
    });
    Ok(edit_page(
        &signed_in,
        &key,
        scheme.version,
        &pairs_of(&scheme),
        Vec::new(),
        notice,
    ))
}

/// Maps a policy problem's field (dotted, maybe a group) to the id of the input to fix.
fn input_for(field: &str, sections: &[Section]) -> String {
    let all: Vec<&Field> = sections
        .iter()
        .flat_map(|section| &section.fields)
        .collect();
    let exact = all.iter().find(|it| it.name == field);
    let within = all
        .iter()
        .find(|it| it.name.starts_with(&format!("{field}.")));
    exact
        .or(within)
        .map_or("name", |it| it.name.as_str())
        .replace('.', "-")
}

/// `POST /schemes/{key}/edit`: saves the policy, or shows every problem next to its field.
pub(crate) async fn save(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let key = parse_key(&key)?;
    let session = &signed_in.session;
    // Permission first: someone who may not manage the scheme learns nothing from its form.
    let scheme =
        schemes::managed(&state.app, &session.actor, session.organisation.id, &key).await?;
    let version: i64 = value(&pairs, "version").parse().unwrap_or(-1);
    let (changes, mut errors) = changes_of(&pairs, &scheme.definition.policy);
    if !errors.is_empty() {
        // The scheme's rules are checked too, so every problem shows at once; a field that did
        // not parse was checked at its saved value and keeps its own message.
        let bands = &session.organisation.rank_bands;
        let sections = sections(&pairs, bands);
        for problem in schemes::problems(&changes, bands) {
            let field = input_for(&problem.field, &sections);
            if !errors.iter().any(|it| it.field == field) {
                errors.push(FieldError {
                    field,
                    message: capitalise(&problem.message),
                });
            }
        }
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            edit_page(&signed_in, &key, version, &pairs, errors, None),
        )
            .into_response());
    }
    match schemes::update(
        &state.app,
        &session.actor,
        session.organisation.id,
        &key,
        version,
        changes,
    )
    .await
    {
        Ok(_) => Ok(crate::redirect::to("/schemes?notice=saved")),
        Err(AppError::PolicyRejected(problems)) => {
            let sections = sections(&pairs, &session.organisation.rank_bands);
            let errors = problems
                .iter()
                .map(|problem| FieldError {
                    field: input_for(&problem.field, &sections),
                    message: capitalise(&problem.message),
                })
                .collect();
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                edit_page(&signed_in, &key, version, &pairs, errors, None),
            )
                .into_response())
        }
        Err(AppError::Conflict(message)) => {
            let errors = vec![FieldError {
                field: "name".to_owned(),
                message: capitalise(&format!(
                    "{message}; open the scheme again to see their changes, then make yours"
                )),
            }];
            Ok((
                StatusCode::CONFLICT,
                edit_page(&signed_in, &key, version, &pairs, errors, None),
            )
                .into_response())
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct StatusForm {
    #[serde(default)]
    status: String,
    /// Sent by closing's check page.
    #[serde(default)]
    confirmed: String,
}

pub(crate) use close::check as close_check;

/// `POST /schemes/{key}/status`: opens or closes the scheme for applications.
pub(crate) async fn status(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
    CsrfForm(form): CsrfForm<StatusForm>,
) -> Result<Response, WebError> {
    let key = parse_key(&key)?;
    let status = SchemeStatus::parse(&form.status)
        .ok_or_else(|| WebError::BadRequest("choose open or closed".to_owned()))?;
    // Closing stops everyone applying: only from its check page.
    if status == SchemeStatus::Closed && form.confirmed != crate::check::CONFIRMED.1 {
        return Ok(close::page(&state, &signed_in, &key).await?.into_response());
    }
    let session = &signed_in.session;
    schemes::set_status(
        &state.app,
        &session.actor,
        session.organisation.id,
        &key,
        status,
    )
    .await?;
    let notice = if status == SchemeStatus::Open {
        "opened"
    } else {
        "closed"
    };
    Ok(crate::redirect::to(&format!("/schemes?notice={notice}")))
}
