//! Looking after a relationship in the browser: an extension proposed and agreed, a concern
//! raised and answered, an interview panel flagged and decided, adjustments recorded, and an
//! early end without a reason; every refused form comes back on its own page with the error at
//! its field and the signed-in header, what was typed kept.

use crate::{app, on_each_demo, signed_in};
use axum::http::StatusCode;
use tandem_app::demo;
use tandem_core::MatchId;
use tandem_core::pairing::MatchStatus;

fn account(summary: &demo::DemoSummary, role: &str) -> String {
    summary
        .accounts
        .iter()
        .find(|it| it.role == role)
        .unwrap_or_else(|| panic!("the demo offers {role}"))
        .email
        .clone()
}

/// The Police Scotland demo pair in an active relationship, and its end date.
async fn active_pair(app: &tandem_app::App, mentor_email: &str) -> (MatchId, time::Date) {
    let mut tx = app.store.begin_read().await.unwrap();
    let mentor = tx
        .person_id_by_email(&tandem_core::domain::Email::parse(mentor_email).unwrap())
        .await
        .unwrap()
        .unwrap();
    let pair = tx
        .matches_of_person(mentor)
        .await
        .unwrap()
        .into_iter()
        .find(|it| it.status == MatchStatus::Active)
        .unwrap();
    tx.rollback().await.unwrap();
    (pair.id, pair.life.ends_on.unwrap())
}

