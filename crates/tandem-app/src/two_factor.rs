//! Two-factor sign-in (R11.5) for local accounts: after the right password, a code from an
//! authenticator app (or a recovery code) before the session starts; setting it up, new recovery
//! codes and turning it off from one's own account; an administrator's reset for a lost phone;
//! and the staff roles an organisation requires it for, which makes its holders set it up at
//! their next sign-in.
//!
//! Single sign-on is left to the identity provider, whose own second factor applies there.
//!
//! A wrong code counts as a failed sign-in, with the password's: five in a row lock the account
//! for 15 minutes (`accounts::record_failure`), so the two steps together allow five guesses.

use crate::accounts::{self, Session, SessionToken};
use crate::{App, AppError, audit};
use sha2::{Digest, Sha256};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, Denied, StaffRole, authorize};
use tandem_core::two_factor::{
    self, CodeProblem, RECOVERY_CODES, RecoveryCode, SECRET_BYTES, TotpCode, TotpSecret,
};
use tandem_core::{OrganisationId, PersonId};
use time::{Duration, OffsetDateTime};

/// A sign-in waiting for its second step lasts this long.
pub const PENDING_FOR: Duration = Duration::minutes(10);

/// Where the right email and password lead.
#[derive(Debug)]
pub enum SignInStep {
    /// Signed in: the session's token.
    Signed(SessionToken),
    /// A code is still needed; the token names this half-done sign-in.
    Code(SessionToken),
    /// Their organisation requires two-factor sign-in of their role and they have not set it
    /// up: they set it up now, and are then signed in.
    SetUp(SessionToken),
}

impl SignInStep {
    /// The session's token, if signed in already (for callers that never use two factors, such
    /// as the benchmarks).
    pub fn into_session(self) -> Option<SessionToken> {
        match self {
            Self::Signed(token) => Some(token),
            Self::Code(_) | Self::SetUp(_) => None,
        }
    }
}

/// Why a code was refused; safe to show.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeRefused {
    /// Not a code.
    #[error("{0}")]
    Unreadable(CodeProblem),
    /// Not the code of this moment, used already, or an unknown recovery code.
    #[error(
        "that code is not right or has been used; type the code your app shows now, or a recovery code"
    )]
    Wrong,
    /// Too many failures.
    #[error(
        "this account is locked after {} failed sign-ins; try again after {until}",
        accounts::LOCK_AFTER_FAILURES
    )]
    Locked {
        /// When the lock ends (HH:MM UTC).
        until: String,
    },
    /// The half-done sign-in is unknown or too old.
    #[error("this sign-in has expired; sign in again with your email and password")]
    Expired,
}

/// What the second step of a sign-in asks for.
#[derive(Debug)]
pub enum Pending {
    /// A code from the app they set up, or a recovery code.
    Code,
    /// Setting up an app with this secret, for this email (the label the app shows).
    SetUp {
        /// The new secret.
        secret: TotpSecret,
        /// Their email.
        email: String,
    },
}

/// A completed second step: the session, and for a first set-up the recovery codes, shown once.
#[derive(Debug)]
pub struct Completed {
    /// The new session's token.
    pub token: SessionToken,
    /// New recovery codes (after setting up), to show once and never again.
    pub recovery_codes: Vec<RecoveryCode>,
    /// Signed in with a recovery code: how many are left.
    pub recovery_codes_left: Option<i64>,
}

/// A person's two-factor sign-in, for their account page or an administrator's view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status {
    /// Set up and in use.
    pub on: bool,
    /// Unused recovery codes.
    pub recovery_codes_left: i64,
    /// Their organisation requires it of a role they hold.
    pub required: bool,
}

fn random<const N: usize>() -> Result<[u8; N], AppError> {
    let mut bytes = [0_u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|err| AppError::Conflict(format!("no randomness available: {err}")))?;
    Ok(bytes)
}

/// A recovery code's stored form: its SHA-256 with the person's id, so one code's hash says
/// nothing about anyone else's.
fn recovery_hash(person: PersonId, code: &RecoveryCode) -> Vec<u8> {
    let mut digest = Sha256::new();
    digest.update(b"tandem recovery code\0");
    digest.update(person.0.as_bytes());
    digest.update(code.normalised().as_bytes());
    digest.finalize().to_vec()
}

