//! The reminder sweep on each backend: each reminder is recorded and emailed once, whether the
//! sweep runs again or twice at the same moment; coordinators hear what needs them and see it on
//! the needs-attention list, where keeping a quiet relationship open starts its clock again;
//! people who are no longer serving are sent nothing.

use crate::applications::{PUBLIC_URL, unsent_to};
use crate::relationship_care::{active_pair, stored_coordinator};
use crate::relationships::{at, confirmed_pair, fields};
use tandem_app::App;
use tandem_app::reminders::{self, SweepReport};
use tandem_core::reminder::Nudge;
use tandem_store::testing::on_each_backend;
use time::macros::datetime;

fn sent(report: &SweepReport, nudge: &str) -> usize {
    report.sent.get(nudge).copied().unwrap_or(0)
}

/// The reminders emailed to `to` (the emails of the relationship's own moves left out).
async fn subjects_to(app: &App, to: &str) -> Vec<String> {
    let reminders = [
        "Please arrange",
        "No first meeting",
        "Time to book",
        "A progress review",
        "Your mentoring relationship ends",
        "Your mentoring relationship has reached",
        "No mentoring session",
        "Proposed for closure",
    ];
    unsent_to(app)
        .await
        .into_iter()
        .filter(|(recipient, subject, _)| {
            recipient == to && reminders.iter().any(|it| subject.starts_with(it))
        })
        .map(|(_, subject, _)| subject)
        .collect()
}

#[tokio::test]
async fn a_sweep_sends_each_reminder_once_however_often_it_runs() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        // Confirmed on 23 November 2026; nobody arranges the first meeting.
        let (_, _, _, _) = confirmed_pair(&app).await;
        stored_coordinator(&app).await;
        let early = reminders::sweep(&app, datetime!(2026-11-30 09:00 UTC), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(early.total(), 0, "a week is not yet two");
        let at_two_weeks = datetime!(2026-12-08 09:00 UTC);
        let first = reminders::sweep(&app, at_two_weeks, PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(sent(&first, "first_meeting"), 1);
        assert_eq!(
            subjects_to(&app, "fraser@scotland.police.uk").await,
            ["Please arrange your first meeting with Morag Kerr"]
        );
        let again = reminders::sweep(&app, at_two_weeks, PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(again.total(), 0, "nothing twice");
        let later = reminders::sweep(&app, datetime!(2026-12-22 09:00 UTC), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(sent(&later, "first_meeting"), 0);
        assert_eq!(sent(&later, "first_meeting_overdue"), 1);
        assert_eq!(
            subjects_to(&app, "iona@scotland.police.uk").await,
            ["No first meeting yet for Fraser Doig and Morag Kerr"]
        );
        let body = unsent_to(&app)
            .await
            .into_iter()
            .find(|(to, subject, _)| {
                to == "iona@scotland.police.uk" && subject.starts_with("No first")
            })
            .unwrap()
            .2;
        assert!(body.contains("/schemes/mentoring/attention"), "{body}");
    })
    .await;
}

#[tokio::test]
async fn two_sweeps_at_the_same_moment_send_each_reminder_once() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        confirmed_pair(&app).await;
        let now = datetime!(2026-12-08 09:00 UTC);
        let (one, two) = tokio::join!(
            reminders::sweep(&app, now, PUBLIC_URL),
            reminders::sweep(&app, now, PUBLIC_URL)
        );
        let (one, two) = (one.unwrap(), two.unwrap());
        assert_eq!(one.total() + two.total(), 1, "{one:?} {two:?}");
        assert_eq!(
            subjects_to(&app, "fraser@scotland.police.uk").await.len(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn a_quiet_relationship_is_proposed_for_closure_and_kept_open_with_a_reason() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        // Met on 30 November 2026, active from 1 December; then nothing.
        let (id, mentor, mentee, _) = active_pair(&app).await;
        let coordinator = stored_coordinator(&app).await;
        let quiet = at(&app, datetime!(2027-06-15 09:00 UTC));
        let report = reminders::sweep(&quiet, quiet.clock.now(), PUBLIC_URL)
            .await
            .unwrap();
        for nudge in [
            "book_session",
            "inactive",
            "inactive_coordinators",
            "propose_closure",
        ] {
            assert_eq!(sent(&report, nudge), 1, "{nudge} in {report:?}");
        }
        let pair_mail = subjects_to(&quiet, "morag@scotland.police.uk").await;
        assert!(pair_mail.contains(&"Time to book your next mentoring session".to_owned()));
        assert!(
            subjects_to(&quiet, "iona@scotland.police.uk")
                .await
                .contains(&"Proposed for closure: Fraser Doig and Morag Kerr".to_owned())
        );

        let scotland = crate::matching::scotland(&quiet).await;
        let key = crate::matching::mentoring();
        let (_, listed) = reminders::needs_attention(&quiet, &coordinator, scotland, &key)
            .await
            .unwrap();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].nudges.contains(&Nudge::ProposeClosure));
        assert!(listed[0].nudges.contains(&Nudge::InactiveToCoordinators));
        // The pair sees none of this list; a coordinator keeps it open only with a reason.
        assert!(
            reminders::needs_attention(&quiet, &mentee, scotland, &key)
                .await
                .is_err()
        );
        assert!(
            reminders::keep_open(&quiet, &mentor, id, "We are fine")
                .await
                .is_err()
        );
        assert_eq!(
            fields(
                reminders::keep_open(&quiet, &coordinator, id, " ")
                    .await
                    .unwrap_err()
            ),
            ["reason"]
        );
        reminders::keep_open(&quiet, &coordinator, id, "Mentee on a course until July")
            .await
            .unwrap();
        let (_, listed) = reminders::needs_attention(&quiet, &coordinator, scotland, &key)
            .await
            .unwrap();
        // Kept open, its quiet time counts from today; what still lists it is that neither
        // member has answered a check-in.
        assert_eq!(listed.len(), 1);
        assert!(listed[0].nudges.is_empty(), "kept open: {listed:?}");
        assert_eq!(listed[0].risks, [tandem_core::pulse::Risk::Silent]);
        // Quiet again long after: a new occasion, proposed again.
        let later = at(&app, datetime!(2027-11-20 09:00 UTC));
        let report = reminders::sweep(&later, later.clock.now(), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(
            sent(&report, "propose_closure"),
            0,
            "the end date comes first"
        );
        assert_eq!(sent(&report, "end_approaching"), 1);
    })
    .await;
}

