//! The outbox (emails waiting to be sent) and password-reset links.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use tandem_core::PersonId;
use time::OffsetDateTime;
use uuid::Uuid;

/// An email in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    /// Its id.
    pub id: Uuid,
    /// What makes it unique (e.g. `password-reset:<token id>`): enqueueing the same key twice
    /// adds nothing, and the key becomes the email's Message-ID so receivers can drop repeats.
    pub key: String,
    /// The person it is for, if it is for one.
    pub person: Option<PersonId>,
    /// The address it goes to.
    pub recipient: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// When it was written.
    pub created_at: OffsetDateTime,
    /// Attempts so far.
    pub attempts: i64,
    /// A file sent with it (a calendar invitation).
    pub attachment: Option<MailAttachment>,
}

/// A file that travels with an email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailAttachment {
    /// Its file name.
    pub name: String,
    /// Its MIME type, e.g. `text/calendar; method=REQUEST; charset=UTF-8`.
    pub content_type: String,
    /// Its text.
    pub content: String,
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: Uuid,
    message_key: String,
    person_id: Option<Uuid>,
    recipient: String,
    subject: String,
    body: String,
    created_at: OffsetDateTime,
    attempts: i64,
    attachment_name: Option<String>,
    attachment_type: Option<String>,
    attachment: Option<String>,
}

impl From<OutboxRow> for OutboxMessage {
    fn from(row: OutboxRow) -> Self {
        Self {
            id: row.id,
            key: row.message_key,
            person: row.person_id.map(PersonId),
            recipient: row.recipient,
            subject: row.subject,
            body: row.body,
            created_at: row.created_at,
            attempts: row.attempts,
            attachment: match (row.attachment_name, row.attachment_type, row.attachment) {
                (Some(name), Some(content_type), Some(content)) => Some(MailAttachment {
                    name,
                    content_type,
                    content,
                }),
                _ => None,
            },
        }
    }
}

/// A password-reset link as held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordReset {
    /// Whose password it resets.
    pub person: PersonId,
    /// It works until then.
    pub expires_at: OffsetDateTime,
    /// When it was used, if it was.
    pub used_at: Option<OffsetDateTime>,
}

/// Emails written per statement by `enqueue_many` (12 values each).
const ENQUEUE_BATCH: usize = 500;

