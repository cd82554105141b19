//! Invitation lists (R2.1): for a scheme whose audience is by invitation (the women's network's
//! stage 5 candidates, the buddies who passed recently), the coordinator keeps the list of people
//! invited and each is told by email how to apply. Only invited people may apply, and the
//! invitation is checked again at matching.

use crate::{App, AppError, audit};
use std::collections::HashMap;
use tandem_core::application::{ApplicationStatus, FormProblem, Invitation};
use tandem_core::audit::AuditAction;
use tandem_core::authz::{Action, Actor, ApplicationScope, authorize};
use tandem_core::domain::{Email, SchemeKey};
use tandem_core::eligibility::{Refusal, Role};
use tandem_core::hr::ExistingPerson;
use tandem_core::programme::Scheme;
use tandem_core::{OrganisationId, PersonId};
use tandem_store::{OutboxMessage, Tx};
use uuid::Uuid;

/// One person on an invitation list, and whether they have applied yet.
#[derive(Debug, Clone)]
pub struct InvitationRow {
    /// The invitation.
    pub invitation: Invitation,
    /// The person invited.
    pub person: ExistingPerson,
    /// Who invited them, in words.
    pub invited_by: String,
    /// The name of the person's organisation.
    pub organisation: String,
    /// Where their application stands, once they have applied.
    pub applied: Option<ApplicationStatus>,
}

/// A scheme's invitation list.
#[derive(Debug, Clone)]
pub struct InvitationList {
    /// The scheme.
    pub scheme: Scheme,
    /// The roles the scheme takes by invitation only.
    pub by_invitation: Vec<Role>,
    /// Everyone invited, the latest first.
    pub rows: Vec<InvitationRow>,
}

/// The roles `scheme` admits by invitation only.
pub fn roles_by_invitation(scheme: &Scheme) -> Vec<Role> {
    let eligibility = &scheme.definition.policy.eligibility;
    Role::ALL
        .into_iter()
        .filter(|role| match role {
            Role::Mentor => eligibility.mentor.invitation_only,
            Role::Mentee => eligibility.mentee.invitation_only,
        })
        .collect()
}

/// The scheme, once the actor is shown to manage its applications.
pub(crate) async fn managed_scheme(
    tx: &mut Tx,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
) -> Result<Scheme, AppError> {
    let scheme = tx
        .scheme_by_key(organisation, key)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("there is no scheme called {key}")))?;
    authorize(
        actor,
        &Action::ManageApplications(ApplicationScope {
            organisation: scheme.organisation,
            scheme: scheme.id,
            division: None,
        }),
    )?;
    Ok(scheme)
}

/// The invitation list of a scheme, for its coordinators. The read is audited.
pub async fn list(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
) -> Result<InvitationList, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let scheme = managed_scheme(&mut tx, actor, organisation, key).await?;
    let applications = tx.applications_to_scheme(scheme.id).await?;
    let mut rows = Vec::new();
    let mut names = HashMap::new();
    for invitation in tx.invitations_of_scheme(scheme.id).await? {
        let person = tx.person(invitation.person).await?;
        let applied = applications
            .iter()
            .filter(|it| it.person == invitation.person && it.role == invitation.role)
            .max_by_key(|it| it.submitted_at)
            .map(|it| it.status);
        rows.push(row(&mut tx, &mut names, invitation, person, applied).await?);
    }
    tx.rollback().await?;
    audit::record_read(
        app,
        [audit::entry(
            actor,
            now,
            AuditAction::InvitationsViewed,
            Some(scheme.organisation),
            "scheme",
            Some(scheme.id.0),
            serde_json::json!({ "scheme": key.as_ref() }),
        )],
    )
    .await?;
    Ok(InvitationList {
        by_invitation: roles_by_invitation(&scheme),
        scheme,
        rows,
    })
}

/// Who to invite, as the coordinator typed it.
#[derive(Debug, Clone, Copy)]
pub struct NewInvitation<'a> {
    /// Their work email.
    pub email: &'a str,
    /// As what.
    pub role: Role,
    /// Why they are on the list (may be empty).
    pub note: &'a str,
}

