//! Many rows of relationships' history in one statement each, for seeding an installation in bulk
//! (`tandem bench relationships`: 20,000 pairs and 400,000 meetings). The use cases write one row
//! at a time through `insert_match`, `insert_meeting` and `insert_review`; these write the same
//! columns, a batch per statement; likewise training records and check-in answers.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use sqlx::QueryBuilder;
use tandem_core::pairing::Match;
use tandem_core::pulse::Pulse;
use tandem_core::relationship::{Meeting, Review};
use tandem_core::training::TrainingRecord;
use time::OffsetDateTime;
use uuid::Uuid;

/// Rows per multi-row INSERT: 25 columns a match stays under SQLite's 32,766 bound parameters.
const SEED_BATCH: usize = 1_000;

impl Tx {
    /// Moves an application's submission and decision back to when a history says they
    /// happened (never later than they are), as a pair given a past would have applied.
    pub async fn backdate_application(
        &mut self,
        id: tandem_core::ApplicationId,
        submitted_at: OffsetDateTime,
        decided_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE applications SET \
                   submitted_at = CASE WHEN submitted_at > $2 THEN $2 ELSE submitted_at END, \
                   decided_at = CASE WHEN decided_at IS NULL OR decided_at < $3 THEN decided_at ELSE $3 END \
                   WHERE id = $1";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(id.0)
            .bind(submitted_at)
            .bind(decided_at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Adds many matches, as `insert_match` does one.
    pub async fn insert_matches(&mut self, pairs: &[Match]) -> Result<(), StoreError> {
        for batch in pairs.chunks(SEED_BATCH) {
            on_backend!(self, |conn| {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO matches (id, scheme_id, mentor_application_id, mentee_application_id, mentor_id, \
                     mentee_id, status, source, score, explanation, proposed_by, proposed_at, decided_by, decided_at, \
                     reason, version, confirmed_at, mentor_went_on_at, mentee_went_on_at, started_on, ends_on, \
                     hold_reason, held_since, closing_started_at, closed_at) ",
                );
                insert.push_values(batch, |mut row, pair| {
                    row.push_bind(pair.id.0)
                        .push_bind(pair.scheme.0)
                        .push_bind(pair.mentor_application.0)
                        .push_bind(pair.mentee_application.0)
                        .push_bind(pair.mentor.0)
                        .push_bind(pair.mentee.0)
                        .push_bind(pair.status.as_str())
                        .push_bind(pair.source.as_str())
                        .push_bind(pair.score)
                        .push_bind(pair.explanation.as_str())
                        .push_bind(pair.proposed_by.as_str())
                        .push_bind(pair.proposed_at)
                        .push_bind(pair.decided_by.as_deref())
                        .push_bind(pair.decided_at)
                        .push_bind(pair.reason.as_deref())
                        .push_bind(pair.version)
                        .push_bind(pair.life.confirmed_at)
                        .push_bind(pair.life.mentor_went_on_at)
                        .push_bind(pair.life.mentee_went_on_at)
                        .push_bind(pair.life.started_on)
                        .push_bind(pair.life.ends_on)
                        .push_bind(pair.life.hold.map(|it| it.reason.as_str()))
                        .push_bind(pair.life.hold.map(|it| it.since))
                        .push_bind(pair.life.closing_started_at)
                        .push_bind(pair.life.closed_at);
                });
                insert
                    .build()
                    .execute(&mut *conn)
                    .await
                    .map(|done| done.rows_affected())
            })?;
        }
        Ok(())
    }

    /// Adds many meetings, as `insert_meeting` does one.
    pub async fn insert_meetings(&mut self, meetings: &[Meeting]) -> Result<(), StoreError> {
        for batch in meetings.chunks(SEED_BATCH) {
            on_backend!(self, |conn| {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO meetings (id, match_id, kind, status, starts_at, minutes, mode, place, arranged_by, \
                     sequence, created_at, updated_at, version) ",
                );
                insert.push_values(batch, |mut row, meeting| {
                    row.push_bind(meeting.id)
                        .push_bind(meeting.pair.0)
                        .push_bind(meeting.kind.as_str())
                        .push_bind(meeting.status.as_str())
                        .push_bind(meeting.starts_at)
                        .push_bind(i64::from(meeting.minutes))
                        .push_bind(meeting.mode.as_str())
                        .push_bind(meeting.place.as_deref())
                        .push_bind(meeting.arranged_by.as_str())
                        .push_bind(i64::from(meeting.sequence))
                        .push_bind(meeting.created_at)
                        .push_bind(meeting.updated_at)
                        .push_bind(meeting.version);
                });
                insert
                    .build()
                    .execute(&mut *conn)
                    .await
                    .map(|done| done.rows_affected())
            })?;
        }
        Ok(())
    }

    /// Adds many reviews, as `insert_review` does one.
    pub async fn insert_reviews(&mut self, reviews: &[Review]) -> Result<(), StoreError> {
        for batch in reviews.chunks(SEED_BATCH) {
            on_backend!(self, |conn| {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO relationship_reviews (id, match_id, kind, author_id, at_meeting, achieved, \
                     next_steps, created_at) ",
                );
                insert.push_values(batch, |mut row, review| {
                    row.push_bind(review.id)
                        .push_bind(review.pair.0)
                        .push_bind(review.kind.as_str())
                        .push_bind(review.author.0)
                        .push_bind(i64::from(review.at_meeting))
                        .push_bind(review.achieved.as_str())
                        .push_bind(review.next_steps.as_str())
                        .push_bind(review.created_at);
                });
                insert
                    .build()
                    .execute(&mut *conn)
                    .await
                    .map(|done| done.rows_affected())
            })?;
        }
        Ok(())
    }

    /// Adds many completed trainings, as `insert_training_record` does one.
    pub async fn insert_training_records(
        &mut self,
        records: &[TrainingRecord],
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        for batch in records.chunks(SEED_BATCH) {
            on_backend!(self, |conn| {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO training_records (id, person_id, training, completed_on, workshop_id, \
                     recorded_by, recorded_at) ",
                );
                insert.push_values(batch, |mut row, record| {
                    row.push_bind(Uuid::now_v7())
                        .push_bind(record.person.0)
                        .push_bind(record.training.as_str())
                        .push_bind(record.completed_on)
                        .push_bind(record.workshop.map(|it| it.0))
                        .push_bind(record.recorded_by.as_str())
                        .push_bind(now);
                });
                insert
                    .build()
                    .execute(&mut *conn)
                    .await
                    .map(|done| done.rows_affected())
            })?;
        }
        Ok(())
    }

    /// Adds many check-in answers, as `insert_pulse` does one.
    pub async fn insert_pulses(&mut self, pulses: &[Pulse]) -> Result<(), StoreError> {
        for batch in pulses.chunks(SEED_BATCH) {
            on_backend!(self, |conn| {
                let mut insert = QueryBuilder::new(
                    "INSERT INTO pulses (id, match_id, person_id, round, score, comment, shared, answered_at) ",
                );
                insert.push_values(batch, |mut row, pulse| {
                    row.push_bind(pulse.id)
                        .push_bind(pulse.pair.0)
                        .push_bind(pulse.person.0)
                        .push_bind(i64::from(pulse.round))
                        .push_bind(i64::from(pulse.score.get()))
                        .push_bind(pulse.comment.as_str())
                        .push_bind(pulse.shared)
                        .push_bind(pulse.answered_at);
                });
                insert
                    .build()
                    .execute(&mut *conn)
                    .await
                    .map(|done| done.rows_affected())
            })?;
        }
        Ok(())
    }
}
