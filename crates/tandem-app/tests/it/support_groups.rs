//! Mentor support groups (R4.3) on each backend: Cleveland's coordinators are asked to schedule
//! one six months after mentoring began and again six months after the last, once per due date;
//! the scheme's mentors are invited (never its mentees), book like any workshop, and attending
//! records no training.

use crate::applications::{
    PUBLIC_URL, apply, coordinator_of, mentee_form, mentor_form, person, programme_running,
    unsent_to,
};
use crate::relationships::at;
use tandem_app::applications::{self, Verdict};
use tandem_app::{App, AppError, matching, reminders, roles, training};
use tandem_core::authz::{Actor, Grant, Scope, StaffRole};
use tandem_core::domain::SchemeKey;
use tandem_core::eligibility::Role;
use tandem_core::training::BookingStatus;
use tandem_store::testing::on_each_backend;
use time::macros::{date, datetime};

fn group_form(date: &str) -> training::WorkshopForm {
    training::WorkshopForm {
        title: "Mentors' circle".to_owned(),
        date: date.to_owned(),
        time: "14:00".to_owned(),
        location: "Ladgate Lane, Middlesbrough".to_owned(),
        capacity: "12".to_owned(),
        joint: true,
        support_group: true,
    }
}

/// Subjects of the support-group emails, as `to: subject`, sorted.
async fn group_mail(app: &App) -> Vec<String> {
    let mut out: Vec<String> = unsent_to(app)
        .await
        .into_iter()
        .filter(|(_, subject, _)| subject.contains("support group"))
        .map(|(to, subject, _)| format!("{to}: {subject}"))
        .collect();
    out.sort();
    out
}

async fn sweep(app: &App, when: time::OffsetDateTime) -> tandem_app::support_groups::Sent {
    reminders::sweep(app, when, PUBLIC_URL)
        .await
        .unwrap()
        .support_groups
}

