//! The mentoring relationship (R6, R7, R8.1) on each backend: the introductory meeting face to
//! face, both going on, sessions booked and logged, GROW notes with optimistic concurrency,
//! goals the mentee leads, actions, the review at the third meeting, on hold and back, calendar
//! files that update the same entry, and nobody but the pair reading any of it.

use crate::applications::{PUBLIC_URL, coordinator_of, person, programme_running, unsent_to};
use crate::matching::{applied, in_mentoring, trained};
use std::sync::Arc;
use tandem_app::relationships::{self, ActionForm};
use tandem_app::{App, AppError, matching};
use tandem_core::FixedClock;
use tandem_core::MatchId;
use tandem_core::authz::Actor;
use tandem_core::eligibility::Role;
use tandem_core::pairing::MatchStatus;
use tandem_core::relationship::{GoalStatus, GrowNotes, HoldReason, MeetingForm, MeetingStatus};
use tandem_store::testing::on_each_backend;
use time::macros::{date, datetime};

/// Police Scotland: Fraser (sergeant) mentors Morag (constable); confirmed by the coordinator.
pub(crate) async fn confirmed_pair(app: &App) -> (MatchId, Actor, Actor, Actor) {
    programme_running(app).await;
    let coordinator = coordinator_of(app, "police-scotland", None).await;
    let sergeant = applied(app, "S6", Role::Mentor, "1").await;
    let morag = applied(app, "S5", Role::Mentee, "").await;
    trained(app, &coordinator, &[sergeant, morag]).await;
    let pair = matching::pick(app, &coordinator, in_mentoring(app).await, morag, sergeant)
        .await
        .unwrap()
        .pair;
    matching::confirm(app, &coordinator, pair.id, PUBLIC_URL)
        .await
        .unwrap();
    let mentor = person(app, "police-scotland", "S6").await;
    let mentee = person(app, "police-scotland", "S5").await;
    (pair.id, mentor, mentee, coordinator)
}

pub(crate) fn meeting(
    date: &str,
    time: &str,
    minutes: &str,
    mode: &str,
    place: &str,
) -> MeetingForm {
    MeetingForm {
        date: date.to_owned(),
        time: time.to_owned(),
        minutes: minutes.to_owned(),
        mode: mode.to_owned(),
        place: place.to_owned(),
    }
}

pub(crate) fn at(app: &App, when: time::OffsetDateTime) -> App {
    App::new(app.store.clone(), Arc::new(FixedClock::at(when)))
}

pub(crate) fn fields(error: AppError) -> Vec<&'static str> {
    match error {
        AppError::Invalid(problems) => problems.iter().map(|it| it.field).collect(),
        other => panic!("expected form problems, got {other}"),
    }
}

pub(crate) fn conflict(error: AppError) -> String {
    match error {
        AppError::Conflict(message) => message,
        other => panic!("expected a refusal, got {other}"),
    }
}

