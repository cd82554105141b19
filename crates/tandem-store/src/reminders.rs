//! What the sweep reads and writes (R6.4, R7.3, R11.2): live relationships in pages with their
//! meeting counts (never content), the reminders already sent, and coordinators' decisions to
//! keep a relationship proposed for closure.

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use tandem_core::pairing::Match;
use tandem_core::{MatchId, OrganisationId, PersonId, SchemeId};
use time::OffsetDateTime;
use uuid::Uuid;

/// A live relationship as the sweep reads it.
#[derive(Debug, Clone)]
pub struct SweepRow {
    /// The pair: its state and dates.
    pub pair: Match,
    /// The introductory meeting is arranged (booked or held); always true past the
    /// introductory stage.
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
    #[sqlx(flatten)]
    pair: crate::matches::MatchRow,
    held: i64,
    last_held: Option<OffsetDateTime>,
    booked_ahead: i64,
    introduction_arranged: i64,
    last_review_at: Option<i64>,
    kept_open_at: Option<OffsetDateTime>,
    open_flags: i64,
}

impl FactsRow {
    fn into_domain(self) -> Result<SweepRow, StoreError> {
        Ok(SweepRow {
            pair: self.pair.into_domain()?,
            introduction_arranged: self.introduction_arranged > 0,
            held: self.held,
            last_held: self.last_held,
            booked_ahead: self.booked_ahead > 0,
            last_review_at: self.last_review_at,
            kept_open_at: self.kept_open_at,
            open_flags: self.open_flags,
        })
    }
}

/// The states the sweep looks at.
macro_rules! live {
    () => {
        "('introductory', 'active', 'on_hold')"
    };
}

/// What the sweep counts for each relationship `m`, each count probed per relationship on the
/// meetings index `(match_id, status, starts_at)`; `$1` is the moment a booking must follow.
/// Past the introductory stage the introduction counts as arranged without looking (it is the
/// one probe that reads every meeting of the pair).
macro_rules! sweep_counts {
    () => {
        "(SELECT COUNT(*) FROM meetings g WHERE g.match_id = m.id AND g.status = 'held') AS held, \
         (SELECT MAX(g.starts_at) FROM meetings g WHERE g.match_id = m.id AND g.status = 'held') AS last_held, \
         CAST(CASE WHEN m.status <> 'active' THEN 0 WHEN EXISTS (SELECT 1 FROM meetings g \
         WHERE g.match_id = m.id AND g.status = 'booked' AND g.starts_at > $1) THEN 1 ELSE 0 END AS BIGINT) \
         AS booked_ahead, \
         CAST(CASE WHEN m.status <> 'introductory' THEN 1 WHEN EXISTS (SELECT 1 FROM meetings g \
         WHERE g.match_id = m.id AND g.kind = 'introductory' AND g.status <> 'cancelled') THEN 1 ELSE 0 END \
         AS BIGINT) AS introduction_arranged, \
         CASE WHEN m.status = 'active' THEN (SELECT MAX(r.at_meeting) FROM relationship_reviews r \
         WHERE r.match_id = m.id AND r.kind = 'progress') END AS last_review_at, \
         CASE WHEN m.status = 'active' THEN (SELECT MAX(c.decided_at) FROM closure_decisions c \
         WHERE c.match_id = m.id) END AS kept_open_at, \
         (SELECT COUNT(*) FROM relationship_flags f WHERE f.match_id = m.id AND f.outcome IS NULL) AS open_flags"
    };
}

/// A live relationship with what the sweep counts, from a subquery `m` that the caller closes.
macro_rules! select_sweep_rows {
    () => {
        concat!(
            "SELECT ",
            crate::matches::match_columns!(),
            ", ",
            sweep_counts!(),
            " FROM (SELECT * FROM matches WHERE status IN ",
            live!()
        )
    };
}

/// `live_relationships_after` on SQLite: it walks the primary key from `$2`, stops at the
/// limit and counts only the rows it keeps, with no subquery to sort again.
const SQLITE_PAGE: &str = concat!(
    "SELECT ",
    crate::matches::match_columns!(),
    ", ",
    sweep_counts!(),
    " FROM matches m WHERE status IN ",
    live!(),
    " AND id > $2 AND id <= $5 AND ($3 IS NULL OR scheme_id = $3) ORDER BY id LIMIT $4"
);

