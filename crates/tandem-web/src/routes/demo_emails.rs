//! `/demo/emails`: in the demo only, the emails it would have sent, for any visitor to read.

use crate::chrome::Chrome;
use crate::visitor::Visitor;
use crate::{WebError, WebState};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;

/// Emails shown at most: the demo queues a few hundred while seeding; the newest tell the story.
const SHOWN: i64 = 200;

struct EmailRow {
    to: String,
    subject: String,
    when: String,
    body: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "demo_emails.html")]
pub(crate) struct DemoEmailsPage {
    chrome: Chrome,
    rows: Vec<EmailRow>,
    total: i64,
}

/// `GET /demo/emails`: the demo's outbox, newest first. A server that is not the demo has no
/// such page.
pub(crate) async fn page(
    State(state): State<WebState>,
    visitor: Visitor,
) -> Result<DemoEmailsPage, WebError> {
    if state.config.demo.is_none() {
        return Err(WebError::NotFound);
    }
    let (emails, total) = tandem_app::demo::newest_emails(&state.app, SHOWN).await?;
    let format = time::macros::format_description!(
        "[weekday repr:short] [day padding:none] [month repr:short] [year], [hour]:[minute] UTC"
    );
    Ok(DemoEmailsPage {
        chrome: Chrome::new(&visitor, None, "/demo/emails"),
        rows: emails
            .into_iter()
            .map(|email| EmailRow {
                to: email.recipient,
                subject: email.subject,
                when: email.created_at.format(&format).unwrap_or_default(),
                body: email.body,
            })
            .collect(),
        total,
    })
}
