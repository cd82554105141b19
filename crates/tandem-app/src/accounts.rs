//! Signing in and out: local passwords (Argon2id), lockout, and sessions stored in the database
//! so they survive restarts and are shared by every app server.

use crate::two_factor::SignInStep;
use crate::{App, AppError, audit};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::OnceLock;
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, authorize};
use tandem_core::domain::{Email, EmploymentStatus, NewPassword};
use tandem_core::{Organisation, PersonId, PersonRecord};
use time::Duration;

/// Failed sign-ins that lock an account.
pub const LOCK_AFTER_FAILURES: i64 = 5;
/// How long a locked account stays locked.
pub const LOCKOUT: Duration = Duration::minutes(15);
/// A session ends after this long without a request.
pub const SESSION_IDLE: Duration = Duration::hours(8);
/// A session's expiry is pushed back at most this often, so reads do not all become writes.
const TOUCH_EVERY: Duration = Duration::minutes(5);

/// The secret in a session cookie: 32 random bytes as hex. Only its SHA-256 is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    /// A fresh random token from the operating system's generator.
    pub(crate) fn generate() -> Result<Self, AppError> {
        let mut bytes = [0_u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|err| AppError::Conflict(format!("no randomness available: {err}")))?;
        Ok(Self(
            bytes.iter().map(|byte| format!("{byte:02x}")).collect(),
        ))
    }

    /// Reads a token from a cookie value; anything but 64 hex digits is not a token.
    pub fn parse(raw: &str) -> Option<Self> {
        (raw.len() == 64 && raw.bytes().all(|byte| byte.is_ascii_hexdigit()))
            .then(|| Self(raw.to_ascii_lowercase()))
    }

    /// The cookie value.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub(crate) fn hash(&self) -> Vec<u8> {
        Sha256::digest(self.0.as_bytes()).to_vec()
    }

    /// The token a signed-in visitor's forms carry against cross-site request forgery, as 64
    /// hex digits: bound to this session, so one from another session (or from before signing
    /// in) is refused, and derived, so any app server can check it without a lookup.
    ///
    /// The prefix keeps it apart from [`Self::hash`], which the database holds: reading the
    /// sessions table does not give anyone the forms' tokens, and the page's token (which
    /// scripts and caches may see) does not give the session's cookie.
    pub fn form_token(&self) -> String {
        let mut digest = Sha256::new();
        digest.update(b"tandem form token\0");
        digest.update(self.0.as_bytes());
        digest
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

/// Never shows the token.
impl fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionToken(…)")
    }
}

/// Why a sign-in was refused; the message is safe to show (it never says whether the email exists).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignInRefused {
    /// Unknown email, no password set, or the wrong password.
    #[error("the email address or password is not right")]
    WrongCredentials,
    /// Too many failures; try again later.
    #[error(
        "this account is locked after {LOCK_AFTER_FAILURES} failed sign-ins; try again after {until}"
    )]
    Locked {
        /// When the lock ends (shown in UTC, HH:MM).
        until: String,
    },
    /// The HR record says the person has left, retired or is suspended.
    #[error("this account is not active; ask your organisation's administrator")]
    Inactive,
}

/// A signed-in person and what they may do.
#[derive(Debug, Clone)]
pub struct Session {
    /// The actor to pass to use cases.
    pub actor: Actor,
    /// Their id.
    pub person: PersonId,
    /// Their HR record.
    pub record: PersonRecord,
    /// The organisation they are working in.
    pub organisation: Organisation,
    /// The organisations they may work in: their own and those their roles reach (all of them
    /// for a national administrator).
    pub organisations: Vec<Organisation>,
    /// Their unread notifications, for the page header.
    pub unread: i64,
}

