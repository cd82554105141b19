//! Several mentors per mentee: the b-matching against brute force, its certificate, and the
//! rules that keep a pair from being given twice.

use expect_test::expect;
use proptest::prelude::*;
use tandem_match::{
    CertificateError, Problem, SolveOptions, parse_problem, render_solution, solve, solve_with,
    verify_certificate,
};

use crate::cohorts::{b_cohort, brute_force, cohort, oracle};
use crate::fixture;
use crate::properties::{assert_valid, worse_assignment};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn b_matchings_reach_the_brute_force_optimum(cohort in b_cohort(5, 4)) {
        let problem = cohort.problem_with_valid_pins();
        let solution = solve(&problem);
        assert_valid(&problem, &solution);
        prop_assert_eq!((solution.matched(), solution.total_score()), brute_force(&problem));
        let verified = verify_certificate(&problem, solution.assignment(), solution.certificate());
        prop_assert!(verified.is_ok(), "{:?}", verified);
    }

    #[test]
    fn b_matchings_from_sparse_starts_and_warm_restarts_reach_the_same_optimum(
        cohort in b_cohort(5, 4),
        per_mentee in 0usize..3,
        per_mentor in 0usize..2,
        additions in 1usize..3,
        threads in 1usize..3,
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
        prop_assert_eq!((solution.matched(), solution.total_score()), brute_force(&problem));
        prop_assert!(verify_certificate(&problem, solution.assignment(), solution.certificate()).is_ok());
    }

    #[test]
    fn tied_b_matchings_reach_the_brute_force_optimum(
        cohort in b_cohort(5, 4),
        per_mentee in 0usize..3,
        pricing_rounds in 0u32..3,
    ) {
        let supplies = cohort.supplies.clone();
        let mut tied = cohort.tied();
        tied.supplies = supplies;
        let problem = tied.problem_with_valid_pins();
        let options = SolveOptions {
            candidates_per_mentee: per_mentee,
            candidates_per_mentor: 1,
            additions_per_mentee: 1,
            pricing_rounds,
            ..SolveOptions::default()
        };
        let solution = solve_with(&problem, options);
        assert_valid(&problem, &solution);
        prop_assert_eq!((solution.matched(), solution.total_score()), brute_force(&problem));
        prop_assert!(verify_certificate(&problem, solution.assignment(), solution.certificate()).is_ok());
    }

    #[test]
    fn the_checker_refuses_a_worse_b_matching_and_a_weakened_certificate(cohort in b_cohort(5, 4)) {
        let problem = cohort.problem_with_valid_pins();
        let solution = solve(&problem);
        let certificate = solution.certificate();
        if let Some(worse) = worse_assignment(&solution) {
            prop_assert!(verify_certificate(&problem, &worse, certificate).is_err());
        }
        // A mentor's potential counts once per place, so lowering it leaves a gap or uncovers
        // a pair whenever the mentor has room left after pins.
        for k in 0..certificate.mentor_dual.len() {
            let pinned_here = problem
                .mentee_indices()
                .filter(|i| problem.pinned_mentors(*i).iter().any(|j| j.index() == k))
                .count();
            if certificate.mentor_dual[k] > 0 && pinned_here < problem.mentors()[k].capacity as usize {
                let mut weakened = certificate.clone();
                weakened.mentor_dual[k] -= 1;
                prop_assert!(verify_certificate(&problem, solution.assignment(), &weakened).is_err());
            }
        }
        // Giving a mentee a mentor it already has is refused, whatever the potentials.
        if let Some(pair) = solution.pairs().first() {
            let mut twice = solution.assignment().to_vec();
            twice[pair.mentee.index()].push(pair.mentor);
            let refused = verify_certificate(&problem, &twice, certificate);
            prop_assert!(matches!(refused, Err(CertificateError::TooManyMentors { .. })), "{:?}", refused);
        }
    }

    #[test]
    fn the_brute_force_agrees_with_the_hungarian_oracle_on_one_mentor_each(cohort in cohort(5, 4)) {
        let problem = cohort.problem_with_valid_pins();
        prop_assert_eq!(brute_force(&problem), oracle(&problem));
    }
}

fn run(text: &str) -> String {
    match Problem::new(fixture::parse(text)) {
        Err(errors) => format!("{errors}\n"),
        Ok(problem) => {
            let solution = solve(&problem);
            let verification =
                verify_certificate(&problem, solution.assignment(), solution.certificate());
            render_solution(&problem, &solution, &verification, false)
        }
    }
}

