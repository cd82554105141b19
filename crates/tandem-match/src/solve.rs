//! The exact solve: sparse candidate arcs, min-cost flow, then pricing of every feasible pair.
//!
//! A dense cohort of 20,000 mentees and 8,000 mentors has 160 million feasible pairs; the
//! flow never sees most of them. It starts from each mentee's best few arcs (and each
//! mentor's best few mentees), solves exactly on those, then prices every feasible pair
//! against the dual potentials. A pair whose reduced cost is negative could improve the
//! total: such pairs are added and the flow resumes warm. When a full pricing pass finds
//! none, the potentials are a certificate of optimality over the full set.

use crate::certificate::{Certificate, Weighting};
use crate::compiled::Compiled;
use crate::flow::{Arcs, FIXED, Flow, UNMATCHED};
use crate::problem::{MenteeIdx, MentorIdx, Problem};

/// How the sparse solve starts and grows; the answer does not depend on it, only the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SolveOptions {
    /// Each mentee's best arcs given to the first solve.
    pub candidates_per_mentee: usize,
    /// Each mentor's best arcs given to the first solve.
    pub candidates_per_mentor: usize,
    /// At most this many violating arcs per mentee are added after a pricing pass.
    pub additions_per_mentee: usize,
}

impl Default for SolveOptions {
    fn default() -> SolveOptions {
        SolveOptions {
            candidates_per_mentee: 12,
            candidates_per_mentor: 4,
            additions_per_mentee: 6,
        }
    }
}

/// A pair in the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    /// The mentee.
    pub mentee: MenteeIdx,
    /// Its mentor.
    pub mentor: MentorIdx,
    /// The pair's score.
    pub score: i32,
    /// Whether the pair was pinned.
    pub pinned: bool,
}

/// What the solve did, for benchmarks and curiosity; not part of the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SolveStats {
    /// Pricing passes over every feasible pair (the last one found no violation).
    pub pricing_rounds: u32,
    /// Arcs the flow saw in the end.
    pub arcs: u64,
    /// Feasible pairs with a mentor that has room (counted by the last pricing pass).
    pub feasible_pairs: u64,
    /// Shortest-path searches run.
    pub searches: u64,
    /// Nodes settled over all searches.
    pub settled: u64,
}

/// The optimal assignment, with its certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    assignment: Vec<Option<MentorIdx>>,
    pairs: Vec<Pair>,
    unmatched: Vec<MenteeIdx>,
    total_score: i64,
    certificate: Certificate,
    stats: SolveStats,
}

impl Solution {
    /// Each mentee's mentor, by mentee index.
    pub fn assignment(&self) -> &[Option<MentorIdx>] {
        &self.assignment
    }

    /// The pairs, in mentee order.
    pub fn pairs(&self) -> &[Pair] {
        &self.pairs
    }

    /// The mentees left without a mentor, in input order.
    pub fn unmatched(&self) -> &[MenteeIdx] {
        &self.unmatched
    }

    /// How many mentees have a mentor (pins included).
    pub fn matched(&self) -> usize {
        self.pairs.len()
    }

    /// The sum of the pairs' scores (pins included).
    pub fn total_score(&self) -> i64 {
        self.total_score
    }

    /// The dual potentials that prove the answer optimal (see `verify_certificate`).
    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// What the solve did.
    pub fn stats(&self) -> SolveStats {
        self.stats
    }
}

/// The best assignment the rules allow (see `docs/matching.md` for the objective).
pub fn solve(problem: &Problem) -> Solution {
    solve_with(problem, SolveOptions::default())
}

/// `solve` with explicit tuning; every setting gives the same optimum.
pub fn solve_with(problem: &Problem, options: SolveOptions) -> Solution {
    let compiled = problem.compiled();
    let weighting = Weighting::of(problem);
    let arcs = initial_arcs(compiled, weighting, options);
    let mut flow = Flow::new(
        arcs,
        compiled.residual_capacity.clone(),
        &compiled.mentee_pinned,
    );
    flow.route_greedily();
    flow.route_all();

    let mut stats = SolveStats::default();
    loop {
        stats.pricing_rounds += 1;
        let (violations, feasible_pairs) =
            price(compiled, weighting, &flow, options.additions_per_mentee);
        stats.feasible_pairs = feasible_pairs;
        if violations.is_empty() {
            break;
        }
        let mut reopened: Vec<u32> = violations.iter().map(|v| v.0).collect();
        reopened.dedup();
        let arcs = flow.arcs.merged(violations);
        flow.set_arcs(arcs);
        for i in reopened {
            flow.reopen(i);
        }
        flow.route_all();
    }
    debug_assert!(flow.is_complete());
    stats.arcs = flow.arcs.len() as u64;
    stats.searches = flow.searches;
    stats.settled = flow.settled;
    finish(problem, weighting, &flow, stats)
}

