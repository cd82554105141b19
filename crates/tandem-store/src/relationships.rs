//! A relationship's meetings and what the pair keeps in confidence: GROW notes, goals, agreed
//! actions and reviews (R7, R8.1). Content rows carry their match's id, so a relationship's
//! content can be disposed of whole.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use crate::error::corrupt;
use tandem_core::relationship::{
    ActionOwner, AgreedAction, Goal, GoalStatus, GrowNotes, Meeting, MeetingKind, MeetingMode,
    MeetingNotes, MeetingStatus, Review, ReviewKind,
};
use tandem_core::{MatchId, PersonId};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

fn stale(what: &str) -> StoreError {
    StoreError::Conflict(format!(
        "the other member changed the {what} since you opened it; reload the page to see their change, then make yours again"
    ))
}

#[derive(sqlx::FromRow)]
struct MeetingRow {
    id: Uuid,
    match_id: Uuid,
    kind: String,
    status: String,
    starts_at: OffsetDateTime,
    minutes: i64,
    mode: String,
    place: Option<String>,
    arranged_by: String,
    sequence: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    version: i64,
}

impl MeetingRow {
    fn into_domain(self) -> Result<Meeting, StoreError> {
        Ok(Meeting {
            id: self.id,
            pair: MatchId(self.match_id),
            kind: MeetingKind::parse(&self.kind)
                .ok_or_else(|| corrupt("meetings.kind", &self.kind))?,
            status: MeetingStatus::parse(&self.status)
                .ok_or_else(|| corrupt("meetings.status", &self.status))?,
            starts_at: self.starts_at,
            minutes: u32::try_from(self.minutes).map_err(|err| corrupt("meetings.minutes", err))?,
            mode: MeetingMode::parse(&self.mode)
                .ok_or_else(|| corrupt("meetings.mode", &self.mode))?,
            place: self.place,
            arranged_by: self.arranged_by,
            sequence: u32::try_from(self.sequence)
                .map_err(|err| corrupt("meetings.sequence", err))?,
            created_at: self.created_at,
            updated_at: self.updated_at,
            version: self.version,
        })
    }
}

macro_rules! select_meetings {
    () => {
        "SELECT id, match_id, kind, status, starts_at, minutes, mode, place, arranged_by, sequence, created_at, \
         updated_at, version FROM meetings"
    };
}

#[derive(sqlx::FromRow)]
struct NotesRow {
    meeting_id: Uuid,
    goal: String,
    reality: String,
    options: String,
    way_ahead: String,
    updated_by: String,
    updated_at: OffsetDateTime,
    version: i64,
}

#[derive(sqlx::FromRow)]
struct GoalRow {
    id: Uuid,
    match_id: Uuid,
    text: String,
    status: String,
    created_by: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    version: i64,
}

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: Uuid,
    match_id: Uuid,
    meeting_id: Option<Uuid>,
    text: String,
    owner: String,
    due_on: Option<Date>,
    done: bool,
    created_by: String,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
    version: i64,
}

#[derive(sqlx::FromRow)]
struct ReviewRow {
    id: Uuid,
    match_id: Uuid,
    kind: String,
    author_id: Uuid,
    at_meeting: i64,
    achieved: String,
    next_steps: String,
    created_at: OffsetDateTime,
}