#[tokio::test]
async fn someone_no_longer_serving_is_sent_nothing() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (_, _, mentee, _) = active_pair(&app).await;
        let person = mentee.person().unwrap();
        let mut tx = app.store.begin_write().await.unwrap();
        let held = tx.person(person).await.unwrap();
        let mut record = held.record.clone();
        record.employment_status = tandem_core::domain::EmploymentStatus::Leaver;
        tx.update_person(person, &record, None, datetime!(2026-12-02 09:00 UTC))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let quiet = at(&app, datetime!(2027-02-01 09:00 UTC));
        let report = reminders::sweep(&quiet, quiet.clock.now(), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(sent(&report, "book_session"), 1);
        assert_eq!(
            subjects_to(&quiet, "fraser@scotland.police.uk").await,
            ["Time to book your next mentoring session"]
        );
        assert!(
            subjects_to(&quiet, "morag@scotland.police.uk")
                .await
                .is_empty()
        );
    })
    .await;
}

/// Turns the line manager's digest on or off for the organisation `code`, as its administrator
/// would.
async fn line_manager_digest(app: &App, code: &str, on: bool) {
    let organisation = tandem_app::organisations::by_code(
        app,
        &tandem_core::domain::OrgCode::parse(code).unwrap(),
    )
    .await
    .unwrap()
    .id;
    let (held, version) =
        tandem_app::organisations::settings(app, &crate::operator(), organisation)
            .await
            .unwrap();
    tandem_app::organisations::update_settings(
        app,
        &crate::operator(),
        organisation,
        version,
        tandem_app::organisations::SettingsChanges {
            name: held.name.clone(),
            protective_marking: held.protective_marking.to_string(),
            time_zone: held.time_zone.clone(),
            topics: held.topics.join("\n"),
            rank_bands: held.rank_bands.bands().iter().map(Into::into).collect(),
            line_manager_digest: on,
        },
    )
    .await
    .unwrap();
}

