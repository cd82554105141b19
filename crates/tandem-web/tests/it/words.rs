//! Values people read are words: who did something by name or in words, scores against their
//! maximum, an organisation by its name; figures that agree with each other; and the demo's
//! emails readable in the demo.

use crate::reports::signed_in;
use crate::{Browser, app, on_each_demo};
use axum::http::StatusCode;
use tandem_app::demo;
use tandem_core::authz::Actor;
use tandem_web::{DemoSignIns, WebConfig};

async fn seeded(app: &tandem_app::App) -> demo::DemoSummary {
    demo::seed(
        app,
        &Actor::Operator {
            name: "unknown".to_owned(),
        },
        "http://tandem.test",
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn the_matching_board_says_who_ran_it_and_each_score_out_of_100() {
    on_each_demo(|store| async move {
        let app = app(store);
        let accounts = seeded(&app).await.accounts;
        let mut coordinator = signed_in(&app, &accounts, "coordinator (police-scotland)").await;
        let board = coordinator.get("/schemes/mentoring/matching").await;
        assert_eq!(board.status, StatusCode::OK);
        assert!(
            board.body.contains("an operator at the command line:"),
            "{}",
            board.body
        );
        assert!(board.body.contains("on average, a pair scores "));
        let score = board
            .body
            .split("<td data-label=\"Score\">")
            .nth(1)
            .and_then(|it| it.split("</td>").next())
            .unwrap();
        let (points, scale) = score.split_once(" out of ").unwrap();
        assert_eq!(scale, "100", "{score}");
        assert!(points.parse::<u32>().unwrap() <= 100, "{score}");
    })
    .await;
}

#[tokio::test]
async fn an_invitation_list_names_who_invited_and_the_organisation() {
    on_each_demo(|store| async move {
        let app = app(store);
        let accounts = seeded(&app).await.accounts;
        let mut coordinator = signed_in(&app, &accounts, "coordinator (college)").await;
        let list = coordinator.get("/schemes/womens-network/invitations").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains("an operator at the command line"));
        assert!(!list.body.contains("operator:"));
        assert!(!list.body.contains(", police-scotland<") && !list.body.contains(", cleveland<"));
        assert!(
            list.body.contains(", Police Scotland") || list.body.contains(", Cleveland Police"),
            "{}",
            list.body
        );
    })
    .await;
}

/// The number in "Inspector (12 people could volunteer)", the first band offered.
fn first_offered(body: &str) -> Option<(String, usize)> {
    let option = body.split("<option value=\"").nth(1)?;
    let (code, rest) = option.split_once('"')?;
    let count = rest.split(" (").nth(1)?.split(' ').next()?.parse().ok()?;
    Some((code.to_owned(), count))
}

#[tokio::test]
async fn the_supply_page_offers_an_appeal_to_the_people_the_appeal_reaches() {
    on_each_demo(|store| async move {
        let app = app(store);
        let accounts = seeded(&app).await.accounts;
        let mut coordinator = signed_in(&app, &accounts, "coordinator (police-scotland)").await;
        let page = coordinator.get("/schemes/mentoring/supply").await;
        assert_eq!(page.status, StatusCode::OK);
        // Every short band says whether anyone is left to ask.
        for line in page.body.split("<li><strong>").skip(1) {
            let line = line.split("</li>").next().unwrap();
            if line.contains("than places:") {
                assert!(
                    line.contains("could still volunteer") || line.contains("left to ask"),
                    "{line}"
                );
            }
        }
        let (band, count) = first_offered(&page.body).expect("a band with people to ask");
        let sent = coordinator
            .post(
                "/schemes/mentoring/supply/appeal",
                &[
                    ("band", &band),
                    ("message", "We need mentors in your band."),
                ],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let after = coordinator.get(sent.location()).await;
        assert!(
            after
                .body
                .contains(&format!("The appeal was emailed to {count} ")),
            "the page said {count} could volunteer: {}",
            after.body
        );
        assert!(
            after.body.contains("an operator at the command line")
                || after.body.contains("Appeals sent")
        );
        assert!(!after.body.contains("person:"));
    })
    .await;
}

#[tokio::test]
async fn a_national_administrator_working_in_a_force_keeps_their_own_organisation() {
    on_each_demo(|store| async move {
        let app = app(store);
        let accounts = seeded(&app).await.accounts;
        let mut national = signed_in(&app, &accounts, "national_admin").await;
        let before = national.get("/account").await;
        assert!(!before.body.contains("Working in now"));
        let switched = national
            .post("/organisation", &[("organisation", "cleveland")])
            .await;
        assert_eq!(switched.status, StatusCode::SEE_OTHER);
        let account = national.get("/account").await;
        let row = |name: &str| {
            account
                .body
                .split(&format!("<dt>{name}</dt>"))
                .nth(1)
                .and_then(|it| it.split("</dd>").next())
                .map(|it| it.trim().trim_start_matches("<dd>").trim().to_owned())
        };
        assert_eq!(row("Organisation").as_deref(), Some("College of Policing"));
        assert_eq!(row("Working in now").as_deref(), Some("Cleveland Police"));
    })
    .await;
}

#[tokio::test]
async fn a_demo_visitor_reads_the_emails_the_demo_would_have_sent() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = seeded(&app).await;
        let mut served = Browser::new(&app, WebConfig::default());
        assert_eq!(
            served.get("/demo/emails").await.status,
            StatusCode::NOT_FOUND,
            "tandem serve has no such page"
        );

        let mut visitor = Browser::new(
            &app,
            WebConfig {
                demo: Some(DemoSignIns {
                    password: demo::DEMO_PASSWORD.to_owned(),
                    accounts: summary.accounts,
                }),
                ..WebConfig::default()
            },
        );
        let sign_in = visitor.get("/sign-in").await;
        assert!(sign_in.body.contains("href=\"/demo/emails\""));
        let emails = visitor.get("/demo/emails").await;
        assert_eq!(emails.status, StatusCode::OK);
        assert!(
            emails
                .body
                .contains("<h1>Emails the demo would have sent</h1>")
        );
        assert!(emails.body.contains("<dt>To</dt>"));
        assert!(emails.body.contains("<dt>Written</dt>"));
        assert!(
            emails.body.contains("http://tandem.test/"),
            "links open the demo"
        );
    })
    .await;
}
