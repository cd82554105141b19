//! The matching board as a table: proposals one row each with a link to the pair's own page
//! (its factors and the forms to confirm, pin or rule out, a refused rule-out shown there with
//! the reason kept), pinned pairs tagged, and ended pairs kept in view with who ended them.

use crate::{Browser, app, on_each_demo};
use axum::http::StatusCode;
use tandem_app::{App, demo};

async fn signed_in(app: &App, summary: &demo::DemoSummary, role: &str) -> Browser {
    crate::signed_in(app, &account(summary, role).email).await
}

fn account<'a>(summary: &'a demo::DemoSummary, role: &str) -> &'a demo::DemoAccount {
    summary
        .accounts
        .iter()
        .find(|account| account.role.starts_with(role))
        .unwrap()
}

const COORDINATOR: &str = "coordinator (police-scotland)";

/// The addresses of the pairs' pages the board links to, in its order.
pub(crate) fn details_links(body: &str) -> Vec<String> {
    body.split("<a href=\"")
        .skip(1)
        .filter_map(|it| {
            let (href, rest) = it.split_once('"')?;
            (href.contains("/matching/pairs/")
                && rest.starts_with(">Details<span class=\"visually-hidden\"> of "))
            .then(|| href.to_owned())
        })
        .collect()
}

/// The value of the hidden field `name` on a pair's page.
/// Confirms the first proposal on `board` that is ready to confirm; gives its page's address.
async fn confirm_first_ready(coordinator: &mut Browser, board: &str) -> String {
    for link in details_links(board) {
        let id = link.rsplit('/').next().unwrap();
        let reply = coordinator
            .post(
                &format!("/matches/{id}/confirm"),
                &[("scheme", "mentoring")],
            )
            .await;
        if reply.status == StatusCode::SEE_OTHER {
            return link;
        }
    }
    panic!("some proposal is ready to confirm")
}

fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker).unwrap() + marker.len();
    body[start..].split('"').next().unwrap().to_owned()
}

/// Form fields as the test browser sends them.
fn borrowed<'a>(fields: &'a [(&'static str, String)]) -> Vec<(&'a str, &'a str)> {
    fields
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect()
}

/// The board's row of the pair whose page is `link`.
fn row_of<'a>(board: &'a str, link: &str) -> &'a str {
    let id = link.rsplit('/').next().unwrap();
    let start = board.find(&format!("<tr id=\"pair-{id}\"")).unwrap();
    let end = start + board[start..].find("</tr>").unwrap();
    &board[start..end]
}

#[tokio::test]
async fn the_board_lists_proposals_in_a_table_with_a_details_link_and_no_rule_out_form() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = crate::demo_summary(&app).await;
        let mut coordinator = signed_in(&app, &summary, COORDINATOR).await;
        let board = coordinator.get("/schemes/mentoring/matching").await;
        assert_eq!(board.status, StatusCode::OK);
        let body = &board.body;
        assert!(
            body.contains("<caption class=\"visually-hidden\">Proposed pairs")
                && body.contains("<th scope=\"col\">Mentee</th><th scope=\"col\">Mentor</th><th scope=\"col\">Score</th>"),
            "{body}"
        );
        let links = details_links(body);
        assert!(!links.is_empty(), "the demo has proposals: {body}");
        let confirms = body.matches("action=\"/matches/").count();
        assert_eq!(confirms, links.len(), "one Confirm and one Details a row");
        let row = row_of(body, &links[0]);
        assert!(row.contains(" out of "), "the score with its maximum: {row}");
        assert!(
            !body.contains("value=\"forbid\"")
                && !body.contains("name=\"reason\"")
                && !body.contains("value=\"pin\"")
                && !body.contains("Why this pair"),
            "ruling out, pinning and the factors are on the pair's page"
        );
    })
    .await;
}