#[tokio::test]
async fn a_pair_extends_raises_a_concern_and_flags_a_panel_and_the_coordinator_answers() {
    on_each_demo(|store| async move {
        let app = app(store);
        let operator = tandem_core::authz::Actor::Operator {
            name: "test".to_owned(),
        };
        let summary = demo::seed(&app, &operator, "http://tandem.test")
            .await
            .unwrap();
        let mentor_email = account(
            &summary,
            "mentor in an active relationship (police-scotland)",
        );
        let mentee_email = account(
            &summary,
            "mentee in an active relationship (police-scotland)",
        );
        let coordinator_email = account(&summary, "coordinator (police-scotland)");
        let (id, ends_on) = active_pair(&app, &mentor_email).await;
        let page = format!("/relationships/{id}");
        let mut mentee = signed_in(&app, &mentee_email).await;
        let mut mentor = signed_in(&app, &mentor_email).await;

        // An extension: a date before the end is refused at its field, input kept.
        let early = ends_on.to_string();
        let refused = mentee
            .post(
                &format!("{page}/extensions"),
                &[("ends_on", early.as_str())],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("href=\"#extension-ends_on\""),
            "{}",
            refused.body
        );
        // Kept in the date's three boxes.
        let mut parts = early.split('-');
        let (year, month, day) = (
            parts.next().unwrap(),
            parts.next().unwrap(),
            parts.next().unwrap(),
        );
        for (which, typed) in [
            ("year", year),
            ("month", month.trim_start_matches('0')),
            ("day", day.trim_start_matches('0')),
        ] {
            let shown = format!(
                "name=\"ends_on-{which}\" type=\"text\" inputmode=\"numeric\" value=\"{typed}\""
            );
            assert!(refused.body.contains(&shown), "kept: {shown}");
        }
        assert!(
            refused.body.contains("Sign out"),
            "the signed-in header stays"
        );
        let later = tandem_core::relationship::add_months(ends_on, 3).to_string();
        let proposed = mentee
            .post(
                &format!("{page}/extensions"),
                &[("ends_on", later.as_str())],
            )
            .await;
        assert_eq!(proposed.status, StatusCode::SEE_OTHER, "{}", proposed.body);
        let asked = mentor.get(&page).await;
        assert!(asked.body.contains(&format!(
            "proposes to extend the relationship from {ends_on} to {later}"
        )));
        let extension = asked
            .body
            .split(&format!("action=\"{page}/extensions/"))
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        let agreed = mentor
            .post(
                &format!("{page}/extensions/{extension}"),
                &[("answer", "agree")],
            )
            .await;
        assert_eq!(agreed.status, StatusCode::SEE_OTHER);
        let after = mentee.get(&page).await;
        assert!(
            after.body.contains(&format!("<dd>{later}</dd>")),
            "the new end date shows"
        );

        // A concern: refused without words, then sent; the coordinator reads and answers it.
        let refused = mentee
            .post(
                &format!("{page}/concerns"),
                &[("kind", "risk_of_harm"), ("text", "")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("href=\"#concern-text\""));
        assert!(
            refused.body.contains("<details open>"),
            "the form stays open"
        );
        let raised = mentee
            .post(
                &format!("{page}/concerns"),
                &[
                    ("kind", "risk_of_harm"),
                    ("text", "Worried about the safety of a colleague"),
                ],
            )
            .await;
        assert_eq!(raised.status, StatusCode::SEE_OTHER);
        assert!(
            !mentor.get(&page).await.body.contains("Worried about"),
            "the partner is not told"
        );
        let mut coordinator = signed_in(&app, &coordinator_email).await;
        let list = coordinator.get("/schemes/mentoring/concerns").await;
        assert_eq!(list.status, StatusCode::OK);
        let concern = list
            .body
            .split("href=\"/concerns/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        let read = coordinator.get(&format!("/concerns/{concern}")).await;
        assert!(
            read.body
                .contains("Worried about the safety of a colleague"),
            "{}",
            read.body
        );
        let refused = coordinator
            .post(&format!("/concerns/{concern}/outcome"), &[("outcome", " ")])
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("href=\"#outcome-outcome\""));
        let answered = coordinator
            .post(
                &format!("/concerns/{concern}/outcome"),
                &[("outcome", "Spoke to the colleague's supervisor")],
            )
            .await;
        assert_eq!(answered.status, StatusCode::SEE_OTHER);
        assert!(
            mentee
                .get(&page)
                .await
                .body
                .contains("the coordinator recorded what was done")
        );

        // An interview panel: flagged by the mentor, decided by the coordinator.
        let flagged = mentor.post(&format!("{page}/interview-panel"), &[]).await;
        assert_eq!(flagged.status, StatusCode::SEE_OTHER);
        let staff_page = format!("/schemes/mentoring/relationships/{id}");
        let list = coordinator.get("/schemes/mentoring/relationships").await;
        assert!(
            list.body
                .contains("Flagged: a suitability decision is needed")
        );
        assert!(list.body.contains(&format!("href=\"{staff_page}\"")));
        let view = coordinator.get(&staff_page).await;
        assert!(view.body.contains("interview panel"));
        let flag = view
            .body
            .split("action=\"/flags/")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap()
            .to_owned();
        let id_text = id.to_string();
        let refused = coordinator
            .post(
                &format!("/flags/{flag}/decision"),
                &[
                    ("outcome", "continue"),
                    ("reason", ""),
                    ("relationship", id_text.as_str()),
                    ("scheme", "mentoring"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .body
                .contains(&format!("href=\"#decide-{flag}-reason\""))
        );
        assert!(
            refused.body.contains(&format!(
                "id=\"decide-{flag}-outcome-continue\" name=\"outcome\" value=\"continue\" checked"
            )),
            "kept"
        );
        let decided = coordinator
            .post(
                &format!("/flags/{flag}/decision"),
                &[
                    ("outcome", "continue"),
                    ("reason", "The board is in another division"),
                    ("relationship", id_text.as_str()),
                    ("scheme", "mentoring"),
                ],
            )
            .await;
        assert_eq!(decided.status, StatusCode::SEE_OTHER);
        assert!(
            mentee
                .get(&page)
                .await
                .body
                .contains("The coordinator decided it may continue")
        );

        // Ending early needs a reason: refused on its check page, at the field.
        let refused = mentee
            .post(
                &format!("{page}/end"),
                &[("reason", ""), ("rematch", "true"), ("confirmed", "yes")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("href=\"#reason\""));
        assert!(
            refused
                .body
                .contains("You are about to end your relationship with")
        );
    })
    .await;
}

#[tokio::test]
async fn adjustments_are_recorded_and_a_stale_change_is_refused() {
    on_each_demo(|store| async move {
        let app = app(store);
        let operator = tandem_core::authz::Actor::Operator {
            name: "test".to_owned(),
        };
        let summary = demo::seed(&app, &operator, "http://tandem.test")
            .await
            .unwrap();
        let email = account(&summary, "mentee in an active relationship (cleveland)");
        let mut browser = signed_in(&app, &email).await;
        let page = browser.get("/account/adjustments").await;
        assert_eq!(page.status, StatusCode::OK);
        let saved = browser
            .post(
                "/account/adjustments",
                &[
                    ("remote_meetings", "true"),
                    ("other", "A quiet room"),
                    ("version", ""),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        let page = browser.get("/account/adjustments").await;
        assert!(page.body.contains("A quiet room"));
        assert!(
            page.body
                .contains("name=\"remote_meetings\" value=\"true\" checked")
        );
        let stale = browser
            .post(
                "/account/adjustments",
                &[("other", "Changed elsewhere"), ("version", "")],
            )
            .await;
        assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(stale.body.contains("changed in another window"));
        assert!(
            stale.body.contains("Changed elsewhere"),
            "what was typed is kept"
        );
        let long = "x".repeat(501);
        let refused = browser
            .post(
                "/account/adjustments",
                &[("other", long.as_str()), ("version", "1")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("href=\"#other\""));
    })
    .await;
}

#[tokio::test]
async fn the_needs_attention_page_lists_what_needs_a_coordinator_and_ending_needs_a_reason() {
    on_each_demo(|store| async move {
        let app = app(store);
        let operator = tandem_core::authz::Actor::Operator {
            name: "test".to_owned(),
        };
        let summary = demo::seed(&app, &operator, "http://tandem.test")
            .await
            .unwrap();
        let coordinator = account(&summary, "coordinator (cleveland)");
        let mut browser = signed_in(&app, &coordinator).await;
        let list = browser.get("/schemes/traditional/relationships").await;
        assert!(
            list.body
                .contains("href=\"/schemes/traditional/attention\"")
        );
        let page = browser.get("/schemes/traditional/attention").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body
                .contains("Flagged: a suitability decision is needed"),
            "the demo's HR change: {}",
            page.body
        );
        let link = page
            .body
            .split("href=\"/schemes/traditional/relationships/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        let path = format!("/schemes/traditional/relationships/{link}");
        let refused = browser
            .post(
                &format!("{path}/end"),
                &[("reason", " "), ("confirmed", "yes")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("href=\"#reason\""),
            "{}",
            refused.body
        );
        assert!(
            refused
                .body
                .contains("You are about to end the relationship of")
        );
        let ended = browser
            .post(
                &format!("{path}/end"),
                &[
                    ("reason", "The mentor now manages the mentee"),
                    ("confirmed", "yes"),
                ],
            )
            .await;
        assert_eq!(ended.status, StatusCode::SEE_OTHER);
        let after = browser.get(&path).await;
        assert!(after.body.contains("<dd>Withdrawn</dd>"), "{}", after.body);
    })
    .await;
}

#[tokio::test]
async fn a_member_answers_a_check_in_and_the_coordinator_sees_the_score_and_only_shared_words() {
    on_each_demo(|store| async move {
        let app = app(store);
        let operator = tandem_core::authz::Actor::Operator {
            name: "test".to_owned(),
        };
        let summary = demo::seed(&app, &operator, "http://tandem.test")
            .await
            .unwrap();
        let mentor_email = account(
            &summary,
            "mentor in an active relationship (police-scotland)",
        );
        let coordinator_email = account(&summary, "coordinator (police-scotland)");
        let (id, _) = active_pair(&app, &mentor_email).await;
        let page = format!("/relationships/{id}");
        let mut mentor = signed_in(&app, &mentor_email).await;
        let open = mentor.get(&page).await;
        assert!(
            open.body.contains("How is your mentoring going?"),
            "{}",
            open.body
        );
        let round = open
            .body
            .split("name=\"round\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();

        // No score, and a comment to share left empty: both refused at their fields.
        let refused = mentor
            .post(
                &format!("{page}/check-ins"),
                &[
                    ("round", round.as_str()),
                    ("share", "yes"),
                    ("comment", "  "),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains("href=\"#check-in-score\""),
            "{}",
            refused.body
        );
        assert!(refused.body.contains("href=\"#check-in-comment\""));
        let sent = mentor
            .post(
                &format!("{page}/check-ins"),
                &[
                    ("round", round.as_str()),
                    ("score", "3"),
                    ("comment", "My own worry about the promotion board"),
                    ("share", "no"),
                ],
            )
            .await;
        assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
        let after = mentor.get(&page).await;
        assert!(
            after
                .body
                .contains("you scored 3: all right; your comment is private to you")
        );
        assert!(!after.body.contains("name=\"score\""), "answered once");

        let mut coordinator = signed_in(&app, &coordinator_email).await;
        let staff = coordinator
            .get(&format!("/schemes/mentoring/relationships/{id}"))
            .await;
        assert_eq!(staff.status, StatusCode::OK);
        assert!(
            staff.body.contains("<strong>At risk:</strong>"),
            "{}",
            staff.body
        );
        assert!(staff.body.contains("<td>3: all right</td>"));
        assert!(
            staff
                .body
                .contains("could the coordinator help us find a regular slot?")
        );
        assert!(
            !staff.body.contains("promotion board"),
            "a private comment never reaches the coordinator"
        );
        let attention = coordinator.get("/schemes/mentoring/attention").await;
        assert!(
            attention
                .body
                .contains("At risk: a low score at the latest check-in, falling scores")
        );
    })
    .await;
}

#[tokio::test]
async fn a_notice_shows_once_after_its_action_and_never_from_a_link() {
    on_each_demo(|store| async move {
        let app = app(store);
        let operator = tandem_core::authz::Actor::Operator {
            name: "test".to_owned(),
        };
        let summary = demo::seed(&app, &operator, "http://tandem.test")
            .await
            .unwrap();
        let email = account(&summary, "mentee in an active relationship (cleveland)");
        let mut browser = signed_in(&app, &email).await;
        // Anyone can send a link; its words are never shown as the service's own.
        let forged = browser
            .get("/account/adjustments?notice=Your+account+is+suspended%3A+call+0800+000+000")
            .await;
        assert_eq!(forged.status, StatusCode::OK);
        assert!(!forged.body.contains("suspended"), "{}", forged.body);
        assert!(!forged.body.contains("notification-banner--success"));

        let saved = browser
            .post(
                "/account/adjustments",
                &[("remote_meetings", "true"), ("version", "")],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER);
        assert_eq!(saved.location(), "/account/adjustments");
        let shown = browser.get("/account/adjustments").await;
        assert!(
            shown.body.contains("Your adjustments are recorded."),
            "{}",
            shown.body
        );
        let again = browser.get("/account/adjustments").await;
        assert!(
            !again.body.contains("Your adjustments are recorded."),
            "a notice shows once"
        );
    })
    .await;
}
