//! `tandem match …` and `tandem bench match`, run as a user runs them.

use crate::{tandem, text, write};

#[tokio::test]
async fn matching_solves_a_generated_problem_and_explains_its_pairs() {
    let dir = tempfile::tempdir().unwrap();
    let generated = tandem(
        "sqlite://unused.db",
        &[
            "match",
            "generate",
            "--mentees",
            "12",
            "--mentors",
            "6",
            "--seed",
            "5",
        ],
    )
    .await;
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    let problem = write(&dir, "problem.json", &text(&generated.stdout));

    let solved = tandem(
        "sqlite://unused.db",
        &["match", "solve", "--problem", &problem],
    )
    .await;
    assert!(solved.status.success(), "{}", text(&solved.stderr));
    let stdout = text(&solved.stdout);
    let last = stdout.lines().last().unwrap();
    assert!(
        last.starts_with("matched=") && last.contains(" total_score="),
        "{stdout}"
    );

    let arcs = text(
        &tandem(
            "sqlite://unused.db",
            &["match", "arcs", "--problem", &problem],
        )
        .await
        .stdout,
    );
    assert_eq!(arcs.lines().next(), Some("mentee,mentor,score"));
    let first_arc: Vec<&str> = arcs.lines().nth(1).unwrap().split(',').collect();
    let explained = tandem(
        "sqlite://unused.db",
        &[
            "match",
            "explain",
            "--problem",
            &problem,
            "--mentee",
            first_arc[0],
            "--mentor",
            first_arc[1],
        ],
    )
    .await;
    assert!(explained.status.success());
    assert!(
        text(&explained.stdout).contains("topic_fit"),
        "{}",
        text(&explained.stdout)
    );

    let broken = write(&dir, "broken.json", "{\"scheme\": {}}");
    let refused = tandem(
        "sqlite://unused.db",
        &["match", "solve", "--problem", &broken],
    )
    .await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        text(&refused.stderr).contains("is not a valid problem"),
        "{}",
        text(&refused.stderr)
    );
}

#[tokio::test]
async fn the_network_benchmark_solves_each_cohort_twice_and_writes_scipy_the_one_mentor_matrix() {
    let dir = tempfile::tempdir().unwrap();
    let matrices = dir.path().join("matrices");
    let matrices_arg = matrices.to_str().unwrap();
    let bench = tandem(
        "sqlite://unused.db",
        &[
            "bench",
            "match",
            "--shape",
            "network",
            "--mentees",
            "30",
            "--mentors",
            "20",
            "--scipy-matrices",
            matrices_arg,
        ],
    )
    .await;
    assert!(bench.status.success(), "{}", text(&bench.stderr));
    let stdout = text(&bench.stdout);
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .map(|line| line.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 3, "{stdout}");
    assert_eq!(rows[0][0], "size");
    let matched = rows[0].iter().position(|it| *it == "matched").unwrap();
    let (network, one_each) = (&rows[1], &rows[2]);
    assert_eq!((network[0], network[1]), ("30x20", "network"), "{stdout}");
    assert_eq!(
        (one_each[0], one_each[1]),
        ("30x20", "network-1:1"),
        "{stdout}"
    );
    // Three mentors each find more pairs than one each, never more than 20 mentors' 3 places.
    let pairs = |row: &Vec<&str>| row[matched].parse::<usize>().unwrap();
    assert!(
        pairs(network) > pairs(one_each) && pairs(network) <= 60,
        "{stdout}"
    );
    assert!(pairs(one_each) <= 20, "{stdout}");

    let matrix = std::fs::read(matrices.join("network-30x20.f64")).unwrap();
    assert_eq!(matrix.len(), 30 * 20 * 8);
    let about = std::fs::read_to_string(matrices.join("network-30x20.json")).unwrap();
    let about: serde_json::Value = serde_json::from_str(&about).unwrap();
    let bonus = about["bonus"].as_f64().unwrap();
    let allowed = matrix
        .chunks_exact(8)
        .map(|bytes| f64::from_le_bytes(bytes.try_into().unwrap()))
        .filter(|value| *value > 0.0)
        .inspect(|value| assert!(*value >= bonus && *value <= bonus + 300.0))
        .count();
    assert!(
        allowed > 0 && allowed < 600,
        "{allowed} allowed pairs of 600"
    );

    // Any one-mentor cohort can be written for scipy: its columns are the mentors' places.
    let realistic = tandem(
        "sqlite://unused.db",
        &[
            "bench",
            "match",
            "--mentees",
            "12",
            "--mentors",
            "6",
            "--scipy-matrices",
            matrices_arg,
        ],
    )
    .await;
    assert!(realistic.status.success(), "{}", text(&realistic.stderr));
    let about = std::fs::read_to_string(matrices.join("realistic-12x6.json")).unwrap();
    let about: serde_json::Value = serde_json::from_str(&about).unwrap();
    let columns = about["columns"].as_u64().unwrap();
    assert!((6..=18).contains(&columns), "{about}");
    let matrix = std::fs::metadata(matrices.join("realistic-12x6.f64")).unwrap();
    assert_eq!(matrix.len(), 12 * columns * 8);
}

#[tokio::test]
async fn a_generated_network_is_a_problem_file_of_three_mentors_each() {
    let generated = tandem(
        "sqlite://unused.db",
        &[
            "match",
            "generate",
            "--network",
            "--mentees",
            "10",
            "--mentors",
            "8",
        ],
    )
    .await;
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    let problem: serde_json::Value = serde_json::from_slice(&generated.stdout).unwrap();
    let rules = &problem["rules"];
    assert_eq!(rules["different_organisation"], true, "{rules}");
    assert_eq!(
        (&rules["min_levels_apart"], &rules["max_levels_apart"]),
        (&serde_json::json!(1), &serde_json::json!(2))
    );
    let mentees = problem["mentees"].as_array().unwrap();
    assert_eq!(mentees.len(), 10);
    assert!(mentees.iter().all(|it| it["mentors"] == 3), "{mentees:?}");

    let both = tandem(
        "sqlite://unused.db",
        &[
            "match",
            "generate",
            "--network",
            "--density",
            "0.5",
            "--mentees",
            "1",
            "--mentors",
            "1",
        ],
    )
    .await;
    assert_eq!(
        both.status.code(),
        Some(2),
        "--density says nothing of a network"
    );
}
