//! The programme dashboard (R10.1, R10.5): charts drawn on the server with their data table,
//! summary and download, for the staff whose scope it is, and a period typed wrong that is
//! said so at its field.

use crate::{Browser, app, on_each_demo};
use axum::http::StatusCode;
use tandem_app::demo;
use tandem_core::authz::Actor;
use tandem_web::WebConfig;

pub(crate) async fn demo_accounts(app: &tandem_app::App) -> Vec<demo::DemoAccount> {
    demo::seed(
        app,
        &Actor::Operator {
            name: "test".to_owned(),
        },
        "http://tandem.test",
    )
    .await
    .unwrap()
    .accounts
}

/// A browser signed in as the demo account whose role starts with `role`.
pub(crate) async fn signed_in(
    app: &tandem_app::App,
    accounts: &[demo::DemoAccount],
    role: &str,
) -> Browser {
    let email = &accounts
        .iter()
        .find(|account| account.role.starts_with(role))
        .unwrap_or_else(|| panic!("a demo account {role}"))
        .email;
    let mut browser = Browser::new(app, WebConfig::default());
    browser
        .post(
            "/sign-in",
            &[("email", email), ("password", demo::DEMO_PASSWORD)],
        )
        .await;
    browser
}

#[tokio::test]
async fn a_coordinator_reads_each_chart_beside_its_table_and_downloads_it_with_the_marking() {
    on_each_demo(|store| async move {
        let app = app(store);
        let accounts = demo_accounts(&app).await;
        let mut coordinator = signed_in(&app, &accounts, "coordinator (police-scotland)").await;
        assert!(coordinator.get("/").await.body.contains("<a href=\"/reports\""));
        let page = coordinator.get("/reports").await;
        assert_eq!(page.status, StatusCode::OK);
        for expected in [
            "<h1>Programme reports</h1>",
            "Figures for Police Scotland, 24 Nov 2025 to 23 Nov 2026, compared with 24 Nov 2024 to 23 Nov 2025.",
            "<h2 id=\"dashboard-headline\">The programme at a glance</h2>",
            "<th scope=\"row\">Matches made</th>",
            // Each chart is an image with its title and summary, and keeps its data table.
            "<svg class=\"chart\" viewBox=\"0 0 640",
            "role=\"img\" aria-labelledby=\"dashboard-monthly-title dashboard-monthly-desc\"",
            "<title id=\"dashboard-applications-title\">Applications received, by role and where they stand now</title>",
            "<polyline class=\"chart__line chart__stroke--1\"",
            "fill=\"url(#dashboard-divisions-p1)\"",
            "<h2 id=\"dashboard-divisions\">By division</h2>",
            "href=\"/reports/dashboard-monthly.csv?from=2025-11-24&#38;to=2026-11-23\"",
        ] {
            assert!(page.body.contains(expected), "missing {expected:?} in {}", page.body);
        }
        // The demo's pairs had their sessions over the months before today.
        let sessions = page
            .body
            .split("<th scope=\"row\">Sessions held</th>")
            .nth(1)
            .and_then(|rest| rest.split("</td>").next())
            .unwrap_or_default()
            .to_owned();
        assert!(!sessions.ends_with(">0"), "sessions were held: {sessions}");

        let download = coordinator
            .get("/reports/dashboard-headline.csv?from=2026-01-01&to=2026-06-30")
            .await;
        assert_eq!(download.status, StatusCode::OK);
        assert_eq!(download.headers["content-type"], "text/csv; charset=utf-8");
        assert!(download.headers["content-disposition"].to_str().unwrap().contains("police-scotland-all-schemes-dashboard-headline.csv"));
        let mut lines = download.body.lines();
        assert_eq!(lines.next(), Some("# OFFICIAL"));
        assert_eq!(lines.next(), Some("\"# The programme at a glance: Police Scotland, 1 Jan 2026 to 30 Jun 2026\""));
        assert_eq!(lines.next(), Some("Measure,This period,Previous period,Change"));
        assert_eq!(coordinator.get("/reports/dashboard-nothing.csv").await.status, StatusCode::NOT_FOUND);

        // A period typed wrong is said at its field; the figures stay, for the default period.
        let wrong = coordinator.get("/reports?from=2026-02-30&to=2026-03-31").await;
        assert_eq!(wrong.status, StatusCode::OK);
        assert!(wrong.body.contains("<a href=\"#from-day\">From &#39;2026-02-30&#39; is not a date; give it as YYYY-MM-DD, e.g. 2026-01-31</a>"), "{}", wrong.body);
        assert!(wrong.body.contains("name=\"from-day\" type=\"text\" inputmode=\"numeric\" value=\"30\""), "what was typed is kept");
        assert!(wrong.body.contains("Figures for Police Scotland, 24 Nov 2025 to 23 Nov 2026"));

        // A participant has no reports; a champion has their division's.
        let mut member = signed_in(&app, &accounts, "mentee in an active relationship (police-scotland)").await;
        assert!(!member.get("/").await.body.contains("href=\"/reports\""));
        assert_eq!(member.get("/reports").await.status, StatusCode::FORBIDDEN);
        assert_eq!(member.get("/reports/dashboard-headline.csv").await.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn equality_monitoring_suppresses_small_groups_and_an_administrator_sets_the_threshold() {
    on_each_demo(|store| async move {
        let app = app(store);
        let accounts = demo_accounts(&app).await;
        let mut admin = signed_in(&app, &accounts, "organisation_admin (police-scotland)").await;
        assert!(
            admin
                .get("/reports")
                .await
                .body
                .contains("<a href=\"/reports/equality\">equality monitoring</a>")
        );
        let page = admin.get("/reports/equality?role=mentee").await;
        assert_eq!(page.status, StatusCode::OK);
        for expected in [
            "<h1>Equality monitoring</h1>",
            "<h2 id=\"equality-sex\">Equality monitoring: sex</h2>",
            "<h2 id=\"equality-caring-responsibilities\">",
            "<th scope=\"col\" class=\"numeric\">Matched of applied %</th>",
            "<td class=\"numeric suppressed\">fewer than 5</td>",
            "<td class=\"numeric suppressed\">hidden</td>",
            "href=\"/reports/equality-sex.csv?role=mentee&#38;from=",
            "<option value=\"mentee\" selected>To be mentored</option>",
            "name=\"threshold\" value=\"5\"",
        ] {
            assert!(
                page.body.contains(expected),
                "missing {expected:?} in {}",
                page.body
            );
        }
        let csv = admin.get("/reports/equality-sex.csv?role=mentee").await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.body.starts_with("# OFFICIAL\n"), "{}", csv.body);
        assert!(csv.body.contains("fewer than 5"), "{}", csv.body);
        assert_eq!(
            admin.get("/reports/equality?role=coach").await.status,
            StatusCode::BAD_REQUEST
        );

        // Each look is in the audit log, naming what was looked at and nobody.
        let audit = admin.get("/audit").await;
        assert!(
            audit.body.contains("Viewed equality monitoring"),
            "{}",
            audit.body
        );
        assert!(
            !audit.body.contains("equality.viewed"),
            "codes are not words"
        );

        // A threshold typed wrong is said at its field and kept; a good one is used at once.
        let csrf = admin.csrf();
        let refused = admin
            .post(
                "/reports/equality/threshold",
                &[("csrf", &csrf), ("threshold", "none")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("<a href=\"#threshold\">"),
            "{}",
            refused.body
        );
        assert!(refused.body.contains("name=\"threshold\" value=\"none\""));
        let saved = admin
            .post(
                "/reports/equality/threshold",
                &[("csrf", &csrf), ("threshold", "1")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let after = admin.get("/reports/equality?role=mentee").await;
        assert!(
            after
                .body
                .contains("Saved: counts below 1 now show as “fewer than 1”."),
            "{}",
            after.body
        );
        assert!(
            !after.body.contains("suppressed\">"),
            "a threshold of 1 shows every count"
        );

        // A coordinator reads the tables but does not set the threshold; a participant neither.
        let mut coordinator = signed_in(&app, &accounts, "coordinator (police-scotland)").await;
        let theirs = coordinator.get("/reports/equality").await;
        assert_eq!(theirs.status, StatusCode::OK);
        assert!(!theirs.body.contains("name=\"threshold\""));
        let csrf = coordinator.csrf();
        let refused = coordinator
            .post(
                "/reports/equality/threshold",
                &[("csrf", &csrf), ("threshold", "9")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        let mut member = signed_in(
            &app,
            &accounts,
            "mentee in an active relationship (police-scotland)",
        )
        .await;
        assert_eq!(
            member.get("/reports/equality").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            member.get("/reports/equality-sex.csv").await.status,
            StatusCode::FORBIDDEN
        );
    })
    .await;
}
