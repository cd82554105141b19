//! Text and CSV renderings of answers and explanations: the CLI's output, as pure functions.
//!
//! Ids are restricted to characters that never need quoting (see `PersonId`), so the CSV
//! written here is plain comma-separated text.

use std::fmt::{self, Write as _};

use crate::certificate::{CertificateError, Verified};
use crate::explain::{Explanation, PairVerdict, UnmatchedReason, explain};
use crate::problem::{MenteeIdx, MentorIdx, Problem};
use crate::score::Breakdown;
use crate::solve::Solution;

/// How many ids a list shows before it says how many more there are.
const LIST_LIMIT: usize = 5;

/// The answer as text: the pairs (with factor breakdowns when `with_breakdown`), the unmatched
/// mentees with their reasons, the certificate check, and last `matched=N total_score=S`.
pub fn render_solution(
    problem: &Problem,
    solution: &Solution,
    verification: &Result<Verified, CertificateError>,
    with_breakdown: bool,
) -> String {
    let explanation = explain(problem, solution);
    render_explanation(
        problem,
        solution,
        &explanation,
        verification,
        with_breakdown,
    )
}

/// `render_solution` for an explanation already made.
pub fn render_explanation(
    problem: &Problem,
    solution: &Solution,
    explanation: &Explanation,
    verification: &Result<Verified, CertificateError>,
    with_breakdown: bool,
) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_explanation(
        &mut out,
        problem,
        solution,
        explanation,
        verification,
        with_breakdown,
    );
    out
}

fn write_explanation(
    out: &mut String,
    problem: &Problem,
    solution: &Solution,
    explanation: &Explanation,
    verification: &Result<Verified, CertificateError>,
    with_breakdown: bool,
) -> fmt::Result {
    writeln!(out, "pairs ({}):", explanation.pairs.len())?;
    for pair in &explanation.pairs {
        writeln!(
            out,
            "  {} -> {}  score {}{}",
            problem.mentee(pair.mentee).id,
            problem.mentor(pair.mentor).id,
            pair.breakdown.total,
            if pair.pinned { "  (pinned)" } else { "" }
        )?;
        if with_breakdown {
            write_breakdown(out, &pair.breakdown, "      ")?;
        }
    }
    writeln!(out, "unmatched ({}):", explanation.unmatched.len())?;
    for unmatched in &explanation.unmatched {
        write!(out, "  {}: ", problem.mentee(unmatched.mentee).id)?;
        if unmatched.wants > 1 {
            write!(
                out,
                "has {} of {} mentors; ",
                unmatched.has, unmatched.wants
            )?;
        }
        match &unmatched.reason {
            UnmatchedReason::NoFeasibleMentor { exclusions } => {
                write!(out, "no feasible mentor")?;
                let mut separator = ": ";
                for exclusion in exclusions {
                    write!(
                        out,
                        "{separator}{} excludes {} ({})",
                        exclusion.exclusion.as_str(),
                        exclusion.mentors.len(),
                        mentor_list(problem, &exclusion.mentors)
                    )?;
                    separator = "; ";
                }
                writeln!(out)?;
            }
            UnmatchedReason::CapacityTaken {
                best_mentor,
                best_score,
                holders,
                allowed_mentors,
            } => {
                writeln!(
                    out,
                    "places taken by a better overall assignment: best would be {} with score {} (its places went to {}); {} allowed mentor{}, all full",
                    problem.mentor(*best_mentor).id,
                    best_score,
                    mentee_list(problem, holders),
                    allowed_mentors,
                    if *allowed_mentors == 1 { "" } else { "s" }
                )?;
            }
        }
    }
    match verification {
        Ok(verified) => writeln!(out, "certificate: {verified}")?,
        Err(error) => writeln!(out, "certificate: REFUSED: {error}")?,
    }
    writeln!(
        out,
        "matched={} total_score={}",
        solution.matched(),
        solution.total_score()
    )
}