#[tokio::test]
async fn a_police_scotland_pair_meets_goes_on_and_keeps_their_sessions_in_confidence() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, mentor, mentee, coordinator) = confirmed_pair(&app).await;
        let page = relationships::page(&app, &mentee, id).await.unwrap();
        assert_eq!(page.relationship.pair.status, MatchStatus::Introductory);
        assert!(
            unsent_to(&app)
                .await
                .iter()
                .any(|(to, _, body)| to == "fraser@scotland.police.uk"
                    && body.contains("Please arrange your first, getting-to-know-you meeting")
                    && body.contains(&format!("/relationships/{id}"))),
            "the mentor is asked to arrange the first meeting"
        );

        // The first meeting is face to face here (R6.2), and the mentor arranges it.
        let video = meeting("2026-11-30", "10:00", "60", "video", "");
        assert_eq!(
            fields(
                relationships::arrange_introduction(&app, &mentor, id, &video, PUBLIC_URL)
                    .await
                    .unwrap_err()
            ),
            ["mode"]
        );
        let in_person = meeting(
            "2026-11-30",
            "10:00",
            "60",
            "in_person",
            "Inverness, room 4",
        );
        let refusal = conflict(
            relationships::arrange_introduction(&app, &mentee, id, &in_person, PUBLIC_URL)
                .await
                .unwrap_err(),
        );
        assert_eq!(refusal, "the mentor arranges the introductory meeting");
        let introduction =
            relationships::arrange_introduction(&app, &mentor, id, &in_person, PUBLIC_URL)
                .await
                .unwrap();
        assert_eq!(
            introduction.starts_at,
            datetime!(2026-11-30 10:00 UTC),
            "GMT in November"
        );
        let mail = unsent_to(&app).await;
        for to in ["fraser@scotland.police.uk", "morag@scotland.police.uk"] {
            assert!(
                mail.iter().any(|(recipient, subject, body)| recipient == to
                    && subject.starts_with("Arranged: your introductory meeting")
                    && body.contains("Monday 30 November 2026 at 10:00")
                    && body.contains(&format!("/meetings/{}/calendar.ics", introduction.id))),
                "{to} is told, with the calendar entry: {mail:#?}"
            );
        }
        let refusal = conflict(
            relationships::go_on(&app, &mentee, id, PUBLIC_URL)
                .await
                .unwrap_err(),
        );
        assert_eq!(
            refusal,
            "say whether you go on after the introductory meeting"
        );

        // A week later they have met; both go on, and the relationship starts.
        let later = at(&app, datetime!(2026-12-01 09:00 UTC));
        assert_eq!(
            relationships::go_on(&later, &mentee, id, PUBLIC_URL)
                .await
                .unwrap(),
            MatchStatus::Introductory
        );
        assert!(
            relationships::go_on(&later, &mentee, id, PUBLIC_URL)
                .await
                .is_err(),
            "once only"
        );
        assert_eq!(
            relationships::go_on(&later, &mentor, id, PUBLIC_URL)
                .await
                .unwrap(),
            MatchStatus::Active
        );
        let page = relationships::page(&later, &mentor, id).await.unwrap();
        let life = &page.relationship.pair.life;
        assert_eq!(
            (life.started_on, life.ends_on),
            (Some(date!(2026 - 12 - 01)), Some(date!(2027 - 12 - 01)))
        );
        assert_eq!(page.held, 1, "the introductory meeting counts as held");
        assert_eq!(page.meetings[0].status, MeetingStatus::Held);

        // Sessions: a booking is in the future; a session held is logged; lengths are the policy's.
        let past = meeting("2026-11-30", "10:00", "90", "video", "");
        assert_eq!(
            fields(
                relationships::book_session(&later, &mentee, id, &past, PUBLIC_URL)
                    .await
                    .unwrap_err()
            ),
            ["date"]
        );
        let too_long = meeting("2027-01-14", "10:00", "180", "video", "");
        assert_eq!(
            fields(
                relationships::book_session(&later, &mentee, id, &too_long, PUBLIC_URL)
                    .await
                    .unwrap_err()
            ),
            ["minutes"]
        );
        let booked = relationships::book_session(
            &later,
            &mentee,
            id,
            &meeting("2027-01-14", "10:00", "90", "video", ""),
            PUBLIC_URL,
        )
        .await
        .unwrap();
        relationships::log_session(
            &later,
            &mentor,
            id,
            &meeting("2026-11-28", "15:00", "60", "phone", ""),
        )
        .await
        .unwrap();
        let third = relationships::log_session(
            &later,
            &mentee,
            id,
            &meeting("2026-11-29", "15:00", "60", "in_person", "Inverness"),
        )
        .await
        .unwrap();
        let page = relationships::page(&later, &mentee, id).await.unwrap();
        assert_eq!(page.held, 3);
        assert!(
            page.review_due,
            "a review falls due at the third meeting (R7.3)"
        );
        relationships::record_review(
            &later,
            &mentee,
            id,
            "Passed the sergeants' exam",
            "Prepare for the board",
        )
        .await
        .unwrap();
        assert!(
            !relationships::page(&later, &mentee, id)
                .await
                .unwrap()
                .review_due
        );

        // GROW notes: the second writer is told when the first saved in between, and loses nothing.
        let notes = GrowNotes {
            goal: "Promotion board".to_owned(),
            reality: "Two months to go".to_owned(),
            options: "Mock interview; reading".to_owned(),
            way_ahead: "Mock interview on the 14th".to_owned(),
        };
        relationships::save_notes(&later, &mentor, third.id, &notes, None)
            .await
            .unwrap();
        let stale = relationships::save_notes(&later, &mentee, third.id, &notes, None)
            .await
            .unwrap_err();
        assert!(
            conflict(stale)
                .starts_with("the other member changed the meeting's notes since you opened it")
        );
        let version = relationships::page(&later, &mentee, id)
            .await
            .unwrap()
            .notes[&third.id]
            .version;
        relationships::save_notes(
            &later,
            &mentee,
            third.id,
            &GrowNotes {
                way_ahead: "Mock interview on the 15th".to_owned(),
                ..notes.clone()
            },
            Some(version),
        )
        .await
        .unwrap();

        // Goals: the mentee leads. Actions: both, with an owner.
        assert!(
            conflict(
                relationships::add_goal(&later, &mentor, id, "Pass the board")
                    .await
                    .unwrap_err()
            )
            .contains("the mentee sets the goals")
        );
        let goal = relationships::add_goal(&later, &mentee, id, "Pass the board")
            .await
            .unwrap();
        relationships::set_goal_status(
            &later,
            &mentee,
            id,
            goal.id,
            GoalStatus::Achieved.as_str(),
            goal.version,
        )
        .await
        .unwrap();
        let bad = ActionForm {
            text: "Book a mock interview".to_owned(),
            owner: "coordinator".to_owned(),
            due_on: "14/01/2027".to_owned(),
            meeting: None,
        };
        assert_eq!(
            fields(
                relationships::add_action(&later, &mentor, id, &bad)
                    .await
                    .unwrap_err()
            ),
            ["owner", "due_on"]
        );
        let action = relationships::add_action(
            &later,
            &mentor,
            id,
            &ActionForm {
                owner: "mentor".to_owned(),
                due_on: "2027-01-14".to_owned(),
                ..bad
            },
        )
        .await
        .unwrap();
        relationships::set_action_done(&later, &mentee, id, action.id, true, action.version)
            .await
            .unwrap();
        let page = relationships::page(&later, &mentee, id).await.unwrap();
        assert_eq!(page.goals[0].status, GoalStatus::Achieved);
        assert!(page.actions[0].done);

        // Parental leave: on hold, no sessions, then back.
        relationships::hold(&later, &mentee, id, HoldReason::ParentalLeave, PUBLIC_URL)
            .await
            .unwrap();
        let refusal = conflict(
            relationships::book_session(
                &later,
                &mentor,
                id,
                &meeting("2027-02-01", "10:00", "60", "video", ""),
                PUBLIC_URL,
            )
            .await
            .unwrap_err(),
        );
        assert!(refusal.contains("on hold"), "{refusal}");
        relationships::resume(&later, &mentor, id, PUBLIC_URL)
            .await
            .unwrap();

        // The calendar entry keeps its UID and moves its sequence on when it changes.
        let (name, ics) = relationships::invitation(&later, &mentee, booked.id)
            .await
            .unwrap();
        assert_eq!(name, "mentoring-session-2027-01-14.ics");
        for line in [
            format!("UID:{}@tandem", booked.id),
            "SEQUENCE:0".to_owned(),
            "DTSTART:20270114T100000Z".to_owned(),
            "DTEND:20270114T113000Z".to_owned(),
            "STATUS:CONFIRMED".to_owned(),
        ] {
            assert!(ics.contains(&line), "{line} in {ics}");
        }
        relationships::cancel_meeting(&later, &mentor, booked.id, PUBLIC_URL)
            .await
            .unwrap();
        let (_, ics) = relationships::invitation(&later, &mentor, booked.id)
            .await
            .unwrap();
        assert!(
            ics.contains(&format!("UID:{}@tandem", booked.id))
                && ics.contains("SEQUENCE:1")
                && ics.contains("STATUS:CANCELLED"),
            "{ics}"
        );

        // Nobody but the pair reads any of it: not the coordinator, not an operator.
        for outsider in [coordinator.clone(), crate::operator(), Actor::System] {
            assert!(
                matches!(
                    relationships::page(&later, &outsider, id).await,
                    Err(AppError::Denied(_))
                ),
                "{outsider:?}"
            );
            assert!(matches!(
                relationships::invitation(&later, &outsider, booked.id).await,
                Err(AppError::Denied(_))
            ));
            assert!(matches!(
                relationships::add_goal(&later, &outsider, id, "snoop").await,
                Err(AppError::Denied(_))
            ));
        }
    })
    .await;
}

