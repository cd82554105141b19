//! Mentor-mentee matching: named score factors and an exact capacitated assignment.
//!
//! This crate does no I/O: no database, no clock, no unseeded randomness. Strings and values
//! go in, strings and values come out; the `tandem` binary and the application own the files,
//! the clock and the screen.
//!
//! The flow the application follows: build a `ProblemSpec` (or read one with
//! `parse_problem`), validate it with `Problem::new`, `solve` it, `explain` the answer, and
//! keep the `Certificate` that `verify_certificate` can check from the problem alone.

mod certificate;
mod compiled;
mod explain;
mod flow;
mod generate;
mod json;
mod network;
mod parallel;
mod problem;
mod render;
mod rules;
mod score;
mod solve;
mod values;

pub use certificate::{Certificate, CertificateError, Verified, Weighting, verify_certificate};
pub use explain::{
    Exclusion, Explanation, PairExplanation, PairVerdict, RuleExclusion, UnmatchedExplanation,
    UnmatchedReason, explain, explain_pair,
};
pub use generate::{GenerateParams, TOPICS, generate};
pub use json::{parse_problem, parse_problem_spec, problem_to_json};
pub use network::{NetworkParams, generate_network};
pub use problem::{
    Adjustment, Direction, Forbid, ForbidRule, MAX_CAPACITY, MAX_MENTORS_PER_MENTEE,
    MAX_RANK_LEVEL, MAX_YEARS_OF_SERVICE, Mentee, MenteeIdx, Mentor, MentorIdx, Pin, Problem,
    ProblemError, ProblemErrors, ProblemSpec, RankGapPoints, Rules, Scheme,
};
pub use render::{
    ArcsCsv, render_arcs_csv, render_explanation, render_pair_verdict, render_pairs_csv,
    render_solution,
};
pub use rules::{HardRule, RuleViolation};
pub use score::{
    Breakdown, FACTOR_COUNT, Factor, FactorScore, MAX_POINTS, PlaceMatch, availability_points,
    breakdown, diversity_points, experience_points, levels_apart, location_fit_points,
    max_pair_score, preference_points, rank_gap_points, rank_gap_points_of, topic_fit_points,
};
pub use solve::{
    Pair, Progress, Solution, SolveOptions, SolveStats, Stage, solve, solve_observed, solve_with,
};
pub use values::{Availability, PersonId, SLOT_NAMES, Tag, ValueError, Weight, Weights};
