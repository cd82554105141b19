//! Notifications on each backend (R9.1, R9.2): everything lands in the person's inbox; by email
//! at once, or gathered into the digest they chose, which goes once a period; a concern goes to
//! the coordinators at once whatever they chose.

use crate::applications::{PUBLIC_URL, person, unsent_to};
use crate::relationship_care::{active_pair, stored_coordinator};
use crate::relationships::{at, confirmed_pair};
use tandem_app::{AppError, notify, relationships, reminders};
use tandem_store::testing::on_each_backend;
use time::macros::datetime;

#[tokio::test]
async fn every_notification_is_in_the_inbox_and_opening_one_marks_it_read() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, mentor, mentee, _) = confirmed_pair(&app).await;
        let inbox = notify::inbox(&app, &mentor, 1).await.unwrap();
        assert_eq!((inbox.total, inbox.unread), (1, 1));
        let notice = &inbox.notices[0];
        assert_eq!(notice.kind, "match.confirmed");
        assert_eq!(notice.subject, "Your mentee in Mentoring programme");
        assert_eq!(
            notice.link.as_deref(),
            Some(format!("{PUBLIC_URL}/relationships/{id}").as_str())
        );
        assert!(
            !notice.body.contains(PUBLIC_URL),
            "the link is the notice's own"
        );
        // Someone else's notification is not theirs to open.
        assert!(matches!(
            notify::open(&app, &mentee, notice.id).await,
            Err(AppError::NotFound(_))
        ));
        let link = notify::open(&app, &mentor, notice.id).await.unwrap();
        assert_eq!(link, notice.link);
        assert_eq!(notify::unread(&app, &mentor).await.unwrap(), 0);
        assert_eq!(notify::mark_all_read(&app, &mentee).await.unwrap(), 1);
        assert!(notify::inbox(&app, &crate::operator(), 1).await.is_err());
    })
    .await;
}

#[tokio::test]
async fn a_weekly_digest_gathers_the_weeks_notifications_into_one_email() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, mentor, mentee, later) = active_pair(&app).await;
        assert!(matches!(
            notify::set_mode(&later, &mentor, "hourly").await,
            Err(AppError::Invalid(_))
        ));
        notify::set_mode(&later, &mentor, "weekly").await.unwrap();
        let emails_before = unsent_to(&later)
            .await
            .iter()
            .filter(|(to, _, _)| to == "fraser@scotland.police.uk")
            .count();
        relationships::propose_extension(&later, &mentee, id, "2028-03-31", PUBLIC_URL)
            .await
            .unwrap();
        let mail = unsent_to(&later).await;
        let to_mentor: Vec<&(String, String, String)> = mail
            .iter()
            .filter(|(to, _, _)| to == "fraser@scotland.police.uk")
            .collect();
        assert_eq!(
            to_mentor.len(),
            emails_before,
            "no email: it waits for the digest"
        );
        let inbox = notify::inbox(&later, &mentor, 1).await.unwrap();
        assert_eq!(
            inbox.notices[0].subject,
            "Morag Kerr proposes to extend your mentoring relationship"
        );
        assert_eq!(inbox.notices[0].delivery, "digest");

        // Not yet a week: nothing. A week on: one digest with the notice and its link.
        let soon = at(&app, datetime!(2026-12-05 09:00 UTC));
        let report = reminders::sweep(&soon, soon.clock.now(), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(report.digests, 0);
        let week = at(&app, datetime!(2026-12-08 10:00 UTC));
        let report = reminders::sweep(&week, week.clock.now(), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(report.digests, 1);
        let digests: Vec<(String, String, String)> = unsent_to(&week)
            .await
            .into_iter()
            .filter(|(to, subject, _)| {
                to == "fraser@scotland.police.uk"
                    && subject.starts_with("Your weekly mentoring digest")
            })
            .collect();
        assert_eq!(digests.len(), 1);
        assert_eq!(digests[0].1, "Your weekly mentoring digest: 1 notification");
        assert!(
            digests[0]
                .2
                .contains("Morag Kerr proposes to extend your mentoring relationship")
        );
        assert!(digests[0].2.contains(&format!("/relationships/{id}")));
        assert!(
            digests[0].2.contains("/account/notifications"),
            "how to change it"
        );
        let again = reminders::sweep(&week, week.clock.now(), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(again.digests, 0, "once a period");
    })
    .await;
}

#[tokio::test]
async fn a_concern_reaches_a_coordinator_at_once_whatever_they_chose() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let (id, _, mentee, later) = active_pair(&app).await;
        let coordinator = stored_coordinator(&later).await;
        notify::set_mode(&later, &coordinator, "weekly")
            .await
            .unwrap();
        relationships::raise_concern(&later, &mentee, id, "risk_of_harm", "Worried", PUBLIC_URL)
            .await
            .unwrap();
        assert!(
            unsent_to(&later)
                .await
                .iter()
                .any(|(to, subject, _)| to == "iona@scotland.police.uk"
                    && subject.starts_with("A concern has been raised"))
        );
        let iona = person(&later, "police-scotland", "S1").await;
        assert_eq!(notify::unread(&later, &iona).await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn an_escalation_from_the_sweep_reaches_a_coordinator_at_once_whatever_they_chose() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        // Confirmed on 23 November 2026; nobody arranges the first meeting.
        confirmed_pair(&app).await;
        let coordinator = stored_coordinator(&app).await;
        notify::set_mode(&app, &coordinator, "weekly")
            .await
            .unwrap();
        let report = reminders::sweep(&app, datetime!(2026-12-22 09:00 UTC), PUBLIC_URL)
            .await
            .unwrap();
        assert_eq!(
            report.sent.get("first_meeting_overdue"),
            Some(&1),
            "{report:?}"
        );
        assert!(
            unsent_to(&app)
                .await
                .iter()
                .any(|(to, subject, _)| to == "iona@scotland.police.uk"
                    && subject.starts_with("No first meeting yet")),
            "emailed at once, not kept for the weekly digest"
        );
    })
    .await;
}
