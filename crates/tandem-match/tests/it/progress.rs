//! A long solve reports its progress and stops as soon as its observer asks (R5.9).

use tandem_match::{GenerateParams, Problem, SolveOptions, Stage, generate, solve, solve_observed};

fn cohort() -> Problem {
    Problem::new(
        generate(&GenerateParams {
            mentees: 400,
            mentors: 150,
            seed: 11,
            density: 0.8,
            max_capacity: 3,
        })
        .unwrap(),
    )
    .unwrap()
}

#[test]
fn an_observed_solve_reports_each_stage_and_gives_the_same_answer() {
    let problem = cohort();
    let mut seen = Vec::new();
    let solution = solve_observed(&problem, SolveOptions::default(), &mut |progress| {
        assert!(progress.done <= progress.total, "{progress:?}");
        seen.push(progress.stage);
        Ok::<(), ()>(())
    })
    .unwrap();
    assert_eq!(seen.first(), Some(&Stage::Candidates));
    assert!(seen.contains(&Stage::Routing), "{seen:?}");
    assert!(seen.contains(&Stage::Pricing), "{seen:?}");
    let plain = solve(&problem);
    assert_eq!(solution.assignment(), plain.assignment());
    assert_eq!(solution.certificate(), plain.certificate());
}

#[test]
fn a_solve_stops_with_the_observers_answer_at_any_stage() {
    let problem = cohort();
    for stop_at in [Stage::Candidates, Stage::Routing, Stage::Pricing] {
        let outcome = solve_observed(&problem, SolveOptions::default(), &mut |progress| {
            if progress.stage == stop_at {
                Err(stop_at)
            } else {
                Ok(())
            }
        });
        assert_eq!(outcome.err(), Some(stop_at));
    }
}
