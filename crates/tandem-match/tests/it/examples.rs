//! Every example problem shipped in `examples/` parses and solves with a proved optimum.

use tandem_match::{parse_problem, solve, verify_certificate};

#[test]
fn every_example_parses_and_solves() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut seen = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".json") || name.ends_with(".schema.json") {
            continue;
        }
        let json = std::fs::read_to_string(&path).unwrap();
        let problem = parse_problem(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
        let solution = solve(&problem);
        verify_certificate(&problem, solution.assignment(), solution.certificate())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(solution.matched() > 0, "{name} matches someone");
        seen += 1;
    }
    assert!(
        seen >= 2,
        "the police-scotland and reverse examples are there"
    );
}

fn keys(value: &serde_json::Value) -> Vec<String> {
    let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

#[test]
fn the_json_schema_declares_exactly_the_fields_the_reader_writes() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("problem.schema.json")).unwrap())
            .unwrap();
    // Every optional field set, so that the writer emits every key.
    let problem = parse_problem(
        r#"{
          "scheme": {"direction": "peer", "maximise_matched": false, "weights": {"diversity": 4},
                     "rank_gap_points": {"0": 100, "1": 50}},
          "rules": {"cross_force": true, "training_required": true, "enforce_direction": true,
                    "min_levels_apart": 0, "max_levels_apart": 2,
                    "different_organisation": true, "different_department": true,
                    "forbids": [{"mentee": "ME1", "mentor": "MR2", "rule": "line_management", "reason": "manager"}],
                    "pins": [{"mentee": "ME1", "mentor": "MR1"}]},
          "mentors": [
            {"id": "MR1", "capacity": 2, "organisation": "cleveland", "department": "cid", "location": "glasgow", "remote_ok": true,
             "rank_level": 7, "years_of_service": 20, "topics": ["leadership"], "availability": ["mon-am"],
             "training_done": true, "characteristics": ["woman"]},
            {"id": "MR2", "capacity": 1, "organisation": "ps"}
          ],
          "mentees": [
            {"id": "ME1", "organisation": "ps", "department": "cid", "location": "glasgow", "remote_ok": true,
             "rank_level": 7, "development_areas": ["leadership"], "preferred_mentor": "MR1",
             "adjustments": ["no_travel"], "availability": ["mon-am"], "training_done": true,
             "diversity_preference": ["woman"], "mentors": 2}
          ]
        }"#,
    )
    .unwrap();
    let written: serde_json::Value =
        serde_json::from_str(&tandem_match::problem_to_json(problem.spec())).unwrap();
    let properties = |path: &[&str]| {
        let mut node = &schema;
        for step in path {
            node = &node[*step];
        }
        keys(&node["properties"])
    };
    assert_eq!(keys(&written), properties(&[]));
    assert_eq!(
        keys(&written["scheme"]),
        properties(&["properties", "scheme"])
    );
    assert_eq!(
        keys(&written["scheme"]["weights"]),
        properties(&["properties", "scheme", "properties", "weights"])
    );
    assert_eq!(
        keys(&written["rules"]),
        properties(&["properties", "rules"])
    );
    assert_eq!(
        keys(&written["rules"]["forbids"][0]),
        properties(&["properties", "rules", "properties", "forbids", "items"])
    );
    assert_eq!(
        keys(&written["rules"]["pins"][0]),
        properties(&["properties", "rules", "properties", "pins", "items"])
    );
    assert_eq!(
        keys(&written["mentors"][0]),
        properties(&["properties", "mentors", "items"])
    );
    assert_eq!(
        keys(&written["mentees"][0]),
        properties(&["properties", "mentees", "items"])
    );
}
