//! Public pages: the catalogue, scheme pages, errors, health, assets and security headers.

use crate::{Browser, app, get, on_each_demo};
use axum::http::{StatusCode, header};
use tandem_app::demo;
use tandem_store::testing::on_each_backend;
use tandem_web::WebConfig;

#[tokio::test]
async fn the_home_page_lists_each_organisations_schemes_with_marking_and_skip_link() {
    on_each_backend(|store| async move {
        let app = app(store);
        let (status, _, body) = get(&app, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            body.contains("No organisation has been set up yet"),
            "{body}"
        );

        crate::demo_summary(&app).await;
        let (status, headers, body) = get(&app, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
        for expected in [
            "Police Scotland",
            "Cleveland Police",
            "College of Policing",
            "Traditional mentoring",
            "Reverse mentoring",
            "Women&#39;s chief officer network mentoring",
            "href=\"/organisations/cleveland/schemes/traditional\"",
            "<a href=\"#main\" class=\"skip-link\">Skip to main content</a>",
            "aria-label=\"Protective marking\">OFFICIAL</div>",
        ] {
            assert!(body.contains(expected), "the home page lacks {expected:?}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_scheme_page_shows_its_policy_in_words() {
    on_each_demo(|store| async move {
        let app = app(store);
        crate::demo_summary(&app).await;
        let (status, _, body) = get(&app, "/organisations/police-scotland/schemes/mentoring").await;
        assert_eq!(status, StatusCode::OK);
        for expected in [
            "<dd>Divisional champions match</dd>",
            "<dd>up to 2</dd>",
            "<dd>6 to 12 months</dd>",
            "<dd>6 to 8 weeks</dd>",
            "<dd>60 to 120 minutes</dd>",
            "<dd>Every 3 meetings and at the final meeting</dd>",
            "<dd>Moodle mentoring module for the mentor and mentee, before matching</dd>",
            "<dd>Not allowed</dd>",
        ] {
            assert!(
                body.contains(expected),
                "the scheme page lacks {expected:?}"
            );
        }
        let (status, _, body) = get(&app, "/organisations/cleveland/schemes/reverse").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Organisational development need"));
        assert!(body.contains("<dd>6 months</dd>"));
        assert!(body.contains("<dd>Mentor more junior than mentee (reverse)</dd>"));
    })
    .await;
}

#[tokio::test]
async fn unknown_addresses_get_a_plain_not_found_page() {
    on_each_backend(|store| async move {
        let app = app(store);
        for uri in [
            "/nowhere",
            "/organisations/cleveland/schemes/missing",
            "/organisations/NOT%20A%20CODE/schemes/x",
        ] {
            let (status, _, body) = get(&app, uri).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
            assert!(body.contains("Page not found"), "{uri}");
        }
    })
    .await;
}

#[tokio::test]
async fn an_error_page_keeps_the_signed_in_header_and_offers_the_way_back() {
    on_each_demo(|store| async move {
        let app = app(store);
        let accounts = crate::demo_summary(&app).await.accounts;
        let email = |role: &str| {
            accounts
                .iter()
                .find(|account| account.role.starts_with(role))
                .unwrap()
                .email
                .clone()
        };
        let sign_in = |email: String| {
            let app = app.clone();
            async move {
                let mut browser = Browser::new(&app, WebConfig::default());
                let reply = browser
                    .post(
                        "/sign-in",
                        &[("email", email.as_str()), ("password", demo::DEMO_PASSWORD)],
                    )
                    .await;
                assert_eq!(reply.location(), "/");
                browser
            }
        };
        let mut coordinator = sign_in(email("coordinator (police-scotland)")).await;
        let missing = coordinator
            .get_from(
                "/people/0190f3a4-0000-7000-8000-000000000000",
                Some("http://tandem.test/people?q=smith"),
            )
            .await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert!(missing.body.contains("Page not found"));
        assert!(
            missing.body.contains("Sign out"),
            "the signed-in header stays"
        );
        assert!(
            missing.body.contains("href=\"/people\""),
            "with the staff navigation"
        );
        assert!(
            missing
                .body
                .contains("<a href=\"/people?q=smith\">Go back to the page you were on</a>"),
            "{}",
            missing.body
        );
        // A link from another site is not offered as the way back.
        let elsewhere = coordinator
            .get_from("/nowhere", Some("http://evil.example/people"))
            .await;
        assert!(!elsewhere.body.contains("Go back to the page you were on"));
        assert!(elsewhere.body.contains("Sign out"));

        let mut participant = sign_in(email("participant (police-scotland)")).await;
        let refused = participant
            .get_from("/settings", Some("http://tandem.test/account"))
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.body.contains("Sign out"), "{}", refused.body);
        assert!(refused.body.contains("href=\"/account\">Go back"));
        // An address whose page number is not a number is the ordinary error page, signed in,
        // with the way back, not the framework's plain text.
        let board = coordinator
            .get_from(
                "/schemes/mentoring/matching?page=last",
                Some("http://tandem.test/schemes/mentoring/applications"),
            )
            .await;
        assert_eq!(board.status, StatusCode::BAD_REQUEST);
        assert!(
            board
                .body
                .contains("such as a page number that is not a number")
                && board.body.contains("Sign out")
                && board
                    .body
                    .contains("href=\"/schemes/mentoring/applications\">Go back"),
            "{}",
            board.body
        );
        // A page past the last is the last.
        let past = coordinator
            .get("/schemes/mentoring/matching?page=999")
            .await;
        assert_eq!(past.status, StatusCode::OK);
        // Signed out, the plain header: no one's name, no sign-out.
        let (status, _, body) = get(&app, "/nowhere").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!body.contains("Sign out"));
    })
    .await;
}

#[tokio::test]
async fn health_answers_when_the_database_does_and_pages_carry_security_headers() {
    on_each_backend(|store| async move {
        let app = app(store);
        let (status, headers, body) = get(&app, "/healthz").await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, "ok"));
        let csp = headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(headers[header::X_FRAME_OPTIONS], "DENY");

        app.store.close().await;
        let (status, _, _) = get(&app, "/healthz").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    })
    .await;
}

#[tokio::test]
async fn the_stylesheet_is_served() {
    on_each_backend(|store| async move {
        let (status, headers, body) = get(&app(store), "/assets/tandem.css").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
        assert!(body.contains(".skip-link"));
    })
    .await;
}
