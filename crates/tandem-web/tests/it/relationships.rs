//! The relationship's page in the browser: the pair arranges, meets, goes on and writes; a
//! refused form comes back with its error at the field and what was typed kept; and nothing the
//! pair wrote appears on any page a coordinator, champion, line manager or administrator can
//! reach by following links from the home page (R8.1).

use crate::{Browser, app, on_each_demo};
use axum::http::StatusCode;
use std::collections::{BTreeSet, VecDeque};
use std::sync::Arc;
use tandem_app::{App, demo};
use tandem_core::authz::Actor;
use tandem_core::domain::{Email, NewPassword};
use tandem_core::pairing::MatchStatus;
use tandem_core::{FixedClock, MatchId};
use tandem_web::WebConfig;
use time::macros::datetime;

const PASSWORD: &str = "a long test passphrase";

fn operator() -> Actor {
    Actor::Operator {
        name: "test".to_owned(),
    }
}

async fn signed_in(app: &App, email: &str, password: &str) -> Browser {
    let mut browser = Browser::new(app, WebConfig::default());
    let reply = browser
        .post("/sign-in", &[("email", email), ("password", password)])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{email} signs in");
    browser
}

/// A Police Scotland pair of the demo at its introductory meeting (arranged or not), each member
/// able to sign in;
/// with the addresses of the members' person pages and audit trails.
async fn pair(app: &App) -> (MatchId, String, String, Vec<String>) {
    let mut tx = app.store.begin_read().await.unwrap();
    let scotland = tx
        .organisation_by_code(&tandem_core::domain::OrgCode::parse("police-scotland").unwrap())
        .await
        .unwrap()
        .unwrap();
    let scheme = tx
        .scheme_by_key(
            scotland.id,
            &tandem_core::domain::SchemeKey::parse("mentoring").unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    let pair = tx
        .matches_of_scheme(scheme.id)
        .await
        .unwrap()
        .into_iter()
        .find(|it| it.status == MatchStatus::Introductory)
        .expect("a demo pair at its introductory meeting");
    let mentor = tx
        .person(pair.mentor)
        .await
        .unwrap()
        .record
        .email
        .to_string();
    let mentee = tx
        .person(pair.mentee)
        .await
        .unwrap()
        .record
        .email
        .to_string();
    tx.rollback().await.unwrap();
    let about: Vec<String> = [pair.mentor, pair.mentee]
        .iter()
        .flat_map(|id| [format!("/people/{id}"), format!("/audit?person={id}")])
        .collect();
    for email in [&mentor, &mentee] {
        tandem_app::accounts::set_password(
            app,
            &operator(),
            &Email::parse(email).unwrap(),
            &NewPassword::parse(PASSWORD).unwrap(),
        )
        .await
        .unwrap();
    }
    (pair.id, mentor, mentee, about)
}

/// The route a path belongs to: ids and query values stand for any.
fn shape(path: &str) -> String {
    let (route, query) = path.split_once('?').unwrap_or((path, ""));
    let route: Vec<&str> = route
        .split('/')
        .map(|segment| {
            if uuid::Uuid::parse_str(segment).is_ok() {
                "{id}"
            } else {
                segment
            }
        })
        .collect();
    let keys: Vec<&str> = query
        .split('&')
        .filter_map(|it| it.split('=').next())
        .collect();
    format!("{}?{}", route.join("/"), keys.join("&"))
}

/// Pages reachable from `/` by following same-site links, GET only, a few of each route (so
/// every route a role can reach is visited, not just the first thousand people); each body.
async fn crawl(browser: &mut Browser, also: &[String]) -> Vec<(String, String)> {
    let mut seen = BTreeSet::new();
    let mut shapes: std::collections::BTreeMap<String, usize> = Default::default();
    let mut queue: VecDeque<String> = std::iter::once("/".to_owned())
        .chain(also.iter().cloned())
        .collect();
    let mut pages = Vec::new();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let count = shapes.entry(shape(&path)).or_default();
        *count += 1;
        if *count > 3 && !also.contains(&path) {
            continue;
        }
        let reply = browser.get(&path).await;
        if !reply.status.is_success() {
            continue;
        }
        for (at, _) in reply.body.match_indices("href=\"/") {
            let rest = &reply.body[at + "href=\"".len()..];
            let Some(link) = rest.split('"').next() else {
                continue;
            };
            let link = link
                .split('#')
                .next()
                .unwrap_or_default()
                .replace("&amp;", "&");
            if !link.starts_with("/assets/") && !link.is_empty() {
                queue.push_back(link);
            }
        }
        pages.push((path, reply.body));
    }
    pages
}

