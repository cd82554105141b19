//! Every route against every kind of visitor: who may use it, who is refused, who must sign in.
//! The table is built from `tandem_web::ROUTES`, so a new route appears here before it ships.

use crate::{Browser, Reply, app};
use axum::http::StatusCode;
use std::fmt::Write as _;
use tandem_app::{demo, roles};
use tandem_core::PersonId;
use tandem_core::authz::{Actor, Grant, Scope, StaffRole};
use tandem_store::testing::on_each_backend;
use tandem_web::WebConfig;

fn outcome(reply: &Reply) -> &'static str {
    match reply.status {
        StatusCode::SEE_OTHER if reply.location().starts_with("/sign-in") => "sign-in",
        StatusCode::FORBIDDEN => "denied",
        StatusCode::NOT_FOUND => "missing",
        status
            if status.is_success()
                || status.is_redirection()
                || status == StatusCode::UNPROCESSABLE_ENTITY =>
        {
            "allowed"
        }
        status => panic!("unexpected status {status}: {}", reply.body),
    }
}

#[tokio::test]
async fn every_route_answers_every_role_as_the_rules_say() {
    on_each_backend(|store| async move {
        let app = app(store);
        let operator = Actor::Operator { name: "test".to_owned() };
        let summary = demo::seed(&app, &operator).await.unwrap();
        let email = |role: &str| summary.accounts.iter().find(|account| account.role.starts_with(role)).unwrap().email.clone();
        let visitors: Vec<(&str, Option<String>)> = vec![
            ("anonymous", None),
            ("participant", Some(email("participant (police-scotland)"))),
            ("line manager", Some(email("line manager (police-scotland)"))),
            ("champion", Some(email("champion (police-scotland"))),
            ("coordinator", Some(email("coordinator (police-scotland)"))),
            ("admin", Some(email("organisation_admin (police-scotland)"))),
            ("cleveland admin", Some(email("organisation_admin (cleveland)"))),
            ("national", Some(email("national_admin"))),
        ];
        // The person the person routes act on: someone in Police Scotland.
        let target = {
            let mut tx = app.store.begin_read().await.unwrap();
            let scotland = tx.organisation_by_code(&tandem_core::domain::OrgCode::parse("police-scotland").unwrap()).await.unwrap().unwrap();
            let (people, _) = tx
                .search_people(scotland.id, &tandem_app::PeopleSearch { text: String::new(), rank: "constable".to_owned(), department: String::new(), limit: 1, offset: 0 })
                .await
                .unwrap();
            (people[0].id, scotland.id)
        };
        let (person, scotland) = target;

        let mut table = String::new();
        for (method, path) in tandem_web::ROUTES {
            write!(table, "{} {path}:", method.to_uppercase()).unwrap();
            for (name, email) in &visitors {
                let mut browser = Browser::new(&app, WebConfig::default());
                if let Some(email) = email {
                    let reply = browser.post("/sign-in", &[("email", email), ("password", demo::DEMO_PASSWORD)]).await;
                    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{name} signs in");
                }
                // A fresh role to take away, so each visitor's attempt meets one.
                let grant = Grant { role: StaffRole::Champion, scope: Scope::Organisation(scotland) };
                roles::grant(&app, &operator, person, grant.clone()).await.ok();
                let grant_id = app.store.begin_read().await.unwrap().held_grants_of(person).await.unwrap().last().map(|(id, _)| *id).unwrap();
                let concrete = path
                    .replace("{code}", "police-scotland")
                    .replace("{key}", "mentoring")
                    .replace("{id}", &person.to_string())
                    .replace("{grant}", &grant_id.to_string());
                let reply = match (*method, *path) {
                    ("get", _) => browser.get(&concrete).await,
                    ("post", "/people/import") => browser.post_file(&concrete, &[], "matrix.csv", b"staff_number\n").await,
                    _ => {
                        let fields: &[(&str, &str)] = match *path {
                            "/sign-in" => &[("email", ""), ("password", "")],
                            "/organisation" => &[("organisation", "police-scotland")],
                            "/people/{id}/roles" => &[("role", "coordinator"), ("scope", "organisation")],
                            "/schemes" => &[("preset", "police-scotland/mentoring"), ("key", "matrix")],
                            "/schemes/{key}/status" => &[("status", "open")],
                            _ => &[],
                        };
                        browser.post(&concrete, fields).await
                    }
                };
                write!(table, " {name}={}", outcome(&reply)).unwrap();
                // Leave the person as they were for the next visitor.
                for (id, held) in app.store.begin_read().await.unwrap().held_grants_of(person).await.unwrap() {
                    let _ = held;
                    roles::revoke(&app, &operator, PersonId(person.0), id).await.ok();
                }
            }
            table.push('\n');
        }
        expect_test::expect![[r#"
            GET /: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /healthz: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /assets/tandem.css: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /sign-in: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /sign-in: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /sign-out: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /account: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /organisation: anonymous=sign-in participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=denied national=allowed
            GET /organisations/{code}/schemes/{key}: anonymous=allowed participant=allowed line manager=allowed champion=allowed coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /people: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /people/import: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            POST /people/import: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            POST /people/import/{id}/confirm: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=missing cleveland admin=missing national=missing
            GET /people/import/{id}: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=missing cleveland admin=missing national=missing
            GET /people/{id}: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=denied national=allowed
            POST /people/{id}/roles: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=denied national=allowed
            POST /people/{id}/roles/{grant}/delete: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=denied national=allowed
            GET /audit: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            GET /settings: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            POST /settings: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=denied admin=allowed cleveland admin=allowed national=allowed
            GET /schemes: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            POST /schemes: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=allowed national=allowed
            GET /schemes/{key}/edit: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=missing national=missing
            POST /schemes/{key}/edit: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=missing national=missing
            POST /schemes/{key}/status: anonymous=sign-in participant=denied line manager=denied champion=denied coordinator=allowed admin=allowed cleveland admin=missing national=missing
        "#]].assert_eq(&table);
    })
    .await;
}
