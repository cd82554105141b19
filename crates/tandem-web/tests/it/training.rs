//! Training in the browser: scheduling a workshop with its problems shown by their fields,
//! booking an applicant, the applicant's own view, and recording an e-learning completion.

use crate::{Browser, app};
use axum::http::StatusCode;
use tandem_app::{App, demo};
use tandem_core::authz::Actor;
use tandem_store::testing::on_each_backend;
use tandem_web::WebConfig;

async fn signed_in(app: &App, email: &str) -> Browser {
    let mut browser = Browser::new(app, WebConfig::default());
    let reply = browser
        .post(
            "/sign-in",
            &[("email", email), ("password", demo::DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{email} signs in");
    browser
}

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
    on_each_backend(|store| async move {
        let app = app(store);
        let summary = demo::seed(
            &app,
            &Actor::Operator {
                name: "test".to_owned(),
            },
            "http://tandem.test",
        )
        .await
        .unwrap();
        let mut coordinator = signed_in(&app, &staff(&summary, "coordinator (cleveland)")).await;
        let page = coordinator.get("/schemes/traditional/workshops").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Mentoring training workshop"));

        let reply = coordinator
            .post(
                "/schemes/traditional/workshops",
                &[
                    ("title", "Mentor skills"),
                    ("date", "2020-01-01"),
                    ("time", "25:00"),
                    ("location", ""),
                    ("capacity", "12"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        for field in ["#time", "#location"] {
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
                    ("date", "2027-01-14"),
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
    on_each_backend(|store| async move {
        let app = app(store);
        let summary = demo::seed(
            &app,
            &Actor::Operator {
                name: "test".to_owned(),
            },
            "http://tandem.test",
        )
        .await
        .unwrap();
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
    on_each_backend(|store| async move {
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
