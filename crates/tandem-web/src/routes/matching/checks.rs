//! The check pages of matching's actions that cannot be undone: confirming every proposal on
//! the board (everyone in them is told), and a member ending their pair from Your mentoring.

use super::{back, id_of, key_of};
use crate::check::{CheckPage, confirmed};
use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::form::Pairs;
use crate::routes::relationships::ending::{self, Start};
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use tandem_app::matching;
use tandem_core::MatchId;
use tandem_core::domain::SchemeKey;
use tandem_core::words::counted;

async fn confirm_all_page(
    state: &WebState,
    signed_in: &SignedIn,
    key: &SchemeKey,
) -> Result<CheckPage, WebError> {
    let session = &signed_in.session;
    let check =
        matching::confirm_all_check(&state.app, &session.actor, session.organisation.id, key)
            .await?;
    let pairs = counted(check.pairs, "proposed pair", "proposed pairs");
    let mut page = CheckPage::new(
        Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        (format!("/schemes/{key}/matching"), "matching".to_owned()),
        format!("You are about to confirm {pairs}"),
        format!("/schemes/{key}/matching/confirm-all"),
        &format!("Confirm {pairs}"),
    );
    page.caption = check.scheme.definition.name.clone();
    page.consequences = vec![
        format!(
            "Every proposal on the board for {} is confirmed: {}.",
            check.division.as_deref().map_or_else(
                || "the whole scheme".to_owned(),
                |division| format!("mentees in {division}")
            ),
            pairs
        ),
        format!(
            "{} told of their match, each in their inbox and by email (or in their digest, if they chose one).",
            counted(check.people, "person is", "people are")
        ),
        "Each mentor is asked to arrange the first meeting. A confirmed pair cannot go back to being a proposal; it can only be ended.".to_owned(),
        "A pair that can no longer be confirmed (a place taken meanwhile, a rule) is left as a proposal, and the board says why.".to_owned(),
    ];
    Ok(page)
}

/// `GET /schemes/{key}/matching/confirm-all`: the check page before confirming every proposal.
pub(crate) async fn confirm_all_check(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
) -> Result<CheckPage, WebError> {
    let key = key_of(&key)?;
    confirm_all_page(&state, &signed_in, &key).await
}

/// `POST /schemes/{key}/matching/confirm-all`: confirms every proposal on the board, when sent
/// from its check page; otherwise shows the check page.
pub(crate) async fn confirm_all(
    State(state): State<WebState>,
    signed_in: SignedIn,
    headers: HeaderMap,
    Path(key): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let key = key_of(&key)?;
    if !confirmed(&pairs) {
        return Ok(confirm_all_page(&state, &signed_in, &key)
            .await?
            .into_response());
    }
    let session = &signed_in.session;
    let url = crate::routes::password::public_url(&state, &headers);
    let (confirmed, refused) = matching::confirm_all(
        &state.app,
        &session.actor,
        session.organisation.id,
        &key,
        &url,
    )
    .await?;
    // The pairs passed over stay proposals; confirming one on its own says why in words.
    Ok(back(
        &key,
        crate::flash::Flash::ConfirmedAll {
            confirmed,
            refused: refused.len(),
        },
    ))
}

/// `GET /matches/{id}/end`: the check page before ending a pair from Your mentoring.
pub(crate) async fn end_check(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<CheckPage, WebError> {
    let id = MatchId(id_of(&id)?);
    ending::check(&state, &signed_in, id, Start::Mentoring, None).await
}

/// `POST /matches/{id}/end`: ends a confirmed pair early, when sent from its check page,
/// optionally asking to be matched again.
pub(crate) async fn end(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = MatchId(id_of(&id)?);
    ending::act(&state, &signed_in, id, Start::Mentoring, pairs).await
}
