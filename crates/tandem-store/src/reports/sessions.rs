//! Held sessions for the dashboards, from counts that triggers keep as sessions are recorded and
//! mentees move: a UTC month a stretch covers whole from `held_session_months` (migration 0031),
//! the other whole UTC days from `held_session_days` (0030), and only the days a local midnight
//! cuts in two from the meetings themselves, by their time.

use super::{
    Counted, Place, ReportFilter, Window, place_of, push_pairs_in, push_scope, push_stretch,
    push_within,
};
use crate::StoreError;
use crate::backend::{Backend, Tx, on_backend};
use sqlx::QueryBuilder;
use std::collections::BTreeMap;
use time::{Date, Month, OffsetDateTime};

/// How the held sessions between a dashboard's bounds are read. A day belongs to the stretch
/// of the last start not after it; the sum over the months and day runs, less the cut days'
/// kept counts, plus the cut days' sessions read by their time, is each stretch's count.
#[derive(Debug, PartialEq, Eq)]
struct Pieces {
    /// `starts[i]` is the first UTC day wholly at or after bound `i`.
    starts: Vec<Date>,
    /// The UTC months (by their first day) that lie wholly inside one stretch.
    months: Vec<Date>,
    /// The other runs of days inside one stretch: from, and up to (not including).
    days: Vec<(Date, Date)>,
    /// The days a bound falls inside (a local midnight that is not a UTC one).
    cut: Vec<Date>,
}

/// The first day of the month after the one `day` is in.
fn next_month(day: Date) -> Date {
    let (year, month) = match day.month() {
        Month::December => (day.year() + 1, Month::January),
        other => (day.year(), other.next()),
    };
    Date::from_calendar_date(year, month, 1).unwrap_or(Date::MAX)
}

impl Pieces {
    fn new(bounds: &[OffsetDateTime]) -> Self {
        let mut starts = Vec::with_capacity(bounds.len());
        let mut cut = Vec::new();
        for bound in bounds {
            let utc = bound.to_offset(time::UtcOffset::UTC);
            if utc.time() == time::Time::MIDNIGHT {
                starts.push(utc.date());
            } else {
                cut.push(utc.date());
                starts.push(utc.date().next_day().unwrap_or(utc.date()));
            }
        }
        cut.dedup();
        let mut months = Vec::new();
        let mut days = Vec::new();
        for stretch in starts.windows(2) {
            let (mut day, end) = (stretch[0], stretch[1]);
            while day < end {
                let month_after = next_month(day);
                if day.day() == 1 && month_after <= end {
                    months.push(day);
                    day = month_after;
                } else {
                    let to = month_after.min(end);
                    match days.last_mut() {
                        Some((_, last_to)) if *last_to == day => *last_to = to,
                        _ => days.push((day, to)),
                    }
                    day = to;
                }
            }
        }
        Self {
            starts,
            months,
            days,
            cut,
        }
    }

    /// The cut days inside the stretches, whose kept counts come out again.
    fn cut_inside(&self) -> Vec<Date> {
        let (Some(first), Some(last)) = (self.starts.first(), self.starts.last()) else {
            return Vec::new();
        };
        self.cut
            .iter()
            .filter(|day| *day >= first && *day < last)
            .copied()
            .collect()
    }
}

/// Counts by place (when asked) and stretch.
type Rows = Vec<(Option<Place>, i64, i64)>;

impl Tx {
    /// Sessions held by the pairs of each place in each stretch between consecutive `bounds`
    /// (sorted instants: the first stretch from `bounds[0]` up to `bounds[1]`, and so on).
    pub async fn report_sessions_by_place(
        &mut self,
        filter: &ReportFilter,
        bounds: &[OffsetDateTime],
    ) -> Result<Vec<(Place, Vec<u64>)>, StoreError> {
        let stretches = bounds.len().saturating_sub(1);
        let mut tallies: BTreeMap<Place, Vec<u64>> = BTreeMap::new();
        for (place, stretch, count) in self.held_sessions(filter, bounds, true).await? {
            let Some(place) = place else { continue };
            let counts = tallies.entry(place).or_insert_with(|| vec![0; stretches]);
            add(counts, stretch, count);
        }
        tallies.retain(|_, counts| counts.iter().any(|it| *it > 0));
        Ok(tallies.into_iter().collect())
    }

    /// Sessions held by the pairs in scope in each stretch between consecutive `bounds`, all
    /// places together.
    pub async fn report_sessions(
        &mut self,
        filter: &ReportFilter,
        bounds: &[OffsetDateTime],
    ) -> Result<Vec<u64>, StoreError> {
        let mut counts = vec![0; bounds.len().saturating_sub(1)];
        for (_, stretch, count) in self.held_sessions(filter, bounds, false).await? {
            add(&mut counts, stretch, count);
        }
        Ok(counts)
    }

