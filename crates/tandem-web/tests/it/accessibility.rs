//! The accessibility statement (R8.6): linked from every page, in the model statement's
//! structure, with what each organisation's administrator sets; partially compliant whenever a
//! known issue is listed.

use crate::{Browser, app, on_each_demo};
use axum::http::StatusCode;
use tandem_app::demo;
use tandem_core::authz::Actor;
use tandem_web::WebConfig;

#[tokio::test]
async fn an_administrator_sets_the_statement_and_a_known_issue_makes_it_partially_compliant() {
    on_each_demo(|store| async move {
        let app = app(store);
        let accounts = demo::seed(&app, &Actor::Operator { name: "test".to_owned() }, "http://tandem.test").await.unwrap().accounts;
        let email = |role: &str| accounts.iter().find(|account| account.role == role).unwrap().email.clone();
        let mut visitor = Browser::new(&app, WebConfig::default());

        // Signed out, with three organisations: a choice, linked from every page's footer.
        let home = visitor.get("/").await;
        assert!(home.body.contains("<a href=\"/accessibility\">Accessibility statement</a>"));
        let choice = visitor.get("/accessibility").await;
        assert_eq!(choice.status, StatusCode::OK);
        assert!(choice.body.contains("<a href=\"/accessibility?organisation=cleveland\">Cleveland Police</a>"), "{}", choice.body);
        let before = visitor.get("/accessibility?organisation=cleveland").await;
        for expected in [
            "<h1>Accessibility statement for Tandem</h1>",
            "This service is run by Cleveland Police.",
            "Cleveland Police has not yet given a contact for accessibility",
            "This service is fully compliant with the",
            "Equality and Human Rights Commission",
            "Equality Commission for Northern Ireland",
            "checks each page it visits with the axe-core accessibility engine",
            "Cleveland Police has not yet recorded a check of this service by hand.",
        ] {
            assert!(before.body.contains(expected), "missing {expected:?} in {}", before.body);
        }
        for (_, name) in tandem_web::PAGES {
            let name = name.replace('\'', "&#39;");
            assert!(before.body.contains(&format!("<li>{name}</li>")), "the statement does not name {name:?}");
        }
        assert_eq!(visitor.get("/accessibility?organisation=nowhere").await.status, StatusCode::NOT_FOUND);

        // Only an administrator sets it.
        let mut coordinator = Browser::new(&app, WebConfig::default());
        coordinator.post("/sign-in", &[("email", &email("coordinator (cleveland)")), ("password", demo::DEMO_PASSWORD)]).await;
        assert_eq!(coordinator.get("/settings/accessibility").await.status, StatusCode::FORBIDDEN);
        let refused = coordinator.post("/settings/accessibility/issues", &[("description", "x"), ("criterion", "1.4.3")]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        let mut admin = Browser::new(&app, WebConfig::default());
        admin.post("/sign-in", &[("email", &email("organisation_admin (cleveland)")), ("password", demo::DEMO_PASSWORD)]).await;
        assert!(admin.get("/settings").await.body.contains("href=\"/settings/accessibility\""));

        // Bad input: every problem at its field, what was typed kept, nothing saved.
        let bad = admin
            .post("/settings/accessibility", &[
                ("email", "not an address"),
                ("phone", "call us"),
                ("reply_within_days", "100"),
                ("prepared_on-day", "20"),
                ("prepared_on-month", "11"),
                ("prepared_on-year", "2026"),
                ("reviewed_on", "2026-01-15"),
                ("manually_checked_on-day", "1"),
                ("manually_checked_on-month", "13"),
                ("manually_checked_on-year", "2026"),
            ])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for expected in [
            "<a href=\"#email\">Email address &#39;not an address&#39; is not a valid email address",
            "<a href=\"#phone\">Telephone number is not a telephone number",
            "<a href=\"#reply_within_days\">Days to reply must be a whole number of working days from 1 to 60</a>",
            "<a href=\"#reviewed_on\">Date last reviewed is before the statement was prepared</a>",
            "<a href=\"#manually_checked_on\">The date last checked by hand must be a real date</a>",
            "id=\"manually_checked_on-error\"><span class=\"visually-hidden\">Error:</span> The date last checked by hand must be a real date",
            "value=\"call us\"",
            // Dates are GOV.UK's three boxes, kept as typed.
            "id=\"prepared_on-day\" name=\"prepared_on-day\" type=\"text\" inputmode=\"numeric\" value=\"20\"",
            "id=\"manually_checked_on-month\" name=\"manually_checked_on-month\" type=\"text\" inputmode=\"numeric\" value=\"13\"",
        ] {
            assert!(bad.body.contains(expected), "missing {expected:?} in {}", bad.body);
        }
        assert!(visitor.get("/accessibility?organisation=cleveland").await.body.contains("has not yet given a contact"));

        let saved = admin
            .post("/settings/accessibility", &[
                ("email", "accessibility@cleveland.police.uk"),
                ("phone", "01642 326326"),
                ("reply_within_days", "10"),
                ("prepared_on", "2026-01-15"),
                ("reviewed_on", "2026-11-20"),
                ("manually_checked_on", "2026-10-01"),
            ])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

        let bad_issue = admin.post("/settings/accessibility/issues", &[("description", "The matching board's chart has no text alternative"), ("criterion", "4.1.1"), ("fix_by-day", "31"), ("fix_by-month", "2"), ("fix_by-year", "2027")]).await;
        assert_eq!(bad_issue.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad_issue.body.contains("&#39;4.1.1&#39; is not a WCAG 2.2 success criterion at level A or AA"), "{}", bad_issue.body);
        assert!(bad_issue.body.contains("<a href=\"#fix_by\">The date the fix is planned by must be a real date</a>"), "{}", bad_issue.body);
        assert!(bad_issue.body.contains("name=\"fix_by-day\" type=\"text\" inputmode=\"numeric\" value=\"31\""), "{}", bad_issue.body);
        assert!(!bad_issue.body.contains("type=\"date\""), "no native date picker");
        assert!(bad_issue.body.contains("The matching board&#39;s chart has no text alternative</textarea>"), "{}", bad_issue.body);

        let added = admin
            .post("/settings/accessibility/issues", &[
                ("description", "The matching board's chart has no text alternative"),
                ("description_cy", "Nid oes gan siart y bwrdd paru ddewis testun arall"),
                ("criterion", "1.1.1"),
                ("fix_by", "2027-03-31"),
            ])
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);

        // The statement of a signed-in person is their organisation's.
        let mut mentee = Browser::new(&app, WebConfig::default());
        let cleveland_mentee = accounts
            .iter()
            .find(|account| account.role.starts_with("mentee") && account.role.ends_with("(cleveland)"))
            .unwrap()
            .email
            .clone();
        mentee.post("/sign-in", &[("email", &cleveland_mentee), ("password", demo::DEMO_PASSWORD)]).await;
        let statement = mentee.get("/accessibility").await;
        for expected in [
            "<a href=\"mailto:accessibility@cleveland.police.uk\">accessibility@cleveland.police.uk</a> or call 01642 326326",
            "reply within 10 working days",
            "This service is partially compliant with the",
            "due to the non-compliances listed below",
            "The matching board&#39;s chart has no text alternative",
            "<p lang=\"cy\">Nid oes gan siart y bwrdd paru ddewis testun arall</p>",
            "This fails WCAG 2.2 success criterion 1.1.1 (Non-text Content). We plan to fix it by 31 March 2027.",
            "Cleveland Police last checked this service by hand on 1 October 2026.",
            "This statement was prepared on 15 January 2026. It was last reviewed on 20 November 2026.",
            "<a href=\"/account/adjustments\">reasonable adjustments</a>",
        ] {
            assert!(statement.body.contains(expected), "missing {expected:?} in {}", statement.body);
        }
        // Another organisation's statement is its own.
        assert!(visitor.get("/accessibility?organisation=police-scotland").await.body.contains("This service is fully compliant with the"));

        // Fixed: removed, and the statement is fully compliant again.
        let settings = admin.get("/settings/accessibility").await;
        let start = settings.body.find("/settings/accessibility/issues/").unwrap();
        let action = settings.body[start..].split('"').next().unwrap().to_owned();
        assert_eq!(admin.post(&action, &[]).await.status, StatusCode::SEE_OTHER);
        assert_eq!(admin.post(&action, &[]).await.status, StatusCode::NOT_FOUND);
        assert!(mentee.get("/accessibility").await.body.contains("This service is fully compliant with the"));

        let mut tx = app.store.begin_read().await.unwrap();
        for action in ["accessibility.statement_saved", "accessibility.issue_added", "accessibility.issue_removed"] {
            assert_eq!(tx.count_audit(tandem_core::audit::AuditAction::parse(action).unwrap()).await.unwrap(), 1, "{action}");
        }
        tx.rollback().await.unwrap();
    })
    .await;
}

