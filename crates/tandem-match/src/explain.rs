//! Explanations: why each pair scored what it did, and why each mentee left with fewer mentors
//! than it wants (most often: unmatched) is.

use crate::problem::{MenteeIdx, MentorIdx, Problem};
use crate::rules::{self, HardRule, RuleViolation};
use crate::score::{self, Breakdown};
use crate::solve::Solution;

/// A pair of the answer with its factor breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairExplanation {
    /// The mentee.
    pub mentee: MenteeIdx,
    /// The mentor.
    pub mentor: MentorIdx,
    /// Whether a coordinator pinned it.
    pub pinned: bool,
    /// The score, factor by factor.
    pub breakdown: Breakdown,
}

/// What kept a group of mentors away from a mentee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Exclusion {
    /// A hard rule.
    Rule(HardRule),
    /// The mentor is allowed but has no capacity at all (capacity 0).
    NoCapacity,
    /// The mentor is already one of the mentee's mentors (a pair is never given twice).
    AlreadyMentor,
}

impl Exclusion {
    /// The name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Exclusion::Rule(rule) => rule.as_str(),
            Exclusion::NoCapacity => "no_capacity",
            Exclusion::AlreadyMentor => "already_mentor",
        }
    }
}

/// The mentors one rule kept away (a mentor can appear under several rules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleExclusion {
    /// The rule.
    pub exclusion: Exclusion,
    /// The mentors it excluded, in input order.
    pub mentors: Vec<MentorIdx>,
}

/// Why a mentee has no mentor, or fewer than it wants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UnmatchedReason {
    /// No further mentor with capacity is allowed; the exclusions say which rules kept whom
    /// away.
    NoFeasibleMentor {
        /// Per rule, the mentors it excluded.
        exclusions: Vec<RuleExclusion>,
    },
    /// Allowed mentors exist (besides its own), but their places went to pairs that make a
    /// better total.
    CapacityTaken {
        /// The allowed mentor with the best score for this mentee (earliest on ties).
        best_mentor: MentorIdx,
        /// That score.
        best_score: i32,
        /// Who holds that mentor's places.
        holders: Vec<MenteeIdx>,
        /// How many allowed mentors with capacity there were, all full.
        allowed_mentors: usize,
    },
}

/// A mentee with fewer mentors than it wants (most often: none of one) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmatchedExplanation {
    /// The mentee.
    pub mentee: MenteeIdx,
    /// The mentors it has in the answer.
    pub has: usize,
    /// The mentors it wants.
    pub wants: u8,
    /// Why.
    pub reason: UnmatchedReason,
}

/// The whole answer, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// Every pair, in mentee order.
    pub pairs: Vec<PairExplanation>,
    /// Every mentee with fewer mentors than it wants, in input order.
    pub unmatched: Vec<UnmatchedExplanation>,
}

/// Explains every pair, and every mentee left with fewer mentors than it wants.
pub fn explain(problem: &Problem, solution: &Solution) -> Explanation {
    let pairs = solution
        .pairs()
        .iter()
        .map(|pair| PairExplanation {
            mentee: pair.mentee,
            mentor: pair.mentor,
            pinned: pair.pinned,
            breakdown: score::breakdown(problem, pair.mentee, pair.mentor),
        })
        .collect();
    let mut holders: Vec<Vec<MenteeIdx>> = vec![Vec::new(); problem.mentors().len()];
    for pair in solution.pairs() {
        holders[pair.mentor.index()].push(pair.mentee);
    }
    let unmatched = solution
        .unmatched()
        .iter()
        .map(|&mentee| UnmatchedExplanation {
            mentee,
            has: solution.assignment()[mentee.index()].len(),
            wants: problem.mentee(mentee).mentors,
            reason: unmatched_reason(
                problem,
                mentee,
                &solution.assignment()[mentee.index()],
                &holders,
            ),
        })
        .collect();
    Explanation { pairs, unmatched }
}

fn unmatched_reason(
    problem: &Problem,
    mentee: MenteeIdx,
    mentors: &[MentorIdx],
    holders: &[Vec<MenteeIdx>],
) -> UnmatchedReason {
    let has = |j: usize| mentors.contains(&MentorIdx(j as u32));
    let compiled = problem.compiled();
    let i = mentee.index();
    let mut best: Option<(i32, usize)> = None;
    let mut allowed_mentors = 0;
    compiled.for_each_allowed(i, false, |j| {
        if problem.mentors()[j].capacity == 0 || has(j) {
            return;
        }
        allowed_mentors += 1;
        let score = compiled.score(i, j);
        if best.is_none_or(|(top, _)| score > top) {
            best = Some((score, j));
        }
    });
    if let Some((best_score, j)) = best {
        return UnmatchedReason::CapacityTaken {
            best_mentor: MentorIdx(j as u32),
            best_score,
            holders: holders[j].clone(),
            allowed_mentors,
        };
    }
    let mut by_rule: Vec<Vec<MentorIdx>> = vec![Vec::new(); HardRule::ALL.len()];
    let mut no_capacity = Vec::new();
    let mut already = Vec::new();
    for mentor in problem.mentor_indices() {
        let mask = rules::broken_rules(problem, mentee, mentor);
        if mask == 0 {
            if has(mentor.index()) {
                already.push(mentor);
            } else {
                no_capacity.push(mentor);
            }
        }
        for (k, list) in by_rule.iter_mut().enumerate() {
            if mask & (1 << k) != 0 {
                list.push(mentor);
            }
        }
    }
    let mut exclusions: Vec<RuleExclusion> = HardRule::ALL
        .iter()
        .zip(by_rule)
        .filter(|(_, mentors)| !mentors.is_empty())
        .map(|(&rule, mentors)| RuleExclusion {
            exclusion: Exclusion::Rule(rule),
            mentors,
        })
        .collect();
    if !no_capacity.is_empty() {
        exclusions.push(RuleExclusion {
            exclusion: Exclusion::NoCapacity,
            mentors: no_capacity,
        });
    }
    if !already.is_empty() {
        exclusions.push(RuleExclusion {
            exclusion: Exclusion::AlreadyMentor,
            mentors: already,
        });
    }
    UnmatchedReason::NoFeasibleMentor { exclusions }
}

/// Whether a pair is allowed, and its score or the rules against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PairVerdict {
    /// No hard rule forbids the pair; here is its score.
    Allowed(Breakdown),
    /// These hard rules forbid it.
    Forbidden(Vec<RuleViolation>),
}

/// Explains one pair, whether or not it is in any answer.
pub fn explain_pair(problem: &Problem, mentee: MenteeIdx, mentor: MentorIdx) -> PairVerdict {
    let violations = rules::violations(problem, mentee, mentor);
    if violations.is_empty() {
        PairVerdict::Allowed(score::breakdown(problem, mentee, mentor))
    } else {
        PairVerdict::Forbidden(violations)
    }
}
