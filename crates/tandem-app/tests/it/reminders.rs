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
