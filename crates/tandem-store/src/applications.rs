//! Applications: what each applicant said, where the application stands and who decided it.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use crate::error::corrupt;
use tandem_core::application::{Answers, Application, ApplicationStatus};
use tandem_core::eligibility::Role;
use tandem_core::{ApplicationId, PersonId, SchemeId};
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct ApplicationRow {
    id: Uuid,
    scheme_id: Uuid,
    person_id: Uuid,
    role: String,
    status: String,
    summary: String,
    topics: String,
    capacity: Option<i32>,
    location: Option<String>,
    will_travel: bool,
    remote_ok: bool,
    availability: String,
    preferred_mentor_email: Option<String>,
    confidential: bool,
    approver_id: Option<Uuid>,
    decided_by: Option<String>,
    decision_reason: Option<String>,
    decided_at: Option<OffsetDateTime>,
    statement_signed_at: Option<OffsetDateTime>,
    agreement_signed_at: Option<OffsetDateTime>,
    ethics_acknowledged_at: Option<OffsetDateTime>,
    priority: i32,
    submitted_at: OffsetDateTime,
    version: i64,
}

fn split(text: &str, separator: char) -> Vec<String> {
    text.split(separator)
        .filter(|part| !part.is_empty())
        .map(str::to_owned)
        .collect()
}

impl ApplicationRow {
    fn into_domain(self) -> Result<Application, StoreError> {
        Ok(Application {
            id: ApplicationId(self.id),
            scheme: SchemeId(self.scheme_id),
            person: PersonId(self.person_id),
            role: Role::parse(&self.role)
                .ok_or_else(|| corrupt("applications.role", &self.role))?,
            status: ApplicationStatus::parse(&self.status)
                .ok_or_else(|| corrupt("applications.status", &self.status))?,
            answers: Answers {
                summary: self.summary,
                topics: split(&self.topics, '\n'),
                capacity: self
                    .capacity
                    .map(u32::try_from)
                    .transpose()
                    .map_err(|err| corrupt("applications.capacity", err))?,
                location: self.location,
                will_travel: self.will_travel,
                remote_ok: self.remote_ok,
                availability: split(&self.availability, ','),
                preferred_mentor_email: self.preferred_mentor_email,
            },
            confidential: self.confidential,
            approver: self.approver_id.map(PersonId),
            decided_by: self.decided_by,
            decision_reason: self.decision_reason,
            decided_at: self.decided_at,
            statement_signed_at: self.statement_signed_at,
            agreement_signed_at: self.agreement_signed_at,
            ethics_acknowledged_at: self.ethics_acknowledged_at,
            priority: self.priority,
            submitted_at: self.submitted_at,
            version: self.version,
        })
    }
}

macro_rules! select_applications {
    () => {
        "SELECT id, scheme_id, person_id, role, status, summary, topics, capacity, location, will_travel, \
         remote_ok, availability, preferred_mentor_email, confidential, approver_id, decided_by, \
         decision_reason, decided_at, statement_signed_at, agreement_signed_at, ethics_acknowledged_at, \
         priority, submitted_at, version FROM applications"
    };
}

/// A decision on an application, as written.
#[derive(Debug, Clone, Copy)]
pub struct Decision<'a> {
    /// The status it moves to.
    pub status: ApplicationStatus,
    /// Who decided (audit label).
    pub decided_by: &'a str,
    /// The reason given, if any.
    pub reason: Option<&'a str>,
}

