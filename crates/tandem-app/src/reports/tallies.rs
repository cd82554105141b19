//! A dashboard's counts read once by place and added up by whichever split a table shows.

use super::Figures;
use crate::AppError;
use std::collections::BTreeMap;
use tandem_store::Tx;
use tandem_store::reports::{ApplicationTally, PairTally, Place, ReportFilter, Standing, Window};

/// Which stretch of time a figure covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum When {
    /// The period reported.
    Period,
    /// The period compared with.
    Previous,
    /// One month of the period, by position.
    Month(usize),
}

/// A dashboard's counts, read once by place (scheme, division, force), to be added up by
/// whichever split a table shows. The pairs are counted over the period, the previous period
/// and each month in that order; applications over the period and the previous period;
/// sessions by place over the period, and in all over the previous period and each month.
pub(super) struct Tallies {
    pairs: Vec<(Place, PairTally)>,
    sessions_by_place: Vec<(Place, u64)>,
    /// The previous period, then each month.
    sessions: Vec<u64>,
    applications: Vec<ApplicationTally>,
}

/// How a table splits the places: the group a place's counts go to.
pub(super) type Split = fn(&Place) -> Option<String>;

pub(super) const WHOLE: Split = |_| None;
pub(super) const BY_SCHEME: Split = |place| Some(place.scheme.clone());
pub(super) const BY_DIVISION: Split = |place| place.division.clone();
pub(super) const BY_FORCE: Split = |place| Some(place.force.clone());

impl Tallies {
    pub(super) async fn read(
        tx: &mut Tx,
        filter: &ReportFilter,
        now: Window,
        before: Window,
        months: &[Window],
    ) -> Result<Self, AppError> {
        let mut pair_windows = vec![now, before];
        pair_windows.extend_from_slice(months);
        // The previous period, then each month: stretches end to end.
        let mut bounds = vec![before.start];
        bounds.extend(months.iter().map(|it| it.start));
        bounds.push(now.end);
        Ok(Self {
            pairs: tx.report_pair_tallies(filter, &pair_windows).await?,
            sessions_by_place: tx
                .report_sessions_by_place(filter, &[now.start, now.end])
                .await?
                .into_iter()
                .map(|(place, counts)| (place, counts.iter().sum()))
                .collect(),
            sessions: tx.report_sessions(filter, &bounds).await?,
            applications: tx
                .report_application_tallies(filter, &[now, before])
                .await?,
        })
    }

    /// Every group's figures over the period, split by `split`; a group with nothing to count
    /// has no row.
    pub(super) fn figures(&self, split: Split) -> BTreeMap<Option<String>, Figures> {
        let mut groups = self.pairs_and_applications(split, When::Period);
        for (place, held) in &self.sessions_by_place {
            groups.entry(split(place)).or_default().sessions += held;
        }
        groups.retain(|_, it| *it != Figures::default());
        groups
    }

    /// The figures over `when`, all places together.
    pub(super) fn whole(&self, when: When) -> Figures {
        let mut figures = self
            .pairs_and_applications(WHOLE, when)
            .remove(&None)
            .unwrap_or_default();
        figures.sessions = match when {
            When::Period => self.sessions.iter().skip(1).sum(),
            When::Previous => self.sessions.first().copied().unwrap_or(0),
            When::Month(month) => self.sessions.get(1 + month).copied().unwrap_or(0),
        };
        figures
    }

    /// The pairs' and applications' figures over `when`, split by `split`.
    fn pairs_and_applications(
        &self,
        split: Split,
        when: When,
    ) -> BTreeMap<Option<String>, Figures> {
        let mut groups: BTreeMap<Option<String>, Figures> = BTreeMap::new();
        let pair_window = match when {
            When::Period => 0,
            When::Previous => 1,
            When::Month(month) => 2 + month,
        };
        for (place, tally) in &self.pairs {
            if let Some(counts) = tally.windows.get(pair_window) {
                let it = groups.entry(split(place)).or_default();
                it.matches += counts.matches;
                it.completed += counts.completed;
                it.ended_early += counts.ended_early;
                // Whether a pair ran in a month is not shown, and would not add up.
                if !matches!(when, When::Month(_)) {
                    it.running += counts.running;
                }
            }
        }
        let application_window = match when {
            When::Period => Some(0),
            When::Previous => Some(1),
            When::Month(_) => None,
        };
        for tally in &self.applications {
            if let Some(count) = application_window.and_then(|it| tally.windows.get(it)) {
                groups.entry(split(&tally.place)).or_default().applications += count;
            }
        }
        groups
    }

    /// Where things stand today.
    pub(super) fn standing(&self) -> (Standing, u64) {
        let mut standing = Standing::default();
        for (_, tally) in &self.pairs {
            standing.introductory += tally.standing.introductory;
            standing.active += tally.standing.active;
            standing.on_hold += tally.standing.on_hold;
            standing.closing += tally.standing.closing;
        }
        let waiting = self
            .applications
            .iter()
            .filter(|it| it.role == "mentee" && it.status == "approved")
            .map(|it| it.ever)
            .sum();
        (standing, waiting)
    }

    /// Applications received in the period, by role and the state they are in now.
    pub(super) fn applications(&self) -> Vec<(String, String, u64)> {
        let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
        for tally in &self.applications {
            *counts
                .entry((tally.role.clone(), tally.status.clone()))
                .or_default() += tally.windows.first().copied().unwrap_or(0);
        }
        counts
            .into_iter()
            .map(|((role, status), count)| (role, status, count))
            .collect()
    }
}
