//! Administrator and coordinator screens: the people directory, a person's page, role grants,
//! the audit log, and switching organisation.

use crate::{Browser, app, on_each_demo};
use axum::http::StatusCode;
use tandem_app::{App, demo};
use tandem_core::audit::AuditAction;
use tandem_web::WebConfig;

async fn signed_in_as(role: &str, store: tandem_store::Store) -> (App, Browser) {
    let app = app(store);
    let summary = crate::demo_summary(&app).await;
    let email = summary
        .accounts
        .iter()
        .find(|account| account.role.starts_with(role))
        .unwrap()
        .email
        .clone();
    let mut browser = Browser::new(&app, WebConfig::default());
    let reply = browser
        .post(
            "/sign-in",
            &[("email", &email), ("password", demo::DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    (app, browser)
}

fn first_person_link(body: &str) -> String {
    let start = body.find("<td><a href=\"/people/").unwrap() + "<td><a href=\"".len();
    body[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_directory_searches_filters_and_pages() {
    on_each_demo(|store| async move {
        let (_, mut browser) = signed_in_as("coordinator (police-scotland)", store).await;
        let page = browser.get("/people").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Showing 1 to 25 of 720 people."),
            "{}",
            page.body
        );
        assert!(page.body.contains("rel=\"next\""));
        let second = browser.get("/people?page=2").await;
        assert!(second.body.contains("Showing 26 to 50 of 720 people."));
        assert!(second.body.contains("rel=\"prev\""));

        let sergeants = browser.get("/people?rank=Sergeant").await;
        assert!(sergeants.body.contains("<td>Sergeant</td>"));
        assert!(!sergeants.body.contains("<td>Constable</td>"));
        let nobody = browser.get("/people?q=zzzz-no-such-person").await;
        assert!(nobody.body.contains("No people match."));
        assert!(
            browser
                .get("/people")
                .await
                .body
                .contains("People in Police Scotland")
        );
    })
    .await;
}

#[tokio::test]
async fn a_persons_page_shows_their_record_and_the_read_is_audited() {
    on_each_demo(|store| async move {
        let (app, mut browser) = signed_in_as("coordinator (police-scotland)", store).await;
        let list = browser.get("/people?rank=Constable").await;
        let link = first_person_link(&list.body);
        let page = browser.get(&link).await;
        assert_eq!(page.status, StatusCode::OK);
        for expected in [
            "<dt>Staff number</dt>",
            "<dt>Line manager</dt>",
            "<dt>Diversity answers</dt>",
            "Give a role",
        ] {
            assert!(
                page.body.contains(expected),
                "the person page lacks {expected}"
            );
        }
        assert!(
            !page.body.contains("Heterosexual") && !page.body.contains("White British"),
            "diversity answers are never shown"
        );
        let mut tx = app.store.begin_read().await.unwrap();
        assert_eq!(tx.count_audit(AuditAction::PersonViewed).await.unwrap(), 1);
        assert!(tx.count_audit(AuditAction::PeopleSearched).await.unwrap() >= 1);
        assert_eq!(
            browser.get("/people/not-an-id").await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            browser
                .get("/people/01900000-0000-7000-8000-000000000000")
                .await
                .status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn an_administrator_gives_and_takes_away_a_champion_role_for_a_division() {
    on_each_demo(|store| async move {
        let (app, mut browser) = signed_in_as("organisation_admin (police-scotland)", store).await;
        let grants_before = app
            .store
            .begin_read()
            .await
            .unwrap()
            .all_grants()
            .await
            .unwrap()
            .len();
        let list = browser.get("/people?rank=Sergeant").await;
        let link = first_person_link(&list.body);

        let missing = browser
            .post(&format!("{link}/roles"), &[("role", ""), ("scope", "")])
            .await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(missing.body.contains("<a href=\"#role\">Choose a role</a>"));
        assert!(
            missing
                .body
                .contains("<a href=\"#scope\">Choose where the role applies</a>")
        );

        let unknown = browser
            .post(
                &format!("{link}/roles"),
                &[("role", "champion"), ("scope", "division:Z Division")],
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown.body.contains(
                "Nobody in Police Scotland works in a division called &#39;Z Division&#39;"
            ),
            "{}",
            unknown.body
        );
        assert!(
            unknown.body.contains("value=\"champion\" selected"),
            "the choice is kept"
        );

        let granted = browser
            .post(
                &format!("{link}/roles"),
                &[
                    ("role", "champion"),
                    ("scope", "division:G Division (Greater Glasgow)"),
                ],
            )
            .await;
        assert_eq!(granted.status, StatusCode::SEE_OTHER, "{}", granted.body);
        let page = browser.get(granted.location()).await;
        assert!(page.body.contains("The role was given."));
        assert!(
            page.body
                .contains("Divisional champion: G Division (Greater Glasgow)")
        );

        let again = browser
            .post(
                &format!("{link}/roles"),
                &[
                    ("role", "champion"),
                    ("scope", "division:G Division (Greater Glasgow)"),
                ],
            )
            .await;
        assert!(again.body.contains("already holds this role"));

        let national = browser
            .post(
                &format!("{link}/roles"),
                &[("role", "national_admin"), ("scope", "installation")],
            )
            .await;
        assert_eq!(
            national.status,
            StatusCode::FORBIDDEN,
            "an organisation administrator cannot make a national administrator"
        );

        let action = {
            let start = page.body.find("/roles/").unwrap();
            let from = page.body[..start].rfind("action=\"").unwrap() + "action=\"".len();
            page.body[from..].split('"').next().unwrap().to_owned()
        };
        let revoked = browser.post(&action, &[]).await;
        assert_eq!(revoked.status, StatusCode::SEE_OTHER);
        let page = browser.get(revoked.location()).await;
        assert!(page.body.contains("The role was taken away."));
        assert!(page.body.contains("holds no staff role"));

        let audit = browser.get("/audit").await;
        assert!(audit.body.contains("Role given") && audit.body.contains("Role taken away"));
        let mut tx = app.store.begin_read().await.unwrap();
        assert_eq!(
            tx.all_grants().await.unwrap().len(),
            grants_before,
            "only the demo's grants remain"
        );
        assert_eq!(tx.count_audit(AuditAction::RoleRevoked).await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_filters_by_person_actor_and_date() {
    on_each_demo(|store| async move {
        let (_, mut browser) = signed_in_as("organisation_admin (police-scotland)", store).await;
        let list = browser.get("/people?rank=Sergeant").await;
        let link = first_person_link(&list.body);
        browser.get(&link).await;
        let id = link.trim_start_matches("/people/");
        let about = browser.get(&format!("/audit?person={id}")).await;
        assert!(about.body.contains("Record viewed"), "{}", about.body);
        assert!(about.body.contains("Added to the directory"));
        assert!(
            !about.body.contains("People directory searched"),
            "only entries about that person"
        );

        let bad = browser.get("/audit?from=23/11/2026&actor=999999").await;
        assert_eq!(bad.status, StatusCode::OK);
        assert!(
            bad.body
                .contains("<a href=\"#from\">Enter the date as YYYY-MM-DD")
        );
        assert!(
            bad.body.contains(
                "<a href=\"#actor\">Nobody in Police Scotland has staff number 999999</a>"
            )
        );
        let future = browser.get("/audit?from=2030-01-01").await;
        assert!(future.body.contains("No entries match."));
        let today = browser.get("/audit?from=2026-11-23&to=2026-11-23").await;
        assert!(today.body.contains("Signed in"));
    })
    .await;
}

#[tokio::test]
async fn a_national_administrator_switches_organisation() {
    on_each_demo(|store| async move {
        let (_, mut browser) = signed_in_as("national_admin", store).await;
        let home = browser.get("/").await;
        assert!(
            home.body.contains("Working in"),
            "a cross-force role offers the switcher"
        );
        assert!(
            browser
                .get("/people")
                .await
                .body
                .contains("People in College of Policing")
        );
        let switched = browser
            .post("/organisation", &[("organisation", "cleveland")])
            .await;
        assert_eq!(switched.status, StatusCode::SEE_OTHER);
        assert!(
            browser
                .get("/people")
                .await
                .body
                .contains("People in Cleveland Police")
        );
        let refused = browser
            .post("/organisation", &[("organisation", "durham")])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    })
    .await;
}

#[tokio::test]
async fn an_api_token_form_shows_every_problem_at_once_then_the_secret_once() {
    on_each_demo(|store| async move {
        let (_, mut admin) = signed_in_as("organisation_admin (police-scotland)", store).await;
        let refused = admin
            .post("/api-tokens", &[("name", "  "), ("access", "")])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains(
                "<a href=\"#name\">Give the token a name of at most 100 characters, saying what uses it</a>"
            ) && refused
                .body
                .contains("<a href=\"#access\">Choose what the token may do</a>"),
            "both problems after one submission: {}",
            refused.body
        );

        let issued = admin
            .post("/api-tokens", &[("name", "HR sync"), ("access", "read")])
            .await;
        assert_eq!(issued.status, StatusCode::CREATED, "{}", issued.body);
        let secret: String = issued
            .body
            .split("tandem_")
            .find_map(|rest| {
                let hex: String = rest.chars().take_while(char::is_ascii_hexdigit).collect();
                (hex.len() == 64).then(|| format!("tandem_{hex}"))
            })
            .expect("the secret is shown once");
        let listed = admin.get("/api-tokens").await;
        assert!(listed.body.contains("HR sync"));
        assert!(!listed.body.contains(&secret), "never again");
    })
    .await;
}
