//! The College coordinator's invitation list and supply page in the browser: a bad invitation
//! is shown beside the form with what was typed kept, a good one lands on the list; the supply
//! page shows the short bands and an appeal is refused until it says something, then sent.

use crate::{Browser, app, on_each_demo};
use axum::http::StatusCode;
use tandem_app::{App, demo};
use tandem_core::authz::Actor;
use tandem_core::domain::{OrgCode, SchemeKey};
use tandem_web::WebConfig;

async fn college_coordinator(app: &App) -> Browser {
    let summary = demo::seed(
        app,
        &Actor::Operator {
            name: "test".to_owned(),
        },
        "http://tandem.test",
    )
    .await
    .unwrap();
    let email = summary
        .accounts
        .iter()
        .find(|account| account.role.starts_with("coordinator (college)"))
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
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    browser
}

/// A woman in a force who is not on the women's network list yet.
async fn uninvited_candidate(app: &App) -> (String, String) {
    let mut tx = app.store.begin_read().await.unwrap();
    let college = tx
        .organisation_by_code(&OrgCode::parse("college").unwrap())
        .await
        .unwrap()
        .unwrap();
    let scheme = tx
        .scheme_by_key(college.id, &SchemeKey::parse("womens-network").unwrap())
        .await
        .unwrap()
        .unwrap();
    let invited: Vec<_> = tx
        .invitations_of_scheme(scheme.id)
        .await
        .unwrap()
        .into_iter()
        .map(|it| it.person)
        .collect();
    let mut candidates = tx.all_people().await.unwrap().into_iter().filter(|person| {
        person.record.organisation.as_ref() != "college"
            && [
                "Superintendent",
                "Chief Superintendent",
                "Chief Inspector",
                "Inspector",
            ]
            .contains(&person.record.rank_or_grade.as_ref())
            && person
                .record
                .diversity
                .sex
                .as_ref()
                .is_some_and(|sex| sex.as_str().eq_ignore_ascii_case("female"))
            && !invited.contains(&person.id)
    });
    // Someone who takes no part in another scheme, so nothing else keeps them out.
    loop {
        let person = candidates.next().unwrap();
        if tx
            .applications_of_person(person.id)
            .await
            .unwrap()
            .is_empty()
        {
            return (person.record.email.to_string(), person.record.full_name());
        }
    }
}

#[tokio::test]
async fn a_coordinator_invites_a_candidate_after_a_mistyped_email() {
    on_each_demo(|store| async move {
        let app = app(store);
        let mut coordinator = college_coordinator(&app).await;
        let list = coordinator.get("/schemes/womens-network/invitations").await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(
            list.body.contains("Stage 5 assessment, spring cohort"),
            "the demo's list"
        );
        assert!(
            list.body.contains("Not yet"),
            "someone invited has not applied"
        );

        let typo = coordinator
            .post(
                "/schemes/womens-network/invitations",
                &[
                    ("email", "jane.doe@clevland.police.uk"),
                    ("role", "mentee"),
                    ("note", "2027 cohort"),
                ],
            )
            .await;
        assert_eq!(typo.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            typo.body.contains("<title>Error: Invitations"),
            "{}",
            typo.body
        );
        assert!(
            typo.body
                .contains("Nobody in the directory has that work email; check it")
        );
        assert!(
            typo.body.contains("value=\"jane.doe@clevland.police.uk\""),
            "what was typed is kept"
        );
        assert!(typo.body.contains("value=\"2027 cohort\""));

        let (email, name) = uninvited_candidate(&app).await;
        let invited = coordinator
            .post(
                "/schemes/womens-network/invitations",
                &[
                    ("email", &email),
                    ("role", "mentee"),
                    ("note", "2027 cohort"),
                ],
            )
            .await;
        assert_eq!(invited.status, StatusCode::SEE_OTHER);
        let list = coordinator.get(invited.location()).await;
        assert!(
            list.body
                .contains("The person is invited as a mentee and has been emailed how to apply.")
                && list.body.contains(&name),
            "{}",
            list.body
        );
        assert!(list.body.contains("2027 cohort"));

        // A scheme without an invitation list says so.
        let open = coordinator.get("/schemes/peer-acc-aco/invitations").await;
        assert!(
            open.body
                .contains("Anyone eligible may apply to this scheme")
        );
    })
    .await;
}

#[tokio::test]
async fn the_supply_page_shows_shortages_and_sends_an_appeal() {
    on_each_demo(|store| async move {
        let app = app(store);
        let mut coordinator = college_coordinator(&app).await;
        let page = coordinator.get("/schemes/peer-acc-aco/supply").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("<h1>Supply of mentors</h1>"));
        assert!(
            page.body.contains("Mentees&#39; rank band")
                || page.body.contains("Mentees' rank band"),
            "{}",
            page.body
        );

        let empty = coordinator
            .post(
                "/schemes/peer-acc-aco/supply/appeal",
                &[("band", "acc"), ("message", " ")],
            )
            .await;
        assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            empty
                .body
                .contains("Write what you are asking for: who is needed, and why")
        );

        let sent = coordinator
            .post(
                "/schemes/peer-acc-aco/supply/appeal",
                &[
                    ("band", "acc"),
                    ("message", "We need ACO mentors for new appointees."),
                ],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let page = coordinator.get(sent.location()).await;
        assert!(
            page.body.contains("The appeal was emailed to"),
            "{}",
            page.body
        );
        assert!(page.body.contains("Appeals sent"));

        // Buddies join by invitation: there is nobody to appeal to.
        let buddies = coordinator.get("/schemes/stage5-buddy/supply").await;
        assert!(
            buddies
                .body
                .contains("Mentors join this scheme by invitation")
        );
    })
    .await;
}
