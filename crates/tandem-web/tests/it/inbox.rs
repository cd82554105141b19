//! The inbox in the browser: the header counts what is unread, the inbox lists it, opening a
//! notification marks it read and goes to its page (on this site only), and a person chooses a
//! digest, a bad choice coming back at the field.

use crate::{Browser, app, on_each_demo};
use axum::http::StatusCode;
use tandem_app::demo;
use tandem_web::WebConfig;

#[tokio::test]
async fn the_inbox_lists_notifications_opens_them_and_the_person_chooses_a_digest() {
    on_each_demo(|store| async move {
        let app = app(store);
        let operator = tandem_core::authz::Actor::Operator {
            name: "test".to_owned(),
        };
        let summary = demo::seed(&app, &operator, "http://tandem.test")
            .await
            .unwrap();
        let email = summary
            .accounts
            .iter()
            .find(|it| it.role == "mentor in an active relationship (police-scotland)")
            .unwrap()
            .email
            .clone();
        let mut browser = Browser::new(&app, WebConfig::default());
        let signed = browser
            .post(
                "/sign-in",
                &[("email", email.as_str()), ("password", demo::DEMO_PASSWORD)],
            )
            .await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER);
        let home = browser.get("/").await;
        assert!(
            home.body
                .contains("Inbox <span class=\"badge\">(1 unread)</span>"),
            "{}",
            home.body
        );
        let inbox = browser.get("/inbox").await;
        assert_eq!(inbox.status, StatusCode::OK);
        assert!(inbox.body.contains("Your mentee in Mentoring programme"));
        let open = inbox
            .body
            .split("href=\"/inbox/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        let opened = browser.get(&format!("/inbox/{open}")).await;
        assert_eq!(opened.status, StatusCode::SEE_OTHER);
        assert!(
            opened.location().starts_with("/relationships/"),
            "{}",
            opened.location()
        );
        assert!(!browser.get("/").await.body.contains("unread"), "read now");

        // A check-in opens at the check-in, not at the top of the relationship's page.
        tandem_app::reminders::sweep(&app, app.clock.now(), "http://tandem.test")
            .await
            .unwrap();
        let inbox = browser.get("/inbox").await;
        let mut places = Vec::new();
        for id in inbox.body.split("href=\"/inbox/").skip(1) {
            let id = id.split('"').next().unwrap_or_default();
            places.push(
                browser
                    .get(&format!("/inbox/{id}"))
                    .await
                    .location()
                    .to_owned(),
            );
        }
        assert!(
            places
                .iter()
                .any(|it| it.starts_with("/relationships/") && it.ends_with("#check-in")),
            "{places:?}"
        );

        let refused = browser
            .post("/account/notifications", &[("mode", "hourly")])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("href=\"#mode-immediate\""));
        let saved = browser
            .post("/account/notifications", &[("mode", "weekly")])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let settings = browser.get("/account/notifications").await;
        assert!(settings.body.contains("value=\"weekly\" checked"));
    })
    .await;
}
