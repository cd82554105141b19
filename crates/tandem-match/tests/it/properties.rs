//! Property tests: hard rules always hold, and the optimum equals brute force.

use proptest::prelude::*;
use tandem_match::{Problem, Solution, SolveOptions, solve, solve_with, verify_certificate};

use crate::cohorts::{cohort, oracle};

/// Every hard rule, capacity and pin holds in `solution`, no mentee has more mentors than it
/// wants, and no pair is given twice.
pub fn assert_valid(problem: &Problem, solution: &Solution) {
    let mut load = vec![0u32; problem.mentors().len()];
    assert_eq!(solution.assignment().len(), problem.mentees().len());
    let mut short = Vec::new();
    for (mentee, mentors) in problem.mentee_indices().zip(solution.assignment()) {
        for pinned in problem.pinned_mentors(mentee) {
            assert!(mentors.contains(pinned), "pin kept");
        }
        let wanted = usize::from(problem.mentee(mentee).mentors);
        assert!(mentors.len() <= wanted, "at most the mentors wanted");
        if mentors.len() < wanted {
            short.push(mentee);
        }
        for (k, mentor) in mentors.iter().enumerate() {
            assert!(!mentors[..k].contains(mentor), "the same pair never twice");
            assert_eq!(
                problem.violations(mentee, *mentor),
                vec![],
                "no hard rule broken"
            );
            load[mentor.index()] += 1;
        }
    }
    for (mentor, load) in problem.mentors().iter().zip(load) {
        assert!(load <= mentor.capacity, "capacity of {} holds", mentor.id);
    }
    let pairs: usize = solution.assignment().iter().map(Vec::len).sum();
    assert_eq!(pairs, solution.matched());
    assert_eq!(pairs, solution.pairs().len());
    assert_eq!(solution.unmatched(), short.as_slice());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn small_cohorts_reach_the_brute_force_optimum(cohort in cohort(8, 6)) {
        let problem = cohort.problem_with_valid_pins();
        let solution = solve(&problem);
        assert_valid(&problem, &solution);
        let (count, total) = oracle(&problem);
        prop_assert_eq!((solution.matched(), solution.total_score()), (count, total));
        prop_assert!(verify_certificate(&problem, solution.assignment(), solution.certificate()).is_ok());
    }

    #[test]
    fn sparse_starts_and_warm_restarts_reach_the_same_optimum(
        cohort in cohort(8, 6),
        per_mentee in 0usize..3,
        per_mentor in 0usize..2,
        additions in 1usize..3,
        threads in 1usize..4,
        pricing_rounds in 0u32..3,
    ) {
        let problem = cohort.problem_with_valid_pins();
        let options = SolveOptions {
            candidates_per_mentee: per_mentee,
            candidates_per_mentor: per_mentor,
            additions_per_mentee: additions,
            threads,
            pricing_rounds,
        };
        let solution = solve_with(&problem, options);
        assert_valid(&problem, &solution);
        prop_assert_eq!((solution.matched(), solution.total_score()), oracle(&problem));
        prop_assert!(verify_certificate(&problem, solution.assignment(), solution.certificate()).is_ok());
    }

    #[test]
    fn cohorts_of_identical_profiles_reach_the_brute_force_optimum(
        cohort in cohort(8, 6),
        per_mentee in 0usize..3,
        pricing_rounds in 0u32..3,
    ) {
        let problem = cohort.tied().problem_with_valid_pins();
        let options = SolveOptions {
            candidates_per_mentee: per_mentee,
            candidates_per_mentor: 1,
            additions_per_mentee: 1,
            pricing_rounds,
            ..SolveOptions::default()
        };
        let solution = solve_with(&problem, options);
        assert_valid(&problem, &solution);
        prop_assert_eq!((solution.matched(), solution.total_score()), oracle(&problem));
        prop_assert!(verify_certificate(&problem, solution.assignment(), solution.certificate()).is_ok());
    }
}

