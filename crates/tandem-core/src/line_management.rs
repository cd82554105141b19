//! The line-management tree (R1.4): who manages whom, directly and through the chain.
//!
//! Matching rules use it (a mentor may not be anyone above the mentee in their chain), the
//! line-manager digest uses it, and the HR import uses [`find_cycles`] to refuse a file that
//! would make someone their own manager.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

/// A forest of people, each with at most one line manager. Cycles cannot be represented:
/// [`LineManagementTree::new`] refuses them.
#[derive(Debug, Clone)]
pub struct LineManagementTree<K> {
    manager_of: HashMap<K, K>,
    reports_of: HashMap<K, Vec<K>>,
}

/// The links form at least one cycle; each cycle lists its people starting from the smallest key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the line-management chain has {}", crate::words::counted(cycles.len(), "cycle", "cycles"))]
pub struct CycleError<K> {
    /// Every cycle found.
    pub cycles: Vec<Vec<K>>,
}

impl<K: Eq + Hash + Ord + Clone> LineManagementTree<K> {
    /// Builds the tree from `(person, manager)` links.
    pub fn new(links: impl IntoIterator<Item = (K, Option<K>)>) -> Result<Self, CycleError<K>> {
        let manager_of: HashMap<K, K> = links
            .into_iter()
            .filter_map(|(person, manager)| manager.map(|manager| (person, manager)))
            .collect();
        let cycles = find_cycles(&manager_of);
        if !cycles.is_empty() {
            return Err(CycleError { cycles });
        }
        let mut reports_of: HashMap<K, Vec<K>> = HashMap::new();
        for (person, manager) in &manager_of {
            reports_of
                .entry(manager.clone())
                .or_default()
                .push(person.clone());
        }
        for reports in reports_of.values_mut() {
            reports.sort();
        }
        Ok(Self {
            manager_of,
            reports_of,
        })
    }

    /// The person's direct line manager.
    pub fn manager_of(&self, person: &K) -> Option<&K> {
        self.manager_of.get(person)
    }

    /// Everyone above the person, nearest first.
    pub fn chain_of(&self, person: &K) -> Vec<&K> {
        let mut chain = Vec::new();
        let mut current = person;
        while let Some(manager) = self.manager_of.get(current) {
            chain.push(manager);
            current = manager;
        }
        chain
    }

