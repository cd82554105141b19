//! What the sweep reads and writes (R6.4, R7.3, R11.2): live relationships in pages with their
//! meeting counts (never content), the reminders already sent, and coordinators' decisions to
//! keep a relationship proposed for closure.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use tandem_core::MatchId;
use tandem_core::pairing::Match;
use time::OffsetDateTime;
use uuid::Uuid;

/// A live relationship as the sweep reads it.
#[derive(Debug, Clone)]
pub struct SweepRow {
    /// The pair: its state and dates.
    pub pair: Match,
    /// The introductory meeting is arranged (booked or held).
    pub introduction_arranged: bool,
    /// Meetings held.
    pub held: i64,
    /// When the last was held.
    pub last_held: Option<OffsetDateTime>,
    /// A meeting is booked after `now`.
    pub booked_ahead: bool,
    /// The meetings held when the last progress review was recorded.
    pub last_review_at: Option<i64>,
    /// When a coordinator last kept it open after it was proposed for closure.
    pub kept_open_at: Option<OffsetDateTime>,
    /// Flags (R6.5) still waiting for a decision or a declaration.
    pub open_flags: i64,
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    match_id: Uuid,
    held: i64,
    last_held: Option<OffsetDateTime>,
    booked_ahead: i64,
    introduction_arranged: i64,
    last_review_at: Option<i64>,
    kept_open_at: Option<OffsetDateTime>,
    open_flags: i64,
}

/// The states the sweep looks at.
macro_rules! live {
    () => {
        "('introductory', 'active', 'on_hold')"
    };
}

impl Tx {
    /// Up to `limit` live relationships (of one scheme, or of all) whose id follows `after`
    /// (all of them from the start), in id order, with their meeting counts as of `now`: the sweep reads the whole
    /// installation a page at a time, so its memory does not grow with it.
    pub async fn live_relationships_after(
        &mut self,
        scheme: Option<tandem_core::SchemeId>,
        after: Option<MatchId>,
        now: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<SweepRow>, StoreError> {
        let page = concat!(
            "SELECT id FROM matches WHERE status IN ",
            live!(),
            " AND ($1 IS NULL OR id > $1) AND ($3 IS NULL OR scheme_id = $3) ORDER BY id LIMIT $2"
        );
        let ids: Vec<Uuid> = on_backend!(self, |conn| sqlx::query_scalar(page)
            .bind(after.map(|it| it.0))
            .bind(limit)
            .bind(scheme.map(|it| it.0))
            .fetch_all(conn)
            .await)?;
        let (Some(first), Some(last)) = (ids.first().copied(), ids.last().copied()) else {
            return Ok(Vec::new());
        };
        self.rows_between(MatchId(first), MatchId(last), scheme, now)
            .await
    }

    /// One live relationship as the sweep reads it, if it is live.
    pub async fn sweep_row(
        &mut self,
        id: MatchId,
        now: OffsetDateTime,
    ) -> Result<Option<SweepRow>, StoreError> {
        Ok(self.rows_between(id, id, None, now).await?.pop())
    }

    /// The live relationships with ids from `first` to `last` (of `scheme`, when given).
    async fn rows_between(
        &mut self,
        first: MatchId,
        last: MatchId,
        scheme: Option<tandem_core::SchemeId>,
        now: OffsetDateTime,
    ) -> Result<Vec<SweepRow>, StoreError> {
        let facts = concat!(
            "SELECT m.id AS match_id, \
             COALESCE(SUM(CASE WHEN g.status = 'held' THEN 1 ELSE 0 END), 0) AS held, \
             MAX(CASE WHEN g.status = 'held' THEN g.starts_at END) AS last_held, \
             CAST(COALESCE(MAX(CASE WHEN g.status = 'booked' AND g.starts_at > $3 THEN 1 ELSE 0 END), 0) AS BIGINT) \
             AS booked_ahead, \
             CAST(COALESCE(MAX(CASE WHEN g.kind = 'introductory' AND g.status <> 'cancelled' THEN 1 ELSE 0 END), 0) \
             AS BIGINT) AS introduction_arranged, \
             (SELECT MAX(r.at_meeting) FROM relationship_reviews r WHERE r.match_id = m.id AND r.kind = 'progress') \
             AS last_review_at, \
             (SELECT MAX(c.decided_at) FROM closure_decisions c WHERE c.match_id = m.id) AS kept_open_at, \
             (SELECT COUNT(*) FROM relationship_flags f WHERE f.match_id = m.id AND f.outcome IS NULL) AS open_flags \
             FROM matches m LEFT JOIN meetings g ON g.match_id = m.id WHERE m.status IN ",
            live!(),
            " AND m.id >= $1 AND m.id <= $2 AND ($4 IS NULL OR m.scheme_id = $4) GROUP BY m.id"
        );
        let rows: Vec<FactsRow> = on_backend!(self, |conn| sqlx::query_as(facts)
            .bind(first.0)
            .bind(last.0)
            .bind(now)
            .bind(scheme.map(|it| it.0))
            .fetch_all(conn)
            .await)?;
        let mut facts: std::collections::HashMap<Uuid, FactsRow> =
            rows.into_iter().map(|row| (row.match_id, row)).collect();
        let mut out = Vec::with_capacity(facts.len());
        for pair in self.live_matches_between(first, last).await? {
            let Some(row) = facts.remove(&pair.id.0) else {
                continue;
            };
            out.push(SweepRow {
                introduction_arranged: row.introduction_arranged > 0,
                held: row.held,
                last_held: row.last_held,
                booked_ahead: row.booked_ahead > 0,
                last_review_at: row.last_review_at,
                kept_open_at: row.kept_open_at,
                open_flags: row.open_flags,
                pair,
            });
        }
        Ok(out)
    }

    /// The live relationships whose ids lie between `first` and `last`, in id order.
    async fn live_matches_between(
        &mut self,
        first: MatchId,
        last: MatchId,
    ) -> Result<Vec<Match>, StoreError> {
        let sql = concat!(
            crate::matches::select_matches!(),
            " WHERE status IN ",
            live!(),
            " AND id >= $1 AND id <= $2 ORDER BY id"
        );
        let rows: Vec<crate::matches::MatchRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(first.0)
            .bind(last.0)
            .fetch_all(conn)
            .await)?;
        rows.into_iter()
            .map(crate::matches::MatchRow::into_domain)
            .collect()
    }

