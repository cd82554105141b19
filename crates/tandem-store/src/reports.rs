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

mod sessions;
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

impl Span {
    /// Every span, in the order [`Tx::report_spreads`] gives them.
    pub const ALL: [Self; 3] = [Self::WaitForMatch, Self::TimeToMatch, Self::Duration];
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

/// Where a count belongs: the scheme, and the division and force of the person it is counted
/// for (a pair's mentee, an applicant). A dashboard reads its counts by place once and adds
/// them up by scheme, division, force or in all, rather than asking the database once a split.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Place {
    /// The scheme's key.
    pub scheme: String,
    /// The person's division, if one is recorded.
    pub division: Option<String>,
    /// The person's organisation's code.
    pub force: String,
}

/// What happened to the pairs of one place over a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PairCounts {
    /// Confirmed in the window.
    pub matches: u64,
    /// Closed after their closing reviews in the window.
    pub completed: u64,
    /// Ended early in the window: withdrawn, or not going on after the introductory meeting.
    pub ended_early: u64,
    /// Under way at some time in the window.
    pub running: u64,
}

/// How many pairs stand in each state today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Standing {
    /// Confirmed, before their introductory meeting decided them.
    pub introductory: u64,
    /// Under way.
    pub active: u64,
    /// On hold.
    pub on_hold: u64,
    /// Closing.
    pub closing: u64,
}

/// The pairs of one place: what happened over each window asked for, and where they stand.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PairTally {
    /// A count per window, in the order the windows were given.
    pub windows: Vec<PairCounts>,
    /// Today.
    pub standing: Standing,
}

/// The applications of one role that are in one state now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationTally {
    /// `mentor` or `mentee`.
    pub role: String,
    /// Their state now.
    pub status: String,
    /// Submitted in each window, in the order the windows were given.
    pub windows: Vec<u64>,
    /// Submitted at any time.
    pub ever: u64,
}

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

    /// The columns of a count's [`Place`]: scheme key, division, organisation code.
    fn place(self) -> String {
        format!("s.key, {}.department, o.code", self.person())
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

/// Pushes the filter for a query of the pairs (`matches m`) that needs no place: the scheme
/// by its id, the mentee only when a division is asked for.
fn push_pairs_in<'q, DB>(query: &mut QueryBuilder<DB>, filter: &'q ReportFilter)
where
    DB: sqlx::Database,
    uuid::Uuid: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    push_unplaced(query, filter, Counted::Pairs);
}

/// Pushes the filter for a query of `counted` that needs no place: the scheme by its id, the
/// person only when a division is asked for.
fn push_unplaced<'q, DB>(query: &mut QueryBuilder<DB>, filter: &'q ReportFilter, counted: Counted)
where
    DB: sqlx::Database,
    uuid::Uuid: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let (table, person) = match counted {
        Counted::Pairs => ("m", "m.mentee_id"),
        Counted::Applications => ("a", "a.person_id"),
    };
    if let Some(division) = &filter.division {
        query
            .push(format!(
                " JOIN people {alias} ON {alias}.id = {person} WHERE {alias}.department = ",
                alias = counted.person()
            ))
            .push_bind(division.as_str())
            .push(" AND ");
    } else {
        query.push(" WHERE ");
    }
    query
        .push(format!(
            "{table}.scheme_id IN (SELECT id FROM schemes WHERE organisation_id = "
        ))
        .push_bind(filter.organisation.0)
        .push(")");
    if let Some(scheme_id) = filter.scheme {
        query
            .push(format!(" AND {table}.scheme_id = "))
            .push_bind(scheme_id.0);
    }
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

/// Pushes `column` falling in `window`.
fn push_within<DB>(query: &mut QueryBuilder<DB>, column: &str, window: Window)
where
    DB: sqlx::Database,
    for<'q> OffsetDateTime: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    query
        .push(column)
        .push(" >= ")
        .push_bind(window.start)
        .push(" AND ")
        .push(column)
        .push(" < ")
        .push_bind(window.end);
}

