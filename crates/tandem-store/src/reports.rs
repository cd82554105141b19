//! Counts for the programme's dashboards (R10.1): every figure is an aggregate computed by the
//! database, on either backend, so a dashboard never loads the rows it counts.
//!
//! What a figure means lives here, once, in the SQL: a match is counted when it is confirmed,
//! a completion when the relationship closes, an early ending when a confirmed pair is
//! withdrawn or stops after its introductory meeting, a session when one is held. Pairs are counted in their mentee's division and
//! force; applications in the applicant's.

use crate::StoreError;
use crate::backend::{Backend, Tx, on_backend};
use sqlx::QueryBuilder;
use tandem_core::{OrganisationId, SchemeId};
use time::OffsetDateTime;

/// What a report counts: one organisation's schemes, perhaps one scheme or one division.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFilter {
    /// The organisation running the schemes.
    pub organisation: OrganisationId,
    /// Only this scheme.
    pub scheme: Option<SchemeId>,
    /// Only people of this division (department).
    pub division: Option<String>,
}

/// A stretch of time, its start included and its end not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The first instant.
    pub start: OffsetDateTime,
    /// The instant just after the last.
    pub end: OffsetDateTime,
}

/// How counts are split.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping<'a> {
    /// One figure for everything.
    Whole,
    /// By scheme (its key).
    Scheme,
    /// By the person's division (`None` for people with none).
    Division,
    /// By the person's organisation (its code): the national body's cross-force view.
    Force,
    /// By which of these consecutive windows the event fell in (its position, as text).
    Windows(&'a [Window]),
}

/// Events counted over a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Applications received, in either role.
    Applications,
    /// Pairs confirmed.
    Matches,
    /// Relationships closed after their closing reviews.
    Completed,
    /// Confirmed pairs ended before closing: withdrawn, or not going on after the introductory
    /// meeting.
    EndedEarly,
    /// Sessions held (introductory meetings not counted).
    SessionsHeld,
}

/// Lengths of time measured in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// From the mentee's approval to their pair's confirmation, for pairs confirmed.
    WaitForMatch,
    /// From the mentee's application to their pair's confirmation, for pairs confirmed.
    TimeToMatch,
    /// From confirmation to closing, for relationships completed.
    Duration,
}

/// How a span was spread: how many were measured, and the median and 90th percentile (nearest
/// rank) in days.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Spread {
    /// How many were measured.
    pub count: u64,
    /// The median, in days.
    pub median: Option<f64>,
    /// The 90th percentile, in days.
    pub p90: Option<f64>,
}

/// Where things stand now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Snapshot {
    /// Approved mentees not yet in a pair.
    pub waiting: u64,
    /// Pairs confirmed, before their introductory meeting decided them.
    pub introductory: u64,
    /// Relationships under way.
    pub active: u64,
    /// Relationships on hold.
    pub on_hold: u64,
    /// Relationships closing.
    pub closing: u64,
}

/// How far the matches of one band of scores got (R11.3): the band is a quarter of the period's
/// scored matches, lowest scores first.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct QualityBand {
    /// 1 for the lowest quarter of scores … 4 for the highest.
    pub band: u8,
    /// The lowest and highest score in the band.
    pub scores: (i64, i64),
    /// Matches confirmed in the period with a score.
    pub matches: u64,
    /// Of them, those whose introductory meeting was held.
    pub met: u64,
    /// Those that recorded a progress review.
    pub reviewed: u64,
    /// Those that completed (closed after their closing reviews).
    pub completed: u64,
    /// The mean of the members' check-in scores (1 to 5), where any were given.
    pub pulse: Option<f64>,
}

/// What happened to the pairs of one group over a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PairCounts {
    /// Confirmed in the window.
    pub matches: u64,
    /// Closed after their closing reviews in the window.
    pub completed: u64,
    /// Ended early in the window.
    pub ended_early: u64,
    /// Under way at some time in the window.
    pub running: u64,
}

