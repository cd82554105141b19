//! Records and retention (R8.3) in the browser: an administrator reads the schedule and what the
//! next run would take, a bad month count is shown at its field with what was typed, a good one
//! is saved, and the run can be started now; nobody else gets the page.

use crate::app;
use crate::reports::{demo_accounts, signed_in};
use axum::http::StatusCode;
use tandem_store::testing::on_each_backend;

#[tokio::test]
async fn an_administrator_sets_how_long_records_are_kept_and_sees_what_the_next_run_takes() {
    on_each_backend(|store| async move {
        let app = app(store);
        let accounts = demo_accounts(&app).await;
        let mut coordinator = signed_in(&app, &accounts, "coordinator (cleveland)").await;
        assert_eq!(coordinator.get("/settings/records").await.status, StatusCode::FORBIDDEN);
        let refused = coordinator.post("/settings/records/dispose", &[]).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        let mut admin = signed_in(&app, &accounts, "organisation_admin (cleveland)").await;
        assert!(admin.get("/settings").await.body.contains("href=\"/settings/records\""));
        let page = admin.get("/settings/records").await;
        assert_eq!(page.status, StatusCode::OK);
        for expected in [
            "<h1>Records and retention</h1>",
            "name=\"pair_content\" inputmode=\"numeric\" value=\"12\"",
            "name=\"ended_applications\" inputmode=\"numeric\" value=\"6\"",
            "name=\"evaluation_text\" inputmode=\"numeric\" value=\"24\"",
            "<strong>Diversity answers</strong> are kept while the person is employed",
            "What the next run would dispose of",
        ] {
            assert!(page.body.contains(expected), "missing {expected:?} in {}", page.body);
        }

        let bad = admin
            .post("/settings/records", &[("pair_content", "18"), ("ended_applications", "six"), ("evaluation_text", "24")])
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for expected in [
            "<a href=\"#ended_applications\">Applications declined or withdrawn: enter a whole number of months from 0 to 120</a>",
            "value=\"six\"",
            "value=\"18\"",
        ] {
            assert!(bad.body.contains(expected), "missing {expected:?} in {}", bad.body);
        }
        assert!(admin.get("/settings/records").await.body.contains("value=\"12\""), "nothing was saved");

        let saved = admin
            .post("/settings/records", &[("pair_content", "18"), ("ended_applications", "3"), ("evaluation_text", "36")])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let page = admin.get("/settings/records?done=saved").await;
        assert!(page.body.contains("The retention schedule was saved."));
        assert!(page.body.contains("name=\"pair_content\" inputmode=\"numeric\" value=\"18\""));

        let run = admin.post("/settings/records/dispose", &[]).await;
        assert_eq!(run.status, StatusCode::SEE_OTHER);
        let location = run.location().to_owned();
        assert!(location.starts_with("/settings/records?done=disposed&disposed="), "{location}");
        let after = admin.get(&location).await;
        assert!(after.body.contains("disposed of") || after.body.contains("Nothing was due"), "{}", after.body);
        assert!(after.body.contains("Nothing is past its retention now."), "{}", after.body);
    })
    .await;
}
