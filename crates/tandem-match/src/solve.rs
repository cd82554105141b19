//! The exact solve: sparse candidate arcs, min-cost flow, then pricing of every feasible pair.
//!
//! A dense cohort of 20,000 mentees and 8,000 mentors has 160 million feasible pairs; the
//! flow never sees most of them. It starts from each mentee's best few arcs (and each
//! mentor's best few mentees), solves exactly on those, then prices every feasible pair
//! against the dual potentials. A pair whose reduced cost is negative could improve the
//! total: such pairs are added and the flow resumes warm. When a full pricing pass finds
//! none, the potentials are a certificate of optimality over the full set.
//!
//! Pricing is bounded: after `SolveOptions::pricing_rounds` passes that still find
//! violations, the flow resumes on every feasible pair at once (scored on demand, never
//! stored), which bounds the whole solve by a polynomial in the cohort's size whatever the
//! weights or ties (`docs/matching.md`, "Running time").

use std::convert::Infallible;

use crate::certificate::{Certificate, Weighting};
use crate::compiled::Compiled;
use crate::flow::{ArcSet, Arcs, Flow};
use crate::parallel;
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
    /// Threads for the passes over all pairs (the result never depends on it).
    pub threads: usize,
    /// Pricing passes that may add arcs before the flow moves to every feasible pair.
    pub pricing_rounds: u32,
}

impl Default for SolveOptions {
    fn default() -> SolveOptions {
        SolveOptions {
            candidates_per_mentee: 12,
            candidates_per_mentor: 4,
            additions_per_mentee: 6,
            threads: 2,
            pricing_rounds: 8,
        }
    }
}

/// A pair in the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    /// The mentee.
    pub mentee: MenteeIdx,
    /// One of its mentors.
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
    /// Pairs scored by all pricing passes (the bound spares the rest).
    pub priced_pairs: u64,
    /// Shortest-path searches run.
    pub searches: u64,
    /// Nodes settled over all searches.
    pub settled: u64,
    /// Whether the flow finished on every feasible pair (pricing did not settle in time).
    pub every_pair: bool,
}

/// Where a solve is, for a progress bar: `done` of `total` in the current stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The stage.
    pub stage: Stage,
    /// Units of work done in this stage.
    pub done: u64,
    /// Units of work in this stage.
    pub total: u64,
}

/// The stages of a solve, in order (pricing and routing alternate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Scoring every feasible pair for the candidate arcs.
    Candidates,
    /// Routing mentees (units: the mentors they want, less pins).
    Routing,
    /// Pricing every feasible pair against the potentials (units: the round, of the cap).
    Pricing,
}

/// The optimal assignment (a b-matching: each mentee has up to the mentors it wants), with
/// its certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    assignment: Vec<Vec<MentorIdx>>,
    pairs: Vec<Pair>,
    unmatched: Vec<MenteeIdx>,
    total_score: i64,
    certificate: Certificate,
    stats: SolveStats,
}

impl Solution {
    /// Each mentee's mentors (pins included, by mentor index), by mentee index.
    pub fn assignment(&self) -> &[Vec<MentorIdx>] {
        &self.assignment
    }

    /// The pairs, in mentee order, each mentee's by mentor index.
    pub fn pairs(&self) -> &[Pair] {
        &self.pairs
    }

    /// The mentees left with fewer mentors than they want (most often none), in input order.
    pub fn unmatched(&self) -> &[MenteeIdx] {
        &self.unmatched
    }

    /// How many pairs the answer has (pins included); with one mentor per mentee, how many
    /// mentees have a mentor.
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
    let Ok(solution) = solve_observed(problem, options, &mut |_| Ok::<(), Infallible>(()));
    solution
}

