//! Property tests: hard rules always hold, and the optimum equals brute force.

use proptest::prelude::*;
use tandem_match::{Problem, Solution, SolveOptions, solve, solve_with, verify_certificate};

use crate::cohorts::{cohort, oracle};

/// Every hard rule, capacity, pin and the one-mentor rule hold in `solution`.
fn assert_valid(problem: &Problem, solution: &Solution) {
    let mut load = vec![0u32; problem.mentors().len()];
    assert_eq!(solution.assignment().len(), problem.mentees().len());
    for (mentee, mentor) in problem.mentee_indices().zip(solution.assignment()) {
        if let Some(pinned) = problem.pinned_mentor(mentee) {
            assert_eq!(*mentor, Some(pinned), "pin kept");
        }
        if let Some(mentor) = mentor {
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
    let pairs: usize = solution.assignment().iter().flatten().count();
    assert_eq!(pairs, solution.matched());
    assert_eq!(
        solution.pairs().len() + solution.unmatched().len(),
        problem.mentees().len()
    );
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
    ) {
        let problem = cohort.problem_with_valid_pins();
        let options = SolveOptions {
            candidates_per_mentee: per_mentee,
            candidates_per_mentor: per_mentor,
            additions_per_mentee: additions,
        };
        let solution = solve_with(&problem, options);
        assert_valid(&problem, &solution);
        prop_assert_eq!((solution.matched(), solution.total_score()), oracle(&problem));
        prop_assert!(verify_certificate(&problem, solution.assignment(), solution.certificate()).is_ok());
    }
}
