//! The optimality certificate and its independent checker.
//!
//! The solve maximises `sum(weight(pair))` where `weight` folds the objective into one integer
//! (see `Weighting`), over b-matchings: mentee `i` has at most `s(i)` mentors (the mentors it
//! wants, less its pins), mentor `j` at most `c(j)` mentees (its capacity, less pins), and a
//! pair at most once. The linear-programming dual gives every mentee a potential `u >= 0`,
//! every mentor a potential `v >= 0`, and every pair an arc potential
//! `z = max(0, weight - u - v)` for its capacity of 1. Any such potentials bound every
//! b-matching from above by `sum(s * u) + sum(c * v) + sum(z)` (weak duality), so an
//! assignment whose total equals that bound is optimal (the polytope is integral, so such
//! potentials exist for the optimum). By complementary slackness `z` is positive only on pairs
//! of the assignment, and only where it matters: a mentee who wants one mentor never needs it,
//! so for those `u + v >= weight` must hold on every pair, as for a plain assignment. The
//! checker needs nothing from the solver but the assignment and `u`, `v`: it walks every
//! feasible pair of the problem itself, including the pairs the sparse solve never looked at.

use std::fmt;

use crate::parallel;
use crate::problem::{MentorIdx, Problem};
use crate::score::max_pair_score;

/// Threads for the check over all pairs (the verdict never depends on it).
const VERIFY_THREADS: usize = 2;

/// Dual potentials proving an assignment optimal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// `u`, per mentee (0 for a mentee whose pins give it every mentor it wants).
    pub mentee_dual: Vec<i64>,
    /// `v`, per mentor.
    pub mentor_dual: Vec<i64>,
}

/// The objective as one integer weight per pair.
///
/// With `maximise_matched`, `weight = bonus + score` where `bonus = max_pair_score * n + 1`
/// exceeds any total score, so one more pair always beats any score gain (count first, then
/// score). Without it, `weight = score * (n + 1) + 1`: the score decides, and among equal
/// scores the larger count wins. `n` is the most pairs the solve can add: the mentors the
/// mentees want, less their pins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weighting {
    bonus: i64,
    factor: i64,
    max_score: i64,
}

impl Weighting {
    /// The weighting a problem's objective implies.
    pub fn of(problem: &Problem) -> Weighting {
        let free: i64 = problem
            .compiled()
            .mentee_supply
            .iter()
            .map(|&supply| i64::from(supply))
            .sum();
        let max_score = i64::from(max_pair_score(&problem.scheme().weights));
        if problem.scheme().maximise_matched {
            Weighting {
                bonus: max_score * free + 1,
                factor: 1,
                max_score,
            }
        } else {
            Weighting {
                bonus: 1,
                factor: free + 1,
                max_score,
            }
        }
    }

    /// The weight of a pair with this score.
    #[inline]
    pub fn weight(self, score: i32) -> i64 {
        self.bonus + self.factor * i64::from(score)
    }

    /// The weight added by `score` points on top of the per-pair bonus.
    #[inline]
    pub(crate) fn scale(self, score: i32) -> i64 {
        self.factor * i64::from(score)
    }

    /// The largest weight any pair can have.
    pub fn max_weight(self) -> i64 {
        self.bonus + self.factor * self.max_score
    }
}

/// What a successful check established.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    /// Feasible pairs whose dual constraint was checked.
    pub pairs_checked: u64,
    /// Pairs in the assignment (pins included).
    pub matched: usize,
    /// Sum of the pairs' scores.
    pub total_score: i64,
    /// The weighted objective, equal to the dual bound.
    pub objective: i64,
}

