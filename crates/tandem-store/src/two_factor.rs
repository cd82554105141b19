//! Two-factor sign-in (R11.5): a person's TOTP secret, their recovery codes, sign-ins waiting for
//! a code, and the staff roles each organisation requires it for.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use tandem_core::authz::StaffRole;
use tandem_core::{OrganisationId, PersonId};
use time::OffsetDateTime;
use uuid::Uuid;

/// A person's TOTP secret and its state.
#[derive(Clone, PartialEq, Eq)]
pub struct TwoFactorRecord {
    /// The shared secret.
    pub secret: Vec<u8>,
    /// When the person typed their first code; `None` while they are still setting up.
    pub confirmed_at: Option<OffsetDateTime>,
    /// The time step of the last code accepted.
    pub last_step: Option<i64>,
}

/// Never shows the secret.
impl std::fmt::Debug for TwoFactorRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TwoFactorRecord")
            .field("confirmed_at", &self.confirmed_at)
            .field("last_step", &self.last_step)
            .finish_non_exhaustive()
    }
}

#[derive(sqlx::FromRow)]
struct TwoFactorRow {
    secret: Vec<u8>,
    confirmed_at: Option<OffsetDateTime>,
    last_step: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct PendingRow {
    person_id: Uuid,
    expires_at: OffsetDateTime,
}

impl Tx {
    /// The person's TOTP secret, confirmed or being set up.
    pub async fn two_factor(
        &mut self,
        person: PersonId,
    ) -> Result<Option<TwoFactorRecord>, StoreError> {
        let sql = "SELECT secret, confirmed_at, last_step FROM two_factor WHERE person_id = $1";
        let row: Option<TwoFactorRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(person.0)
            .fetch_optional(conn)
            .await)?;
        Ok(row.map(|row| TwoFactorRecord {
            secret: row.secret,
            confirmed_at: row.confirmed_at,
            last_step: row.last_step,
        }))
    }

