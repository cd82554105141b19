//! The three shipped programmes carry every number and switch of REQUIREMENTS as policy fields,
//! and bad policy files are refused with the field named.

use tandem_core::domain::RankBands;
use tandem_core::policy::{Bounds, MatchingMode, RankDirection, SchemeKind, SchemePolicy};
use tandem_core::programme::{Programme, presets};

fn scheme(preset: &str, key: &str) -> SchemePolicy {
    let programme = presets::load(preset)
        .expect("preset exists")
        .expect("preset is valid");
    programme
        .schemes
        .into_iter()
        .find(|it| it.key.as_ref() == key)
        .expect("scheme exists")
        .policy
}

fn bounds(min: Option<u32>, max: Option<u32>) -> Bounds {
    Bounds { min, max }
}

#[test]
fn the_three_presets_ship_and_are_valid_for_uk_rank_bands() {
    let names: Vec<&str> = presets::names().collect();
    assert_eq!(names, ["college-national", "police-scotland", "cleveland"]);
    for name in names {
        let programme = presets::load(name)
            .unwrap()
            .unwrap_or_else(|problems| panic!("{name}: {problems:?}"));
        for scheme in &programme.schemes {
            assert_eq!(
                scheme.policy.problems_in(&RankBands::uk_policing()),
                vec![],
                "{name}/{}",
                scheme.key
            );
        }
    }
}

#[test]
fn police_scotland_runs_as_written() {
    let policy = scheme("police-scotland", "mentoring");
    assert_eq!(policy.matching, MatchingMode::Champion);
    assert_eq!(policy.max_mentees_per_mentor, 2);
    assert_eq!(policy.mentors_per_mentee, 1);
    assert_eq!(policy.duration_months, bounds(Some(6), Some(12)));
    assert_eq!(policy.cadence_weeks, bounds(Some(6), Some(8)));
    assert_eq!(policy.session_minutes, bounds(Some(60), Some(120)));
    assert_eq!(policy.review_every_nth_meeting, Some(3));
    assert!(policy.review_at_final_meeting);
    assert!(!policy.dual_roles_allowed);
    assert!(
        policy.training.before_matching
            && policy.training.mentor_required
            && policy.training.mentee_required
    );
    assert!(policy.cross_force);
    for eligibility in [&policy.eligibility.mentor, &policy.eligibility.mentee] {
        assert!(eligibility.exclude_probation);
        assert_eq!(
            eligibility.employment_statuses,
            [tandem_core::domain::EmploymentStatus::Serving]
        );
    }
}

#[test]
fn cleveland_traditional_runs_as_written() {
    let policy = scheme("cleveland", "traditional");
    assert_eq!(policy.matching, MatchingMode::SelfSelect);
    assert_eq!(policy.max_mentees_per_mentor, 3);
    assert_eq!(policy.duration_months, bounds(None, Some(12)));
    assert_eq!(policy.sessions, bounds(Some(3), Some(12)));
    assert!(policy.line_manager_approval);
    assert!(policy.mentor_statement_of_suitability && policy.mentor_agreement);
    assert!(policy.eligibility.mentee.exclude_performance_management);
    assert!(
        policy
            .eligibility
            .mentee
            .role_types
            .contains(&tandem_core::domain::RoleType::External)
    );
    assert!(policy.training.places_rationed);
    assert_eq!(policy.mentor_support_group_months, Some(6));
}

#[test]
fn cleveland_reverse_runs_as_written() {
    let policy = scheme("cleveland", "reverse");
    assert_eq!(policy.kind, SchemeKind::Reverse);
    assert_eq!(policy.matching, MatchingMode::Coordinator);
    assert_eq!(policy.max_mentees_per_mentor, 1);
    assert_eq!(policy.duration_months, bounds(Some(6), Some(6)));
    assert_eq!(policy.rank_direction, RankDirection::MentorJunior);
    assert!(policy.training.joint);
    assert!(policy.line_manager_approval);
    assert!(policy.organisational_need_required);
}

