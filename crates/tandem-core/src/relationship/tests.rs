//! The relationship's state machine, every state × every step × every party; review dates,
//! end dates and the meeting form's problems.

use super::*;
use crate::programme::presets;
use std::fmt::Write as _;
use time::macros::{date, datetime};

fn scotland() -> SchemePolicy {
    presets::load("police-scotland")
        .unwrap()
        .unwrap()
        .schemes
        .remove(0)
        .policy
}

fn describe(step: Step) -> String {
    match step {
        Step::GoOn {
            met,
            partner_went_on,
        } => format!("go_on(met={met},partner={partner_went_on})"),
        Step::StopAfterIntroduction { met } => format!("stop_after_introduction(met={met})"),
        Step::Extend { allowed } => format!("extend(allowed={allowed})"),
        other => format!("{other:?}").to_lowercase(),
    }
}

#[test]
fn every_state_step_and_party_is_decided() {
    let mut table = String::new();
    for state in MatchStatus::ALL {
        writeln!(table, "{}:", state.as_str()).unwrap();
        for one in Step::all() {
            write!(table, "  {}:", describe(one)).unwrap();
            for party in Party::ALL {
                let outcome = match step(*state, one, party) {
                    Ok(next) => next.as_str().to_owned(),
                    Err(_) => "-".to_owned(),
                };
                write!(table, " {party:?}={outcome}").unwrap();
            }
            table.push('\n');
        }
    }
    expect_test::expect_file!["state_machine.txt"].assert_eq(&table);
}

#[test]
fn every_refusal_says_why_in_words() {
    for state in MatchStatus::ALL {
        for one in Step::all() {
            for party in Party::ALL {
                if let Err(refused) = step(*state, one, party) {
                    assert!(
                        refused.reason.len() > 10 && !refused.reason.ends_with('.'),
                        "{state:?} {one:?} {party:?}: {refused}"
                    );
                }
            }
        }
    }
}

#[test]
fn nobody_but_the_pair_writes_in_a_relationship_or_moves_it_on() {
    for state in MatchStatus::ALL {
        for one in [
            Step::Write,
            Step::Meet,
            Step::Review,
            Step::Hold,
            Step::Resume,
            Step::StartClosing,
            Step::WriteClosing,
            Step::GoOn {
                met: true,
                partner_went_on: true,
            },
            Step::Extend { allowed: true },
        ] {
            for party in [Party::Staff, Party::System] {
                assert!(
                    step(*state, one, party).is_err(),
                    "{state:?} {one:?} {party:?}"
                );
            }
        }
    }
}

#[test]
fn a_closed_relationship_is_read_only() {
    for one in Step::all() {
        for party in Party::ALL {
            assert!(
                step(MatchStatus::Closed, one, party).is_err(),
                "{one:?} {party:?}"
            );
        }
    }
}

#[test]
fn both_must_go_on_after_the_introductory_meeting() {
    let first = Step::GoOn {
        met: true,
        partner_went_on: false,
    };
    let second = Step::GoOn {
        met: true,
        partner_went_on: true,
    };
    assert_eq!(
        step(MatchStatus::Introductory, first, Party::Mentee),
        Ok(MatchStatus::Introductory)
    );
    assert_eq!(
        step(MatchStatus::Introductory, second, Party::Mentor),
        Ok(MatchStatus::Active)
    );
    assert_eq!(
        step(
            MatchStatus::Introductory,
            Step::StopAfterIntroduction { met: true },
            Party::Mentor
        ),
        Ok(MatchStatus::Declined),
        "the mentor may decline (R6.1)"
    );
}

#[test]
fn a_review_falls_due_at_every_third_meeting_until_it_is_recorded() {
    let policy = scotland();
    assert_eq!(policy.review_every_nth_meeting, Some(3));
    let due: Vec<bool> = (0..=7)
        .map(|held| review_due(&policy, held, None))
        .collect();
    assert_eq!(due, [false, false, false, true, true, true, true, true]);
    assert!(!review_due(&policy, 4, Some(3)), "recorded at the third");
    assert!(review_due(&policy, 6, Some(3)), "due again at the sixth");
    let mut never = policy;
    never.review_every_nth_meeting = None;
    assert!(!review_due(&never, 9, None));
}