impl Tx {
    /// Up to `limit` live relationships (of one scheme, or of all) whose id follows `after`
    /// (all of them from the start) and is at most `until` (to the end), in id order, with their meeting counts as of `now`, in one
    /// query: the sweep reads the whole installation a page at a time, so its memory does not
    /// grow with it.
    pub async fn live_relationships_after(
        &mut self,
        scheme: Option<SchemeId>,
        after: Option<MatchId>,
        until: Option<MatchId>,
        now: OffsetDateTime,
        limit: i64,
    ) -> Result<Vec<SweepRow>, StoreError> {
        // `m.id > $2` always (from the nil id at the start) so both databases walk the primary
        // key in order and stop at the limit, counting only the page's relationships.
        // The page is chosen first, so the counts are worked out for its rows only.
        let sql = concat!(
            select_sweep_rows!(),
            " AND id > $2 AND id <= $5 AND ($3 IS NULL OR scheme_id = $3) ORDER BY id LIMIT $4) m ORDER BY m.id"
        );
        // PostgreSQL needs the page chosen in a subquery first (or it counts for every live
        // relationship before cutting to the page); SQLite stops at the limit by itself.
        let sql = match self {
            Tx::Sqlite(_) => SQLITE_PAGE,
            Tx::Postgres(_) => sql,
        };
        let rows: Vec<FactsRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(now)
            .bind(after.map_or(Uuid::nil(), |it| it.0))
            .bind(scheme.map(|it| it.0))
            .bind(limit)
            .bind(until.map_or(Uuid::max(), |it| it.0))
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(FactsRow::into_domain).collect()
    }

