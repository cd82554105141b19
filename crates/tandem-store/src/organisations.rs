//! Organisations and their settings.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use crate::error::corrupt;
use tandem_core::domain::{OrgCode, RankBands};
use tandem_core::{Organisation, OrganisationId, OrganisationKind, ProtectiveMarking};
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct OrganisationRow {
    id: Uuid,
    code: String,
    name: String,
    kind: String,
    protective_marking: String,
    rank_bands: String,
    topics: String,
    time_zone: String,
    line_manager_digest: bool,
}

impl OrganisationRow {
    fn into_domain(self) -> Result<Organisation, StoreError> {
        Ok(Organisation {
            id: OrganisationId(self.id),
            code: OrgCode::parse(&self.code).map_err(|err| corrupt("organisations.code", err))?,
            name: self.name,
            kind: OrganisationKind::parse(&self.kind)
                .map_err(|err| corrupt("organisations.kind", err))?,
            protective_marking: ProtectiveMarking::parse(&self.protective_marking)
                .map_err(|err| corrupt("organisations.protective_marking", err))?,
            rank_bands: RankBands::from_toml(&self.rank_bands)
                .map_err(|err| corrupt("organisations.rank_bands", err))?,
            topics: serde_json::from_str(&self.topics)
                .map_err(|err| corrupt("organisations.topics", err))?,
            time_zone: self.time_zone,
            line_manager_digest: self.line_manager_digest,
        })
    }
}

/// The organisation columns, in [`OrganisationRow`] order.
macro_rules! columns {
    () => {
        "SELECT id, code, name, kind, protective_marking, rank_bands, topics, time_zone, \
         line_manager_digest FROM organisations"
    };
}

impl Tx {
    /// Adds an organisation. A code already in use is a [`StoreError::Conflict`].
    pub async fn insert_organisation(
        &mut self,
        organisation: &Organisation,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let topics =
            serde_json::to_string(&organisation.topics).map_err(|err| corrupt("topics", err))?;
        let sql = "INSERT INTO organisations (id, code, name, kind, protective_marking, rank_bands, topics, time_zone, \
                   line_manager_digest, created_at, updated_at, version) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $10, $9, $9, 1)";
        on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(organisation.id.0)
                .bind(organisation.code.as_ref())
                .bind(&organisation.name)
                .bind(organisation.kind.as_str())
                .bind(organisation.protective_marking.as_ref())
                .bind(organisation.rank_bands.to_toml())
                .bind(&topics)
                .bind(&organisation.time_zone)
                .bind(now)
                .bind(organisation.line_manager_digest)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// Every organisation, by code.
    pub async fn organisations(&mut self) -> Result<Vec<Organisation>, StoreError> {
        let sql = concat!(columns!(), " ORDER BY code");
        let rows: Vec<OrganisationRow> =
            on_backend!(self, |conn| sqlx::query_as(sql).fetch_all(conn).await)?;
        rows.into_iter().map(OrganisationRow::into_domain).collect()
    }

    /// The organisation with this code, if any.
    pub async fn organisation_by_code(
        &mut self,
        code: &OrgCode,
    ) -> Result<Option<Organisation>, StoreError> {
        let sql = concat!(columns!(), " WHERE code = $1");
        let row: Option<OrganisationRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(code.as_ref())
            .fetch_optional(conn)
            .await)?;
        row.map(OrganisationRow::into_domain).transpose()
    }
}

impl Tx {
    /// The organisation's version, bumped by every change of its settings.
    pub async fn organisation_version(
        &mut self,
        organisation: OrganisationId,
    ) -> Result<i64, StoreError> {
        let sql = "SELECT version FROM organisations WHERE id = $1";
        let row: Option<(i64,)> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(organisation.0)
            .fetch_optional(conn)
            .await)?;
        row.map(|(version,)| version)
            .ok_or_else(|| StoreError::NotFound(format!("organisation {organisation}")))
    }

    /// Replaces an organisation's settings if nobody changed them since `expected_version`.
    pub async fn update_organisation(
        &mut self,
        organisation: &Organisation,
        expected_version: i64,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let topics =
            serde_json::to_string(&organisation.topics).map_err(|err| corrupt("topics", err))?;
        let sql = "UPDATE organisations SET name = $3, protective_marking = $4, rank_bands = $5, topics = $6, time_zone = $7, \
                   updated_at = $8, line_manager_digest = $9, version = version + 1 WHERE id = $1 AND version = $2";
        let done = on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(organisation.id.0)
                .bind(expected_version)
                .bind(&organisation.name)
                .bind(organisation.protective_marking.as_ref())
                .bind(organisation.rank_bands.to_toml())
                .bind(&topics)
                .bind(&organisation.time_zone)
                .bind(now)
                .bind(organisation.line_manager_digest)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        if done == 0 {
            return Err(StoreError::Conflict(format!(
                "the settings of {} were changed by someone else since they were opened",
                organisation.code
            )));
        }
        Ok(())
    }
}