/// Why an assignment or a certificate was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    /// The assignment or the potentials do not fit the problem's size.
    #[error(
        "the assignment has {assignment} entries and the certificate {mentees} mentee and {mentors} mentor potentials, for {expected_mentees} mentees and {expected_mentors} mentors"
    )]
    WrongSize {
        /// Entries in the assignment.
        assignment: usize,
        /// Mentee potentials.
        mentees: usize,
        /// Mentor potentials.
        mentors: usize,
        /// Mentees in the problem.
        expected_mentees: usize,
        /// Mentors in the problem.
        expected_mentors: usize,
    },
    /// A pin is not in the assignment.
    #[error("mentee {mentee} is pinned to {pinned} but the assignment does not keep it")]
    PinBroken {
        /// The mentee's id.
        mentee: String,
        /// The pinned mentor's id.
        pinned: String,
    },
    /// A pair breaks a hard rule.
    #[error("pair {mentee} -> {mentor} breaks a hard rule: {rules}")]
    InfeasiblePair {
        /// The mentee's id.
        mentee: String,
        /// The mentor's id.
        mentor: String,
        /// The rules broken.
        rules: String,
    },
    /// A mentee has the same mentor twice, or more mentors than it wants.
    #[error("mentee {mentee} has {detail}")]
    TooManyMentors {
        /// The mentee's id.
        mentee: String,
        /// What is wrong, in words.
        detail: String,
    },
    /// A mentor has more mentees than capacity.
    #[error("mentor {mentor} has {assigned} mentees but capacity {capacity}")]
    OverCapacity {
        /// The mentor's id.
        mentor: String,
        /// Mentees assigned.
        assigned: usize,
        /// Capacity.
        capacity: u32,
    },
    /// A potential is negative.
    #[error("the potential of {who} is negative ({value})")]
    NegativePotential {
        /// Whose.
        who: String,
        /// Its value.
        value: i64,
    },
    /// A feasible pair has a negative reduced cost: it could improve the total.
    #[error(
        "pair {mentee} -> {mentor} has weight {weight} above its potentials {covered}: it could improve the total"
    )]
    PairNotCovered {
        /// The mentee's id.
        mentee: String,
        /// The mentor's id.
        mentor: String,
        /// The pair's weight.
        weight: i64,
        /// `u + v`.
        covered: i64,
    },
    /// The dual bound is above the assignment's objective: it is not proved optimal.
    #[error(
        "the assignment's objective {primal} is below the dual bound {dual}: it is not proved optimal"
    )]
    Gap {
        /// The assignment's weighted objective.
        primal: i64,
        /// The certificate's bound.
        dual: i128,
    },
}