#[tokio::test]
async fn the_mentor_may_decline_after_the_introductory_meeting_and_the_mentee_is_matched_again() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, mentor, mentee, _) = confirmed_pair(&app).await;
        relationships::arrange_introduction(
            &app,
            &mentor,
            id,
            &meeting("2026-11-30", "10:00", "60", "in_person", "Inverness"),
            PUBLIC_URL,
        )
        .await
        .unwrap();
        let later = at(&app, datetime!(2026-12-01 09:00 UTC));
        assert_eq!(
            fields(
                relationships::stop_after_introduction(&later, &mentor, id, "  ", PUBLIC_URL)
                    .await
                    .unwrap_err()
            ),
            ["reason"]
        );
        relationships::stop_after_introduction(
            &later,
            &mentor,
            id,
            "We work too closely together",
            PUBLIC_URL,
        )
        .await
        .unwrap();
        let mine = relationships::mine(&later, &mentee).await.unwrap();
        assert_eq!(mine[0].view.pair.status, MatchStatus::Declined);
        let own = tandem_app::applications::mine(&later, &mentee)
            .await
            .unwrap();
        assert_eq!(
            own[0].application.status,
            tandem_core::application::ApplicationStatus::Approved,
            "back on the waiting list"
        );
        assert!(
            unsent_to(&later).await.iter().any(|(to, subject, body)| to
                == "morag@scotland.police.uk"
                && subject.contains("will not go on")
                && body.contains("back on the waiting list")
                && !body.contains("too closely")),
            "the mentee is told, without the reason"
        );
        let refusal = conflict(
            relationships::go_on(&later, &mentee, id, PUBLIC_URL)
                .await
                .unwrap_err(),
        );
        assert_eq!(refusal, "the pair was declined; nothing can be changed");
    })
    .await;
}

