//! Tests of what a bad HR file is told: files that are not UTF-8 comma-separated text, control
//! characters in messages, and a report that keeps the first problems and counts the rest.

use super::*;

const HEADER: &str = "staff_number,organisation,first_name,last_name,email,rank_or_grade,role_type,start_date,employment_status";
const ROW: &str =
    "100,cleveland,Ann,Hill,ann@cleveland.police.uk,Inspector,officer,2005-03-01,serving";

fn refusal(bytes: &[u8]) -> String {
    match read_file(bytes) {
        Ok(_) => panic!("the file was read"),
        Err(problems) => problems.iter().map(|it| format!("{it}\n")).collect(),
    }
}

fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn assert_printable(message: &str) {
    assert!(
        !message.chars().any(|c| c.is_control() && c != '\n'),
        "raw control characters in {message:?}"
    );
}

#[test]
fn a_utf16_file_with_a_byte_order_mark_is_named_and_the_way_to_save_it_given() {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(utf16le(&format!("{HEADER}\r\n{ROW}\r\n")));
    let message = refusal(&bytes);
    assert_eq!(
        message,
        "line 1: the file is UTF-16 (it starts with a UTF-16 byte-order mark), not UTF-8; open it in the spreadsheet or HR system it came from and save it as \"CSV UTF-8 (comma delimited)\", then upload that\n"
    );
}

#[test]
fn a_utf16_file_without_a_byte_order_mark_is_named_by_its_zero_bytes() {
    let message = refusal(&utf16le(&format!("{HEADER}\n{ROW}\n")));
    assert!(
        message.contains("the file is UTF-16 (every other byte is zero), not UTF-8"),
        "{message}"
    );
    assert!(message.contains("CSV UTF-8 (comma delimited)"), "{message}");
    assert!(!message.contains("unknown column"), "{message}");
    assert_printable(&message);
}

#[test]
fn a_semicolon_separated_file_is_named_as_such() {
    let text = format!("{HEADER}\n{ROW}\n").replace(',', ";");
    let message = refusal(text.as_bytes());
    assert_eq!(
        message,
        "line 1: the file's cells are separated by semicolons, not commas; open it in the spreadsheet or HR system it came from and save it as \"CSV UTF-8 (comma delimited)\", then upload that\n"
    );
}

#[test]
fn a_file_that_is_not_text_is_named_and_nothing_of_it_is_printed() {
    let binary: Vec<u8> = (0..=255_u8).cycle().take(2048).collect();
    let message = refusal(&binary);
    assert!(
        message.starts_with("line 1: the file is binary data, not a CSV file;"),
        "{message}"
    );
    assert_printable(&message);
    let workbook = refusal(b"PK\x03\x04\x14\x00\x06\x00rest of an xlsx");
    assert!(
        workbook.contains("a spreadsheet workbook or zip archive (such as .xlsx)"),
        "{workbook}"
    );
}

#[test]
fn a_utf8_byte_order_mark_is_simply_accepted() {
    let bytes = [
        b"\xEF\xBB\xBF".as_slice(),
        format!("{HEADER}\r\n{ROW}\r\n").as_bytes(),
    ]
    .concat();
    let file = read_file(&bytes).unwrap();
    assert_eq!(file.rows.len(), 1);
    assert!(file.problems.is_empty());
}

#[test]
fn a_header_column_without_a_name_is_found_by_its_position() {
    let message = refusal(format!("{HEADER},\n{ROW},\n").as_bytes());
    assert!(
        message.starts_with("line 1: column 10 of the header has no name; delete the column"),
        "{message}"
    );
}

#[test]
fn control_characters_a_file_holds_are_escaped_in_messages() {
    let text = format!("{HEADER},\x1b[2J\x07evil\n{ROW},x\n");
    let message = refusal(text.as_bytes());
    assert!(
        message.contains("unknown column '\\u{1b}[2J\\u{7}evil'"),
        "{message}"
    );
    assert_printable(&message);
}

#[test]
fn a_file_of_bad_rows_keeps_its_first_problems_and_counts_every_one_by_kind() {
    let mut text = format!("{HEADER}\n");
    for n in 0..1_000 {
        text +=
            &format!("{n},cleveland,Ann,Hill,not-an-email,Inspector,officer,2005-02-30,serving\n");
    }
    text += "1,cleveland,too,few\n";
    let problems = read_file_keeping(text.as_bytes(), Keep::First(SHOWN_PROBLEMS))
        .unwrap()
        .problems;
    assert_eq!(problems.total(), 2_001);
    assert_eq!(problems.iter().count(), SHOWN_PROBLEMS);
    assert_eq!(problems.not_kept(), 1_801);
    let lines: Vec<u64> = problems.iter().map(|it| it.line).collect();
    assert_eq!(
        lines[..4],
        [2, 2, 3, 3],
        "the first rows' problems, in file order"
    );
    assert_eq!(lines.last(), Some(&101));
    assert_eq!(
        problems.counts().collect::<Vec<_>>(),
        [
            (ProblemKind::WrongFieldCount, 1),
            (ProblemKind::InvalidValue, 2_000)
        ]
    );
    assert_eq!(
        read_file(text.as_bytes()).unwrap().problems.iter().count(),
        2_001
    );
}

#[test]
fn the_problems_file_is_safe_to_open_in_a_spreadsheet() {
    let text = format!("{HEADER},=HYPERLINK(\"http://evil.example\")\n");
    let problems = read_file(text.as_bytes()).unwrap_err();
    let csv = String::from_utf8(problems.csv("OFFICIAL")).unwrap();
    assert!(
        csv.starts_with("# OFFICIAL\nline,column,kind,problem\n1,\"'=HYPERLINK"),
        "{csv}"
    );
    assert!(csv.contains(",unknown_column,"), "{csv}");
}