#[test]
fn a_mentee_who_wants_two_mentors_gets_two_different_ones() {
    expect![[r#"
        pairs (4):
          ME1 -> MR1  score 1000
          ME1 -> MR2  score 500
          ME2 -> MR1  score 1000
          ME3 -> MR2  score 500
        unmatched (1):
          ME3: has 1 of 2 mentors; places taken by a better overall assignment: best would be MR1 with score 1000 (its places went to ME1, ME2); 1 allowed mentor, all full
        certificate: optimal (dual potentials checked over 6 feasible pairs)
        matched=4 total_score=3000
    "#]]
    .assert_eq(&run(r"
        scheme only_weights topic_fit=10
        mentor MR1 cap=2 topics=a,b
        mentor MR2 cap=2 topics=a
        mentee ME1 wants=a,b mentors=2
        mentee ME2 wants=a,b
        mentee ME3 wants=a,b mentors=2
        "));
}

#[test]
fn a_mentee_short_of_mentors_is_told_which_it_already_has() {
    expect![[r#"
        pairs (1):
          ME1 -> MR1  score 440  (pinned)
        unmatched (1):
          ME1: has 1 of 3 mentors; no feasible mentor: forbidden excludes 1 (MR2); already_mentor excludes 1 (MR1)
        certificate: optimal (dual potentials checked over 0 feasible pairs)
        matched=1 total_score=440
    "#]]
    .assert_eq(&run(r"
        mentor MR1 cap=3
        mentor MR2
        mentee ME1 mentors=3
        forbid ME1 MR2 forbidden
        pin ME1 MR1
        "));
}

#[test]
fn pins_count_towards_the_mentors_wanted_and_a_pair_is_pinned_once() {
    expect![[r#"
        the problem has 2 errors
          rules.pins[1] (ME1 -> MR1): the same pair is already pinned by rules.pins[0]: a mentee has a mentor once
          rules.pins[4] (ME1 -> MR4): mentee ME1 wants 3 mentors and is already pinned by rules.pins[0], rules.pins[2], rules.pins[3]; remove a pin or raise its mentors
    "#]]
    .assert_eq(&run(r"
        mentor MR1 cap=2
        mentor MR2
        mentor MR3
        mentor MR4
        mentee ME1 mentors=3
        pin ME1 MR1
        pin ME1 MR1
        pin ME1 MR2
        pin ME1 MR3
        pin ME1 MR4
        "));
}

#[test]
fn the_mentors_wanted_are_one_to_three_at_the_field() {
    let refused = |mentors: &str| {
        let json = format!(
            r#"{{"mentors": [], "mentees": [{{"id": "ME1", "organisation": "ps", "mentors": {mentors}}}]}}"#
        );
        match parse_problem(&json) {
            Ok(_) => "ok".to_owned(),
            Err(errors) => errors.to_string(),
        }
    };
    expect![[r#"
        the problem has 1 error
          mentees[0] (ME1).mentors: must be an integer from 1 to 3, got 0"#]]
    .assert_eq(&refused("0"));
    expect![[r#"
        the problem has 1 error
          mentees[0] (ME1).mentors: must be an integer from 1 to 3, got 4"#]]
    .assert_eq(&refused("4"));
    assert_eq!(refused("3"), "ok");
    let mut spec = fixture::parse("mentee ME1");
    spec.mentees[0].mentors = 0;
    expect![[r#"
        the problem has 1 error
          mentees[0] (ME1).mentors: must be from 1 to 3, got 0"#]]
    .assert_eq(&Problem::new(spec).map(|_| ()).unwrap_err().to_string());
}

#[test]
fn one_mentor_written_out_is_the_default() {
    let with = r#"{"mentors": [{"id": "MR1", "capacity": 1, "organisation": "ps"}],
        "mentees": [{"id": "ME1", "organisation": "ps", "mentors": 1}, {"id": "ME2", "organisation": "ps"}]}"#;
    let without = with.replace(r#", "mentors": 1"#, "");
    let (with, without) = (
        parse_problem(with).unwrap(),
        parse_problem(&without).unwrap(),
    );
    assert_eq!(with.spec(), without.spec());
    assert_eq!(solve(&with), solve(&without));
}