fn write_breakdown(out: &mut String, breakdown: &Breakdown, indent: &str) -> fmt::Result {
    for factor in &breakdown.factors {
        writeln!(
            out,
            "{indent}{:<13} {:>3} x {:>2} = {:>4}  {}",
            factor.factor.as_str(),
            factor.points,
            factor.weight,
            factor.contribution,
            factor.detail
        )?;
    }
    Ok(())
}

fn mentor_list(problem: &Problem, mentors: &[MentorIdx]) -> String {
    shortened(
        mentors.iter().map(|j| problem.mentor(*j).id.as_str()),
        mentors.len(),
    )
}

fn mentee_list(problem: &Problem, mentees: &[MenteeIdx]) -> String {
    shortened(
        mentees.iter().map(|i| problem.mentee(*i).id.as_str()),
        mentees.len(),
    )
}

fn shortened<'a>(ids: impl Iterator<Item = &'a str>, count: usize) -> String {
    let mut text: Vec<&str> = ids.take(LIST_LIMIT).collect();
    let more;
    if count > LIST_LIMIT {
        more = format!("and {} more", count - LIST_LIMIT);
        text.push(&more);
    }
    text.join(", ")
}

/// The pairs as CSV: `mentee,mentor,score,pinned`, in mentee order.
pub fn render_pairs_csv(problem: &Problem, solution: &Solution) -> String {
    let mut out = String::from("mentee,mentor,score,pinned\n");
    for pair in solution.pairs() {
        let _ = writeln!(
            out,
            "{},{},{},{}",
            problem.mentee(pair.mentee).id,
            problem.mentor(pair.mentor).id,
            pair.score,
            pair.pinned
        );
    }
    out
}

/// Every pair the hard rules allow, with its score, as CSV (`mentee,mentor,score`).
///
/// Written lazily through `Display`, so a caller can stream ten million lines to a file
/// without holding them in memory. Capacities and pins are in the problem file.
pub fn render_arcs_csv(problem: &Problem) -> ArcsCsv<'_> {
    ArcsCsv { problem }
}

/// See `render_arcs_csv`.
#[derive(Debug, Clone, Copy)]
pub struct ArcsCsv<'a> {
    problem: &'a Problem,
}

impl fmt::Display for ArcsCsv<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let problem = self.problem;
        f.write_str("mentee,mentor,score\n")?;
        for mentee in problem.mentee_indices() {
            let mentee_id = problem.mentee(mentee).id.as_str();
            let mut result = Ok(());
            problem.for_each_allowed_pair(mentee, |mentor, score| {
                if result.is_ok() {
                    result = writeln!(f, "{mentee_id},{},{score}", problem.mentor(mentor).id);
                }
            });
            result?;
        }
        Ok(())
    }
}

/// One pair explained: its factor breakdown, or the hard rules that forbid it.
pub fn render_pair_verdict(
    problem: &Problem,
    mentee: MenteeIdx,
    mentor: MentorIdx,
    verdict: &PairVerdict,
) -> String {
    let mut out = String::new();
    let mentee_id = &problem.mentee(mentee).id;
    let mentor_id = &problem.mentor(mentor).id;
    match verdict {
        PairVerdict::Allowed(breakdown) => {
            let _ = writeln!(
                out,
                "{mentee_id} -> {mentor_id}: allowed, score {}",
                breakdown.total
            );
            let _ = write_breakdown(&mut out, breakdown, "  ");
        }
        PairVerdict::Forbidden(violations) => {
            let _ = writeln!(out, "{mentee_id} -> {mentor_id}: forbidden");
            for violation in violations {
                let _ = writeln!(out, "  {}: {}", violation.rule, violation.detail);
            }
        }
    }
    let pinned = problem.pinned_mentors(mentee);
    if !pinned.is_empty() {
        let _ = writeln!(
            out,
            "  note: {mentee_id} is pinned to {}",
            mentor_list(problem, pinned)
        );
    }
    out
}
