//! Random small cohorts for property tests, and an independent brute-force oracle.

use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;
use proptest::prelude::*;
use tandem_match::{
    Adjustment, Availability, Direction, Forbid, ForbidRule, Mentee, MenteeIdx, Mentor, MentorIdx,
    PersonId, Pin, Problem, ProblemSpec, RankGapPoints, Rules, Scheme, Tag, Weight, Weights,
};

const TOPICS: [&str; 5] = [
    "leadership",
    "promotion",
    "wellbeing",
    "academic_study",
    "managing_change",
];
const SLOTS: [&str; 6] = ["mon-am", "mon-pm", "tue-am", "wed-pm", "thu-eve", "fri-am"];
const ORGANISATIONS: [&str; 2] = ["police-scotland", "cleveland"];
const LOCATIONS: [&str; 3] = ["glasgow", "edinburgh", "middlesbrough"];

fn tags(bits: u8, names: &[&str]) -> Vec<Tag> {
    names
        .iter()
        .enumerate()
        .filter(|(k, _)| bits & (1 << k) != 0)
        .map(|(_, n)| Tag::parse(n).unwrap())
        .collect()
}

fn availability(bits: u8) -> Availability {
    Availability::parse(
        SLOTS
            .iter()
            .enumerate()
            .filter(|(k, _)| bits & (1 << k) != 0)
            .map(|(_, n)| *n),
    )
    .unwrap()
}

/// capacity, organisation, department, location, remote, rank, years, topics, slots,
/// trained, characteristics.
type MentorGenes = (u32, usize, usize, usize, bool, u8, u8, u8, u8, bool, u8);
/// organisation, department, location, remote, rank, wants, preferred, adjustments, slots,
/// trained, diversity preference.
type MenteeGenes = (
    usize,
    usize,
    usize,
    bool,
    u8,
    u8,
    Option<usize>,
    u8,
    u8,
    bool,
    u8,
);

/// min_levels_apart, max_levels_apart, different organisation, different department, and
/// the rank gap table's `(gap, points)` entries.
type PolicyGenes = (Option<u8>, Option<u8>, bool, bool, Option<Vec<(u8, u8)>>);

/// The raw material of a random cohort; `spec` turns it into a `ProblemSpec`.
#[derive(Debug, Clone)]
pub struct RandomCohort {
    mentors: Vec<MentorGenes>,
    mentees: Vec<MenteeGenes>,
    direction: u8,
    weights: [i64; 7],
    maximise_matched: bool,
    cross_force: bool,
    training_required: bool,
    enforce_direction: bool,
    /// The scheme's own rules: levels apart (min, max), different organisation, different
    /// department, and a points table per rank gap.
    policy: PolicyGenes,
    forbids: Vec<(usize, usize, u8)>,
    /// Pins wished for; `with_valid_pins` keeps those the rules allow.
    pub pin_wishes: Vec<(usize, usize)>,
    /// The mentors each mentee wants, by mentee (1 when not listed).
    pub supplies: Vec<u8>,
}

pub fn cohort(max_mentees: usize, max_mentors: usize) -> impl Strategy<Value = RandomCohort> {
    let mentor = (
        0u32..=3,
        0usize..2,
        0usize..2,
        0usize..3,
        any::<bool>(),
        0u8..7,
        0u8..30,
        0u8..32,
        0u8..64,
        prop::bool::weighted(0.85),
        0u8..4,
    );
    let mentee = (
        0usize..2,
        0usize..2,
        0usize..3,
        any::<bool>(),
        0u8..7,
        0u8..32,
        prop::option::weighted(0.3, 0usize..8),
        0u8..4,
        0u8..64,
        prop::bool::weighted(0.85),
        0u8..4,
    );
    (
        prop::collection::vec(mentor, 0..=max_mentors),
        prop::collection::vec(mentee, 0..=max_mentees),
        (0u8..3, prop::array::uniform7(0i64..=10), any::<bool>()),
        (any::<bool>(), any::<bool>(), prop::bool::weighted(0.3)),
        prop::collection::vec((0usize..64, 0usize..64, 0u8..3), 0..8),
        prop::collection::vec((0usize..64, 0usize..64), 0..4),
        (
            prop::option::weighted(0.3, 0u8..4),
            prop::option::weighted(0.3, 0u8..5),
            prop::bool::weighted(0.2),
            prop::bool::weighted(0.3),
            prop::option::weighted(0.3, prop::collection::vec((0u8..7, 0u8..=100), 0..5)),
        ),
    )
        .prop_map(
            |(
                mentors,
                mentees,
                (direction, weights, maximise_matched),
                (cross_force, training_required, enforce_direction),
                forbids,
                pin_wishes,
                (min, max, different_organisation, different_department, table),
            )| RandomCohort {
                policy: (
                    match (min, max) {
                        (Some(min), Some(max)) => Some(min.min(max)),
                        _ => min,
                    },
                    match (min, max) {
                        (Some(min), Some(max)) => Some(min.max(max)),
                        _ => max,
                    },
                    different_organisation,
                    different_department,
                    table,
                ),
                mentors,
                mentees,
                direction,
                weights,
                maximise_matched,
                cross_force,
                training_required,
                enforce_direction,
                forbids,
                pin_wishes,
                supplies: Vec::new(),
            },
        )
}