impl Tx {
    /// Adds a meeting.
    pub async fn insert_meeting(&mut self, meeting: &Meeting) -> Result<(), StoreError> {
        let sql = "INSERT INTO meetings (id, match_id, kind, status, starts_at, minutes, mode, place, arranged_by, \
                   sequence, created_at, updated_at, version) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(meeting.id)
            .bind(meeting.pair.0)
            .bind(meeting.kind.as_str())
            .bind(meeting.status.as_str())
            .bind(meeting.starts_at)
            .bind(i64::from(meeting.minutes))
            .bind(meeting.mode.as_str())
            .bind(meeting.place.as_deref())
            .bind(&meeting.arranged_by)
            .bind(i64::from(meeting.sequence))
            .bind(meeting.created_at)
            .bind(meeting.updated_at)
            .bind(meeting.version)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Writes a meeting's new time, details or status if it is still at `meeting.version`
    /// (then one more).
    pub async fn update_meeting(&mut self, meeting: &Meeting) -> Result<(), StoreError> {
        let sql = "UPDATE meetings SET status = $3, starts_at = $4, minutes = $5, mode = $6, place = $7, \
                   arranged_by = $8, sequence = $9, updated_at = $10, version = version + 1 \
                   WHERE id = $1 AND version = $2";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(meeting.id)
            .bind(meeting.version)
            .bind(meeting.status.as_str())
            .bind(meeting.starts_at)
            .bind(i64::from(meeting.minutes))
            .bind(meeting.mode.as_str())
            .bind(meeting.place.as_deref())
            .bind(&meeting.arranged_by)
            .bind(i64::from(meeting.sequence))
            .bind(meeting.updated_at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        if done == 0 {
            return Err(stale("meeting"));
        }
        Ok(())
    }

    /// One meeting.
    pub async fn meeting(&mut self, id: Uuid) -> Result<Option<Meeting>, StoreError> {
        let sql = concat!(select_meetings!(), " WHERE id = $1");
        let row: Option<MeetingRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(conn)
            .await)?;
        row.map(MeetingRow::into_domain).transpose()
    }

    /// A relationship's meetings, earliest first.
    pub async fn meetings_of(&mut self, pair: MatchId) -> Result<Vec<Meeting>, StoreError> {
        let sql = concat!(
            select_meetings!(),
            " WHERE match_id = $1 ORDER BY starts_at, id"
        );
        let rows: Vec<MeetingRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(pair.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(MeetingRow::into_domain).collect()
    }

    /// Writes a meeting's GROW notes: new ones (`expected_version` `None`), or a change to the
    /// version the writer saw.
    pub async fn save_meeting_notes(
        &mut self,
        pair: MatchId,
        meeting: Uuid,
        notes: &GrowNotes,
        expected_version: Option<i64>,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let done = match expected_version {
            None => {
                let sql = "INSERT INTO meeting_notes (meeting_id, match_id, goal, reality, options, way_ahead, updated_by, \
                           updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)";
                on_backend!(self, |conn| sqlx::query(sql)
                    .bind(meeting)
                    .bind(pair.0)
                    .bind(&notes.goal)
                    .bind(&notes.reality)
                    .bind(&notes.options)
                    .bind(&notes.way_ahead)
                    .bind(by)
                    .bind(now)
                    .execute(conn)
                    .await
                    .map(|done| done.rows_affected()))
                .map_err(StoreError::from)
                .map_err(|err| match err {
                    // Both wrote the first notes at once: the second is told, like any change.
                    StoreError::Conflict(_) => stale("meeting's notes"),
                    other => other,
                })?
            }
            Some(version) => {
                let sql = "UPDATE meeting_notes SET goal = $3, reality = $4, options = $5, way_ahead = $6, updated_by = $7, \
                           updated_at = $8, version = version + 1 WHERE meeting_id = $1 AND version = $2";
                on_backend!(self, |conn| sqlx::query(sql)
                    .bind(meeting)
                    .bind(version)
                    .bind(&notes.goal)
                    .bind(&notes.reality)
                    .bind(&notes.options)
                    .bind(&notes.way_ahead)
                    .bind(by)
                    .bind(now)
                    .execute(conn)
                    .await
                    .map(|done| done.rows_affected()))?
            }
        };
        if done == 0 {
            return Err(stale("meeting's notes"));
        }
        Ok(())
    }

    /// Every meeting's notes of a relationship.
    pub async fn notes_of(&mut self, pair: MatchId) -> Result<Vec<MeetingNotes>, StoreError> {
        let sql = "SELECT meeting_id, goal, reality, options, way_ahead, updated_by, updated_at, version \
                   FROM meeting_notes WHERE match_id = $1";
        let rows: Vec<NotesRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(pair.0)
            .fetch_all(conn)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|row| MeetingNotes {
                meeting: row.meeting_id,
                notes: GrowNotes {
                    goal: row.goal,
                    reality: row.reality,
                    options: row.options,
                    way_ahead: row.way_ahead,
                },
                updated_by: row.updated_by,
                updated_at: row.updated_at,
                version: row.version,
            })
            .collect())
    }