#[tokio::test]
async fn the_pair_page_shows_the_explanation_and_the_three_forms_and_only_for_a_proposed_pair() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = crate::demo_summary(&app).await;
        let mut coordinator = signed_in(&app, &summary, COORDINATOR).await;
        let board = coordinator.get("/schemes/mentoring/matching").await;
        let link = details_links(&board.body).remove(0);
        let id = link.rsplit('/').next().unwrap().to_owned();
        let page = coordinator.get(&link).await;
        assert_eq!(page.status, StatusCode::OK);
        let body = &page.body;
        assert!(
            body.contains("<h2>Why this pair: the score factor by factor</h2>")
                && body.contains("topic fit:")
                && body.contains(" out of "),
            "{body}"
        );
        assert!(
            body.contains(&format!("action=\"/matches/{id}/confirm\""))
                && body.contains("name=\"kind\" value=\"pin\"")
                && body.contains("name=\"kind\" value=\"forbid\"")
                && body.contains(&format!("name=\"pair\" value=\"{id}\""))
                && body.contains("data-maxlength=\"500\"")
                && body.contains("You can enter up to 500 characters"),
            "confirm, pin and rule out, with a character count: {body}"
        );
        assert!(
            body.contains("<li><a href=\"/schemes/mentoring/matching\">Matching</a></li>"),
            "a breadcrumb back to the board"
        );

        // No such pair, and a pair of another organisation's scheme: not found.
        let missing = "/schemes/mentoring/matching/pairs/0190c6f4-0000-7000-8000-000000000000";
        assert_eq!(coordinator.get(missing).await.status, StatusCode::NOT_FOUND);
        let mut cleveland = signed_in(&app, &summary, "coordinator (cleveland)").await;
        assert_eq!(
            cleveland.get("/schemes/reverse/matching").await.status,
            StatusCode::OK
        );
        assert_eq!(
            cleveland
                .get(&format!("/schemes/reverse/matching/pairs/{id}"))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        // Someone who may not see the board may not see the pair.
        let mut participant = signed_in(&app, &summary, "participant (police-scotland)").await;
        assert_eq!(participant.get(&link).await.status, StatusCode::FORBIDDEN);

        // Confirmed, a pair is no longer a proposal: its page is gone.
        let confirmed = confirm_first_ready(&mut coordinator, &board.body).await;
        assert_eq!(
            coordinator.get(&confirmed).await.status,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}

#[tokio::test]
async fn a_refused_rule_out_shows_the_pair_page_again_with_the_message_and_the_reason_kept() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = crate::demo_summary(&app).await;
        let mut coordinator = signed_in(&app, &summary, COORDINATOR).await;
        let board = coordinator.get("/schemes/mentoring/matching").await;
        let link = details_links(&board.body).remove(0);
        let page = coordinator.get(&link).await;
        let (mentee, mentor, pair) = (
            hidden(&page.body, "mentee"),
            hidden(&page.body, "mentor"),
            hidden(&page.body, "pair"),
        );
        let title = page
            .body
            .split("<title>")
            .nth(1)
            .unwrap()
            .split("</title>")
            .next()
            .unwrap()
            .to_owned();
        let rule_out = |reason: &str| -> Vec<(&'static str, String)> {
            vec![
                ("mentee", mentee.clone()),
                ("mentor", mentor.clone()),
                ("pair", pair.clone()),
                ("kind", "forbid".to_owned()),
                ("reason", reason.to_owned()),
            ]
        };

        // No reason: the pair's page again, titled as an error, the message at the reason.
        let sent = rule_out("");
        let refused = coordinator
            .post("/schemes/mentoring/matching/constraints", &borrowed(&sent))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused.body.contains(&format!("<title>Error: {title}"))
                && refused.body.contains("There is a problem")
                && refused.body.contains("href=\"#reason\"")
                && refused.body.contains("id=\"reason-error\"")
                && refused.body.contains("Say why the pair is ruled out")
                && refused
                    .body
                    .contains("Why this pair: the score factor by factor")
                && refused.body.contains("Sign out"),
            "{}",
            refused.body
        );
        assert!(
            !refused
                .body
                .contains("There is a problem with what was sent")
        );

        // Too long: what was typed is kept in the box.
        let long = "conflict ".repeat(60);
        let sent = rule_out(&long);
        let refused = coordinator
            .post("/schemes/mentoring/matching/constraints", &borrowed(&sent))
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .body
                .contains("Shorten this to 500 characters or fewer")
        );
        assert!(
            refused.body.contains(&format!(">{long}</textarea>")),
            "what was typed is kept"
        );

        // With a reason: back to the board, the pair listed as ruled out.
        let sent = rule_out("A conflict of interest");
        let done = coordinator
            .post("/schemes/mentoring/matching/constraints", &borrowed(&sent))
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        assert_eq!(done.location(), "/schemes/mentoring/matching");
        let board = coordinator.get(done.location()).await;
        assert!(board.body.contains("A conflict of interest"));
    })
    .await;
}

#[tokio::test]
async fn a_pinned_pair_shows_the_pinned_tag() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = crate::demo_summary(&app).await;
        let mut coordinator = signed_in(&app, &summary, COORDINATOR).await;
        let board = coordinator.get("/schemes/mentoring/matching").await;
        let link = details_links(&board.body)
            .into_iter()
            .find(|link| !row_of(&board.body, link).contains(">Pinned<"))
            .unwrap();
        let tag = "<strong class=\"govuk-tag govuk-tag--blue\">Pinned</strong>";
        let page = coordinator.get(&link).await;
        assert!(!page.body.contains(tag));
        let (mentee, mentor) = (hidden(&page.body, "mentee"), hidden(&page.body, "mentor"));
        let done = coordinator
            .post(
                "/schemes/mentoring/matching/constraints",
                &[("mentee", &mentee), ("mentor", &mentor), ("kind", "pin")],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER);
        let board = coordinator.get(done.location()).await;
        assert!(row_of(&board.body, &link).contains(tag), "{}", board.body);
        let page = coordinator.get(&link).await;
        assert!(
            page.body.contains(tag) && !page.body.contains("value=\"pin\""),
            "a pinned pair is not offered the pin again: {}",
            page.body
        );
    })
    .await;
}

#[tokio::test]
async fn an_ended_pair_shows_who_ended_it_and_when() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = crate::demo_summary(&app).await;
        let mut coordinator = signed_in(&app, &summary, COORDINATOR).await;
        let board = coordinator.get("/schemes/mentoring/matching").await;
        let confirmed = confirm_first_ready(&mut coordinator, &board.body).await;
        let id = confirmed.rsplit('/').next().unwrap();
        let reply = coordinator
            .post(
                &format!("/schemes/mentoring/relationships/{id}/end"),
                &[
                    ("reason", "The mentee moved to another force"),
                    ("confirmed", "yes"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        let board = coordinator.get("/schemes/mentoring/matching").await;
        let ended = &board.body[board.body.find("<h2>Ended pairs (").unwrap()..];
        let name = &account(&summary, COORDINATOR).name;
        assert!(
            ended.contains(&format!("Ended by {name} on 23 November 2026")),
            "{ended}"
        );
    })
    .await;
}
