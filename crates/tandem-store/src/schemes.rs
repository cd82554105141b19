//! Schemes: an organisation's programmes, each with its policy stored as TOML.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use crate::error::corrupt;
use tandem_core::domain::SchemeKey;
use tandem_core::policy::SchemePolicy;
use tandem_core::programme::{Scheme, SchemeDefinition, SchemeStatus};
use tandem_core::{OrganisationId, SchemeId};
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct SchemeRow {
    id: Uuid,
    organisation_id: Uuid,
    key: String,
    name: String,
    description: String,
    organisational_need: Option<String>,
    preset: Option<String>,
    policy: String,
    status: String,
    version: i64,
}

impl SchemeRow {
    fn into_domain(self) -> Result<Scheme, StoreError> {
        let policy = SchemePolicy::from_toml(&self.policy).map_err(|problems| {
            let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
            corrupt("schemes.policy", problems.join("; "))
        })?;
        Ok(Scheme {
            id: SchemeId(self.id),
            organisation: OrganisationId(self.organisation_id),
            definition: SchemeDefinition {
                key: SchemeKey::parse(&self.key).map_err(|err| corrupt("schemes.key", err))?,
                name: self.name,
                description: self.description,
                organisational_need: self.organisational_need,
                policy,
            },
            preset: self.preset,
            status: SchemeStatus::parse(&self.status)
                .ok_or_else(|| corrupt("schemes.status", &self.status))?,
            version: self.version,
        })
    }
}

macro_rules! select_schemes {
    () => {
        "SELECT id, organisation_id, key, name, description, organisational_need, preset, policy, status, version FROM schemes"
    };
}

impl Tx {
    /// Adds a scheme. A key already used in the organisation is a [`StoreError::Conflict`].
    pub async fn insert_scheme(
        &mut self,
        scheme: &Scheme,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO schemes (id, organisation_id, key, name, description, organisational_need, preset, \
                   policy, status, created_at, updated_at, version) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11)";
        let definition = &scheme.definition;
        on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(scheme.id.0)
                .bind(scheme.organisation.0)
                .bind(definition.key.as_ref())
                .bind(&definition.name)
                .bind(&definition.description)
                .bind(definition.organisational_need.as_deref())
                .bind(scheme.preset.as_deref())
                .bind(definition.policy.to_toml())
                .bind(scheme.status.as_str())
                .bind(now)
                .bind(scheme.version)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// An organisation's schemes, by key.
    pub async fn schemes_of(
        &mut self,
        organisation: OrganisationId,
    ) -> Result<Vec<Scheme>, StoreError> {
        let sql = concat!(
            select_schemes!(),
            " WHERE organisation_id = $1 ORDER BY key"
        );
        let rows: Vec<SchemeRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(organisation.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(SchemeRow::into_domain).collect()
    }

    /// One scheme by id.
    pub async fn scheme(&mut self, id: SchemeId) -> Result<Option<Scheme>, StoreError> {
        let sql = concat!(select_schemes!(), " WHERE id = $1");
        let row: Option<SchemeRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(id.0)
            .fetch_optional(conn)
            .await)?;
        row.map(SchemeRow::into_domain).transpose()
    }

    /// One scheme by organisation and key.
    pub async fn scheme_by_key(
        &mut self,
        organisation: OrganisationId,
        key: &SchemeKey,
    ) -> Result<Option<Scheme>, StoreError> {
        let sql = concat!(
            select_schemes!(),
            " WHERE organisation_id = $1 AND key = $2"
        );
        let row: Option<SchemeRow> = on_backend!(self, |conn| {
            sqlx::query_as(sql)
                .bind(organisation.0)
                .bind(key.as_ref())
                .fetch_optional(conn)
                .await
        })?;
        row.map(SchemeRow::into_domain).transpose()
    }
}

impl Tx {
    /// Replaces a scheme's name, description, need and policy if nobody changed it since
    /// `expected_version` was read; bumps the version. A stale version is a [`StoreError::Conflict`].
    pub async fn update_scheme(
        &mut self,
        scheme: &Scheme,
        expected_version: i64,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE schemes SET name = $3, description = $4, organisational_need = $5, policy = $6, \
                   updated_at = $7, version = version + 1 WHERE id = $1 AND version = $2";
        let definition = &scheme.definition;
        let done = on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(scheme.id.0)
                .bind(expected_version)
                .bind(&definition.name)
                .bind(&definition.description)
                .bind(definition.organisational_need.as_deref())
                .bind(definition.policy.to_toml())
                .bind(now)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        if done == 0 {
            return Err(StoreError::Conflict(format!(
                "scheme {} was changed by someone else since it was opened",
                definition.key
            )));
        }
        Ok(())
    }

    /// Opens or closes a scheme for applications.
    pub async fn set_scheme_status(
        &mut self,
        scheme: SchemeId,
        status: SchemeStatus,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql =
            "UPDATE schemes SET status = $2, updated_at = $3, version = version + 1 WHERE id = $1";
        let done = on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(scheme.0)
                .bind(status.as_str())
                .bind(now)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        if done == 0 {
            return Err(StoreError::NotFound(format!("scheme {scheme}")));
        }
        Ok(())
    }
}
