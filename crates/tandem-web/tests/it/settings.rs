//! Organisation settings: marking, time zone, topics and rank bands, each checked.

use crate::{Browser, app, on_each_demo};
use axum::http::StatusCode;
use tandem_app::demo;
use tandem_core::authz::Actor;
use tandem_web::WebConfig;

fn field<'a>(body: &'a str, name: &str) -> &'a str {
    if let Some(start) = body.find(&format!("name=\"{name}\" value=\"")) {
        let from = start + name.len() + "name=\"\" value=\"".len();
        return body[from..].split('"').next().unwrap();
    }
    let start = body.find(&format!("name=\"{name}\"")).unwrap();
    let from = body[start..].find('>').unwrap() + start + 1;
    body[from..].split("</textarea>").next().unwrap()
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
}

#[tokio::test]
async fn an_administrator_changes_the_marking_and_topics_and_every_page_shows_it() {
    on_each_demo(|store| async move {
        let app = app(store);
        let accounts = demo::seed(&app, &Actor::Operator { name: "test".to_owned() }, "http://tandem.test").await.unwrap().accounts;
        let email = accounts.iter().find(|account| account.role == "organisation_admin (cleveland)").unwrap().email.clone();
        let mut browser = Browser::new(&app, WebConfig::default());
        browser.post("/sign-in", &[("email", &email), ("password", demo::DEMO_PASSWORD)]).await;
        let page = browser.get("/settings").await;
        assert_eq!(page.status, StatusCode::OK);
        let version = field(&page.body, "version").to_owned();
        let topics = unescape(field(&page.body, "topics"));
        let bands = unescape(field(&page.body, "rank_bands"));
        assert!(topics.contains("Leadership"));
        let send = |marking: &str, zone: &str, topics: &str, bands: &str, version: &str| {
            vec![
                ("version".to_owned(), version.to_owned()),
                ("name".to_owned(), "Cleveland Police".to_owned()),
                ("protective_marking".to_owned(), marking.to_owned()),
                ("time_zone".to_owned(), zone.to_owned()),
                ("topics".to_owned(), topics.to_owned()),
                ("rank_bands".to_owned(), bands.to_owned()),
            ]
        };

        let bad = post(&mut browser, send("<secret>", "London", "", "[[band]]\ncode = 'x'", &version)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for expected in [
            "<a href=\"#protective_marking\">&#39;&#60;secret&#62;&#39; is not a protective marking",
            "<a href=\"#time_zone\">&#39;London&#39; is not a time zone name; use one like Europe/London</a>",
            "<a href=\"#topics\">List at least one topic, one per line</a>",
            "<a href=\"#rank_bands\">Rank-band mapping is not valid",
        ] {
            assert!(bad.body.contains(expected), "missing {expected:?} in {}", bad.body);
        }

        let without_sergeant = bands.replacen("\"Sergeant\", ", "", 1);
        assert_ne!(without_sergeant, bands);
        let orphan = post(&mut browser, send("OFFICIAL", "Europe/London", &topics, &without_sergeant, &version)).await;
        assert!(orphan.body.contains("&#39;Sergeant&#39; is held by people in Cleveland Police but is in no band"), "{}", orphan.body);

        let more_topics = format!("{topics}\nPolicing protests");
        let saved = post(&mut browser, send("official-sensitive", "Europe/London", &more_topics, &bands, &version)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let home = browser.get("/").await;
        assert!(home.body.contains("aria-label=\"Protective marking\">OFFICIAL-SENSITIVE</div>"));
        assert!(browser.get("/settings").await.body.contains("Policing protests"));

        let stale = post(&mut browser, send("OFFICIAL", "Europe/London", &topics, &bands, &version)).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert!(stale.body.contains("were changed by someone else"));
    })
    .await;
}

async fn post(browser: &mut Browser, fields: Vec<(String, String)>) -> crate::Reply {
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    browser.post("/settings", &borrowed).await
}