#[tokio::test]
async fn cleveland_coordinators_are_asked_for_a_support_group_every_six_months_and_mentors_are_invited()
 {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        programme_running(&app).await;
        // Ann (C1) coordinates Cleveland, with a grant so she is told.
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
        let manager = person(&app, "cleveland", "C1").await;
        let bo = person(&app, "cleveland", "C2").await;
        let ed = person(&app, "cleveland", "C4").await;
        let key = SchemeKey::parse("traditional").unwrap();

        // No mentor is mentoring yet: nothing is due, however long the wait.
        assert_eq!(sweep(&app, datetime!(2027-09-01 09:00 UTC)).await.reminded, 0);

        // Ed mentors Bo from 23 November 2026.
        let wanted = apply(&app, &bo, "cleveland", "traditional", Role::Mentee, &mentee_form())
            .await
            .unwrap();
        let offer = apply(&app, &ed, "cleveland", "traditional", Role::Mentor, &mentor_form("1"))
            .await
            .unwrap();
        applications::decide(&app, &manager, wanted.id, Verdict::Approve, PUBLIC_URL)
            .await
            .unwrap();
        applications::decide(&app, &coordinator, offer.id, Verdict::Approve, PUBLIC_URL)
            .await
            .unwrap();
        training::record_completion(&app, &coordinator, offer.id, date!(2026 - 11 - 02))
            .await
            .unwrap();
        let request = matching::request(&app, &bo, offer.id, PUBLIC_URL).await.unwrap();
        matching::answer_request(&app, &ed, request.id, true, "", PUBLIC_URL)
            .await
            .unwrap();

        // Six months on is 23 May 2027: asked a month ahead, once, then once more when overdue.
        assert_eq!(sweep(&app, datetime!(2027-04-01 09:00 UTC)).await.reminded, 0);
        assert_eq!(sweep(&app, datetime!(2027-04-25 09:00 UTC)).await.reminded, 1);
        assert_eq!(sweep(&app, datetime!(2027-04-26 09:00 UTC)).await.reminded, 0, "once");
        assert_eq!(sweep(&app, datetime!(2027-05-24 09:00 UTC)).await.reminded, 1);
        assert_eq!(
            group_mail(&app).await,
            [
                "ann@cleveland.police.uk: Schedule Traditional mentoring's next mentor support group by 2027-05-23",
                "ann@cleveland.police.uk: Traditional mentoring's mentor support group is overdue",
            ]
        );
        let late = at(&app, datetime!(2027-05-25 09:00 UTC));
        assert_eq!(
            tandem_app::support_groups::due(&late, &coordinator, organisation, &key)
                .await
                .unwrap(),
            Some((tandem_core::training::SupportGroupDue::Overdue, date!(2027 - 05 - 23)))
        );

        // Scheduled: Ed, the scheme's mentor, is invited at once; Bo, a mentee, is not.
        let group = training::schedule(
            &late,
            &coordinator,
            organisation,
            &key,
            &group_form("2027-06-10"),
            PUBLIC_URL,
        )
        .await
        .unwrap();
        assert!(!group.joint, "a support group is never joint training");
        let invited: Vec<String> = group_mail(&app)
            .await
            .into_iter()
            .filter(|it| it.contains("invited"))
            .collect();
        assert_eq!(
            invited,
            ["ed@cleveland.police.uk: You are invited to a mentor support group: Mentors' circle"]
        );
        assert!(
            tandem_app::support_groups::due(&late, &coordinator, organisation, &key)
                .await
                .unwrap()
                .is_none(),
            "one is scheduled"
        );
        let Err(AppError::Conflict(message)) =
            training::book(&late, &bo, group.id, bo.person().unwrap(), None).await
        else {
            panic!("a mentee cannot book a mentor support group")
        };
        assert!(message.contains("support groups are for mentors"), "{message}");
        let booked = training::book(&late, &ed, group.id, ed.person().unwrap(), None)
            .await
            .unwrap();
        assert_eq!(booked[0].status, BookingStatus::Booked);

        // Ann becomes a mentor too before it meets: the sweep invites her, and Ed only once.
        let second = apply(&late, &manager, "cleveland", "traditional", Role::Mentor, &mentor_form("2"))
            .await
            .unwrap();
        applications::decide(&late, &coordinator, second.id, Verdict::Approve, PUBLIC_URL)
            .await
            .unwrap();
        let swept = sweep(&app, datetime!(2027-05-26 09:00 UTC)).await;
        assert_eq!((swept.invited, swept.reminded), (1, 0));
        assert_eq!(sweep(&app, datetime!(2027-05-27 09:00 UTC)).await.invited, 0, "once");

        // Ed came: his attendance is kept, and no training is recorded for it.
        let after = at(&app, datetime!(2027-06-11 09:00 UTC));
        let records_before = training::mine(&after, &ed).await.unwrap().records;
        assert_eq!(
            training::record_attendance(&after, &coordinator, group.id, &[ed.person().unwrap()])
                .await
                .unwrap(),
            1
        );
        let mine = training::mine(&after, &ed).await.unwrap();
        assert_eq!(mine.records, records_before, "a support group is not training");
        assert_eq!(mine.bookings[0].booking.status, BookingStatus::Attended);

        // The next is six months after that group: due by 10 December 2027.
        assert_eq!(sweep(&app, datetime!(2027-11-01 09:00 UTC)).await.reminded, 0);
        assert_eq!(sweep(&app, datetime!(2027-11-20 09:00 UTC)).await.reminded, 1);
        assert!(
            group_mail(&app).await.contains(
                &"ann@cleveland.police.uk: Schedule Traditional mentoring's next mentor support group by 2027-12-10"
                    .to_owned()
            )
        );
    })
    .await;
}

#[tokio::test]
async fn a_scheme_that_asks_for_no_support_groups_cannot_schedule_one() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        programme_running(&app).await;
        let coordinator = coordinator_of(&app, "police-scotland", None).await;
        let Actor::Person { organisation, .. } = person(&app, "police-scotland", "S1").await else {
            unreachable!("a person")
        };
        let Err(AppError::Conflict(message)) = training::schedule(
            &app,
            &coordinator,
            organisation,
            &SchemeKey::parse("mentoring").unwrap(),
            &group_form("2027-02-10"),
            PUBLIC_URL,
        )
        .await
        else {
            panic!("Police Scotland's policy asks for no support groups")
        };
        assert!(
            message.contains("asks for no mentor support groups"),
            "{message}"
        );
    })
    .await;
}