    /// Adds a goal.
    pub async fn insert_goal(&mut self, goal: &Goal) -> Result<(), StoreError> {
        let sql = "INSERT INTO relationship_goals (id, match_id, text, status, created_by, created_at, updated_at, version) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(goal.id)
            .bind(goal.pair.0)
            .bind(&goal.text)
            .bind(goal.status.as_str())
            .bind(&goal.created_by)
            .bind(goal.created_at)
            .bind(goal.updated_at)
            .bind(goal.version)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Writes a goal's text and status if it is still at `goal.version`.
    pub async fn update_goal(&mut self, goal: &Goal) -> Result<(), StoreError> {
        let sql = "UPDATE relationship_goals SET text = $3, status = $4, updated_at = $5, version = version + 1 \
                   WHERE id = $1 AND version = $2";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(goal.id)
            .bind(goal.version)
            .bind(&goal.text)
            .bind(goal.status.as_str())
            .bind(goal.updated_at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        if done == 0 {
            return Err(stale("goal"));
        }
        Ok(())
    }

    /// A relationship's goals, oldest first.
    pub async fn goals_of(&mut self, pair: MatchId) -> Result<Vec<Goal>, StoreError> {
        let sql = "SELECT id, match_id, text, status, created_by, created_at, updated_at, version \
                   FROM relationship_goals WHERE match_id = $1 ORDER BY created_at, id";
        let rows: Vec<GoalRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(pair.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter()
            .map(|row| {
                Ok(Goal {
                    id: row.id,
                    pair: MatchId(row.match_id),
                    status: GoalStatus::parse(&row.status)
                        .ok_or_else(|| corrupt("relationship_goals.status", &row.status))?,
                    text: row.text,
                    created_by: row.created_by,
                    created_at: row.created_at,
                    updated_at: row.updated_at,
                    version: row.version,
                })
            })
            .collect()
    }

    /// Adds an agreed action.
    pub async fn insert_action(&mut self, action: &AgreedAction) -> Result<(), StoreError> {
        let sql = "INSERT INTO relationship_actions (id, match_id, meeting_id, text, owner, due_on, done, created_by, \
                   created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(action.id)
            .bind(action.pair.0)
            .bind(action.meeting)
            .bind(&action.text)
            .bind(action.owner.as_str())
            .bind(action.due_on)
            .bind(action.done)
            .bind(&action.created_by)
            .bind(action.created_at)
            .bind(action.updated_at)
            .bind(action.version)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Writes an action's text, owner, due date and whether it is done, if it is still at
    /// `action.version`.
    pub async fn update_action(&mut self, action: &AgreedAction) -> Result<(), StoreError> {
        let sql = "UPDATE relationship_actions SET text = $3, owner = $4, due_on = $5, done = $6, updated_at = $7, \
                   version = version + 1 WHERE id = $1 AND version = $2";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(action.id)
            .bind(action.version)
            .bind(&action.text)
            .bind(action.owner.as_str())
            .bind(action.due_on)
            .bind(action.done)
            .bind(action.updated_at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        if done == 0 {
            return Err(stale("action"));
        }
        Ok(())
    }

    /// A relationship's agreed actions, oldest first.
    pub async fn actions_of(&mut self, pair: MatchId) -> Result<Vec<AgreedAction>, StoreError> {
        let sql = "SELECT id, match_id, meeting_id, text, owner, due_on, done, created_by, created_at, updated_at, version \
                   FROM relationship_actions WHERE match_id = $1 ORDER BY created_at, id";
        let rows: Vec<ActionRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(pair.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter()
            .map(|row| {
                Ok(AgreedAction {
                    id: row.id,
                    pair: MatchId(row.match_id),
                    meeting: row.meeting_id,
                    owner: ActionOwner::parse(&row.owner)
                        .ok_or_else(|| corrupt("relationship_actions.owner", &row.owner))?,
                    text: row.text,
                    due_on: row.due_on,
                    done: row.done,
                    created_by: row.created_by,
                    created_at: row.created_at,
                    updated_at: row.updated_at,
                    version: row.version,
                })
            })
            .collect()
    }

    /// Adds a review.
    pub async fn insert_review(&mut self, review: &Review) -> Result<(), StoreError> {
        let sql = "INSERT INTO relationship_reviews (id, match_id, kind, author_id, at_meeting, achieved, next_steps, \
                   created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(review.id)
            .bind(review.pair.0)
            .bind(review.kind.as_str())
            .bind(review.author.0)
            .bind(i64::from(review.at_meeting))
            .bind(&review.achieved)
            .bind(&review.next_steps)
            .bind(review.created_at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// A relationship's reviews, oldest first.
    pub async fn reviews_of(&mut self, pair: MatchId) -> Result<Vec<Review>, StoreError> {
        let sql = "SELECT id, match_id, kind, author_id, at_meeting, achieved, next_steps, created_at \
                   FROM relationship_reviews WHERE match_id = $1 ORDER BY created_at, id";
        let rows: Vec<ReviewRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(pair.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter()
            .map(|row| {
                Ok(Review {
                    id: row.id,
                    pair: MatchId(row.match_id),
                    kind: ReviewKind::parse(&row.kind)
                        .ok_or_else(|| corrupt("relationship_reviews.kind", &row.kind))?,
                    author: PersonId(row.author_id),
                    at_meeting: u32::try_from(row.at_meeting)
                        .map_err(|err| corrupt("relationship_reviews.at_meeting", err))?,
                    achieved: row.achieved,
                    next_steps: row.next_steps,
                    created_at: row.created_at,
                })
            })
            .collect()
    }
}

impl Tx {
    /// Records a member's evaluation answers (JSON) under `reference`, a random handle that
    /// results show in place of the member; a second answer is a `Conflict`. Answers recorded
    /// now were given under the notice that their words may be read without a name, once
    /// enough people have answered (`words_shared`).
    pub async fn insert_evaluation(
        &mut self,
        pair: MatchId,
        person: PersonId,
        answers_json: &str,
        reference: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO evaluation_answers (match_id, person_id, answers, submitted_at, reference, words_shared) \
                   VALUES ($1, $2, $3, $4, $5, $6)";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(pair.0)
            .bind(person.0)
            .bind(answers_json)
            .bind(now)
            .bind(reference)
            .bind(true)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Who of a relationship has answered the evaluation.
    pub async fn evaluated_by(&mut self, pair: MatchId) -> Result<Vec<PersonId>, StoreError> {
        let sql = "SELECT person_id FROM evaluation_answers WHERE match_id = $1";
        let rows: Vec<Uuid> = on_backend!(self, |conn| sqlx::query_scalar(sql)
            .bind(pair.0)
            .fetch_all(conn)
            .await)?;
        Ok(rows.into_iter().map(PersonId).collect())
    }

    /// One member's own evaluation answers (JSON), if given: for their eyes only.
    pub async fn own_evaluation(
        &mut self,
        pair: MatchId,
        person: PersonId,
    ) -> Result<Option<String>, StoreError> {
        let sql = "SELECT answers FROM evaluation_answers WHERE match_id = $1 AND person_id = $2";
        let row: Option<String> = on_backend!(self, |conn| sqlx::query_scalar(sql)
            .bind(pair.0)
            .bind(person.0)
            .fetch_optional(conn)
            .await)?;
        Ok(row)
    }
}

/// A relationship as staff see it: its pair (state and dates) and counts of its meetings, never
/// what was said.
#[derive(Debug, Clone)]
pub struct RelationshipSummary {
    /// The pair.
    pub pair: tandem_core::pairing::Match,
    /// Meetings held (the introductory meeting included).
    pub held: i64,
    /// When the last meeting was held.
    pub last_held: Option<OffsetDateTime>,
    /// The next booked meeting still to come.
    pub next_booked: Option<OffsetDateTime>,
    /// The meetings held when the last progress review was recorded.
    pub last_review_at: Option<i64>,
    /// Flags (R6.5) still waiting for a decision or a declaration.
    pub open_flags: i64,
}

#[derive(sqlx::FromRow)]
struct CountsRow {
    match_id: Uuid,
    held: i64,
    last_held: Option<OffsetDateTime>,
    next_booked: Option<OffsetDateTime>,
    last_review_at: Option<i64>,
    open_flags: i64,
}

impl Tx {
    /// Every relationship of a scheme (from confirmation on) with its meeting counts, computed
    /// in SQL: a scheme with 20,000 relationships and 400,000 meetings is read in one pass.
    pub async fn relationship_summaries(
        &mut self,
        scheme: tandem_core::SchemeId,
        now: OffsetDateTime,
    ) -> Result<Vec<RelationshipSummary>, StoreError> {
        let pairs = self.matches_of_scheme(scheme).await?;
        let sql = "SELECT m.id AS match_id, \
                   COALESCE(SUM(CASE WHEN g.status = 'held' THEN 1 ELSE 0 END), 0) AS held, \
                   MAX(CASE WHEN g.status = 'held' THEN g.starts_at END) AS last_held, \
                   MIN(CASE WHEN g.status = 'booked' AND g.starts_at > $2 THEN g.starts_at END) AS next_booked, \
                   (SELECT MAX(r.at_meeting) FROM relationship_reviews r WHERE r.match_id = m.id AND r.kind = 'progress') \
                   AS last_review_at, \
                   (SELECT COUNT(*) FROM relationship_flags f WHERE f.match_id = m.id AND f.outcome IS NULL) \
                   AS open_flags \
                   FROM matches m LEFT JOIN meetings g ON g.match_id = m.id \
                   WHERE m.scheme_id = $1 GROUP BY m.id";
        let rows: Vec<CountsRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .bind(now)
            .fetch_all(conn)
            .await)?;
        let mut counts: std::collections::HashMap<Uuid, CountsRow> =
            rows.into_iter().map(|row| (row.match_id, row)).collect();
        Ok(pairs
            .into_iter()
            .filter(|pair| {
                !matches!(
                    pair.status,
                    tandem_core::pairing::MatchStatus::Proposed
                        | tandem_core::pairing::MatchStatus::Requested
                ) && pair.life.confirmed_at.is_some()
            })
            .map(|pair| {
                let row = counts.remove(&pair.id.0);
                RelationshipSummary {
                    held: row.as_ref().map_or(0, |it| it.held),
                    last_held: row.as_ref().and_then(|it| it.last_held),
                    next_booked: row.as_ref().and_then(|it| it.next_booked),
                    last_review_at: row.as_ref().and_then(|it| it.last_review_at),
                    open_flags: row.as_ref().map_or(0, |it| it.open_flags),
                    pair,
                }
            })
            .collect())
    }
}

/// Which of a scheme's relationships a page of the staff list shows.
#[derive(Debug, Clone, Default)]
pub struct SummaryQuery<'a> {
    /// Only this state.
    pub state: Option<tandem_core::pairing::MatchStatus>,
    /// Only mentees of these divisions (`None`: every mentee, whatever their division).
    pub divisions: Option<&'a [String]>,
    /// Rows on the page.
    pub limit: i64,
    /// Rows before it.
    pub offset: i64,
}

/// Adds the staff list's filter (the scheme, confirmed pairs, the state, the mentees'
/// divisions) to a query over `matches m JOIN people e ON e.id = m.mentee_id`.
fn push_summary_filter<DB: sqlx::Database>(
    query: &mut sqlx::QueryBuilder<DB>,
    scheme: tandem_core::SchemeId,
    filter: &SummaryQuery<'_>,
) where
    Uuid: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    String: for<'t> sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    query.push(" WHERE m.scheme_id = ");
    query.push_bind(scheme.0);
    query.push(" AND m.status NOT IN ('proposed', 'requested') AND m.confirmed_at IS NOT NULL");
    if let Some(state) = filter.state {
        query.push(" AND m.status = ");
        query.push_bind(state.as_str().to_owned());
    }
    if let Some(divisions) = filter.divisions {
        if divisions.is_empty() {
            query.push(" AND 1 = 0");
        } else {
            query.push(" AND e.department IN (");
            let mut list = query.separated(", ");
            for division in divisions {
                list.push_bind(division.clone());
            }
            query.push(")");
        }
    }
}

#[derive(sqlx::FromRow)]
struct PageCountsRow {
    match_id: Uuid,
    held: i64,
    last_held: Option<OffsetDateTime>,
    next_booked: Option<OffsetDateTime>,
    last_review_at: Option<i64>,
    open_flags: i64,
}

impl Tx {
    /// One page of a scheme's relationships for the staff list, oldest confirmation first, with
    /// their meeting counts, and how many match the filter in all. Only the page's rows are
    /// counted, so a scheme of 20,000 relationships answers as fast as one of 100.
    pub async fn relationship_page(
        &mut self,
        scheme: tandem_core::SchemeId,
        filter: &SummaryQuery<'_>,
        now: OffsetDateTime,
    ) -> Result<(Vec<RelationshipSummary>, i64), StoreError> {
        let (ids, total): (Vec<Uuid>, i64) = on_backend!(self, |conn| {
            let mut page = sqlx::QueryBuilder::new(
                "SELECT m.id FROM matches m JOIN people e ON e.id = m.mentee_id",
            );
            push_summary_filter(&mut page, scheme, filter);
            page.push(" ORDER BY m.confirmed_at, m.id LIMIT ");
            page.push_bind(filter.limit);
            page.push(" OFFSET ");
            page.push_bind(filter.offset);
            let ids: Vec<Uuid> = page.build_query_scalar().fetch_all(&mut *conn).await?;
            let mut count = sqlx::QueryBuilder::new(
                "SELECT COUNT(*) FROM matches m JOIN people e ON e.id = m.mentee_id",
            );
            push_summary_filter(&mut count, scheme, filter);
            let total: i64 = count.build_query_scalar().fetch_one(&mut *conn).await?;
            Ok::<_, sqlx::Error>((ids, total))
        })?;
        if ids.is_empty() {
            return Ok((Vec::new(), total));
        }
        let (pairs, counts): (Vec<crate::matches::MatchRow>, Vec<PageCountsRow>) = on_backend!(
            self,
            |conn| {
                let mut pairs = sqlx::QueryBuilder::new(concat!(
                    crate::matches::select_matches!(),
                    " WHERE id IN ("
                ));
                let mut list = pairs.separated(", ");
                for id in &ids {
                    list.push_bind(*id);
                }
                pairs.push(")");
                let pairs = pairs.build_query_as().fetch_all(&mut *conn).await?;
                let mut counts = sqlx::QueryBuilder::new(
                    "SELECT m.id AS match_id, \
                     (SELECT COUNT(*) FROM meetings g WHERE g.match_id = m.id AND g.status = 'held') AS held, \
                     (SELECT MAX(g.starts_at) FROM meetings g WHERE g.match_id = m.id AND g.status = 'held') \
                     AS last_held, \
                     (SELECT MIN(g.starts_at) FROM meetings g WHERE g.match_id = m.id AND g.status = 'booked' \
                     AND g.starts_at > ",
                );
                counts.push_bind(now);
                counts.push(
                    ") AS next_booked, \
                     (SELECT MAX(r.at_meeting) FROM relationship_reviews r WHERE r.match_id = m.id \
                     AND r.kind = 'progress') AS last_review_at, \
                     (SELECT COUNT(*) FROM relationship_flags f WHERE f.match_id = m.id AND f.outcome IS NULL) \
                     AS open_flags FROM matches m WHERE m.id IN (",
                );
                let mut list = counts.separated(", ");
                for id in &ids {
                    list.push_bind(*id);
                }
                counts.push(")");
                let counts = counts.build_query_as().fetch_all(&mut *conn).await?;
                Ok::<_, sqlx::Error>((pairs, counts))
            }
        )?;
        let mut counts: std::collections::HashMap<Uuid, PageCountsRow> =
            counts.into_iter().map(|row| (row.match_id, row)).collect();
        let mut pairs: std::collections::HashMap<Uuid, tandem_core::pairing::Match> = pairs
            .into_iter()
            .map(|row| row.into_domain().map(|pair| (pair.id.0, pair)))
            .collect::<Result<_, _>>()?;
        let rows = ids
            .iter()
            .filter_map(|id| {
                let pair = pairs.remove(id)?;
                let row = counts.remove(id);
                Some(RelationshipSummary {
                    held: row.as_ref().map_or(0, |it| it.held),
                    last_held: row.as_ref().and_then(|it| it.last_held),
                    next_booked: row.as_ref().and_then(|it| it.next_booked),
                    last_review_at: row.as_ref().and_then(|it| it.last_review_at),
                    open_flags: row.as_ref().map_or(0, |it| it.open_flags),
                    pair,
                })
            })
            .collect();
        Ok((rows, total))
    }

    /// The divisions of a scheme's mentees who are in a relationship, for the list's filter.
    pub async fn relationship_divisions(
        &mut self,
        scheme: tandem_core::SchemeId,
    ) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT DISTINCT e.department FROM matches m JOIN people e ON e.id = m.mentee_id \
                   WHERE m.scheme_id = $1 AND m.status NOT IN ('proposed', 'requested') \
                   AND m.confirmed_at IS NOT NULL AND e.department IS NOT NULL ORDER BY e.department";
        let rows: Vec<String> = on_backend!(self, |conn| sqlx::query_scalar(sql)
            .bind(scheme.0)
            .fetch_all(conn)
            .await)?;
        Ok(rows)
    }
}
