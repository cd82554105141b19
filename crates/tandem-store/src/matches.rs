//! Matches: pairs proposed, requested, confirmed, declined or ended; pins and forbids; bulk runs.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use crate::error::corrupt;
use tandem_core::pairing::{
    ConstraintKind, Hold, Lifecycle, Match, MatchSource, MatchStatus, PairConstraint,
};
use tandem_core::relationship::HoldReason;
use tandem_core::{ApplicationId, MatchId, PersonId, SchemeId};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
pub(crate) struct MatchRow {
    id: Uuid,
    scheme_id: Uuid,
    mentor_application_id: Uuid,
    mentee_application_id: Uuid,
    mentor_id: Uuid,
    mentee_id: Uuid,
    status: String,
    source: String,
    score: Option<i32>,
    explanation: String,
    proposed_by: String,
    proposed_at: OffsetDateTime,
    decided_by: Option<String>,
    decided_at: Option<OffsetDateTime>,
    reason: Option<String>,
    version: i64,
    confirmed_at: Option<OffsetDateTime>,
    mentor_went_on_at: Option<OffsetDateTime>,
    mentee_went_on_at: Option<OffsetDateTime>,
    started_on: Option<Date>,
    ends_on: Option<Date>,
    hold_reason: Option<String>,
    held_since: Option<OffsetDateTime>,
    closing_started_at: Option<OffsetDateTime>,
    closed_at: Option<OffsetDateTime>,
}

impl MatchRow {
    pub(crate) fn into_domain(self) -> Result<Match, StoreError> {
        Ok(Match {
            id: MatchId(self.id),
            scheme: SchemeId(self.scheme_id),
            mentor_application: ApplicationId(self.mentor_application_id),
            mentee_application: ApplicationId(self.mentee_application_id),
            mentor: PersonId(self.mentor_id),
            mentee: PersonId(self.mentee_id),
            status: MatchStatus::parse(&self.status)
                .ok_or_else(|| corrupt("matches.status", &self.status))?,
            source: MatchSource::parse(&self.source)
                .ok_or_else(|| corrupt("matches.source", &self.source))?,
            score: self.score,
            explanation: self.explanation,
            proposed_by: self.proposed_by,
            proposed_at: self.proposed_at,
            decided_by: self.decided_by,
            decided_at: self.decided_at,
            reason: self.reason,
            version: self.version,
            life: Lifecycle {
                confirmed_at: self.confirmed_at,
                mentor_went_on_at: self.mentor_went_on_at,
                mentee_went_on_at: self.mentee_went_on_at,
                started_on: self.started_on,
                ends_on: self.ends_on,
                hold: match (self.hold_reason, self.held_since) {
                    (Some(reason), Some(since)) => Some(Hold {
                        reason: HoldReason::parse(&reason)
                            .ok_or_else(|| corrupt("matches.hold_reason", &reason))?,
                        since,
                    }),
                    _ => None,
                },
                closing_started_at: self.closing_started_at,
                closed_at: self.closed_at,
            },
        })
    }
}

/// A match's columns, as `MatchRow` reads them.
macro_rules! match_columns {
    () => {
        "id, scheme_id, mentor_application_id, mentee_application_id, mentor_id, mentee_id, status, source, \
         score, explanation, proposed_by, proposed_at, decided_by, decided_at, reason, version, confirmed_at, \
         mentor_went_on_at, mentee_went_on_at, started_on, ends_on, hold_reason, held_since, closing_started_at, \
         closed_at"
    };
}
pub(crate) use match_columns;

macro_rules! select_matches {
    () => {
        concat!(
            "SELECT ",
            $crate::matches::match_columns!(),
            " FROM matches"
        )
    };
}
pub(crate) use select_matches;

/// One bulk proposal, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchRun {
    /// Its id.
    pub id: Uuid,
    /// The scheme.
    pub scheme: SchemeId,
    /// The division whose mentees it covered; `None` for the whole scheme.
    pub division: Option<String>,
    /// Who ran it (audit label).
    pub run_by: String,
    /// When.
    pub run_at: OffsetDateTime,
    /// Mentees in the cohort.
    pub mentees: i64,
    /// Mentors with free places in the cohort.
    pub mentors: i64,
    /// Pairs proposed.
    pub matched: i64,
    /// Their total score.
    pub total_score: i64,
    /// Each unmatched mentee's application and the reason.
    pub unmatched: Vec<(ApplicationId, String)>,
    /// Each applicant left out of the cohort (no longer eligible) and the reasons.
    pub excluded: Vec<(ApplicationId, String)>,
}

