//! Reading problem files: every error names the field and the person, all at once.

use expect_test::{Expect, expect};
use tandem_match::parse_problem;

fn check(json: &str, expect: Expect) {
    let actual = match parse_problem(json) {
        Ok(problem) => format!(
            "ok: {} mentors, {} mentees\n",
            problem.mentors().len(),
            problem.mentees().len()
        ),
        Err(errors) => format!("{errors}\n"),
    };
    expect.assert_eq(&actual);
}

#[test]
fn a_minimal_file_takes_the_defaults() {
    check(
        r#"{"mentors": [{"id": "MR1", "capacity": 0, "organisation": "ps"}], "mentees": []}"#,
        expect![[r#"
            ok: 1 mentors, 0 mentees
        "#]],
    );
}

#[test]
fn out_of_range_values_are_reported_with_person_and_field() {
    check(
        r#"{
          "scheme": {"direction": "sideways", "weights": {"topic_fit": 11, "diversity": -1}},
          "mentors": [
            {"id": "MR1", "capacity": -1, "organisation": "ps", "rank_level": 21, "years_of_service": 61,
             "availability": ["noon"], "topics": ["lead/ship"]},
            {"id": "bad id", "capacity": 1, "organisation": " "}
          ],
          "mentees": [
            {"id": "ME1", "organisation": "ps", "adjustments": ["wheelchair"], "rank_level": -2}
          ],
          "rules": {"forbids": [{"mentee": "ME1", "mentor": "MR1", "rule": "grudge"}]}
        }"#,
        expect![[r#"
            the problem has 12 errors
              scheme.direction: must be traditional, reverse or peer, got "sideways"
              scheme.weights.topic_fit: must be an integer from 0 to 10, got 11
              scheme.weights.diversity: must be an integer from 0 to 10, got -1
              mentors[0] (MR1).capacity: must be an integer from 0 to 10000, got -1
              mentors[0] (MR1).rank_level: must be an integer from 0 to 20, got 21
              mentors[0] (MR1).years_of_service: must be an integer from 0 to 60, got 61
              mentors[0] (MR1).topics[0]: '/' is not allowed in a tag: use letters, digits, spaces, - and _
              mentors[0] (MR1).availability: unknown slot "noon": use a day (mon..sun), '-' and am, pm or eve, e.g. "tue-pm"
              mentors[1] (bad id).id: ' ' is not allowed: use letters, digits and - _ . : @ /
              mentees[0] (ME1).adjustments[0]: must be remote_meetings or no_travel, got "wheelchair"
              mentees[0] (ME1).rank_level: must be an integer from 0 to 20, got -2
              rules.forbids[0].rule: must be line_management, conflict_of_interest, current_mentor or forbidden, got "grudge"
        "#]],
    );
}

#[test]
fn a_typo_in_a_field_name_is_an_error_not_ignored() {
    check(
        r#"{"mentors": [{"id": "MR1", "capcity": 1, "organisation": "ps"}], "mentees": []}"#,
        expect![[r#"
            the problem has 1 error
              problem JSON: unknown field `capcity`, expected one of `id`, `capacity`, `organisation`, `department`, `location`, `remote_ok`, `rank_level`, `years_of_service`, `topics`, `availability`, `training_done`, `characteristics` at line 1 column 36
        "#]],
    );
}

#[test]
fn malformed_json_says_where() {
    check(
        r#"{"mentors": [}"#,
        expect![[r#"
        the problem has 1 error
          problem JSON: expected value at line 1 column 14
    "#]],
    );
}

#[test]
fn an_array_where_an_object_belongs_is_refused_where_it_stands() {
    // A derived struct would read `[true, true, true]` as its first three fields, switching
    // three rules on without a word.
    check(
        r#"{"mentors": [], "mentees": [],
            "rules": [true, true, true]}"#,
        expect![[r#"
            the problem has 1 error
              problem JSON: invalid type: sequence, expected a JSON object ({ "name": value, … }) at line 2 column 21
        "#]],
    );
    check(
        r#"{"mentors": [], "mentees": [], "scheme": {"weights": [1, 2, 3, 4, 5, 6, 7]}}"#,
        expect![[r#"
            the problem has 1 error
              problem JSON: invalid type: sequence, expected a JSON object ({ "name": value, … }) at line 1 column 53
        "#]],
    );
    check(
        r#"{"mentors": [["MR1", 1, "ps"]], "mentees": []}"#,
        expect![[r#"
            the problem has 1 error
              problem JSON: invalid type: sequence, expected a JSON object ({ "name": value, … }) at line 1 column 13
        "#]],
    );
    check(
        r#"[{}, {}, [], []]"#,
        expect![[r#"
            the problem has 1 error
              problem JSON: invalid type: sequence, expected a JSON object ({ "name": value, … }) at line 1 column 0
        "#]],
    );
}

#[test]
fn the_scheme_s_own_rules_and_rank_gap_table_are_checked_at_their_fields() {
    check(
        r#"{
          "scheme": {"rank_gap_points": {"1": 75, "2": 101, "far": 10, "21": 5}},
          "rules": {"min_levels_apart": -1, "max_levels_apart": 21},
          "mentors": [], "mentees": []
        }"#,
        expect![[r#"
            the problem has 5 errors
              scheme.rank_gap_points.2: must be an integer from 0 to 100, got 101
              scheme.rank_gap_points.21: a gap is a whole number of levels from 0 to 20, got "21"
              scheme.rank_gap_points.far: a gap is a whole number of levels from 0 to 20, got "far"
              rules.min_levels_apart: must be an integer from 0 to 20, got -1
              rules.max_levels_apart: must be an integer from 0 to 20, got 21
        "#]],
    );
    check(
        r#"{
          "rules": {"min_levels_apart": 2, "max_levels_apart": 1, "different_organisation": true},
          "mentors": [], "mentees": []
        }"#,
        expect![[r#"
            the problem has 2 errors
              rules.max_levels_apart: must be at least min_levels_apart (2), got 1: no pair could be that far apart
              rules.different_organisation: needs cross_force: true; a scheme that is not cross-force pairs people of the same organisation
        "#]],
    );
    check(
        r#"{"rules": {"max_levels_apart": "two"}, "mentors": [], "mentees": []}"#,
        expect![[r#"
            the problem has 1 error
              problem JSON: invalid type: string "two", expected i64 at line 1 column 36
        "#]],
    );
    check(
        r#"{
          "scheme": {"rank_gap_points": {"1": 75, "2": 100}},
          "rules": {"cross_force": true, "min_levels_apart": 1, "max_levels_apart": 2,
                    "different_organisation": true, "different_department": true},
          "mentors": [], "mentees": []
        }"#,
        expect![[r#"
            ok: 0 mentors, 0 mentees
        "#]],
    );
}