/// The organisations a person with `grants` may work in, their own first.
fn reachable(
    home: &Organisation,
    grants: &[tandem_core::authz::Grant],
    all: Vec<Organisation>,
) -> Vec<Organisation> {
    use tandem_core::authz::Scope;
    let national = grants
        .iter()
        .any(|grant| grant.scope == Scope::Installation);
    let mut reachable = vec![home.clone()];
    for organisation in all {
        let granted = grants.iter().any(|grant| match &grant.scope {
            Scope::Installation => false,
            Scope::Organisation(id)
            | Scope::Division {
                organisation: id, ..
            }
            | Scope::Scheme {
                organisation: id, ..
            } => *id == organisation.id,
        });
        if organisation.id != home.id && (national || granted) {
            reachable.push(organisation);
        }
    }
    reachable
}

fn argon2() -> Argon2<'static> {
    Argon2::default()
}

/// Hashes a password with Argon2id and a fresh salt (slow on purpose: run off the async workers).
pub async fn hash_password(password: &NewPassword) -> Result<String, AppError> {
    let password = password.expose().to_owned();
    tokio::task::spawn_blocking(move || {
        argon2()
            .hash_password(password.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|err| AppError::Conflict(format!("cannot hash the password: {err}")))
    })
    .await
    .map_err(|err| AppError::Conflict(format!("the password hashing task failed: {err}")))?
}

/// A hash that matches no password, verified when the email is unknown so that a refusal
/// takes as long whether or not the person exists.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        argon2()
            .hash_password(b"decoy: no account has this password")
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}

async fn verify(password: &str, hash: &str) -> bool {
    let password = password.to_owned();
    let hash = hash.to_owned();
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|parsed| {
            argon2()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

fn may_sign_in(status: EmploymentStatus) -> bool {
    matches!(
        status,
        EmploymentStatus::Serving | EmploymentStatus::CareerBreak
    )
}

/// Checks an email and password; on success starts a session, or the second step of a
/// two-factor sign-in (`two_factor::complete`).
pub async fn sign_in(
    app: &App,
    email: &str,
    password: &str,
) -> Result<Result<SignInStep, SignInRefused>, AppError> {
    let now = app.clock.now();
    let Ok(email) = Email::parse(email) else {
        verify(password, decoy_hash()).await;
        return Ok(Err(SignInRefused::WrongCredentials));
    };
    let mut tx = app.store.begin_write().await?;
    let Some(account) = tx.password_account_by_email(&email).await? else {
        drop(tx);
        verify(password, decoy_hash()).await;
        return Ok(Err(SignInRefused::WrongCredentials));
    };
    if let Some(until) = account.locked_until.filter(|until| *until > now) {
        return Ok(Err(SignInRefused::Locked {
            until: hh_mm(until),
        }));
    }
    let matches = match &account.password_hash {
        Some(hash) => verify(password, hash).await,
        None => {
            // No password set (single sign-on only, or never set): refuse, in the usual time.
            verify(password, decoy_hash()).await;
            false
        }
    };
    let person = tx.person(account.person).await?;
    let organisation = tx
        .organisation_by_code(&person.record.organisation)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!("organisation {}", person.record.organisation))
        })?;
    let actor = Actor::Person {
        id: account.person,
        organisation: organisation.id,
        grants: Vec::new(),
    };
    if !matches {
        let lock = record_failure(
            &mut tx,
            &actor,
            &account,
            organisation.id,
            AuditAction::AccountSignInFailed,
            now,
        )
        .await?;
        tx.commit().await?;
        return Ok(Err(match lock {
            Some(until) => SignInRefused::Locked {
                until: hh_mm(until),
            },
            None => SignInRefused::WrongCredentials,
        }));
    }
    if !may_sign_in(person.record.employment_status) {
        return Ok(Err(SignInRefused::Inactive));
    }
    tx.clear_failed_sign_ins(account.person, now).await?;
    let step =
        crate::two_factor::after_password(&mut tx, account.person, organisation.id, now).await?;
    tx.commit().await?;
    Ok(Ok(step))
}

/// A moment as the lockout messages show it: `HH:MM UTC`.
pub(crate) fn hh_mm(at: time::OffsetDateTime) -> String {
    format!("{:02}:{:02} UTC", at.hour(), at.minute())
}

