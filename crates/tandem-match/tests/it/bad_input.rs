//! Bad input as tests: whatever a problem file holds, the reader answers without panicking, and
//! every error names the field it is in, or the line and column where the JSON breaks.
//!
//! Each property runs arbitrary bytes and arbitrary mutations of the shipped examples (bytes
//! flipped, inserted, deleted, the file cut short, lines duplicated or dropped).

use proptest::prelude::*;
use tandem_match::{ProblemError, parse_problem};

/// The problems shipped in `examples/`, which the reader accepts as they are.
const EXAMPLES: [&str; 2] = [
    include_str!("../../../../examples/police-scotland.json"),
    include_str!("../../../../examples/reverse-cleveland.json"),
];

/// One change to a file; positions are taken modulo its length when applied.
#[derive(Debug, Clone)]
enum Mutation {
    FlipBit { at: usize, bit: u8 },
    Insert { at: usize, byte: u8 },
    Delete { at: usize },
    Truncate { at: usize },
    DuplicateLine { line: usize },
    DeleteLine { line: usize },
}

/// Bytes that mean something to CSV, TOML or JSON, or that break UTF-8.
fn telling_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        prop::sample::select(
            b",;\"'\n\r\t=[]{}:#.-0123456789 \\\x00\xEF\xBB\xBF\xC3\xFF\xFE".to_vec()
        ),
        any::<u8>(),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0..8u8).prop_map(|(at, bit)| Mutation::FlipBit { at, bit }),
        (any::<usize>(), telling_byte()).prop_map(|(at, byte)| Mutation::Insert { at, byte }),
        any::<usize>().prop_map(|at| Mutation::Delete { at }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        any::<usize>().prop_map(|line| Mutation::DuplicateLine { line }),
        any::<usize>().prop_map(|line| Mutation::DeleteLine { line }),
    ]
}

fn mutated(valid: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = valid.to_vec();
    for mutation in mutations {
        let len = bytes.len().max(1);
        match *mutation {
            Mutation::FlipBit { at, bit } => {
                if let Some(byte) = bytes.get_mut(at % len) {
                    *byte ^= 1 << bit;
                }
            }
            Mutation::Insert { at, byte } => bytes.insert(at % (bytes.len() + 1), byte),
            Mutation::Delete { at } => {
                if !bytes.is_empty() {
                    bytes.remove(at % len);
                }
            }
            Mutation::Truncate { at } => bytes.truncate(at % len),
            Mutation::DuplicateLine { line } | Mutation::DeleteLine { line } => {
                let mut lines: Vec<Vec<u8>> = bytes
                    .split_inclusive(|byte| *byte == b'\n')
                    .map(<[u8]>::to_vec)
                    .collect();
                if lines.is_empty() {
                    continue;
                }
                let idx = line % lines.len();
                if matches!(mutation, Mutation::DuplicateLine { .. }) {
                    let copy = lines[idx].clone();
                    lines.insert(idx, copy);
                } else {
                    lines.remove(idx);
                }
                bytes = lines.concat();
            }
        }
    }
    bytes
}

/// An error names a field (`mentors[3] (MR4).capacity`), or, when the JSON itself is broken,
/// a line and column that lie within the text.
fn assert_located(json: &str, error: &ProblemError) {
    assert!(!error.message.is_empty(), "{error} says nothing");
    assert!(!error.at.is_empty(), "{error} is nowhere");
    if error.at != "problem JSON" {
        return;
    }
    let (_, place) = error
        .message
        .rsplit_once(" at line ")
        .unwrap_or_else(|| panic!("{error} has no line"));
    let (line, column) = place
        .split_once(" column ")
        .unwrap_or_else(|| panic!("{error} has no column"));
    let line: usize = line.parse().unwrap();
    let column: usize = column.parse().unwrap();
    let lines: Vec<&str> = json.split('\n').collect();
    assert!(
        (1..=lines.len()).contains(&line),
        "{error} is outside the text's {} lines",
        lines.len()
    );
    let width = lines[line - 1].len();
    assert!(
        column <= width + 1,
        "{error} is outside its line of {width} bytes"
    );
}

fn check(json: &str) {
    if let Err(errors) = parse_problem(json) {
        assert!(!errors.0.is_empty(), "a refused problem says why");
        for error in &errors.0 {
            assert_located(json, error);
        }
    }
}

#[test]
fn the_examples_are_valid_so_mutations_start_from_a_good_file() {
    for json in EXAMPLES {
        assert!(parse_problem(json).is_ok());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn any_text_as_a_problem_is_refused_at_a_field_or_a_line_and_column(
        bytes in prop::collection::vec(telling_byte(), 0..512),
    ) {
        check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn a_damaged_example_is_refused_at_a_field_or_a_line_and_column(
        example in prop::sample::select(EXAMPLES.to_vec()),
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        check(&String::from_utf8_lossy(&mutated(example.as_bytes(), &mutations)));
    }
}