/// Pushes which stretch between `bounds` `column` falls in, from stretch `low` up to (not
/// including) `high`, as a nest of halving comparisons; `column` is known to be within them.
fn push_stretch<DB, T>(
    query: &mut QueryBuilder<DB>,
    column: &str,
    bounds: &[T],
    low: usize,
    high: usize,
) where
    DB: sqlx::Database,
    T: Copy + for<'q> sqlx::Encode<'q, DB> + sqlx::Type<DB> + Send + 'static,
{
    let middle = low + (high - low) / 2;
    match bounds.get(middle) {
        Some(bound) if high - low > 1 => {
            query
                .push("CASE WHEN ")
                .push(column)
                .push(" < ")
                .push_bind(*bound)
                .push(" THEN ");
            push_stretch(query, column, bounds, low, middle);
            query.push(" ELSE ");
            push_stretch(query, column, bounds, middle, high);
            query.push(" END");
        }
        _ => {
            query.push(low.to_string());
        }
    }
}

/// Pairs of one place and state whose confirmation and ending fall in the same stretches.
struct PairGroup {
    place: Option<Place>,
    confirmed: i64,
    ended: Option<i64>,
    status: String,
    count: u64,
}

/// Pushes which stretch between `bounds` `column` falls in: -1 before the first bound, the
/// number of stretches at or after the last, NULL when `column` is.
fn push_stretch_or_outside<DB>(
    query: &mut QueryBuilder<DB>,
    column: &str,
    bounds: &[OffsetDateTime],
) where
    DB: sqlx::Database,
    for<'q> OffsetDateTime: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    let (Some(first), Some(last)) = (bounds.first(), bounds.last()) else {
        query.push(format!("CASE WHEN {column} IS NULL THEN NULL ELSE -1 END"));
        return;
    };
    let stretches = bounds.len() - 1;
    query
        .push(format!(
            "CASE WHEN {column} IS NULL THEN NULL WHEN {column} < "
        ))
        .push_bind(*first)
        .push(" THEN -1 WHEN ")
        .push(column)
        .push(" >= ")
        .push_bind(*last)
        .push(format!(" THEN {stretches} ELSE "));
    push_stretch(query, column, bounds, 0, stretches);
    query.push(" END");
}

/// Pushes a count of the rows meeting the condition `condition` pushes.
fn push_count<DB>(query: &mut QueryBuilder<DB>, condition: impl FnOnce(&mut QueryBuilder<DB>))
where
    DB: sqlx::Database,
{
    query.push("CAST(SUM(CASE WHEN ");
    condition(query);
    query.push(" THEN 1 ELSE 0 END) AS BIGINT)");
}

/// The place of a row whose first three columns are [`Counted::place`].
fn place_of<R>(row: &R) -> Result<Place, sqlx::Error>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    Ok(Place {
        scheme: row.try_get(0)?,
        division: row.try_get(1)?,
        force: row.try_get(2)?,
    })
}

/// A count in column `index`, none (a sum over no rows) as 0.
fn count_at<R>(row: &R, index: usize) -> Result<u64, sqlx::Error>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    for<'r> Option<i64>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let raw: Option<i64> = row.try_get(index)?;
    Ok(raw.and_then(|it| u64::try_from(it).ok()).unwrap_or(0))
}

/// The sorted ends of `windows` and, for each window, the stretches between those ends it
/// covers (first included, last not).
fn stretches_of(windows: &[Window]) -> (Vec<OffsetDateTime>, Vec<(i64, i64)>) {
    let mut bounds: Vec<OffsetDateTime> =
        windows.iter().flat_map(|it| [it.start, it.end]).collect();
    bounds.sort_unstable();
    bounds.dedup();
    let position = |instant: OffsetDateTime| {
        i64::try_from(bounds.partition_point(|it| *it < instant)).unwrap_or(i64::MAX)
    };
    let spans = windows
        .iter()
        .map(|it| (position(it.start), position(it.end)))
        .collect();
    (bounds, spans)
}

