//! The period of the dashboard, equality monitoring and the evaluation results, asked with
//! GOV.UK's three date boxes: a good date sets the period, a bad one is said in the summary and
//! at its field with the boxes as typed, and an old `from=YYYY-MM-DD` link still works.

use crate::app;
use crate::on_each_demo;
use crate::reports::{demo_accounts, signed_in};
use axum::http::StatusCode;

/// Each report page with its period, and who reads it.
const PAGES: [(&str, &str); 3] = [
    ("/reports?", "coordinator (police-scotland)"),
    (
        "/reports/equality?role=mentee&",
        "organisation_admin (police-scotland)",
    ),
    (
        "/reports/evaluation?scheme=mentoring&",
        "coordinator (police-scotland)",
    ),
];

/// The box `id` holding `value`, as the page draws it.
fn holds(body: &str, id: &str, value: &str) -> bool {
    body.contains(&format!(
        "id=\"{id}\" name=\"{id}\" type=\"text\" inputmode=\"numeric\" value=\"{value}\""
    ))
}

#[tokio::test]
async fn each_report_reads_its_period_from_three_boxes_and_says_a_bad_date_at_its_field() {
    on_each_demo(|store| async move {
        let app = app(store);
        let accounts = demo_accounts(&app).await;
        for (path, role) in PAGES {
            let mut staff = signed_in(&app, &accounts, role).await;

            // Drawn as three boxes each, no native picker.
            let page = staff.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert!(
                !page.body.contains("type=\"date\"")
                    && page.body.contains("<legend class=\"label\">From</legend>")
                    && page.body.contains("<legend class=\"label\">To</legend>")
                    && holds(&page.body, "to-year", "2026"),
                "{path}: {}",
                page.body
            );

            // A good date: the figures and their downloads cover it.
            let good = staff
                .get(&format!(
                    "{path}from-day=1&from-month=1&from-year=2026&to-day=30&to-month=6&to-year=2026"
                ))
                .await;
            assert_eq!(good.status, StatusCode::OK, "{path}");
            assert!(
                good.body.contains("from=2026-01-01&#38;to=2026-06-30")
                    && holds(&good.body, "from-day", "1")
                    && holds(&good.body, "to-month", "6")
                    && !good.body.contains("There is a problem"),
                "{path}: {}",
                good.body
            );

            // An old link with one value a date still works.
            let old = staff.get(&format!("{path}from=2026-01-01&to=2026-06-30")).await;
            assert!(
                old.body.contains("from=2026-01-01&#38;to=2026-06-30")
                    && holds(&old.body, "from-month", "1"),
                "{path}: {}",
                old.body
            );

            // A bad date: the page, the message in the summary and at the field, as typed.
            let bad = staff
                .get(&format!(
                    "{path}from-day=31&from-month=2&from-year=2026&to-day=&to-month=6&to-year=2026"
                ))
                .await;
            assert_eq!(bad.status, StatusCode::OK, "{path}");
            for expected in [
                "<a href=\"#from-day\">The first day of the period must be a real date</a>",
                "id=\"from-error\"><span class=\"visually-hidden\">Error:</span> The first day of the period must be a real date</p>",
                "<a href=\"#to-day\">The last day of the period must include a day</a>",
                "id=\"to-error\"",
            ] {
                assert!(bad.body.contains(expected), "{path}: {expected} in {}", bad.body);
            }
            assert!(
                holds(&bad.body, "from-day", "31")
                    && holds(&bad.body, "from-month", "2")
                    && holds(&bad.body, "to-day", ""),
                "{path}: what was typed is kept"
            );
            assert!(!bad.body.contains("There is a problem with what was sent"));
        }
    })
    .await;
}