    /// The live relationship halfway through them in id order, where a sweep in two halves
    /// splits; `None` when there are fewer than `at_least` in each half.
    pub async fn middle_live_relationship(
        &mut self,
        at_least: i64,
    ) -> Result<Option<MatchId>, StoreError> {
        let count = concat!("SELECT COUNT(*) FROM matches WHERE status IN ", live!());
        let (live,): (i64,) =
            on_backend!(self, |conn| sqlx::query_as(count).fetch_one(conn).await)?;
        if live < 2 * at_least.max(1) {
            return Ok(None);
        }
        let sql = concat!(
            "SELECT id FROM matches WHERE status IN ",
            live!(),
            " ORDER BY id LIMIT 1 OFFSET $1"
        );
        let id: Option<(Uuid,)> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(live / 2 - 1)
            .fetch_optional(conn)
            .await)?;
        Ok(id.map(|(it,)| MatchId(it)))
    }

    /// One live relationship as the sweep reads it, if it is live.
    pub async fn sweep_row(
        &mut self,
        id: MatchId,
        now: OffsetDateTime,
    ) -> Result<Option<SweepRow>, StoreError> {
        let sql = concat!(select_sweep_rows!(), " AND id = $2) m");
        let row: Option<FactsRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(now)
            .bind(id.0)
            .fetch_optional(conn)
            .await)?;
        row.map(FactsRow::into_domain).transpose()
    }

    /// The reminders already sent about these relationships, as (relationship, key).
    pub async fn reminders_sent_among(
        &mut self,
        pairs: &[MatchId],
    ) -> Result<std::collections::HashSet<(MatchId, String)>, StoreError> {
        if pairs.is_empty() {
            return Ok(std::collections::HashSet::new());
        }
        if let Tx::Postgres(tx) = self {
            let ids: Vec<Uuid> = pairs.iter().map(|it| it.0).collect();
            let rows: Vec<(Uuid, String)> = sqlx::query_as(
                "SELECT match_id, reminder_key FROM reminders WHERE match_id = ANY($1)",
            )
            .bind(ids)
            .fetch_all(&mut **tx)
            .await?;
            return Ok(rows
                .into_iter()
                .map(|(pair, key)| (MatchId(pair), key))
                .collect());
        }
        let rows: Vec<(Uuid, String)> = on_backend!(self, |conn| {
            let mut query = sqlx::QueryBuilder::new(
                "SELECT match_id, reminder_key FROM reminders WHERE match_id IN (",
            );
            let mut list = query.separated(", ");
            for pair in pairs {
                list.push_bind(pair.0);
            }
            query.push(")");
            query.build_query_as().fetch_all(conn).await
        })?;
        Ok(rows
            .into_iter()
            .map(|(pair, key)| (MatchId(pair), key))
            .collect())
    }

    /// Records reminders as sent, in a few statements; answers those recorded now (a reminder
    /// recorded before, by this sweep or another at the same moment, is left out).
    pub async fn mark_reminders(
        &mut self,
        reminders: &[(MatchId, String, &'static str)],
        at: OffsetDateTime,
    ) -> Result<std::collections::HashSet<(MatchId, String)>, StoreError> {
        let mut marked = std::collections::HashSet::new();
        if let Tx::Postgres(tx) = self {
            // Column arrays, as `insert_notifications` writes them on PostgreSQL.
            let sql = "INSERT INTO reminders (match_id, reminder_key, nudge, sent_at) \
                       SELECT match_id, reminder_key, nudge, $4 \
                       FROM UNNEST($1::uuid[], $2::text[], $3::text[]) AS r (match_id, reminder_key, nudge) \
                       ON CONFLICT (match_id, reminder_key) DO NOTHING RETURNING match_id, reminder_key";
            for batch in reminders.chunks(crate::inbox::ARRAY_BATCH) {
                let rows: Vec<(Uuid, String)> = sqlx::query_as(sql)
                    .bind(batch.iter().map(|it| it.0.0).collect::<Vec<_>>())
                    .bind(batch.iter().map(|it| it.1.as_str()).collect::<Vec<_>>())
                    .bind(batch.iter().map(|it| it.2).collect::<Vec<_>>())
                    .bind(at)
                    .fetch_all(&mut **tx)
                    .await?;
                marked.extend(rows.into_iter().map(|(pair, key)| (MatchId(pair), key)));
            }
            return Ok(marked);
        }
        // SQLite: as in `insert_notifications`, the write lock makes what is found here exactly
        // what the insert skips.
        let mut pairs: Vec<MatchId> = reminders.iter().map(|it| it.0).collect();
        pairs.sort_unstable();
        pairs.dedup();
        let before = self.reminders_sent_among(&pairs).await?;
        for batch in reminders.chunks(1_000) {
            on_backend!(self, |conn| {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO reminders (match_id, reminder_key, nudge, sent_at) ",
                );
                insert.push_values(batch, |mut row, (pair, key, nudge)| {
                    row.push_bind(pair.0)
                        .push_bind(key.clone())
                        .push_bind(*nudge)
                        .push_bind(at);
                });
                insert.push(" ON CONFLICT (match_id, reminder_key) DO NOTHING");
                insert
                    .build()
                    .execute(&mut *conn)
                    .await
                    .map(|done| done.rows_affected())
            })?;
        }
        marked.extend(
            reminders
                .iter()
                .map(|(pair, key, _)| (*pair, key.clone()))
                .filter(|it| !before.contains(it)),
        );
        Ok(marked)
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

    /// The members no longer serving (left, retired, on a career break, suspended) of a
    /// scheme's open relationships: (relationship, person).
    pub async fn departed_members_in_scheme(
        &mut self,
        scheme: SchemeId,
    ) -> Result<Vec<(MatchId, PersonId)>, StoreError> {
        let sql = "SELECT m.id, p.id FROM matches m JOIN people p ON p.id IN (m.mentor_id, m.mentee_id) \
                   WHERE m.scheme_id = $1 AND m.status IN ('introductory', 'active', 'on_hold', 'closing') \
                   AND p.employment_status <> 'serving' ORDER BY m.id";
        let rows: Vec<(Uuid, Uuid)> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .fetch_all(conn)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|(pair, person)| (MatchId(pair), PersonId(person)))
            .collect())
    }

    /// For an organisation's line manager digest (R11.4): each serving line manager with a
    /// serving report in an open relationship, as (manager, report, scheme, the report is the
    /// mentor). A mentee who applied through the confidential route is left out: their
    /// manager was not to know.
    pub async fn participants_by_line_manager(
        &mut self,
        organisation: OrganisationId,
    ) -> Result<Vec<(PersonId, PersonId, SchemeId, bool)>, StoreError> {
        let sql = "SELECT mgr.id, rep.id, m.scheme_id, m.mentor_id FROM matches m \
                   JOIN people rep ON rep.id IN (m.mentor_id, m.mentee_id) \
                   JOIN people mgr ON mgr.id = rep.line_manager_id \
                   WHERE rep.organisation_id = $1 AND rep.employment_status = 'serving' \
                   AND mgr.employment_status = 'serving' \
                   AND m.status IN ('introductory', 'active', 'on_hold', 'closing') \
                   AND (m.mentor_id = rep.id OR NOT EXISTS (SELECT 1 FROM applications a \
                        WHERE a.id = m.mentee_application_id AND a.confidential)) \
                   ORDER BY mgr.id, rep.id";
        let rows: Vec<(Uuid, Uuid, Uuid, Uuid)> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(organisation.0)
            .fetch_all(conn)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|(manager, report, scheme, mentor)| {
                (
                    PersonId(manager),
                    PersonId(report),
                    SchemeId(scheme),
                    mentor == report,
                )
            })
            .collect())
    }
}
