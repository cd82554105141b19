//! Training (R4): completions, workshops with places and waiting lists, joint training for a
//! pair, attendance, and places that cannot be over-filled by two bookings at once.

use crate::applications::{
    apply, coordinator_of, mentee_form, mentor_form, person, programme_running, unsent_to,
};
use tandem_app::{App, AppError, organisations, training};
use tandem_core::domain::{OrgCode, SchemeKey};
use tandem_core::eligibility::Role;
use tandem_core::training::BookingStatus;
use tandem_core::{FixedClock, WorkshopId};
use tandem_store::testing::on_each_backend;
use time::macros::{date, datetime};

fn app_at(store: tandem_store::Store) -> (App, std::sync::Arc<FixedClock>) {
    let clock = std::sync::Arc::new(FixedClock::at(datetime!(2026-11-23 09:00 UTC)));
    (App::new(store, clock.clone()), clock)
}

fn workshop_form(capacity: &str) -> training::WorkshopForm {
    training::WorkshopForm {
        title: "Mentor skills workshop".to_owned(),
        date: "2027-01-14".to_owned(),
        time: "09:30".to_owned(),
        location: "Ladgate Lane, Middlesbrough".to_owned(),
        capacity: capacity.to_owned(),
        joint: false,
        support_group: false,
    }
}

async fn schedule(
    app: &App,
    key: &str,
    form: &training::WorkshopForm,
) -> Result<WorkshopId, AppError> {
    let cleveland = organisations::by_code(app, &OrgCode::parse("cleveland").unwrap())
        .await
        .unwrap();
    let coordinator = coordinator_of(app, "cleveland", None).await;
    training::schedule(
        app,
        &coordinator,
        cleveland.id,
        &SchemeKey::parse(key).unwrap(),
        form,
        crate::applications::PUBLIC_URL,
    )
    .await
    .map(|workshop| workshop.id)
}

async fn statuses(app: &App, key: &str) -> Vec<(String, BookingStatus, Option<usize>)> {
    let cleveland = organisations::by_code(app, &OrgCode::parse("cleveland").unwrap())
        .await
        .unwrap();
    let coordinator = coordinator_of(app, "cleveland", None).await;
    let (_, workshops) = training::workshops(
        app,
        &coordinator,
        cleveland.id,
        &SchemeKey::parse(key).unwrap(),
    )
    .await
    .unwrap();
    workshops[0]
        .bookings
        .iter()
        .map(|it| {
            (
                it.person.record.staff_number.to_string(),
                it.booking.status,
                it.position,
            )
        })
        .collect()
}

#[tokio::test]
async fn a_full_workshop_keeps_a_waiting_list_that_moves_up_when_a_place_frees() {
    on_each_backend(|store| async move {
        let (app, clock) = app_at(store);
        programme_running(&app).await;
        let bad = training::WorkshopForm {
            date: "14/01/2027".to_owned(),
            capacity: "0".to_owned(),
            ..workshop_form("2")
        };
        let Err(AppError::Invalid(problems)) = schedule(&app, "traditional", &bad).await else {
            panic!("a bad form is refused")
        };
        let fields: Vec<&str> = problems.iter().map(|it| it.field).collect();
        assert_eq!(fields, ["date", "capacity"]);
        let workshop = schedule(&app, "traditional", &workshop_form("2"))
            .await
            .unwrap();

        let mut mentors = Vec::new();
        for staff in ["C1", "C4", "C2"] {
            let actor = person(&app, "cleveland", staff).await;
            apply(
                &app,
                &actor,
                "cleveland",
                "traditional",
                Role::Mentor,
                &mentor_form("1"),
            )
            .await
            .unwrap();
            mentors.push(actor);
        }
        for actor in &mentors {
            training::book(&app, actor, workshop, actor.person().unwrap(), None)
                .await
                .unwrap();
        }
        assert_eq!(
            statuses(&app, "traditional").await,
            [
                ("C1".to_owned(), BookingStatus::Booked, None),
                ("C4".to_owned(), BookingStatus::Booked, None),
                ("C2".to_owned(), BookingStatus::Waiting, Some(1)),
            ]
        );
        let own = training::mine(&app, &mentors[2]).await.unwrap();
        assert_eq!(
            own.bookings[0].position,
            Some((1, 1)),
            "the waiting person sees their place"
        );

        // Someone with no application to the scheme cannot take a place.
        let stranger = person(&app, "cleveland", "C3").await;
        assert!(matches!(
            training::book(&app, &stranger, workshop, stranger.person().unwrap(), None).await,
            Err(AppError::Conflict(_))
        ));

        let first = training::mine(&app, &mentors[0]).await.unwrap().bookings[0]
            .booking
            .id;
        training::cancel(&app, &mentors[0], first).await.unwrap();
        assert_eq!(
            statuses(&app, "traditional").await,
            [
                ("C4".to_owned(), BookingStatus::Booked, None),
                ("C2".to_owned(), BookingStatus::Booked, None),
            ],
            "the cancelled place went to the first on the waiting list"
        );
        let mail = unsent_to(&app).await;
        assert!(
            mail.iter()
                .any(|(to, subject, _)| to == "bo@cleveland.police.uk"
                    && subject.contains("a place for you")),
            "{mail:?}"
        );

        let coordinator = coordinator_of(&app, "cleveland", None).await;
        let c4 = mentors[1].person().unwrap();
        assert!(
            matches!(
                training::record_attendance(&app, &coordinator, workshop, &[c4]).await,
                Err(AppError::Conflict(_))
            ),
            "attendance waits for the workshop"
        );
        clock.advance(time::Duration::days(60));
        assert_eq!(
            training::record_attendance(&app, &coordinator, workshop, &[c4])
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            statuses(&app, "traditional").await,
            [
                ("C4".to_owned(), BookingStatus::Attended, None),
                ("C2".to_owned(), BookingStatus::Absent, None),
            ]
        );
        let records = training::mine(&app, &mentors[1]).await.unwrap().records;
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].training, "Mentoring training workshop");
        assert_eq!(records[0].completed_on, date!(2027 - 01 - 14));
    })
    .await;
}