#[test]
fn the_statement_names_every_page_route_and_only_those() {
    use std::collections::BTreeSet;
    let gets: BTreeSet<&str> = tandem_web::ROUTES
        .iter()
        .filter(|(method, _)| *method == "get")
        .map(|(_, path)| *path)
        .collect();
    let pages: BTreeSet<&str> = tandem_web::PAGES.iter().map(|(path, _)| *path).collect();
    let not_pages: BTreeSet<&str> = tandem_web::NOT_PAGES.iter().copied().collect();
    assert_eq!(
        pages.len(),
        tandem_web::PAGES.len(),
        "a page is listed twice"
    );
    assert!(
        pages.is_disjoint(&not_pages),
        "{:?}",
        pages.intersection(&not_pages).collect::<Vec<_>>()
    );
    let listed: BTreeSet<&str> = pages.union(&not_pages).copied().collect();
    let unnamed: Vec<&&str> = gets.difference(&listed).collect();
    assert!(
        unnamed.is_empty(),
        "get routes the accessibility statement does not account for: add each page to tandem_web::PAGES \
         (and an example to the browser suite's every_page_the_accessibility_statement_names_passes_axe), \
         or to NOT_PAGES if it answers with no page: {unnamed:?}"
    );
    let gone: Vec<&&str> = listed.difference(&gets).collect();
    assert!(gone.is_empty(), "listed but no longer routes: {gone:?}");
}
