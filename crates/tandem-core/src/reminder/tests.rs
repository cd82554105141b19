//! The reminder rules walked through two years, day by day: each reminder falls due on the day
//! its rule says, once per occasion, and only while the relationship's state calls for it.

use super::*;
use crate::programme::presets;
use std::collections::BTreeMap;
use time::macros::{date, datetime};

fn scotland() -> SchemePolicy {
    presets::load("police-scotland")
        .unwrap()
        .unwrap()
        .schemes
        .remove(0)
        .policy
}

/// What a pair does on a given day of the walk, relative to the day it was confirmed.
struct Story {
    arranged_on: u32,
    met_on: u32,
    sessions: Vec<u32>,
    reviewed_on: Vec<(u32, u32)>,
    kept_open_on: Option<u32>,
}

/// Walks `story` through two years and returns, for each key that fell due, the first day.
fn walk(policy: &SchemePolicy, story: &Story) -> BTreeMap<u32, Vec<String>> {
    let confirmed = datetime!(2027-01-04 09:00 UTC);
    let day = |n: u32| confirmed + Duration::days(i64::from(n));
    let mut seen = std::collections::HashSet::new();
    let mut first: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for today in 0..730 {
        let now = day(today) + Duration::hours(1);
        let started_on = (today >= story.met_on).then(|| day(story.met_on).date());
        let held_days: Vec<u32> = std::iter::once(story.met_on)
            .chain(story.sessions.iter().copied())
            .filter(|it| *it <= today)
            .collect();
        let snapshot = Snapshot {
            status: if started_on.is_some() {
                MatchStatus::Active
            } else {
                MatchStatus::Introductory
            },
            confirmed_at: Some(confirmed),
            started_on,
            ends_on: started_on.map(|it| crate::relationship::planned_end(policy, it).unwrap()),
            introduction_arranged: today >= story.arranged_on,
            last_held: held_days.last().map(|it| day(*it)),
            booked_ahead: false,
            held: u32::try_from(held_days.len()).unwrap(),
            last_review_at: story
                .reviewed_on
                .iter()
                .filter(|(on, _)| *on <= today)
                .map(|(_, at)| *at)
                .max(),
            kept_open_at: story.kept_open_on.filter(|it| *it <= today).map(day),
        };
        for due in due_now(policy, &snapshot, now, now.date()) {
            if seen.insert(due.key.clone()) {
                first.entry(today).or_default().push(due.key);
            }
        }
    }
    first
}