fn person_actor(person: PersonId, organisation: OrganisationId) -> Actor {
    Actor::Person {
        id: person,
        organisation,
        grants: Vec::new(),
    }
}

/// Whether someone's roles make two-factor sign-in required for them.
async fn required_for(
    tx: &mut tandem_store::Tx,
    person: PersonId,
    home: OrganisationId,
) -> Result<bool, AppError> {
    let grants = tx.grants_of(person).await?;
    if grants.is_empty() {
        return Ok(false);
    }
    let requirements = tx.two_factor_requirements().await?;
    Ok(two_factor::required(&grants, home, &requirements))
}

/// After the right password: a session, or the second step it still needs.
pub(crate) async fn after_password(
    tx: &mut tandem_store::Tx,
    person: PersonId,
    organisation: OrganisationId,
    now: OffsetDateTime,
) -> Result<SignInStep, AppError> {
    let confirmed = tx
        .two_factor(person)
        .await?
        .is_some_and(|record| record.confirmed_at.is_some());
    if !confirmed && !required_for(tx, person, organisation).await? {
        let actor = person_actor(person, organisation);
        let token =
            accounts::start_session(tx, &actor, person, organisation, "password", now).await?;
        return Ok(SignInStep::Signed(token));
    }
    let token = SessionToken::generate()?;
    tx.insert_pending_sign_in(&token.hash(), person, now, now + PENDING_FOR)
        .await?;
    Ok(if confirmed {
        SignInStep::Code(token)
    } else {
        SignInStep::SetUp(token)
    })
}

/// The secret a person is setting up: the one they started with, or a new one. `None` if
/// two-factor sign-in is already on.
async fn secret_to_set_up(
    tx: &mut tandem_store::Tx,
    person: PersonId,
    now: OffsetDateTime,
) -> Result<Option<TotpSecret>, AppError> {
    match tx.two_factor(person).await? {
        Some(record) if record.confirmed_at.is_some() => Ok(None),
        Some(record) => TotpSecret::from_stored(record.secret)
            .map(Some)
            .ok_or_else(|| {
                AppError::Conflict("the stored two-factor secret is damaged".to_owned())
            }),
        None => {
            let secret = TotpSecret::new(random::<SECRET_BYTES>()?);
            tx.start_two_factor(person, secret.bytes(), now).await?;
            Ok(Some(secret))
        }
    }
}

/// The person and organisation of a current pending sign-in.
async fn pending_person(
    tx: &mut tandem_store::Tx,
    token: &SessionToken,
    now: OffsetDateTime,
) -> Result<Option<(PersonId, OrganisationId, String)>, AppError> {
    let Some((person, expires_at)) = tx.pending_sign_in(&token.hash()).await? else {
        return Ok(None);
    };
    if expires_at <= now {
        return Ok(None);
    }
    let held = tx.person(person).await?;
    if !accounts::may_sign_in_with(held.record.employment_status) {
        return Ok(None);
    }
    let organisation = tx
        .organisation_by_code(&held.record.organisation)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("organisation {}", held.record.organisation)))?;
    Ok(Some((
        person,
        organisation.id,
        held.record.email.to_string(),
    )))
}

/// What the second step of the sign-in `token` names asks for; `None` if it has expired.
pub async fn pending(app: &App, token: &SessionToken) -> Result<Option<Pending>, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let Some((person, _, email)) = pending_person(&mut tx, token, now).await? else {
        return Ok(None);
    };
    let pending = match secret_to_set_up(&mut tx, person, now).await? {
        Some(secret) => Pending::SetUp { secret, email },
        None => Pending::Code,
    };
    tx.commit().await?;
    Ok(Some(pending))
}

/// Which factor a typed code proved.
enum Proof {
    /// The app's code (its time step is now used).
    App,
    /// A recovery code, now used.
    Recovery,
}

