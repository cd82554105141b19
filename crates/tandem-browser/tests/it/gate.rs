//! The checks themselves: each fails, and says why, on a page built to break it, so a green
//! suite means the pages are good rather than the checks blind.

use tandem_browser::{Error, artifacts_dir, journey};

/// A `data:` address for a page made in the test (no server, no Content-Security-Policy).
fn data_url(html: &str) -> String {
    format!(
        "data:text/html;charset=utf-8,{}",
        html.replace('%', "%25").replace('#', "%23")
    )
}

#[tokio::test]
async fn the_accessibility_gate_lists_each_violation_with_its_elements() {
    journey(async |browser| {
        let page = data_url(
            r#"<!DOCTYPE html><html lang="en"><head><title>Broken</title></head><body><main>
            <h1>Broken</h1>
            <img src="data:," id="chart">
            <p style="color: rgb(200, 200, 200)">Faint text nobody can read</p>
            <form><input id="name" type="text"></form>
            </main></body></html>"#,
        );
        browser.client().goto(&page).await?;
        let Err(Error::Check(message)) = browser.assert_accessible().await else {
            panic!("axe-core passed a page with known violations");
        };
        for expected in [
            "image-alt (critical)",
            "color-contrast (serious)",
            "label (critical)",
            "#chart",
            "#name",
            "https://dequeuniversity.com/rules/axe/",
        ] {
            assert!(message.contains(expected), "{expected} in {message}");
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_keyboard_check_wants_a_skip_link_first_and_a_visible_focus() {
    journey(async |browser| {
        let page = data_url(
            r#"<!DOCTYPE html><html lang="en"><head><title>No focus</title>
            <style>a:focus, a:focus-visible { outline: none; }</style></head><body>
            <a href="/one">First link</a> <a href="/two">Second link</a></body></html>"#,
        );
        browser.client().goto(&page).await?;
        let Err(Error::Check(message)) = browser.assert_keyboard_reachable().await else {
            panic!("the keyboard check passed a page without skip link or focus style");
        };
        for expected in [
            r#"the first Tab reaches <a href="/one"> "First link", not a skip link"#,
            r#"<a href="/two"> "Second link" looks the same focused as unfocused"#,
        ] {
            assert!(message.contains(expected), "{expected} in {message}");
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_failing_journey_leaves_a_screenshot_and_the_page_html() {
    let failing = journey(async |browser| {
        browser.goto("/").await?;
        Err(Error::Check("this journey fails on purpose".to_owned()))
    });
    let outcome =
        futures_util::FutureExt::catch_unwind(std::panic::AssertUnwindSafe(failing)).await;
    assert!(outcome.is_err(), "a failing journey fails its test");
    let artifacts = artifacts_dir().unwrap();
    assert!(artifacts.ends_with(
        "browser-artifacts/gate.a_failing_journey_leaves_a_screenshot_and_the_page_html"
    ));
    let png = std::fs::read(artifacts.join("screenshot.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    let html = std::fs::read_to_string(artifacts.join("page.html")).unwrap();
    assert!(html.contains("Mentoring schemes"), "{html}");
    let failure = std::fs::read_to_string(artifacts.join("failure.txt")).unwrap();
    assert!(
        failure.starts_with("this journey fails on purpose"),
        "{failure}"
    );
    std::fs::remove_dir_all(artifacts).unwrap();
}
