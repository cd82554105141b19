//! A dashboard's counts read once by place and added up by whichever split a table shows.

use super::Figures;
use std::collections::BTreeMap;
use tandem_store::reports::{ApplicationTally, PairCounts, PairTally, Place, Standing};

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

/// A dashboard's counts: over the period by place (scheme, division, force), to be added up
/// by whichever split a table shows, and in all over the previous period and each month (the
/// only span the page splits is the period). Read piece by piece by `super::reads`.
pub(super) struct Tallies {
    held: Held,
    applied: Applied,
}

/// The pairs and held sessions of a dashboard.
#[derive(Default)]
pub(super) struct Held {
    /// In all, over the period, the previous period and each month in that order.
    pub(super) pairs: PairTally,
    /// By place, over the period.
    pub(super) pairs_by_place: Vec<(Place, PairCounts)>,
    /// By place, over the period.
    pub(super) sessions_by_place: Vec<(Place, u64)>,
    /// In all, over the previous period, then each month.
    pub(super) sessions: Vec<u64>,
}

/// The applications of a dashboard.
#[derive(Default)]
pub(super) struct Applied {
    /// In all, by role and state, over the period and the previous period, and ever.
    pub(super) applications: Vec<ApplicationTally>,
    /// By place, over the period.
    pub(super) applications_by_place: Vec<(Place, u64)>,
}

/// How a table splits the places: the group a place's counts go to.
pub(super) type Split = fn(&Place) -> Option<String>;

pub(super) const BY_SCHEME: Split = |place| Some(place.scheme.clone());
pub(super) const BY_DIVISION: Split = |place| place.division.clone();
pub(super) const BY_FORCE: Split = |place| Some(place.force.clone());

impl Tallies {
    pub(super) fn new(held: Held, applied: Applied) -> Self {
        Self { held, applied }
    }

    /// Every group's figures over the period, split by `split`; a group with nothing to count
    /// has no row.
    pub(super) fn figures(&self, split: Split) -> BTreeMap<Option<String>, Figures> {
        let mut groups: BTreeMap<Option<String>, Figures> = BTreeMap::new();
        for (place, counts) in &self.held.pairs_by_place {
            let it = groups.entry(split(place)).or_default();
            it.matches += counts.matches;
            it.completed += counts.completed;
            it.ended_early += counts.ended_early;
            it.running += counts.running;
        }
        for (place, count) in &self.applied.applications_by_place {
            groups.entry(split(place)).or_default().applications += count;
        }
        for (place, held) in &self.held.sessions_by_place {
            groups.entry(split(place)).or_default().sessions += held;
        }
        groups.retain(|_, it| *it != Figures::default());
        groups
    }

    /// The figures over `when`, all places together.
    pub(super) fn whole(&self, when: When) -> Figures {
        let pair_window = match when {
            When::Period => 0,
            When::Previous => 1,
            When::Month(month) => 2 + month,
        };
        let mut figures = Figures::default();
        if let Some(counts) = self.held.pairs.windows.get(pair_window) {
            figures.matches = counts.matches;
            figures.completed = counts.completed;
            figures.ended_early = counts.ended_early;
            // Whether a pair ran in a month is not shown, and would not add up.
            if !matches!(when, When::Month(_)) {
                figures.running = counts.running;
            }
        }
        let application_window = match when {
            When::Period => Some(0),
            When::Previous => Some(1),
            When::Month(_) => None,
        };
        figures.applications = application_window
            .map(|window| {
                self.applied
                    .applications
                    .iter()
                    .filter_map(|it| it.windows.get(window))
                    .sum()
            })
            .unwrap_or(0);
        let sessions = &self.held.sessions;
        figures.sessions = match when {
            When::Period => sessions.iter().skip(1).sum(),
            When::Previous => sessions.first().copied().unwrap_or(0),
            When::Month(month) => sessions.get(1 + month).copied().unwrap_or(0),
        };
        figures
    }

    /// Where things stand today.
    pub(super) fn standing(&self) -> (Standing, u64) {
        let waiting = self
            .applied
            .applications
            .iter()
            .filter(|it| it.role == "mentee" && it.status == "approved")
            .map(|it| it.ever)
            .sum();
        (self.held.pairs.standing, waiting)
    }

    /// Applications received in the period, by role and the state they are in now.
    pub(super) fn applications(&self) -> Vec<(String, String, u64)> {
        let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
        for tally in &self.applied.applications {
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