impl PairTally {
    /// Adds a group of pairs to each window (`spans`, as [`stretches_of`] gives them) and to
    /// where things stand.
    fn add(&mut self, group: &PairGroup, spans: &[(i64, i64)]) {
        let closed = group.status == "closed";
        let early = matches!(group.status.as_str(), "withdrawn" | "declined");
        for (counts, (first, end)) in self.windows.iter_mut().zip(spans) {
            let within = |stretch: i64| *first <= stretch && stretch < *end;
            if within(group.confirmed) {
                counts.matches += group.count;
            }
            if let Some(ended) = group.ended {
                if closed && within(ended) {
                    counts.completed += group.count;
                }
                if early && within(ended) {
                    counts.ended_early += group.count;
                }
            }
            if group.confirmed < *end && group.ended.is_none_or(|it| it >= *first) {
                counts.running += group.count;
            }
        }
        let standing = &mut self.standing;
        match group.status.as_str() {
            "introductory" => standing.introductory += group.count,
            "active" => standing.active += group.count,
            "on_hold" => standing.on_hold += group.count,
            "closing" => standing.closing += group.count,
            _ => {}
        }
    }
}

impl Tx {
    /// What happened to the pairs in scope over each of `windows`, and where they stand
    /// today, all places together: one reading, however many windows the page shows. Each
    /// pair is grouped by the stretch between the windows' ends its confirmation and its ending
    /// fall in (found by halving), and its state; the windows' counts are added up from those
    /// groups.
    pub async fn report_pair_tallies(
        &mut self,
        filter: &ReportFilter,
        windows: &[Window],
    ) -> Result<PairTally, StoreError> {
        let (bounds, spans) = stretches_of(windows);
        let mut tally = PairTally {
            windows: vec![PairCounts::default(); windows.len()],
            standing: Standing::default(),
        };
        for group in self.pair_groups(filter, &bounds, None).await? {
            tally.add(&group, &spans);
        }
        Ok(tally)
    }

    /// What happened to the pairs of each place over `window`: only the pairs that count in
    /// it are read.
    pub async fn report_pair_tallies_by_place(
        &mut self,
        filter: &ReportFilter,
        window: Window,
    ) -> Result<Vec<(Place, PairCounts)>, StoreError> {
        let (bounds, spans) = stretches_of(&[window]);
        let mut tallies: std::collections::BTreeMap<Place, PairTally> =
            std::collections::BTreeMap::new();
        for group in self.pair_groups(filter, &bounds, Some(window)).await? {
            let Some(place) = group.place.clone() else {
                continue;
            };
            tallies
                .entry(place)
                .or_insert_with(|| PairTally {
                    windows: vec![PairCounts::default()],
                    standing: Standing::default(),
                })
                .add(&group, &spans);
        }
        Ok(tallies
            .into_iter()
            .map(|(place, tally)| (place, tally.windows.first().copied().unwrap_or_default()))
            .collect())
    }

