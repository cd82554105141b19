//! Application forms, participation refusals and the waiting-list order, case by case.

use super::*;
use crate::programme::presets;
use uuid::Uuid;

fn policy(preset: &str, scheme: &str) -> SchemePolicy {
    let programme = presets::load(preset)
        .expect("the preset ships")
        .expect("the preset is valid");
    programme
        .schemes
        .into_iter()
        .find(|it| it.key.as_ref() == scheme)
        .expect("the preset has the scheme")
        .policy
}

fn topics() -> Vec<String> {
    crate::DEFAULT_TOPICS
        .iter()
        .map(|it| (*it).to_owned())
        .collect()
}

fn mentor_form() -> ApplicationForm {
    ApplicationForm {
        summary: "Twenty years in response and investigations".to_owned(),
        topics: vec![
            "Leadership".to_owned(),
            "promotion and career progression".to_owned(),
        ],
        capacity: "2".to_owned(),
        location: "Dundee".to_owned(),
        remote_ok: true,
        availability: vec!["tue-pm".to_owned(), "mon-am".to_owned()],
        statement_of_suitability: true,
        mentor_agreement: true,
        ethics_acknowledged: true,
        ..ApplicationForm::default()
    }
}

fn fields(problems: &[FormProblem]) -> Vec<&'static str> {
    problems.iter().map(|it| it.field).collect()
}

#[test]
fn a_mentor_form_parses_into_answers_in_the_organisations_order() {
    let policy = policy("police-scotland", "mentoring");
    let (answers, signatures) =
        parse_form(&mentor_form(), Role::Mentor, &policy, &topics()).expect("valid form");
    assert_eq!(
        answers.topics,
        ["Promotion and career progression", "Leadership"],
        "topics take the organisation's spelling and order"
    );
    assert_eq!(answers.capacity, Some(2));
    assert_eq!(answers.availability, ["mon-am", "tue-pm"]);
    assert_eq!(answers.location.as_deref(), Some("Dundee"));
    assert!(signatures.ethics);
}

#[test]
fn capacity_above_the_policy_maximum_is_refused_with_the_range() {
    let policy = policy("police-scotland", "mentoring");
    let form = ApplicationForm {
        capacity: "3".to_owned(),
        ..mentor_form()
    };
    let problems = parse_form(&form, Role::Mentor, &policy, &topics()).unwrap_err();
    assert_eq!(fields(&problems), ["capacity"]);
    assert_eq!(
        problems[0].message,
        "the scheme allows 1 to 2 mentees per mentor"
    );
}

#[test]
fn every_problem_is_reported_with_its_field() {
    let policy = policy("cleveland", "traditional");
    let form = ApplicationForm {
        summary: "  ".to_owned(),
        topics: vec!["Juggling".to_owned()],
        capacity: "lots".to_owned(),
        availability: vec!["someday".to_owned()],
        statement_of_suitability: false,
        mentor_agreement: false,
        ..mentor_form()
    };
    let problems = parse_form(&form, Role::Mentor, &policy, &topics()).unwrap_err();
    assert_eq!(
        fields(&problems),
        [
            "summary",
            "topics",
            "capacity",
            "availability",
            "statement_of_suitability",
            "mentor_agreement"
        ]
    );
}

#[test]
fn a_mentee_needs_aims_and_an_area_but_no_capacity_or_signatures() {
    let policy = policy("cleveland", "traditional");
    let empty = ApplicationForm::default();
    let problems = parse_form(&empty, Role::Mentee, &policy, &topics()).unwrap_err();
    assert_eq!(fields(&problems), ["summary", "topics"]);

    let form = ApplicationForm {
        summary: "Prepare for the sergeants' exam".to_owned(),
        topics: vec!["Confidence".to_owned()],
        preferred_mentor_email: "Mentor@Cleveland.Police.uk".to_owned(),
        ..ApplicationForm::default()
    };
    let (answers, signatures) =
        parse_form(&form, Role::Mentee, &policy, &topics()).expect("valid form");
    assert_eq!(answers.capacity, None);
    assert_eq!(
        answers.preferred_mentor_email.as_deref(),
        Some("mentor@cleveland.police.uk")
    );
    assert!(!signatures.statement_of_suitability);
}