fn lines(pairs: &[(ApplicationId, String)]) -> String {
    pairs
        .iter()
        .map(|(id, reason)| format!("{id}\t{}", reason.replace(['\t', '\n'], " ")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn unlines(column: &str, text: &str) -> Result<Vec<(ApplicationId, String)>, StoreError> {
    text.lines()
        .filter(|line| !line.is_empty())
        .map(|line| {
            let (id, reason) = line
                .split_once('\t')
                .ok_or_else(|| corrupt(column, "a line without a tab"))?;
            let id = Uuid::parse_str(id).map_err(|err| corrupt(column, err))?;
            Ok((ApplicationId(id), reason.to_owned()))
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct RunRow {
    id: Uuid,
    scheme_id: Uuid,
    division: Option<String>,
    run_by: String,
    run_at: OffsetDateTime,
    mentees: i64,
    mentors: i64,
    matched: i64,
    total_score: i64,
    unmatched: String,
    excluded: String,
}

impl Tx {
    /// Adds a match.
    pub async fn insert_match(&mut self, pair: &Match) -> Result<(), StoreError> {
        let sql = "INSERT INTO matches (id, scheme_id, mentor_application_id, mentee_application_id, mentor_id, \
                   mentee_id, status, source, score, explanation, proposed_by, proposed_at, decided_by, decided_at, \
                   reason, version, confirmed_at, mentor_went_on_at, mentee_went_on_at, started_on, ends_on, \
                   hold_reason, held_since, closing_started_at, closed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
                   $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25)";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(pair.id.0)
            .bind(pair.scheme.0)
            .bind(pair.mentor_application.0)
            .bind(pair.mentee_application.0)
            .bind(pair.mentor.0)
            .bind(pair.mentee.0)
            .bind(pair.status.as_str())
            .bind(pair.source.as_str())
            .bind(pair.score)
            .bind(&pair.explanation)
            .bind(&pair.proposed_by)
            .bind(pair.proposed_at)
            .bind(pair.decided_by.as_deref())
            .bind(pair.decided_at)
            .bind(pair.reason.as_deref())
            .bind(pair.version)
            .bind(pair.life.confirmed_at)
            .bind(pair.life.mentor_went_on_at)
            .bind(pair.life.mentee_went_on_at)
            .bind(pair.life.started_on)
            .bind(pair.life.ends_on)
            .bind(pair.life.hold.map(|it| it.reason.as_str()))
            .bind(pair.life.hold.map(|it| it.since))
            .bind(pair.life.closing_started_at)
            .bind(pair.life.closed_at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Writes a match's state, its last decision and its relationship's dates, if it is still
    /// at `pair.version` (then one more); someone else's change in between is a
    /// [`StoreError::Conflict`].
    pub async fn update_match(&mut self, pair: &Match) -> Result<(), StoreError> {
        let sql = "UPDATE matches SET status = $3, decided_by = $4, decided_at = $5, reason = $6, confirmed_at = $7, \
                   mentor_went_on_at = $8, mentee_went_on_at = $9, started_on = $10, ends_on = $11, hold_reason = $12, \
                   held_since = $13, closing_started_at = $14, closed_at = $15, version = version + 1 \
                   WHERE id = $1 AND version = $2";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(pair.id.0)
            .bind(pair.version)
            .bind(pair.status.as_str())
            .bind(pair.decided_by.as_deref())
            .bind(pair.decided_at)
            .bind(pair.reason.as_deref())
            .bind(pair.life.confirmed_at)
            .bind(pair.life.mentor_went_on_at)
            .bind(pair.life.mentee_went_on_at)
            .bind(pair.life.started_on)
            .bind(pair.life.ends_on)
            .bind(pair.life.hold.map(|it| it.reason.as_str()))
            .bind(pair.life.hold.map(|it| it.since))
            .bind(pair.life.closing_started_at)
            .bind(pair.life.closed_at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        if done == 0 {
            return Err(StoreError::Conflict(
                "the relationship was changed by someone else since it was shown; reload the page"
                    .to_owned(),
            ));
        }
        Ok(())
    }

    /// One match.
    pub async fn match_by_id(&mut self, id: MatchId) -> Result<Option<Match>, StoreError> {
        let sql = concat!(select_matches!(), " WHERE id = $1");
        let row: Option<MatchRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(id.0)
            .fetch_optional(conn)
            .await)?;
        row.map(MatchRow::into_domain).transpose()
    }

    /// A scheme's matches, oldest first.
    pub async fn matches_of_scheme(&mut self, scheme: SchemeId) -> Result<Vec<Match>, StoreError> {
        let sql = concat!(
            select_matches!(),
            " WHERE scheme_id = $1 ORDER BY proposed_at, id"
        );
        let rows: Vec<MatchRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(MatchRow::into_domain).collect()
    }

    /// Every match a person is in, as mentor or mentee, newest first.
    pub async fn matches_of_person(&mut self, person: PersonId) -> Result<Vec<Match>, StoreError> {
        let sql = concat!(
            select_matches!(),
            " WHERE mentor_id = $1 OR mentee_id = $1 ORDER BY proposed_at DESC, id DESC"
        );
        let rows: Vec<MatchRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(person.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(MatchRow::into_domain).collect()
    }

    /// How many places an application's pairs take (a mentor's places taken; a mentee's
    /// mentors): its pairs whose status holds a place (`MatchStatus::holds_place`).
    pub async fn places_taken_by(&mut self, application: ApplicationId) -> Result<u32, StoreError> {
        let sql = "SELECT status FROM matches WHERE mentor_application_id = $1 OR mentee_application_id = $1";
        let statuses: Vec<String> = on_backend!(self, |conn| sqlx::query_scalar(sql)
            .bind(application.0)
            .fetch_all(conn)
            .await)?;
        let mut taken = 0;
        for status in statuses {
            let status =
                MatchStatus::parse(&status).ok_or_else(|| corrupt("matches.status", &status))?;
            taken += u32::from(status.holds_place());
        }
        Ok(taken)
    }

    /// Moves a match to `status` if it is still at `expected_version`; someone else's change in
    /// between is a [`StoreError::Conflict`].
    pub async fn set_match_status(
        &mut self,
        id: MatchId,
        expected_version: i64,
        status: MatchStatus,
        decided_by: &str,
        reason: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE matches SET status = $3, decided_by = $4, reason = $5, decided_at = $6, \
                   version = version + 1 WHERE id = $1 AND version = $2";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(id.0)
            .bind(expected_version)
            .bind(status.as_str())
            .bind(decided_by)
            .bind(reason)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        if done == 0 {
            return Err(StoreError::Conflict(
                "the match was changed by someone else since it was shown; reload the page"
                    .to_owned(),
            ));
        }
        Ok(())
    }

    /// Removes the proposals (not yet confirmed) for these mentees' applications, before a new
    /// bulk run replaces them.
    pub async fn delete_proposals(
        &mut self,
        scheme: SchemeId,
        mentees: &[ApplicationId],
    ) -> Result<(), StoreError> {
        let sql = "DELETE FROM matches WHERE scheme_id = $1 AND status = 'proposed' AND mentee_application_id = $2";
        for mentee in mentees {
            on_backend!(self, |conn| sqlx::query(sql)
                .bind(scheme.0)
                .bind(mentee.0)
                .execute(conn)
                .await
                .map(|done| done.rows_affected()))?;
        }
        Ok(())
    }

    /// Removes every proposal (not yet confirmed) of a scheme, before a bulk run over the whole
    /// scheme replaces them.
    pub async fn delete_all_proposals(&mut self, scheme: SchemeId) -> Result<(), StoreError> {
        let sql = "DELETE FROM matches WHERE scheme_id = $1 AND status = 'proposed'";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(scheme.0)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Holds an application until the transaction ends, so two confirmations that would use the
    /// same mentor's last place (or give a mentee two mentors) happen one after the other.
    /// PostgreSQL locks the row; SQLite's write transactions already run one at a time.
    pub async fn lock_application(&mut self, id: ApplicationId) -> Result<(), StoreError> {
        let found = match self {
            Tx::Sqlite(tx) => {
                sqlx::query_scalar::<_, Uuid>("SELECT id FROM applications WHERE id = $1")
                    .bind(id.0)
                    .fetch_optional(&mut **tx)
                    .await?
            }
            Tx::Postgres(tx) => {
                sqlx::query_scalar::<_, Uuid>(
                    "SELECT id FROM applications WHERE id = $1 FOR UPDATE",
                )
                .bind(id.0)
                .fetch_optional(&mut **tx)
                .await?
            }
        };
        found
            .map(|_| ())
            .ok_or_else(|| StoreError::NotFound("there is no such application".to_owned()))
    }

    /// Sets an application's status without a decision (matched, or back on the waiting list).
    pub async fn set_application_status(
        &mut self,
        id: ApplicationId,
        status: tandem_core::application::ApplicationStatus,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE applications SET status = $2, updated_at = $3, version = version + 1 WHERE id = $1";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(id.0)
            .bind(status.as_str())
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Sets a pin or forbid on a pair, replacing any the pair had.
    pub async fn set_constraint(
        &mut self,
        constraint: &PairConstraint,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        self.delete_constraint(constraint.mentee_application, constraint.mentor_application)
            .await?;
        let sql = "INSERT INTO pair_constraints (scheme_id, mentee_application_id, mentor_application_id, kind, \
                   reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(constraint.scheme.0)
            .bind(constraint.mentee_application.0)
            .bind(constraint.mentor_application.0)
            .bind(constraint.kind.as_str())
            .bind(&constraint.reason)
            .bind(&constraint.created_by)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Removes the pin or forbid on a pair; true if there was one.
    pub async fn delete_constraint(
        &mut self,
        mentee: ApplicationId,
        mentor: ApplicationId,
    ) -> Result<bool, StoreError> {
        let sql = "DELETE FROM pair_constraints WHERE mentee_application_id = $1 AND mentor_application_id = $2";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(mentee.0)
            .bind(mentor.0)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(done > 0)
    }

    /// A scheme's pins and forbids.
    pub async fn constraints_of_scheme(
        &mut self,
        scheme: SchemeId,
    ) -> Result<Vec<PairConstraint>, StoreError> {
        let sql = "SELECT scheme_id, mentee_application_id, mentor_application_id, kind, reason, created_by \
                   FROM pair_constraints WHERE scheme_id = $1 ORDER BY created_at";
        let rows: Vec<(Uuid, Uuid, Uuid, String, String, String)> =
            on_backend!(self, |conn| sqlx::query_as(sql)
                .bind(scheme.0)
                .fetch_all(conn)
                .await)?;
        rows.into_iter()
            .map(|(scheme, mentee, mentor, kind, reason, created_by)| {
                Ok(PairConstraint {
                    scheme: SchemeId(scheme),
                    mentee_application: ApplicationId(mentee),
                    mentor_application: ApplicationId(mentor),
                    kind: ConstraintKind::parse(&kind)
                        .ok_or_else(|| corrupt("pair_constraints.kind", &kind))?,
                    reason,
                    created_by,
                })
            })
            .collect()
    }

    /// Records a bulk run.
    pub async fn insert_match_run(&mut self, run: &MatchRun) -> Result<(), StoreError> {
        let sql = "INSERT INTO match_runs (id, scheme_id, division, run_by, run_at, mentees, mentors, matched, \
                   total_score, unmatched, excluded) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(run.id)
            .bind(run.scheme.0)
            .bind(run.division.as_deref())
            .bind(&run.run_by)
            .bind(run.run_at)
            .bind(run.mentees)
            .bind(run.mentors)
            .bind(run.matched)
            .bind(run.total_score)
            .bind(lines(&run.unmatched))
            .bind(lines(&run.excluded))
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// The latest bulk run over a scheme for a division (`None`: the whole scheme).
    pub async fn latest_match_run(
        &mut self,
        scheme: SchemeId,
        division: Option<&str>,
    ) -> Result<Option<MatchRun>, StoreError> {
        let sql = "SELECT id, scheme_id, division, run_by, run_at, mentees, mentors, matched, total_score, unmatched, \
                   excluded FROM match_runs WHERE scheme_id = $1 AND COALESCE(division, '') = $2 \
                   ORDER BY run_at DESC, id DESC LIMIT 1";
        let row: Option<RunRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .bind(division.unwrap_or(""))
            .fetch_optional(conn)
            .await)?;
        row.map(|row| {
            Ok(MatchRun {
                id: row.id,
                scheme: SchemeId(row.scheme_id),
                division: row.division,
                run_by: row.run_by,
                run_at: row.run_at,
                mentees: row.mentees,
                mentors: row.mentors,
                matched: row.matched,
                total_score: row.total_score,
                unmatched: unlines("match_runs.unmatched", &row.unmatched)?,
                excluded: unlines("match_runs.excluded", &row.excluded)?,
            })
        })
        .transpose()
    }
}