/// Checks a typed code for `person`: the app's code (once per step), or with `recovery` allowed
/// one of their unused recovery codes. A wrong one is recorded as a failed sign-in.
async fn check_code(
    tx: &mut tandem_store::Tx,
    person: PersonId,
    organisation: OrganisationId,
    typed: &str,
    recovery: bool,
    now: OffsetDateTime,
) -> Result<Result<Proof, CodeRefused>, AppError> {
    let account = tx.password_account(person).await?;
    if let Some(until) = account.locked_until.filter(|until| *until > now) {
        return Ok(Err(CodeRefused::Locked {
            until: accounts::hh_mm(until),
        }));
    }
    let record = tx.two_factor(person).await?;
    let secret = record
        .as_ref()
        .and_then(|record| TotpSecret::from_stored(record.secret.clone()));
    let proof = match TotpCode::parse(typed) {
        Ok(code) => {
            let last = record.as_ref().and_then(|record| record.last_step);
            match secret.and_then(|secret| secret.accepts(&code, now, last)) {
                // The step is taken in the database, so one code raced twice passes once.
                Some(step) if tx.use_two_factor_step(person, step, now).await? => Some(Proof::App),
                _ => None,
            }
        }
        Err(problem @ CodeProblem::Missing) => return Ok(Err(CodeRefused::Unreadable(problem))),
        Err(problem) => match RecoveryCode::parse(typed).filter(|_| recovery) {
            Some(code) => tx
                .use_recovery_code(person, &recovery_hash(person, &code), now)
                .await?
                .then_some(Proof::Recovery),
            None => return Ok(Err(CodeRefused::Unreadable(problem))),
        },
    };
    if let Some(proof) = proof {
        tx.clear_failed_sign_ins(person, now).await?;
        return Ok(Ok(proof));
    }
    let actor = person_actor(person, organisation);
    Ok(Err(
        match accounts::record_failure(
            tx,
            &actor,
            &account,
            organisation,
            AuditAction::AccountTwoFactorFailed,
            now,
        )
        .await?
        {
            Some(until) => CodeRefused::Locked {
                until: accounts::hh_mm(until),
            },
            None => CodeRefused::Wrong,
        },
    ))
}

/// Ten new recovery codes for `person`, replacing any they had.
async fn new_recovery_codes(
    tx: &mut tandem_store::Tx,
    person: PersonId,
) -> Result<Vec<RecoveryCode>, AppError> {
    let codes = (0..RECOVERY_CODES)
        .map(|_| random().map(RecoveryCode::new))
        .collect::<Result<Vec<_>, _>>()?;
    let hashes: Vec<Vec<u8>> = codes
        .iter()
        .map(|code| recovery_hash(person, code))
        .collect();
    tx.replace_recovery_codes(person, &hashes).await?;
    Ok(codes)
}

/// With the app's current code, new recovery codes in place of any others, audited as `action`;
/// commits either way (a wrong code is a recorded failure).
async fn codes_for_a_code(
    mut tx: tandem_store::Tx,
    person: PersonId,
    home: OrganisationId,
    typed: &str,
    action: AuditAction,
    now: OffsetDateTime,
) -> Result<Result<Vec<RecoveryCode>, CodeRefused>, AppError> {
    if let Err(refused) = check_code(&mut tx, person, home, typed, false, now).await? {
        tx.commit().await?;
        return Ok(Err(refused));
    }
    let codes = new_recovery_codes(&mut tx, person).await?;
    accounts::audit_own(&mut tx, person, Some(home), action, now).await?;
    tx.commit().await?;
    Ok(Ok(codes))
}

