//! The check pages before actions that cannot be undone (issue 13, item 8): each `GET` states
//! the consequences in words; a `POST` without the check page's confirmation acts on nothing
//! and answers with the check page; with it, the action is taken.

use crate::{Browser, app, on_each_demo};
use axum::http::StatusCode;
use tandem_app::{App, demo};
use tandem_core::application::ApplicationStatus;
use tandem_core::authz::Actor;
use tandem_core::domain::{OrgCode, SchemeKey};
use tandem_core::pairing::{Match, MatchStatus};
use tandem_core::programme::{Scheme, SchemeStatus};
use tandem_web::WebConfig;

async fn seeded(app: &App) -> demo::DemoSummary {
    demo::seed(
        app,
        &Actor::Operator {
            name: "test".to_owned(),
        },
        "http://tandem.test",
    )
    .await
    .unwrap()
}

async fn signed_in_as(app: &App, summary: &demo::DemoSummary, role: &str) -> Browser {
    let email = summary
        .accounts
        .iter()
        .find(|account| account.role.starts_with(role))
        .unwrap()
        .email
        .clone();
    let mut browser = Browser::new(app, WebConfig::default());
    let reply = browser
        .post(
            "/sign-in",
            &[("email", &email), ("password", demo::DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{role} signs in");
    browser
}

async fn scheme(app: &App, organisation: &str, key: &str) -> Scheme {
    let mut tx = app.store.begin_read().await.unwrap();
    let owner = tx
        .organisation_by_code(&OrgCode::parse(organisation).unwrap())
        .await
        .unwrap()
        .unwrap();
    tx.scheme_by_key(owner.id, &SchemeKey::parse(key).unwrap())
        .await
        .unwrap()
        .unwrap()
}

async fn matches(app: &App, scheme: &Scheme) -> Vec<Match> {
    let mut tx = app.store.begin_read().await.unwrap();
    tx.matches_of_scheme(scheme.id).await.unwrap()
}

fn count(matches: &[Match], status: MatchStatus) -> usize {
    matches.iter().filter(|it| it.status == status).count()
}

#[tokio::test]
async fn confirming_every_proposal_asks_first_and_says_who_is_told() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = seeded(&app).await;
        let mut coordinator = signed_in_as(&app, &summary, "coordinator (police-scotland)").await;
        let mentoring = scheme(&app, "police-scotland", "mentoring").await;
        let before = matches(&app, &mentoring).await;
        let proposed = count(&before, MatchStatus::Proposed);
        assert!(proposed > 1, "the demo leaves proposals on the board");

        let board = coordinator.get("/schemes/mentoring/matching").await;
        assert!(
            board
                .body
                .contains("href=\"/schemes/mentoring/matching/confirm-all\""),
            "Confirm all leads to its check page"
        );
        let check = coordinator
            .get("/schemes/mentoring/matching/confirm-all")
            .await;
        assert_eq!(check.status, StatusCode::OK);
        assert!(
            check.body.contains(&format!(
                "You are about to confirm {proposed} proposed pairs"
            )),
            "{}",
            check.body
        );
        assert!(check.body.contains("people are told of their match"));
        assert!(check.body.contains("name=\"confirmed\" value=\"yes\""));
        assert!(check.body.contains("Cancel and go back to matching"));

        // A form that did not come through the check page confirms nothing.
        let stale = coordinator
            .post("/schemes/mentoring/matching/confirm-all", &[])
            .await;
        assert_eq!(stale.status, StatusCode::OK);
        assert!(stale.body.contains("You are about to confirm"));
        assert_eq!(
            count(&matches(&app, &mentoring).await, MatchStatus::Proposed),
            proposed
        );

        let done = coordinator
            .post(
                "/schemes/mentoring/matching/confirm-all",
                &[("confirmed", "yes")],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        let board = coordinator.get(done.location()).await.body;
        assert!(board.contains("Confirmed "), "{board}");
        assert!(
            count(&matches(&app, &mentoring).await, MatchStatus::Proposed) < proposed,
            "proposals were confirmed"
        );
    })
    .await;
}

#[tokio::test]
async fn a_member_ends_their_relationship_only_from_its_check_page() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = seeded(&app).await;
        let mut mentee = signed_in_as(
            &app,
            &summary,
            "mentee in an active relationship (cleveland)",
        )
        .await;
        let mine = mentee.get("/applications").await;
        let id = mine
            .body
            .split("href=\"/relationships/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        let page = format!("/relationships/{id}");
        let relationship = mentee.get(&page).await;
        assert!(relationship.body.contains(&format!("href=\"{page}/end\"")));
        let status = |app: App, id: String| async move {
            let mut tx = app.store.begin_read().await.unwrap();
            tx.match_by_id(tandem_core::MatchId(uuid::Uuid::parse_str(&id).unwrap()))
                .await
                .unwrap()
                .unwrap()
                .status
        };
        let live = status(app.clone(), id.clone()).await;
        assert!(live.holds_place());

        let check = mentee.get(&format!("{page}/end")).await;
        assert_eq!(check.status, StatusCode::OK);
        assert!(
            check
                .body
                .contains("You are about to end your relationship with")
        );
        assert!(check.body.contains("It cannot be started again"));
        assert!(check.body.contains("nobody is emailed"));
        assert!(check.body.contains("Put me back on the waiting list"));

        // The form on Your mentoring, sent without the check: the check page, what was typed
        // kept, and nothing ended.
        let stale = mentee
            .post(
                &format!("/matches/{id}/end"),
                &[
                    ("reason", "We have met our goals early"),
                    ("rematch", "true"),
                ],
            )
            .await;
        assert_eq!(stale.status, StatusCode::OK);
        assert!(
            stale
                .body
                .contains("You are about to end your relationship with")
        );
        assert!(stale.body.contains("We have met our goals early"));
        assert_eq!(status(app.clone(), id.clone()).await, live);

        let ended = mentee
            .post(
                &format!("/matches/{id}/end"),
                &[
                    ("reason", "We have met our goals early"),
                    ("rematch", "true"),
                    ("confirmed", "yes"),
                ],
            )
            .await;
        assert_eq!(ended.status, StatusCode::SEE_OTHER, "{}", ended.body);
        assert_eq!(
            status(app.clone(), id.clone()).await,
            MatchStatus::Withdrawn
        );
    })
    .await;
}