/// A random cohort whose mentees want 1 to 3 mentors each.
pub fn b_cohort(max_mentees: usize, max_mentors: usize) -> impl Strategy<Value = RandomCohort> {
    (
        cohort(max_mentees, max_mentors),
        prop::collection::vec(1u8..=3, max_mentees),
    )
        .prop_map(|(mut cohort, supplies)| {
            cohort.supplies = supplies;
            cohort
        })
}

impl RandomCohort {
    /// The same cohort with every mentor given the first mentor's profile (capacities kept)
    /// and every mentee the first mentee's: nothing but ties, the solver's hardest case.
    pub fn tied(mut self) -> RandomCohort {
        if let Some(&first) = self.mentors.first() {
            for mentor in &mut self.mentors {
                let capacity = mentor.0;
                *mentor = first;
                mentor.0 = capacity;
            }
        }
        if let Some(&first) = self.mentees.first() {
            for mentee in &mut self.mentees {
                *mentee = first;
            }
        }
        self
    }

    /// The spec without pins.
    pub fn spec(&self) -> ProblemSpec {
        let m = self.mentors.len();
        let n = self.mentees.len();
        let weight = |k: usize| Weight::parse(self.weights[k]).unwrap();
        let mentors: Vec<Mentor> = self
            .mentors
            .iter()
            .enumerate()
            .map(
                |(
                    j,
                    &(
                        capacity,
                        org,
                        dept,
                        loc,
                        remote_ok,
                        rank,
                        years,
                        topics,
                        slots,
                        trained,
                        chars,
                    ),
                )| Mentor {
                    id: PersonId::parse(&format!("R{j}")).unwrap(),
                    capacity,
                    organisation: ORGANISATIONS[org].to_owned(),
                    department: ["response", "cid"][dept].to_owned(),
                    location: LOCATIONS[loc].to_owned(),
                    remote_ok,
                    rank_level: rank,
                    years_of_service: years,
                    topics: tags(topics, &TOPICS),
                    availability: availability(slots),
                    training_done: trained,
                    characteristics: tags(chars, &["woman", "bame"]),
                },
            )
            .collect();
        let mentees: Vec<Mentee> = self
            .mentees
            .iter()
            .enumerate()
            .map(
                |(
                    i,
                    &(
                        org,
                        dept,
                        loc,
                        remote_ok,
                        rank,
                        wants,
                        preferred,
                        adjust,
                        slots,
                        trained,
                        diversity,
                    ),
                )| Mentee {
                    id: PersonId::parse(&format!("E{i}")).unwrap(),
                    organisation: ORGANISATIONS[org].to_owned(),
                    department: ["response", "cid"][dept].to_owned(),
                    location: LOCATIONS[loc].to_owned(),
                    remote_ok,
                    rank_level: rank,
                    development_areas: tags(wants, &TOPICS),
                    preferred_mentor: preferred
                        .filter(|_| m > 0)
                        .map(|p| PersonId::parse(&format!("R{}", p % m)).unwrap()),
                    adjustments: [Adjustment::RemoteMeetings, Adjustment::NoTravel]
                        .into_iter()
                        .enumerate()
                        .filter(|(k, _)| adjust & (1 << k) != 0)
                        .map(|(_, a)| a)
                        .collect(),
                    availability: availability(slots),
                    training_done: trained,
                    diversity_preference: tags(diversity, &["woman", "bame"]),
                    mentors: self.supplies.get(i).copied().unwrap_or(1),
                },
            )
            .collect();
        let forbids = if n == 0 || m == 0 {
            Vec::new()
        } else {
            self.forbids
                .iter()
                .map(|&(i, j, rule)| Forbid {
                    mentee: PersonId::parse(&format!("E{}", i % n)).unwrap(),
                    mentor: PersonId::parse(&format!("R{}", j % m)).unwrap(),
                    rule: [
                        ForbidRule::LineManagement,
                        ForbidRule::ConflictOfInterest,
                        ForbidRule::Forbidden,
                    ][rule as usize],
                    reason: String::new(),
                })
                .collect()
        };
        ProblemSpec {
            scheme: Scheme {
                direction: [Direction::Traditional, Direction::Reverse, Direction::Peer]
                    [self.direction as usize],
                weights: Weights {
                    topic_fit: weight(0),
                    location_fit: weight(1),
                    rank_gap: weight(2),
                    experience: weight(3),
                    availability: weight(4),
                    preference: weight(5),
                    diversity: weight(6),
                },
                maximise_matched: self.maximise_matched,
                rank_gap_points: self
                    .policy
                    .4
                    .as_ref()
                    .map(|entries| RankGapPoints::from_entries(entries.iter().copied())),
            },
            rules: Rules {
                cross_force: self.cross_force || self.policy.2,
                training_required: self.training_required,
                enforce_direction: self.enforce_direction,
                min_levels_apart: self.policy.0,
                max_levels_apart: self.policy.1,
                different_organisation: self.policy.2,
                different_department: self.policy.3,
                forbids,
                pins: Vec::new(),
            },
            mentors,
            mentees,
        }
    }

