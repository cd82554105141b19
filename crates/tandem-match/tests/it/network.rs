//! The network cohort that `tandem bench match --shape network` times: its rules are policy,
//! they allow exactly the pairs they say, and its answers are optimal.

use tandem_match::{
    Factor, NetworkParams, Problem, breakdown, generate_network, levels_apart, solve,
    verify_certificate,
};

use crate::cohorts::oracle;
use crate::properties::assert_valid;

fn network(mentees: usize, mentors: usize, seed: u64, per_mentee: u8) -> Problem {
    let spec = generate_network(&NetworkParams {
        mentees,
        mentors,
        seed,
        organisations: 4,
        mentors_per_mentee: per_mentee,
        mentor_capacity: u32::from(per_mentee),
    })
    .unwrap();
    assert!(
        spec.rules.forbids.is_empty(),
        "the rules are policy, not forbids"
    );
    Problem::new(spec).unwrap()
}

#[test]
fn a_network_allows_a_mentor_from_another_organisation_one_or_two_grades_up_and_prefers_two() {
    let problem = network(60, 60, 7, 3);
    let (mut gap_one, mut gap_two) = (Vec::new(), Vec::new());
    for mentee in problem.mentee_indices() {
        for mentor in problem.mentor_indices() {
            let (e, r) = (problem.mentee(mentee), problem.mentor(mentor));
            let gap = levels_apart(problem.scheme().direction, r.rank_level, e.rank_level);
            let expected = e.organisation != r.organisation && (1..=2).contains(&gap);
            assert_eq!(
                problem.is_feasible(mentee, mentor),
                expected,
                "{} ({}, grade {}) with {} ({}, grade {})",
                e.id,
                e.organisation,
                e.rank_level,
                r.id,
                r.organisation,
                r.rank_level
            );
            if expected {
                let factors = breakdown(&problem, mentee, mentor).factors;
                let rank = factors
                    .iter()
                    .find(|it| it.factor == Factor::RankGap)
                    .unwrap();
                let rank = rank.points;
                if gap == 1 { &mut gap_one } else { &mut gap_two }.push(rank);
            }
        }
    }
    assert!(!gap_one.is_empty() && !gap_two.is_empty());
    assert!(gap_one.iter().all(|&points| points == 75), "{gap_one:?}");
    assert!(gap_two.iter().all(|&points| points == 100), "{gap_two:?}");
}

#[test]
fn a_network_gives_each_mentee_up_to_three_mentors_and_proves_it_optimal() {
    for seed in 1..=5 {
        let problem = network(40, 30, seed, 3);
        let solution = solve(&problem);
        assert_valid(&problem, &solution);
        let verified = verify_certificate(&problem, solution.assignment(), solution.certificate());
        assert!(verified.is_ok(), "seed {seed}: {verified:?}");
        assert!(
            solution
                .assignment()
                .iter()
                .any(|mentors| mentors.len() == 3),
            "seed {seed}: some mentee gets three mentors"
        );
    }
}

#[test]
fn a_one_mentor_network_reaches_the_oracle_optimum() {
    // The problem scipy is timed on beside Tandem: the same people, one mentor each.
    for seed in 1..=5 {
        let problem = network(40, 40, seed, 1);
        let solution = solve(&problem);
        assert_eq!(
            (solution.matched(), solution.total_score()),
            oracle(&problem),
            "seed {seed}"
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_network_and_a_network_needs_two_organisations() {
    let params = NetworkParams::default();
    assert_eq!(generate_network(&params), generate_network(&params));
    let refused = generate_network(&NetworkParams {
        organisations: 1,
        ..params
    });
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("at least 2 organisations")
    );
}