/// `solve_with` that reports its progress to `observe` every so often and stops with the
/// observer's error as soon as it returns one (to cancel a solve nobody waits for).
pub fn solve_observed<E>(
    problem: &Problem,
    options: SolveOptions,
    observe: &mut dyn FnMut(Progress) -> Result<(), E>,
) -> Result<Solution, E> {
    let compiled = problem.compiled();
    let weighting = Weighting::of(problem);
    // Routing works in units: the mentors the mentees still want.
    let n: u64 = compiled.mentee_supply.iter().map(|&s| u64::from(s)).sum();
    observe(Progress {
        stage: Stage::Candidates,
        done: 0,
        total: 1,
    })?;
    let arcs = initial_arcs(compiled, weighting, options);
    let mut flow = Flow::new(
        ArcSet::Sparse(arcs),
        compiled.residual_capacity.clone(),
        &compiled.mentee_supply,
    );
    flow.route_greedily();
    route(&mut flow, n, observe)?;

    let mut stats = SolveStats::default();
    loop {
        observe(Progress {
            stage: Stage::Pricing,
            done: u64::from(stats.pricing_rounds),
            total: u64::from(options.pricing_rounds) + 1,
        })?;
        stats.pricing_rounds += 1;
        let last_round = stats.pricing_rounds > options.pricing_rounds;
        let limit = if last_round {
            1
        } else {
            options.additions_per_mentee
        };
        let (violations, priced_pairs) = price(compiled, weighting, &flow, limit, options.threads);
        stats.priced_pairs += priced_pairs;
        if violations.is_empty() {
            break;
        }
        let mut reopened: Vec<u32> = violations.iter().map(|v| v.0).collect();
        reopened.dedup();
        if last_round {
            // Pricing has not settled: finish on every feasible pair, which no pricing pass
            // needs to check afterwards.
            stats.arcs = flow.arcs.stored() as u64;
            flow.set_arcs(ArcSet::Every {
                compiled,
                weighting,
            });
            stats.every_pair = true;
        } else {
            let ArcSet::Sparse(arcs) = &flow.arcs else {
                break;
            };
            let arcs = arcs.merged(violations);
            flow.set_arcs(ArcSet::Sparse(arcs));
        }
        for i in reopened {
            flow.reopen(i);
        }
        route(&mut flow, n, observe)?;
        if stats.every_pair {
            break;
        }
    }
    debug_assert!(flow.is_complete());
    if !stats.every_pair {
        stats.arcs = flow.arcs.stored() as u64;
    }
    stats.searches = flow.searches;
    stats.settled = flow.settled;
    Ok(finish(problem, weighting, &flow, stats))
}

/// Routes every waiting unit, reporting progress; stops with the observer's error.
fn route<E>(
    flow: &mut Flow<'_>,
    n: u64,
    observe: &mut dyn FnMut(Progress) -> Result<(), E>,
) -> Result<(), E> {
    let mut stopped = None;
    let finished = flow.route_all(&mut |done, total| {
        let progress = Progress {
            stage: Stage::Routing,
            done: (n - total as u64 + done as u64).min(n),
            total: n,
        };
        match observe(progress) {
            Ok(()) => true,
            Err(error) => {
                stopped = Some(error);
                false
            }
        }
    });
    match stopped {
        Some(error) if !finished => Err(error),
        _ => Ok(()),
    }
}

/// Among pairs of equal weight, the order in which mentee `i` prefers mentor `j` (lower
/// first): each mentee starts at its own place in the list of its candidate mentors, so that
/// identical profiles spread over the mentors instead of all choosing the first ones.
#[inline]
fn tie_rank(compiled: &Compiled, i: usize, j: usize) -> u64 {
    let len = compiled.candidate_mentors(i).len().max(1) as u64;
    let offset = (i as u64 * len) / compiled.n_mentees().max(1) as u64;
    (u64::from(compiled.group_position(j)) + len - offset % len) % len
}

/// A key that orders by `value`, then by `tie_rank` (the preferred mentor has the larger key).
#[inline]
fn spread_key(compiled: &Compiled, i: usize, j: usize, value: i64) -> i64 {
    let len = compiled.candidate_mentors(i).len().max(1) as i64;
    value * len + (len - 1 - tie_rank(compiled, i, j) as i64)
}

/// For a mentor's own best mentees: orders by `weight`, then by the mentee's distance from
/// the mentor's own place among the mentees (the preferred mentee has the larger key).
#[inline]
fn mentor_spread_key(compiled: &Compiled, i: usize, j: usize, weight: i64) -> i64 {
    let n = compiled.n_mentees().max(1) as u64;
    let m = compiled.n_mentors().max(1) as u64;
    let offset = (j as u64 * n) / m;
    let rank = (i as u64 + n - offset % n) % n;
    weight * n as i64 + (n - 1 - rank) as i64
}