#[test]
fn the_confidential_route_exists_only_where_the_manager_must_authorise() {
    let form = ApplicationForm {
        summary: "Aims".to_owned(),
        topics: vec!["Confidence".to_owned()],
        confidential: true,
        ..ApplicationForm::default()
    };
    let cleveland = policy("cleveland", "traditional");
    assert!(parse_form(&form, Role::Mentee, &cleveland, &topics()).is_ok());
    let scotland = policy("police-scotland", "mentoring");
    assert!(
        !scotland.line_manager_approval,
        "the test needs a scheme without approval"
    );
    let problems = parse_form(&form, Role::Mentee, &scotland, &topics()).unwrap_err();
    assert_eq!(fields(&problems), ["confidential"]);
}

fn taking_part(
    scheme: SchemeId,
    role: Role,
    status: ApplicationStatus,
    dual: bool,
) -> Participation {
    Participation {
        scheme,
        scheme_name: "Police Scotland mentoring".to_owned(),
        role,
        status,
        dual_roles_allowed: dual,
    }
}

#[test]
fn participation_refusals_follow_the_policy() {
    let scheme = SchemeId(Uuid::from_u128(1));
    let other = SchemeId(Uuid::from_u128(2));
    let no_dual = policy("police-scotland", "mentoring");
    assert!(!no_dual.dual_roles_allowed);
    let mut dual = no_dual.clone();
    dual.dual_roles_allowed = true;
    type Case<'a> = (
        &'a str,
        &'a SchemePolicy,
        Role,
        Vec<Participation>,
        Vec<&'a str>,
    );
    let cases: Vec<Case> = vec![
        ("nothing yet", &no_dual, Role::Mentee, vec![], vec![]),
        (
            "already mentoring elsewhere, dual roles forbidden",
            &no_dual,
            Role::Mentee,
            vec![taking_part(
                other,
                Role::Mentor,
                ApplicationStatus::Approved,
                false,
            )],
            vec!["active_in_other_role"],
        ),
        (
            "already mentoring in a scheme that allows dual roles, and so does this one",
            &dual,
            Role::Mentee,
            vec![taking_part(
                other,
                Role::Mentor,
                ApplicationStatus::Approved,
                true,
            )],
            vec![],
        ),
        (
            "this scheme allows dual roles but the other does not",
            &dual,
            Role::Mentee,
            vec![taking_part(
                other,
                Role::Mentor,
                ApplicationStatus::Approved,
                false,
            )],
            vec!["active_in_other_role"],
        ),
        (
            "a withdrawn mentor application does not count",
            &no_dual,
            Role::Mentee,
            vec![taking_part(
                other,
                Role::Mentor,
                ApplicationStatus::Withdrawn,
                false,
            )],
            vec![],
        ),
        (
            "already has a mentor",
            &no_dual,
            Role::Mentee,
            vec![taking_part(
                scheme,
                Role::Mentee,
                ApplicationStatus::Matched,
                false,
            )],
            vec!["already_has_mentor"],
        ),
        (
            "already waiting",
            &no_dual,
            Role::Mentee,
            vec![taking_part(
                scheme,
                Role::Mentee,
                ApplicationStatus::AwaitingManager,
                false,
            )],
            vec!["already_applied"],
        ),
        (
            "declined before, may apply again",
            &no_dual,
            Role::Mentee,
            vec![taking_part(
                scheme,
                Role::Mentee,
                ApplicationStatus::Declined,
                false,
            )],
            vec![],
        ),
    ];
    for (case, policy, role, existing, expected) in cases {
        let refusals = participation_refusals(role, scheme, policy, &existing);
        let kinds: Vec<&str> = refusals
            .iter()
            .map(|refusal| match refusal {
                Refusal::ActiveInOtherRole { .. } => "active_in_other_role",
                Refusal::AlreadyHasMentor { .. } => "already_has_mentor",
                Refusal::AlreadyApplied { .. } => "already_applied",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, expected, "{case}");
    }
}

#[test]
fn a_refusal_says_why_in_words() {
    let refusal = Refusal::ActiveInOtherRole {
        role: Role::Mentor,
        scheme: "Police Scotland mentoring".to_owned(),
    };
    assert_eq!(
        refusal.to_string(),
        "the person is already taking part as a mentor in Police Scotland mentoring, and cannot be a mentor and a mentee at the same time"
    );
}

