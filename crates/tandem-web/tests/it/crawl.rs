//! Every page each demo account reaches from home by following links (GET only, bounded)
//! reads in words: no identifiers, stored codes, "not set" or framework errors, and no link
//! leads to an error page.

use crate::{Browser, app, on_each_demo};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use tandem_app::demo;
use tandem_core::authz::Actor;
use tandem_web::WebConfig;

/// Pages opened per account at most: enough to reach every kind of page from home.
const PAGES_PER_ACCOUNT: usize = 150;
/// Pages opened per kind of page (the path with its identifiers taken out) per account.
const PAGES_PER_KIND: usize = 2;

/// The links of a page a person can follow here: this site's pages, not downloads, the API,
/// assets, or signing out.
fn links(body: &str) -> Vec<String> {
    body.split("<a ")
        .skip(1)
        .filter_map(|tag| tag.split("href=\"").nth(1)?.split('"').next())
        .map(|href| href.replace("&amp;", "&"))
        .map(|href| href.split('#').next().unwrap_or_default().to_owned())
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .filter(|href| {
            ![
                "/api/",
                "/static/",
                "/assets/",
                "/sign-out",
                "/sso/",
                ".csv",
                ".zip",
                ".ics",
                "download",
                "format=",
            ]
            .iter()
            .any(|skip| href.contains(skip))
        })
        .collect()
}

fn is_uuid(word: &str) -> bool {
    let groups: Vec<&str> = word.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

/// A page's kind: its path with identifiers (and the values of its query) taken out.
fn kind_of(href: &str) -> String {
    let (path, query) = href.split_once('?').unwrap_or((href, ""));
    let path: Vec<&str> = path
        .split('/')
        .map(|segment| if is_uuid(segment) { "{id}" } else { segment })
        .collect();
    let keys: Vec<&str> = query
        .split('&')
        .filter_map(|pair| pair.split('=').next())
        .collect();
    format!("{}?{}", path.join("/"), keys.join("&"))
}

/// What a person reads on a page: its text, without markup, scripts or styles, nor the literal
/// text of `<code>` (a file's column headings, which are what the file must say).
fn text_of(body: &str) -> String {
    let mut text = String::with_capacity(body.len() / 2);
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        text.push(' ');
        let tag = &rest[open..];
        let skip_to = ["<script", "<style", "<code"]
            .iter()
            .find(|it| tag.starts_with(**it))
            .map(|it| format!("</{}>", &it[1..]));
        rest = match skip_to {
            Some(close) => tag.find(&close).map_or("", |at| &tag[at + close.len()..]),
            None => tag.find('>').map_or("", |at| &tag[at + 1..]),
        };
    }
    text.push_str(rest);
    text.replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
}

/// Why the text of a page is not words a person should read, each with the offending text.
fn problems(text: &str, organisation_codes: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    let lower = text.to_lowercase();
    for phrase in ["not set"] {
        if lower.contains(phrase) {
            found.push(format!("says {phrase:?}"));
        }
    }
    for framework in [
        "Failed to deserialize",
        "Failed to parse",
        "missing field",
        "invalid type",
        "unknown variant",
        "Invalid URL",
        "Internal Server Error",
    ] {
        if text.contains(framework) {
            found.push(format!("shows a framework error {framework:?}"));
        }
    }
    for prefix in ["person:", "operator:", "token:"] {
        if let Some(at) = text.find(prefix) {
            let end = text[at..]
                .find(char::is_whitespace)
                .map_or(text.len(), |len| at + len);
            found.push(format!("shows an actor's code {:?}", &text[at..end]));
        }
    }
    let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    for raw in text.split(|c: char| c.is_whitespace() || c == ',' || c == ':') {
        let word = raw
            .trim_matches(|c: char| "()[]{};:!?\"'“”‘’".contains(c))
            .trim_end_matches('.');
        if word.is_empty() || word.contains('@') {
            continue;
        }
        if is_uuid(word) {
            found.push(format!("shows an identifier {word:?}"));
        }
        let code_like = |part: &str| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && part.starts_with(|c: char| c.is_ascii_lowercase())
        };
        let parts: Vec<&str> = word.split('.').collect();
        if parts.len() > 1
            && parts.iter().all(|part| code_like(part))
            && !["e.g", "i.e"].contains(&word)
        {
            found.push(format!("shows an internal code {word:?}"));
        }
        if word.contains('_') && code_like(word) {
            found.push(format!("shows a stored code {word:?}"));
        }
        if let Some((day, half)) = word.split_once('-')
            && days.contains(&day)
            && ["am", "pm"].contains(&half)
        {
            found.push(format!("shows an availability code {word:?}"));
        }
        if word.contains('-') && organisation_codes.iter().any(|code| code == word) {
            found.push(format!("shows an organisation's code {word:?}"));
        }
    }
    found
}

