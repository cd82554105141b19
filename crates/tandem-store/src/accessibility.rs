//! The accessibility statement's settings (R8.6): an organisation's contact details and dates,
//! and the problems it knows of.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use crate::error::corrupt;
use tandem_core::OrganisationId;
use tandem_core::accessibility::{Criterion, KnownIssue, StatementContact};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// What an administrator has said about the organisation's service.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatementSettings {
    /// Who to contact.
    pub contact: StatementContact,
    /// When the statement was first prepared.
    pub prepared_on: Option<Date>,
    /// When it was last reviewed.
    pub reviewed_on: Option<Date>,
    /// When a person last checked the service by hand.
    pub manually_checked_on: Option<Date>,
}

/// A known issue as stored, with its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredIssue {
    /// Its id.
    pub id: Uuid,
    /// The issue.
    pub issue: KnownIssue,
}

#[derive(sqlx::FromRow)]
struct SettingsRow {
    email: Option<String>,
    phone: Option<String>,
    reply_within_days: Option<i64>,
    prepared_on: Option<Date>,
    reviewed_on: Option<Date>,
    manually_checked_on: Option<Date>,
}

#[derive(sqlx::FromRow)]
struct IssueRow {
    id: Uuid,
    description: String,
    description_cy: Option<String>,
    criterion: String,
    fix_by: Option<Date>,
}

impl Tx {
    /// The organisation's statement settings; `None` before an administrator saved any.
    pub async fn statement_settings(
        &mut self,
        organisation: OrganisationId,
    ) -> Result<Option<StatementSettings>, StoreError> {
        let sql = "SELECT email, phone, reply_within_days, prepared_on, reviewed_on, manually_checked_on \
                   FROM accessibility_statements WHERE organisation_id = $1";
        let row: Option<SettingsRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(organisation.0)
            .fetch_optional(conn)
            .await)?;
        row.map(|row| {
            Ok(StatementSettings {
                contact: StatementContact {
                    email: row.email,
                    phone: row.phone,
                    reply_within_days: row
                        .reply_within_days
                        .map(u16::try_from)
                        .transpose()
                        .map_err(|err| corrupt("reply_within_days", err))?,
                },
                prepared_on: row.prepared_on,
                reviewed_on: row.reviewed_on,
                manually_checked_on: row.manually_checked_on,
            })
        })
        .transpose()
    }

    /// Saves the organisation's statement settings, replacing what was there.
    pub async fn save_statement_settings(
        &mut self,
        organisation: OrganisationId,
        settings: &StatementSettings,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO accessibility_statements (organisation_id, email, phone, reply_within_days, \
                   prepared_on, reviewed_on, manually_checked_on, updated_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                   ON CONFLICT (organisation_id) DO UPDATE SET email = excluded.email, phone = excluded.phone, \
                   reply_within_days = excluded.reply_within_days, prepared_on = excluded.prepared_on, \
                   reviewed_on = excluded.reviewed_on, manually_checked_on = excluded.manually_checked_on, \
                   updated_at = excluded.updated_at";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(organisation.0)
            .bind(settings.contact.email.as_deref())
            .bind(settings.contact.phone.as_deref())
            .bind(settings.contact.reply_within_days.map(i64::from))
            .bind(settings.prepared_on)
            .bind(settings.reviewed_on)
            .bind(settings.manually_checked_on)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// The organisation's known issues, oldest first.
    pub async fn accessibility_issues(
        &mut self,
        organisation: OrganisationId,
    ) -> Result<Vec<StoredIssue>, StoreError> {
        let sql = "SELECT id, description, description_cy, criterion, fix_by FROM accessibility_issues \
                   WHERE organisation_id = $1 ORDER BY created_at, id";
        let rows: Vec<IssueRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(organisation.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter()
            .map(|row| {
                Ok(StoredIssue {
                    id: row.id,
                    issue: KnownIssue {
                        description: row.description,
                        description_cy: row.description_cy,
                        criterion: Criterion::parse(&row.criterion)
                            .map_err(|err| corrupt("criterion", err))?,
                        fix_by: row.fix_by,
                    },
                })
            })
            .collect()
    }

    /// Adds a known issue.
    pub async fn insert_accessibility_issue(
        &mut self,
        organisation: OrganisationId,
        id: Uuid,
        issue: &KnownIssue,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO accessibility_issues (id, organisation_id, description, description_cy, criterion, \
                   fix_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(id)
            .bind(organisation.0)
            .bind(issue.description.as_str())
            .bind(issue.description_cy.as_deref())
            .bind(issue.criterion.number())
            .bind(issue.fix_by)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Removes a known issue of the organisation (once fixed); false when there is none with
    /// that id.
    pub async fn delete_accessibility_issue(
        &mut self,
        organisation: OrganisationId,
        id: Uuid,
    ) -> Result<bool, StoreError> {
        let sql = "DELETE FROM accessibility_issues WHERE id = $1 AND organisation_id = $2";
        let deleted = on_backend!(self, |conn| sqlx::query(sql)
            .bind(id)
            .bind(organisation.0)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(deleted == 1)
    }
}