    /// The people the person manages directly, in key order.
    pub fn direct_reports(&self, person: &K) -> &[K] {
        self.reports_of
            .get(person)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Everyone below the person, directly or indirectly, nearest levels first.
    pub fn all_reports(&self, person: &K) -> Vec<&K> {
        let mut reports: Vec<&K> = self.direct_reports(person).iter().collect();
        let mut next = 0;
        while next < reports.len() {
            let below = self.direct_reports(reports[next]);
            reports.extend(below);
            next += 1;
        }
        reports
    }

    /// Whether `manager` is anywhere above `person` in the chain.
    pub fn is_above(&self, manager: &K, person: &K) -> bool {
        self.chain_of(person)
            .into_iter()
            .any(|above| above == manager)
    }
}

/// Every cycle in a person → manager map. Each person has at most one manager, so the graph is
/// functional and one pass with three colours finds all cycles in linear time.
pub fn find_cycles<K: Eq + Hash + Ord + Clone>(manager_of: &HashMap<K, K>) -> Vec<Vec<K>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Visit {
        InProgress(usize),
        Done,
    }
    let mut state: HashMap<&K, Visit> = HashMap::with_capacity(manager_of.len());
    let mut cycles = BTreeMap::new();
    let mut starts: Vec<&K> = manager_of.keys().collect();
    starts.sort();
    for (walk, start) in starts.into_iter().enumerate() {
        let mut path: Vec<&K> = Vec::new();
        let mut current = Some(start);
        while let Some(person) = current {
            match state.get(person) {
                Some(Visit::Done) => break,
                Some(Visit::InProgress(owner)) if *owner == walk => {
                    let from = path.iter().position(|&seen| seen == person).unwrap_or(0);
                    let mut cycle: Vec<K> = path[from..].iter().map(|&it| it.clone()).collect();
                    if let Some(min_idx) = cycle
                        .iter()
                        .enumerate()
                        .min_by(|a, b| a.1.cmp(b.1))
                        .map(|(idx, _)| idx)
                    {
                        cycle.rotate_left(min_idx);
                    }
                    if let Some(first) = cycle.first().cloned() {
                        cycles.insert(first, cycle);
                    }
                    break;
                }
                Some(Visit::InProgress(_)) => break,
                None => {
                    state.insert(person, Visit::InProgress(walk));
                    path.push(person);
                    current = manager_of.get(person);
                }
            }
        }
        for person in path {
            state.insert(person, Visit::Done);
        }
    }
    cycles.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tree(links: &[(&'static str, Option<&'static str>)]) -> LineManagementTree<&'static str> {
        LineManagementTree::new(links.iter().copied()).unwrap()
    }

    #[test]
    fn chain_runs_from_nearest_manager_to_the_top() {
        let tree = tree(&[
            ("pc", Some("sgt")),
            ("sgt", Some("insp")),
            ("insp", Some("supt")),
            ("supt", None),
        ]);
        assert_eq!(tree.chain_of(&"pc"), vec![&"sgt", &"insp", &"supt"]);
        assert!(tree.is_above(&"supt", &"pc"));
        assert!(!tree.is_above(&"pc", &"supt"));
    }

    #[test]
    fn reports_include_indirect_reports_level_by_level() {
        let tree = tree(&[
            ("a", Some("sgt")),
            ("b", Some("sgt")),
            ("sgt", Some("insp")),
            ("c", Some("insp")),
        ]);
        assert_eq!(tree.direct_reports(&"insp"), &["c", "sgt"]);
        assert_eq!(tree.all_reports(&"insp"), vec![&"c", &"sgt", &"a", &"b"]);
        assert!(tree.direct_reports(&"a").is_empty());
    }

    #[test]
    fn a_cycle_is_refused_and_named_from_its_smallest_member() {
        let err = LineManagementTree::new([
            ("b", Some("c")),
            ("c", Some("a")),
            ("a", Some("b")),
            ("d", Some("a")),
        ])
        .unwrap_err();
        assert_eq!(err.cycles, vec![vec!["a", "b", "c"]]);
    }

    #[test]
    fn a_person_managing_themselves_is_a_cycle() {
        let err = LineManagementTree::new([("a", Some("a"))]).unwrap_err();
        assert_eq!(err.cycles, vec![vec!["a"]]);
    }

    #[test]
    fn separate_cycles_are_all_reported() {
        let err = LineManagementTree::new([
            (1, Some(2)),
            (2, Some(1)),
            (3, Some(4)),
            (4, Some(3)),
            (5, Some(1)),
        ])
        .unwrap_err();
        assert_eq!(err.cycles, vec![vec![1, 2], vec![3, 4]]);
    }

    proptest! {
        /// Links that always point to a smaller number can never loop.
        #[test]
        fn links_to_earlier_people_form_a_tree(managers in proptest::collection::vec(any::<u16>(), 1..200)) {
            let links: Vec<(usize, Option<usize>)> = managers
                .iter()
                .enumerate()
                .map(|(idx, &raw)| (idx, (idx > 0).then(|| raw as usize % idx)))
                .collect();
            let tree = LineManagementTree::new(links.clone()).unwrap();
            for (person, manager) in links {
                prop_assert_eq!(tree.manager_of(&person).copied(), manager);
                if let Some(manager) = manager {
                    prop_assert!(tree.all_reports(&manager).contains(&&person));
                    prop_assert!(tree.is_above(&0, &person));
                }
            }
        }

        /// Closing any chain back on itself is always detected.
        #[test]
        fn closing_a_chain_is_always_detected(len in 1usize..50, back in 0usize..50) {
            let back = back % len;
            let mut links: Vec<(usize, Option<usize>)> = (0..len).map(|idx| (idx, idx.checked_sub(1))).collect();
            links[back].1 = Some(len - 1);
            let err = LineManagementTree::new(links).unwrap_err();
            prop_assert_eq!(err.cycles.len(), 1);
            prop_assert_eq!(err.cycles[0].len(), len - back);
        }
    }
}