#[test]
fn a_police_scotland_relationship_is_reminded_on_the_days_its_policy_says_and_once_each() {
    // Confirmed on 4 January 2027. The mentor arranges the first meeting only after the
    // coordinators were told; the pair meet on day 40, hold three sessions six weeks apart, then
    // stop meeting and are reminded, warned and proposed for closure; the final-meeting review
    // falls due when the end is nearer than the eight-week gap; a coordinator keeps it open, it
    // reaches its end date and, past it, nobody is asked to book sessions. Check-ins open 30
    // days after it went active (day 70), then every 60 days while it is active.
    let story = Story {
        arranged_on: 30,
        met_on: 40,
        sessions: vec![82, 124, 166],
        reviewed_on: vec![(125, 3)],
        kept_open_on: Some(400),
    };
    let timeline = walk(&scotland(), &story);
    let lines: Vec<String> = timeline
        .iter()
        .map(|(day, keys)| format!("day {day}: {}", keys.join(", ")))
        .collect();
    expect_test::expect![[r#"
        day 14: first_meeting:mentor:confirmed
        day 28: first_meeting_overdue:coordinators:confirmed
        day 70: pulse:pair:1
        day 124: review_due:pair:3
        day 130: pulse:pair:2
        day 190: pulse:pair:3
        day 222: book_session:pair:2027-06-19
        day 250: inactive:pair:2027-06-19, pulse:pair:4
        day 278: inactive_coordinators:coordinators:2027-06-19
        day 310: pulse:pair:5
        day 348: propose_closure:coordinators:2027-06-19
        day 349: review_due:pair:4
        day 370: pulse:pair:6
        day 375: end_approaching:pair:2028-02-13
        day 405: end_reached:pair:2028-02-13, end_reached:coordinators:2028-02-13
    "#]]
    .assert_eq(&(lines.join("\n") + "\n"));
}

fn active_since(started: Date, ends: Date, last_held: OffsetDateTime) -> Snapshot {
    Snapshot {
        status: MatchStatus::Active,
        confirmed_at: Some(started.midnight().assume_utc()),
        started_on: Some(started),
        ends_on: Some(ends),
        introduction_arranged: true,
        last_held: Some(last_held),
        booked_ahead: false,
        held: 2,
        last_review_at: None,
        kept_open_at: None,
    }
}

#[test]
fn a_booking_ahead_a_pause_or_an_extension_changes_what_is_due() {
    let policy = scotland();
    let now = datetime!(2027-09-25 09:00 UTC);
    let today = now.date();
    let quiet = active_since(
        date!(2027 - 01 - 01),
        date!(2028 - 01 - 01),
        datetime!(2027-06-01 10:00 UTC),
    );
    // The pulse check-ins follow their own calendar (`pulse::open_round`); asked apart below.
    let keys = |snapshot: &Snapshot, today: Date| -> Vec<String> {
        due_now(&policy, snapshot, now, today)
            .into_iter()
            .map(|it| it.key)
            .filter(|it| !it.starts_with("pulse:"))
            .collect()
    };
    let pulses = |snapshot: &Snapshot| -> Vec<String> {
        due_now(&policy, snapshot, now, today)
            .into_iter()
            .map(|it| it.key)
            .filter(|it| it.starts_with("pulse:"))
            .collect()
    };
    assert_eq!(pulses(&quiet), ["pulse:pair:4"], "active for 267 days");
    assert_eq!(
        keys(&quiet, today),
        [
            "book_session:pair:2027-06-01",
            "inactive:pair:2027-06-01",
            "inactive_coordinators:coordinators:2027-06-01"
        ]
    );
    let booked = Snapshot {
        booked_ahead: true,
        ..quiet.clone()
    };
    assert!(keys(&booked, today).is_empty(), "a session is booked");
    let paused = Snapshot {
        status: MatchStatus::OnHold,
        ..quiet.clone()
    };
    assert!(
        keys(&paused, today).is_empty(),
        "on hold: nothing is expected"
    );
    assert!(pulses(&paused).is_empty(), "on hold: no check-ins");
    // Near the end, on hold or not, the pair is asked; an agreed extension is a new occasion.
    let near = date!(2027 - 12 - 10);
    assert!(keys(&paused, near).contains(&"end_approaching:pair:2028-01-01".to_owned()));
    let extended = Snapshot {
        ends_on: Some(date!(2028 - 06 - 30)),
        ..paused
    };
    assert!(keys(&extended, near).is_empty());
    assert_eq!(
        keys(&extended, date!(2028 - 06 - 01)),
        ["end_approaching:pair:2028-06-30"]
    );
    // Closed, withdrawn or declined relationships are left alone.
    for status in [
        MatchStatus::Closed,
        MatchStatus::Withdrawn,
        MatchStatus::Declined,
    ] {
        let over = Snapshot {
            status,
            ..quiet.clone()
        };
        assert!(keys(&over, date!(2028 - 02 - 01)).is_empty(), "{status}");
    }
}

#[test]
fn a_care_policy_out_of_range_is_refused_naming_the_field() {
    let mut policy = scotland();
    policy.care.first_meeting_days = 0;
    policy.care.first_meeting_escalate_days = 0;
    policy.care.closure_after_weeks = 200;
    let fields: Vec<String> = policy.problems().into_iter().map(|it| it.field).collect();
    assert!(
        fields.contains(&"care.first_meeting_days".to_owned()),
        "{fields:?}"
    );
    assert!(
        fields.contains(&"care.closure_after_weeks".to_owned()),
        "{fields:?}"
    );
}
