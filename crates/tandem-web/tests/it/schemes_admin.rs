//! Managing schemes in the browser: open and close, change the policy field by field with every
//! problem named next to its field, refuse a stale save, and create a scheme from a preset.

use crate::{Browser, app, on_each_demo};
use axum::http::StatusCode;
use tandem_app::{App, demo};
use tandem_core::audit::AuditAction;
use tandem_web::WebConfig;

async fn coordinator(store: tandem_store::Store, organisation: &str) -> (App, Browser) {
    let app = app(store);
    let summary = crate::demo_summary(&app).await;
    let role = format!("coordinator ({organisation})");
    let email = summary
        .accounts
        .iter()
        .find(|account| account.role == role)
        .unwrap()
        .email
        .clone();
    let mut browser = Browser::new(&app, WebConfig::default());
    browser
        .post(
            "/sign-in",
            &[("email", &email), ("password", demo::DEMO_PASSWORD)],
        )
        .await;
    (app, browser)
}

/// The edit form's fields as a browser would send them back unchanged.
fn form_fields(body: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for tag in body.split('<').skip(1) {
        let attribute = |name: &str| {
            let marker = format!(" {name}=\"");
            tag.find(&marker).map(|start| {
                tag[start + marker.len()..]
                    .split('"')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
        };
        let unescape = |text: String| {
            text.replace("&#39;", "'")
                .replace("&quot;", "\"")
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
        };
        if tag.starts_with("input ") {
            let (Some(name), Some(value)) = (attribute("name"), attribute("value")) else {
                continue;
            };
            let kind = attribute("type").unwrap_or_default();
            if (kind == "checkbox" || kind == "radio") && !tag.contains(" checked") {
                continue;
            }
            if name != "csrf" {
                fields.push((name, unescape(value)));
            }
        } else if tag.starts_with("textarea ") {
            let name = attribute("name").unwrap();
            let text = tag.split_once('>').map_or("", |(_, text)| text).to_owned();
            fields.push((name, unescape(text)));
        }
    }
    fields
}

fn with(fields: &[(String, String)], name: &str, value: &str) -> Vec<(String, String)> {
    let mut changed: Vec<(String, String)> = fields
        .iter()
        .filter(|(key, _)| key != name)
        .cloned()
        .collect();
    changed.push((name.to_owned(), value.to_owned()));
    changed
}

async fn post(browser: &mut Browser, uri: &str, fields: &[(String, String)]) -> crate::Reply {
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    browser.post(uri, &borrowed).await
}

#[tokio::test]
async fn a_coordinator_closes_and_reopens_a_scheme() {
    on_each_demo(|store| async move {
        let (_, mut browser) = coordinator(store, "cleveland").await;
        let page = browser.get("/schemes").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Traditional mentoring") && page.body.contains("Reverse mentoring")
        );
        let closed = browser
            .post(
                "/schemes/traditional/status",
                &[("status", "closed"), ("confirmed", "yes")],
            )
            .await;
        assert_eq!(closed.location(), "/schemes?notice=closed");
        assert!(
            browser
                .get("/")
                .await
                .body
                .contains("Closed for applications")
        );
        let opened = browser
            .post("/schemes/traditional/status", &[("status", "open")])
            .await;
        assert_eq!(opened.location(), "/schemes?notice=opened");
        assert!(
            !browser
                .get("/")
                .await
                .body
                .contains("Closed for applications")
        );
    })
    .await;
}

#[tokio::test]
async fn a_policy_change_is_checked_field_by_field_and_saved_with_an_audit_of_what_changed() {
    on_each_demo(|store| async move {
        let (app, mut browser) = coordinator(store, "cleveland").await;
        let form = browser.get("/schemes/reverse/edit").await;
        assert_eq!(form.status, StatusCode::OK);
        let fields = form_fields(&form.body);
        assert!(fields.contains(&("max_mentees_per_mentor".to_owned(), "1".to_owned())));
        assert!(fields.contains(&("duration_months.min".to_owned(), "6".to_owned())));

        let too_long = post(&mut browser, "/schemes/reverse/edit", &with(&fields, "duration_months.min", "9")).await;
        assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(too_long.body.contains("<a href=\"#duration_months-min\">The lower limit (9) is above the upper limit (6); lower the first or raise the second</a>"), "{}", too_long.body);
        assert!(too_long.body.contains("value=\"9\""), "the input is kept");

        let not_a_number = post(&mut browser, "/schemes/reverse/edit", &with(&fields, "max_mentees_per_mentor", "two")).await;
        assert!(not_a_number.body.contains("<a href=\"#max_mentees_per_mentor\">Enter a whole number, not &#39;two&#39;</a>"), "{}", not_a_number.body);

        // Every problem at once: a number that does not parse and a rule the rest of the form
        // breaks are both shown after one submission.
        let both = with(&with(&fields, "max_mentees_per_mentor", "two"), "duration_months.min", "9");
        let both = post(&mut browser, "/schemes/reverse/edit", &both).await;
        assert_eq!(both.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            both.body.contains("<a href=\"#max_mentees_per_mentor\">Enter a whole number, not &#39;two&#39;</a>")
                && both.body.contains("<a href=\"#duration_months-min\">The lower limit (9) is above the upper limit (6); lower the first or raise the second</a>"),
            "{}",
            both.body
        );
        let unknown = post(&mut browser, "/schemes/reverse/edit", &with(&fields, "kind", "carousel")).await;
        assert!(unknown.body.contains("<a href=\"#kind\">Choose one of the options shown</a>"), "{}", unknown.body);

        let wrong_way = post(&mut browser, "/schemes/reverse/edit", &with(&fields, "rank_direction", "mentor_senior")).await;
        assert!(wrong_way.body.contains("<a href=\"#rank_direction\">A reverse scheme pairs a junior mentor with a senior mentee; choose a mentor more junior than the mentee</a>"), "{}", wrong_way.body);

        let out_of_range = post(&mut browser, "/schemes/reverse/edit", &with(&fields, "weights.rank", "250")).await;
        assert!(out_of_range.body.contains("<a href=\"#weights-rank\">250 is out of range; allowed 0 to 100</a>"));

        let saved = post(&mut browser, "/schemes/reverse/edit", &with(&fields, "cadence_weeks.max", "8")).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(saved.location(), "/schemes?notice=saved");
        let again = form_fields(&browser.get("/schemes/reverse/edit").await.body);
        assert!(again.contains(&("cadence_weeks.max".to_owned(), "8".to_owned())));
        assert!(again.contains(&("version".to_owned(), "2".to_owned())));

        let entries = app.store.begin_read().await.unwrap().recent_audit(1).await.unwrap();
        assert_eq!(entries[0].action, AuditAction::SchemeUpdated);
        assert_eq!(entries[0].detail["fields"], serde_json::json!(["policy.cadence_weeks.max"]));

        let stale = post(&mut browser, "/schemes/reverse/edit", &with(&fields, "cadence_weeks.max", "10")).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert!(stale.body.contains("was changed by someone else since it was opened"));
    })
    .await;
}

#[tokio::test]
async fn a_scheme_is_created_from_a_preset_under_a_new_key() {
    on_each_demo(|store| async move {
        let (_, mut browser) = coordinator(store, "police-scotland").await;
        let page = browser.get("/schemes").await;
        assert!(
            page.body.contains("value=\"cleveland/reverse\""),
            "every preset's schemes are offered"
        );

        let bad_key = browser
            .post(
                "/schemes",
                &[
                    ("preset", "cleveland/reverse"),
                    ("key", "Reverse Scheme!"),
                    ("name", ""),
                ],
            )
            .await;
        assert_eq!(bad_key.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad_key.body.contains(
                "<a href=\"#key\">The short name &#39;Reverse Scheme!&#39; is not a scheme key"
            ),
            "{}",
            bad_key.body
        );

        let created = browser
            .post(
                "/schemes",
                &[
                    ("preset", "cleveland/reverse"),
                    ("key", "reverse"),
                    ("name", "Reverse mentoring in Fife"),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        assert_eq!(created.location(), "/schemes/reverse/edit?notice=created");
        assert!(
            browser
                .get("/")
                .await
                .body
                .contains("Reverse mentoring in Fife")
        );

        let taken = browser
            .post(
                "/schemes",
                &[
                    ("preset", "cleveland/reverse"),
                    ("key", "reverse"),
                    ("name", ""),
                ],
            )
            .await;
        assert!(
            taken.body.contains("already runs the scheme reverse"),
            "{}",
            taken.body
        );
    })
    .await;
}

#[tokio::test]
async fn the_pairing_rules_and_rank_gap_points_are_edited_with_every_problem_at_its_field() {
    on_each_demo(|store| async move {
        let (_, mut browser) = coordinator(store, "cleveland").await;
        let fields = form_fields(&browser.get("/schemes/reverse/edit").await.body);
        assert!(fields.contains(&("min_levels_apart".to_owned(), String::new())));
        assert!(fields.contains(&("rank_gap_points".to_owned(), String::new())));

        let contradictory = with(&fields, "min_levels_apart", "3");
        let contradictory = with(&contradictory, "max_levels_apart", "1");
        let contradictory = with(&contradictory, "different_organisation", "true");
        let contradictory = with(&contradictory, "rank_gap_points", "1 = 60, 2 = 150");
        let refused = post(&mut browser, "/schemes/reverse/edit", &contradictory).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        for problem in [
            "<a href=\"#max_levels_apart\">1 is below the fewest ranks between mentor and mentee (3), so no pair could be matched; make it at least 3</a>",
            "<a href=\"#different_organisation\">Mentors from another organisation need pairs from different organisations allowed; allow them too</a>",
            "<a href=\"#rank_gap_points\">Gap 2: 150 points is out of range; allowed 0 to 100</a>",
        ] {
            assert!(refused.body.contains(problem), "{problem} in {}", refused.body);
        }

        let not_a_number = post(&mut browser, "/schemes/reverse/edit", &with(&fields, "rank_gap_points", "1 = sixty")).await;
        assert_eq!(not_a_number.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(not_a_number.body.contains("Enter the points for gap 1 as a whole number from 0 to 100, not &#39;sixty&#39;"), "{}", not_a_number.body);

        let valid = with(&fields, "min_levels_apart", "1");
        let valid = with(&valid, "max_levels_apart", "2");
        let valid = with(&valid, "different_department", "true");
        let valid = with(&valid, "rank_gap_points", "2 = 100, 1=60");
        let saved = post(&mut browser, "/schemes/reverse/edit", &valid).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let again = form_fields(&browser.get("/schemes/reverse/edit").await.body);
        for (name, value) in [
            ("min_levels_apart", "1"),
            ("max_levels_apart", "2"),
            ("different_department", "true"),
            ("rank_gap_points", "1 = 60, 2 = 100"),
        ] {
            assert!(again.contains(&(name.to_owned(), value.to_owned())), "{name} = {value} in {again:?}");
        }
        assert!(!again.iter().any(|(name, _)| name == "different_organisation"));
    })
    .await;
}
