//! API tokens: who may call the JSON API, limited to an organisation or not, read or write.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use tandem_core::OrganisationId;
use time::OffsetDateTime;
use uuid::Uuid;

/// An API token as held (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    /// Its id.
    pub id: Uuid,
    /// What it is for, as the administrator named it.
    pub name: String,
    /// The organisation it is limited to; `None` for the installation.
    pub organisation: Option<OrganisationId>,
    /// It may change things.
    pub write: bool,
    /// Who issued it (audit label).
    pub created_by: String,
    /// When.
    pub created_at: OffsetDateTime,
    /// When it was last used.
    pub last_used_at: Option<OffsetDateTime>,
    /// When it was revoked; a revoked token opens nothing.
    pub revoked_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: Uuid,
    name: String,
    organisation_id: Option<Uuid>,
    can_write: bool,
    created_by: String,
    created_at: OffsetDateTime,
    last_used_at: Option<OffsetDateTime>,
    revoked_at: Option<OffsetDateTime>,
}

impl From<TokenRow> for ApiToken {
    fn from(row: TokenRow) -> Self {
        Self {
            id: row.id,
            name: row.name,
            organisation: row.organisation_id.map(OrganisationId),
            write: row.can_write,
            created_by: row.created_by,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        }
    }
}

macro_rules! select_tokens {
    () => {
        "SELECT id, name, organisation_id, can_write, created_by, created_at, last_used_at, revoked_at FROM api_tokens"
    };
}

impl Tx {
    /// Issues a token; `hash` is the SHA-256 of its secret.
    pub async fn insert_token(&mut self, token: &ApiToken, hash: &[u8]) -> Result<(), StoreError> {
        let sql = "INSERT INTO api_tokens (id, name, token_hash, organisation_id, can_write, created_by, created_at, last_used_at, revoked_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL)";
        on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(token.id)
                .bind(&token.name)
                .bind(hash)
                .bind(token.organisation.map(|it| it.0))
                .bind(token.write)
                .bind(&token.created_by)
                .bind(token.created_at)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// The token whose secret has this hash, if any (revoked or not).
    pub async fn token_by_hash(&mut self, hash: &[u8]) -> Result<Option<ApiToken>, StoreError> {
        let sql = concat!(select_tokens!(), " WHERE token_hash = $1");
        let row: Option<TokenRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(hash)
            .fetch_optional(conn)
            .await)?;
        Ok(row.map(ApiToken::from))
    }

    /// The tokens limited to `organisation` (or the installation-wide ones for `None`), newest first.
    pub async fn tokens_of(
        &mut self,
        organisation: Option<OrganisationId>,
    ) -> Result<Vec<ApiToken>, StoreError> {
        let rows: Vec<TokenRow> = match organisation {
            Some(organisation) => {
                let sql = concat!(
                    select_tokens!(),
                    " WHERE organisation_id = $1 ORDER BY created_at DESC, id DESC"
                );
                on_backend!(self, |conn| sqlx::query_as(sql)
                    .bind(organisation.0)
                    .fetch_all(conn)
                    .await)?
            }
            None => {
                let sql = concat!(
                    select_tokens!(),
                    " WHERE organisation_id IS NULL ORDER BY created_at DESC, id DESC"
                );
                on_backend!(self, |conn| sqlx::query_as(sql).fetch_all(conn).await)?
            }
        };
        Ok(rows.into_iter().map(ApiToken::from).collect())
    }

    /// Revokes a token; false if it was already revoked or does not exist.
    pub async fn revoke_token(
        &mut self,
        id: Uuid,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(id)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(done > 0)
    }

    /// Records that a token was used.
    pub async fn touch_token(&mut self, id: Uuid, now: OffsetDateTime) -> Result<(), StoreError> {
        let sql = "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(id)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }
}
