//! Closing a scheme for applications, through its check page: who can no longer apply, and
//! what carries on.

use super::parse_key;
use crate::check::CheckPage;
use crate::chrome::Chrome;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use axum::extract::{Path, State};
use tandem_app::schemes;
use tandem_core::domain::SchemeKey;
use tandem_core::words::counted;

/// The check page before closing scheme `key`.
pub(super) async fn page(
    state: &WebState,
    signed_in: &SignedIn,
    key: &SchemeKey,
) -> Result<CheckPage, WebError> {
    let session = &signed_in.session;
    let closing =
        schemes::closing(&state.app, &session.actor, session.organisation.id, key).await?;
    let name = &closing.scheme.definition.name;
    let mut page = CheckPage::new(
        Chrome::new(&signed_in.visitor, Some(session), "/schemes"),
        ("/schemes".to_owned(), "Manage schemes".to_owned()),
        format!("You are about to close {name} for applications"),
        format!("/schemes/{key}/status"),
        "Close for applications",
    );
    page.hidden.push(("status".to_owned(), "closed".to_owned()));
    page.caption = session.organisation.name.clone();
    page.consequences = vec![
        format!("Nobody can apply to {name} until you open it again; its page says it is closed."),
        format!(
            "Applications already made carry on: {} still to decide, {} approved and not yet matched.",
            counted(closing.awaiting_decision, "application", "applications"),
            counted(closing.approved, "application", "applications"),
        ),
        "Pairs and relationships carry on as they are. Nobody is emailed.".to_owned(),
    ];
    Ok(page)
}

/// `GET /schemes/{key}/close`: the check page before closing a scheme for applications.
pub(crate) async fn check(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(key): Path<String>,
) -> Result<CheckPage, WebError> {
    page(&state, &signed_in, &parse_key(&key)?).await
}