#[tokio::test]
async fn a_relationship_closes_when_both_have_reviewed_and_evaluated_and_the_coordinator_hears_only_that()
 {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, mentor, mentee, _) = confirmed_pair(&app).await;
        // Iona runs the programme.
        let Actor::Person {
            id: iona,
            organisation,
            ..
        } = person(&app, "police-scotland", "S1").await
        else {
            unreachable!("a person")
        };
        tandem_app::roles::grant(
            &app,
            &crate::operator(),
            iona,
            tandem_core::authz::Grant {
                role: tandem_core::authz::StaffRole::Coordinator,
                scope: tandem_core::authz::Scope::Organisation(organisation),
            },
        )
        .await
        .unwrap();
        relationships::arrange_introduction(
            &app,
            &mentor,
            id,
            &meeting("2026-11-30", "10:00", "60", "in_person", "Inverness"),
            PUBLIC_URL,
        )
        .await
        .unwrap();
        let later = at(&app, datetime!(2026-12-01 09:00 UTC));
        for member in [&mentee, &mentor] {
            relationships::go_on(&later, member, id, PUBLIC_URL)
                .await
                .unwrap();
        }
        let refusal = conflict(
            relationships::write_closing_review(&later, &mentee, id, "a", "b", PUBLIC_URL)
                .await
                .unwrap_err(),
        );
        assert_eq!(refusal, "start closing the relationship first");
        relationships::start_closing(&later, &mentor, id, PUBLIC_URL)
            .await
            .unwrap();
        assert!(
            conflict(
                relationships::book_session(
                    &later,
                    &mentee,
                    id,
                    &meeting("2027-01-14", "10:00", "60", "video", ""),
                    PUBLIC_URL
                )
                .await
                .unwrap_err()
            )
            .contains("closing")
        );

        let secret = "WORDS-ONLY-THE-PAIR-SEE";
        relationships::write_closing_review(
            &later,
            &mentee,
            id,
            secret,
            "Keep the study group going",
            PUBLIC_URL,
        )
        .await
        .unwrap();
        assert!(
            conflict(
                relationships::write_closing_review(
                    &later, &mentee, id, "again", "again", PUBLIC_URL
                )
                .await
                .unwrap_err()
            )
            .contains("already")
        );
        let answers = |scores: [&'static str; 4], text: &'static str| {
            move |field: &str| match field {
                "answer-1" => scores[0].to_owned(),
                "answer-2" => scores[1].to_owned(),
                "answer-3" => scores[2].to_owned(),
                "answer-4" => scores[3].to_owned(),
                "answer-5" | "answer-6" => text.to_owned(),
                _ => String::new(),
            }
        };
        assert_eq!(
            fields(
                relationships::answer_evaluation(
                    &later,
                    &mentee,
                    id,
                    answers(["5", "", "9", "4"], secret),
                    PUBLIC_URL
                )
                .await
                .unwrap_err()
            ),
            ["answer-2", "answer-3"],
            "every score is 1 to 5"
        );
        relationships::answer_evaluation(
            &later,
            &mentee,
            id,
            answers(["5", "4", "3", "5"], secret),
            PUBLIC_URL,
        )
        .await
        .unwrap();
        let page = relationships::page(&later, &mentee, id).await.unwrap();
        assert_eq!(
            page.relationship.pair.status,
            MatchStatus::Closing,
            "the mentor has not written yet"
        );
        let mine = relationships::own_evaluation(&later, &mentee, id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            mine[0],
            (
                "goals".to_owned(),
                tandem_core::relationship::Answer::Score(5)
            )
        );
        assert_eq!(
            relationships::own_evaluation(&later, &mentor, id)
                .await
                .unwrap(),
            None,
            "the partner never sees them"
        );

        relationships::write_closing_review(
            &later,
            &mentor,
            id,
            "Grew in confidence",
            "Monthly coffee",
            PUBLIC_URL,
        )
        .await
        .unwrap();
        relationships::answer_evaluation(
            &later,
            &mentor,
            id,
            answers(["4", "4", "4", "4"], ""),
            PUBLIC_URL,
        )
        .await
        .unwrap();
        let page = relationships::page(&later, &mentor, id).await.unwrap();
        assert_eq!(page.relationship.pair.status, MatchStatus::Closed);
        assert!(page.relationship.pair.life.closed_at.is_some());
        assert_eq!(
            conflict(
                relationships::add_action(
                    &later,
                    &mentor,
                    id,
                    &ActionForm {
                        text: "x".to_owned(),
                        owner: "mentor".to_owned(),
                        ..ActionForm::default()
                    }
                )
                .await
                .unwrap_err()
            ),
            "the relationship is closed; nothing can be changed"
        );

        let mail = unsent_to(&later).await;
        let told = mail
            .iter()
            .find(|(to, subject, _)| {
                to == "iona@scotland.police.uk"
                    && subject.starts_with("A mentoring relationship in")
            })
            .expect("the coordinator is told");
        assert!(told.1.contains("has closed") && told.2.contains("stays between them"));
        assert!(
            mail.iter().all(|(_, _, body)| !body.contains(secret)),
            "no email carries what they wrote"
        );
    })
    .await;
}