/// Each mentee's best arcs and each mentor's best arcs, by weight then `tie_rank`.
fn initial_arcs(compiled: &Compiled, weighting: Weighting, options: SolveOptions) -> Arcs {
    let n = compiled.n_mentees();
    let m = compiled.n_mentors();
    let per_mentor = options.candidates_per_mentor;
    let results = parallel::blocks(n, options.threads, |mentees| {
        // Each mentor's best `per_mentor` arcs in this block, as (key, mentee); keys of one
        // mentor never tie.
        let mut mentor_best: Vec<(i64, u32)> = vec![(i64::MIN, u32::MAX); m * per_mentor];
        let mut mentor_floor: Vec<i64> = vec![if per_mentor == 0 { i64::MAX } else { i64::MIN }; m];
        let mut triples: Vec<(u32, u32, i64)> = Vec::new();
        let mut best = TopK::new(options.candidates_per_mentee);
        for i in mentees {
            if compiled.is_settled_by_pins(i) {
                continue;
            }
            // A mentee who wants several mentors starts from as many candidates per mentor
            // wanted as one who wants one.
            best.clear_to(options.candidates_per_mentee * compiled.supply_of(i));
            compiled.for_each_open(i, true, |j| {
                let weight = weighting.weight(compiled.score(i, j));
                best.offer(spread_key(compiled, i, j, weight), j as u32);
                let key = mentor_spread_key(compiled, i, j, weight);
                if key > mentor_floor[j] {
                    let entries = &mut mentor_best[j * per_mentor..(j + 1) * per_mentor];
                    let mut low = 0;
                    for k in 1..entries.len() {
                        if entries[k].0 < entries[low].0 {
                            low = k;
                        }
                    }
                    entries[low] = (key, i as u32);
                    mentor_floor[j] = entries.iter().map(|e| e.0).min().unwrap_or(i64::MIN);
                }
            });
            triples.extend(
                best.items()
                    .iter()
                    .map(|&(_, j)| (i as u32, j, weighting.weight(compiled.score(i, j as usize)))),
            );
        }
        (triples, mentor_best)
    });
    let mut triples: Vec<(u32, u32, i64)> = Vec::new();
    let mut mentor_lists: Vec<Vec<(i64, u32)>> = Vec::with_capacity(results.len());
    for (block_triples, mentor_best) in results {
        triples.extend(block_triples);
        mentor_lists.push(mentor_best);
    }
    let mut merged: Vec<(i64, u32)> = Vec::with_capacity(per_mentor * mentor_lists.len());
    for j in 0..m {
        merged.clear();
        for list in &mentor_lists {
            merged.extend(
                list[j * per_mentor..(j + 1) * per_mentor]
                    .iter()
                    .filter(|e| e.1 != u32::MAX),
            );
        }
        merged.sort_unstable_by_key(|&(key, _)| std::cmp::Reverse(key));
        triples.extend(
            merged
                .iter()
                .take(per_mentor)
                .map(|&(_, i)| (i, j as u32, weighting.weight(compiled.score(i as usize, j)))),
        );
    }
    triples.sort_unstable();
    triples.dedup();
    Arcs::from_sorted(n, &triples)
}