#[test]
fn the_end_date_follows_the_policy_in_calendar_months() {
    let policy = scotland();
    assert_eq!(policy.duration_months.max, Some(12));
    assert_eq!(
        planned_end(&policy, date!(2026 - 01 - 31)),
        Some(date!(2027 - 01 - 31))
    );
    assert_eq!(add_months(date!(2026 - 08 - 31), 6), date!(2027 - 02 - 28));
    assert_eq!(add_months(date!(2027 - 08 - 31), 6), date!(2028 - 02 - 29));
    assert_eq!(add_months(date!(2026 - 11 - 15), 0), date!(2026 - 11 - 15));
}

fn form(date: &str, time: &str, minutes: &str, mode: &str, place: &str) -> MeetingForm {
    MeetingForm {
        date: date.to_owned(),
        time: time.to_owned(),
        minutes: minutes.to_owned(),
        mode: mode.to_owned(),
        place: place.to_owned(),
    }
}

fn fields(problems: &[MeetingProblem]) -> Vec<&'static str> {
    problems.iter().map(|it| it.field).collect()
}

#[test]
fn a_booking_is_in_the_organisations_time_and_in_the_future() {
    let policy = scotland();
    let now = datetime!(2026-12-01 09:00 UTC);
    let booked = form("2027-06-15", "10:30", "90", "in_person", "Fettes, room 2")
        .parse(&policy, "Europe/London", now, false)
        .unwrap();
    assert_eq!(booked.starts_at, datetime!(2027-06-15 09:30 UTC), "BST");
    assert_eq!((booked.minutes, booked.mode), (90, MeetingMode::InPerson));

    let past = form("2026-11-30", "10:30", "90", "video", "")
        .parse(&policy, "Europe/London", now, false)
        .unwrap_err();
    assert_eq!(fields(&past), ["date"]);
    assert!(
        past[0]
            .message
            .contains("log a session that has taken place instead")
    );
    assert!(
        form("2026-11-30", "10:30", "90", "video", "")
            .parse(&policy, "Europe/London", now, true)
            .is_ok(),
        "the same session can be logged"
    );
}

#[test]
fn every_problem_of_a_meeting_is_named_at_its_field() {
    let policy = scotland();
    let now = datetime!(2026-12-01 09:00 UTC);
    let problems = form("15/06/2027", "half ten", "600", "carrier pigeon", "")
        .parse(&policy, "Europe/London", now, false)
        .unwrap_err();
    assert_eq!(fields(&problems), ["date", "time", "minutes", "mode"]);
    assert_eq!(
        problems[2].message,
        "sessions in this scheme last 60 to 120 minutes"
    );
    let no_place = form("2027-06-15", "10:30", "60", "in_person", "  ")
        .parse(&policy, "Europe/London", now, false)
        .unwrap_err();
    assert_eq!(fields(&no_place), ["place"]);
}

#[test]
fn the_first_meeting_is_face_to_face_unless_cross_force_or_adjusted() {
    let policy = scotland();
    assert!(policy.first_meeting_face_to_face);
    assert!(first_meeting_refusal(&policy, MeetingMode::Video, false, false).is_some());
    assert!(first_meeting_refusal(&policy, MeetingMode::InPerson, false, false).is_none());
    assert!(first_meeting_refusal(&policy, MeetingMode::Video, true, false).is_none());
    assert!(first_meeting_refusal(&policy, MeetingMode::Phone, false, true).is_none());
    let mut relaxed = policy;
    relaxed.first_meeting_face_to_face = false;
    assert!(first_meeting_refusal(&relaxed, MeetingMode::Phone, false, false).is_none());
}

