//! Which training a role needs, refresher dates, and who moves up a workshop's waiting list.

use super::*;
use crate::programme::presets;
use time::macros::{date, datetime};
use uuid::Uuid;

fn policy(preset: &str, scheme: &str) -> SchemePolicy {
    presets::load(preset)
        .expect("the preset ships")
        .expect("the preset is valid")
        .schemes
        .into_iter()
        .find(|it| it.key.as_ref() == scheme)
        .expect("the preset has the scheme")
        .policy
}

#[test]
fn each_programme_requires_the_training_its_documents_name() {
    let scotland = policy("police-scotland", "mentoring");
    assert_eq!(
        required_training(&scotland, Role::Mentee),
        Some("Moodle mentoring module")
    );
    assert!(blocks_matching(&scotland, Role::Mentor));
    let cleveland = policy("cleveland", "traditional");
    assert!(required_training(&cleveland, Role::Mentor).is_some());
    assert_eq!(required_training(&cleveland, Role::Mentee), None);
}

#[test]
fn a_refresher_falls_due_the_set_number_of_months_later() {
    let cleveland = policy("cleveland", "traditional");
    assert_eq!(cleveland.training.refresher_months, Some(24));
    assert_eq!(
        refresher_due(&cleveland, date!(2026 - 02 - 28)),
        Some(date!(2028 - 02 - 28))
    );
    let mut monthly = cleveland.clone();
    monthly.training.refresher_months = Some(13);
    assert_eq!(
        refresher_due(&monthly, date!(2026 - 01 - 31)),
        Some(date!(2027 - 02 - 28)),
        "the end of a shorter month stands in for the day"
    );
    assert_eq!(
        refresher_due(
            &policy("police-scotland", "mentoring"),
            date!(2026 - 01 - 31)
        ),
        None
    );
}

fn booking(
    n: u128,
    status: BookingStatus,
    priority: i32,
    day: u8,
    partner: Option<u128>,
) -> Booking {
    Booking {
        id: BookingId(Uuid::from_u128(n)),
        workshop: WorkshopId(Uuid::from_u128(1000)),
        person: PersonId(Uuid::from_u128(n)),
        status,
        priority,
        requested_at: datetime!(2026-11-01 09:00 UTC) + time::Duration::days(i64::from(day)),
        partner: partner.map(|it| PersonId(Uuid::from_u128(it))),
    }
}

fn ids(promoted: &[BookingId]) -> Vec<u128> {
    promoted.iter().map(|it| it.0.as_u128()).collect()
}

#[test]
fn free_places_go_to_the_waiting_list_by_priority_then_date() {
    use BookingStatus::{Attended, Booked, Cancelled, Waiting};
    let cases: Vec<(&str, u32, Vec<Booking>, Vec<u128>)> = vec![
        (
            "full: nobody moves",
            2,
            vec![
                booking(1, Booked, 0, 0, None),
                booking(2, Attended, 0, 0, None),
                booking(3, Waiting, 0, 1, None),
            ],
            vec![],
        ),
        (
            "a cancellation frees one place",
            2,
            vec![
                booking(1, Booked, 0, 0, None),
                booking(2, Cancelled, 0, 0, None),
                booking(3, Waiting, 0, 2, None),
                booking(4, Waiting, 0, 1, None),
            ],
            vec![4],
        ),
        (
            "EDI priority goes first",
            1,
            vec![
                booking(3, Waiting, 0, 1, None),
                booking(4, Waiting, 1, 5, None),
            ],
            vec![4],
        ),
        (
            "a joint pair moves together",
            2,
            vec![
                booking(5, Waiting, 0, 1, Some(6)),
                booking(6, Waiting, 0, 1, Some(5)),
                booking(7, Waiting, 0, 0, None),
            ],
            vec![7],
        ),
        (
            "a pair fits in two places",
            3,
            vec![
                booking(5, Waiting, 0, 1, Some(6)),
                booking(6, Waiting, 0, 1, Some(5)),
                booking(7, Waiting, 0, 0, None),
            ],
            vec![7, 5, 6],
        ),
        (
            "a pair that does not fit lets the next one in",
            1,
            vec![
                booking(5, Waiting, 0, 0, Some(6)),
                booking(6, Waiting, 0, 0, Some(5)),
                booking(7, Waiting, 0, 3, None),
            ],
            vec![7],
        ),
    ];
    for (case, capacity, bookings, expected) in cases {
        assert_eq!(ids(&to_promote(capacity, &bookings)), expected, "{case}");
    }
}

#[test]
fn a_refresher_is_asked_for_a_month_before_and_has_run_out_from_its_date() {
    let cleveland = policy("cleveland", "traditional");
    let completed = date!(2025 - 03 - 10);
    let state = |today| refresher_state(&cleveland, completed, today);
    assert_eq!(state(date!(2027 - 02 - 07)), None);
    assert_eq!(
        state(date!(2027 - 02 - 08)),
        Some((Refresher::DueSoon, date!(2027 - 03 - 10)))
    );
    assert_eq!(
        state(date!(2027 - 03 - 09)),
        Some((Refresher::DueSoon, date!(2027 - 03 - 10)))
    );
    assert_eq!(
        state(date!(2027 - 03 - 10)),
        Some((Refresher::RunOut, date!(2027 - 03 - 10)))
    );
    assert_eq!(
        refresher_state(
            &policy("police-scotland", "mentoring"),
            completed,
            date!(2030 - 01 - 01)
        ),
        None,
        "no refreshers asked for"
    );
}

#[test]
fn a_support_group_falls_due_six_months_after_the_last_or_after_mentoring_began() {
    use crate::training::{SupportGroupDue, support_group_due};
    let cleveland = policy("cleveland", "traditional");
    let began = Some(date!(2026 - 11 - 23));
    // (case, last group, mentoring since, today, expected)
    let cases = [
        (
            "nobody mentoring yet",
            None,
            None,
            date!(2030 - 01 - 01),
            None,
        ),
        ("five months in", None, began, date!(2027 - 04 - 22), None),
        (
            "a month before six months",
            None,
            began,
            date!(2027 - 04 - 23),
            Some((SupportGroupDue::DueSoon, date!(2027 - 05 - 23))),
        ),
        (
            "six months on, none held",
            None,
            began,
            date!(2027 - 05 - 23),
            Some((SupportGroupDue::Overdue, date!(2027 - 05 - 23))),
        ),
        (
            "one is scheduled ahead",
            Some(date!(2027 - 06 - 10)),
            began,
            date!(2027 - 05 - 30),
            None,
        ),
        (
            "counted from the last group, not from the start",
            Some(date!(2027 - 06 - 10)),
            began,
            date!(2027 - 11 - 10),
            Some((SupportGroupDue::DueSoon, date!(2027 - 12 - 10))),
        ),
        (
            "31 August and six months is the last day of February",
            Some(date!(2027 - 08 - 31)),
            began,
            date!(2028 - 02 - 29),
            Some((SupportGroupDue::Overdue, date!(2028 - 02 - 29))),
        ),
    ];
    for (case, last, since, today, expected) in cases {
        assert_eq!(
            support_group_due(&cleveland, last, since, today),
            expected,
            "{case}"
        );
    }
    assert_eq!(
        support_group_due(
            &policy("police-scotland", "mentoring"),
            None,
            began,
            date!(2030 - 01 - 01)
        ),
        None,
        "no support groups asked for"
    );
}