/// Completes a sign-in with its second step: a code from the app (or a recovery code), or, when
/// setting up, the app's first code, which turns two-factor sign-in on and gives recovery codes.
pub async fn complete(
    app: &App,
    token: &SessionToken,
    typed: &str,
) -> Result<Result<Completed, CodeRefused>, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let Some((person, organisation, _)) = pending_person(&mut tx, token, now).await? else {
        return Ok(Err(CodeRefused::Expired));
    };
    let setting_up = tx
        .two_factor(person)
        .await?
        .is_none_or(|record| record.confirmed_at.is_none());
    let proof = match check_code(&mut tx, person, organisation, typed, !setting_up, now).await? {
        Ok(proof) => proof,
        Err(refused) => {
            // The failure and its audit entry stand even though the sign-in does not go on.
            tx.commit().await?;
            return Ok(Err(refused));
        }
    };
    let mut completed = Completed {
        token: SessionToken::generate()?,
        recovery_codes: Vec::new(),
        recovery_codes_left: None,
    };
    if setting_up {
        completed.recovery_codes = new_recovery_codes(&mut tx, person).await?;
        accounts::audit_own(
            &mut tx,
            person,
            Some(organisation),
            AuditAction::AccountTwoFactorOn,
            now,
        )
        .await?;
    }
    let method = match proof {
        Proof::App => "password and authenticator app",
        Proof::Recovery => {
            accounts::audit_own(
                &mut tx,
                person,
                Some(organisation),
                AuditAction::AccountRecoveryCodeUsed,
                now,
            )
            .await?;
            completed.recovery_codes_left = Some(tx.unused_recovery_codes(person).await?);
            "password and recovery code"
        }
    };
    tx.delete_pending_sign_in(&token.hash()).await?;
    let actor = person_actor(person, organisation);
    completed.token =
        accounts::start_session(&mut tx, &actor, person, organisation, method, now).await?;
    tx.commit().await?;
    Ok(Ok(completed))
}

/// The signed-in person's own two-factor sign-in.
pub async fn status(app: &App, session: &Session) -> Result<Status, AppError> {
    let mut tx = app.store.begin_read().await?;
    let home = home_organisation(&mut tx, session).await?;
    status_in(&mut tx, session.person, home).await
}

async fn status_in(
    tx: &mut tandem_store::Tx,
    person: PersonId,
    home: OrganisationId,
) -> Result<Status, AppError> {
    let on = tx
        .two_factor(person)
        .await?
        .is_some_and(|record| record.confirmed_at.is_some());
    Ok(Status {
        on,
        recovery_codes_left: if on {
            tx.unused_recovery_codes(person).await?
        } else {
            0
        },
        required: required_for(tx, person, home).await?,
    })
}

/// The organisation a person belongs to (a session may be working in another).
async fn home_organisation(
    tx: &mut tandem_store::Tx,
    session: &Session,
) -> Result<OrganisationId, AppError> {
    tx.organisation_by_code(&session.record.organisation)
        .await?
        .map(|it| it.id)
        .ok_or_else(|| AppError::NotFound(format!("organisation {}", session.record.organisation)))
}

/// The secret for the signed-in person to set up their app with; refused if it is on already.
pub async fn start_set_up(app: &App, session: &Session) -> Result<TotpSecret, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let secret = secret_to_set_up(&mut tx, session.person, now)
        .await?
        .ok_or_else(|| AppError::Conflict("two-factor sign-in is already on".to_owned()))?;
    tx.commit().await?;
    Ok(secret)
}

/// Turns on the signed-in person's two-factor sign-in with the first code from their app; gives
/// the recovery codes, to be shown once.
pub async fn confirm_set_up(
    app: &App,
    session: &Session,
    typed: &str,
) -> Result<Result<Vec<RecoveryCode>, CodeRefused>, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let home = home_organisation(&mut tx, session).await?;
    match tx.two_factor(session.person).await? {
        Some(record) if record.confirmed_at.is_none() => {}
        Some(_) => {
            return Err(AppError::Conflict(
                "two-factor sign-in is already on".to_owned(),
            ));
        }
        None => {
            return Err(AppError::Conflict(
                "start setting up two-factor sign-in first".to_owned(),
            ));
        }
    }
    codes_for_a_code(
        tx,
        session.person,
        home,
        typed,
        AuditAction::AccountTwoFactorOn,
        now,
    )
    .await
}

/// New recovery codes for the signed-in person, with a current code from their app; the old
/// ones stop working.
pub async fn replace_recovery_codes(
    app: &App,
    session: &Session,
    typed: &str,
) -> Result<Result<Vec<RecoveryCode>, CodeRefused>, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let home = home_organisation(&mut tx, session).await?;
    if !status_in(&mut tx, session.person, home).await?.on {
        return Err(AppError::Conflict(
            "two-factor sign-in is not on".to_owned(),
        ));
    }
    codes_for_a_code(
        tx,
        session.person,
        home,
        typed,
        AuditAction::AccountRecoveryCodesReplaced,
        now,
    )
    .await
}