#[test]
fn the_evaluation_needs_every_score_and_takes_words_as_they_come() {
    let questions = default_questions();
    let given = |answers: &'static [(&'static str, &'static str)]| {
        move |field: &str| {
            answers
                .iter()
                .find(|(name, _)| *name == field)
                .map(|(_, value)| (*value).to_owned())
                .unwrap_or_default()
        }
    };
    let problems = parse_answers(
        &questions,
        given(&[("answer-1", "5"), ("answer-2", "0"), ("answer-4", "five")]),
    )
    .unwrap_err();
    assert_eq!(
        problems.iter().map(|it| it.field).collect::<Vec<_>>(),
        ["answer-2", "answer-3", "answer-4"]
    );
    let answers = parse_answers(
        &questions,
        given(&[
            ("answer-1", "5"),
            ("answer-2", "4"),
            ("answer-3", "3"),
            ("answer-4", "1"),
            ("answer-5", " The honesty "),
        ]),
    )
    .unwrap();
    assert_eq!(answers[0], ("goals".to_owned(), Answer::Score(5)));
    assert_eq!(
        answers[4],
        ("worked".to_owned(), Answer::Text("The honesty".to_owned()))
    );
    assert_eq!(
        answers[5],
        ("better".to_owned(), Answer::Text(String::new()))
    );
}

#[test]
fn a_survey_with_a_repeated_key_or_an_unknown_kind_is_refused_naming_the_question() {
    assert!(question_problems(&default_questions()).is_empty());
    let mut questions = default_questions();
    questions[1].key = "goals".to_owned();
    questions[2].kind = "stars".to_owned();
    let problems: Vec<String> = question_problems(&questions)
        .into_iter()
        .map(|it| it.1)
        .collect();
    assert_eq!(
        problems,
        [
            "question 2: goals is already the key of another question",
            "question 3: 'stars' is not a kind; use score or text"
        ]
    );
    assert!(!question_problems(&[]).is_empty());
}

#[test]
fn closing_is_complete_when_both_have_reviewed_and_evaluated() {
    let mentor = crate::PersonId(uuid::Uuid::from_u128(1));
    let mentee = crate::PersonId(uuid::Uuid::from_u128(2));
    assert!(!closing_complete(
        mentor,
        mentee,
        &[mentor, mentee],
        &[mentee]
    ));
    assert!(!closing_complete(
        mentor,
        mentee,
        &[mentee],
        &[mentor, mentee]
    ));
    assert!(closing_complete(
        mentor,
        mentee,
        &[mentee, mentor],
        &[mentor, mentee]
    ));
}

fn cleveland() -> SchemePolicy {
    presets::load("cleveland")
        .unwrap()
        .unwrap()
        .schemes
        .remove(0)
        .policy
}

#[test]
fn an_extension_ends_after_the_current_end_and_adds_at_most_the_longest_duration() {
    let policy = scotland();
    let end = Some(date!(2027 - 06 - 30));
    let today = date!(2027 - 05 - 01);
    assert_eq!(
        proposed_end(&policy, end, today, " 2027-12-31 "),
        Ok(date!(2027 - 12 - 31))
    );
    // Twelve months past the current end is the most one extension adds in Police Scotland.
    assert_eq!(
        proposed_end(&policy, end, today, "2028-06-30"),
        Ok(date!(2028 - 06 - 30))
    );
    let refused = |raw: &str, end: Option<Date>, today: Date| {
        proposed_end(&policy, end, today, raw).unwrap_err()
    };
    let late = refused("2028-07-01", end, today);
    assert_eq!(late.field, "ends_on");
    assert!(late.message.contains("at most 12 months"), "{late}");
    assert!(late.message.contains("2028-06-30"), "{late}");
    assert!(
        refused("2027-06-30", end, today)
            .message
            .contains("after the current end date, 2027-06-30")
    );
    assert!(
        refused("30/12/2027", end, today)
            .message
            .contains("year-month-day")
    );
    // An end date that has passed is extended to a day still to come.
    assert!(
        refused("2027-07-15", end, date!(2027 - 08 - 01))
            .message
            .contains("still to come")
    );
    assert!(
        refused("2027-12-31", None, today)
            .message
            .contains("no end date")
    );
}