/// Each mentee's best arcs and each mentor's best arcs, by weight then input order.
fn initial_arcs(compiled: &Compiled, weighting: Weighting, options: SolveOptions) -> Arcs {
    let n = compiled.n_mentees();
    let m = compiled.n_mentors();
    let per_mentor = options.candidates_per_mentor;
    let mut mentor_best: Vec<(i64, u32)> = vec![(i64::MIN, u32::MAX); m * per_mentor];
    let mut mentor_floor: Vec<i64> = vec![if per_mentor == 0 { i64::MAX } else { i64::MIN }; m];
    let mut triples: Vec<(u32, u32, i64)> = Vec::new();
    let mut best = TopK::new(options.candidates_per_mentee);
    for i in 0..n {
        if compiled.mentee_pinned[i] {
            continue;
        }
        best.clear();
        compiled.for_each_allowed(i, true, |j| {
            let weight = weighting.weight(compiled.score(i, j));
            best.offer(weight, j as u32);
            if weight > mentor_floor[j] {
                let entries = &mut mentor_best[j * per_mentor..(j + 1) * per_mentor];
                let mut low = 0;
                for k in 1..entries.len() {
                    if entries[k].0 < entries[low].0 {
                        low = k;
                    }
                }
                entries[low] = (weight, i as u32);
                mentor_floor[j] = entries.iter().map(|e| e.0).min().unwrap_or(i64::MIN);
            }
        });
        triples.extend(
            best.items()
                .iter()
                .map(|&(weight, j)| (i as u32, j, weight)),
        );
    }
    for j in 0..m {
        for &(weight, i) in &mentor_best[j * per_mentor..(j + 1) * per_mentor] {
            if i != u32::MAX {
                triples.push((i, j as u32, weight));
            }
        }
    }
    triples.sort_unstable();
    triples.dedup();
    Arcs::from_sorted(n, &triples)
}

/// Every feasible arc with a negative reduced cost (up to `limit` per mentee, the most
/// negative first), and how many feasible arcs there are.
fn price(
    compiled: &Compiled,
    weighting: Weighting,
    flow: &Flow,
    limit: usize,
) -> (Vec<(u32, u32, i64)>, u64) {
    let mut violations = Vec::new();
    let mut feasible = 0u64;
    let mut worst = TopK::new(limit.max(1));
    for i in 0..compiled.n_mentees() {
        if compiled.mentee_pinned[i] {
            continue;
        }
        worst.clear();
        let potential = flow.pot_mentee[i];
        compiled.for_each_allowed(i, true, |j| {
            feasible += 1;
            let weight = weighting.weight(compiled.score(i, j));
            let gain = weight + flow.pot_mentor[j] - potential;
            if gain > 0 {
                worst.offer(gain, j as u32);
            }
        });
        let mut found: Vec<(u32, u32, i64)> = worst
            .items()
            .iter()
            .map(|&(_, j)| (i as u32, j, weighting.weight(compiled.score(i, j as usize))))
            .collect();
        found.sort_unstable();
        violations.extend(found);
    }
    (violations, feasible)
}

fn finish(problem: &Problem, weighting: Weighting, flow: &Flow, stats: SolveStats) -> Solution {
    let compiled = problem.compiled();
    let mut assignment = Vec::with_capacity(compiled.n_mentees());
    let mut pairs = Vec::new();
    let mut unmatched = Vec::new();
    let mut total_score = 0i64;
    for mentee in problem.mentee_indices() {
        let i = mentee.index();
        let mentor = match flow.route[i] {
            FIXED => problem.pinned_mentor(mentee),
            UNMATCHED => None,
            j => Some(MentorIdx(j)),
        };
        assignment.push(mentor);
        match mentor {
            Some(mentor) => {
                let score = compiled.score(i, mentor.index());
                total_score += i64::from(score);
                pairs.push(Pair {
                    mentee,
                    mentor,
                    score,
                    pinned: flow.route[i] == FIXED,
                });
            }
            None => unmatched.push(mentee),
        }
    }
    let top = weighting.max_weight();
    let certificate = Certificate {
        mentee_dual: (0..compiled.n_mentees())
            .map(|i| {
                if compiled.mentee_pinned[i] {
                    0
                } else {
                    (flow.pot_mentee[i] - flow.pot_sink).max(0)
                }
            })
            .collect(),
        mentor_dual: (0..compiled.n_mentors())
            .map(|j| {
                if compiled.residual_capacity[j] == 0 {
                    // A mentor with no room left takes no new pair; the largest weight there
                    // is covers every dual constraint and costs nothing in the dual objective.
                    top
                } else {
                    (flow.pot_sink - flow.pot_mentor[j]).max(0)
                }
            })
            .collect(),
    };
    debug_assert!((0..compiled.n_mentees()).all(|i| flow.route[i] == FIXED
        || flow.route_weight(i)
            == assignment[i].map_or(0, |j| weighting.weight(compiled.score(i, j.index())))));
    Solution {
        assignment,
        pairs,
        unmatched,
        total_score,
        certificate,
        stats,
    }
}

/// The `k` largest keys offered, ties kept in the order offered (earlier wins).
#[derive(Debug)]
struct TopK {
    k: usize,
    items: Vec<(i64, u32)>,
}

impl TopK {
    fn new(k: usize) -> TopK {
        TopK {
            k,
            items: Vec::with_capacity(k + 1),
        }
    }

    fn clear(&mut self) {
        self.items.clear();
    }

    #[inline]
    fn offer(&mut self, key: i64, value: u32) {
        if self.k == 0 {
            return;
        }
        if self.items.len() == self.k {
            match self.items.last() {
                Some(&(lowest, _)) if key > lowest => {
                    self.items.pop();
                }
                _ => return,
            }
        }
        let at = self.items.partition_point(|&(existing, _)| existing >= key);
        self.items.insert(at, (key, value));
    }

    fn items(&self) -> &[(i64, u32)] {
        &self.items
    }
}
