//! Importing the HR directory from the browser: every bad row shown and nothing written; a
//! preview of the changes; the import only on confirmation, once.

use crate::{Browser, app, on_each_demo};
use axum::http::StatusCode;
use tandem_app::{App, demo, people};
use tandem_core::authz::Actor;
use tandem_core::domain::OrgCode;
use tandem_web::WebConfig;

async fn signed_in(app: &App, role: &str) -> Browser {
    let accounts = demo::seed(
        app,
        &Actor::Operator {
            name: "test".to_owned(),
        },
        "http://tandem.test",
    )
    .await
    .unwrap()
    .accounts;
    let email = accounts
        .iter()
        .find(|account| account.role.starts_with(role))
        .unwrap()
        .email
        .clone();
    let mut browser = Browser::new(app, WebConfig::default());
    browser
        .post(
            "/sign-in",
            &[("email", &email), ("password", demo::DEMO_PASSWORD)],
        )
        .await;
    browser
}

async fn cleveland_export(app: &App) -> String {
    let code = OrgCode::parse("cleveland").unwrap();
    String::from_utf8(
        people::export(
            app,
            &Actor::Operator {
                name: "test".to_owned(),
            },
            Some(&code),
        )
        .await
        .unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn a_bad_file_shows_every_problem_and_changes_nothing() {
    on_each_demo(|store| async move {
        let app = app(store);
        let mut browser = signed_in(&app, "organisation_admin (cleveland)").await;
        let mut file = cleveland_export(&app).await;
        file.push_str("999999,cleveland,Ed,Cole,not-an-email,,,Constable,officer,,2020-02-30,,,serving,,,,,,,,\n");
        let before = app.store.begin_read().await.unwrap().recent_audit(1).await.unwrap();
        let reply = browser.post_file("/people/import", &[], "extract.csv", file.as_bytes()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
        assert!(reply.body.contains("extract.csv has 2 problems. Nothing was changed."), "{}", reply.body);
        assert!(reply.body.contains("<td>email</td><td>&#39;not-an-email&#39; is not a valid email address</td>"), "{}", reply.body);
        assert!(reply.body.contains("<td>start_date</td>"));
        let after = app.store.begin_read().await.unwrap().recent_audit(1).await.unwrap();
        assert_eq!(before, after, "nothing was written, not even an audit entry");
    })
    .await;
}

#[tokio::test]
async fn problems_name_the_lines_a_spreadsheet_shows_in_a_windows_file() {
    on_each_demo(|store| async move {
        let app = app(store);
        let mut browser = signed_in(&app, "organisation_admin (cleveland)").await;
        let export = cleveland_export(&app).await;
        let mut lines: Vec<String> = export.lines().map(str::to_owned).collect();
        let bad = lines.len() + 1;
        lines.push("999999,cleveland,Ed,Cole,not-an-email,,,Constable,officer,,2020-01-01,,,serving,,,,,,,,".to_owned());
        let file = lines.join("\r\n") + "\r\n";
        let reply = browser.post_file("/people/import", &[], "extract.csv", file.as_bytes()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
        assert!(
            reply.body.contains(&format!("<tr><td>{bad}</td><td>email</td>")),
            "the bad row is on line {bad}: {}",
            reply.body
        );
    })
    .await;
}

#[tokio::test]
async fn a_good_file_is_previewed_then_imported_once_on_confirmation() {
    on_each_demo(|store| async move {
        let app = app(store);
        let mut browser = signed_in(&app, "organisation_admin (cleveland)").await;
        let export = cleveland_export(&app).await;
        let mut lines: Vec<String> = export.lines().map(str::to_owned).collect();
        let first_name = lines[1].split(',').nth(2).unwrap().to_owned();
        lines[1] = lines[1].replacen(&format!(",{first_name},"), ",Renamed,", 1);
        lines.push("399999,cleveland,Nia,Okoye,nia.okoye@cleveland.police.uk,Response,Middlesbrough,Constable,officer,,2025-09-01,true,false,serving,,,,,,,,".to_owned());
        let file = lines.join("\n") + "\n";

        let preview = browser.post_file("/people/import", &[], "monday.csv", file.as_bytes()).await;
        assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
        assert!(preview.body.contains("<dt>People added</dt><dd>1</dd>"), "{}", preview.body);
        assert!(preview.body.contains("<dt>Records changed</dt><dd>1</dd>"));
        assert!(preview.body.contains("<td>Nia Okoye</td><td>added</td>"));
        assert!(preview.body.contains("<td>changed</td><td>first_name</td>"));
        let nobody_yet = browser.get("/people?q=okoye").await;
        assert!(nobody_yet.body.contains("No people match."), "nothing is written before confirmation");

        let action = {
            let start = preview.body.find("/confirm").unwrap();
            let from = preview.body[..start].rfind('"').unwrap() + 1;
            preview.body[from..start + "/confirm".len()].to_owned()
        };
        let confirmed = browser.post(&action, &[]).await;
        assert_eq!(confirmed.status, StatusCode::SEE_OTHER, "{}", confirmed.body);
        let done = browser.get(confirmed.location()).await;
        assert!(done.body.contains("monday.csv was imported."));
        assert!(done.body.contains("<dt>created</dt><dd>1</dd>"));
        assert!(browser.get("/people?q=okoye").await.body.contains("Nia Okoye"));

        let twice = browser.post(&action, &[]).await;
        assert_eq!(twice.status, StatusCode::CONFLICT);
        assert!(twice.body.contains("This file has already been imported"));

        let mut other = signed_in(&app, "organisation_admin (cleveland)").await;
        assert_eq!(other.get(confirmed.location()).await.status, StatusCode::OK, "the same person in another browser");
        let mut stranger = Browser::new(&app, WebConfig::default());
        let accounts = demo::seed(&app, &Actor::Operator { name: "test".to_owned() }, "http://tandem.test").await.unwrap().accounts;
        let national = accounts.iter().find(|account| account.role.starts_with("national_admin")).unwrap().email.clone();
        stranger.post("/sign-in", &[("email", &national), ("password", demo::DEMO_PASSWORD)]).await;
        assert_eq!(stranger.get(confirmed.location()).await.status, StatusCode::NOT_FOUND, "someone else's upload is not theirs to see");
    })
    .await;
}

#[tokio::test]
async fn only_administrators_may_import_and_an_upload_needs_the_form_token() {
    on_each_demo(|store| async move {
        let app = app(store);
        let mut coordinator = signed_in(&app, "coordinator (cleveland)").await;
        assert_eq!(
            coordinator.get("/people/import").await.status,
            StatusCode::FORBIDDEN
        );
        assert!(
            !coordinator
                .get("/people")
                .await
                .body
                .contains("Import the HR directory")
        );

        let mut admin = signed_in(&app, "organisation_admin (cleveland)").await;
        assert!(
            admin
                .get("/people")
                .await
                .body
                .contains("Import the HR directory")
        );
        let empty = admin
            .post_file("/people/import", &[], "empty.csv", b"")
            .await;
        assert!(empty.body.contains("Choose a CSV file to upload"));
        admin
            .cookies
            .retain(|name, _| !name.ends_with("tandem_csrf"));
        admin
            .cookies
            .insert("tandem_csrf".to_owned(), "f".repeat(64));
        let forged = admin
            .post_file(
                "/people/import",
                &[("csrf", "0")],
                "x.csv",
                b"staff_number\n",
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn a_file_of_many_bad_rows_shows_the_first_problems_with_counts_and_downloads_them_all() {
    on_each_demo(|store| async move {
        let app = app(store);
        let mut browser = signed_in(&app, "organisation_admin (cleveland)").await;
        let mut file = cleveland_export(&app).await;
        for n in 0..300 {
            file.push_str(&format!("{},cleveland,=cmd|' /C calc'!A0,Cole,not-an-email,,,Constable,officer,,2020-02-30,,,serving,,,,,,,,\n", 900_000 + n));
        }
        let reply = browser.post_file("/people/import", &[], "bad.csv", file.as_bytes()).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
        assert!(reply.body.contains("bad.csv has 600 problems. Nothing was changed."), "{}", reply.body);
        assert!(reply.body.contains("<tr><td>Values that do not parse</td><td class=\"numeric\">600</td></tr>"), "{}", reply.body);
        assert!(reply.body.contains("The first 200 problems, by line (400 more are in the download below)"), "{}", reply.body);
        assert_eq!(reply.body.matches("is not a valid email address").count(), 100, "two problems a row, the first 200 shown");
        assert!(reply.body.contains("action=\"/people/import/problems\""));

        let download = browser.post_file("/people/import/problems", &[], "bad.csv", file.as_bytes()).await;
        assert_eq!(download.status, StatusCode::OK, "{}", download.body);
        assert_eq!(download.headers.get("content-type").unwrap(), "text/csv; charset=utf-8");
        assert!(download.headers.get("content-disposition").unwrap().to_str().unwrap().contains("bad-problems.csv"));
        let lines: Vec<&str> = download.body.lines().collect();
        assert_eq!(lines[1], "line,column,kind,problem");
        assert_eq!(lines.len(), 2 + 600, "the marking, the header and every problem");
        assert!(lines.iter().filter(|line| line.contains(",email,invalid_value,")).count() == 300);
        assert_eq!(
            cleveland_export(&app).await.lines().count(),
            file.lines().count() - 300,
            "nothing was written"
        );
    })
    .await;
}