/// Records a failed sign-in step (a wrong password or a wrong code) with its audit entry;
/// returns when the account is locked until, if this failure locked it.
pub(crate) async fn record_failure(
    tx: &mut tandem_store::Tx,
    actor: &Actor,
    account: &tandem_store::PasswordAccount,
    organisation: tandem_core::OrganisationId,
    action: AuditAction,
    now: time::OffsetDateTime,
) -> Result<Option<time::OffsetDateTime>, AppError> {
    let failures = account.failed_sign_ins + 1;
    let lock = (failures >= LOCK_AFTER_FAILURES).then(|| now + LOCKOUT);
    tx.record_failed_sign_in(account.person, lock, now).await?;
    let action = if lock.is_some() {
        AuditAction::AccountLocked
    } else {
        action
    };
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        action,
        Some(organisation),
        "person",
        Some(account.person.0),
        serde_json::json!({ "failures": failures }),
    )])
    .await?;
    Ok(lock)
}

/// Starts a session for a person who has just proved who they are, with its audit entry.
pub(crate) async fn start_session(
    tx: &mut tandem_store::Tx,
    actor: &Actor,
    person: PersonId,
    organisation: tandem_core::OrganisationId,
    method: &str,
    now: time::OffsetDateTime,
) -> Result<SessionToken, AppError> {
    let token = SessionToken::generate()?;
    tx.insert_session(
        &token.hash(),
        person,
        Some(organisation),
        now,
        now + SESSION_IDLE,
    )
    .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::AccountSignedIn,
        Some(organisation),
        "person",
        Some(person.0),
        serde_json::json!({ "method": method }),
    )])
    .await?;
    Ok(token)
}

/// Whether someone with this employment status may sign in (serving, or on a career break).
pub(crate) fn may_sign_in_with(status: EmploymentStatus) -> bool {
    may_sign_in(status)
}

/// The session a cookie token belongs to, if it is current; extends it while in use.
pub async fn session(app: &App, token: &SessionToken) -> Result<Option<Session>, AppError> {
    let now = app.clock.now();
    let hash = token.hash();
    let mut tx = app.store.begin_read().await?;
    let Some(record) = tx.session(&hash).await? else {
        return Ok(None);
    };
    if record.expires_at <= now {
        return Ok(None);
    }
    let person = tx.person(record.person).await?;
    if !may_sign_in(person.record.employment_status) {
        return Ok(None);
    }
    let grants = tx.grants_of(record.person).await?;
    let home = tx
        .organisation_by_code(&person.record.organisation)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!("organisation {}", person.record.organisation))
        })?;
    let organisations = reachable(&home, &grants, tx.organisations().await?);
    let organisation = record
        .organisation
        .and_then(|id| organisations.iter().find(|it| it.id == id))
        .unwrap_or(&home)
        .clone();
    let unread = tx.unread_count(record.person).await?;
    drop(tx);
    if now - record.last_seen_at > TOUCH_EVERY {
        let mut tx = app.store.begin_write().await?;
        tx.touch_session(&hash, now, now + SESSION_IDLE).await?;
        tx.commit().await?;
    }
    Ok(Some(Session {
        actor: Actor::Person {
            id: record.person,
            organisation: home.id,
            grants,
        },
        person: record.person,
        record: person.record,
        organisation,
        organisations,
        unread,
    }))
}