#[tokio::test]
async fn a_coordinator_ends_a_relationship_from_its_check_page() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = seeded(&app).await;
        let mut coordinator = signed_in_as(&app, &summary, "coordinator (cleveland)").await;
        let traditional = scheme(&app, "cleveland", "traditional").await;
        let pair = matches(&app, &traditional)
            .await
            .into_iter()
            .find(|it| it.status == MatchStatus::Active)
            .unwrap();
        let path = format!("/schemes/traditional/relationships/{}", pair.id);
        let page = coordinator.get(&path).await;
        assert!(page.body.contains(&format!("href=\"{path}/end\"")));
        let check = coordinator.get(&format!("{path}/end")).await;
        assert_eq!(check.status, StatusCode::OK);
        assert!(
            check
                .body
                .contains("You are about to end the relationship of")
        );
        assert!(check.body.contains("goes back on the waiting list"));

        let stale = coordinator
            .post(&format!("{path}/end"), &[("reason", "Moved force")])
            .await;
        assert_eq!(stale.status, StatusCode::OK);
        let still = matches(&app, &traditional).await;
        assert!(
            still
                .iter()
                .any(|it| it.id == pair.id && it.status == MatchStatus::Active)
        );

        let ended = coordinator
            .post(
                &format!("{path}/end"),
                &[("reason", "Moved force"), ("confirmed", "yes")],
            )
            .await;
        assert_eq!(ended.status, StatusCode::SEE_OTHER);
        let after = matches(&app, &traditional).await;
        assert!(
            after
                .iter()
                .any(|it| it.id == pair.id && it.status == MatchStatus::Withdrawn)
        );
    })
    .await;
}

#[tokio::test]
async fn a_matched_mentor_withdrawing_is_told_their_pairs_end_and_then_they_do() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = seeded(&app).await;
        let mut mentor =
            signed_in_as(&app, &summary, "mentor in an active relationship (cleveland)").await;
        let traditional = scheme(&app, "cleveland", "traditional").await;
        let email = summary
            .accounts
            .iter()
            .find(|it| it.role.starts_with("mentor in an active relationship (cleveland)"))
            .unwrap()
            .email
            .clone();
        let (application, pair, mentee_name) = {
            let mut tx = app.store.begin_read().await.unwrap();
            let pair = tx
                .matches_of_scheme(traditional.id)
                .await
                .unwrap()
                .into_iter()
                .find(|it| it.status == MatchStatus::Active)
                .unwrap();
            let me = tx.person(pair.mentor).await.unwrap();
            assert_eq!(me.record.email.as_ref(), email);
            let mentee = tx.person(pair.mentee).await.unwrap();
            (pair.mentor_application, pair, mentee.record.full_name())
        };
        let state = |app: App| async move {
            let mut tx = app.store.begin_read().await.unwrap();
            (
                tx.application(application).await.unwrap().unwrap().status,
                tx.match_by_id(pair.id).await.unwrap().unwrap().status,
                tx.application(pair.mentee_application)
                    .await
                    .unwrap()
                    .unwrap()
                    .status,
            )
        };
        assert_eq!(
            state(app.clone()).await,
            (
                ApplicationStatus::Approved,
                MatchStatus::Active,
                ApplicationStatus::Matched
            )
        );

        let check = mentor
            .get(&format!("/applications/{application}/withdraw"))
            .await;
        assert_eq!(check.status, StatusCode::OK);
        assert!(check.body.contains("You are about to withdraw your application"));
        assert!(
            check.body.contains(&format!(
                "Your relationship with {mentee_name} ends now. {mentee_name} is told, and goes back on the waiting list"
            )),
            "{}",
            check.body
        );

        // The one-click button of before lands on the check page and withdraws nothing.
        let stale = mentor
            .post(&format!("/applications/{application}/withdraw"), &[])
            .await;
        assert_eq!(stale.status, StatusCode::OK);
        assert!(stale.body.contains("You are about to withdraw your application"));
        assert_eq!(state(app.clone()).await.0, ApplicationStatus::Approved);

        let done = mentor
            .post(
                &format!("/applications/{application}/withdraw"),
                &[("confirmed", "yes")],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert_eq!(
            state(app.clone()).await,
            (
                ApplicationStatus::Withdrawn,
                MatchStatus::Withdrawn,
                ApplicationStatus::Approved
            ),
            "the pair ends and the mentee is back on the waiting list"
        );
    })
    .await;
}

