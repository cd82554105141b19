//! API tokens: an administrator issues one for an integration (its secret shown once) and
//! revokes it when it is no longer needed.

use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
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
use tandem_app::{AppError, tokens};
use uuid::Uuid;

struct TokenRow {
    id: String,
    name: String,
    access: &'static str,
    created: String,
    last_used: String,
    revoked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "tokens.html")]
pub(crate) struct TokensPage {
    chrome: Chrome,
    organisation: String,
    tokens: Vec<TokenRow>,
    secret: Option<String>,
    errors: Vec<FieldError>,
    name: String,
}

fn when(at: time::OffsetDateTime) -> String {
    format!("{} {:02}:{:02} UTC", at.date(), at.hour(), at.minute())
}

async fn page(
    state: &WebState,
    signed_in: &SignedIn,
    secret: Option<String>,
    errors: Vec<FieldError>,
    name: String,
) -> Result<TokensPage, WebError> {
    let session = &signed_in.session;
    let held = tokens::list(&state.app, &session.actor, Some(session.organisation.id)).await?;
    Ok(TokensPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/api-tokens"),
        organisation: session.organisation.name.clone(),
        tokens: held
            .into_iter()
            .map(|token| TokenRow {
                id: token.id.to_string(),
                name: token.name,
                access: if token.write {
                    "Read and change"
                } else {
                    "Read only"
                },
                created: when(token.created_at),
                last_used: token.last_used_at.map_or_else(|| "Never".to_owned(), when),
                revoked: token.revoked_at.is_some(),
            })
            .collect(),
        secret,
        errors,
        name,
    })
}

/// `GET /api-tokens`: the organisation's API tokens.
pub(crate) async fn list(
    State(state): State<WebState>,
    signed_in: SignedIn,
) -> Result<TokensPage, WebError> {
    page(&state, &signed_in, None, Vec::new(), String::new()).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct IssueForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    access: String,
}

/// `POST /api-tokens`: issues a token and shows its secret, once.
pub(crate) async fn issue(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(form): CsrfForm<IssueForm>,
) -> Result<Response, WebError> {
    let session = &signed_in.session;
    // Every problem at once, each at its field.
    let write = match form.access.as_str() {
        "write" => Some(true),
        "read" => Some(false),
        _ => None,
    };
    let mut errors = Vec::new();
    if let Some(problem) = tokens::name_problem(&form.name) {
        errors.push(FieldError {
            field: "name".to_owned(),
            message: capitalise(problem),
        });
    }
    if write.is_none() {
        errors.push(FieldError {
            field: "access".to_owned(),
            message: "Choose what the token may do".to_owned(),
        });
    }
    let Some(write) = write.filter(|_| errors.is_empty()) else {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&state, &signed_in, None, errors, form.name).await?,
        )
            .into_response());
    };
    match tokens::issue(
        &state.app,
        &session.actor,
        Some(session.organisation.id),
        &form.name,
        write,
    )
    .await
    {
        // Shown here rather than after a redirect: the secret exists only in this response.
        Ok((_, secret)) => Ok((
            StatusCode::CREATED,
            page(&state, &signed_in, Some(secret), Vec::new(), String::new()).await?,
        )
            .into_response()),
        Err(AppError::Conflict(message)) => {
            let errors = vec![FieldError {
                field: "name".to_owned(),
                message: capitalise(&message),
            }];
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&state, &signed_in, None, errors, form.name).await?,
            )
                .into_response())
        }
        Err(err) => Err(err.into()),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct EmptyForm {}

/// `POST /api-tokens/{id}/revoke`: revokes a token.
pub(crate) async fn revoke(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<EmptyForm>,
) -> Result<Response, WebError> {
    let id = Uuid::parse_str(&id).map_err(|_| WebError::NotFound)?;
    let session = &signed_in.session;
    match tokens::revoke(
        &state.app,
        &session.actor,
        Some(session.organisation.id),
        id,
    )
    .await
    {
        Ok(()) | Err(AppError::Conflict(_)) => Ok(crate::redirect::to("/api-tokens")),
        Err(err) => Err(err.into()),
    }
}
