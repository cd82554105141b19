//! The outbox and its worker: emails are written with the change that causes them and sent
//! later, at least once, retrying with back-off (DESIGN §7).

use crate::mail::Mailer;
use crate::{App, AppError};
use std::collections::HashMap;
use std::time::Duration as StdDuration;
use tandem_core::PersonId;
use tandem_core::hr::ExistingPerson;
use tandem_store::OutboxMessage;
use time::Duration;
use time::OffsetDateTime;
use uuid::Uuid;

/// An email to a person of the directory, greeting them by name; `key` makes it happen once.
pub(crate) fn letter(
    person: &ExistingPerson,
    key: String,
    subject: String,
    body: String,
    now: OffsetDateTime,
) -> OutboxMessage {
    OutboxMessage {
        id: Uuid::now_v7(),
        key,
        person: Some(person.id),
        recipient: person.record.email.to_string(),
        subject,
        body: format!(
            "Dear {},\n\n{body}\n\nTandem mentoring",
            person.record.first_name
        ),
        created_at: now,
        attempts: 0,
        attachment: None,
    }
}

/// How long a claimed email is reserved for the worker that claimed it, unless the operator
/// chooses otherwise ([`deliver_due_claiming`]). A worker that dies mid-batch holds its claimed
/// emails back this long before another worker may send them.
pub const CLAIM: Duration = Duration::minutes(2);
/// Emails sent per round.
const BATCH: i64 = 20;

/// The wait before the next attempt after `attempts` failures: 1, 5, 15, 60 minutes, then 4 hours.
pub fn back_off(attempts: i64) -> Duration {
    match attempts {
        ..=1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(15),
        4 => Duration::hours(1),
        _ => Duration::hours(4),
    }
}

/// What one round of delivery did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Delivery {
    /// Emails sent.
    pub sent: usize,
    /// Emails that failed and will be tried again.
    pub failed: usize,
}

/// Sends the emails that are due, once each; failures are kept for a later attempt.
pub async fn deliver_due(app: &App, mailer: &Mailer) -> Result<Delivery, AppError> {
    deliver_due_claiming(app, mailer, CLAIM).await
}

/// Like [`deliver_due`], reserving the emails it takes for `claim` instead of [`CLAIM`]: an
/// operator shortens it so a crashed worker's emails go out sooner (and tests of that crash need
/// not wait two minutes); while a batch is still being sent after its claim has run out, another
/// worker may take and send the same emails again.
pub async fn deliver_due_claiming(
    app: &App,
    mailer: &Mailer,
    claim: Duration,
) -> Result<Delivery, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let claimed: Vec<OutboxMessage> = tx.claim_due(now, now + claim, BATCH).await?;
    let people: Vec<PersonId> = claimed.iter().filter_map(|it| it.person).collect();
    let markings: HashMap<PersonId, String> = tx.markings_of(&people).await?.into_iter().collect();
    tx.commit().await?;
    let mut delivery = Delivery::default();
    for message in claimed {
        let marking = message
            .person
            .and_then(|person| markings.get(&person))
            .map(String::as_str);
        let outcome = mailer.send(&message, marking).await;
        let now = app.clock.now();
        let mut tx = app.store.begin_write().await?;
        match outcome {
            Ok(()) => {
                tx.mark_sent(message.id, now).await?;
                delivery.sent += 1;
            }
            Err(err) => {
                tracing::warn!(key = %message.key, attempts = message.attempts, error = %err, "email not sent; will try again");
                tx.mark_failed(message.id, &err, now + back_off(message.attempts))
                    .await?;
                delivery.failed += 1;
            }
        }
        tx.commit().await?;
    }
    Ok(delivery)
}

/// Delivers due emails every `every`, each claim lasting `claim`, until `stop` is set; any app
/// server may run it (claims keep two workers from sending the same email at once).
pub async fn run_worker(
    app: App,
    mailer: Mailer,
    every: StdDuration,
    claim: Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        match deliver_due_claiming(&app, &mailer, claim).await {
            Ok(Delivery { sent: 0, failed: 0 }) => {}
            Ok(delivery) => tracing::info!(
                sent = delivery.sent,
                failed = delivery.failed,
                "outbox delivered"
            ),
            Err(err) => tracing::error!(error = %err, "outbox delivery failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            changed = stop.changed() => {
                if changed.is_err() || *stop.borrow() {
                    return;
                }
            }
        }
    }
}
