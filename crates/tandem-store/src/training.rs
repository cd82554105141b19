//! Training: workshops, their bookings and waiting lists, and completed training.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use crate::error::corrupt;
use tandem_core::training::{Booking, BookingStatus, TrainingRecord, Workshop, WorkshopPurpose};
use tandem_core::{BookingId, PersonId, SchemeId, WorkshopId};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct WorkshopRow {
    id: Uuid,
    scheme_id: Uuid,
    training: String,
    purpose: String,
    title: String,
    starts_at: OffsetDateTime,
    location: String,
    capacity: i32,
    joint: bool,
    cancelled: bool,
}

impl WorkshopRow {
    fn into_domain(self) -> Result<Workshop, StoreError> {
        Ok(Workshop {
            id: WorkshopId(self.id),
            scheme: SchemeId(self.scheme_id),
            training: self.training,
            purpose: WorkshopPurpose::parse(&self.purpose)
                .ok_or_else(|| corrupt("workshops.purpose", &self.purpose))?,
            title: self.title,
            starts_at: self.starts_at,
            location: self.location,
            capacity: u32::try_from(self.capacity)
                .map_err(|err| corrupt("workshops.capacity", err))?,
            joint: self.joint,
            cancelled: self.cancelled,
        })
    }
}

#[derive(sqlx::FromRow)]
struct BookingRow {
    id: Uuid,
    workshop_id: Uuid,
    person_id: Uuid,
    status: String,
    priority: i32,
    requested_at: OffsetDateTime,
    partner_id: Option<Uuid>,
}

impl BookingRow {
    fn into_domain(self) -> Result<Booking, StoreError> {
        Ok(Booking {
            id: BookingId(self.id),
            workshop: WorkshopId(self.workshop_id),
            person: PersonId(self.person_id),
            status: BookingStatus::parse(&self.status)
                .ok_or_else(|| corrupt("workshop_bookings.status", &self.status))?,
            priority: self.priority,
            requested_at: self.requested_at,
            partner: self.partner_id.map(PersonId),
        })
    }
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    person_id: Uuid,
    training: String,
    completed_on: Date,
    workshop_id: Option<Uuid>,
    recorded_by: String,
}

impl From<RecordRow> for TrainingRecord {
    fn from(row: RecordRow) -> Self {
        Self {
            person: PersonId(row.person_id),
            training: row.training,
            completed_on: row.completed_on,
            workshop: row.workshop_id.map(WorkshopId),
            recorded_by: row.recorded_by,
        }
    }
}

macro_rules! select_workshops {
    () => {
        "SELECT id, scheme_id, training, purpose, title, starts_at, location, capacity, joint, cancelled FROM workshops"
    };
}

macro_rules! select_bookings {
    () => {
        "SELECT id, workshop_id, person_id, status, priority, requested_at, partner_id FROM workshop_bookings"
    };
}

impl Tx {
    /// Adds a workshop.
    pub async fn insert_workshop(
        &mut self,
        workshop: &Workshop,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO workshops (id, scheme_id, training, title, starts_at, location, capacity, joint, \
                   cancelled, created_at, purpose, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1)";
        let capacity = i32::try_from(workshop.capacity)
            .map_err(|err| StoreError::Conflict(format!("too many places: {err}")))?;
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(workshop.id.0)
            .bind(workshop.scheme.0)
            .bind(&workshop.training)
            .bind(&workshop.title)
            .bind(workshop.starts_at)
            .bind(&workshop.location)
            .bind(capacity)
            .bind(workshop.joint)
            .bind(workshop.cancelled)
            .bind(now)
            .bind(workshop.purpose.as_str())
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// A scheme's workshops, soonest first.
    pub async fn workshops_of_scheme(
        &mut self,
        scheme: SchemeId,
    ) -> Result<Vec<Workshop>, StoreError> {
        let sql = concat!(
            select_workshops!(),
            " WHERE scheme_id = $1 ORDER BY starts_at, id"
        );
        let rows: Vec<WorkshopRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(WorkshopRow::into_domain).collect()
    }

    /// Takes a workshop for changing its places: until this transaction ends, nobody else can
    /// book, cancel or promote at it, so its places cannot be over-filled by two at once.
    pub async fn lock_workshop(&mut self, id: WorkshopId) -> Result<Workshop, StoreError> {
        let bump = "UPDATE workshops SET version = version + 1 WHERE id = $1";
        let done = on_backend!(self, |conn| sqlx::query(bump)
            .bind(id.0)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        if done == 0 {
            return Err(StoreError::NotFound("there is no such workshop".to_owned()));
        }
        let sql = concat!(select_workshops!(), " WHERE id = $1");
        let row: WorkshopRow = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(id.0)
            .fetch_one(conn)
            .await)?;
        row.into_domain()
    }

    /// One workshop, for reading.
    pub async fn workshop(&mut self, id: WorkshopId) -> Result<Option<Workshop>, StoreError> {
        let sql = concat!(select_workshops!(), " WHERE id = $1");
        let row: Option<WorkshopRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(id.0)
            .fetch_optional(conn)
            .await)?;
        row.map(WorkshopRow::into_domain).transpose()
    }

