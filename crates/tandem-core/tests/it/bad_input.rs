//! Bad input as tests: whatever bytes an HR file or a programme file holds, the readers answer
//! without panicking, and every problem they report says where it is.
//!
//! Each property runs arbitrary bytes and arbitrary mutations of a valid file (bytes flipped,
//! inserted, deleted, the file cut short, lines duplicated or dropped).

use proptest::prelude::*;
use tandem_core::domain::{OrgCode, RankBands};
use tandem_core::hr::{Directory, ImportOptions, ImportProblem, plan_import, read_file};
use tandem_core::policy::PolicyProblem;
use tandem_core::programme::{Programme, presets};

/// A valid HR file with what trips readers up: quoted cells, an embedded comma and quote,
/// a formula guard, CRLF line ends, a line manager and an empty optional column.
const HR_FILE: &str = "\u{feff}staff_number,organisation,first_name,last_name,email,department,location,rank_or_grade,role_type,line_manager_staff_number,start_date,on_probation,under_performance_management,employment_status\r\n\
100,cleveland,Ann,Hill,ann.hill@cleveland.police.uk,Response,Middlesbrough,Inspector,officer,,2005-03-01,no,no,serving\r\n\
101,cleveland,Bo,Khan,bo.khan@cleveland.police.uk,\"Response, North\",Middlesbrough,Sergeant,officer,100,2012-09-10,no,no,serving\r\n\
102,cleveland,\"Cy\",Reid,cy.reid@cleveland.police.uk,\"Neighbourhood \"\"East\"\"\",Hartlepool,Constable,officer,101,2024-01-15,yes,no,serving\r\n\
103,cleveland,Di,O'Neil,di.oneil@cleveland.police.uk,'=Finance,Hartlepool,Constable,staff,101,2020-06-30,no,no,serving\r\n";

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

/// The number of lines as the HR reader counts them (LF, CRLF or a lone CR end a line).
fn hr_line_count(bytes: &[u8]) -> u64 {
    let breaks = bytes
        .iter()
        .enumerate()
        .filter(|(at, byte)| {
            **byte == b'\n' || (**byte == b'\r' && bytes.get(at + 1) != Some(&b'\n'))
        })
        .count();
    breaks as u64 + 1
}

fn assert_hr_located(bytes: &[u8], problem: &ImportProblem) {
    let lines = hr_line_count(bytes);
    assert!(
        (1..=lines).contains(&problem.line),
        "{problem} is outside the file's {lines} lines"
    );
    if let Some(column) = &problem.column {
        assert!(!column.is_empty(), "{problem} names an empty column");
    }
    assert!(!problem.reason.is_empty(), "{problem} says nothing");
}

/// Reads `bytes` as an HR file and plans its import into a directory that knows Cleveland:
/// every problem either step reports lies within the file.
fn check_hr(bytes: &[u8]) {
    let file = match read_file(bytes) {
        Ok(file) => file,
        Err(problems) => {
            assert!(!problems.is_empty(), "a refused file says why");
            for problem in problems.iter() {
                assert_hr_located(bytes, problem);
            }
            return;
        }
    };
    for problem in file.problems.iter() {
        assert_hr_located(bytes, problem);
    }
    let mut directory = Directory::default();
    directory.organisations.insert(
        OrgCode::parse("cleveland").unwrap(),
        RankBands::uk_policing(),
    );
    if let Err(problems) = plan_import(file, &directory, ImportOptions::default()) {
        assert!(!problems.is_empty(), "a refused plan says why");
        for problem in problems.iter() {
            assert_hr_located(bytes, problem);
        }
    }
}

/// A programme problem names a field, or a line and column that lie within the text.
fn assert_programme_located(text: &str, problem: &PolicyProblem) {
    assert!(!problem.message.is_empty(), "{problem} says nothing");
    let Some(place) = problem.field.strip_prefix("line ") else {
        assert!(
            problem
                .field
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_lowercase()),
            "{problem} names no field"
        );
        return;
    };
    let (line, column) = place
        .split_once(", column ")
        .unwrap_or_else(|| panic!("{problem} has no column"));
    let line: usize = line.parse().unwrap();
    let column: usize = column.parse().unwrap();
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        (1..=lines.len()).contains(&line),
        "{problem} is outside the text's {} lines",
        lines.len()
    );
    let width = lines[line - 1].chars().count();
    assert!(
        (1..=width + 1).contains(&column),
        "{problem} is outside its line of {width} characters"
    );
}

fn check_programme(text: &str) {
    if let Err(problems) = Programme::from_toml(text) {
        assert!(!problems.is_empty(), "a refused programme says why");
        for problem in &problems {
            assert_programme_located(text, problem);
        }
    }
}

#[test]
fn the_samples_are_valid_so_mutations_start_from_a_good_file() {
    let file = read_file(HR_FILE.as_bytes()).unwrap();
    assert_eq!(file.rows.len(), 4);
    assert!(file.problems.is_empty());
    for (name, text) in presets::ALL {
        assert!(Programme::from_toml(text).is_ok(), "{name} is valid");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn any_bytes_as_an_hr_file_are_refused_at_a_line_of_the_file(
        bytes in prop::collection::vec(telling_byte(), 0..512),
    ) {
        check_hr(&bytes);
    }

    #[test]
    fn a_damaged_hr_file_is_refused_at_a_line_of_the_file(
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        check_hr(&mutated(HR_FILE.as_bytes(), &mutations));
    }

    #[test]
    fn any_text_as_a_programme_is_refused_at_a_field_or_a_line_and_column(
        bytes in prop::collection::vec(telling_byte(), 0..512),
    ) {
        check_programme(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn a_damaged_preset_is_refused_at_a_field_or_a_line_and_column(
        preset in prop::sample::select(presets::ALL.to_vec()),
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        let bytes = mutated(preset.1.as_bytes(), &mutations);
        check_programme(&String::from_utf8_lossy(&bytes));
    }
}