/// Every feasible arc with a negative reduced cost (up to `limit` per mentee, the most
/// negative first), and how many pairs were scored to find them.
///
/// A pair can only violate if `weight + mentor potential > mentee potential`. The weight is
/// bounded by the mentee's `score_bound` plus the mentor's experience contribution, so with
/// each group's mentors sorted by `potential + experience` (highest first) the scan of a
/// mentee stops at the first mentor that cannot violate: every later one cannot either.
/// Pairs skipped this way are proved non-violating, so the pass still covers every pair.
fn price(
    compiled: &Compiled,
    weighting: Weighting,
    flow: &Flow<'_>,
    limit: usize,
    threads: usize,
) -> (Vec<(u32, u32, i64)>, u64) {
    let (groups, members) = compiled.mentor_groups();
    let key = |j: usize| flow.pot_mentor[j] + weighting.scale(compiled.experience_contribution(j));
    let mut sorted: Vec<u32> = members.to_vec();
    for range in &groups {
        sorted[range.clone()].sort_by_key(|&j| (std::cmp::Reverse(key(j as usize)), j));
    }
    let keys: Vec<i64> = sorted.iter().map(|&j| key(j as usize)).collect();
    let results = parallel::blocks(compiled.n_mentees(), threads, |mentees| {
        let mut violations = Vec::new();
        let mut scored = 0u64;
        let mut worst = TopK::new(limit.max(1));
        for i in mentees {
            if compiled.is_settled_by_pins(i) {
                continue;
            }
            let Some(range) = groups.get(compiled.group_of(i)) else {
                continue;
            };
            // Each of a mentee's mentors wanted may gain from as many new arcs as one.
            worst.clear_to(if limit > 1 {
                limit * compiled.supply_of(i)
            } else {
                1
            });
            let potential = flow.pot_mentee[i];
            // A mentor whose key is at most this cannot give a violating pair.
            let hopeless = potential - weighting.weight(compiled.score_bound(i));
            for k in range.clone() {
                if keys[k] <= hopeless {
                    break;
                }
                let j = sorted[k] as usize;
                // A pair the mentee already has (routed or pinned) is full: it is never added.
                if compiled.residual_capacity[j] == 0
                    || compiled.is_forbidden(i, j)
                    || !compiled.allowed_ignoring_forbids(i, j)
                    || compiled.is_pinned_pair(i, j)
                    || flow.is_routed(i, j as u32)
                {
                    continue;
                }
                scored += 1;
                let weight = weighting.weight(compiled.score(i, j));
                let gain = weight + flow.pot_mentor[j] - potential;
                if gain > 0 {
                    worst.offer(spread_key(compiled, i, j, gain), j as u32);
                }
            }
            let mut found: Vec<(u32, u32, i64)> = worst
                .items()
                .iter()
                .map(|&(_, j)| (i as u32, j, weighting.weight(compiled.score(i, j as usize))))
                .collect();
            found.sort_unstable();
            violations.extend(found);
        }
        (violations, scored)
    });
    let mut violations = Vec::new();
    let mut scored = 0;
    for (block_violations, block_scored) in results {
        violations.extend(block_violations);
        scored += block_scored;
    }
    (violations, scored)
}

fn finish(problem: &Problem, weighting: Weighting, flow: &Flow<'_>, stats: SolveStats) -> Solution {
    let compiled = problem.compiled();
    let mut assignment = Vec::with_capacity(compiled.n_mentees());
    let mut pairs = Vec::new();
    let mut unmatched = Vec::new();
    let mut total_score = 0i64;
    for mentee in problem.mentee_indices() {
        let i = mentee.index();
        let pinned = problem.pinned_mentors(mentee);
        // A unit left unrouted cannot happen (every mentee can reach the sink); if it did,
        // the mentee would simply have fewer mentors, which keeps the answer feasible, and
        // the certificate check would refuse it.
        let mut mentors: Vec<(MentorIdx, bool)> = pinned
            .iter()
            .map(|&j| (j, true))
            .chain(flow.mentors_of(i).map(|(j, _)| (MentorIdx(j), false)))
            .collect();
        mentors.sort_unstable();
        for &(mentor, pinned) in &mentors {
            let score = compiled.score(i, mentor.index());
            total_score += i64::from(score);
            pairs.push(Pair {
                mentee,
                mentor,
                score,
                pinned,
            });
        }
        if mentors.len() < usize::from(problem.mentee(mentee).mentors) {
            unmatched.push(mentee);
        }
        assignment.push(mentors.into_iter().map(|(j, _)| j).collect());
    }
    let top = weighting.max_weight();
    let certificate = Certificate {
        mentee_dual: (0..compiled.n_mentees())
            .map(|i| {
                if compiled.is_settled_by_pins(i) {
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
    debug_assert!((0..compiled.n_mentees()).all(|i| {
        flow.mentors_of(i)
            .all(|(j, weight)| weight == weighting.weight(compiled.score(i, j as usize)))
    }));
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

    /// Empties it and keeps the best `k` from now on.
    fn clear_to(&mut self, k: usize) {
        self.items.clear();
        self.k = k;
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
