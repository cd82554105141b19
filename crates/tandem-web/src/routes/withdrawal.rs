//! Withdrawing one's own application, through its check page: what ends with it (a mentor's
//! relationships and the requests waiting for them) is named before anything does.

use crate::check::{CheckPage, confirmed};
use crate::chrome::Chrome;
use crate::csrf::CsrfForm;
use crate::form::Pairs;
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use tandem_app::applications;
use tandem_core::ApplicationId;
use tandem_core::eligibility::Role;
use tandem_core::pairing::MatchStatus;
use uuid::Uuid;

fn parse_id(raw: &str) -> Result<ApplicationId, WebError> {
    Uuid::parse_str(raw.trim())
        .map(ApplicationId)
        .map_err(|_| WebError::NotFound)
}

async fn page(
    state: &WebState,
    signed_in: &SignedIn,
    id: ApplicationId,
) -> Result<CheckPage, WebError> {
    let session = &signed_in.session;
    let withdrawal = applications::withdrawal(&state.app, &session.actor, id).await?;
    let scheme = &withdrawal.scheme.definition.name;
    let role = match withdrawal.application.role {
        Role::Mentor => "mentor",
        Role::Mentee => "mentee",
    };
    let mut page = CheckPage::new(
        Chrome::new(&signed_in.visitor, Some(session), "/applications"),
        ("/applications".to_owned(), "Your mentoring".to_owned()),
        format!("You are about to withdraw your application to be a {role} in {scheme}"),
        format!("/applications/{id}/withdraw"),
        "Withdraw the application",
    );
    page.caption = scheme.clone();
    page.consequences.push(format!(
        "You leave {scheme}: you will not be matched, and to take part again you apply again."
    ));
    for (pair, other) in &withdrawal.ends {
        let name = other.record.full_name();
        page.consequences.push(match (pair.status, withdrawal.application.role) {
            (MatchStatus::Requested, Role::Mentor) => format!(
                "{name}'s request to you is declined; they are told and can ask another mentor."
            ),
            (MatchStatus::Requested, _) => {
                format!("Your request to {name} is withdrawn; they are told.")
            }
            _ => format!(
                "Your relationship with {name} ends now. {name} is told, and goes back on the waiting list for another mentor."
            ),
        });
    }
    if withdrawal.ends.is_empty() {
        page.consequences
            .push("Nobody is told: nothing else depends on this application.".to_owned());
    }
    Ok(page)
}

/// `GET /applications/{id}/withdraw`: the check page before withdrawing one's own application.
pub(crate) async fn check(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<CheckPage, WebError> {
    page(&state, &signed_in, parse_id(&id)?).await
}

/// `POST /applications/{id}/withdraw`: withdraws one's own application when sent from its
/// check page (ending what the page named); otherwise shows the check page.
pub(crate) async fn withdraw(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    if !confirmed(&pairs) {
        return Ok(page(&state, &signed_in, id).await?.into_response());
    }
    applications::withdraw(&state.app, &signed_in.session.actor, id).await?;
    Ok(crate::routes::matching::notice_redirect(
        "/applications",
        crate::flash::Fixed::ApplicationWithdrawn,
    ))
}
