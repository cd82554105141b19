//! The home page as each role of the demo sees it: a task list of what waits for them, each
//! count equal to the list it links to, what waits on someone else apart, and no link to a page
//! they may not open; signed out, the catalogue as before.

use crate::reports::{demo_accounts, signed_in};
use crate::{Browser, app};
use axum::http::StatusCode;
use tandem_store::testing::on_each_backend;

/// One row of the home page's staff task lists: where it links and the count it shows.
#[derive(Debug)]
struct Task {
    href: String,
    count: usize,
}

/// The rows of the task lists of what waits (ids `task-…`), in page order.
fn tasks(body: &str) -> Vec<Task> {
    body.split("<li class=\"govuk-task-list__item")
        .skip(1)
        .filter_map(|item| {
            let href = item
                .split("class=\"govuk-task-list__link\" href=\"")
                .nth(1)?
                .split('"')
                .next()?
                .to_owned();
            let status = item
                .split("class=\"govuk-task-list__status\" id=\"task-")
                .nth(1)?;
            let status = status.split_once('>')?.1;
            let count = status
                .split("govuk-tag--blue\">")
                .nth(1)
                .and_then(|it| it.split(' ').next())
                .map_or(0, |it| it.parse().unwrap());
            Some(Task { href, count })
        })
        .collect()
}

/// The paths of this site a page links to (not its anchors, downloads or the API).
fn links(body: &str) -> Vec<String> {
    body.split("<a ")
        .skip(1)
        .filter_map(|tag| tag.split("href=\"").nth(1)?.split('"').next())
        .filter(|href| href.starts_with('/') && !href.starts_with("/api/"))
        .map(|href| href.split('#').next().unwrap_or_default().to_owned())
        .filter(|href| !href.is_empty() && !href.contains(".csv") && !href.contains(".zip"))
        .collect()
}

/// The number in a heading such as "To decide (3)", or 0 where the page leaves it out.
fn in_heading(body: &str, heading: &str) -> usize {
    body.split(heading)
        .nth(1)
        .and_then(|it| it.split(')').next())
        .map_or(0, |it| it.parse().unwrap())
}

/// How many rows the list at `href` holds, as the page itself shows them.
async fn listed(browser: &mut Browser, href: &str) -> usize {
    let (path, anchor) = href.split_once('#').unwrap_or((href, ""));
    let page = browser.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{href} opens");
    let body = &page.body;
    match anchor {
        "to-decide" => in_heading(body, "To decide ("),
        "waiting-for-managers" => in_heading(body, "Waiting for a line manager ("),
        "mentors" => body.matches("/training\" novalidate").count(),
        "proposed" => in_heading(body, "Proposed pairs ("),
        _ if path == "/approvals" => body.matches("/decision\" novalidate").count(),
        _ if path.ends_with("/matching") => in_heading(body, "Requests waiting for the mentor ("),
        _ if path.ends_with("/concerns") => body.matches("Waiting for what was done").count(),
        _ => panic!("a task links to a list this test does not know: {href}"),
    }
}