#[tokio::test]
async fn coordinators_see_state_dates_and_meetings_and_never_what_the_pair_wrote() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, mentor, mentee, coordinator) = confirmed_pair(&app).await;
        relationships::arrange_introduction(&app, &mentor, id, &meeting("2026-11-30", "10:00", "60", "in_person", "CANARY-PLACE"), PUBLIC_URL)
            .await
            .unwrap();
        let later = at(&app, datetime!(2026-12-01 09:00 UTC));
        for member in [&mentee, &mentor] {
            relationships::go_on(&later, member, id, PUBLIC_URL).await.unwrap();
        }
        relationships::book_session(&later, &mentee, id, &meeting("2027-01-14", "10:00", "60", "video", "CANARY-LINK"), PUBLIC_URL).await.unwrap();
        relationships::add_goal(&later, &mentee, id, "CANARY-GOAL").await.unwrap();
        let scotland = crate::matching::scotland(&later).await;
        let key = crate::matching::mentoring();

        let list = relationships::of_scheme(&later, &coordinator, scotland, &key, &relationships::RelationshipFilter::default(), 1)
            .await
            .unwrap();
        assert_eq!(list.rows.len(), 1);
        let row = &list.rows[0];
        assert_eq!((row.pair.status, row.held), (MatchStatus::Active, 1));
        assert_eq!(row.last_held, Some(datetime!(2026-11-30 10:00 UTC)));
        assert_eq!(row.next_booked, Some(datetime!(2027-01-14 10:00 UTC)));
        assert_eq!(list.divisions, ["Highland"]);

        // A champion of another division reaches none of it; a participant reaches nothing.
        let tayside = coordinator_of(&later, "police-scotland", Some("Tayside")).await;
        let theirs = relationships::of_scheme(&later, &tayside, scotland, &key, &relationships::RelationshipFilter::default(), 1)
            .await
            .unwrap();
        assert!(theirs.rows.is_empty(), "Morag is in Highland");
        let highland = coordinator_of(&later, "police-scotland", Some("Highland")).await;
        assert_eq!(relationships::of_scheme(&later, &highland, scotland, &key, &relationships::RelationshipFilter::default(), 1).await.unwrap().rows.len(), 1);
        assert!(matches!(
            relationships::of_scheme(&later, &mentee, scotland, &key, &relationships::RelationshipFilter::default(), 1).await,
            Err(AppError::Denied(_))
        ));
        let on_hold = relationships::RelationshipFilter { state: Some(MatchStatus::OnHold), division: None };
        assert!(relationships::of_scheme(&later, &coordinator, scotland, &key, &on_hold, 1).await.unwrap().rows.is_empty());

        let csv = relationships::export_csv(&later, &crate::operator(), &tandem_core::domain::OrgCode::parse("police-scotland").unwrap(), Some(&key))
            .await
            .unwrap();
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("# OFFICIAL"));
        assert_eq!(
            lines.next(),
            Some("scheme,state,mentor_staff_number,mentor_name,mentee_staff_number,mentee_name,mentee_division,confirmed_on,started_on,ends_on,sessions_held,last_session_on,next_session_on,review_due,on_hold_because,flags_open")
        );
        assert_eq!(lines.next(), Some("mentoring,active,S6,Fraser Doig,S5,Morag Kerr,Highland,2026-11-23,2026-12-01,2027-12-01,1,2026-11-30,2027-01-14,no,,0"));
        assert!(!csv.contains("CANARY"), "no content in the export");
    })
    .await;
}