    /// The confirmed pairs in scope, counted by state and the stretches (numbered as in
    /// [`push_stretch_or_outside`]) their confirmation and ending fall in; by place too when
    /// `placed` names the one window they are wanted for, and then only the pairs that count
    /// in it (confirmed before its end, not ended before its start).
    async fn pair_groups(
        &mut self,
        filter: &ReportFilter,
        bounds: &[OffsetDateTime],
        placed: Option<Window>,
    ) -> Result<Vec<PairGroup>, StoreError> {
        let rows = on_backend!(self, |conn| {
            // The place's three columns come first when it is read.
            let at = if placed.is_some() { 3 } else { 0 };
            let mut query = QueryBuilder::new("SELECT ");
            if placed.is_some() {
                query.push("x.place_scheme, x.place_division, x.place_force, ");
            }
            query.push("CAST(");
            push_stretch_or_outside(&mut query, "x.confirmed_at", bounds);
            query.push(" AS BIGINT), CAST(");
            push_stretch_or_outside(&mut query, "x.ended_at", bounds);
            query.push(" AS BIGINT), x.status, COUNT(*) FROM (SELECT ");
            if placed.is_some() {
                query.push(
                    "s.key AS place_scheme, p.department AS place_division, o.code AS place_force, ",
                );
            }
            query.push(
                "m.confirmed_at, m.status, \
                 CASE WHEN m.status = 'closed' THEN m.closed_at \
                 WHEN m.status IN ('withdrawn', 'declined') THEN m.decided_at END AS ended_at \
                 FROM matches m",
            );
            if placed.is_some() {
                push_scope(&mut query, filter, Counted::Pairs);
            } else {
                push_pairs_in(&mut query, filter);
            }
            query.push(" AND m.confirmed_at IS NOT NULL) x");
            if let Some(window) = placed {
                query
                    .push(" WHERE x.confirmed_at < ")
                    .push_bind(window.end)
                    .push(" AND (x.ended_at IS NULL OR x.ended_at >= ")
                    .push_bind(window.start)
                    .push(")");
            }
            query.push(if placed.is_some() {
                " GROUP BY 1, 2, 3, 4, 5, 6"
            } else {
                " GROUP BY 1, 2, 3"
            });
            let rows = query.build().fetch_all(conn).await?;
            rows.iter()
                .map(|row| {
                    Ok(PairGroup {
                        place: placed.map(|_| place_of(row)).transpose()?,
                        confirmed: sqlx::Row::try_get::<i64, _>(row, at)?,
                        ended: sqlx::Row::try_get::<Option<i64>, _>(row, at + 1)?,
                        status: sqlx::Row::try_get(row, at + 2)?,
                        count: count_at(row, at + 3)?,
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()
        })?;
        Ok(rows)
    }

    /// The applications in scope by role and present state, all places together: how many
    /// were submitted in each of `windows`, and ever.
    pub async fn report_application_tallies(
        &mut self,
        filter: &ReportFilter,
        windows: &[Window],
    ) -> Result<Vec<ApplicationTally>, StoreError> {
        type Row = (String, String, Vec<u64>);
        let rows: Vec<Row> = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new("SELECT a.role, a.status");
            for window in windows {
                query.push(", ");
                push_count(&mut query, |query| {
                    push_within(query, "a.submitted_at", *window);
                });
            }
            query.push(", COUNT(*) FROM applications a");
            push_unplaced(&mut query, filter, Counted::Applications);
            query.push(" AND a.role IN ('mentor', 'mentee') GROUP BY 1, 2");
            let rows = query.build().fetch_all(conn).await?;
            rows.iter()
                .map(|row| {
                    let role: String = sqlx::Row::try_get(row, 0)?;
                    let status: String = sqlx::Row::try_get(row, 1)?;
                    let counts = (0..=windows.len())
                        .map(|index| count_at(row, 2 + index))
                        .collect::<Result<Vec<u64>, sqlx::Error>>()?;
                    Ok((role, status, counts))
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()
        })?;
        Ok(rows
            .into_iter()
            .map(|(role, status, mut counts)| {
                let ever = counts.pop().unwrap_or(0);
                ApplicationTally {
                    role,
                    status,
                    windows: counts,
                    ever,
                }
            })
            .collect())
    }

    /// The applications to mentor or be mentored submitted in `window`, by place.
    pub async fn report_applications_by_place(
        &mut self,
        filter: &ReportFilter,
        window: Window,
    ) -> Result<Vec<(Place, u64)>, StoreError> {
        let rows = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new("SELECT ");
            query
                .push(Counted::Applications.place())
                .push(", COUNT(*) FROM applications a");
            push_scope(&mut query, filter, Counted::Applications);
            query.push(" AND a.role IN ('mentor', 'mentee') AND ");
            push_within(&mut query, "a.submitted_at", window);
            query.push(" GROUP BY 1, 2, 3");
            let rows = query.build().fetch_all(conn).await?;
            rows.iter()
                .map(|row| Ok((place_of(row)?, count_at(row, 3)?)))
                .collect::<Result<Vec<_>, sqlx::Error>>()
        })?;
        Ok(rows)
    }

    /// For each of `windows` (which must not overlap), the count, median and 90th percentile of
    /// each span in [`Span::ALL`] order, of what happened in it: one reading that numbers each
    /// window's and span's days in order and keeps the two ranks.
    pub async fn report_spreads(
        &mut self,
        filter: &ReportFilter,
        windows: &[Window],
    ) -> Result<Vec<[Spread; 3]>, StoreError> {
        let backend = self.backend();
        let mut spreads = vec![[Spread::default(); 3]; windows.len()];
        let (Some(first), Some(last)) = (
            windows.iter().map(|it| it.start).min(),
            windows.iter().map(|it| it.end).max(),
        ) else {
            return Ok(spreads);
        };
        let measured = Span::ALL.map(|span| match span {
            Span::WaitForMatch => (
                days_between(
                    backend,
                    "x.confirmed_at",
                    "COALESCE(x.decided_at, x.submitted_at)",
                ),
                "x.confirmed_at",
                "x.confirmed_at IS NOT NULL",
            ),
            Span::TimeToMatch => (
                days_between(backend, "x.confirmed_at", "x.submitted_at"),
                "x.confirmed_at",
                "x.confirmed_at IS NOT NULL",
            ),
            Span::Duration => (
                days_between(backend, "x.closed_at", "x.confirmed_at"),
                "x.closed_at",
                "x.status = 'closed'",
            ),
        });
        let within = Window {
            start: first,
            end: last,
        };
        let rows: Vec<(i64, i64, i64, i64, f64)> = on_backend!(self, |conn| {
            // The pairs confirmed or closed in the windows, read once for the three spans.
            let mut query = QueryBuilder::new(
                "WITH x AS MATERIALIZED (SELECT m.confirmed_at, m.closed_at, m.status, \
                 a.submitted_at, a.decided_at FROM matches m \
                 JOIN applications a ON a.id = m.mentee_application_id",
            );
            push_pairs_in(&mut query, filter);
            query.push(" AND m.confirmed_at IS NOT NULL AND ((");
            push_within(&mut query, "m.confirmed_at", within);
            query.push(") OR (m.status = 'closed' AND ");
            push_within(&mut query, "m.closed_at", within);
            query.push(
                "))) SELECT CAST(y.span AS BIGINT), CAST(y.w AS BIGINT), CAST(y.n AS BIGINT), \
                 CAST(y.rn AS BIGINT), y.d FROM (SELECT z.span, z.w, z.d, \
                 ROW_NUMBER() OVER (PARTITION BY z.span, z.w ORDER BY z.d) AS rn, \
                 COUNT(*) OVER (PARTITION BY z.span, z.w) AS n FROM (",
            );
            for (span, (days, at, condition)) in measured.iter().enumerate() {
                if span > 0 {
                    query.push(" UNION ALL ");
                }
                query.push(format!("SELECT {span} AS span, CASE"));
                for (position, window) in windows.iter().enumerate() {
                    query.push(" WHEN ");
                    push_within(&mut query, at, *window);
                    query.push(format!(" THEN {position}"));
                }
                query
                    .push(" END AS w, ")
                    .push(days)
                    .push(" AS d FROM x WHERE ")
                    .push(*condition)
                    .push(" AND ");
                push_within(&mut query, at, within);
            }
            // The nearest ranks of the median and the 90th percentile: ceil(n × p / 100).
            query.push(
                ") z WHERE z.w IS NOT NULL) y \
                 WHERE y.rn = (y.n * 50 + 99) / 100 OR y.rn = (y.n * 90 + 99) / 100",
            );
            query.build_query_as().fetch_all(conn).await
        })?;
        for (span, position, count, rank, days) in rows {
            let (Some(three), Ok(span), Ok(count)) = (
                usize::try_from(position)
                    .ok()
                    .and_then(|it| spreads.get_mut(it)),
                usize::try_from(span),
                u64::try_from(count),
            ) else {
                continue;
            };
            let Some(spread) = three.get_mut(span) else {
                continue;
            };
            spread.count = count;
            let at = |percent| {
                tandem_core::reports::nearest_rank(count, percent)
                    .and_then(|offset| i64::try_from(offset + 1).ok())
            };
            if at(50) == Some(rank) {
                spread.median = Some(days);
            }
            if at(90) == Some(rank) {
                spread.p90 = Some(days);
            }
        }
        Ok(spreads)
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
            push_pairs_in(&mut query, filter);
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
