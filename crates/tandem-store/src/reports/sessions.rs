//! Held sessions for the dashboards: the whole UTC days from the counts triggers keep
//! (`held_session_days`, migration 0030), the days a local midnight cuts in two from the
//! meetings themselves.

use super::{
    Counted, Place, ReportFilter, Window, place_of, push_scope, push_stretch, push_within,
};
use crate::StoreError;
use crate::backend::{Tx, on_backend};
use sqlx::QueryBuilder;
use time::{Date, OffsetDateTime};

/// The UTC days of a dashboard's stretches: `starts[i]` is the first day wholly at or after
/// bound `i`, so a day not in `cut` belongs to the stretch of the last start not after it;
/// `cut` are the days a bound falls inside (a local midnight that is not a UTC one).
struct DayBounds {
    starts: Vec<Date>,
    cut: Vec<Date>,
}

impl DayBounds {
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
        Self { starts, cut }
    }
}

impl Tx {
    /// Sessions held by the pairs of each place in each stretch between consecutive
    /// `bounds` (sorted instants: the first stretch from `bounds[0]` up to `bounds[1]`, and so
    /// on). The whole days come from `held_session_days`, which triggers keep as sessions are
    /// recorded and mentees move; only the days a bound cuts in two (a local midnight that is
    /// not a UTC one) are counted from the meetings, by their time.
    pub async fn report_session_tallies(
        &mut self,
        filter: &ReportFilter,
        bounds: &[OffsetDateTime],
    ) -> Result<Vec<(Place, Vec<u64>)>, StoreError> {
        let stretches = bounds.len().saturating_sub(1);
        let (Some(first), Some(last)) = (bounds.first(), bounds.last()) else {
            return Ok(Vec::new());
        };
        if stretches == 0 {
            return Ok(Vec::new());
        }
        let days = DayBounds::new(bounds);
        let mut rows = self.held_whole_days(filter, &days, stretches).await?;
        if !days.cut.is_empty() {
            rows.extend(
                self.held_cut_days(filter, bounds, &days.cut, (*first, *last))
                    .await?,
            );
        }
        let mut tallies: std::collections::BTreeMap<Place, Vec<u64>> =
            std::collections::BTreeMap::new();
        for (place, stretch, count) in rows {
            let counts = tallies.entry(place).or_insert_with(|| vec![0; stretches]);
            if let Some(slot) = usize::try_from(stretch)
                .ok()
                .and_then(|it| counts.get_mut(it))
            {
                *slot += u64::try_from(count).unwrap_or(0);
            }
        }
        tallies.retain(|_, counts| counts.iter().any(|it| *it > 0));
        Ok(tallies.into_iter().collect())
    }

    /// The kept counts of the days wholly inside one stretch, by place and stretch.
    async fn held_whole_days(
        &mut self,
        filter: &ReportFilter,
        days: &DayBounds,
        stretches: usize,
    ) -> Result<Vec<(Place, i64, i64)>, StoreError> {
        let (Some(first), Some(last)) = (days.starts.first(), days.starts.last()) else {
            return Ok(Vec::new());
        };
        let rows = on_backend!(self, |conn| {
            let mut query =
                QueryBuilder::new("SELECT s.key, NULLIF(h.department, ''), o.code, CAST(");
            push_stretch(&mut query, "h.day", &days.starts, 0, stretches);
            query
                .push(
                    " AS BIGINT), CAST(SUM(h.held) AS BIGINT) FROM held_session_days h \
                     JOIN schemes s ON s.id = h.scheme_id \
                     JOIN organisations o ON o.id = h.organisation_id WHERE s.organisation_id = ",
                )
                .push_bind(filter.organisation.0);
            if let Some(scheme_id) = filter.scheme {
                query.push(" AND h.scheme_id = ").push_bind(scheme_id.0);
            }
            if let Some(division) = &filter.division {
                query
                    .push(" AND h.department = ")
                    .push_bind(division.as_str());
            }
            query
                .push(" AND h.day >= ")
                .push_bind(*first)
                .push(" AND h.day < ")
                .push_bind(*last);
            for day in &days.cut {
                query.push(" AND h.day <> ").push_bind(*day);
            }
            query.push(" GROUP BY 1, 2, 3, 4");
            let rows = query.build().fetch_all(conn).await?;
            rows.iter()
                .map(|row| {
                    Ok((
                        place_of(row)?,
                        sqlx::Row::try_get::<i64, _>(row, 3)?,
                        sqlx::Row::try_get::<i64, _>(row, 4)?,
                    ))
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()
        })?;
        Ok(rows)
    }

    /// The sessions held on the UTC days `cut` (each cut in two by a bound), within
    /// `first`..`last`, by place and stretch.
    async fn held_cut_days(
        &mut self,
        filter: &ReportFilter,
        bounds: &[OffsetDateTime],
        cut: &[Date],
        (first, last): (OffsetDateTime, OffsetDateTime),
    ) -> Result<Vec<(Place, i64, i64)>, StoreError> {
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
            query.push(Counted::Pairs.place()).push(", CAST(");
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
            push_scope(&mut query, filter, Counted::Pairs);
            query.push(" AND m.id = mt.match_id GROUP BY 1, 2, 3, 4");
            let rows = query.build().fetch_all(conn).await?;
            rows.iter()
                .map(|row| {
                    Ok((
                        place_of(row)?,
                        sqlx::Row::try_get::<i64, _>(row, 3)?,
                        sqlx::Row::try_get::<i64, _>(row, 4)?,
                    ))
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()
        })?;
        Ok(rows)
    }
}
