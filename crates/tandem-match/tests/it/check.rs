//! Data-driven tests: a cohort in the fixture format, and the answer as the CLI prints it.

use expect_test::{Expect, expect};
use tandem_match::{Problem, render_solution, solve, verify_certificate};

use crate::fixture;

fn run(fixture: &str, with_breakdown: bool) -> String {
    let spec = fixture::parse(fixture);
    match Problem::new(spec) {
        Err(errors) => format!("{errors}\n"),
        Ok(problem) => {
            let solution = solve(&problem);
            let verification =
                verify_certificate(&problem, solution.assignment(), solution.certificate());
            render_solution(&problem, &solution, &verification, with_breakdown)
        }
    }
}

fn check(fixture: &str, expect: Expect) {
    expect.assert_eq(&run(fixture, false));
}

fn check_explained(fixture: &str, expect: Expect) {
    expect.assert_eq(&run(fixture, true));
}

#[test]
fn greedy_would_leave_a_mentee_out_but_the_optimum_matches_both() {
    check(
        r"
        scheme only_weights topic_fit=10
        mentor MR1 topics=a,b
        mentor MR2 topics=a
        mentee ME1 wants=a,b
        mentee ME2 wants=a,b
        forbid ME2 MR2 conflict_of_interest sits on ME2's promotion board
        ",
        expect![[r#"
            pairs (2):
              ME1 -> MR2  score 500
              ME2 -> MR1  score 1000
            unmatched (0):
            certificate: optimal (dual potentials checked over 3 feasible pairs)
            matched=2 total_score=1500
        "#]],
    );
}

#[test]
fn maximise_matched_trades_score_for_count_and_score_only_does_not() {
    let cohort = r"
        mentor MR1 topics=a
        mentor MR2
        mentee ME1 wants=b
        mentee ME2 wants=a
        forbid ME1 MR2 forbidden coordinator's call
    ";
    check(
        &format!("scheme only_weights topic_fit=10\n{cohort}"),
        expect![[r#"
            pairs (2):
              ME1 -> MR1  score 0
              ME2 -> MR2  score 0
            unmatched (0):
            certificate: optimal (dual potentials checked over 3 feasible pairs)
            matched=2 total_score=0
        "#]],
    );
    check(
        &format!("scheme only_weights topic_fit=10 score_only\n{cohort}"),
        expect![[r#"
            pairs (1):
              ME2 -> MR1  score 1000
            unmatched (1):
              ME1: places taken by a better overall assignment: best would be MR1 with score 0 (its places went to ME2); 1 allowed mentor, all full
            certificate: optimal (dual potentials checked over 3 feasible pairs)
            matched=1 total_score=1000
        "#]],
    );
}

#[test]
fn traditional_scheme_puts_the_mentor_above() {
    check(
        r"
        scheme traditional only_weights rank_gap=10
        mentor LOW rank=1
        mentor HIGH rank=4
        mentee ME1 rank=2
        ",
        expect![[r#"
            pairs (1):
              ME1 -> HIGH  score 1000
            unmatched (0):
            certificate: optimal (dual potentials checked over 2 feasible pairs)
            matched=1 total_score=1000
        "#]],
    );
}

#[test]
fn reverse_scheme_puts_the_mentor_below() {
    check(
        r"
        scheme reverse only_weights rank_gap=10
        mentor LOW rank=1
        mentor HIGH rank=4
        mentee ME1 rank=2
        ",
        expect![[r#"
            pairs (1):
              ME1 -> LOW  score 600
            unmatched (0):
            certificate: optimal (dual potentials checked over 2 feasible pairs)
            matched=1 total_score=600
        "#]],
    );
}

#[test]
fn peer_scheme_wants_the_same_level() {
    check(
        r"
        scheme peer only_weights rank_gap=10
        mentor ACC rank=7
        mentor DCC rank=8
        mentor CC rank=9
        mentee ME1 rank=8
        ",
        expect![[r#"
            pairs (1):
              ME1 -> DCC  score 1000
            unmatched (0):
            certificate: optimal (dual potentials checked over 3 feasible pairs)
            matched=1 total_score=1000
        "#]],
    );
}

#[test]
fn enforced_direction_forbids_the_wrong_way_round() {
    check(
        r"
        scheme reverse
        rules enforce_direction
        mentor SUPT rank=5
        mentee CC rank=9
        mentee PC rank=1
        ",
        expect![[r#"
            pairs (1):
              CC -> SUPT  score 640
            unmatched (1):
              PC: no feasible mentor: rank_direction excludes 1 (SUPT)
            certificate: optimal (dual potentials checked over 1 feasible pair)
            matched=1 total_score=640
        "#]],
    );
}

#[test]
fn hard_rules_are_summarised_per_rule_for_an_unmatched_mentee() {
    check(
        r"
        rules training_required
        mentor MR1 org=cleveland
        mentor MR2 org=durham untrained
        mentor MR3 untrained
        mentor MR4
        mentor MR5 cap=0
        mentor ME1
        mentee ME1 rank=1
        forbid ME1 MR4 line_management direct line manager
        ",
        expect![[r#"
            pairs (0):
            unmatched (1):
              ME1: no feasible mentor: same_person excludes 1 (ME1); cross_force excludes 2 (MR1, MR2); training excludes 2 (MR2, MR3); line_management excludes 1 (MR4); no_capacity excludes 1 (MR5)
            certificate: optimal (dual potentials checked over 1 feasible pair)
            matched=0 total_score=0
        "#]],
    );
}

#[test]
fn cross_force_schemes_allow_other_organisations() {
    check(
        r"
        rules cross_force
        mentor MR1 org=cleveland
        mentee ME1 org=ps
        ",
        expect![[r#"
            pairs (1):
              ME1 -> MR1  score 350
            unmatched (0):
            certificate: optimal (dual potentials checked over 1 feasible pair)
            matched=1 total_score=350
        "#]],
    );
}

#[test]
fn an_unmatched_mentee_learns_who_took_the_places() {
    check(
        r"
        scheme only_weights topic_fit=10
        mentor MR1 cap=2 topics=a
        mentee ME1 wants=a
        mentee ME2 wants=a
        mentee ME3 wants=a,b
        ",
        expect![[r#"
            pairs (2):
              ME1 -> MR1  score 1000
              ME2 -> MR1  score 1000
            unmatched (1):
              ME3: places taken by a better overall assignment: best would be MR1 with score 500 (its places went to ME1, ME2); 1 allowed mentor, all full
            certificate: optimal (dual potentials checked over 3 feasible pairs)
            matched=2 total_score=2000
        "#]],
    );
}

#[test]
fn a_pin_is_kept_even_when_it_costs_score_and_uses_capacity() {
    check(
        r"
        scheme only_weights topic_fit=10
        mentor MR1 topics=a
        mentor MR2 topics=b
        mentee ME1 wants=a
        mentee ME2 wants=b
        pin ME1 MR2
        ",
        expect![[r#"
            pairs (2):
              ME1 -> MR2  score 0  (pinned)
              ME2 -> MR1  score 0
            unmatched (0):
            certificate: optimal (dual potentials checked over 2 feasible pairs)
            matched=2 total_score=0
        "#]],
    );
}

#[test]
fn infeasible_pins_are_refused_naming_the_pin() {
    check(
        r"
        rules training_required
        mentor MR1
        mentor MR2 untrained
        mentee ME1
        mentee ME2
        mentee ME3
        pin ME1 MR1
        pin ME1 MR1
        pin ME2 MR1
        pin ME3 MR2
        ",
        expect![[r#"
            the problem has 3 errors
              rules.pins[1] (ME1 -> MR1): mentee ME1 is already pinned by rules.pins[0]: a mentee has at most one mentor
              rules.pins[3] (ME3 -> MR2): the pin breaks a hard rule: training: the mentor has not done the required training
              rules.pins[2] (ME2 -> MR1): pins exceed the capacity of mentor MR1 (capacity 1, pinned by rules.pins[0], rules.pins[2])
        "#]],
    );
}

#[test]
fn a_pin_against_a_forbid_is_refused() {
    check(
        r"
        mentor MR1
        mentee ME1
        forbid ME1 MR1 line_management countersigning officer
        pin ME1 MR1
        ",
        expect![[r#"
            the problem has 1 error
              rules.pins[0] (ME1 -> MR1): the pin breaks a hard rule: line_management: rules.forbids[0]: countersigning officer
        "#]],
    );
}

#[test]
fn unknown_and_duplicate_ids_are_refused_all_at_once() {
    check(
        r"
        mentor MR1
        mentor MR1
        mentee ME1 prefers=NOBODY
        mentee ME1
        forbid ME9 MR1
        pin ME1 MR7
        ",
        expect![[r#"
            the problem has 5 errors
              mentors[1] (MR1).id: duplicate id: mentors[0] has it too
              mentees[0] (ME1).preferred_mentor: no mentor has id NOBODY
              mentees[1] (ME1).id: duplicate id: mentees[0] has it too
              rules.forbids[0] (ME9 -> MR1).mentee: no mentee has id ME9
              rules.pins[0] (ME1 -> MR7).mentor: no mentor has id MR7
        "#]],
    );
}

#[test]
fn equal_mentors_are_chosen_in_input_order() {
    check(
        r"
        mentor FIRST
        mentor SECOND
        mentor THIRD
        mentee ME1
        mentee ME2
        ",
        expect![[r#"
            pairs (2):
              ME1 -> FIRST  score 440
              ME2 -> SECOND  score 440
            unmatched (0):
            certificate: optimal (dual potentials checked over 6 feasible pairs)
            matched=2 total_score=880
        "#]],
    );
}

#[test]
fn an_empty_cohort_matches_nobody() {
    check(
        "",
        expect![[r#"
        pairs (0):
        unmatched (0):
        certificate: optimal (dual potentials checked over 0 feasible pairs)
        matched=0 total_score=0
    "#]],
    );
}

#[test]
fn each_pair_is_explained_factor_by_factor() {
    check_explained(
        r"
        scheme diversity=2
        mentor MR1 cap=2 dept=cid loc=glasgow rank=4 years=12 topics=leadership,promotion avail=mon-am,tue-pm,wed-am remote chars=woman
        mentor MR2 org=ps dept=roads loc=dundee rank=3 years=25 topics=wellbeing avail=fri-am
        mentee ME1 dept=cid loc=glasgow rank=2 wants=leadership,academic_study avail=mon-am,tue-pm prefers=MR1 diversity=woman
        mentee ME2 dept=cid loc=edinburgh rank=2 wants=wellbeing adjust=no_travel avail=fri-am
        mentee ME3 loc=inverness rank=2 remote wants=promotion
        ",
        expect![[r#"
            pairs (3):
              ME1 -> MR1  score 1442
                  topic_fit      50 x  5 =  250  offers 1 of 2: leadership
                  location_fit  100 x  3 =  300  same site (glasgow)
                  rank_gap      100 x  2 =  200  mentor level 4, mentee level 2 (traditional scheme)
                  experience     60 x  1 =   60  12 years of service
                  availability   66 x  2 =  132  2 shared slots: mon-am,tue-pm
                  preference    100 x  3 =  300  the mentee asked for this mentor
                  diversity     100 x  2 =  200  shares woman
              ME2 -> MR2  score 866
                  topic_fit     100 x  5 =  500  offers 1 of 1: wellbeing
                  location_fit    0 x  3 =    0  the mentee cannot travel and remote is not possible
                  rank_gap      100 x  2 =  200  mentor level 3, mentee level 2 (traditional scheme)
                  experience    100 x  1 =  100  25 years of service
                  availability   33 x  2 =   66  1 shared slot: fri-am
                  preference      0 x  3 =    0  no preference stated
                  diversity       0 x  2 =    0  no preference stated
              ME3 -> MR1  score 1040
                  topic_fit     100 x  5 =  500  offers 1 of 1: promotion
                  location_fit   60 x  3 =  180  both meet remotely
                  rank_gap      100 x  2 =  200  mentor level 4, mentee level 2 (traditional scheme)
                  experience     60 x  1 =   60  12 years of service
                  availability   50 x  2 =  100  availability not stated
                  preference      0 x  3 =    0  no preference stated
                  diversity       0 x  2 =    0  no preference stated
            unmatched (0):
            certificate: optimal (dual potentials checked over 6 feasible pairs)
            matched=3 total_score=3348
        "#]],
    );
}

#[test]
fn a_mentor_with_a_large_capacity_takes_everyone_it_suits() {
    check(
        r"
        scheme only_weights topic_fit=10
        mentor BIG cap=10000 topics=a
        mentor SMALL topics=a,b
        mentee ME1 wants=a
        mentee ME2 wants=a,b
        mentee ME3 wants=b
        ",
        expect![[r#"
            pairs (3):
              ME1 -> BIG  score 1000
              ME2 -> BIG  score 500
              ME3 -> SMALL  score 1000
            unmatched (0):
            certificate: optimal (dual potentials checked over 6 feasible pairs)
            matched=3 total_score=2500
        "#]],
    );
}

#[test]
fn levels_apart_and_different_organisation_and_department_keep_pairs_out() {
    check(
        r"
        rules cross_force min_apart=1 max_apart=2 different_organisation
        mentor NEAR org=cleveland rank=3
        mentor FAR org=cleveland rank=6
        mentor SAME org=ps rank=3
        mentee ME1 org=ps rank=2
        mentee ME2 org=ps rank=6
        ",
        expect![[r#"
            pairs (1):
              ME1 -> NEAR  score 550
            unmatched (1):
              ME2: no feasible mentor: different_organisation excludes 1 (SAME); levels_apart excludes 3 (NEAR, FAR, SAME)
            certificate: optimal (dual potentials checked over 1 feasible pair)
            matched=1 total_score=550
        "#]],
    );
    check(
        r"
        rules min_apart=1 different_department
        mentor CID dept=cid rank=3
        mentor ROADS dept=roads rank=3
        mentee ME1 dept=cid rank=1
        mentee ME2 dept=cid rank=3
        ",
        expect![[r#"
            pairs (1):
              ME1 -> ROADS  score 640
            unmatched (1):
              ME2: no feasible mentor: different_department excludes 1 (CID); levels_apart excludes 2 (CID, ROADS)
            certificate: optimal (dual potentials checked over 1 feasible pair)
            matched=1 total_score=640
        "#]],
    );
}

#[test]
fn a_pin_outside_the_levels_apart_is_refused_in_words() {
    check(
        r"
        rules min_apart=1 max_apart=2
        mentor MR1 rank=5
        mentee ME1 rank=2
        pin ME1 MR1
        ",
        expect![[r#"
            the problem has 1 error
              rules.pins[0] (ME1 -> MR1): the pin breaks a hard rule: levels_apart: the mentor is 3 ranks above the mentee; this scheme allows 1 to 2 above
        "#]],
    );
}

#[test]
fn a_scheme_s_rules_that_contradict_each_other_are_refused_all_at_once() {
    check(
        r"
        rules min_apart=3 max_apart=1 different_organisation
        gap_points 1=75 2=150
        mentor MR1
        mentee ME1
        ",
        expect![[r#"
            the problem has 3 errors
              rules.max_levels_apart: must be at least min_levels_apart (3), got 1: no pair could be that far apart
              rules.different_organisation: needs cross_force: true; a scheme that is not cross-force pairs people of the same organisation
              scheme.rank_gap_points.2: must be from 0 to 100, got 150
        "#]],
    );
}

#[test]
fn a_rank_gap_table_replaces_the_curve_and_is_explained() {
    check_explained(
        r"
        scheme only_weights rank_gap=10
        gap_points 1=75 2=100
        mentor GAP1 rank=3
        mentor GAP2 rank=4
        mentor GAP3 rank=5
        mentee ME1 rank=2
        mentee ME2 rank=2
        mentee ME3 rank=6
        ",
        expect![[r#"
            pairs (3):
              ME1 -> GAP2  score 1000
                  topic_fit      50 x  0 =    0  no development area named
                  location_fit   30 x  0 =    0  travel within the organisation
                  rank_gap      100 x 10 = 1000  rank gap 2: 100 points; mentor level 4, mentee level 2 (traditional scheme)
                  experience      0 x  0 =    0  0 years of service
                  availability   50 x  0 =    0  availability not stated
                  preference      0 x  0 =    0  no preference stated
                  diversity       0 x  0 =    0  no preference stated
              ME2 -> GAP1  score 750
                  topic_fit      50 x  0 =    0  no development area named
                  location_fit   30 x  0 =    0  travel within the organisation
                  rank_gap       75 x 10 =  750  rank gap 1: 75 points; mentor level 3, mentee level 2 (traditional scheme)
                  experience      0 x  0 =    0  0 years of service
                  availability   50 x  0 =    0  availability not stated
                  preference      0 x  0 =    0  no preference stated
                  diversity       0 x  0 =    0  no preference stated
              ME3 -> GAP3  score 0
                  topic_fit      50 x  0 =    0  no development area named
                  location_fit   30 x  0 =    0  travel within the organisation
                  rank_gap        0 x 10 =    0  the wrong way round: mentor level 5, mentee level 6 (traditional scheme)
                  experience      0 x  0 =    0  0 years of service
                  availability   50 x  0 =    0  availability not stated
                  preference      0 x  0 =    0  no preference stated
                  diversity       0 x  0 =    0  no preference stated
            unmatched (0):
            certificate: optimal (dual potentials checked over 9 feasible pairs)
            matched=3 total_score=1750
        "#]],
    );
}