    /// Marks a workshop cancelled.
    pub async fn cancel_workshop(&mut self, id: WorkshopId) -> Result<(), StoreError> {
        let sql = "UPDATE workshops SET cancelled = $2 WHERE id = $1";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(id.0)
            .bind(true)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Every booking at a workshop, in the order they were asked for.
    pub async fn bookings_of_workshop(
        &mut self,
        workshop: WorkshopId,
    ) -> Result<Vec<Booking>, StoreError> {
        let sql = concat!(
            select_bookings!(),
            " WHERE workshop_id = $1 ORDER BY requested_at, id"
        );
        let rows: Vec<BookingRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(workshop.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(BookingRow::into_domain).collect()
    }

    /// Every booking a person has, newest first.
    pub async fn bookings_of_person(
        &mut self,
        person: PersonId,
    ) -> Result<Vec<Booking>, StoreError> {
        let sql = concat!(
            select_bookings!(),
            " WHERE person_id = $1 ORDER BY requested_at DESC, id DESC"
        );
        let rows: Vec<BookingRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(person.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(BookingRow::into_domain).collect()
    }

    /// One booking.
    pub async fn booking(&mut self, id: BookingId) -> Result<Option<Booking>, StoreError> {
        let sql = concat!(select_bookings!(), " WHERE id = $1");
        let row: Option<BookingRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(id.0)
            .fetch_optional(conn)
            .await)?;
        row.map(BookingRow::into_domain).transpose()
    }

    /// Adds a booking. A person already booked or waiting at the workshop is a conflict.
    pub async fn insert_booking(&mut self, booking: &Booking) -> Result<(), StoreError> {
        let sql = "INSERT INTO workshop_bookings (id, workshop_id, person_id, status, priority, requested_at, \
                   partner_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $6)";
        let result = on_backend!(self, |conn| sqlx::query(sql)
            .bind(booking.id.0)
            .bind(booking.workshop.0)
            .bind(booking.person.0)
            .bind(booking.status.as_str())
            .bind(booking.priority)
            .bind(booking.requested_at)
            .bind(booking.partner.map(|it| it.0))
            .execute(conn)
            .await
            .map(|done| done.rows_affected()));
        match result.map_err(StoreError::from) {
            Err(StoreError::Conflict(_)) => Err(StoreError::Conflict(
                "the person already has a place, or is on the waiting list, at this workshop"
                    .to_owned(),
            )),
            other => other.map(|_| ()),
        }
    }

    /// Moves a booking to `status`.
    pub async fn set_booking_status(
        &mut self,
        id: BookingId,
        status: BookingStatus,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE workshop_bookings SET status = $2, updated_at = $3 WHERE id = $1";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(id.0)
            .bind(status.as_str())
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Sets a booking's waiting-list priority (higher first).
    pub async fn set_booking_priority(
        &mut self,
        id: BookingId,
        priority: i32,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE workshop_bookings SET priority = $2, updated_at = $3 WHERE id = $1";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(id.0)
            .bind(priority)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Records completed training.
    pub async fn insert_training_record(
        &mut self,
        record: &TrainingRecord,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO training_records (id, person_id, training, completed_on, workshop_id, recorded_by, \
                   recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(Uuid::now_v7())
            .bind(record.person.0)
            .bind(&record.training)
            .bind(record.completed_on)
            .bind(record.workshop.map(|it| it.0))
            .bind(&record.recorded_by)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// A person's completed training, most recent first.
    pub async fn training_records_of(
        &mut self,
        person: PersonId,
    ) -> Result<Vec<TrainingRecord>, StoreError> {
        let sql = "SELECT person_id, training, completed_on, workshop_id, recorded_by FROM training_records \
                   WHERE person_id = $1 ORDER BY completed_on DESC, recorded_at DESC";
        let rows: Vec<RecordRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(person.0)
            .fetch_all(conn)
            .await)?;
        Ok(rows.into_iter().map(TrainingRecord::from).collect())
    }

    /// Everyone who completed `training` on or before `on`, with their latest completion.
    pub async fn training_completions(
        &mut self,
        training: &str,
        on: Date,
    ) -> Result<Vec<(PersonId, Date)>, StoreError> {
        let sql = "SELECT person_id, MAX(completed_on) FROM training_records \
                   WHERE training = $1 AND completed_on <= $2 GROUP BY person_id";
        let rows: Vec<(Uuid, Date)> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(training)
            .bind(on)
            .fetch_all(conn)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|(person, on)| (PersonId(person), on))
            .collect())
    }
}

impl Tx {
    /// For refreshers (R4.3): everyone approved or matched in a scheme in `role`, with the last
    /// day they completed `training`, as (person, last completion); people who never completed
    /// it are left out (they are not yet trained, which matching already says).
    pub async fn last_completions_in_scheme(
        &mut self,
        scheme: SchemeId,
        role: &str,
        training: &str,
    ) -> Result<Vec<(PersonId, Date)>, StoreError> {
        let sql = "SELECT a.person_id, MAX(t.completed_on) FROM applications a \
                   JOIN training_records t ON t.person_id = a.person_id AND t.training = $3 \
                   JOIN people p ON p.id = a.person_id AND p.employment_status = 'serving' \
                   WHERE a.scheme_id = $1 AND a.role = $2 AND a.status IN ('approved', 'matched') \
                   GROUP BY a.person_id ORDER BY a.person_id";
        let rows: Vec<(Uuid, Date)> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .bind(role)
            .bind(training)
            .fetch_all(conn)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|(person, on)| (PersonId(person), on))
            .collect())
    }
}

impl Tx {
    /// For mentor support groups (R4.3): when the scheme's earliest relationship still running
    /// (introductory, active, on hold or closing) was confirmed, if any is.
    pub async fn mentoring_since(
        &mut self,
        scheme: SchemeId,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        let sql = "SELECT MIN(confirmed_at) FROM matches WHERE scheme_id = $1 \
                   AND status IN ('introductory', 'active', 'on_hold', 'closing')";
        let row: (Option<OffsetDateTime>,) = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .fetch_one(conn)
            .await)?;
        Ok(row.0)
    }

    /// The mentors a support group is for: serving people matched, or approved to be matched,
    /// as mentors in the scheme.
    pub async fn mentors_of_scheme(
        &mut self,
        scheme: SchemeId,
    ) -> Result<Vec<PersonId>, StoreError> {
        let sql = "SELECT DISTINCT a.person_id FROM applications a \
                   JOIN people p ON p.id = a.person_id AND p.employment_status = 'serving' \
                   WHERE a.scheme_id = $1 AND a.role = 'mentor' AND a.status IN ('approved', 'matched') \
                   ORDER BY a.person_id";
        let rows: Vec<(Uuid,)> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .fetch_all(conn)
            .await)?;
        Ok(rows.into_iter().map(|(it,)| PersonId(it)).collect())
    }
}
