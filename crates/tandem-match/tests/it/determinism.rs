//! The same input gives byte-identical output, and the generator is seeded.

use tandem_match::{
    GenerateParams, Problem, SolveOptions, generate, parse_problem, problem_to_json,
    render_arcs_csv, render_pairs_csv, render_solution, solve, solve_with, verify_certificate,
};

fn solve_to_text(json: &str) -> String {
    let problem = parse_problem(json).unwrap();
    let solution = solve(&problem);
    let verification = verify_certificate(&problem, solution.assignment(), solution.certificate());
    let mut text = render_solution(&problem, &solution, &verification, true);
    text.push_str(&render_pairs_csv(&problem, &solution));
    text
}

#[test]
fn same_problem_gives_byte_identical_output() {
    let spec = generate(&GenerateParams {
        mentees: 300,
        mentors: 120,
        seed: 7,
        density: 0.4,
        max_capacity: 3,
    })
    .unwrap();
    let json = problem_to_json(&spec);
    let first = solve_to_text(&json);
    let second = solve_to_text(&json);
    assert_eq!(first, second);
    assert!(first.contains("matched="));
}

#[test]
fn same_seed_gives_the_same_problem_and_another_seed_another() {
    let params = GenerateParams {
        mentees: 50,
        mentors: 20,
        seed: 42,
        density: 0.5,
        max_capacity: 2,
    };
    let first = problem_to_json(&generate(&params).unwrap());
    let again = problem_to_json(&generate(&params).unwrap());
    let other = problem_to_json(&generate(&GenerateParams { seed: 43, ..params }).unwrap());
    assert_eq!(first, again);
    assert_ne!(first, other);
}

#[test]
fn a_problem_file_round_trips() {
    let spec = generate(&GenerateParams {
        mentees: 40,
        mentors: 15,
        seed: 3,
        density: 0.7,
        max_capacity: 3,
    })
    .unwrap();
    let json = problem_to_json(&spec);
    let problem = parse_problem(&json).unwrap();
    assert_eq!(problem.spec(), &spec);
    assert_eq!(problem_to_json(problem.spec()), json);
}

#[test]
fn a_problem_file_with_the_scheme_s_own_rules_round_trips() {
    let mut spec = generate(&GenerateParams {
        mentees: 20,
        mentors: 8,
        seed: 5,
        density: 1.0,
        max_capacity: 3,
    })
    .unwrap();
    spec.scheme.rank_gap_points = Some(tandem_match::RankGapPoints::from_entries([
        (1, 75),
        (2, 100),
        (12, 5),
    ]));
    spec.rules.cross_force = true;
    spec.rules.min_levels_apart = Some(1);
    spec.rules.max_levels_apart = Some(2);
    spec.rules.different_organisation = true;
    spec.rules.different_department = true;
    let json = problem_to_json(&spec);
    assert!(json.contains("\"12\": 5"), "{json}");
    let problem = parse_problem(&json).unwrap();
    assert_eq!(problem.spec(), &spec);
    assert_eq!(problem_to_json(problem.spec()), json);
}

#[test]
fn the_generator_reaches_the_density_asked_for() {
    for density in [1.0, 0.5, 0.3, 0.1] {
        let spec = generate(&GenerateParams {
            mentees: 400,
            mentors: 200,
            seed: 1,
            density,
            max_capacity: 3,
        })
        .unwrap();
        let problem = Problem::new(spec).unwrap();
        let csv = render_arcs_csv(&problem).to_string();
        let feasible = csv.lines().count() - 1;
        let share = feasible as f64 / (400.0 * 200.0);
        assert!(
            (share - density).abs() < 0.1 * density.max(0.2),
            "density {density}: got {share}"
        );
    }
}

#[test]
fn the_arcs_csv_lists_every_allowed_pair_with_its_score() {
    let problem = parse_problem(
        r#"{"rules": {"forbids": [{"mentee": "ME2", "mentor": "MR1", "rule": "line_management"}]},
            "mentors": [{"id": "MR1", "capacity": 1, "organisation": "ps"}, {"id": "MR2", "capacity": 0, "organisation": "ps"}],
            "mentees": [{"id": "ME1", "organisation": "ps"}, {"id": "ME2", "organisation": "ps"}, {"id": "ME3", "organisation": "cleveland"}]}"#,
    )
    .unwrap();
    expect_test::expect![[r#"
        mentee,mentor,score
        ME1,MR1,440
        ME1,MR2,440
        ME2,MR2,440
    "#]]
    .assert_eq(&render_arcs_csv(&problem).to_string());
}

#[test]
fn the_answer_does_not_depend_on_the_number_of_threads() {
    let spec = generate(&GenerateParams {
        mentees: 400,
        mentors: 150,
        seed: 11,
        density: 1.0,
        max_capacity: 3,
    })
    .unwrap();
    let problem = Problem::new(spec).unwrap();
    let render = |threads| {
        let solution = solve_with(
            &problem,
            SolveOptions {
                threads,
                ..SolveOptions::default()
            },
        );
        let verification =
            verify_certificate(&problem, solution.assignment(), solution.certificate());
        (
            render_solution(&problem, &solution, &verification, false),
            solution.certificate().clone(),
        )
    };
    let one = render(1);
    assert_eq!(one, render(2));
    assert_eq!(one, render(3));
}