    async fn held_sessions(
        &mut self,
        filter: &ReportFilter,
        bounds: &[OffsetDateTime],
        by_place: bool,
    ) -> Result<Rows, StoreError> {
        let (Some(first), Some(last)) = (bounds.first(), bounds.last()) else {
            return Ok(Vec::new());
        };
        if bounds.len() < 2 {
            return Ok(Vec::new());
        }
        let pieces = Pieces::new(bounds);
        let mut rows = self.held_kept(filter, &pieces, by_place).await?;
        if !pieces.cut.is_empty() {
            rows.extend(
                self.held_cut_days(filter, bounds, &pieces.cut, (*first, *last), by_place)
                    .await?,
            );
        }
        Ok(rows)
    }

    /// The kept counts: whole months, the other days, less the cut days inside the stretches.
    async fn held_kept(
        &mut self,
        filter: &ReportFilter,
        pieces: &Pieces,
        by_place: bool,
    ) -> Result<Rows, StoreError> {
        let stretches = pieces.starts.len().saturating_sub(1);
        let cut_inside = pieces.cut_inside();
        if pieces.months.is_empty() && pieces.days.is_empty() {
            return Ok(Vec::new());
        }
        let backend = self.backend();
        let rows = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new("SELECT ");
            if by_place {
                query.push("s.key, NULLIF(x.department, ''), o.code, ");
            }
            query.push("CAST(x.stretch AS BIGINT), CAST(SUM(x.held) AS BIGINT) FROM (");
            let mut parts = 0;
            let mut part = |query: &mut QueryBuilder<_>, table: &str, column: &str, sign: &str| {
                if parts > 0 {
                    query.push(" UNION ALL ");
                }
                parts += 1;
                query.push("SELECT h.scheme_id, h.organisation_id, h.department, ");
                push_stretch(query, column, &pieces.starts, 0, stretches);
                query.push(format!(" AS stretch, {sign}h.held AS held FROM {table}"));
            };
            if !pieces.months.is_empty() {
                part(&mut query, "held_session_months h", "h.month", "");
                push_kept_scope(&mut query, filter);
                query.push(" AND h.month IN (");
                let mut months = query.separated(", ");
                for month in &pieces.months {
                    months.push_bind(*month);
                }
                query.push(")");
            }
            // A run of days or the cut days by the index of days: the scheme's own key would
            // read every day it has ever counted.
            let days_table = match backend {
                Backend::Sqlite => "held_session_days h INDEXED BY held_session_days_day_idx",
                Backend::Postgres => "held_session_days h",
            };
            for (from, to) in &pieces.days {
                part(&mut query, days_table, "h.day", "");
                push_kept_scope(&mut query, filter);
                query
                    .push(" AND h.day >= ")
                    .push_bind(*from)
                    .push(" AND h.day < ")
                    .push_bind(*to);
            }
            for day in &cut_inside {
                part(&mut query, days_table, "h.day", "-");
                push_kept_scope(&mut query, filter);
                query.push(" AND h.day = ").push_bind(*day);
            }
            query.push(") x");
            if by_place {
                query.push(
                    " JOIN schemes s ON s.id = x.scheme_id \
                     JOIN organisations o ON o.id = x.organisation_id GROUP BY 1, 2, 3, 4",
                );
            } else {
                query.push(" GROUP BY 1");
            }
            let rows = query.build().fetch_all(conn).await?;
            rows.iter()
                .map(|row| read_row(row, by_place))
                .collect::<Result<Vec<_>, sqlx::Error>>()
        })?;
        Ok(rows)
    }

    /// The sessions held on the UTC days `cut` (each cut in two by a bound), within
    /// `first`..`last`, by place (when asked) and stretch.
    async fn held_cut_days(
        &mut self,
        filter: &ReportFilter,
        bounds: &[OffsetDateTime],
        cut: &[Date],
        (first, last): (OffsetDateTime, OffsetDateTime),
        by_place: bool,
    ) -> Result<Rows, StoreError> {
        let stretches = bounds.len().saturating_sub(1);
        let ranges: Vec<Window> = cut
            .iter()
            .map(|day| {
                let start = day.midnight().assume_utc();
                Window {
                    start: start.max(first),
                    end: (start + time::Duration::DAY).min(last),
                }
            })
            .filter(|it| it.start < it.end)
            .collect();
        if ranges.is_empty() {
            return Ok(Vec::new());
        }
        let rows = on_backend!(self, |conn| {
            let mut query = QueryBuilder::new("SELECT ");
            if by_place {
                query.push(Counted::Pairs.place()).push(", ");
            }
            query.push("CAST(");
            push_stretch(&mut query, "mt.starts_at", bounds, 0, stretches);
            // A range read of the held sessions' index per day: SQLite plans a disjunction of
            // ranges as a scan of the whole index.
            query.push(" AS BIGINT), COUNT(*) FROM (");
            for (position, range) in ranges.iter().enumerate() {
                if position > 0 {
                    query.push(" UNION ALL ");
                }
                query.push(
                    "SELECT match_id, starts_at FROM meetings \
                     WHERE kind = 'session' AND status = 'held' AND ",
                );
                push_within(&mut query, "starts_at", *range);
            }
            // CROSS JOIN: SQLite keeps the order written, reading the few sessions first
            // rather than every pair of the scheme.
            query.push(") mt CROSS JOIN matches m");
            if by_place {
                push_scope(&mut query, filter, Counted::Pairs);
                query.push(" AND m.id = mt.match_id GROUP BY 1, 2, 3, 4");
            } else {
                push_pairs_in(&mut query, filter);
                query.push(" AND m.id = mt.match_id GROUP BY 1");
            }
            let rows = query.build().fetch_all(conn).await?;
            rows.iter()
                .map(|row| read_row(row, by_place))
                .collect::<Result<Vec<_>, sqlx::Error>>()
        })?;
        Ok(rows)
    }
}