#[test]
fn an_extension_is_a_move_of_the_pair_where_the_policy_allows_it() {
    assert!(!cleveland().extension_allowed);
    let refused = step(
        MatchStatus::Active,
        Step::Extend {
            allowed: cleveland().extension_allowed,
        },
        Party::Mentee,
    )
    .unwrap_err();
    assert_eq!(refused.reason, "this scheme does not allow extensions");
    assert_eq!(
        step(
            MatchStatus::Active,
            Step::Extend {
                allowed: scotland().extension_allowed
            },
            Party::Mentor
        ),
        Ok(MatchStatus::Active)
    );
}

#[test]
fn the_final_meeting_asks_for_a_review_when_no_further_meeting_is_expected() {
    let scotland = scotland();
    let today = date!(2027 - 05 - 01);
    let far = Some(date!(2027 - 12 - 31));
    let near = Some(date!(2027 - 06 - 15));
    // Police Scotland meets every six to eight weeks: an end within eight weeks is the end.
    assert!(!final_review_due(&scotland, 4, Some(3), far, today));
    assert!(final_review_due(&scotland, 4, Some(3), near, today));
    // Recorded at or after the latest meeting: not due again.
    assert!(!final_review_due(&scotland, 4, Some(4), near, today));
    assert!(!final_review_due(&scotland, 0, None, near, today));
    // Cleveland's traditional scheme agrees three to twelve sessions: the twelfth is the last.
    let cleveland = cleveland();
    assert!(!final_review_due(&cleveland, 11, Some(9), far, today));
    assert!(final_review_due(&cleveland, 12, Some(9), far, today));
    let mut no_final = scotland.clone();
    no_final.review_at_final_meeting = false;
    assert!(!final_review_due(&no_final, 4, Some(3), near, today));
}

#[test]
fn a_concern_needs_its_kind_and_the_reporters_words() {
    assert_eq!(
        parse_concern("risk_of_harm", "  They said they felt unsafe at home. "),
        Ok((
            ConcernKind::RiskOfHarm,
            "They said they felt unsafe at home.".to_owned()
        ))
    );
    let problems = parse_concern("gossip", "   ").unwrap_err();
    let fields: Vec<&str> = problems.iter().map(|it| it.field).collect();
    assert_eq!(fields, ["kind", "text"]);
    assert!(problems[1].message.contains("only what you write here"));
    assert_eq!(parse_outcome(" ").unwrap_err().field, "outcome");
}

#[test]
fn a_flag_is_settled_by_a_decision_with_its_reason_or_a_declaration() {
    assert_eq!(
        parse_settlement("continue", "Different teams from next month"),
        Ok((
            FlagOutcome::Continue,
            "Different teams from next month".to_owned()
        ))
    );
    let problems = parse_settlement("", "").unwrap_err();
    let fields: Vec<&str> = problems.iter().map(|it| it.field).collect();
    assert_eq!(fields, ["outcome", "reason"]);
    let declaration = parse_settlement("declared", "").unwrap_err();
    assert!(
        declaration[0]
            .message
            .contains("how you will keep it apart")
    );
}

#[test]
fn a_mentor_anywhere_above_the_mentee_manages_them() {
    use crate::line_management::LineManagementTree;
    let person = |n: u128| crate::PersonId(uuid::Uuid::from_u128(n));
    // 1 manages 2, who manages 3; 4 stands apart.
    let tree = LineManagementTree::new([
        (person(1), None),
        (person(2), Some(person(1))),
        (person(3), Some(person(2))),
        (person(4), None),
    ])
    .unwrap();
    assert!(mentor_manages(&tree, person(2), person(3)));
    assert!(mentor_manages(&tree, person(1), person(3)));
    assert!(!mentor_manages(&tree, person(3), person(1)));
    assert!(!mentor_manages(&tree, person(4), person(3)));
}