#[test]
fn college_national_runs_as_written() {
    for (key, band) in [
        ("peer-chief-constables", "chief-constable"),
        ("peer-dcc", "dcc"),
        ("peer-acc-aco", "acc"),
    ] {
        let policy = scheme("college-national", key);
        assert_eq!(policy.kind, SchemeKind::Peer);
        assert_eq!(policy.rank_direction, RankDirection::Peer);
        assert!(policy.cross_force);
        assert_eq!(policy.eligibility.mentor.rank_bands, [band]);
        assert_eq!(policy.eligibility.mentee.rank_bands, [band]);
    }
    let reverse = scheme("college-national", "reverse");
    assert_eq!(reverse.rank_direction, RankDirection::MentorJunior);
    assert!(reverse.organisational_need_required);
    let network = scheme("college-national", "womens-network");
    assert_eq!(network.matching, MatchingMode::Invitation);
    assert!(network.eligibility.mentee.invitation_only);
    assert_eq!(
        network.eligibility.mentee.self_declared_gender,
        ["female", "woman"]
    );
    assert_eq!(
        network.eligibility.mentor.rank_bands,
        ["acc", "dcc", "chief-constable"]
    );
    let buddy = scheme("college-national", "stage5-buddy");
    assert_eq!(buddy.kind, SchemeKind::Buddy);
    assert!(buddy.extension_allowed);
}

#[test]
fn a_shown_preset_reads_back_unchanged() {
    for name in presets::names() {
        let programme = presets::load(name).unwrap().unwrap();
        assert_eq!(
            Programme::from_toml(&programme.to_toml()).unwrap(),
            programme,
            "{name}"
        );
    }
}

fn problems_after(preset: &str, from: &str, to: &str) -> Vec<String> {
    let text = presets::source(preset).unwrap();
    assert!(text.contains(from), "{from:?} is not in {preset}");
    match Programme::from_toml(&text.replacen(from, to, 1)) {
        Ok(_) => vec![],
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn a_value_out_of_range_is_refused_with_its_field_and_range() {
    assert_eq!(
        problems_after(
            "police-scotland",
            "max_mentees_per_mentor = 2",
            "max_mentees_per_mentor = 0"
        ),
        [
            "schemes[0] (mentoring).policy.max_mentees_per_mentor: 0 is out of range; allowed 1 to 10"
        ]
    );
    assert_eq!(
        problems_after(
            "police-scotland",
            "[schemes.policy.cadence_weeks]\nmin = 6",
            "[schemes.policy.cadence_weeks]\nmin = 9"
        ),
        [
            "schemes[0] (mentoring).policy.cadence_weeks: the lower limit (9) is above the upper limit (8); lower the first or raise the second"
        ]
    );
}

#[test]
fn a_misspelt_field_is_refused_with_its_line() {
    let problems = problems_after(
        "police-scotland",
        "dual_roles_allowed = false",
        "dual_role_allowed = false",
    );
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].contains("unknown field `dual_role_allowed`"),
        "{problems:?}"
    );
    assert!(problems[0].starts_with("line "), "{problems:?}");
}

#[test]
fn a_reverse_scheme_must_point_the_rank_gap_down_and_record_its_need() {
    let problems = problems_after(
        "cleveland",
        "rank_direction = \"mentor_junior\"",
        "rank_direction = \"mentor_senior\"",
    );
    assert_eq!(
        problems,
        [
            "schemes[1] (reverse).policy.rank_direction: a reverse scheme pairs a junior mentor with a senior mentee; choose a mentor more junior than the mentee"
        ]
    );
    let text = presets::source("cleveland").unwrap();
    let need_line = text
        .lines()
        .find(|line| line.starts_with("organisational_need ="))
        .unwrap();
    let problems = problems_after("cleveland", need_line, "");
    assert_eq!(
        problems,
        [
            "schemes[1] (reverse).organisational_need: this scheme must record the organisational development need it serves"
        ]
    );
}

#[test]
fn joint_training_needs_both_parties_trained() {
    let problems = problems_after(
        "cleveland",
        "mentee_required = true",
        "mentee_required = false",
    );
    assert_eq!(
        problems,
        [
            "schemes[1] (reverse).policy.training.joint: joint training needs both mentors and mentees to complete it; require it of both"
        ]
    );
}