/// Ends the session a token belongs to (nothing happens if it has already ended).
pub async fn sign_out(app: &App, token: &SessionToken) -> Result<(), AppError> {
    let mut tx = app.store.begin_write().await?;
    tx.delete_session(&token.hash()).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the password of the person with this email, and ends their sessions.
pub async fn set_password(
    app: &App,
    actor: &Actor,
    email: &Email,
    password: &NewPassword,
) -> Result<(), AppError> {
    let hash = hash_password(password).await?;
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let account = tx.password_account_by_email(email).await?.ok_or_else(|| {
        AppError::NotFound(format!("nobody in the directory has the email {email}"))
    })?;
    let person = tx.person(account.person).await?;
    let organisation = tx
        .organisation_by_code(&person.record.organisation)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!("organisation {}", person.record.organisation))
        })?;
    authorize(
        actor,
        &Action::SetPassword {
            person: account.person,
            organisation: organisation.id,
        },
    )?;
    tx.set_password_hash(account.person, &hash, now).await?;
    tx.delete_sessions_of(account.person).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::AccountPasswordSet,
        Some(organisation.id),
        "person",
        Some(account.person.0),
        serde_json::json!({}),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Why a password change was refused; safe to show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeRefused {
    /// The current password typed is not theirs.
    #[error("your current password is not right")]
    WrongCurrent,
    /// Too many failures.
    #[error(
        "this account is locked after {LOCK_AFTER_FAILURES} failed sign-ins; try again after {until}"
    )]
    Locked {
        /// When the lock ends (HH:MM UTC).
        until: String,
    },
    /// They sign in by single sign-on and have no Tandem password to change.
    #[error(
        "you have no Tandem password to change; sign out and use \"Forgotten your password?\" to set one"
    )]
    NoPassword,
}

/// Changes the signed-in person's password, given their current one (a wrong one counts as a
/// failed sign-in). Every session of theirs ends, this one included, and a new one starts for
/// the browser that asked: anyone else signed in as them is signed out.
pub async fn change_password(
    app: &App,
    session: &Session,
    current: &str,
    new: &NewPassword,
) -> Result<Result<SessionToken, ChangeRefused>, AppError> {
    let now = app.clock.now();
    let account = app
        .store
        .begin_read()
        .await?
        .password_account(session.person)
        .await?;
    if let Some(until) = account.locked_until.filter(|until| *until > now) {
        return Ok(Err(ChangeRefused::Locked {
            until: hh_mm(until),
        }));
    }
    let Some(hash) = &account.password_hash else {
        return Ok(Err(ChangeRefused::NoPassword));
    };
    let home = app
        .store
        .begin_read()
        .await?
        .organisation_by_code(&session.record.organisation)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("organisation {}", session.record.organisation)))?
        .id;
    let actor = Actor::Person {
        id: session.person,
        organisation: home,
        grants: Vec::new(),
    };
    if !verify(current, hash).await {
        let mut tx = app.store.begin_write().await?;
        let lock = record_failure(
            &mut tx,
            &actor,
            &account,
            home,
            AuditAction::AccountSignInFailed,
            now,
        )
        .await?;
        tx.commit().await?;
        return Ok(Err(match lock {
            Some(until) => ChangeRefused::Locked {
                until: hh_mm(until),
            },
            None => ChangeRefused::WrongCurrent,
        }));
    }
    let new_hash = hash_password(new).await?;
    let mut tx = app.store.begin_write().await?;
    tx.set_password_hash(session.person, &new_hash, now).await?;
    tx.delete_sessions_of(session.person).await?;
    let token = SessionToken::generate()?;
    tx.insert_session(
        &token.hash(),
        session.person,
        Some(session.organisation.id),
        now,
        now + SESSION_IDLE,
    )
    .await?;
    audit_own(
        &mut tx,
        session.person,
        Some(home),
        AuditAction::AccountPasswordChanged,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(token))
}