/// A count per group: the group's key (`None` for the whole, or a person without a division).
pub type Counts = Vec<(Option<String>, u64)>;

/// The moment a pair ended, if it has.
const ENDED: &str = "(CASE WHEN m.status = 'closed' THEN m.closed_at WHEN m.status IN ('withdrawn', 'declined') THEN m.decided_at END)";

/// What a query counts: pairs (in their mentee's division and force) or applications (in the
/// applicant's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Counted {
    Pairs,
    Applications,
}

impl Counted {
    /// The alias of the person a row is counted for.
    fn person(self) -> &'static str {
        match self {
            Self::Pairs => "p",
            Self::Applications => "ap",
        }
    }

    /// The joins from the counted table (`m` or `a`) to its scheme, person and organisation.
    fn joins(self) -> &'static str {
        match self {
            Self::Pairs => {
                " JOIN schemes s ON s.id = m.scheme_id JOIN people p ON p.id = m.mentee_id \
                 JOIN organisations o ON o.id = p.organisation_id"
            }
            Self::Applications => {
                " JOIN schemes s ON s.id = a.scheme_id JOIN people ap ON ap.id = a.person_id \
                 JOIN organisations o ON o.id = ap.organisation_id"
            }
        }
    }
}

/// Pushes the key of `grouping` for an event at `at`.
fn push_key<'q, DB>(
    query: &mut QueryBuilder<DB>,
    grouping: Grouping<'_>,
    counted: Counted,
    at: &str,
) where
    DB: sqlx::Database,
    OffsetDateTime: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    match grouping {
        Grouping::Whole => {
            query.push("CAST(NULL AS TEXT)");
        }
        Grouping::Scheme => {
            query.push("s.key");
        }
        Grouping::Division => {
            query.push(counted.person()).push(".department");
        }
        Grouping::Force => {
            query.push("o.code");
        }
        Grouping::Windows(windows) => {
            query.push("CASE");
            for (position, window) in windows.iter().enumerate() {
                query
                    .push(" WHEN ")
                    .push(at)
                    .push(" >= ")
                    .push_bind(window.start)
                    .push(" AND ")
                    .push(at)
                    .push(" < ")
                    .push_bind(window.end)
                    .push(format!(" THEN '{position}'"));
            }
            query.push(" END");
        }
    }
}

/// Pushes the joins to the scheme, the person and their organisation, then the filter.
pub(crate) fn push_scope<'q, DB>(
    query: &mut QueryBuilder<DB>,
    filter: &'q ReportFilter,
    counted: Counted,
) where
    DB: sqlx::Database,
    uuid::Uuid: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    query
        .push(counted.joins())
        .push(" WHERE s.organisation_id = ")
        .push_bind(filter.organisation.0);
    if let Some(scheme_id) = filter.scheme {
        query.push(" AND s.id = ").push_bind(scheme_id.0);
    }
    if let Some(division) = &filter.division {
        query
            .push(" AND ")
            .push(counted.person())
            .push(".department = ")
            .push_bind(division.as_str());
    }
}

fn counts(rows: Vec<(Option<String>, i64)>) -> Counts {
    rows.into_iter()
        .map(|(key, count)| (key, u64::try_from(count).unwrap_or(0)))
        .collect()
}

/// Days between two instants, in the backend's own arithmetic.
fn days_between(backend: Backend, later: &str, earlier: &str) -> String {
    match backend {
        Backend::Sqlite => format!("(julianday({later}) - julianday({earlier}))"),
        Backend::Postgres => {
            format!("(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)::DOUBLE PRECISION")
        }
    }
}

/// The pairs a span is measured over.
struct Measured<'f> {
    filter: &'f ReportFilter,
    window: Window,
    at: &'static str,
    condition: &'static str,
}