#[tokio::test]
async fn a_reverse_pair_is_booked_together_and_leaves_together() {
    on_each_backend(|store| async move {
        let (app, _) = app_at(store);
        programme_running(&app).await;
        let joint = training::WorkshopForm {
            joint: true,
            title: "Reverse mentoring: joint training".to_owned(),
            ..workshop_form("2")
        };
        let workshop = schedule(&app, "reverse", &joint).await.unwrap();
        let mentor = person(&app, "cleveland", "C2").await;
        let mentee = person(&app, "cleveland", "C1").await;
        let third = person(&app, "cleveland", "C4").await;
        apply(
            &app,
            &mentor,
            "cleveland",
            "reverse",
            Role::Mentor,
            &mentor_form("1"),
        )
        .await
        .unwrap();
        apply(
            &app,
            &mentee,
            "cleveland",
            "reverse",
            Role::Mentee,
            &mentee_form(),
        )
        .await
        .unwrap();
        apply(
            &app,
            &third,
            "cleveland",
            "reverse",
            Role::Mentor,
            &mentor_form("1"),
        )
        .await
        .unwrap();
        let coordinator = coordinator_of(&app, "cleveland", None).await;
        assert!(
            matches!(
                training::book(
                    &app,
                    &mentor,
                    workshop,
                    mentor.person().unwrap(),
                    mentee.person()
                )
                .await,
                Err(AppError::Denied(_))
            ),
            "booking someone else is for the coordinator"
        );
        let pair = training::book(
            &app,
            &coordinator,
            workshop,
            mentor.person().unwrap(),
            mentee.person(),
        )
        .await
        .unwrap();
        assert!(pair.iter().all(|it| it.status == BookingStatus::Booked));
        let waiting = training::book(&app, &third, workshop, third.person().unwrap(), None)
            .await
            .unwrap();
        assert_eq!(waiting[0].status, BookingStatus::Waiting);
        training::cancel(&app, &mentee, pair[1].id).await.unwrap();
        assert_eq!(
            statuses(&app, "reverse").await,
            [("C4".to_owned(), BookingStatus::Booked, None)],
            "the pair left together and the next person took a place"
        );
    })
    .await;
}

#[tokio::test]
async fn a_coordinator_records_an_e_learning_completion_for_an_applicant() {
    on_each_backend(|store| async move {
        let (app, _) = app_at(store);
        programme_running(&app).await;
        let constable = person(&app, "police-scotland", "S2").await;
        let applied = apply(
            &app,
            &constable,
            "police-scotland",
            "mentoring",
            Role::Mentee,
            &mentee_form(),
        )
        .await
        .unwrap();
        assert!(
            matches!(
                training::record_completion(&app, &constable, applied.id, date!(2026 - 11 - 20))
                    .await,
                Err(AppError::Denied(_))
            ),
            "applicants do not record their own training"
        );
        let coordinator = coordinator_of(&app, "police-scotland", None).await;
        let future =
            training::record_completion(&app, &coordinator, applied.id, date!(2026 - 12 - 01))
                .await;
        assert!(matches!(future, Err(AppError::Invalid(_))), "{future:?}");
        let record =
            training::record_completion(&app, &coordinator, applied.id, date!(2026 - 11 - 20))
                .await
                .unwrap();
        assert_eq!(record.training, "Moodle mentoring module");
        let scotland = organisations::by_code(&app, &OrgCode::parse("police-scotland").unwrap())
            .await
            .unwrap();
        let (_, rows) = tandem_app::applications::of_scheme(
            &app,
            &coordinator,
            scotland.id,
            &SchemeKey::parse("mentoring").unwrap(),
        )
        .await
        .unwrap();
        assert_eq!(
            rows[0].training,
            Some((
                "Moodle mentoring module".to_owned(),
                Some(date!(2026 - 11 - 20))
            ))
        );
    })
    .await;
}

#[tokio::test]
async fn two_people_booking_the_last_place_at_once_cannot_both_have_it() {
    on_each_backend(|store| async move {
        let (app, _) = app_at(store);
        programme_running(&app).await;
        let workshop = schedule(&app, "traditional", &workshop_form("1"))
            .await
            .unwrap();
        let first = person(&app, "cleveland", "C1").await;
        let second = person(&app, "cleveland", "C4").await;
        for actor in [&first, &second] {
            apply(
                &app,
                actor,
                "cleveland",
                "traditional",
                Role::Mentor,
                &mentor_form("1"),
            )
            .await
            .unwrap();
        }
        let (a, b) = tokio::join!(
            training::book(&app, &first, workshop, first.person().unwrap(), None),
            training::book(&app, &second, workshop, second.person().unwrap(), None),
        );
        let booked = [a.unwrap(), b.unwrap()]
            .iter()
            .filter(|made| made[0].status == BookingStatus::Booked)
            .count();
        assert_eq!(booked, 1, "one place, one booking");
    })
    .await;
}
