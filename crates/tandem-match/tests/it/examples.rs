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