/// Switches the organisation a session works in, to one the person may reach.
pub async fn switch_organisation(
    app: &App,
    token: &SessionToken,
    session: &Session,
    code: &str,
) -> Result<(), AppError> {
    let organisation = session
        .organisations
        .iter()
        .find(|it| it.code.as_ref() == code)
        .ok_or_else(|| {
            AppError::Denied(tandem_core::authz::Denied {
                reason: "you have no role in that organisation".to_owned(),
            })
        })?;
    let mut tx = app.store.begin_write().await?;
    tx.set_session_organisation(&token.hash(), organisation.id)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Writes the audit entry of something a person did to their own account.
pub(crate) async fn audit_own(
    tx: &mut tandem_store::Tx,
    person: PersonId,
    organisation: Option<tandem_core::OrganisationId>,
    action: AuditAction,
    now: time::OffsetDateTime,
) -> Result<(), AppError> {
    let organisation =
        organisation.ok_or_else(|| AppError::NotFound("the person's organisation".to_owned()))?;
    let actor = Actor::Person {
        id: person,
        organisation,
        grants: Vec::new(),
    };
    let entry = audit::entry(
        &actor,
        now,
        action,
        Some(organisation),
        "person",
        Some(person.0),
        serde_json::json!({}),
    );
    tx.insert_audit(&[entry]).await?;
    Ok(())
}

/// A password-reset link works for this long.
pub const RESET_VALID_FOR: Duration = Duration::minutes(30);

/// Sends a one-time link to reset the password of the person with this email, if there is an
/// active one; says nothing either way (the answer would tell strangers who has an account).
/// `public_url` is the site's address as people reach it, e.g. `https://tandem.force.police.uk`.
pub async fn request_password_reset(
    app: &App,
    email: &str,
    public_url: &str,
) -> Result<(), AppError> {
    let Ok(email) = Email::parse(email) else {
        return Ok(());
    };
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let Some(account) = tx.password_account_by_email(&email).await? else {
        return Ok(());
    };
    let person = tx.person(account.person).await?;
    if !may_sign_in(person.record.employment_status) {
        return Ok(());
    }
    let organisation = tx
        .organisation_by_code(&person.record.organisation)
        .await?
        .map(|it| it.id);
    let token = SessionToken::generate()?;
    tx.insert_password_reset(&token.hash(), account.person, now, now + RESET_VALID_FOR)
        .await?;
    let link = format!(
        "{}/reset-password/{}",
        public_url.trim_end_matches('/'),
        token.expose()
    );
    let body = format!(
        "Hello {},\n\nSomeone asked to reset the password of your Tandem account. If it was you, choose a new \
         password here within 30 minutes:\n\n{link}\n\nThe link works once. If it was not you, ignore this email: \
         your password stays as it is.\n",
        person.record.first_name
    );
    let message = tandem_store::OutboxMessage {
        id: uuid::Uuid::now_v7(),
        key: format!("password-reset.{}", &token.expose()[..16]),
        person: Some(account.person),
        recipient: person.record.email.to_string(),
        subject: "Reset your Tandem password".to_owned(),
        body,
        created_at: now,
        attempts: 0,
        attachment: None,
    };
    tx.enqueue(&message).await?;
    audit_own(
        &mut tx,
        account.person,
        organisation,
        AuditAction::AccountPasswordResetRequested,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Why a reset link does not work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ResetRefused {
    /// Unknown, used or expired.
    #[error("this link has expired or has been used; ask for a new one")]
    Expired,
}

/// Whether a reset link can still be used (to show the form or say it has expired).
pub async fn reset_link_works(app: &App, token: &SessionToken) -> Result<bool, AppError> {
    let now = app.clock.now();
    let reset = app
        .store
        .begin_read()
        .await?
        .password_reset(&token.hash())
        .await?;
    Ok(reset.is_some_and(|reset| reset.used_at.is_none() && reset.expires_at > now))
}

/// Sets a new password with a reset link, once; ends the person's sessions.
pub async fn reset_password(
    app: &App,
    token: &SessionToken,
    password: &NewPassword,
) -> Result<Result<(), ResetRefused>, AppError> {
    let hash = hash_password(password).await?;
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let Some(reset) = tx
        .password_reset(&token.hash())
        .await?
        .filter(|reset| reset.used_at.is_none() && reset.expires_at > now)
    else {
        return Ok(Err(ResetRefused::Expired));
    };
    if !tx.use_password_reset(&token.hash(), now).await? {
        return Ok(Err(ResetRefused::Expired));
    }
    tx.set_password_hash(reset.person, &hash, now).await?;
    tx.delete_sessions_of(reset.person).await?;
    let person = tx.person(reset.person).await?;
    let organisation = tx
        .organisation_by_code(&person.record.organisation)
        .await?
        .map(|it| it.id);
    audit_own(
        &mut tx,
        reset.person,
        organisation,
        AuditAction::AccountPasswordReset,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}