#[tokio::test]
async fn a_line_manager_hears_monthly_which_reports_take_part_never_with_whom() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (_, _, _, later) = active_pair(&app).await;
        // Fraser (S6), the mentor, now reports to Iona (S1); Morag, the mentee, to nobody.
        let people = crate::applications::PEOPLE.replace(
            "S6,police-scotland,Fraser,Doig,fraser@scotland.police.uk,Highland,Inverness,Sergeant,officer,,",
            "S6,police-scotland,Fraser,Doig,fraser@scotland.police.uk,Highland,Inverness,Sergeant,officer,S1,",
        );
        let file = format!("{}\n{people}", crate::applications::HEADER);
        tandem_app::people::import(
            &later,
            &crate::operator(),
            tandem_app::people::ImportRequest {
                bytes: file.as_bytes(),
                options: tandem_core::hr::ImportOptions::default(),
                dry_run: false,
                source: "managers.csv",
            },
            &|_: tandem_app::people::ImportStage| {},
        )
        .await
        .unwrap();
        let digests = |app: App| async move {
            unsent_to(&app)
                .await
                .into_iter()
                .filter(|(_, subject, _)| subject.starts_with("Your team's mentoring"))
                .collect::<Vec<_>>()
        };
        let december = datetime!(2026-12-02 09:00 UTC);
        let report = reminders::sweep(&later, december, PUBLIC_URL).await.unwrap();
        assert_eq!(report.line_manager_digests, 0, "off until the force turns it on");

        line_manager_digest(&later, "police-scotland", true).await;
        let report = reminders::sweep(&later, december, PUBLIC_URL).await.unwrap();
        assert_eq!(report.line_manager_digests, 1);
        let sent = digests(later.clone()).await;
        assert_eq!(sent.len(), 1);
        let (to, subject, body) = &sent[0];
        assert_eq!(
            (to.as_str(), subject.as_str()),
            ("iona@scotland.police.uk", "Your team's mentoring: December 2026")
        );
        assert!(body.contains("- Fraser Doig is a mentor in Mentoring programme"), "{body}");
        assert!(!body.contains("Morag"), "never with whom: {body}");
        let again = reminders::sweep(&later, datetime!(2026-12-20 09:00 UTC), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(again.line_manager_digests, 0, "once a month");
        let january = reminders::sweep(&later, datetime!(2027-01-01 09:00 UTC), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(january.line_manager_digests, 1);
        line_manager_digest(&later, "police-scotland", false).await;
        let february = reminders::sweep(&later, datetime!(2027-02-01 09:00 UTC), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(february.line_manager_digests, 0, "turned off");
    })
    .await;
}

