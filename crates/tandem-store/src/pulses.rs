//! Pulse check-ins (R11.1): each member's answers, one per round. The comment is read out only
//! for its author, or for the coordinators when the author shared it; the queries for staff
//! leave it out otherwise.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use crate::error::corrupt;
use tandem_core::pulse::{Pulse, Score};
use tandem_core::{MatchId, PersonId, SchemeId};
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct PulseRow {
    id: Uuid,
    match_id: Uuid,
    person_id: Uuid,
    round: i64,
    score: i64,
    comment: String,
    shared: bool,
    answered_at: OffsetDateTime,
}

impl PulseRow {
    fn into_domain(self) -> Result<Pulse, StoreError> {
        let score = u8::try_from(self.score)
            .ok()
            .and_then(Score::new)
            .ok_or_else(|| corrupt("pulses.score", self.score.to_string()))?;
        Ok(Pulse {
            id: self.id,
            pair: MatchId(self.match_id),
            person: PersonId(self.person_id),
            round: u32::try_from(self.round)
                .map_err(|_| corrupt("pulses.round", self.round.to_string()))?,
            score,
            comment: self.comment,
            shared: self.shared,
            answered_at: self.answered_at,
        })
    }
}

/// The columns with the comment blanked unless its author shared it: what staff may read.
macro_rules! select_for_staff {
    () => {
        "SELECT id, match_id, person_id, round, score, \
         CASE WHEN shared THEN comment ELSE '' END AS comment, shared, answered_at FROM pulses"
    };
}

impl Tx {
    /// Records a member's answer; a `Conflict` when they answered that round already.
    pub async fn insert_pulse(&mut self, pulse: &Pulse) -> Result<(), StoreError> {
        let sql = "INSERT INTO pulses (id, match_id, person_id, round, score, comment, shared, answered_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(pulse.id)
            .bind(pulse.pair.0)
            .bind(pulse.person.0)
            .bind(i64::from(pulse.round))
            .bind(i64::from(pulse.score.get()))
            .bind(&pulse.comment)
            .bind(pulse.shared)
            .bind(pulse.answered_at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// A member's own answers in a relationship, comments included, by round.
    pub async fn own_pulses(
        &mut self,
        pair: MatchId,
        person: PersonId,
    ) -> Result<Vec<Pulse>, StoreError> {
        let sql = "SELECT id, match_id, person_id, round, score, comment, shared, answered_at \
                   FROM pulses WHERE match_id = $1 AND person_id = $2 ORDER BY round";
        let rows: Vec<PulseRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(pair.0)
            .bind(person.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(PulseRow::into_domain).collect()
    }

    /// A relationship's answers as its coordinators may read them: scores, and comments only
    /// where their authors shared them.
    pub async fn pulses_for_staff(&mut self, pair: MatchId) -> Result<Vec<Pulse>, StoreError> {
        let sql = concat!(
            select_for_staff!(),
            " WHERE match_id = $1 ORDER BY round, answered_at"
        );
        let rows: Vec<PulseRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(pair.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(PulseRow::into_domain).collect()
    }

    /// The answers in a scheme's live relationships as its coordinators may read them, for
    /// working out which are at risk.
    pub async fn pulses_in_scheme(&mut self, scheme: SchemeId) -> Result<Vec<Pulse>, StoreError> {
        let sql = concat!(
            select_for_staff!(),
            " WHERE match_id IN (SELECT id FROM matches WHERE scheme_id = $1 \
             AND status IN ('active', 'on_hold', 'closing')) ORDER BY match_id, round"
        );
        let rows: Vec<PulseRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(PulseRow::into_domain).collect()
    }
}
