//! The audit log: who did what to which record, and when (R8.4).
//!
//! Entries name fields and counts, never the personal data itself, so the log can be shown to
//! auditors without widening who sees what.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use crate::error::corrupt;
use sqlx::QueryBuilder;
use tandem_core::audit::AuditAction;
use tandem_core::{AuditId, OrganisationId};
use time::OffsetDateTime;
use uuid::Uuid;

/// The audit viewer's filters, shared by its page and count queries.
macro_rules! audit_filter {
    () => {
        " WHERE ($1 IS NULL OR organisation_id = $1) AND ($2 IS NULL OR subject_id = $2)           AND ($3 IS NULL OR actor = $3) AND ($4 IS NULL OR at >= $4) AND ($5 IS NULL OR at < $5)"
    };
}

/// One entry to write.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Its id.
    pub id: AuditId,
    /// When it happened.
    pub at: OffsetDateTime,
    /// Who did it (`operator:NAME` or `person:ID`).
    pub actor: String,
    /// What they did.
    pub action: AuditAction,
    /// The organisation concerned, if one is.
    pub organisation: Option<OrganisationId>,
    /// The kind of record touched (`person`, `scheme`, `organisation`, `import`).
    pub subject_kind: String,
    /// The record touched, if it has an id.
    pub subject: Option<Uuid>,
    /// Field names, counts and similar; never personal values.
    pub detail: serde_json::Value,
}

/// An entry read back.
pub type AuditRecord = AuditEntry;

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: Uuid,
    at: OffsetDateTime,
    actor: String,
    action: String,
    organisation_id: Option<Uuid>,
    subject_kind: String,
    subject_id: Option<Uuid>,
    detail: String,
}

/// Filters of the audit log viewer; `None` leaves a filter off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditSearch {
    /// Only entries about this organisation (`None`: every organisation).
    pub organisation: Option<OrganisationId>,
    /// Only entries about this record (a person, scheme…).
    pub subject: Option<Uuid>,
    /// Only entries by this actor label (`person:ID`, `operator:NAME`).
    pub actor: Option<String>,
    /// Only entries at or after this time.
    pub from: Option<OffsetDateTime>,
    /// Only entries before this time.
    pub to: Option<OffsetDateTime>,
    /// Rows per page.
    pub limit: i64,
    /// Rows to skip.
    pub offset: i64,
}

/// Rows per multi-row INSERT (8 columns each).
const INSERT_BATCH: usize = 2_000;

impl Tx {
    /// Writes entries, in the same transaction as the change they record.
    pub async fn insert_audit(&mut self, entries: &[AuditEntry]) -> Result<(), StoreError> {
        for batch in entries.chunks(INSERT_BATCH) {
            let details: Vec<String> = batch.iter().map(|entry| entry.detail.to_string()).collect();
            on_backend!(self, |conn| {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO audit_log (id, at, actor, action, organisation_id, subject_kind, subject_id, detail) ",
                );
                insert.push_values(batch.iter().zip(&details), |mut row, (entry, detail)| {
                    row.push_bind(entry.id.0)
                        .push_bind(entry.at)
                        .push_bind(entry.actor.as_str())
                        .push_bind(entry.action.code())
                        .push_bind(entry.organisation.map(|it| it.0))
                        .push_bind(entry.subject_kind.as_str())
                        .push_bind(entry.subject)
                        .push_bind(detail.as_str());
                });
                insert
                    .build()
                    .execute(conn)
                    .await
                    .map(|done| done.rows_affected())
            })?;
        }
        Ok(())
    }

    /// Entries about one record, oldest first.
    pub async fn audit_of_subject(
        &mut self,
        subject: Uuid,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let sql = "SELECT id, at, actor, action, organisation_id, subject_kind, subject_id, detail FROM audit_log \
                   WHERE subject_id = $1 ORDER BY at, id";
        let rows: Vec<AuditRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(subject)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(into_record).collect()
    }

    /// The latest entries, newest first.
    pub async fn recent_audit(&mut self, limit: i64) -> Result<Vec<AuditRecord>, StoreError> {
        let sql = "SELECT id, at, actor, action, organisation_id, subject_kind, subject_id, detail FROM audit_log \
                   ORDER BY at DESC, id DESC LIMIT $1";
        let rows: Vec<AuditRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(limit)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(into_record).collect()
    }

    /// A page of entries matching `search`, newest first, and how many match in all.
    pub async fn search_audit(
        &mut self,
        search: &AuditSearch,
    ) -> Result<(Vec<AuditRecord>, i64), StoreError> {
        let page_sql = concat!(
            "SELECT id, at, actor, action, organisation_id, subject_kind, subject_id, detail FROM audit_log",
            audit_filter!(),
            " ORDER BY at DESC, id DESC LIMIT $6 OFFSET $7"
        );
        let count_sql = concat!("SELECT COUNT(*) FROM audit_log", audit_filter!());
        let (rows, total) = on_backend!(self, |conn| {
            let rows: Vec<AuditRow> = sqlx::query_as(page_sql)
                .bind(search.organisation.map(|it| it.0))
                .bind(search.subject)
                .bind(search.actor.as_deref())
                .bind(search.from)
                .bind(search.to)
                .bind(search.limit)
                .bind(search.offset)
                .fetch_all(&mut *conn)
                .await?;
            let (total,): (i64,) = sqlx::query_as(count_sql)
                .bind(search.organisation.map(|it| it.0))
                .bind(search.subject)
                .bind(search.actor.as_deref())
                .bind(search.from)
                .bind(search.to)
                .fetch_one(&mut *conn)
                .await?;
            Ok::<_, sqlx::Error>((rows, total))
        })?;
        let records = rows
            .into_iter()
            .map(into_record)
            .collect::<Result<_, _>>()?;
        Ok((records, total))
    }

    /// How many entries record an action.
    pub async fn count_audit(&mut self, action: AuditAction) -> Result<i64, StoreError> {
        let sql = "SELECT COUNT(*) FROM audit_log WHERE action = $1";
        let (count,): (i64,) = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(action.code())
            .fetch_one(conn)
            .await)?;
        Ok(count)
    }
}

fn into_record(row: AuditRow) -> Result<AuditRecord, StoreError> {
    Ok(AuditEntry {
        id: AuditId(row.id),
        at: row.at,
        actor: row.actor,
        action: AuditAction::parse(&row.action).ok_or_else(|| {
            corrupt(
                "audit_log.action",
                format!("'{}' is not an action this version knows", row.action),
            )
        })?,
        organisation: row.organisation_id.map(OrganisationId),
        subject_kind: row.subject_kind,
        subject: row.subject_id,
        detail: serde_json::from_str(&row.detail)
            .map_err(|err| corrupt("audit_log.detail", err))?,
    })
}