/// Invites the person with `email` to take `role` in the scheme, and emails them how to apply.
/// Refused when the scheme does not take that role by invitation, when nobody has that email,
/// and, with every reason, when the person could not take part even with an invitation.
pub async fn invite(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
    new: NewInvitation<'_>,
    public_url: &str,
) -> Result<ExistingPerson, AppError> {
    let NewInvitation { email, role, note } = new;
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let scheme = managed_scheme(&mut tx, actor, organisation, key).await?;
    if !roles_by_invitation(&scheme).contains(&role) {
        return Err(AppError::Conflict(format!(
            "{} takes {}s without invitations: anyone eligible may apply",
            scheme.definition.name,
            role.as_str()
        )));
    }
    let unknown = || {
        AppError::Invalid(vec![FormProblem {
            field: "email",
            message: "nobody in the directory has that work email; check it".to_owned(),
        }])
    };
    let email = Email::parse(email.trim()).map_err(|_| unknown())?;
    let person_id = tx.person_id_by_email(&email).await?.ok_or_else(unknown)?;
    let person = tx.person(person_id).await?;
    let owner = crate::applications::organisation_of_scheme(&mut tx, &scheme).await?;
    let home = tx
        .organisation_by_code(&person.record.organisation)
        .await?
        .ok_or_else(|| crate::organisations::not_found(&person.record.organisation))?;
    let refusals: Vec<Refusal> =
        crate::applications::refusals(&mut tx, &person, &home, &scheme, &owner, role, None)
            .await?
            .into_iter()
            .filter(|it| *it != Refusal::NotInvited)
            .collect();
    if !refusals.is_empty() {
        return Err(AppError::Ineligible(refusals));
    }
    let note = note.trim();
    if note.chars().count() > 500 {
        return Err(AppError::Invalid(vec![FormProblem {
            field: "note",
            message: "keep the note to 500 characters".to_owned(),
        }]));
    }
    let invitation = Invitation {
        scheme: scheme.id,
        person: person.id,
        role,
        note: (!note.is_empty()).then(|| note.to_owned()),
        invited_by: actor.audit_label(),
        invited_at: now,
    };
    match tx.insert_invitation(&invitation).await {
        Err(tandem_store::StoreError::Conflict(message)) => {
            return Err(AppError::Conflict(message));
        }
        other => other?,
    }
    let link = format!(
        "{}/organisations/{}/schemes/{}/apply/{}",
        public_url.trim_end_matches('/'),
        owner.code,
        key,
        role.as_str()
    );
    tx.enqueue(&OutboxMessage {
        id: Uuid::now_v7(),
        key: format!("invitation.{}.{}.{}", scheme.id, person.id, role.as_str()),
        person: Some(person.id),
        recipient: person.record.email.to_string(),
        subject: format!("An invitation to {}", scheme.definition.name),
        body: format!(
            "Dear {},\n\nYou are invited to take part in {} as a {}.\n\n{}\n\n\
             If you would like to, apply here (it takes a few minutes):\n{link}\n\n\
             Tandem mentoring",
            person.record.first_name,
            scheme.definition.name,
            role.as_str(),
            scheme.definition.description.trim(),
        ),
        created_at: now,
        attempts: 0,
        attachment: None,
    })
    .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::InvitationSent,
        Some(scheme.organisation),
        "person",
        Some(person.id.0),
        serde_json::json!({ "scheme": key.as_ref(), "role": role.as_str() }),
    )])
    .await?;
    tx.commit().await?;
    Ok(person)
}

/// Taking a person off an invitation list, as its check page states it.
#[derive(Debug, Clone)]
pub struct InvitationWithdrawal {
    /// The scheme.
    pub scheme: Scheme,
    /// The person invited, and where their application stands if they applied.
    pub row: InvitationRow,
}

/// The invitation of `person` as `role` that the actor may withdraw, or why not: the one rule
/// the check page and [`withdraw`] follow.
async fn invitation_withdrawal_in(
    tx: &mut Tx,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
    person: PersonId,
    role: Role,
) -> Result<InvitationWithdrawal, AppError> {
    let scheme = managed_scheme(tx, actor, organisation, key).await?;
    let invitation = tx
        .invitations_of_scheme(scheme.id)
        .await?
        .into_iter()
        .find(|it| it.person == person && it.role == role)
        .ok_or_else(|| {
            AppError::NotFound("that person is not on the invitation list".to_owned())
        })?;
    let applied = tx
        .applications_of_person(person)
        .await?
        .into_iter()
        .filter(|it| it.scheme == scheme.id && it.role == role)
        .max_by_key(|it| it.submitted_at)
        .map(|it| it.status);
    let person = tx.person(person).await?;
    let row = row(tx, &mut HashMap::new(), invitation, person, applied).await?;
    Ok(InvitationWithdrawal { scheme, row })
}

/// An invitation's row, with who invited and the person's organisation in words.
async fn row(
    tx: &mut Tx,
    names: &mut HashMap<PersonId, String>,
    invitation: Invitation,
    person: ExistingPerson,
    applied: Option<ApplicationStatus>,
) -> Result<InvitationRow, AppError> {
    let invited_by = crate::audit_log::who(tx, names, &invitation.invited_by).await?;
    let organisation = tx
        .organisation_by_code(&person.record.organisation)
        .await?
        .map_or_else(|| person.record.organisation.to_string(), |it| it.name);
    Ok(InvitationRow {
        invitation,
        person,
        invited_by,
        organisation,
        applied,
    })
}

/// What withdrawing the invitation of `person` as `role` would do, or why it cannot be done.
pub async fn invitation_withdrawal(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
    person: PersonId,
    role: Role,
) -> Result<InvitationWithdrawal, AppError> {
    let mut tx = app.store.begin_read().await?;
    let withdrawal =
        invitation_withdrawal_in(&mut tx, actor, organisation, key, person, role).await?;
    tx.rollback().await?;
    // The page names the person and where their application stands: a read of the list.
    audit::record_read(
        app,
        [audit::entry(
            actor,
            app.clock.now(),
            AuditAction::InvitationsViewed,
            Some(withdrawal.scheme.organisation),
            "scheme",
            Some(withdrawal.scheme.id.0),
            serde_json::json!({ "scheme": key.as_ref() }),
        )],
    )
    .await?;
    Ok(withdrawal)
}

/// Takes a person off the invitation list. An application they already made stands; the
/// invitation is checked again at matching, so they will not be matched without it.
pub async fn withdraw(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
    person: PersonId,
    role: Role,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let withdrawal =
        invitation_withdrawal_in(&mut tx, actor, organisation, key, person, role).await?;
    tx.delete_invitation(withdrawal.scheme.id, person, role)
        .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::InvitationWithdrawn,
        Some(withdrawal.scheme.organisation),
        "person",
        Some(person.0),
        serde_json::json!({ "scheme": key.as_ref(), "role": role.as_str() }),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}