/// A feasible assignment that is strictly worse than the optimum, if one exists: drop one
/// unpinned pair (every pair has a positive weight, so the objective falls).
pub fn worse_assignment(solution: &Solution) -> Option<Vec<Vec<tandem_match::MentorIdx>>> {
    let pair = solution.pairs().iter().find(|p| !p.pinned)?;
    let mut assignment = solution.assignment().to_vec();
    assignment[pair.mentee.index()].retain(|&j| j != pair.mentor);
    Some(assignment)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_checker_refuses_a_worse_assignment_and_a_weakened_certificate(cohort in cohort(10, 8)) {
        let problem = cohort.problem_with_valid_pins();
        let solution = solve(&problem);
        let certificate = solution.certificate();
        prop_assert!(verify_certificate(&problem, solution.assignment(), certificate).is_ok());
        if let Some(worse) = worse_assignment(&solution) {
            prop_assert!(verify_certificate(&problem, &worse, certificate).is_err());
        }
        // Lowering any positive potential either uncovers a pair or leaves a gap; raising
        // one leaves a gap unless it costs nothing (capacity 0 after pins).
        for k in 0..certificate.mentee_dual.len() {
            if certificate.mentee_dual[k] > 0 {
                let mut weakened = certificate.clone();
                weakened.mentee_dual[k] -= 1;
                prop_assert!(verify_certificate(&problem, solution.assignment(), &weakened).is_err());
            }
        }
        for k in 0..certificate.mentor_dual.len() {
            if certificate.mentor_dual[k] > 0 && problem.mentors()[k].capacity > 0 {
                let mut weakened = certificate.clone();
                weakened.mentor_dual[k] -= 1;
                let pinned_here = problem.mentee_indices().filter(|i| problem.pinned_mentors(*i).iter().any(|j| j.index() == k)).count();
                if pinned_here < problem.mentors()[k].capacity as usize {
                    prop_assert!(verify_certificate(&problem, solution.assignment(), &weakened).is_err());
                }
            }
        }
    }

    #[test]
    fn generated_cohorts_never_break_a_rule(seed in any::<u64>(), mentees in 0usize..60, mentors in 0usize..30, density in 0.0f64..=1.0) {
        let spec = tandem_match::generate(&tandem_match::GenerateParams { mentees, mentors, seed, density, max_capacity: 3 }).unwrap();
        let problem = Problem::new(spec).unwrap();
        let solution = solve_with(&problem, SolveOptions { candidates_per_mentee: 2, candidates_per_mentor: 1, additions_per_mentee: 2, threads: 2, pricing_rounds: (seed % 3) as u32 });
        assert_valid(&problem, &solution);
        prop_assert!(verify_certificate(&problem, solution.assignment(), solution.certificate()).is_ok());
        prop_assert_eq!(solution.total_score(), solve(&problem).total_score());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// The levels-apart, organisation and department rules exclude exactly the pairs worked
    /// out independently, so writing those pairs as forbids gives the same optimum.
    #[test]
    fn policy_rules_and_the_equivalent_forbids_reach_the_same_optimum(
        cohort in cohort(8, 6),
        pricing_rounds in 0u32..3,
    ) {
        let by_rules = cohort.problem_with_valid_pins();
        let by_forbids = cohort.with_valid_pins(cohort.spec_as_forbids());
        for mentee in by_rules.mentee_indices() {
            for mentor in by_rules.mentor_indices() {
                prop_assert_eq!(
                    by_rules.is_feasible(mentee, mentor),
                    by_forbids.is_feasible(mentee, mentor),
                    "{:?} -> {:?}: {:?}", mentee, mentor, by_rules.violations(mentee, mentor)
                );
            }
        }
        let options = SolveOptions { candidates_per_mentee: 1, candidates_per_mentor: 1, additions_per_mentee: 1, pricing_rounds, ..SolveOptions::default() };
        let rules_solution = solve_with(&by_rules, options);
        let forbids_solution = solve(&by_forbids);
        assert_valid(&by_rules, &rules_solution);
        prop_assert_eq!(
            (rules_solution.matched(), rules_solution.total_score()),
            (forbids_solution.matched(), forbids_solution.total_score())
        );
        prop_assert_eq!((rules_solution.matched(), rules_solution.total_score()), oracle(&by_rules));
        prop_assert!(verify_certificate(&by_rules, rules_solution.assignment(), rules_solution.certificate()).is_ok());
        prop_assert!(verify_certificate(&by_forbids, rules_solution.assignment(), rules_solution.certificate()).is_ok());
    }
}