/// Checks from the problem alone that `assignment` (each mentee's mentors) is feasible and
/// that `certificate` proves it optimal over every feasible pair.
pub fn verify_certificate(
    problem: &Problem,
    assignment: &[Vec<MentorIdx>],
    certificate: &Certificate,
) -> Result<Verified, CertificateError> {
    let n = problem.mentees().len();
    let m = problem.mentors().len();
    let wrong_size = || CertificateError::WrongSize {
        assignment: assignment.len(),
        mentees: certificate.mentee_dual.len(),
        mentors: certificate.mentor_dual.len(),
        expected_mentees: n,
        expected_mentors: m,
    };
    if assignment.len() != n
        || certificate.mentee_dual.len() != n
        || certificate.mentor_dual.len() != m
    {
        return Err(wrong_size());
    }
    let weighting = Weighting::of(problem);
    let compiled = problem.compiled();
    let mut load = vec![0usize; m];
    let mut primal = 0i64;
    let mut matched = 0;
    let mut total_score = 0i64;
    for (mentee, mentors) in problem.mentee_indices().zip(assignment) {
        let id = || problem.mentee(mentee).id.to_string();
        if let Some(&pinned) = problem
            .pinned_mentors(mentee)
            .iter()
            .find(|j| !mentors.contains(j))
        {
            return Err(CertificateError::PinBroken {
                mentee: id(),
                pinned: problem.mentor(pinned).id.to_string(),
            });
        }
        let wanted = usize::from(problem.mentee(mentee).mentors);
        if mentors.len() > wanted {
            return Err(CertificateError::TooManyMentors {
                mentee: id(),
                detail: format!("{} mentors but wants {wanted}", mentors.len()),
            });
        }
        for (k, &mentor) in mentors.iter().enumerate() {
            if mentor.index() >= m {
                return Err(wrong_size());
            }
            if mentors[..k].contains(&mentor) {
                return Err(CertificateError::TooManyMentors {
                    mentee: id(),
                    detail: format!("mentor {} twice", problem.mentor(mentor).id),
                });
            }
            let violations = problem.violations(mentee, mentor);
            if !violations.is_empty() {
                let rules: Vec<String> = violations.iter().map(ToString::to_string).collect();
                return Err(CertificateError::InfeasiblePair {
                    mentee: id(),
                    mentor: problem.mentor(mentor).id.to_string(),
                    rules: rules.join("; "),
                });
            }
            load[mentor.index()] += 1;
            matched += 1;
            let score = compiled.score(mentee.index(), mentor.index());
            total_score += i64::from(score);
            if !problem.is_pinned(mentee, mentor) {
                primal += weighting.weight(score);
            }
        }
    }
    for (mentor, assigned) in problem.mentors().iter().zip(&load) {
        if *assigned > mentor.capacity as usize {
            return Err(CertificateError::OverCapacity {
                mentor: mentor.id.to_string(),
                assigned: *assigned,
                capacity: mentor.capacity,
            });
        }
    }

    for mentee in problem.mentee_indices() {
        let value = certificate.mentee_dual[mentee.index()];
        if value < 0 && !compiled.is_settled_by_pins(mentee.index()) {
            return Err(CertificateError::NegativePotential {
                who: format!("mentee {}", problem.mentee(mentee).id),
                value,
            });
        }
    }
    for (mentor, &value) in problem.mentors().iter().zip(&certificate.mentor_dual) {
        if value < 0 {
            return Err(CertificateError::NegativePotential {
                who: format!("mentor {}", mentor.id),
                value,
            });
        }
    }

    // Every feasible pair, whatever the solver looked at: this is the proof over the full set.
    let blocks = parallel::blocks(n, VERIFY_THREADS, |mentees| {
        let mut pairs_checked = 0u64;
        let mut arc_dual: i128 = 0;
        for i in mentees {
            if compiled.is_settled_by_pins(i) {
                continue;
            }
            let u = certificate.mentee_dual[i];
            // A pair's own capacity of 1 only binds for a mentee who wants several mentors.
            let several = compiled.mentee_supply[i] > 1;
            let mut uncovered = None;
            compiled.for_each_open(i, false, |j| {
                pairs_checked += 1;
                let weight = weighting.weight(compiled.score(i, j));
                let covered = u.saturating_add(certificate.mentor_dual[j]);
                if covered < weight {
                    if several && assignment[i].contains(&MentorIdx(j as u32)) {
                        arc_dual += i128::from(weight - covered);
                    } else if uncovered.is_none() {
                        uncovered = Some((j, weight, covered));
                    }
                }
            });
            if let Some((j, weight, covered)) = uncovered {
                return Err((i, j, weight, covered));
            }
        }
        Ok((pairs_checked, arc_dual))
    });
    let mut pairs_checked = 0u64;
    let mut dual: i128 = 0;
    for block in blocks {
        match block {
            Ok((checked, arc_dual)) => {
                pairs_checked += checked;
                dual += arc_dual;
            }
            Err((i, j, weight, covered)) => {
                return Err(CertificateError::PairNotCovered {
                    mentee: problem.mentees()[i].id.to_string(),
                    mentor: problem.mentors()[j].id.to_string(),
                    weight,
                    covered,
                });
            }
        }
    }

    for (i, &supply) in compiled.mentee_supply.iter().enumerate() {
        dual += i128::from(supply) * i128::from(certificate.mentee_dual[i]);
    }
    for (j, &value) in certificate.mentor_dual.iter().enumerate() {
        dual += i128::from(compiled.residual_capacity[j]) * i128::from(value);
    }
    if dual != i128::from(primal) {
        return Err(CertificateError::Gap { primal, dual });
    }
    Ok(Verified {
        pairs_checked,
        matched,
        total_score,
        objective: primal,
    })
}

impl fmt::Display for Verified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "optimal (dual potentials checked over {} feasible pair{})",
            self.pairs_checked,
            if self.pairs_checked == 1 { "" } else { "s" }
        )
    }
}
