//! The in-app inbox (R9.1) and each person's choice of immediate email or a digest (R9.2).

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use tandem_core::PersonId;
use time::OffsetDateTime;
use uuid::Uuid;

/// A notification as a person's inbox holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Its id.
    pub id: Uuid,
    /// Whose.
    pub person: PersonId,
    /// What makes it happen once.
    pub key: String,
    /// What kind of notice it is (a stored code, e.g. `reminder.book_session`).
    pub kind: String,
    /// Its subject.
    pub subject: String,
    /// Its words.
    pub body: String,
    /// The page to act on, if there is one.
    pub link: Option<String>,
    /// When.
    pub created_at: OffsetDateTime,
    /// When the person opened it.
    pub read_at: Option<OffsetDateTime>,
    /// `immediate` (emailed with it) or `digest` (waits for the person's digest).
    pub delivery: String,
    /// When a digest carried it.
    pub digested_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct NotificationRow {
    id: Uuid,
    person_id: Uuid,
    notice_key: String,
    kind: String,
    subject: String,
    body: String,
    link: Option<String>,
    created_at: OffsetDateTime,
    read_at: Option<OffsetDateTime>,
    delivery: String,
    digested_at: Option<OffsetDateTime>,
}

impl From<NotificationRow> for Notification {
    fn from(row: NotificationRow) -> Self {
        Self {
            id: row.id,
            person: PersonId(row.person_id),
            key: row.notice_key,
            kind: row.kind,
            subject: row.subject,
            body: row.body,
            link: row.link,
            created_at: row.created_at,
            read_at: row.read_at,
            delivery: row.delivery,
            digested_at: row.digested_at,
        }
    }
}

macro_rules! select_notifications {
    () => {
        "SELECT id, person_id, notice_key, kind, subject, body, link, created_at, read_at, delivery, digested_at \
         FROM notifications"
    };
}

/// Notifications written per statement on SQLite (11 values each).
const INSERT_BATCH: usize = 500;

/// Rows written per statement of column arrays on PostgreSQL.
pub(crate) const ARRAY_BATCH: usize = 5_000;

