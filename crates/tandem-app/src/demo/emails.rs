//! The emails the demo would have sent, for a visitor to read: the demo sends none (it has no
//! mail server), so its outbox is where a newcomer sees what people would be told.

use crate::{App, AppError};
use tandem_store::OutboxMessage;

/// The newest emails of the demo's outbox, newest first, and how many there are in all.
///
/// Only `tandem demo`'s server offers this, to every visitor: everyone in the demo is made up
/// and its sign-in page gives every account's password, so what they are sent is no more
/// private than signing in as them; an installation that serves real people never reads its
/// outbox out.
pub async fn newest_emails(app: &App, limit: i64) -> Result<(Vec<OutboxMessage>, i64), AppError> {
    let mut tx = app.store.begin_read().await?;
    let newest = tx.newest_emails(limit).await?;
    tx.rollback().await?;
    Ok(newest)
}