#[tokio::test]
async fn each_roles_home_counts_what_waits_as_the_list_it_links_to_shows() {
    on_each_backend(|store| async move {
        let app = app(store);
        let accounts = demo_accounts(&app).await;
        let mut waited = 0;
        for role in [
            "coordinator (police-scotland)",
            "champion (",
            "organisation_admin (",
            "national_admin (",
        ] {
            let mut browser = signed_in(&app, &accounts, role).await;
            let home = browser.get("/").await;
            assert_eq!(home.status, StatusCode::OK);
            assert!(home.body.contains("<h1>Home</h1>"), "{role}: {}", home.body);
            assert!(
                home.body.contains("<h2 id=\"to-do\">To do</h2>")
                    && home.body.contains("Waiting on someone else"),
                "{role} sees what waits for them and, apart, what waits on others"
            );
            let to_do = home.body.split("Waiting on someone else").next().unwrap();
            assert!(
                !to_do.contains("Applications waiting for a line manager"),
                "{role}: what waits for a line manager is not under To do"
            );
            let rows = tasks(&home.body);
            assert!(!rows.is_empty(), "{role} has a task list");
            for task in &rows {
                let shown = listed(&mut browser, &task.href).await;
                assert_eq!(
                    task.count, shown,
                    "{role}: the count beside {} is the list's length",
                    task.href
                );
                waited += task.count;
            }
            assert!(
                home.body.contains("id=\"org-police-scotland\""),
                "{role}: the schemes stay on the home page"
            );
        }
        assert!(waited > 0, "the demo has something waiting for its staff");

        // Line managers: the one with a request waiting sees it counted, as /approvals lists it.
        let mut authorising = 0;
        for account in accounts
            .iter()
            .filter(|it| it.role.starts_with("line manager"))
        {
            let mut browser = signed_in(&app, &accounts, &account.role).await;
            let home = browser.get("/").await;
            for task in tasks(&home.body) {
                assert_eq!(task.href, "/approvals");
                assert_eq!(task.count, listed(&mut browser, "/approvals").await);
                authorising += task.count;
            }
        }
        assert!(
            authorising > 0,
            "a demo line manager has a request to authorise"
        );
    })
    .await;
}

#[tokio::test]
async fn a_champion_is_never_offered_a_page_they_may_not_open() {
    on_each_backend(|store| async move {
        let app = app(store);
        let accounts = demo_accounts(&app).await;
        let mut champion = signed_in(&app, &accounts, "champion (").await;
        let home = champion.get("/").await;
        assert!(
            !home.body.contains("href=\"/schemes\""),
            "no Manage schemes in the navigation"
        );
        let rows = tasks(&home.body);
        assert!(!rows.is_empty(), "the champion's work is linked from home");
        for task in &rows {
            let path = task.href.split('#').next().unwrap();
            let page = champion.get(path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert!(
                !page.body.contains("href=\"/schemes\""),
                "{path} has no breadcrumb to Manage schemes, which refuses a champion"
            );
        }
        let forbidden = champion.get("/schemes").await;
        assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
        // Every link on the pages their tasks open leads somewhere they may see.
        let mut seen = std::collections::BTreeSet::new();
        for task in &rows {
            let path = task.href.split('#').next().unwrap();
            let page = champion.get(path).await;
            for link in links(&page.body) {
                if seen.insert(link.clone()) {
                    let reply = champion.get(&link).await;
                    assert_ne!(
                        reply.status,
                        StatusCode::FORBIDDEN,
                        "{path} links the champion to {link}, which refuses them"
                    );
                }
            }
        }

        // A coordinator keeps the breadcrumb to the page they may open.
        let mut coordinator = signed_in(&app, &accounts, "coordinator (police-scotland)").await;
        let page = coordinator.get("/schemes/mentoring/applications").await;
        assert!(
            page.body
                .contains("<a href=\"/schemes\">Manage schemes</a>")
        );
    })
    .await;
}

#[tokio::test]
async fn a_participant_sees_their_own_schemes_and_next_step_first() {
    on_each_backend(|store| async move {
        let app = app(store);
        let accounts = demo_accounts(&app).await;
        let mut mentee = signed_in(&app, &accounts, "applicant waiting for their manager").await;
        let home = mentee.get("/").await;
        assert_eq!(home.status, StatusCode::OK);
        let own = home
            .body
            .find("id=\"your-mentoring\"")
            .expect("their mentoring");
        let schemes = home.body.find("id=\"schemes\"").unwrap();
        assert!(
            own < schemes,
            "their own mentoring comes before the catalogue"
        );
        assert!(home.body.contains("Next step:"));
        assert!(
            home.body
                .contains("Your line manager authorises your application")
                && home.body.contains("Waiting for your line manager"),
            "the next step waits on their manager and says so: {}",
            home.body
        );
        assert!(!home.body.contains("id=\"to-do\""), "no staff task list");

        // Signed out, the home page is the catalogue as before.
        let (status, _, body) = crate::get(&app, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("<h1>Mentoring schemes</h1>") && !body.contains("Home</h1>"));
    })
    .await;
}