/// Follows every link from home as one signed-in account; each finding names the page.
async fn crawl(browser: &mut Browser, organisation_codes: &[String]) -> Vec<String> {
    let mut findings = Vec::new();
    let mut queue = VecDeque::from([("/".to_owned(), "signing in".to_owned())]);
    let mut seen = BTreeSet::from(["/".to_owned()]);
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    let mut opened = 0;
    while let Some((href, from)) = queue.pop_front() {
        if opened == PAGES_PER_ACCOUNT {
            break;
        }
        let kind = kinds.entry(kind_of(&href)).or_default();
        if *kind == PAGES_PER_KIND {
            continue;
        }
        *kind += 1;
        opened += 1;
        let mut reply = browser.get(&href).await;
        // A link may lead through a redirect (opening a notification goes to what it is about).
        for _ in 0..3 {
            if !reply.status.is_redirection() || !reply.location().starts_with('/') {
                break;
            }
            let next = reply.location().to_owned();
            reply = browser.get(&next).await;
        }
        if !reply.status.is_success() {
            findings.push(format!(
                "{href} (linked from {from}) answers {}",
                reply.status
            ));
            continue;
        }
        let html = reply
            .headers
            .get("content-type")
            .and_then(|it| it.to_str().ok())
            .is_some_and(|it| it.starts_with("text/html"));
        if !html {
            continue;
        }
        let mut found = problems(&text_of(&reply.body), organisation_codes);
        found.sort();
        found.dedup();
        for problem in found {
            findings.push(format!("{href} {problem}"));
        }
        for link in links(&reply.body) {
            if seen.insert(link.clone()) {
                queue.push_back((link, href.clone()));
            }
        }
    }
    findings
}

#[tokio::test]
async fn every_page_each_demo_account_reaches_from_home_reads_in_words() {
    on_each_demo(|store| async move {
        let app = app(store);
        let summary = demo::seed(
            &app,
            &Actor::Operator {
                name: "unknown".to_owned(),
            },
            "http://tandem.test",
        )
        .await
        .unwrap();
        let organisation_codes: Vec<String> = summary
            .people
            .iter()
            .map(|(code, _)| code.clone())
            .collect();
        let mut findings = Vec::new();
        for account in &summary.accounts {
            let mut browser = Browser::new(&app, WebConfig::default());
            let reply = browser
                .post(
                    "/sign-in",
                    &[("email", &account.email), ("password", demo::DEMO_PASSWORD)],
                )
                .await;
            assert!(reply.status.is_redirection(), "{} signs in", account.role);
            for finding in crawl(&mut browser, &organisation_codes).await {
                findings.push(format!("{}: {finding}", account.role));
            }
        }
        assert!(
            findings.is_empty(),
            "{} findings:\n{}",
            findings.len(),
            findings.join("\n")
        );
    })
    .await;
}

#[test]
fn the_checks_find_what_a_person_should_not_read() {
    let codes = ["police-scotland".to_owned()];
    let page = "<p>Last run by person:01a2336c-0000-7000-8000-000000000001 at tue-pm,thu-am</p>\
                <script>let x = a.b;</script><td>match.ended</td><dd>national_admin</dd>\
                <dd>Sessions not set</dd><p>police-scotland</p><p>e.g. this, and ann@x.police.uk.</p>";
    let found = problems(&text_of(page), &codes);
    for expected in [
        "actor's code",
        "identifier",
        "availability code \"tue-pm\"",
        "availability code \"thu-am\"",
        "internal code \"match.ended\"",
        "stored code \"national_admin\"",
        "\"not set\"",
        "organisation's code",
    ] {
        assert!(
            found.iter().any(|it| it.contains(expected)),
            "{expected} in {found:?}"
        );
    }
    assert_eq!(found.len(), 8, "nothing else: {found:?}");
    assert!(
        problems(
            &text_of("<p>Programme coordinator, Police Scotland</p>"),
            &codes
        )
        .is_empty()
    );
}