#[tokio::test]
async fn a_mentee_who_applied_in_confidence_is_never_in_their_managers_digest() {
    on_each_backend(|store| async move {
        use crate::applications::{
            apply, coordinator_of, mentee_form, mentor_form, person, programme_running,
        };
        use tandem_app::{applications, matching, training};
        use tandem_core::eligibility::Role;
        let app = crate::app(store);
        programme_running(&app).await;
        // Bo (C2) reports to Ann (C1) and applies through the confidential route.
        let bo = person(&app, "cleveland", "C2").await;
        let ed = person(&app, "cleveland", "C4").await;
        let coordinator = coordinator_of(&app, "cleveland", None).await;
        let confidential = tandem_core::application::ApplicationForm {
            confidential: true,
            ..mentee_form()
        };
        let mine = apply(
            &app,
            &bo,
            "cleveland",
            "traditional",
            Role::Mentee,
            &confidential,
        )
        .await
        .unwrap();
        let offer = apply(
            &app,
            &ed,
            "cleveland",
            "traditional",
            Role::Mentor,
            &mentor_form("1"),
        )
        .await
        .unwrap();
        for id in [mine.id, offer.id] {
            applications::decide(
                &app,
                &coordinator,
                id,
                applications::Verdict::Approve,
                PUBLIC_URL,
            )
            .await
            .unwrap();
        }
        training::record_completion(
            &app,
            &coordinator,
            offer.id,
            time::macros::date!(2026 - 11 - 02),
        )
        .await
        .unwrap();
        let request = matching::request(&app, &bo, offer.id, PUBLIC_URL)
            .await
            .unwrap();
        matching::answer_request(&app, &ed, request.id, true, "", PUBLIC_URL)
            .await
            .unwrap();
        line_manager_digest(&app, "cleveland", true).await;
        let report = reminders::sweep(&app, datetime!(2026-12-02 09:00 UTC), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(report.line_manager_digests, 0, "{report:?}");
        assert!(
            unsent_to(&app)
                .await
                .iter()
                .all(|(to, subject, _)| to != "ann@cleveland.police.uk"
                    || !subject.starts_with("Your team's mentoring")),
            "Ann is never told"
        );
    })
    .await;
}

#[tokio::test]
async fn a_cleveland_mentor_is_asked_to_refresh_their_training_and_the_coordinator_hears_when_it_runs_out()
 {
    on_each_backend(|store| async move {
        use crate::applications::{apply, coordinator_of, mentor_form, person, programme_running};
        use tandem_app::{applications, roles, training};
        use tandem_core::authz::{Actor, Grant, Scope, StaffRole};
        use tandem_core::eligibility::Role;
        let app = crate::app(store);
        programme_running(&app).await;
        // Ann (C1) coordinates Cleveland's schemes; Ed (C4) is an approved, trained mentor.
        let Actor::Person {
            id: ann,
            organisation,
            ..
        } = person(&app, "cleveland", "C1").await
        else {
            unreachable!("a person")
        };
        roles::grant(
            &app,
            &crate::operator(),
            ann,
            Grant {
                role: StaffRole::Coordinator,
                scope: Scope::Organisation(organisation),
            },
        )
        .await
        .unwrap();
        let coordinator = coordinator_of(&app, "cleveland", None).await;
        let ed = person(&app, "cleveland", "C4").await;
        let offer = apply(&app, &ed, "cleveland", "traditional", Role::Mentor, &mentor_form("1"))
            .await
            .unwrap();
        applications::decide(&app, &coordinator, offer.id, applications::Verdict::Approve, PUBLIC_URL)
            .await
            .unwrap();
        training::record_completion(&app, &coordinator, offer.id, time::macros::date!(2026 - 11 - 02))
            .await
            .unwrap();
        // Ann mentors too, trained the same day: the coordinators hear of both at once.
        let ann_as_mentor = person(&app, "cleveland", "C1").await;
        let second = apply(&app, &ann_as_mentor, "cleveland", "traditional", Role::Mentor, &mentor_form("1"))
            .await
            .unwrap();
        applications::decide(&app, &coordinator, second.id, applications::Verdict::Approve, PUBLIC_URL)
            .await
            .unwrap();
        training::record_completion(&app, &coordinator, second.id, time::macros::date!(2026 - 11 - 02))
            .await
            .unwrap();
        let refresher_mail = |app: App| async move {
            unsent_to(&app)
                .await
                .into_iter()
                .filter(|(_, subject, _)| subject.contains("refresher") || subject.contains("has run out"))
                .map(|(to, subject, _)| format!("{to}: {subject}"))
                .collect::<Vec<_>>()
        };

        // A workshop for the refreshers; Ed, trained, is offered it only once his is due.
        let organisation = tandem_app::organisations::by_code(
            &app,
            &tandem_core::domain::OrgCode::parse("cleveland").unwrap(),
        )
        .await
        .unwrap()
        .id;
        training::schedule(
            &at(&app, datetime!(2028-09-01 09:00 UTC)),
            &coordinator,
            organisation,
            &tandem_core::domain::SchemeKey::parse("traditional").unwrap(),
            &training::WorkshopForm {
                title: "Refresher workshop".to_owned(),
                date: "2028-12-01".to_owned(),
                time: "09:30".to_owned(),
                location: "Ladgate Lane".to_owned(),
                capacity: "10".to_owned(),
                joint: false,
                support_group: false,
            },
            PUBLIC_URL,
        )
        .await
        .unwrap();
        let offered = |when| {
            let app = at(&app, when);
            let ed = ed.clone();
            async move {
                training::mine(&app, &ed)
                    .await
                    .unwrap()
                    .open
                    .into_iter()
                    .map(|(workshop, _)| workshop.title)
                    .collect::<Vec<_>>()
            }
        };
        assert!(offered(datetime!(2028-09-30 09:00 UTC)).await.is_empty());
        assert_eq!(
            offered(datetime!(2028-10-10 09:00 UTC)).await,
            ["Refresher workshop"]
        );

        // Cleveland asks for a refresher every 24 months: nothing until a month before.
        let early = reminders::sweep(&app, datetime!(2028-09-30 09:00 UTC), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(early.refreshers, 0);
        let soon = reminders::sweep(&app, datetime!(2028-10-10 09:00 UTC), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(soon.refreshers, 2);
        let again = reminders::sweep(&app, datetime!(2028-10-20 09:00 UTC), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(again.refreshers, 0, "once");
        let run_out = reminders::sweep(&app, datetime!(2028-11-03 09:00 UTC), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(run_out.refreshers, 2);
        let mut mail = refresher_mail(app.clone()).await;
        mail.sort();
        assert_eq!(
            mail,
            [
                "ann@cleveland.police.uk: 2 people's Mentoring training workshop has run out",
                "ann@cleveland.police.uk: Your Mentoring training workshop has run out",
                "ann@cleveland.police.uk: Your Mentoring training workshop refresher is due by 2028-11-02",
                "ed@cleveland.police.uk: Your Mentoring training workshop has run out",
                "ed@cleveland.police.uk: Your Mentoring training workshop refresher is due by 2028-11-02",
            ]
        );
        let told = unsent_to(&app)
            .await
            .into_iter()
            .find(|(_, subject, _)| subject.starts_with("2 people's"))
            .unwrap()
            .2;
        assert!(
            told.contains("Ed Lowe (mentor)") && told.contains("Ann Hill (mentor)"),
            "{told}"
        );
        // The needs-attention page lists both, and Ed no more once he has refreshed it.
        let key = tandem_core::domain::SchemeKey::parse("traditional").unwrap();
        let listed = |when| {
            let app = at(&app, when);
            let coordinator = coordinator.clone();
            let key = key.clone();
            async move {
                tandem_app::refreshers::run_out(&app, &coordinator, organisation, &key)
                    .await
                    .unwrap()
                    .into_iter()
                    .map(|it| format!("{} {}", it.person.record.full_name(), it.due))
                    .collect::<Vec<_>>()
            }
        };
        assert!(listed(datetime!(2028-10-10 09:00 UTC)).await.is_empty(), "due soon is not run out");
        assert_eq!(
            listed(datetime!(2028-11-03 09:00 UTC)).await,
            ["Ann Hill 2028-11-02", "Ed Lowe 2028-11-02"]
        );
        // A new completion is a new occasion: nothing until the next refresher is near.
        let later = at(&app, datetime!(2028-11-15 09:00 UTC));
        training::record_completion(&later, &coordinator, offer.id, time::macros::date!(2028 - 11 - 10))
            .await
            .unwrap();
        let trained = reminders::sweep(&app, datetime!(2028-11-20 09:00 UTC), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(trained.refreshers, 0);
        assert!(offered(datetime!(2028-11-20 09:00 UTC)).await.is_empty(), "refreshed");
        assert_eq!(listed(datetime!(2028-11-20 09:00 UTC)).await, ["Ann Hill 2028-11-02"]);
    })
    .await;
}

#[tokio::test]
async fn a_waiting_mentee_hears_when_they_move_up_and_not_when_they_slip_back() {
    on_each_backend(|store| async move {
        use crate::applications::{apply, coordinator_of, mentee_form, person, programme_running};
        use tandem_core::eligibility::Role;
        let app = crate::app(store);
        programme_running(&app).await;
        let callum = person(&app, "police-scotland", "S2").await;
        let morag = person(&app, "police-scotland", "S5").await;
        let mut ids = Vec::new();
        for who in [&callum, &morag] {
            ids.push(
                apply(&app, who, "police-scotland", "mentoring", Role::Mentee, &mentee_form())
                    .await
                    .unwrap()
                    .id,
            );
        }
        let moved_up = |app: App| async move {
            unsent_to(&app)
                .await
                .into_iter()
                .filter(|(_, subject, _)| subject.starts_with("You have moved up"))
                .map(|(to, _, body)| (to, body.lines().nth(2).unwrap_or_default().to_owned()))
                .collect::<Vec<_>>()
        };
        let first = reminders::sweep(&app, datetime!(2026-12-01 09:00 UTC), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(first.moved_up, 0, "joining the list was said at approval");

        // Morag's priority is raised: she moves up, Callum slips back without a word.
        let highland = coordinator_of(&app, "police-scotland", Some("Highland")).await;
        tandem_app::applications::set_priority(&app, &highland, ids[1], 1)
            .await
            .unwrap();
        let second = reminders::sweep(&app, datetime!(2026-12-01 10:00 UTC), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(second.moved_up, 1);
        assert_eq!(
            moved_up(app.clone()).await,
            [(
                "morag@scotland.police.uk".to_owned(),
                "You are now number 1 of 2 waiting for a mentor in Mentoring programme (you were number 2). You will hear as soon as a mentor is found.".to_owned()
            )]
        );
        let again = reminders::sweep(&app, datetime!(2026-12-01 11:00 UTC), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(again.moved_up, 0, "once");

        // Back as they were: Callum is where he last stood when told, so nothing is said.
        tandem_app::applications::set_priority(&app, &highland, ids[1], 0)
            .await
            .unwrap();
        let back = reminders::sweep(&app, datetime!(2026-12-02 09:00 UTC), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(back.moved_up, 0, "{back:?}");
    })
    .await;
}