/// Turns off the signed-in person's two-factor sign-in, with a current code from their app (or a
/// recovery code); refused while their organisation requires it of their role.
pub async fn turn_off(
    app: &App,
    session: &Session,
    typed: &str,
) -> Result<Result<(), CodeRefused>, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let home = home_organisation(&mut tx, session).await?;
    let status = status_in(&mut tx, session.person, home).await?;
    if !status.on {
        return Err(AppError::Conflict(
            "two-factor sign-in is not on".to_owned(),
        ));
    }
    if status.required {
        return Err(AppError::Denied(Denied {
            reason: "your organisation requires two-factor sign-in for your role, so it stays on"
                .to_owned(),
        }));
    }
    if let Err(refused) = check_code(&mut tx, session.person, home, typed, true, now).await? {
        tx.commit().await?;
        return Ok(Err(refused));
    }
    tx.delete_two_factor(session.person).await?;
    accounts::audit_own(
        &mut tx,
        session.person,
        Some(home),
        AuditAction::AccountTwoFactorOff,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Ok(()))
}

/// A person's two-factor sign-in as an administrator sees it.
pub async fn status_of(app: &App, actor: &Actor, person: PersonId) -> Result<Status, AppError> {
    let mut tx = app.store.begin_read().await?;
    let organisation = organisation_of(&mut tx, person).await?;
    authorize(actor, &Action::ResetTwoFactor(organisation))?;
    status_in(&mut tx, person, organisation).await
}

async fn organisation_of(
    tx: &mut tandem_store::Tx,
    person: PersonId,
) -> Result<OrganisationId, AppError> {
    let held = tx.person(person).await?;
    tx.organisation_by_code(&held.record.organisation)
        .await?
        .map(|it| it.id)
        .ok_or_else(|| AppError::NotFound(format!("organisation {}", held.record.organisation)))
}

/// Resets a person's two-factor sign-in (a lost phone and no recovery code): their secret and
/// recovery codes go and their sessions end; they set it up again at their next sign-in if it
/// is required of them. Administrators of their organisation only.
pub async fn reset(app: &App, actor: &Actor, person: PersonId) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let organisation = organisation_of(&mut tx, person).await?;
    authorize(actor, &Action::ResetTwoFactor(organisation))?;
    if tx.two_factor(person).await?.is_none() {
        return Err(AppError::Conflict(
            "this person has not set up two-factor sign-in".to_owned(),
        ));
    }
    tx.delete_two_factor(person).await?;
    tx.delete_sessions_of(person).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::AccountTwoFactorReset,
        Some(organisation),
        "person",
        Some(person.0),
        serde_json::json!({}),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The staff roles an organisation requires two-factor sign-in for.
pub async fn required_roles(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
) -> Result<Vec<StaffRole>, AppError> {
    authorize(actor, &Action::ManageOrganisation(organisation))?;
    let requirements = app
        .store
        .begin_read()
        .await?
        .two_factor_requirements()
        .await?;
    Ok(StaffRole::ALL
        .into_iter()
        .filter(|role| requirements.contains(&(organisation, *role)))
        .collect())
}

/// Sets the staff roles an organisation requires two-factor sign-in for; their holders set it up
/// at their next sign-in with a password.
pub async fn set_required_roles(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    roles: &[StaffRole],
) -> Result<(), AppError> {
    authorize(actor, &Action::ManageOrganisation(organisation))?;
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    tx.set_two_factor_required(organisation, roles).await?;
    let codes: Vec<&str> = roles.iter().map(|role| role.as_str()).collect();
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::OrganisationTwoFactorRequired,
        Some(organisation),
        "organisation",
        Some(organisation.0),
        serde_json::json!({ "roles": codes }),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

/// [`reset`] for the person with this email (the operator's command line).
pub async fn reset_by_email(
    app: &App,
    actor: &Actor,
    email: &tandem_core::domain::Email,
) -> Result<(), AppError> {
    let account = app
        .store
        .begin_read()
        .await?
        .password_account_by_email(email)
        .await?
        .ok_or_else(|| {
            AppError::NotFound(format!("nobody in the directory has the email {email}"))
        })?;
    reset(app, actor, account.person).await
}