#[tokio::test]
async fn the_pair_arranges_meets_and_writes_and_no_staff_page_shows_what_they_wrote() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = demo::seed(&app, &operator(), "http://tandem.test")
            .await
            .unwrap();
        let (id, mentor_email, mentee_email, about) = pair(&app).await;
        let page_path = format!("/relationships/{id}");

        let mut mentor = signed_in(&app, &mentor_email, PASSWORD).await;
        let page = mentor.get(&page_path).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Arrange the introductory meeting")
                || page.body.contains("Change the introductory meeting"),
            "the mentor arranges it"
        );
        let mine = mentor.get("/applications").await;
        assert!(
            mine.body.contains(&format!("href=\"{page_path}\"")),
            "Your mentoring links to it"
        );

        // A remote first meeting is refused at its field, and what was typed comes back.
        let refused = mentor
            .post(
                &format!("{page_path}/introduction"),
                &[
                    ("date", "2026-11-30"),
                    ("time", "10:00"),
                    ("minutes", "60"),
                    ("mode", "video"),
                    ("place", "Room 4, Fettes"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("There is a problem"));
        assert!(
            refused.body.contains("href=\"#introduction-mode\""),
            "the summary links to the field"
        );
        assert!(
            refused
                .body
                .contains("The first meeting in this scheme is face to face")
        );
        assert!(
            refused.body.contains("value=\"Room 4, Fettes\""),
            "input kept"
        );
        assert!(
            refused.body.contains("Signed in as"),
            "the signed-in header stays"
        );

        let arranged = mentor
            .post(
                &format!("{page_path}/introduction"),
                &[
                    ("date", "2026-11-30"),
                    ("time", "10:00"),
                    ("minutes", "60"),
                    ("mode", "in_person"),
                    ("place", "Room 4, Fettes"),
                ],
            )
            .await;
        assert_eq!(arranged.status, StatusCode::SEE_OTHER);
        let page = mentor.get(arranged.location()).await;
        assert!(page.body.contains("The introductory meeting is arranged"));
        let calendar_link = page
            .body
            .split("href=\"/meetings/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(|rest| format!("/meetings/{rest}"))
            .unwrap();
        let ics = mentor.get(&calendar_link).await;
        assert_eq!(ics.status, StatusCode::OK);
        assert_eq!(ics.headers["content-type"], "text/calendar; charset=utf-8");
        assert!(ics.body.contains("BEGIN:VEVENT") && ics.body.contains("DTSTART:20261130T100000Z"));

        // A week later: both go on, then they meet and write.
        let later = App::new(
            app.store.clone(),
            Arc::new(FixedClock::at(datetime!(2026-12-01 09:00 UTC))),
        );
        let mut mentor = signed_in(&later, &mentor_email, PASSWORD).await;
        let mut mentee = signed_in(&later, &mentee_email, PASSWORD).await;
        for member in [&mut mentee, &mut mentor] {
            let reply = member.post(&format!("{page_path}/go-on"), &[]).await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER);
        }
        let page = mentee.get(&page_path).await;
        assert!(page.body.contains("<dd>Active</dd>"), "both went on");
        let canary = "CANARY-7f3a9e";
        let logged = mentee
            .post(
                &format!("{page_path}/sessions"),
                &[
                    ("date", "2026-11-30"),
                    ("time", "15:00"),
                    ("minutes", "90"),
                    ("mode", "video"),
                    ("place", canary),
                    ("held", "true"),
                ],
            )
            .await;
        assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.body);
        let too_soon = mentee
            .post(
                &format!("{page_path}/sessions"),
                &[
                    ("date", "2026-11-30"),
                    ("time", "15:00"),
                    ("minutes", "90"),
                    ("mode", "video"),
                    ("place", ""),
                    ("held", "false"),
                ],
            )
            .await;
        assert_eq!(
            too_soon.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "a booking in the past"
        );
        assert!(
            too_soon
                .body
                .contains("log a session that has taken place instead")
        );
        // The date is three boxes; a date that is not real is refused at them, on this page,
        // with what was typed kept and the other fields' problems shown at the same time.
        let page = mentee.get(&page_path).await;
        assert!(!page.body.contains("type=\"date\""), "no native date picker");
        assert!(page.body.contains("id=\"session-date-day\" name=\"date-day\""));
        let not_real = mentee
            .post(
                &format!("{page_path}/sessions"),
                &[
                    ("date-day", "31"),
                    ("date-month", "2"),
                    ("date-year", "2027"),
                    ("time", "25:00"),
                    ("minutes", "90"),
                    ("mode", "video"),
                    ("place", "Room 9"),
                    ("held", "false"),
                ],
            )
            .await;
        assert_eq!(not_real.status, StatusCode::UNPROCESSABLE_ENTITY);
        for expected in [
            "<a href=\"#session-date\">The date must be a real date</a>",
            "<a href=\"#session-time\">",
            "id=\"session-date-error\"><span class=\"visually-hidden\">Error:</span> The date must be a real date",
            "id=\"session-date-day\" name=\"date-day\" type=\"text\" inputmode=\"numeric\" value=\"31\"",
            "id=\"session-date-month\" name=\"date-month\" type=\"text\" inputmode=\"numeric\" value=\"2\"",
            "value=\"Room 9\"",
            "Signed in as",
        ] {
            assert!(not_real.body.contains(expected), "missing {expected:?} in {}", not_real.body);
        }
        let booked = mentee
            .post(
                &format!("{page_path}/sessions"),
                &[
                    ("date-day", "14"),
                    ("date-month", "1"),
                    ("date-year", "2027"),
                    ("time", "15:00"),
                    ("minutes", "90"),
                    ("mode", "video"),
                    ("place", ""),
                    ("held", "false"),
                ],
            )
            .await;
        assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.body);
        let page = mentee.get(&page_path).await;
        let meeting = page
            .body
            .split("action=\"/meetings/")
            .find_map(|rest| rest.split('"').next().filter(|it| it.ends_with("/notes")))
            .map(|it| it.trim_end_matches("/notes").to_owned())
            .unwrap();
        for (path, fields) in [
            (
                format!("/meetings/{meeting}/notes"),
                vec![
                    ("goal", canary),
                    ("reality", canary),
                    ("options", canary),
                    ("way_ahead", canary),
                    ("version", ""),
                ],
            ),
            (format!("{page_path}/goals"), vec![("text", canary)]),
            (
                "/account/adjustments".to_owned(),
                vec![
                    ("remote_meetings", "true"),
                    ("other", canary),
                    ("version", ""),
                ],
            ),
            (
                format!("{page_path}/actions"),
                vec![
                    ("text", canary),
                    ("owner", "mentee"),
                    ("due_on", "2027-01-14"),
                ],
            ),
        ] {
            let reply = mentee.post(&path, &fields).await;
            assert_eq!(
                reply.status,
                StatusCode::SEE_OTHER,
                "{path}: {}",
                reply.body
            );
        }
        let page = mentee.get(&page_path).await;
        assert!(
            page.body.matches(canary).count() >= 6,
            "the pair sees what they wrote"
        );

        // No page reachable by any staff role shows any of it.
        let staff = |role: &str| {
            summary
                .accounts
                .iter()
                .find(|account| account.role.starts_with(role))
                .unwrap()
                .email
                .clone()
        };
        for role in [
            "coordinator (police-scotland)",
            "champion (police-scotland",
            "line manager (police-scotland)",
            "organisation_admin (police-scotland)",
            "national_admin",
        ] {
            let mut browser = signed_in(&later, &staff(role), demo::DEMO_PASSWORD).await;
            let pages = crawl(&mut browser, &about).await;
            assert!(pages.len() > 5, "{role} reaches {} pages", pages.len());
            for (path, body) in &pages {
                assert!(
                    !body.contains(canary),
                    "{role} reads the pair's words on {path}"
                );
            }
            if role.starts_with("coordinator") {
                let list = browser
                    .get("/schemes/mentoring/relationships?state=active")
                    .await;
                assert!(
                    list.body.contains("<td>Active</td>"),
                    "the coordinator sees where it stands"
                );
                assert!(
                    pages
                        .iter()
                        .any(|(path, _)| path == "/schemes/mentoring/relationships.csv"),
                    "and reaches the CSV"
                );
            }
            let direct = browser.get(&page_path).await;
            assert_eq!(
                direct.status,
                StatusCode::FORBIDDEN,
                "{role} opens the relationship"
            );
            assert!(!direct.body.contains(canary));
        }
    })
    .await;
}
