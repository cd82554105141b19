//! Evaluation results (R10.4): each score question charted beside its table, the response
//! rate, the written answers without a name tagged with the scheme's themes by its
//! coordinator (a refused tag said at its answer), counts per theme, the CSV with the marking,
//! and participants refused.

use crate::app;
use crate::reports::{demo_accounts, signed_in};
use axum::http::StatusCode;
use tandem_store::testing::on_each_backend;

#[tokio::test]
async fn a_coordinator_reads_the_evaluation_and_tags_written_answers_with_themes() {
    on_each_backend(|store| async move {
        let app = app(store);
        let accounts = demo_accounts(&app).await;
        let mut coordinator = signed_in(&app, &accounts, "coordinator (police-scotland)").await;
        assert!(
            coordinator
                .get("/reports")
                .await
                .body
                .contains("<a href=\"/reports/evaluation\">evaluation results</a>")
        );
        let page = coordinator
            .get("/reports/evaluation?scheme=mentoring")
            .await;
        assert_eq!(page.status, StatusCode::OK);
        for expected in [
            "<h1>Evaluation results</h1>",
            "Police Scotland, Mentoring programme, relationships that began closing,",
            "<h2 id=\"evaluation-response\">Who answered the evaluation</h2>",
            "role=\"img\" aria-labelledby=\"score-goals-title score-goals-desc\"",
            "<th scope=\"row\">5 (very much)</th>",
            "Honest conversations",
            "href=\"/reports/evaluation-scores.csv?scheme=mentoring&#38;from=",
            "<label class=\"label\" for=\"label\">A new theme</label>",
        ] {
            assert!(
                page.body.contains(expected),
                "missing {expected:?} in {}",
                page.body
            );
        }

        let csrf = coordinator.csrf();
        let filters = [("scheme", "mentoring")];
        let refused = coordinator
            .post(
                "/reports/evaluation/theme-list",
                &[("csrf", &csrf), ("label", "!!"), filters[0]],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .body
                .contains("<a href=\"#label\">Give the theme a name with a letter or digit</a>"),
            "{}",
            refused.body
        );
        assert!(
            refused.body.contains("name=\"label\" value=\"!!\""),
            "what was typed is kept"
        );
        let added = coordinator
            .post(
                "/reports/evaluation/theme-list",
                &[("csrf", &csrf), ("label", "Morale"), filters[0]],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER);

        let page = coordinator
            .get("/reports/evaluation?scheme=mentoring")
            .await;
        assert!(
            page.body.contains("The theme is added.") && page.body.contains("Morale"),
            "{}",
            page.body
        );
        let handle = page
            .body
            .split("name=\"handle\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_owned();
        let unknown = coordinator
            .post(
                "/reports/evaluation/themes",
                &[
                    ("csrf", &csrf),
                    ("handle", &handle),
                    ("theme", "nonsense"),
                    filters[0],
                ],
            )
            .await;
        assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            unknown
                .body
                .contains(&format!("<a href=\"#themes-{handle}\">")),
            "the refusal is said at the answer: {}",
            unknown.body
        );
        let tagged = coordinator
            .post(
                "/reports/evaluation/themes",
                &[
                    ("csrf", &csrf),
                    ("handle", &handle),
                    ("theme", "morale"),
                    filters[0],
                ],
            )
            .await;
        assert_eq!(tagged.status, StatusCode::SEE_OTHER);
        let page = coordinator
            .get("/reports/evaluation?scheme=mentoring")
            .await;
        assert!(
            page.body
                .contains("<tr><th scope=\"row\">Morale</th><td class=\"numeric\">1</td></tr>"),
            "{}",
            page.body
        );
        assert!(page.body.contains("value=\"morale\" checked>"));

        let csv = coordinator
            .get("/reports/evaluation-themes.csv?scheme=mentoring")
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains("police-scotland-mentoring-evaluation-themes.csv")
        );
        assert!(csv.body.starts_with("# OFFICIAL\n"), "{}", csv.body);
        assert!(csv.body.contains("\nMorale,1\n"), "{}", csv.body);

        // A participant sees none of it, and cannot tag.
        let mut member = signed_in(
            &app,
            &accounts,
            "mentee in an active relationship (police-scotland)",
        )
        .await;
        assert_eq!(
            member.get("/reports/evaluation").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            member.get("/reports/evaluation-scores.csv").await.status,
            StatusCode::FORBIDDEN
        );
        let csrf = member.csrf();
        let refused = member
            .post(
                "/reports/evaluation/themes",
                &[("csrf", &csrf), ("handle", &handle), filters[0]],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
    })
    .await;
}
