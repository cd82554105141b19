//! Accounts (how a person signs in) and sessions (who is signed in).

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use tandem_core::domain::Email;
use tandem_core::{OrganisationId, PersonId};
use time::OffsetDateTime;
use uuid::Uuid;

/// How a person signs in with a password, and their lockout state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordAccount {
    /// Whose account.
    pub person: PersonId,
    /// The Argon2id PHC string, if a password is set.
    pub password_hash: Option<String>,
    /// Failed sign-ins since the last success.
    pub failed_sign_ins: i64,
    /// Sign-in is refused until then.
    pub locked_until: Option<OffsetDateTime>,
}

/// A signed-in session, found by its token's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// Who is signed in.
    pub person: PersonId,
    /// The organisation they are working in (cross-force roles can switch).
    pub organisation: Option<OrganisationId>,
    /// Last request seen.
    pub last_seen_at: OffsetDateTime,
    /// The session ends then.
    pub expires_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    person_id: Uuid,
    password_hash: Option<String>,
    failed_sign_ins: i64,
    locked_until: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    person_id: Uuid,
    organisation_id: Option<Uuid>,
    last_seen_at: OffsetDateTime,
    expires_at: OffsetDateTime,
}

impl Tx {
    /// The password account of the person with this email, if they are in the directory.
    /// A person without an account row yet has no password and no failures.
    pub async fn password_account_by_email(
        &mut self,
        email: &Email,
    ) -> Result<Option<PasswordAccount>, StoreError> {
        let sql = "SELECT p.id AS person_id, a.password_hash, COALESCE(a.failed_sign_ins, 0) AS failed_sign_ins, \
                   a.locked_until FROM people p LEFT JOIN accounts a ON a.person_id = p.id WHERE p.email = $1";
        let row: Option<AccountRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(email.as_ref())
            .fetch_optional(conn)
            .await)?;
        Ok(row.map(|row| PasswordAccount {
            person: PersonId(row.person_id),
            password_hash: row.password_hash,
            failed_sign_ins: row.failed_sign_ins,
            locked_until: row.locked_until,
        }))
    }

    /// The password account of a person by id (no row yet: no password, no failures).
    pub async fn password_account(
        &mut self,
        person: PersonId,
    ) -> Result<PasswordAccount, StoreError> {
        let sql = "SELECT p.id AS person_id, a.password_hash, COALESCE(a.failed_sign_ins, 0) AS failed_sign_ins, \
                   a.locked_until FROM people p LEFT JOIN accounts a ON a.person_id = p.id WHERE p.id = $1";
        let row: AccountRow = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(person.0)
            .fetch_one(conn)
            .await)?;
        Ok(PasswordAccount {
            person: PersonId(row.person_id),
            password_hash: row.password_hash,
            failed_sign_ins: row.failed_sign_ins,
            locked_until: row.locked_until,
        })
    }

    /// Sets a person's password hash, clearing failures and any lockout.
    pub async fn set_password_hash(
        &mut self,
        person: PersonId,
        hash: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO accounts (person_id, password_hash, failed_sign_ins, locked_until, created_at, updated_at) \
                   VALUES ($1, $2, 0, NULL, $3, $3) \
                   ON CONFLICT (person_id) DO UPDATE SET password_hash = excluded.password_hash, \
                   failed_sign_ins = 0, locked_until = NULL, updated_at = excluded.updated_at";
        on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(person.0)
                .bind(hash)
                .bind(now)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// Sets the same password hash for many people at once (the demo's shared password).
    pub async fn set_password_hash_for_all(
        &mut self,
        hash: &str,
        now: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let sql = "INSERT INTO accounts (person_id, password_hash, failed_sign_ins, locked_until, created_at, updated_at) \
                   SELECT id, $1, 0, NULL, $2, $2 FROM people WHERE true \
                   ON CONFLICT (person_id) DO UPDATE SET password_hash = excluded.password_hash, \
                   failed_sign_ins = 0, locked_until = NULL, updated_at = excluded.updated_at";
        let done = on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(hash)
                .bind(now)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(done)
    }

    /// Records a failed sign-in; `lock_until` locks the account when the failures reached the limit.
    pub async fn record_failed_sign_in(
        &mut self,
        person: PersonId,
        lock_until: Option<OffsetDateTime>,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO accounts (person_id, password_hash, failed_sign_ins, locked_until, created_at, updated_at) \
                   VALUES ($1, NULL, 1, $2, $3, $3) \
                   ON CONFLICT (person_id) DO UPDATE SET failed_sign_ins = accounts.failed_sign_ins + 1, \
                   locked_until = excluded.locked_until, updated_at = excluded.updated_at";
        on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(person.0)
                .bind(lock_until)
                .bind(now)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// Clears failures after a successful sign-in.
    pub async fn clear_failed_sign_ins(
        &mut self,
        person: PersonId,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE accounts SET failed_sign_ins = 0, locked_until = NULL, updated_at = $2 WHERE person_id = $1";
        on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(person.0)
                .bind(now)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// Starts a session.
    pub async fn insert_session(
        &mut self,
        token_hash: &[u8],
        person: PersonId,
        organisation: Option<OrganisationId>,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO sessions (token_hash, person_id, organisation_id, created_at, last_seen_at, expires_at) \
                   VALUES ($1, $2, $3, $4, $4, $5)";
        on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(token_hash)
                .bind(person.0)
                .bind(organisation.map(|it| it.0))
                .bind(now)
                .bind(expires_at)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// The session with this token hash, if it exists (expired or not: the caller decides).
    pub async fn session(
        &mut self,
        token_hash: &[u8],
    ) -> Result<Option<SessionRecord>, StoreError> {
        let sql = "SELECT person_id, organisation_id, last_seen_at, expires_at FROM sessions WHERE token_hash = $1";
        let row: Option<SessionRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(token_hash)
            .fetch_optional(conn)
            .await)?;
        Ok(row.map(|row| SessionRecord {
            person: PersonId(row.person_id),
            organisation: row.organisation_id.map(OrganisationId),
            last_seen_at: row.last_seen_at,
            expires_at: row.expires_at,
        }))
    }

    /// Extends a session that is in use.
    pub async fn touch_session(
        &mut self,
        token_hash: &[u8],
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1";
        on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(token_hash)
                .bind(now)
                .bind(expires_at)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// Changes the organisation a session works in.
    pub async fn set_session_organisation(
        &mut self,
        token_hash: &[u8],
        organisation: OrganisationId,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE sessions SET organisation_id = $2 WHERE token_hash = $1";
        on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(token_hash)
                .bind(organisation.0)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// Ends a session.
    pub async fn delete_session(&mut self, token_hash: &[u8]) -> Result<(), StoreError> {
        let sql = "DELETE FROM sessions WHERE token_hash = $1";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(token_hash)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Ends every session of a person (after a password change) and every expired session.
    pub async fn delete_sessions_of(&mut self, person: PersonId) -> Result<(), StoreError> {
        let sql = "DELETE FROM sessions WHERE person_id = $1";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(person.0)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Removes sessions that ended before `now`.
    pub async fn delete_expired_sessions(
        &mut self,
        now: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let sql = "DELETE FROM sessions WHERE expires_at < $1";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(done)
    }
}

/// A single sign-on that was started and waits for the browser to come back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SsoLogin {
    /// The PKCE verifier for the code exchange.
    pub pkce_verifier: String,
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// Where to send the person afterwards.
    pub next: String,
    /// It can be finished until then.
    pub expires_at: OffsetDateTime,
}

impl Tx {
    /// Keeps a started single sign-on under its state.
    pub async fn insert_sso_login(
        &mut self,
        state: &str,
        login: &SsoLogin,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO sso_logins (state, pkce_verifier, nonce, next, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)";
        on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(state)
                .bind(&login.pkce_verifier)
                .bind(&login.nonce)
                .bind(&login.next)
                .bind(now)
                .bind(login.expires_at)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }

    /// Takes (reads and removes) the started sign-on with this state: each can be finished once.
    pub async fn take_sso_login(&mut self, state: &str) -> Result<Option<SsoLogin>, StoreError> {
        let select =
            "SELECT pkce_verifier, nonce, next, expires_at FROM sso_logins WHERE state = $1";
        let delete = "DELETE FROM sso_logins WHERE state = $1";
        let row: Option<(String, String, String, OffsetDateTime)> = on_backend!(self, |conn| {
            let row = sqlx::query_as(select)
                .bind(state)
                .fetch_optional(&mut *conn)
                .await?;
            sqlx::query(delete).bind(state).execute(&mut *conn).await?;
            Ok::<_, sqlx::Error>(row)
        })?;
        Ok(
            row.map(|(pkce_verifier, nonce, next, expires_at)| SsoLogin {
                pkce_verifier,
                nonce,
                next,
                expires_at,
            }),
        )
    }

    /// The person whose account is linked to this provider's subject.
    pub async fn person_by_subject(
        &mut self,
        issuer: &str,
        subject: &str,
    ) -> Result<Option<PersonId>, StoreError> {
        let sql = "SELECT person_id FROM accounts WHERE oidc_issuer = $1 AND oidc_subject = $2";
        let row: Option<(Uuid,)> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(issuer)
            .bind(subject)
            .fetch_optional(conn)
            .await)?;
        Ok(row.map(|(id,)| PersonId(id)))
    }

    /// Links a person's account to a provider's subject, so later sign-ins find them by it.
    pub async fn link_subject(
        &mut self,
        person: PersonId,
        issuer: &str,
        subject: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO accounts (person_id, password_hash, failed_sign_ins, locked_until, oidc_issuer, oidc_subject, created_at, updated_at) \
                   VALUES ($1, NULL, 0, NULL, $2, $3, $4, $4) \
                   ON CONFLICT (person_id) DO UPDATE SET oidc_issuer = excluded.oidc_issuer, oidc_subject = excluded.oidc_subject, \
                   updated_at = excluded.updated_at";
        on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(person.0)
                .bind(issuer)
                .bind(subject)
                .bind(now)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(())
    }
}