#[test]
fn a_policy_naming_an_unknown_rank_band_is_refused_for_that_organisation() {
    let mut policy = scheme("college-national", "peer-acc-aco");
    policy.eligibility.mentee.rank_bands = vec!["aco".to_owned()];
    let problems: Vec<String> = policy
        .problems_in(&RankBands::uk_policing())
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].starts_with(
        "eligibility.mentee.rank_bands: admits the rank band 'aco', which the organisation does not have; choose from "
    ));
}

#[test]
fn a_single_policy_round_trips_through_toml() {
    let policy = scheme("cleveland", "traditional");
    assert_eq!(SchemePolicy::from_toml(&policy.to_toml()).unwrap(), policy);
}

#[test]
fn the_pairing_rules_and_rank_gap_table_report_every_problem_at_its_field() {
    let mut policy = scheme("college-national", "womens-network");
    policy.cross_force = false;
    policy.different_organisation = true;
    policy.min_levels_apart = Some(3);
    policy.max_levels_apart = Some(21);
    policy.rank_gap_points = [("1", 75), ("far", 5), ("2", 150)]
        .into_iter()
        .map(|(gap, points)| (gap.to_owned(), points))
        .collect();
    let problems: Vec<String> = policy.problems().iter().map(ToString::to_string).collect();
    assert_eq!(
        problems,
        [
            "max_levels_apart: 21 is out of range; allowed 0 to 20",
            "different_organisation: mentors from another organisation need pairs from different organisations allowed; allow them too",
            "rank_gap_points: gap 2: 150 points is out of range; allowed 0 to 100",
            "rank_gap_points: 'far' is not a rank gap; write the ranks apart as a whole number from 0 to 20",
        ]
    );
    policy.max_levels_apart = Some(2);
    policy.rank_gap_points.clear();
    policy.cross_force = true;
    assert_eq!(
        policy
            .problems()
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [
            "max_levels_apart: 2 is below the fewest ranks between mentor and mentee (3), so no pair could be matched; make it at least 3"
        ]
    );
}

#[test]
fn ranks_apart_need_a_rank_direction_to_count_in() {
    let mut policy = scheme("cleveland", "traditional");
    assert_eq!(policy.rank_direction, RankDirection::Any);
    policy.min_levels_apart = Some(1);
    policy.rank_gap_points.insert("1".to_owned(), 75);
    let fields: Vec<String> = policy.problems().into_iter().map(|it| it.field).collect();
    assert_eq!(fields, ["min_levels_apart", "rank_gap_points"]);
}

#[test]
fn a_negative_rank_gap_bound_is_refused_at_its_line() {
    let problems = problems_after(
        "college-national",
        "rank_direction = \"mentor_senior\"\n",
        "rank_direction = \"mentor_senior\"\nmin_levels_apart = -1\n",
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].starts_with("line "), "{problems:?}");
    assert!(problems[0].contains("-1"), "{problems:?}");
}

#[test]
fn the_pairing_rules_and_rank_gap_table_round_trip_through_toml() {
    let mut policy = scheme("college-national", "womens-network");
    policy.different_organisation = true;
    policy.different_department = true;
    policy.min_levels_apart = Some(1);
    policy.max_levels_apart = Some(2);
    policy.rank_gap_points = [("1".to_owned(), 75), ("2".to_owned(), 100)].into();
    assert_eq!(policy.problems(), vec![]);
    let text = policy.to_toml();
    for line in [
        "different_organisation = true",
        "different_department = true",
        "min_levels_apart = 1",
        "max_levels_apart = 2",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    assert_eq!(SchemePolicy::from_toml(&text).unwrap(), policy);
    assert_eq!(policy.rank_gap_table(), [(1, 75), (2, 100)]);
    let written = "min_levels_apart = 1\nrank_gap_points = { 1 = 75, 2 = 100 }\n";
    let mut read = scheme("college-national", "womens-network").to_toml();
    read = read.replacen("rank_direction", &format!("{written}rank_direction"), 1);
    let read = SchemePolicy::from_toml(&read).unwrap();
    assert_eq!(read.rank_gap_table(), [(1, 75), (2, 100)]);
}