impl<'f> Measured<'f> {
    fn push_from<'q, DB>(&self, query: &mut QueryBuilder<DB>)
    where
        'f: 'q,
        DB: sqlx::Database,
        uuid::Uuid: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        OffsetDateTime: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    {
        query.push(" FROM matches m JOIN applications a ON a.id = m.mentee_application_id");
        push_scope(query, self.filter, Counted::Pairs);
        query
            .push(" AND ")
            .push(self.condition)
            .push(" AND ")
            .push(self.at)
            .push(" >= ")
            .push_bind(self.window.start)
            .push(" AND ")
            .push(self.at)
            .push(" < ")
            .push_bind(self.window.end);
    }
}

impl Tx {
    /// How many `flow` events happened in `window`, split by `grouping`.
    pub async fn report_flow(
        &mut self,
        filter: &ReportFilter,
        window: Window,
        flow: Flow,
        grouping: Grouping<'_>,
    ) -> Result<Counts, StoreError> {
        let (from, counted, at, condition) = match flow {
            Flow::Applications => (
                "applications a",
                Counted::Applications,
                "a.submitted_at",
                "a.role IN ('mentor', 'mentee')",
            ),
            Flow::Matches => (
                "matches m",
                Counted::Pairs,
                "m.confirmed_at",
                "m.confirmed_at IS NOT NULL",
            ),
            Flow::Completed => (
                "matches m",
                Counted::Pairs,
                "m.closed_at",
                "m.status = 'closed'",
            ),
            Flow::EndedEarly => (
                "matches m",
                Counted::Pairs,
                "m.decided_at",
                "m.status IN ('withdrawn', 'declined') AND m.confirmed_at IS NOT NULL",
            ),
            // Counted by `report_sessions`.
            Flow::SessionsHeld => (
                "meetings mt JOIN matches m ON m.id = mt.match_id",
                Counted::Pairs,
                "mt.starts_at",
                "mt.status = 'held' AND mt.kind = 'session'",
            ),
        };
        if flow == Flow::SessionsHeld {
            return self.report_sessions(filter, window, grouping).await;
        }
        let rows: Vec<(Option<String>, i64)> = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new("SELECT ");
            push_key(&mut query, grouping, counted, at);
            query.push(" AS key, COUNT(*) FROM ").push(from);
            push_scope(&mut query, filter, counted);
            query
                .push(" AND ")
                .push(condition)
                .push(" AND ")
                .push(at)
                .push(" >= ")
                .push_bind(window.start)
                .push(" AND ")
                .push(at)
                .push(" < ")
                .push_bind(window.end)
                .push(" GROUP BY 1");
            query.build_query_as().fetch_all(conn).await
        })?;
        Ok(counts(rows))
    }

    /// Sessions held in `window`: counted per pair from the index of a pair's held sessions by
    /// day, then summed by group, so that only the pairs (20,000, not their 400,000 meetings)
    /// are joined to the scope and grouped.
    async fn report_sessions(
        &mut self,
        filter: &ReportFilter,
        window: Window,
        grouping: Grouping<'_>,
    ) -> Result<Counts, StoreError> {
        fn held<DB>(query: &mut QueryBuilder<DB>, window: Window)
        where
            DB: sqlx::Database,
            for<'q> OffsetDateTime: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
        {
            query
                .push(
                    "CAST(SUM((SELECT COUNT(*) FROM meetings mt WHERE mt.match_id = m.id \
                     AND mt.kind = 'session' AND mt.status = 'held' AND mt.starts_at >= ",
                )
                .push_bind(window.start)
                .push(" AND mt.starts_at < ")
                .push_bind(window.end)
                .push(")) AS BIGINT)");
        }
        if let Grouping::Windows(windows) = grouping {
            // A column per window: one reading of the pairs, whatever the number of months.
            let columns: Vec<Option<i64>> = on_backend!(self, |conn| {
                let mut query = QueryBuilder::new("SELECT ");
                for (position, each) in windows.iter().enumerate() {
                    if position > 0 {
                        query.push(", ");
                    }
                    held(&mut query, *each);
                }
                query.push(" FROM matches m");
                push_scope(&mut query, filter, Counted::Pairs);
                query.push(" AND m.confirmed_at IS NOT NULL");
                let row = query.build().fetch_one(conn).await?;
                (0..windows.len())
                    .map(|index| sqlx::Row::try_get(&row, index))
                    .collect::<Result<Vec<Option<i64>>, sqlx::Error>>()
            })?;
            return Ok(columns
                .into_iter()
                .enumerate()
                .map(|(position, count)| {
                    (
                        Some(position.to_string()),
                        count.and_then(|it| u64::try_from(it).ok()).unwrap_or(0),
                    )
                })
                .collect());
        }
        let rows: Vec<(Option<String>, Option<i64>)> = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new("SELECT ");
            push_key(&mut query, grouping, Counted::Pairs, "");
            query.push(" AS key, ");
            held(&mut query, window);
            query.push(" FROM matches m");
            push_scope(&mut query, filter, Counted::Pairs);
            query.push(" AND m.confirmed_at IS NOT NULL GROUP BY 1");
            query.build_query_as().fetch_all(conn).await
        })?;
        Ok(rows
            .into_iter()
            .map(|(key, count)| {
                (
                    key,
                    count.and_then(|it| u64::try_from(it).ok()).unwrap_or(0),
                )
            })
            .collect())
    }

    /// Matches, completions, early endings and running pairs over `window`, by group (not by
    /// windows), in one reading of the pairs rather than a statement a figure.
    /// figure at a time.
    pub async fn report_pairs(
        &mut self,
        filter: &ReportFilter,
        window: Window,
        grouping: Grouping<'_>,
    ) -> Result<Vec<(Option<String>, PairCounts)>, StoreError> {
        let grouping = match grouping {
            Grouping::Windows(_) => Grouping::Whole,
            other => other,
        };
        type Row = (Option<String>, i64, i64, i64, i64);
        let rows: Vec<Row> = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new("SELECT ");
            push_key(&mut query, grouping, Counted::Pairs, "m.confirmed_at");
            let between = |query: &mut QueryBuilder<_>, column: &str| {
                query
                    .push(column)
                    .push(" >= ")
                    .push_bind(window.start)
                    .push(" AND ")
                    .push(column)
                    .push(" < ")
                    .push_bind(window.end);
            };
            query.push(" AS key, CAST(SUM(CASE WHEN ");
            between(&mut query, "m.confirmed_at");
            query.push(
                " THEN 1 ELSE 0 END) AS BIGINT), CAST(SUM(CASE WHEN m.status = 'closed' AND ",
            );
            between(&mut query, "m.closed_at");
            query.push(
                " THEN 1 ELSE 0 END) AS BIGINT), CAST(SUM(CASE WHEN m.status IN ('withdrawn', 'declined') AND ",
            );
            between(&mut query, "m.decided_at");
            query
                .push(" THEN 1 ELSE 0 END) AS BIGINT), CAST(SUM(CASE WHEN m.confirmed_at < ")
                .push_bind(window.end)
                .push(" AND (")
                .push(ENDED)
                .push(" IS NULL OR ")
                .push(ENDED)
                .push(" >= ")
                .push_bind(window.start)
                .push(") THEN 1 ELSE 0 END) AS BIGINT) FROM matches m");
            push_scope(&mut query, filter, Counted::Pairs);
            query.push(" AND m.confirmed_at IS NOT NULL GROUP BY 1");
            query.build_query_as().fetch_all(conn).await
        })?;
        let count = |raw: i64| u64::try_from(raw).unwrap_or(0);
        Ok(rows
            .into_iter()
            .map(|(key, matches, completed, ended_early, running)| {
                (
                    key,
                    PairCounts {
                        matches: count(matches),
                        completed: count(completed),
                        ended_early: count(ended_early),
                        running: count(running),
                    },
                )
            })
            .collect())
    }

    /// Applications received in `window`, by role and the state they are in now.
    pub async fn report_applications(
        &mut self,
        filter: &ReportFilter,
        window: Window,
    ) -> Result<Vec<(String, String, u64)>, StoreError> {
        let rows: Vec<(String, String, i64)> = on_backend!(self, |conn| {
            let mut query =
                QueryBuilder::new("SELECT a.role, a.status, COUNT(*) FROM applications a");
            push_scope(&mut query, filter, Counted::Applications);
            query
                .push(" AND a.submitted_at >= ")
                .push_bind(window.start)
                .push(" AND a.submitted_at < ")
                .push_bind(window.end)
                .push(" GROUP BY a.role, a.status ORDER BY a.role, a.status");
            query.build_query_as().fetch_all(conn).await
        })?;
        Ok(rows
            .into_iter()
            .map(|(role, status, count)| (role, status, u64::try_from(count).unwrap_or(0)))
            .collect())
    }

    /// The count, median and 90th percentile of `span` for what happened in `window`.
    pub async fn report_spread(
        &mut self,
        filter: &ReportFilter,
        window: Window,
        span: Span,
    ) -> Result<Spread, StoreError> {
        let backend = self.backend();
        let (days, at, condition) = match span {
            Span::WaitForMatch => (
                days_between(
                    backend,
                    "m.confirmed_at",
                    "COALESCE(a.decided_at, a.submitted_at)",
                ),
                "m.confirmed_at",
                "m.confirmed_at IS NOT NULL",
            ),
            Span::TimeToMatch => (
                days_between(backend, "m.confirmed_at", "a.submitted_at"),
                "m.confirmed_at",
                "m.confirmed_at IS NOT NULL",
            ),
            Span::Duration => (
                days_between(backend, "m.closed_at", "m.confirmed_at"),
                "m.closed_at",
                "m.status = 'closed' AND m.confirmed_at IS NOT NULL",
            ),
        };
        let measured = Measured {
            filter,
            window,
            at,
            condition,
        };
        let count: i64 = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new("SELECT COUNT(*)");
            measured.push_from(&mut query);
            query.build_query_scalar().fetch_one(conn).await
        })?;
        let count = u64::try_from(count).unwrap_or(0);
        let rank = |percent| {
            tandem_core::reports::nearest_rank(count, percent)
                .and_then(|offset| i64::try_from(offset + 1).ok())
        };
        let (Some(median), Some(p90)) = (rank(50), rank(90)) else {
            return Ok(Spread::default());
        };
        // Both values in one reading: each row numbered in order, the two ranks kept.
        let ranked: Vec<(i64, f64)> = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new(
                "SELECT CAST(y.rn AS BIGINT), y.d FROM (SELECT x.d, ROW_NUMBER() OVER (ORDER BY x.d) AS rn FROM (SELECT ",
            );
            query.push(&days).push(" AS d");
            measured.push_from(&mut query);
            query
                .push(") x) y WHERE y.rn IN (")
                .push_bind(median)
                .push(", ")
                .push_bind(p90)
                .push(")");
            query.build_query_as().fetch_all(conn).await
        })?;
        let at_rank = |rank: i64| ranked.iter().find(|(rn, _)| *rn == rank).map(|(_, d)| *d);
        let spread = Spread {
            count,
            median: at_rank(median),
            p90: at_rank(p90),
        };
        Ok(spread)
    }

    /// Where things stand now: mentees waiting, and relationships by state.
    pub async fn report_snapshot(&mut self, filter: &ReportFilter) -> Result<Snapshot, StoreError> {
        let states: Vec<(String, i64)> = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new("SELECT m.status, COUNT(*) FROM matches m");
            push_scope(&mut query, filter, Counted::Pairs);
            query.push(
                " AND m.status IN ('introductory', 'active', 'on_hold', 'closing') GROUP BY m.status",
            );
            query.build_query_as().fetch_all(conn).await
        })?;
        let waiting: i64 = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new("SELECT COUNT(*) FROM applications a");
            push_scope(&mut query, filter, Counted::Applications);
            query.push(" AND a.role = 'mentee' AND a.status = 'approved'");
            query.build_query_scalar().fetch_one(conn).await
        })?;
        let mut snapshot = Snapshot {
            waiting: u64::try_from(waiting).unwrap_or(0),
            ..Snapshot::default()
        };
        for (status, count) in states {
            let count = u64::try_from(count).unwrap_or(0);
            match status.as_str() {
                "introductory" => snapshot.introductory = count,
                "active" => snapshot.active = count,
                "on_hold" => snapshot.on_hold = count,
                "closing" => snapshot.closing = count,
                _ => {}
            }
        }
        Ok(snapshot)
    }

    /// The divisions of the people who applied to `organisation`'s schemes, for choosing one.
    pub async fn report_divisions(
        &mut self,
        organisation: OrganisationId,
    ) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT DISTINCT ap.department FROM applications a JOIN schemes s ON s.id = a.scheme_id \
                   JOIN people ap ON ap.id = a.person_id \
                   WHERE s.organisation_id = $1 AND ap.department IS NOT NULL ORDER BY 1";
        let rows: Vec<String> = on_backend!(self, |conn| sqlx::query_scalar(sql)
            .bind(organisation.0)
            .fetch_all(conn)
            .await)?;
        Ok(rows)
    }

    /// How far the period's scored matches got, by quarter of the score matching gave them.
    pub async fn report_quality(
        &mut self,
        filter: &ReportFilter,
        window: Window,
    ) -> Result<Vec<QualityBand>, StoreError> {
        type Row = (i64, i64, i64, i64, i64, i64, i64, Option<f64>);
        let rows: Vec<Row> = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new(
                "SELECT CAST(q.band AS BIGINT), CAST(MIN(q.score) AS BIGINT), CAST(MAX(q.score) AS BIGINT), COUNT(*), \
                 SUM(q.met), SUM(q.reviewed), SUM(q.completed), CAST(AVG(q.pulse) AS DOUBLE PRECISION) \
                 FROM (SELECT NTILE(4) OVER (ORDER BY m.score, m.id) AS band, m.score, \
                 CASE WHEN m.started_on IS NOT NULL OR EXISTS (SELECT 1 FROM meetings mt WHERE mt.match_id = m.id \
                   AND mt.kind = 'introductory' AND mt.status = 'held') THEN 1 ELSE 0 END AS met, \
                 CASE WHEN EXISTS (SELECT 1 FROM relationship_reviews r WHERE r.match_id = m.id \
                   AND r.kind = 'progress') THEN 1 ELSE 0 END AS reviewed, \
                 CASE WHEN m.status = 'closed' THEN 1 ELSE 0 END AS completed, \
                 (SELECT AVG(CAST(pu.score AS DOUBLE PRECISION)) FROM pulses pu WHERE pu.match_id = m.id) AS pulse \
                 FROM matches m",
            );
            push_scope(&mut query, filter, Counted::Pairs);
            query
                .push(" AND m.score IS NOT NULL AND m.confirmed_at >= ")
                .push_bind(window.start)
                .push(" AND m.confirmed_at < ")
                .push_bind(window.end)
                .push(") q GROUP BY q.band ORDER BY q.band");
            query.build_query_as().fetch_all(conn).await
        })?;
        let count = |raw: i64| u64::try_from(raw).unwrap_or(0);
        Ok(rows
            .into_iter()
            .map(
                |(band, low, high, matches, met, reviewed, completed, pulse)| QualityBand {
                    band: u8::try_from(band).unwrap_or(0),
                    scores: (low, high),
                    matches: count(matches),
                    met: count(met),
                    reviewed: count(reviewed),
                    completed: count(completed),
                    pulse,
                },
            )
            .collect())
    }
}