impl Tx {
    /// Adds emails to the outbox, in a few statements, leaving out any whose key is there.
    pub async fn enqueue_many(&mut self, messages: &[OutboxMessage]) -> Result<(), StoreError> {
        if let Tx::Postgres(tx) = self {
            // Column arrays, as `insert_notifications` writes them on PostgreSQL.
            let sql = "INSERT INTO outbox (id, message_key, person_id, recipient, subject, body, created_at, \
                       next_attempt_at, attempts, attachment_name, attachment_type, attachment) \
                       SELECT id, message_key, person_id, recipient, subject, body, created_at, created_at, 0, \
                       attachment_name, attachment_type, attachment \
                       FROM UNNEST($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], \
                       $7::timestamptz[], $8::text[], $9::text[], $10::text[]) \
                       AS m (id, message_key, person_id, recipient, subject, body, created_at, \
                       attachment_name, attachment_type, attachment) \
                       ON CONFLICT (message_key) DO NOTHING";
            for batch in messages.chunks(crate::inbox::ARRAY_BATCH) {
                sqlx::query(sql)
                    .bind(batch.iter().map(|it| it.id).collect::<Vec<_>>())
                    .bind(batch.iter().map(|it| it.key.as_str()).collect::<Vec<_>>())
                    .bind(
                        batch
                            .iter()
                            .map(|it| it.person.map(|p| p.0))
                            .collect::<Vec<_>>(),
                    )
                    .bind(
                        batch
                            .iter()
                            .map(|it| it.recipient.as_str())
                            .collect::<Vec<_>>(),
                    )
                    .bind(
                        batch
                            .iter()
                            .map(|it| it.subject.as_str())
                            .collect::<Vec<_>>(),
                    )
                    .bind(batch.iter().map(|it| it.body.as_str()).collect::<Vec<_>>())
                    .bind(batch.iter().map(|it| it.created_at).collect::<Vec<_>>())
                    .bind(
                        batch
                            .iter()
                            .map(|it| it.attachment.as_ref().map(|a| a.name.as_str()))
                            .collect::<Vec<_>>(),
                    )
                    .bind(
                        batch
                            .iter()
                            .map(|it| it.attachment.as_ref().map(|a| a.content_type.as_str()))
                            .collect::<Vec<_>>(),
                    )
                    .bind(
                        batch
                            .iter()
                            .map(|it| it.attachment.as_ref().map(|a| a.content.as_str()))
                            .collect::<Vec<_>>(),
                    )
                    .execute(&mut **tx)
                    .await?;
            }
            return Ok(());
        }
        for batch in messages.chunks(ENQUEUE_BATCH) {
            on_backend!(self, |conn| {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO outbox (id, message_key, person_id, recipient, subject, body, created_at, \
                     next_attempt_at, attempts, attachment_name, attachment_type, attachment) ",
                );
                insert.push_values(batch, |mut row, message| {
                    let attachment = message.attachment.as_ref();
                    row.push_bind(message.id)
                        .push_bind(message.key.clone())
                        .push_bind(message.person.map(|it| it.0))
                        .push_bind(message.recipient.clone())
                        .push_bind(message.subject.clone())
                        .push_bind(message.body.clone())
                        .push_bind(message.created_at)
                        .push_bind(message.created_at)
                        .push_bind(0_i64)
                        .push_bind(attachment.map(|it| it.name.clone()))
                        .push_bind(attachment.map(|it| it.content_type.clone()))
                        .push_bind(attachment.map(|it| it.content.clone()));
                });
                insert.push(" ON CONFLICT (message_key) DO NOTHING");
                insert
                    .build()
                    .execute(&mut *conn)
                    .await
                    .map(|done| done.rows_affected())
            })?;
        }
        Ok(())
    }

    /// Adds an email to the outbox unless one with the same key is there already; true if added.
    pub async fn enqueue(&mut self, message: &OutboxMessage) -> Result<bool, StoreError> {
        let sql = "INSERT INTO outbox (id, message_key, person_id, recipient, subject, body, created_at, next_attempt_at, attempts, \
                   attachment_name, attachment_type, attachment) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 0, $8, $9, $10) ON CONFLICT (message_key) DO NOTHING";
        let done = on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(message.id)
                .bind(&message.key)
                .bind(message.person.map(|it| it.0))
                .bind(&message.recipient)
                .bind(&message.subject)
                .bind(&message.body)
                .bind(message.created_at)
                .bind(message.attachment.as_ref().map(|it| it.name.as_str()))
                .bind(
                    message
                        .attachment
                        .as_ref()
                        .map(|it| it.content_type.as_str()),
                )
                .bind(message.attachment.as_ref().map(|it| it.content.as_str()))
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(done > 0)
    }

    /// Claims up to `limit` unsent emails that are due and not claimed by another worker, until
    /// `claimed_until`. On PostgreSQL concurrent workers skip each other's rows (`SKIP LOCKED`);
    /// SQLite has one writer at a time, so the claim itself is enough.
    pub async fn claim_due(
        &mut self,
        now: OffsetDateTime,
        claimed_until: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<OutboxMessage>, StoreError> {
        let rows: Vec<OutboxRow> = match self {
            Tx::Sqlite(tx) => {
                sqlx::query_as(
                    "UPDATE outbox SET claimed_until = $2, attempts = attempts + 1 WHERE id IN ( \
                       SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 \
                       AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY created_at, id LIMIT $3) \
                     RETURNING id, message_key, person_id, recipient, subject, body, created_at, attempts, \
                       attachment_name, attachment_type, attachment",
                )
                .bind(now)
                .bind(claimed_until)
                .bind(limit)
                .fetch_all(&mut **tx)
                .await?
            }
            Tx::Postgres(tx) => {
                sqlx::query_as(
                    "UPDATE outbox SET claimed_until = $2, attempts = attempts + 1 WHERE id IN ( \
                       SELECT id FROM outbox WHERE sent_at IS NULL AND next_attempt_at <= $1 \
                       AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY created_at, id LIMIT $3 \
                       FOR UPDATE SKIP LOCKED) \
                     RETURNING id, message_key, person_id, recipient, subject, body, created_at, attempts, \
                       attachment_name, attachment_type, attachment",
                )
                .bind(now)
                .bind(claimed_until)
                .bind(limit)
                .fetch_all(&mut **tx)
                .await?
            }
        };
        let mut messages: Vec<OutboxMessage> = rows.into_iter().map(OutboxMessage::from).collect();
        messages.sort_by_key(|message| (message.created_at, message.id));
        Ok(messages)
    }

    /// Marks an email sent.
    pub async fn mark_sent(&mut self, id: Uuid, now: OffsetDateTime) -> Result<(), StoreError> {
        let sql =
            "UPDATE outbox SET sent_at = $2, claimed_until = NULL, last_error = NULL WHERE id = $1";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(id)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Records a failed attempt and when to try again.
    pub async fn mark_failed(
        &mut self,
        id: Uuid,
        error: &str,
        next_attempt_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE outbox SET claimed_until = NULL, last_error = $2, next_attempt_at = $3 WHERE id = $1";
        on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(id)
                .bind(error)
                .bind(next_attempt_at)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// Emails not yet sent, oldest first (for operators and tests).
    pub async fn unsent(
        &mut self,
    ) -> Result<Vec<(OutboxMessage, Option<String>, OffsetDateTime)>, StoreError> {
        let sql = "SELECT id, message_key, person_id, recipient, subject, body, created_at, attempts, attachment_name, \
                   attachment_type, attachment, last_error, next_attempt_at \
                   FROM outbox WHERE sent_at IS NULL ORDER BY created_at, id";
        let rows: Vec<UnsentRow> =
            on_backend!(self, |conn| sqlx::query_as(sql).fetch_all(conn).await)?;
        Ok(rows
            .into_iter()
            .map(|row| {
                (
                    OutboxMessage::from(row.message),
                    row.last_error,
                    row.next_attempt_at,
                )
            })
            .collect())
    }

    /// The newest `limit` emails, sent or not, newest first, and how many there are in all.
    pub async fn newest_emails(
        &mut self,
        limit: i64,
    ) -> Result<(Vec<OutboxMessage>, i64), StoreError> {
        let sql = "SELECT id, message_key, person_id, recipient, subject, body, created_at, attempts, \
                   attachment_name, attachment_type, attachment \
                   FROM outbox ORDER BY created_at DESC, id DESC LIMIT $1";
        let rows: Vec<OutboxRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(limit)
            .fetch_all(conn)
            .await)?;
        let count = "SELECT CAST(COUNT(*) AS BIGINT) FROM outbox";
        let (total,): (i64,) =
            on_backend!(self, |conn| sqlx::query_as(count).fetch_one(conn).await)?;
        Ok((rows.into_iter().map(OutboxMessage::from).collect(), total))
    }

    /// How many emails have been sent.
    pub async fn count_sent(&mut self) -> Result<i64, StoreError> {
        let sql = "SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL";
        let (count,): (i64,) = on_backend!(self, |conn| sqlx::query_as(sql).fetch_one(conn).await)?;
        Ok(count)
    }

    /// Keeps a password-reset link (by the hash of its token).
    pub async fn insert_password_reset(
        &mut self,
        token_hash: &[u8],
        person: PersonId,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO password_resets (token_hash, person_id, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, NULL)";
        on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(token_hash)
                .bind(person.0)
                .bind(now)
                .bind(expires_at)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// The password-reset link with this token hash, if any.
    pub async fn password_reset(
        &mut self,
        token_hash: &[u8],
    ) -> Result<Option<PasswordReset>, StoreError> {
        let sql =
            "SELECT person_id, expires_at, used_at FROM password_resets WHERE token_hash = $1";
        let row: Option<(Uuid, OffsetDateTime, Option<OffsetDateTime>)> =
            on_backend!(self, |conn| sqlx::query_as(sql)
                .bind(token_hash)
                .fetch_optional(conn)
                .await)?;
        Ok(row.map(|(person, expires_at, used_at)| PasswordReset {
            person: PersonId(person),
            expires_at,
            used_at,
        }))
    }

    /// Uses a link once: false if it had been used already.
    pub async fn use_password_reset(
        &mut self,
        token_hash: &[u8],
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let sql =
            "UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL";
        let done = on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(token_hash)
                .bind(now)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(done > 0)
    }
}

#[derive(sqlx::FromRow)]
struct UnsentRow {
    #[sqlx(flatten)]
    message: OutboxRow,
    last_error: Option<String>,
    next_attempt_at: OffsetDateTime,
}

impl Tx {
    /// The protective marking of each person's organisation, for the emails sent to them.
    pub async fn markings_of(
        &mut self,
        people: &[PersonId],
    ) -> Result<Vec<(PersonId, String)>, StoreError> {
        if people.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(Uuid, String)> = on_backend!(self, |conn| {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT p.id, o.protective_marking FROM people p \
                 JOIN organisations o ON o.id = p.organisation_id WHERE p.id IN (",
            );
            let mut list = query.separated(", ");
            for id in people {
                list.push_bind(id.0);
            }
            query.push(")");
            query.build_query_as().fetch_all(conn).await
        })?;
        Ok(rows
            .into_iter()
            .map(|(person, marking)| (PersonId(person), marking))
            .collect())
    }
}