    /// The same cohort with the scheme's levels-apart, organisation and department rules
    /// written out as one forbid per pair they exclude, worked out here from the raw values
    /// (not by the engine).
    pub fn spec_as_forbids(&self) -> ProblemSpec {
        let mut spec = self.spec();
        let (min, max, different_organisation, different_department, _) = self.policy;
        for (i, mentee) in self.mentees.iter().enumerate() {
            for (j, mentor) in self.mentors.iter().enumerate() {
                let same_organisation = mentee.0 == mentor.1;
                let same_department = same_organisation && mentee.1 == mentor.2;
                let above = i32::from(mentor.5) - i32::from(mentee.4);
                let apart = match self.direction {
                    0 => above,
                    1 => -above,
                    _ => above.abs(),
                };
                let excluded = (different_organisation && same_organisation)
                    || (different_department && same_department)
                    || min.is_some_and(|min| apart < i32::from(min))
                    || max.is_some_and(|max| apart > i32::from(max));
                if excluded {
                    spec.rules.forbids.push(Forbid {
                        mentee: spec.mentees[i].id.clone(),
                        mentor: spec.mentors[j].id.clone(),
                        rule: ForbidRule::Forbidden,
                        reason: String::new(),
                    });
                }
            }
        }
        spec.rules.min_levels_apart = None;
        spec.rules.max_levels_apart = None;
        spec.rules.different_organisation = false;
        spec.rules.different_department = false;
        spec
    }

    /// The problem with the wished pins the rules allow (feasible, one per mentee, within
    /// capacity), which must then be accepted.
    pub fn problem_with_valid_pins(&self) -> Problem {
        self.with_valid_pins(self.spec())
    }

    /// `spec` with the wished pins its rules allow, validated.
    pub fn with_valid_pins(&self, spec: ProblemSpec) -> Problem {
        let unpinned = Problem::new(spec.clone()).expect("a cohort without pins is valid");
        let (n, m) = (spec.mentees.len(), spec.mentors.len());
        let mut pins = Vec::new();
        if n > 0 && m > 0 {
            let mut used = vec![0u32; m];
            let mut pinned: Vec<Vec<usize>> = vec![Vec::new(); n];
            for &(i, j) in &self.pin_wishes {
                let (i, j) = (i % n, j % m);
                let mentee = unpinned.mentee_index(&format!("E{i}")).unwrap();
                let mentor = unpinned.mentor_index(&format!("R{j}")).unwrap();
                if pinned[i].len() < usize::from(spec.mentees[i].mentors)
                    && !pinned[i].contains(&j)
                    && used[j] < spec.mentors[j].capacity
                    && unpinned.is_feasible(mentee, mentor)
                {
                    pinned[i].push(j);
                    used[j] += 1;
                    pins.push(Pin {
                        mentee: spec.mentees[i].id.clone(),
                        mentor: spec.mentors[j].id.clone(),
                    });
                }
            }
        }
        let mut spec = spec;
        spec.rules.pins = pins;
        Problem::new(spec).expect("valid pins are accepted")
    }
}