#[test]
fn the_waiting_list_puts_priority_first_then_date() {
    let at = |day: i64| OffsetDateTime::UNIX_EPOCH + time::Duration::days(day);
    let id = |n: u128| ApplicationId(Uuid::from_u128(n));
    let mut list = vec![
        ("late, no priority", 0, at(5), id(1)),
        ("early, no priority", 0, at(1), id(2)),
        ("late, EDI priority", 1, at(9), id(3)),
        ("same day, later id", 0, at(1), id(4)),
    ];
    waiting_order(&mut list, |it| (it.1, it.2, it.3));
    let names: Vec<&str> = list.iter().map(|it| it.0).collect();
    assert_eq!(
        names,
        [
            "late, EDI priority",
            "early, no priority",
            "same day, later id",
            "late, no priority"
        ]
    );
}

#[test]
fn statuses_round_trip_and_only_live_ones_count() {
    for status in ApplicationStatus::ALL {
        assert_eq!(ApplicationStatus::parse(status.as_str()), Some(status));
    }
    let open: Vec<&str> = ApplicationStatus::ALL
        .into_iter()
        .filter(|it| it.is_open())
        .map(ApplicationStatus::as_str)
        .collect();
    assert_eq!(
        open,
        [
            "awaiting_manager",
            "awaiting_coordinator",
            "approved",
            "matched"
        ]
    );
}

#[test]
fn the_confidential_route_is_offered_only_where_the_manager_is_asked() {
    assert!(confidential_route_offered(&policy(
        "cleveland",
        "traditional"
    )));
    assert!(!confidential_route_offered(&policy(
        "police-scotland",
        "mentoring"
    )));
    let mut no_manager = policy("cleveland", "traditional");
    no_manager.line_manager_approval = false;
    assert!(!confidential_route_offered(&no_manager));
}

#[test]
fn an_application_is_withdrawn_only_while_it_waits_or_is_approved() {
    let may: Vec<ApplicationStatus> = ApplicationStatus::ALL
        .into_iter()
        .filter(|it| it.withdrawal_refusal().is_none())
        .collect();
    assert_eq!(
        may,
        [
            ApplicationStatus::AwaitingManager,
            ApplicationStatus::AwaitingCoordinator,
            ApplicationStatus::Approved
        ]
    );
    assert!(
        ApplicationStatus::Matched
            .withdrawal_refusal()
            .is_some_and(|it| it.contains("end the mentoring relationship instead"))
    );
}

#[test]
fn the_ethics_statement_is_due_until_accepted_where_the_scheme_asks_for_it() {
    let at = time::macros::datetime!(2026-11-23 09:00 UTC);
    let scotland = policy("police-scotland", "mentoring");
    let (answers, _) =
        parse_form(&mentor_form(), Role::Mentor, &scotland, &topics()).expect("valid form");
    let mut application = Application {
        id: ApplicationId(Uuid::nil()),
        scheme: SchemeId(Uuid::nil()),
        person: PersonId(Uuid::nil()),
        role: Role::Mentor,
        status: ApplicationStatus::Approved,
        answers,
        confidential: false,
        approver: None,
        decided_by: None,
        decision_reason: None,
        decided_at: None,
        statement_signed_at: None,
        agreement_signed_at: None,
        ethics_acknowledged_at: None,
        priority: 0,
        submitted_at: at,
        version: 1,
    };
    assert!(scotland.ethics_acknowledgement_required);
    assert!(ethics_due(&scotland, &application));
    application.status = ApplicationStatus::Withdrawn;
    assert!(!ethics_due(&scotland, &application), "not once it is over");
    application.status = ApplicationStatus::Approved;
    application.ethics_acknowledged_at = Some(at);
    assert!(!ethics_due(&scotland, &application));
    let mut not_asked = scotland;
    not_asked.ethics_acknowledgement_required = false;
    application.ethics_acknowledged_at = None;
    assert!(!ethics_due(&not_asked, &application));
}

#[test]
fn availability_reads_as_days_and_parts_of_the_day() {
    use crate::application::{AVAILABILITY_SLOTS, availability_words, slot_words};
    assert!(
        AVAILABILITY_SLOTS
            .iter()
            .all(|slot| slot_words(slot).is_some())
    );
    assert_eq!(
        availability_words(&["tue-pm".to_owned(), "thu-eve".to_owned()]),
        "Tuesday afternoon, Thursday evening"
    );
    assert_eq!(availability_words(&[]), "Not given");
    assert_eq!(slot_words("tue-noon"), None);
}