    /// Records that a reminder was sent; false (and nothing written) when it already was.
    pub async fn mark_reminder(
        &mut self,
        pair: MatchId,
        key: &str,
        nudge: &str,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let sql = "INSERT INTO reminders (match_id, reminder_key, nudge, sent_at) VALUES ($1, $2, $3, $4) \
                   ON CONFLICT (match_id, reminder_key) DO NOTHING";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(pair.0)
            .bind(key)
            .bind(nudge)
            .bind(at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(done > 0)
    }

    /// The reminders sent about a relationship, oldest first, as (key, nudge, when).
    pub async fn reminders_of(
        &mut self,
        pair: MatchId,
    ) -> Result<Vec<(String, String, OffsetDateTime)>, StoreError> {
        let sql = "SELECT reminder_key, nudge, sent_at FROM reminders WHERE match_id = $1 ORDER BY sent_at, reminder_key";
        let rows: Vec<(String, String, OffsetDateTime)> = on_backend!(self, |conn| {
            sqlx::query_as(sql).bind(pair.0).fetch_all(conn).await
        })?;
        Ok(rows)
    }

    /// Records a coordinator's decision to keep a relationship open after it was proposed for
    /// closure.
    pub async fn insert_closure_decision(
        &mut self,
        pair: MatchId,
        reason: &str,
        decided_by: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO closure_decisions (id, match_id, reason, decided_by, decided_at) VALUES ($1, $2, $3, $4, $5)";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(Uuid::now_v7())
            .bind(pair.0)
            .bind(reason)
            .bind(decided_by)
            .bind(at)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }
}