/// The best (matched, total score) by the Hungarian method on mentor slots: an oracle that
/// shares nothing with the solver but the definition of feasibility and score.
pub fn oracle(problem: &Problem) -> (usize, i64) {
    let feasible = |i: MenteeIdx, j: MentorIdx| problem.violations(i, j).is_empty();
    let score =
        |i: MenteeIdx, j: MentorIdx| i64::from(tandem_match::breakdown(problem, i, j).total);
    let mut pinned_count = 0;
    let mut pinned_score = 0;
    let mut room: Vec<u32> = problem.mentors().iter().map(|m| m.capacity).collect();
    let mut free = Vec::new();
    for i in problem.mentee_indices() {
        assert_eq!(
            problem.mentee(i).mentors,
            1,
            "the Hungarian oracle is for one mentor each"
        );
        match problem.pinned_mentors(i) {
            &[j] => {
                pinned_count += 1;
                pinned_score += score(i, j);
                room[j.index()] -= 1;
            }
            _ => free.push(i),
        }
    }
    if free.is_empty() {
        return (pinned_count, pinned_score);
    }
    let slots: Vec<MentorIdx> = problem
        .mentor_indices()
        .flat_map(|j| std::iter::repeat_n(j, (room[j.index()] as usize).min(free.len())))
        .collect();
    // Lexicographic objective as one number: 10^6 exceeds any total score of 8 mentees.
    const BIG: i64 = 1_000_000;
    const FORBIDDEN: i64 = -1_000_000_000_000;
    let maximise_matched = problem.scheme().maximise_matched;
    let rows: Vec<Vec<i64>> = free
        .iter()
        .map(|&i| {
            let mut row: Vec<i64> = slots
                .iter()
                .map(|&j| {
                    if !feasible(i, j) {
                        FORBIDDEN
                    } else if maximise_matched {
                        BIG + score(i, j)
                    } else {
                        score(i, j) * BIG + 1
                    }
                })
                .collect();
            row.extend(std::iter::repeat_n(0, free.len()));
            row
        })
        .collect();
    let matrix = Matrix::from_rows(rows).unwrap();
    let (_, columns) = kuhn_munkres(&matrix);
    let mut count = pinned_count;
    let mut total = pinned_score;
    for (&i, &column) in free.iter().zip(&columns) {
        if let Some(&j) = slots.get(column) {
            assert!(feasible(i, j), "the oracle never picks a forbidden slot");
            count += 1;
            total += score(i, j);
        }
    }
    (count, total)
}

/// The best (pairs, total score) over every b-matching, enumerated: each mentee takes any set
/// of allowed mentors, none twice, as many as it wants (pins included), within every
/// mentor's capacity. Shares nothing with the solver but feasibility and score.
pub fn brute_force(problem: &Problem) -> (usize, i64) {
    let feasible = |i: MenteeIdx, j: MentorIdx| problem.violations(i, j).is_empty();
    let score =
        |i: MenteeIdx, j: MentorIdx| i64::from(tandem_match::breakdown(problem, i, j).total);
    let mut room: Vec<i64> = problem
        .mentors()
        .iter()
        .map(|m| i64::from(m.capacity))
        .collect();
    let mut base = (0usize, 0i64);
    // Per mentee, every subset of its open mentors it could take, with the subset's score.
    let mut choices: Vec<Vec<(Vec<MentorIdx>, i64)>> = Vec::new();
    for i in problem.mentee_indices() {
        let pinned = problem.pinned_mentors(i);
        for &j in pinned {
            base.0 += 1;
            base.1 += score(i, j);
            room[j.index()] -= 1;
        }
        let open: Vec<MentorIdx> = problem
            .mentor_indices()
            .filter(|&j| feasible(i, j) && !pinned.contains(&j))
            .collect();
        let left = usize::from(problem.mentee(i).mentors) - pinned.len();
        let subsets = (0u32..1 << open.len())
            .filter(|mask| mask.count_ones() as usize <= left)
            .map(|mask| {
                let subset: Vec<MentorIdx> = open
                    .iter()
                    .enumerate()
                    .filter(|(k, _)| mask & (1 << k) != 0)
                    .map(|(_, &j)| j)
                    .collect();
                let total = subset.iter().map(|&j| score(i, j)).sum();
                (subset, total)
            })
            .collect();
        choices.push(subsets);
    }
    let key = |(count, total): (usize, i64)| {
        if problem.scheme().maximise_matched {
            (count as i64, total)
        } else {
            (total, count as i64)
        }
    };
    fn search(
        choices: &[Vec<(Vec<MentorIdx>, i64)>],
        room: &mut [i64],
        now: (usize, i64),
        best: &mut (usize, i64),
        key: &dyn Fn((usize, i64)) -> (i64, i64),
    ) {
        let Some((first, rest)) = choices.split_first() else {
            if key(now) > key(*best) {
                *best = now;
            }
            return;
        };
        for (subset, total) in first {
            if subset.iter().any(|j| room[j.index()] <= 0) {
                continue;
            }
            for &j in subset {
                room[j.index()] -= 1;
            }
            search(rest, room, (now.0 + subset.len(), now.1 + total), best, key);
            for &j in subset {
                room[j.index()] += 1;
            }
        }
    }
    let mut best = base;
    search(&choices, &mut room, base, &mut best, &key);
    best
}
