//! Switching the organisation a person with cross-force roles is working in.

use crate::csrf::CsrfForm;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;
use tandem_app::accounts;

#[derive(Debug, Deserialize)]
pub(crate) struct SwitchForm {
    #[serde(default)]
    organisation: String,
}

/// `POST /organisation`: work in another organisation the person's roles reach.
pub(crate) async fn switch(
    State(state): State<WebState>,
    signed_in: SignedIn,
    CsrfForm(form): CsrfForm<SwitchForm>,
) -> Result<Response, WebError> {
    let token = signed_in
        .visitor
        .token
        .as_ref()
        .ok_or(WebError::Forbidden("sign in first".to_owned()))?;
    accounts::switch_organisation(
        &state.app,
        token,
        &signed_in.session,
        form.organisation.trim(),
    )
    .await?;
    Ok(crate::redirect::to("/"))
}
