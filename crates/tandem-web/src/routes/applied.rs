//! The confirmation after applying: the application is sent, and what happens next (the
//! manager's authorisation or the coordinator's decision, the ethics statement, training and
//! whether matching waits for it, how matching happens), as the steps Your mentoring tracks.

use crate::chrome::Chrome;
use crate::routes::next_steps::{self, StepView};
use crate::visitor::SignedIn;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use tandem_core::ApplicationId;
use tandem_core::eligibility::Role;
use uuid::Uuid;

#[derive(Template, WebTemplate)]
#[template(path = "applied.html")]
pub(crate) struct AppliedPage {
    chrome: Chrome,
    scheme: String,
    role: &'static str,
    /// Where it stands, in words.
    status: String,
    /// When it was sent.
    applied: String,
    /// A waiting mentee's place, in words.
    waiting: Option<String>,
    steps: Vec<StepView>,
}

/// `GET /applications/{id}/applied`: one's own application just sent, and what happens next.
pub(crate) async fn page(
    State(state): State<WebState>,
    signed_in: SignedIn,
    Path(id): Path<String>,
) -> Result<AppliedPage, WebError> {
    let id = Uuid::parse_str(&id)
        .map(ApplicationId)
        .map_err(|_| WebError::NotFound)?;
    let session = &signed_in.session;
    let app = &state.app;
    // Only the applicant's own applications are read, so another's id is simply not found.
    let own = tandem_app::applications::mine(app, &session.actor)
        .await?
        .into_iter()
        .find(|it| it.application.id == id)
        .ok_or(WebError::NotFound)?;
    let training = tandem_app::training::mine(app, &session.actor).await?;
    let pairs = tandem_app::relationships::mine(app, &session.actor).await?;
    let steps = next_steps::of(&own, &training.records, &pairs, app.clock.now().date());
    Ok(AppliedPage {
        chrome: Chrome::new(&signed_in.visitor, Some(session), "/applications"),
        scheme: own.scheme.definition.name.clone(),
        role: if own.application.role == Role::Mentor {
            "mentor"
        } else {
            "mentee"
        },
        status: crate::routes::applications::status_words(&own.application, own.places),
        applied: crate::routes::applications::date_only(own.application.submitted_at.date()),
        waiting: own.waiting.map(crate::routes::applications::waiting_words),
        steps,
    })
}