/// Adds a row's count to its stretch.
fn add(counts: &mut [u64], stretch: i64, count: i64) {
    if let Some(slot) = usize::try_from(stretch)
        .ok()
        .and_then(|it| counts.get_mut(it))
    {
        *slot = slot.saturating_add_signed(count);
    }
}

/// A row of place (when asked), stretch and count.
fn read_row<R>(row: &R, by_place: bool) -> Result<(Option<Place>, i64, i64), sqlx::Error>
where
    R: sqlx::Row,
    usize: sqlx::ColumnIndex<R>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
{
    let (place, at) = if by_place {
        (Some(place_of(row)?), 3)
    } else {
        (None, 0)
    };
    Ok((place, row.try_get(at)?, row.try_get(at + 1)?))
}

/// Pushes the filter on a table of kept counts (`h`): the organisation's schemes, perhaps one
/// scheme and one division.
fn push_kept_scope<'q, DB>(query: &mut QueryBuilder<DB>, filter: &'q ReportFilter)
where
    DB: sqlx::Database,
    uuid::Uuid: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    &'q str: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    query
        .push(" WHERE h.scheme_id IN (SELECT id FROM schemes WHERE organisation_id = ")
        .push_bind(filter.organisation.0)
        .push(")");
    if let Some(scheme_id) = filter.scheme {
        query.push(" AND h.scheme_id = ").push_bind(scheme_id.0);
    }
    if let Some(division) = &filter.division {
        query
            .push(" AND h.department = ")
            .push_bind(division.as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn months_a_stretch_covers_whole_are_read_as_months_and_only_the_edges_as_days() {
        // Local months in London: March in winter time, April and May in summer time, so the
        // bounds of April and May fall at 23:00 UTC on the day before.
        let pieces = Pieces::new(&[
            datetime!(2027-02-15 00:00 +1),
            datetime!(2027-03-01 00:00 UTC),
            datetime!(2027-04-01 00:00 +1),
            datetime!(2027-05-01 00:00 +1),
            datetime!(2027-06-01 00:00 +1),
        ]);
        assert_eq!(
            pieces,
            Pieces {
                starts: vec![
                    date!(2027 - 02 - 15),
                    date!(2027 - 03 - 01),
                    date!(2027 - 04 - 01),
                    date!(2027 - 05 - 01),
                    date!(2027 - 06 - 01),
                ],
                months: vec![
                    date!(2027 - 03 - 01),
                    date!(2027 - 04 - 01),
                    date!(2027 - 05 - 01),
                ],
                days: vec![(date!(2027 - 02 - 15), date!(2027 - 03 - 01))],
                cut: vec![
                    date!(2027 - 02 - 14),
                    date!(2027 - 03 - 31),
                    date!(2027 - 04 - 30),
                    date!(2027 - 05 - 31),
                ],
            }
        );
        // The day before the first stretch is no stretch's: its kept count was never added.
        assert_eq!(
            pieces.cut_inside(),
            vec![
                date!(2027 - 03 - 31),
                date!(2027 - 04 - 30),
                date!(2027 - 05 - 31)
            ]
        );
    }

    #[test]
    fn a_stretch_that_starts_and_ends_inside_months_is_read_as_days_around_whole_months() {
        let pieces = Pieces::new(&[
            datetime!(2026-12-20 00:00 UTC),
            datetime!(2027-02-10 00:00 UTC),
        ]);
        assert_eq!(pieces.months, vec![date!(2027 - 01 - 01)]);
        assert_eq!(
            pieces.days,
            vec![
                (date!(2026 - 12 - 20), date!(2027 - 01 - 01)),
                (date!(2027 - 02 - 01), date!(2027 - 02 - 10)),
            ]
        );
        assert!(pieces.cut.is_empty());
    }
}