impl Tx {
    /// Adds an application. A live application by the same person, for the same scheme and
    /// role, is a [`StoreError::Conflict`], even when two arrive at once.
    pub async fn insert_application(
        &mut self,
        application: &Application,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO applications (id, scheme_id, person_id, role, status, summary, topics, capacity, \
                   location, will_travel, remote_ok, availability, preferred_mentor_email, confidential, approver_id, \
                   decided_by, decision_reason, decided_at, statement_signed_at, agreement_signed_at, \
                   ethics_acknowledged_at, priority, submitted_at, updated_at, version) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, \
                   $20, $21, $22, $23, $23, $24)";
        let answers = &application.answers;
        let capacity = answers
            .capacity
            .map(i32::try_from)
            .transpose()
            .map_err(|err| StoreError::Conflict(format!("capacity is too large: {err}")))?;
        let result = on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(application.id.0)
                .bind(application.scheme.0)
                .bind(application.person.0)
                .bind(application.role.as_str())
                .bind(application.status.as_str())
                .bind(&answers.summary)
                .bind(answers.topics.join("\n"))
                .bind(capacity)
                .bind(answers.location.as_deref())
                .bind(answers.will_travel)
                .bind(answers.remote_ok)
                .bind(answers.availability.join(","))
                .bind(answers.preferred_mentor_email.as_deref())
                .bind(application.confidential)
                .bind(application.approver.map(|it| it.0))
                .bind(application.decided_by.as_deref())
                .bind(application.decision_reason.as_deref())
                .bind(application.decided_at)
                .bind(application.statement_signed_at)
                .bind(application.agreement_signed_at)
                .bind(application.ethics_acknowledged_at)
                .bind(application.priority)
                .bind(application.submitted_at)
                .bind(application.version)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        });
        match result.map_err(StoreError::from) {
            Err(StoreError::Conflict(_)) => Err(StoreError::Conflict(format!(
                "there is already a live application to be a {} in this scheme",
                application.role.as_str()
            ))),
            other => other.map(|_| ()),
        }
    }

    /// One application.
    pub async fn application(
        &mut self,
        id: ApplicationId,
    ) -> Result<Option<Application>, StoreError> {
        let sql = concat!(select_applications!(), " WHERE id = $1");
        let row: Option<ApplicationRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(id.0)
            .fetch_optional(conn)
            .await)?;
        row.map(ApplicationRow::into_domain).transpose()
    }

    /// Every application a person made, newest first.
    pub async fn applications_of_person(
        &mut self,
        person: PersonId,
    ) -> Result<Vec<Application>, StoreError> {
        let sql = concat!(
            select_applications!(),
            " WHERE person_id = $1 ORDER BY submitted_at DESC, id DESC"
        );
        let rows: Vec<ApplicationRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(person.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(ApplicationRow::into_domain).collect()
    }

    /// The applications sent to a line manager that still wait for them, oldest first.
    pub async fn applications_awaiting_manager(
        &mut self,
        manager: PersonId,
    ) -> Result<Vec<Application>, StoreError> {
        let sql = concat!(
            select_applications!(),
            " WHERE approver_id = $1 AND status = 'awaiting_manager' ORDER BY submitted_at, id"
        );
        let rows: Vec<ApplicationRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(manager.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(ApplicationRow::into_domain).collect()
    }

    /// Every application to a scheme, oldest first.
    pub async fn applications_to_scheme(
        &mut self,
        scheme: SchemeId,
    ) -> Result<Vec<Application>, StoreError> {
        let sql = concat!(
            select_applications!(),
            " WHERE scheme_id = $1 ORDER BY submitted_at, id"
        );
        let rows: Vec<ApplicationRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(ApplicationRow::into_domain).collect()
    }

    /// A scheme's waiting list: its approved mentees (not yet matched), oldest first.
    pub async fn waiting_mentees(
        &mut self,
        scheme: SchemeId,
    ) -> Result<Vec<Application>, StoreError> {
        let sql = concat!(
            select_applications!(),
            " WHERE scheme_id = $1 AND role = 'mentee' AND status = 'approved' ORDER BY submitted_at, id"
        );
        let rows: Vec<ApplicationRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(ApplicationRow::into_domain).collect()
    }

    /// Every live application to another scheme of everyone who applied to `scheme`: what the
    /// matching re-check needs to see who already takes part elsewhere.
    pub async fn live_applications_elsewhere_of_applicants(
        &mut self,
        scheme: SchemeId,
    ) -> Result<Vec<Application>, StoreError> {
        let sql = concat!(
            select_applications!(),
            " WHERE status IN ('awaiting_manager', 'awaiting_coordinator', 'approved', 'matched') \
             AND scheme_id <> $1 \
             AND person_id IN (SELECT person_id FROM applications WHERE scheme_id = $1)"
        );
        let rows: Vec<ApplicationRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(ApplicationRow::into_domain).collect()
    }

    /// Records a decision (or a withdrawal) if the application is still at `expected_version`;
    /// someone else's change in between is a [`StoreError::Conflict`].
    pub async fn decide_application(
        &mut self,
        id: ApplicationId,
        expected_version: i64,
        decision: Decision<'_>,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE applications SET status = $3, decided_by = $4, decision_reason = $5, decided_at = $6, \
                   updated_at = $6, version = version + 1 WHERE id = $1 AND version = $2";
        let done = on_backend!(self, |conn| {
            sqlx::query(sql)
                .bind(id.0)
                .bind(expected_version)
                .bind(decision.status.as_str())
                .bind(decision.decided_by)
                .bind(decision.reason)
                .bind(now)
                .execute(conn)
                .await
                .map(|done| done.rows_affected())
        })?;
        if done == 0 {
            return Err(StoreError::Conflict(
                "the application was changed by someone else since it was opened; reload it"
                    .to_owned(),
            ));
        }
        Ok(())
    }

    /// Records that the applicant acknowledged the ethics statement (kept if already recorded).
    pub async fn acknowledge_ethics(
        &mut self,
        id: ApplicationId,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE applications SET ethics_acknowledged_at = COALESCE(ethics_acknowledged_at, $2), \
                   updated_at = $2, version = version + 1 WHERE id = $1";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(id.0)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Sets an application's place in the waiting-list order (higher first).
    pub async fn set_application_priority(
        &mut self,
        id: ApplicationId,
        priority: i32,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE applications SET priority = $2, updated_at = $3, version = version + 1 WHERE id = $1";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(id.0)
            .bind(priority)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }
}

impl Tx {
    /// Where each of a scheme's waiting mentees was last told they stand.
    pub async fn waiting_positions(
        &mut self,
        scheme: SchemeId,
    ) -> Result<Vec<(ApplicationId, i64)>, StoreError> {
        let sql = "SELECT w.application_id, w.position FROM waiting_positions w \
                   JOIN applications a ON a.id = w.application_id WHERE a.scheme_id = $1";
        let rows: Vec<(Uuid, i64)> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .fetch_all(conn)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|(id, position)| (ApplicationId(id), position))
            .collect())
    }

    /// Records where a waiting mentee now stands, as last told.
    pub async fn set_waiting_position(
        &mut self,
        application: ApplicationId,
        position: i64,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO waiting_positions (application_id, position, updated_at) VALUES ($1, $2, $3) \
                   ON CONFLICT (application_id) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(application.0)
            .bind(position)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }
}