impl Tx {
    /// Adds notifications in a few statements, leaving out any whose key is there; answers the
    /// keys of those added.
    pub async fn insert_notifications(
        &mut self,
        notices: &[Notification],
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        let mut added = std::collections::HashSet::new();
        if let Tx::Postgres(tx) = self {
            // One statement of column arrays per batch: PostgreSQL parses and plans it once,
            // where a VALUES list of thousands of parameters costs more than the rows.
            let sql = "INSERT INTO notifications (id, person_id, notice_key, kind, subject, body, link, \
                       created_at, read_at, delivery, digested_at) \
                       SELECT * FROM UNNEST($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], \
                       $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::text[], \
                       $11::timestamptz[]) ON CONFLICT (notice_key) DO NOTHING RETURNING notice_key";
            for batch in notices.chunks(ARRAY_BATCH) {
                let keys: Vec<String> = sqlx::query_scalar(sql)
                    .bind(batch.iter().map(|it| it.id).collect::<Vec<_>>())
                    .bind(batch.iter().map(|it| it.person.0).collect::<Vec<_>>())
                    .bind(batch.iter().map(|it| it.key.as_str()).collect::<Vec<_>>())
                    .bind(batch.iter().map(|it| it.kind.as_str()).collect::<Vec<_>>())
                    .bind(
                        batch
                            .iter()
                            .map(|it| it.subject.as_str())
                            .collect::<Vec<_>>(),
                    )
                    .bind(batch.iter().map(|it| it.body.as_str()).collect::<Vec<_>>())
                    .bind(
                        batch
                            .iter()
                            .map(|it| it.link.as_deref())
                            .collect::<Vec<_>>(),
                    )
                    .bind(batch.iter().map(|it| it.created_at).collect::<Vec<_>>())
                    .bind(batch.iter().map(|it| it.read_at).collect::<Vec<_>>())
                    .bind(
                        batch
                            .iter()
                            .map(|it| it.delivery.as_str())
                            .collect::<Vec<_>>(),
                    )
                    .bind(batch.iter().map(|it| it.digested_at).collect::<Vec<_>>())
                    .fetch_all(&mut **tx)
                    .await?;
                added.extend(keys);
            }
            return Ok(added);
        }
        // SQLite: a writing transaction holds the database's one write lock, so the keys found
        // here are exactly those the insert skips, and no row has to come back from it.
        let keys: Vec<String> = notices.iter().map(|it| it.key.clone()).collect();
        let before = self.notification_keys_among(&keys).await?;
        for batch in notices.chunks(INSERT_BATCH) {
            on_backend!(self, |conn| {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO notifications (id, person_id, notice_key, kind, subject, body, link, created_at, \
                     read_at, delivery, digested_at) ",
                );
                insert.push_values(batch, |mut row, notice| {
                    row.push_bind(notice.id)
                        .push_bind(notice.person.0)
                        .push_bind(notice.key.clone())
                        .push_bind(notice.kind.clone())
                        .push_bind(notice.subject.clone())
                        .push_bind(notice.body.clone())
                        .push_bind(notice.link.clone())
                        .push_bind(notice.created_at)
                        .push_bind(notice.read_at)
                        .push_bind(notice.delivery.clone())
                        .push_bind(notice.digested_at);
                });
                insert.push(" ON CONFLICT (notice_key) DO NOTHING");
                insert
                    .build()
                    .execute(&mut *conn)
                    .await
                    .map(|done| done.rows_affected())
            })?;
        }
        added.extend(keys.into_iter().filter(|it| !before.contains(it)));
        Ok(added)
    }

    /// Which of `keys` name a notification already sent.
    pub async fn notification_keys_among(
        &mut self,
        keys: &[String],
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        if keys.is_empty() {
            return Ok(std::collections::HashSet::new());
        }
        if let Tx::Postgres(tx) = self {
            let found: Vec<String> = sqlx::query_scalar(
                "SELECT notice_key FROM notifications WHERE notice_key = ANY($1)",
            )
            .bind(keys)
            .fetch_all(&mut **tx)
            .await?;
            return Ok(found.into_iter().collect());
        }
        let mut found = std::collections::HashSet::new();
        for batch in keys.chunks(INSERT_BATCH) {
            let rows: Vec<String> = on_backend!(self, |conn| {
                let mut query = sqlx::QueryBuilder::new(
                    "SELECT notice_key FROM notifications WHERE notice_key IN (",
                );
                let mut list = query.separated(", ");
                for key in batch {
                    list.push_bind(key.as_str());
                }
                query.push(")");
                query.build_query_scalar().fetch_all(conn).await
            })?;
            found.extend(rows);
        }
        Ok(found)
    }

    /// The choice of email of each of `people` who made one.
    pub async fn notification_modes(
        &mut self,
        people: &[PersonId],
    ) -> Result<std::collections::HashMap<PersonId, String>, StoreError> {
        if people.is_empty() {
            return Ok(std::collections::HashMap::new());
        }
        let rows: Vec<(Uuid, String)> = if let Tx::Postgres(tx) = self {
            let ids: Vec<Uuid> = people.iter().map(|it| it.0).collect();
            sqlx::query_as(
                "SELECT person_id, mode FROM notification_settings WHERE person_id = ANY($1)",
            )
            .bind(ids)
            .fetch_all(&mut **tx)
            .await?
        } else {
            on_backend!(self, |conn| {
                let mut query = sqlx::QueryBuilder::new(
                    "SELECT person_id, mode FROM notification_settings WHERE person_id IN (",
                );
                let mut list = query.separated(", ");
                for person in people {
                    list.push_bind(person.0);
                }
                query.push(")");
                query.build_query_as().fetch_all(conn).await
            })?
        };
        Ok(rows
            .into_iter()
            .map(|(person, mode)| (PersonId(person), mode))
            .collect())
    }

    /// Adds a notification unless one with the same key is there; true if added.
    pub async fn insert_notification(&mut self, notice: &Notification) -> Result<bool, StoreError> {
        let sql = "INSERT INTO notifications (id, person_id, notice_key, kind, subject, body, link, created_at, read_at, \
                   delivery, digested_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                   ON CONFLICT (notice_key) DO NOTHING";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(notice.id)
            .bind(notice.person.0)
            .bind(&notice.key)
            .bind(&notice.kind)
            .bind(&notice.subject)
            .bind(&notice.body)
            .bind(notice.link.as_deref())
            .bind(notice.created_at)
            .bind(notice.read_at)
            .bind(&notice.delivery)
            .bind(notice.digested_at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(done > 0)
    }

    /// A person's notifications, newest first, a page at a time, and how many there are.
    pub async fn notifications_of(
        &mut self,
        person: PersonId,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<Notification>, i64), StoreError> {
        let sql = concat!(
            select_notifications!(),
            " WHERE person_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3"
        );
        let count = "SELECT COUNT(*) FROM notifications WHERE person_id = $1";
        let (rows, total) = on_backend!(self, |conn| {
            let rows: Vec<NotificationRow> = sqlx::query_as(sql)
                .bind(person.0)
                .bind(limit)
                .bind(offset)
                .fetch_all(&mut *conn)
                .await?;
            let total: i64 = sqlx::query_scalar(count)
                .bind(person.0)
                .fetch_one(&mut *conn)
                .await?;
            Ok::<_, sqlx::Error>((rows, total))
        })?;
        Ok((rows.into_iter().map(Notification::from).collect(), total))
    }

    /// One notification.
    pub async fn notification(&mut self, id: Uuid) -> Result<Option<Notification>, StoreError> {
        let sql = concat!(select_notifications!(), " WHERE id = $1");
        let row: Option<NotificationRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(conn)
            .await)?;
        Ok(row.map(Notification::from))
    }

    /// How many of a person's notifications are unread.
    pub async fn unread_count(&mut self, person: PersonId) -> Result<i64, StoreError> {
        let sql = "SELECT COUNT(*) FROM notifications WHERE person_id = $1 AND read_at IS NULL";
        let count: i64 = on_backend!(self, |conn| sqlx::query_scalar(sql)
            .bind(person.0)
            .fetch_one(conn)
            .await)?;
        Ok(count)
    }

    /// Marks one of a person's notifications read (no change if it already is).
    pub async fn mark_read(
        &mut self,
        person: PersonId,
        id: Uuid,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE notifications SET read_at = $3 WHERE id = $2 AND person_id = $1 AND read_at IS NULL";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(person.0)
            .bind(id)
            .bind(at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Marks all of a person's notifications read.
    pub async fn mark_all_read(
        &mut self,
        person: PersonId,
        at: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let sql = "UPDATE notifications SET read_at = $2 WHERE person_id = $1 AND read_at IS NULL";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(person.0)
            .bind(at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(done)
    }

    /// A person's choice of email (`immediate`, `daily`, `weekly`) and when their last digest
    /// went, if they chose.
    pub async fn notification_mode(
        &mut self,
        person: PersonId,
    ) -> Result<Option<(String, Option<OffsetDateTime>)>, StoreError> {
        let sql = "SELECT mode, last_digest_at FROM notification_settings WHERE person_id = $1";
        let row: Option<(String, Option<OffsetDateTime>)> = on_backend!(self, |conn| {
            sqlx::query_as(sql)
                .bind(person.0)
                .fetch_optional(conn)
                .await
        })?;
        Ok(row)
    }

    /// Records a person's choice of email.
    pub async fn set_notification_mode(
        &mut self,
        person: PersonId,
        mode: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO notification_settings (person_id, mode, last_digest_at, updated_at) \
                   VALUES ($1, $2, $3, $3) \
                   ON CONFLICT (person_id) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(person.0)
            .bind(mode)
            .bind(at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// People whose digest has notifications waiting, with their choice and last digest.
    pub async fn digests_waiting(
        &mut self,
    ) -> Result<Vec<(PersonId, String, Option<OffsetDateTime>)>, StoreError> {
        let sql = "SELECT s.person_id, s.mode, s.last_digest_at FROM notification_settings s \
                   WHERE s.mode <> 'immediate' AND EXISTS (SELECT 1 FROM notifications n \
                   WHERE n.person_id = s.person_id AND n.delivery = 'digest' AND n.digested_at IS NULL)";
        let rows: Vec<(Uuid, String, Option<OffsetDateTime>)> =
            on_backend!(self, |conn| sqlx::query_as(sql).fetch_all(conn).await)?;
        Ok(rows
            .into_iter()
            .map(|(person, mode, last)| (PersonId(person), mode, last))
            .collect())
    }

    /// A person's notifications waiting for their digest, oldest first.
    pub async fn undigested(&mut self, person: PersonId) -> Result<Vec<Notification>, StoreError> {
        let sql = concat!(
            select_notifications!(),
            " WHERE person_id = $1 AND delivery = 'digest' AND digested_at IS NULL ORDER BY created_at, id"
        );
        let rows: Vec<NotificationRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(person.0)
            .fetch_all(conn)
            .await)?;
        Ok(rows.into_iter().map(Notification::from).collect())
    }

    /// Marks the notifications a digest carried, and when it went.
    pub async fn mark_digested(
        &mut self,
        person: PersonId,
        upto: OffsetDateTime,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let notices = "UPDATE notifications SET digested_at = $3 WHERE person_id = $1 AND delivery = 'digest' \
                       AND digested_at IS NULL AND created_at <= $2";
        let settings = "UPDATE notification_settings SET last_digest_at = $2 WHERE person_id = $1";
        on_backend!(self, |conn| {
            sqlx::query(notices)
                .bind(person.0)
                .bind(upto)
                .bind(at)
                .execute(&mut *conn)
                .await?;
            sqlx::query(settings)
                .bind(person.0)
                .bind(at)
                .execute(&mut *conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }
}
