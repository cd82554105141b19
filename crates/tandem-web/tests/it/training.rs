//! Training in the browser: scheduling a workshop with its problems shown by their fields,
//! booking an applicant, the applicant's own view, and recording an e-learning completion.

use crate::{app, on_each_demo, signed_in};
use axum::http::StatusCode;
use tandem_app::{App, demo};
use tandem_core::authz::Actor;

fn staff(summary: &demo::DemoSummary, role: &str) -> String {
    summary
        .accounts
        .iter()
        .find(|account| account.role == role)
        .unwrap()
        .email
        .clone()
}

/// The first value of `attribute` after `marker` in `body`.
fn after(body: &str, marker: &str, attribute: &str) -> String {
    let rest = &body[body.find(marker).unwrap()..];
    let start = rest.find(&format!("{attribute}=\"")).unwrap() + attribute.len() + 2;
    rest[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_coordinator_schedules_a_workshop_and_books_a_mentor_who_sees_it() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = crate::demo_summary(&app).await;
        let mut coordinator = signed_in(&app, &staff(&summary, "coordinator (cleveland)")).await;
        let page = coordinator.get("/schemes/traditional/workshops").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Mentoring training workshop"));

        let reply = coordinator
            .post(
                "/schemes/traditional/workshops",
                &[
                    ("title", "Mentor skills"),
                    ("date-day", "31"),
                    ("date-month", "2"),
                    ("date-year", "2027"),
                    ("time", "25:00"),
                    ("location", ""),
                    ("capacity", "12"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        // The date is three boxes (GOV.UK's date input), its problem said in words at them and
        // what was typed kept, with every other problem at once.
        assert!(
            reply.body.contains("The date must be a real date")
                && reply.body.contains("id=\"date-error\"")
                && reply
                    .body
                    .contains("name=\"date-day\" type=\"text\" inputmode=\"numeric\" value=\"31\""),
            "{}",
            reply.body
        );
        assert!(
            !reply.body.contains("type=\"date\""),
            "no native date picker"
        );
        for field in ["#date-day", "#time", "#location"] {
            assert!(
                reply.body.contains(&format!("href=\"{field}\"")),
                "{field} is named"
            );
        }
        assert!(
            reply.body.contains("value=\"Mentor skills\""),
            "input is kept"
        );
        let reply = coordinator
            .post(
                "/schemes/traditional/workshops",
                &[
                    ("title", "Mentor skills"),
                    ("date-day", "14"),
                    ("date-month", "1"),
                    ("date-year", "2027"),
                    ("time", "09:30"),
                    ("location", "Ladgate Lane"),
                    ("capacity", "12"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        let page = coordinator.get("/schemes/traditional/workshops").await;
        assert!(
            page.body.contains("Thu 14 Jan 2027, 09:30"),
            "shown in Cleveland's time"
        );
        // The new workshop's booking form (the demo's support group comes before it).
        let workshop = {
            let ours = page.body.find("<h2>Mentor skills</h2>").unwrap();
            let start = ours
                + page.body[ours..].find("action=\"/workshops/").unwrap()
                + "action=\"/workshops/".len();
            page.body[start..].split('/').next().unwrap().to_owned()
        };
        let person = after(
            &page.body[page.body.find("<h2>Mentor skills</h2>").unwrap()..],
            "name=\"person\"",
            "value",
        );
        let reply = coordinator
            .post(
                &format!("/workshops/{workshop}/book"),
                &[("person", &person), ("scheme", "traditional")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let page = coordinator.get("/schemes/traditional/workshops").await;
        assert!(page.body.contains("Place booked"));

        // The mentor sees the place on their own page and can give it up.
        let email = {
            let mut tx = app.store.begin_read().await.unwrap();
            tx.person(tandem_core::PersonId(
                uuid::Uuid::parse_str(&person).unwrap(),
            ))
            .await
            .unwrap()
            .record
            .email
            .to_string()
        };
        let mut mentor = signed_in(&app, &email).await;
        let mine = mentor.get("/applications").await;
        assert!(mine.body.contains("Your training"));
        assert!(mine.body.contains("Mentor skills"));
        assert!(mine.body.contains("Place booked"));
        let booking = {
            let start = mine.body.find("action=\"/bookings/").unwrap() + "action=\"".len();
            mine.body[start..].split('"').next().unwrap().to_owned()
        };
        let reply = mentor.post(&booking, &[]).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        assert!(mentor.get("/applications").await.body.contains("Cancelled"));
    })
    .await;
}

#[tokio::test]
async fn a_coordinator_schedules_a_mentor_support_group_and_a_mentor_is_invited_and_books() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = crate::demo_summary(&app).await;
        let mut coordinator = signed_in(&app, &staff(&summary, "coordinator (cleveland)")).await;
        // The demo's last group met five and a half months ago: the next is due within the month.
        let attention = coordinator.get("/schemes/traditional/attention").await;
        assert!(
            attention
                .body
                .contains("A mentor support group is due by 2026-12-11"),
            "{}",
            attention.body
        );
        let page = coordinator.get("/schemes/traditional/workshops").await;
        assert!(page.body.contains("every 6 months"));
        let reply = coordinator
            .post(
                "/schemes/traditional/workshops",
                &[
                    ("purpose", "support_group"),
                    ("title", "Mentors' circle"),
                    ("date", "2027-01-20"),
                    ("time", "14:00"),
                    ("location", "Ladgate Lane"),
                    ("capacity", "12"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let page = coordinator.get("/schemes/traditional/workshops").await;
        assert!(
            page.body
                .contains("<span class=\"caption\">Mentor support group</span>")
        );
        assert!(
            !coordinator
                .get("/schemes/traditional/attention")
                .await
                .body
                .contains("A mentor support group is due by"),
            "scheduled, it is no longer asked for"
        );

        // A mentor of the scheme finds the invitation and books a place from Your mentoring.
        let mentor_email = {
            let mut tx = app.store.begin_read().await.unwrap();
            let cleveland = tx
                .organisations()
                .await
                .unwrap()
                .into_iter()
                .find(|it| it.code.as_ref() == "cleveland")
                .unwrap();
            let key = tandem_core::domain::SchemeKey::parse("traditional").unwrap();
            let scheme = tx.scheme_by_key(cleveland.id, &key).await.unwrap().unwrap();
            let mentor = tx.mentors_of_scheme(scheme.id).await.unwrap()[0];
            tx.person(mentor).await.unwrap().record.email.to_string()
        };
        let mut mentor = signed_in(&app, &mentor_email).await;
        assert!(
            mentor
                .get("/inbox")
                .await
                .body
                .contains("You are invited to a mentor support group: Mentors&#39; circle")
        );
        let mine = mentor.get("/applications").await;
        assert!(
            mine.body
                .contains("Mentors&#39; circle (mentor support group)"),
            "{}",
            mine.body
        );
        let workshop = {
            let start = mine.body.find("action=\"/workshops/").unwrap() + "action=\"".len();
            mine.body[start..].split('"').next().unwrap().to_owned()
        };
        let reply = mentor.post(&workshop, &[]).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        assert!(
            mentor
                .get("/applications")
                .await
                .body
                .contains("Place booked")
        );
    })
    .await;
}

#[tokio::test]
async fn the_needs_attention_page_lists_whose_training_has_run_out() {
    on_each_demo(|store| async move {
        let seeded = app(store.clone());
        let summary = demo::seed(
            &seeded,
            &Actor::Operator {
                name: "test".to_owned(),
            },
            "http://tandem.test",
        )
        .await
        .unwrap();
        let email = staff(&summary, "coordinator (cleveland)");
        // Today nobody's training has run out; in 2029 the demo's, recorded in 2026, has (Cleveland
        // asks for a refresher every 24 months).
        let mut today = signed_in(&seeded, &email).await;
        assert!(
            !today
                .get("/schemes/traditional/attention")
                .await
                .body
                .contains("Training run out")
        );
        let later = App::new(
            store,
            std::sync::Arc::new(tandem_core::FixedClock::at(
                time::macros::datetime!(2029-01-10 09:00 UTC),
            )),
        );
        let mut coordinator = signed_in(&later, &email).await;
        let page = coordinator.get("/schemes/traditional/attention").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("<h2>Training run out</h2>"),
            "{}",
            page.body
        );
        let table = &page.body[page.body.find("<h2>Training run out</h2>").unwrap()..];
        assert!(table.contains("<td>mentor</td>"), "{table}");
    })
    .await;
}

#[tokio::test]
async fn a_training_date_refused_shows_the_applications_again_with_the_message_at_the_date() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = crate::demo_summary(&app).await;
        let mut coordinator = signed_in(&app, &staff(&summary, "coordinator (cleveland)")).await;
        let page = coordinator.get("/schemes/traditional/applications").await;
        let action = {
            let end = page.body.find("/training\"").unwrap() + "/training".len();
            let start = page.body[..end].rfind('"').unwrap() + 1;
            page.body[start..end].to_owned()
        };
        let id = action
            .trim_start_matches("/applications/")
            .trim_end_matches("/training");
        let record = |day: &'static str, month: &'static str, year: &'static str| {
            [
                ("scheme", "traditional"),
                ("completed_on-day", day),
                ("completed_on-month", month),
                ("completed_on-year", year),
            ]
        };

        // Not a real date: the applications again, the message at the date, the boxes kept.
        let refused = coordinator.post(&action, &record("30", "2", "2026")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("<title>Error: Applications")
                && refused.body.contains(&format!("href=\"#completed-{id}-day\""))
                && refused.body.contains(&format!("id=\"completed-{id}-error\""))
                && refused.body.contains("The date they completed it must be a real date")
                && refused.body.contains(&format!("id=\"completed-{id}-day\" name=\"completed_on-day\" type=\"text\" inputmode=\"numeric\" value=\"30\""))
                && refused.body.contains("Sign out"),
            "{}",
            refused.body
        );
        // A date to come: the use case's own rule, at the same place.
        let refused = coordinator.post(&action, &record("1", "1", "2027")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .body
                .contains("The completion date cannot be in the future"),
            "{}",
            refused.body
        );
        // A real date in the past is recorded, back on the same page.
        let done = coordinator.post(&action, &record("2", "11", "2026")).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert_eq!(done.location(), "/schemes/traditional/applications");
    })
    .await;
}

#[tokio::test]
async fn a_waiting_mentee_s_priority_refused_shows_the_applications_again_with_the_message_at_it() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = crate::demo_summary(&app).await;
        let mut coordinator = signed_in(&app, &staff(&summary, "coordinator (cleveland)")).await;
        let page = coordinator.get("/schemes/traditional/applications").await;
        let action = {
            let end = page.body.find("/priority\"").unwrap() + "/priority".len();
            let start = page.body[..end].rfind('"').unwrap() + 1;
            page.body[start..end].to_owned()
        };
        let id = action
            .trim_start_matches("/applications/")
            .trim_end_matches("/priority");
        let set = |priority: &'static str| [("scheme", "traditional"), ("priority", priority)];
        let refused = coordinator.post(&action, &set("first")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("<title>Error: Applications")
                && refused.body.contains(&format!("href=\"#priority-{id}\""))
                && refused
                    .body
                    .contains(&format!("id=\"priority-{id}-error\""))
                && refused.body.contains("as a number")
                && refused.body.contains("value=\"first\""),
            "{}",
            refused.body
        );
        let refused = coordinator.post(&action, &set("12")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .body
                .contains("Use a priority from 0 (none) to 9 (first)"),
            "{}",
            refused.body
        );
        let done = coordinator.post(&action, &set("3")).await;
        assert_eq!(done.location(), "/schemes/traditional/applications");
    })
    .await;
}

#[tokio::test]
async fn a_participant_s_refused_booking_shows_your_mentoring_again_with_the_reason() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = crate::demo_summary(&app).await;
        let mut coordinator = signed_in(&app, &staff(&summary, "coordinator (cleveland)")).await;
        let page = coordinator.get("/schemes/traditional/workshops").await;
        let workshop = after(&page.body, "action=\"/workshops/", "action")
            .trim_start_matches("/workshops/")
            .split('/')
            .next()
            .unwrap()
            .to_owned();
        // Someone with no application that needs the workshop's training asks for a place at
        // the demo's first workshop (which has also begun): refused either way.
        let mut manager = signed_in(&app, &staff(&summary, "line manager (police-scotland)")).await;
        let reply = manager
            .post(&format!("/workshops/{workshop}/book"), &[])
            .await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.body);
        assert!(
            reply.body.contains("<title>Error: Your mentoring"),
            "Your mentoring again, not the error page: {}",
            reply.body
        );
        assert!(
            reply.body.contains(&format!("href=\"#book-{workshop}\""))
                && reply.body.contains("There is a problem"),
            "the reason in the summary: {}",
            reply.body
        );
        assert!(reply.body.contains("Sign out"), "still signed in");
    })
    .await;
}
