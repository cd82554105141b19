//! Invitation lists of schemes by invitation, and the appeals sent for mentors.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use crate::error::corrupt;
use tandem_core::application::{Invitation, MentorAppeal};
use tandem_core::eligibility::Role;
use tandem_core::{PersonId, SchemeId};
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct InvitationRow {
    scheme_id: Uuid,
    person_id: Uuid,
    role: String,
    note: Option<String>,
    invited_by: String,
    invited_at: OffsetDateTime,
}

impl InvitationRow {
    fn into_domain(self) -> Result<Invitation, StoreError> {
        Ok(Invitation {
            scheme: SchemeId(self.scheme_id),
            person: PersonId(self.person_id),
            role: Role::parse(&self.role).ok_or_else(|| corrupt("invitations.role", &self.role))?,
            note: self.note,
            invited_by: self.invited_by,
            invited_at: self.invited_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct AppealRow {
    scheme_id: Uuid,
    rank_band: String,
    message: String,
    recipients: i32,
    sent_by: String,
    sent_at: OffsetDateTime,
}

impl AppealRow {
    fn into_domain(self) -> Result<MentorAppeal, StoreError> {
        Ok(MentorAppeal {
            scheme: SchemeId(self.scheme_id),
            rank_band: self.rank_band,
            message: self.message,
            recipients: u32::try_from(self.recipients)
                .map_err(|err| corrupt("mentor_appeals.recipients", err))?,
            sent_by: self.sent_by,
            sent_at: self.sent_at,
        })
    }
}

impl Tx {
    /// Puts a person on a scheme's invitation list for a role; inviting them twice is a
    /// [`StoreError::Conflict`].
    pub async fn insert_invitation(&mut self, invitation: &Invitation) -> Result<(), StoreError> {
        let sql = "INSERT INTO invitations (id, scheme_id, person_id, role, note, invited_by, invited_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7)";
        let result = on_backend!(self, |conn| sqlx::query(sql)
            .bind(Uuid::now_v7())
            .bind(invitation.scheme.0)
            .bind(invitation.person.0)
            .bind(invitation.role.as_str())
            .bind(invitation.note.as_deref())
            .bind(&invitation.invited_by)
            .bind(invitation.invited_at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()));
        match result.map_err(StoreError::from) {
            Err(StoreError::Conflict(_)) => Err(StoreError::Conflict(format!(
                "they are already invited to be a {} in this scheme",
                invitation.role.as_str()
            ))),
            other => other.map(|_| ()),
        }
    }

    /// Takes a person off a scheme's invitation list; false when they were not on it.
    pub async fn delete_invitation(
        &mut self,
        scheme: SchemeId,
        person: PersonId,
        role: Role,
    ) -> Result<bool, StoreError> {
        let sql = "DELETE FROM invitations WHERE scheme_id = $1 AND person_id = $2 AND role = $3";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(scheme.0)
            .bind(person.0)
            .bind(role.as_str())
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(done > 0)
    }

    /// A scheme's invitation list, the latest first.
    pub async fn invitations_of_scheme(
        &mut self,
        scheme: SchemeId,
    ) -> Result<Vec<Invitation>, StoreError> {
        let sql = "SELECT scheme_id, person_id, role, note, invited_by, invited_at FROM invitations \
                   WHERE scheme_id = $1 ORDER BY invited_at DESC, id DESC";
        let rows: Vec<InvitationRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(InvitationRow::into_domain).collect()
    }

    /// Whether a person is on a scheme's invitation list for a role.
    pub async fn is_invited(
        &mut self,
        scheme: SchemeId,
        person: PersonId,
        role: Role,
    ) -> Result<bool, StoreError> {
        let sql = "SELECT COUNT(*) FROM invitations WHERE scheme_id = $1 AND person_id = $2 AND role = $3";
        let count: i64 = on_backend!(self, |conn| sqlx::query_scalar(sql)
            .bind(scheme.0)
            .bind(person.0)
            .bind(role.as_str())
            .fetch_one(conn)
            .await)?;
        Ok(count > 0)
    }

    /// Records an appeal for mentors.
    pub async fn insert_mentor_appeal(&mut self, appeal: &MentorAppeal) -> Result<(), StoreError> {
        let sql = "INSERT INTO mentor_appeals (id, scheme_id, rank_band, message, recipients, sent_by, sent_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7)";
        let recipients = i32::try_from(appeal.recipients)
            .map_err(|err| StoreError::Conflict(format!("too many recipients: {err}")))?;
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(Uuid::now_v7())
            .bind(appeal.scheme.0)
            .bind(&appeal.rank_band)
            .bind(&appeal.message)
            .bind(recipients)
            .bind(&appeal.sent_by)
            .bind(appeal.sent_at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// A scheme's appeals for mentors, the latest first.
    pub async fn mentor_appeals_of_scheme(
        &mut self,
        scheme: SchemeId,
    ) -> Result<Vec<MentorAppeal>, StoreError> {
        let sql = "SELECT scheme_id, rank_band, message, recipients, sent_by, sent_at FROM mentor_appeals \
                   WHERE scheme_id = $1 ORDER BY sent_at DESC, id DESC";
        let rows: Vec<AppealRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(AppealRow::into_domain).collect()
    }
}
