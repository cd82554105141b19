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
        let bands = band_rows(&page.body);
        assert!(topics.contains("Leadership"));
        assert!(!page.body.contains("[[band]]"), "the bands are a form, not a file");
        let saved_rows = bands.iter().filter(|row| !row[0].1.is_empty()).count();
        assert!(saved_rows >= 4 && bands.len() == saved_rows + 2, "{bands:?}");
        let send = |marking: &str, zone: &str, topics: &str, bands: &[[(String, String); 4]], version: &str| {
            let mut fields = vec![
                ("version".to_owned(), version.to_owned()),
                ("name".to_owned(), "Cleveland Police".to_owned()),
                ("protective_marking".to_owned(), marking.to_owned()),
                ("time_zone".to_owned(), zone.to_owned()),
                ("topics".to_owned(), topics.to_owned()),
            ];
            fields.extend(bands.iter().flatten().cloned());
            fields
        };
        let with = |changes: &[(usize, usize, &str)]| {
            let mut rows = bands.clone();
            for &(row, part, text) in changes {
                rows[row][part].1 = text.to_owned();
            }
            rows
        };

        let inspectors = format!("{}\nSergeant", bands[3][3].1);
        let bad_bands = with(&[(0, 1, ""), (1, 2, "high"), (3, 3, &inspectors)]);
        let bad = post(&mut browser, send("<secret>", "London", "", &bad_bands, &version)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for expected in [
            "<a href=\"#protective_marking\">&#39;&#60;secret&#62;&#39; is not a protective marking",
            "<a href=\"#time_zone\">&#39;London&#39; is not a time zone name; use one like Europe/London</a>",
            "<a href=\"#topics\">List at least one topic, one per line</a>",
            "<a href=\"#rank_bands-0-name\">Enter the band&#39;s name</a>",
            "<a href=\"#rank_bands-1-level\">Enter the seniority as a whole number from 0 to 255, not &#39;high&#39;</a>",
            "<a href=\"#rank_bands-3-ranks\">Sergeant is also in the band Sergeants and equivalent staff; a rank or grade belongs to one band only</a>",
            // At the fields, with what was typed kept.
            "id=\"rank_bands-1-level-error\"><span class=\"visually-hidden\">Error:</span> Enter the seniority",
            "name=\"rank_bands.1.level\" value=\"high\"",
            "name=\"protective_marking\" value=\"&#60;secret&#62;\"",
        ] {
            assert!(bad.body.contains(expected), "missing {expected:?} in {}", bad.body);
        }
        assert!(unescape(field(&bad.body, "rank_bands.3.ranks")).ends_with("\nSergeant"));
        for internal in ["TOML", "[[band]]", "invalid type", "expected", "programme file"] {
            assert!(!bad.body.contains(internal), "{internal:?} in {}", bad.body);
        }

        let sergeants: Vec<&str> = bands[2][3].1.lines().filter(|it| *it != "Sergeant").collect();
        let orphan = post(&mut browser, send("OFFICIAL", "Europe/London", &topics, &with(&[(2, 3, &sergeants.join("\n"))]), &version)).await;
        assert!(orphan.body.contains("<a href=\"#rank_bands\">Sergeant is held by people in Cleveland Police but is in no band; add it to a band&#39;s ranks and grades</a>"), "{}", orphan.body);

        let more_topics = format!("{topics}\nPolicing protests");
        let cadets = with(&[(saved_rows, 1, "Cadet leaders"), (saved_rows, 2, "0"), (saved_rows, 3, "Cadet Coordinator\n")]);
        let saved = post(&mut browser, send("official-sensitive", "Europe/London", &more_topics, &cadets, &version)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let home = browser.get("/").await;
        assert!(home.body.contains("aria-label=\"Protective marking\">OFFICIAL-SENSITIVE</div>"));
        let again = browser.get("/settings").await;
        assert!(again.body.contains("Policing protests"));
        let rows = band_rows(&again.body);
        assert_eq!(rows.len(), saved_rows + 3, "the new band and two empty rows");
        assert_eq!(
            rows[saved_rows].iter().map(|(_, text)| text.as_str()).collect::<Vec<_>>(),
            ["cadet-leaders", "Cadet leaders", "0", "Cadet Coordinator"]
        );

        let stale = post(&mut browser, send("OFFICIAL", "Europe/London", &topics, &bands, &version)).await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        assert!(stale.body.contains("were changed by someone else"));
    })
    .await;
}

/// Each band row of the page: code, name, seniority and ranks, as the form would send them.
fn band_rows(body: &str) -> Vec<[(String, String); 4]> {
    (0..)
        .take_while(|idx| body.contains(&format!("name=\"rank_bands.{idx}.name\"")))
        .map(|idx| {
            ["code", "name", "level", "ranks"].map(|part| {
                let name = format!("rank_bands.{idx}.{part}");
                let text = unescape(field(body, &name));
                (name, text)
            })
        })
        .collect()
}

async fn post(browser: &mut Browser, fields: Vec<(String, String)>) -> crate::Reply {
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    browser.post("/settings", &borrowed).await
}