#[tokio::test]
async fn closing_a_scheme_for_applications_asks_first() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = seeded(&app).await;
        let mut coordinator = signed_in_as(&app, &summary, "coordinator (cleveland)").await;
        let list = coordinator.get("/schemes").await;
        assert!(list.body.contains("href=\"/schemes/traditional/close\""));
        let check = coordinator.get("/schemes/traditional/close").await;
        assert_eq!(check.status, StatusCode::OK);
        assert!(
            check
                .body
                .contains("You are about to close Traditional mentoring for applications")
        );
        assert!(check.body.contains("Applications already made carry on"));

        let stale = coordinator
            .post("/schemes/traditional/status", &[("status", "closed")])
            .await;
        assert_eq!(stale.status, StatusCode::OK);
        assert_eq!(
            scheme(&app, "cleveland", "traditional").await.status,
            SchemeStatus::Open
        );
        let closed = coordinator
            .post(
                "/schemes/traditional/status",
                &[("status", "closed"), ("confirmed", "yes")],
            )
            .await;
        assert_eq!(closed.status, StatusCode::SEE_OTHER);
        assert_eq!(
            scheme(&app, "cleveland", "traditional").await.status,
            SchemeStatus::Closed
        );
    })
    .await;
}

#[tokio::test]
async fn withdrawing_an_invitation_asks_first() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = seeded(&app).await;
        let mut coordinator = signed_in_as(&app, &summary, "coordinator (college)").await;
        let list = coordinator.get("/schemes/stage5-buddy/invitations").await;
        let link = list
            .body
            .split("href=\"/schemes/stage5-buddy/invitations/withdraw?")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .replace("&amp;", "&");
        let invited = || async {
            let buddy = scheme(&app, "college", "stage5-buddy").await;
            let mut tx = app.store.begin_read().await.unwrap();
            tx.invitations_of_scheme(buddy.id).await.unwrap().len()
        };
        let before = invited().await;
        let check = coordinator
            .get(&format!(
                "/schemes/stage5-buddy/invitations/withdraw?{link}"
            ))
            .await;
        assert_eq!(check.status, StatusCode::OK, "{}", check.body);
        assert!(
            check
                .body
                .contains("You are about to withdraw the invitation of")
        );
        assert!(check.body.contains("can no longer apply"));

        let fields: Vec<(String, String)> = url::form_urlencoded::parse(link.as_bytes())
            .into_owned()
            .collect();
        let mut sent: Vec<(&str, &str)> = fields
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let stale = coordinator
            .post("/schemes/stage5-buddy/invitations/withdraw", &sent)
            .await;
        assert_eq!(stale.status, StatusCode::OK);
        assert_eq!(invited().await, before);
        sent.push(("confirmed", "yes"));
        let done = coordinator
            .post("/schemes/stage5-buddy/invitations/withdraw", &sent)
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert_eq!(invited().await, before - 1);
    })
    .await;
}

#[tokio::test]
async fn a_notice_cookie_names_one_of_the_services_notices_and_shows_as_a_success_banner() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = seeded(&app).await;
        let mut mentee = signed_in_as(
            &app,
            &summary,
            "mentee in an active relationship (cleveland)",
        )
        .await;
        // Whatever a cookie says, only the service's own words show.
        mentee.cookies.insert(
            "tandem_notice".to_owned(),
            "Your+account+is+suspended%3A+call+0800+000+000".to_owned(),
        );
        let forged = mentee.get("/account/adjustments").await;
        assert!(!forged.body.contains("suspended"), "{}", forged.body);
        assert!(!forged.body.contains("notification-banner"));

        mentee
            .cookies
            .insert("tandem_notice".to_owned(), "AdjustmentsRecorded".to_owned());
        let named = mentee.get("/account/adjustments").await;
        let banner = named
            .body
            .split("<div class=\"notification-banner notification-banner--success\"")
            .nth(1)
            .expect("a success banner")
            .split("</div>\n</div>")
            .next()
            .unwrap()
            .to_owned();
        assert!(banner.contains("role=\"alert\""), "{banner}");
        assert!(
            banner.contains(
                "<h2 class=\"notification-banner__title\" id=\"notice-title\">Success</h2>"
            ),
            "{banner}"
        );
        assert!(
            banner.contains(
                "<p class=\"notification-banner__heading\">Your adjustments are recorded.</p>"
            ),
            "{banner}"
        );
        // Shown once.
        assert!(
            !mentee
                .get("/account/adjustments")
                .await
                .body
                .contains("Your adjustments are recorded.")
        );
    })
    .await;
}