    /// Starts setting up two-factor sign-in with a new secret, replacing one not yet confirmed.
    /// Does nothing when a confirmed one exists (the caller refuses first).
    pub async fn start_two_factor(
        &mut self,
        person: PersonId,
        secret: &[u8],
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO two_factor (person_id, secret, created_at, confirmed_at, last_step) \
                   VALUES ($1, $2, $3, NULL, NULL) \
                   ON CONFLICT (person_id) DO UPDATE SET secret = excluded.secret, \
                   created_at = excluded.created_at, last_step = NULL \
                   WHERE two_factor.confirmed_at IS NULL";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(person.0)
            .bind(secret)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Accepts a code's time step: true if it is later than the last one accepted (so two
    /// requests racing with one code cannot both pass), confirming the secret if it was new.
    pub async fn use_two_factor_step(
        &mut self,
        person: PersonId,
        step: i64,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE two_factor SET last_step = $2, confirmed_at = COALESCE(confirmed_at, $3) \
                   WHERE person_id = $1 AND (last_step IS NULL OR last_step < $2)";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(person.0)
            .bind(step)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(done == 1)
    }

    /// Turns two-factor sign-in off for a person: the secret, the recovery codes and any sign-in
    /// waiting for a code go.
    pub async fn delete_two_factor(&mut self, person: PersonId) -> Result<(), StoreError> {
        for sql in [
            "DELETE FROM two_factor WHERE person_id = $1",
            "DELETE FROM recovery_codes WHERE person_id = $1",
            "DELETE FROM pending_sign_ins WHERE person_id = $1",
        ] {
            on_backend!(self, |conn| sqlx::query(sql)
                .bind(person.0)
                .execute(conn)
                .await
                .map(|done| done.rows_affected()))?;
        }
        Ok(())
    }

    /// Replaces a person's recovery codes with these (their SHA-256 hashes).
    pub async fn replace_recovery_codes(
        &mut self,
        person: PersonId,
        hashes: &[Vec<u8>],
    ) -> Result<(), StoreError> {
        let sql = "DELETE FROM recovery_codes WHERE person_id = $1";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(person.0)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        let sql =
            "INSERT INTO recovery_codes (person_id, code_hash, used_at) VALUES ($1, $2, NULL)";
        for hash in hashes {
            on_backend!(self, |conn| sqlx::query(sql)
                .bind(person.0)
                .bind(hash.as_slice())
                .execute(conn)
                .await
                .map(|done| done.rows_affected()))?;
        }
        Ok(())
    }

    /// Uses a recovery code: true if the person has it and it was unused.
    pub async fn use_recovery_code(
        &mut self,
        person: PersonId,
        hash: &[u8],
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE recovery_codes SET used_at = $3 \
                   WHERE person_id = $1 AND code_hash = $2 AND used_at IS NULL";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(person.0)
            .bind(hash)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(done == 1)
    }

    /// How many of a person's recovery codes are still unused.
    pub async fn unused_recovery_codes(&mut self, person: PersonId) -> Result<i64, StoreError> {
        let sql = "SELECT CAST(COUNT(*) AS BIGINT) FROM recovery_codes \
                   WHERE person_id = $1 AND used_at IS NULL";
        let count: i64 = on_backend!(self, |conn| sqlx::query_scalar(sql)
            .bind(person.0)
            .fetch_one(conn)
            .await)?;
        Ok(count)
    }

    /// Records a sign-in waiting for a second factor, clearing the person's earlier ones and
    /// anyone's that have expired.
    pub async fn insert_pending_sign_in(
        &mut self,
        token_hash: &[u8],
        person: PersonId,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "DELETE FROM pending_sign_ins WHERE person_id = $1 OR expires_at < $2";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(person.0)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        let sql = "INSERT INTO pending_sign_ins (token_hash, person_id, created_at, expires_at) \
                   VALUES ($1, $2, $3, $4)";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(token_hash)
            .bind(person.0)
            .bind(now)
            .bind(expires_at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Whose sign-in a pending token belongs to, and when it expires.
    pub async fn pending_sign_in(
        &mut self,
        token_hash: &[u8],
    ) -> Result<Option<(PersonId, OffsetDateTime)>, StoreError> {
        let sql = "SELECT person_id, expires_at FROM pending_sign_ins WHERE token_hash = $1";
        let row: Option<PendingRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(token_hash)
            .fetch_optional(conn)
            .await)?;
        Ok(row.map(|row| (PersonId(row.person_id), row.expires_at)))
    }

    /// Ends a pending sign-in (it became a session, or was given up).
    pub async fn delete_pending_sign_in(&mut self, token_hash: &[u8]) -> Result<(), StoreError> {
        let sql = "DELETE FROM pending_sign_ins WHERE token_hash = $1";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(token_hash)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Every organisation's requirement: (organisation, role) pairs. The table holds a handful
    /// of rows per organisation.
    pub async fn two_factor_requirements(
        &mut self,
    ) -> Result<Vec<(OrganisationId, StaffRole)>, StoreError> {
        let sql =
            "SELECT organisation_id, role FROM two_factor_required ORDER BY organisation_id, role";
        let rows: Vec<(Uuid, String)> =
            on_backend!(self, |conn| sqlx::query_as(sql).fetch_all(conn).await)?;
        rows.into_iter()
            .map(|(organisation, role)| {
                StaffRole::parse(&role)
                    .map(|role| (OrganisationId(organisation), role))
                    .ok_or_else(|| StoreError::Corrupt(format!("unknown staff role {role:?}")))
            })
            .collect()
    }

    /// Sets the staff roles an organisation requires two-factor sign-in for.
    pub async fn set_two_factor_required(
        &mut self,
        organisation: OrganisationId,
        roles: &[StaffRole],
    ) -> Result<(), StoreError> {
        let sql = "DELETE FROM two_factor_required WHERE organisation_id = $1";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(organisation.0)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        let sql = "INSERT INTO two_factor_required (organisation_id, role) VALUES ($1, $2)";
        for role in roles {
            on_backend!(self, |conn| sqlx::query(sql)
                .bind(organisation.0)
                .bind(role.as_str())
                .execute(conn)
                .await
                .map(|done| done.rows_affected()))?;
        }
        Ok(())
    }
}
