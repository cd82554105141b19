//! Tandem's browser suite (test-only): journeys through the real `tandem` binary in headless
//! chromium, with every page checked by axe-core and the keyboard.
//!
//! A journey is a test that gets a `Browser` on a fresh demo server:
//!
//! ```ignore
//! #[tokio::test]
//! async fn a_person_reads_a_scheme() {
//!     journey(async |browser| {
//!         browser.goto("/").await?;
//!         browser.click("Reverse mentoring").await?;
//!         assert_eq!(browser.h1().await?, "Reverse mentoring");
//!         browser.assert_accessible().await?;
//!         Ok(())
//!     })
//!     .await;
//! }
//! ```
//!
//! Each journey seeds the demo into its own SQLite file (`tandem demo --seed-only`), serves it
//! on a free port (`tandem demo --listen 127.0.0.1:0`), starts `/usr/bin/chromedriver` on
//! another, and opens a headless chromium with a fresh profile. Whatever happens, the session is
//! closed and both processes are killed. When the journey fails (an error or a panic), a
//! screenshot, the page's HTML and the logs are saved under
//! `target/browser-artifacts/<test-name>/`. A missing chromium, chromedriver or axe-core fails
//! the test with the command that installs it.

mod axe;
mod browser;
mod driver;
mod error;
mod keyboard;
mod server;
mod tools;

pub use axe::{AxeNode, AxeReport, AxeRule, WCAG_TAGS};
pub use browser::Browser;
pub use driver::JavaScript;
pub use error::{Error, Result};
pub use keyboard::KeyboardReport;

use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;

/// Runs `body` in a browser with JavaScript on; panics (failing the test) with the reason and
/// where the screenshot, HTML and logs were saved.
pub async fn journey(body: impl AsyncFnOnce(&mut Browser) -> Result<()>) {
    run(JavaScript::Enabled, body).await;
}

/// Runs `body` in a browser whose JavaScript is off (checked before the journey starts), for
/// the pages that must work without scripts; fails like `journey`.
pub async fn journey_without_javascript(body: impl AsyncFnOnce(&mut Browser) -> Result<()>) {
    run(JavaScript::Disabled, body).await;
}

async fn run(javascript: JavaScript, body: impl AsyncFnOnce(&mut Browser) -> Result<()>) {
    if let Err(err) = tools::check_installed() {
        panic!("{err}");
    }
    let artifacts = match artifacts_dir() {
        Ok(artifacts) => artifacts,
        Err(err) => panic!("{err}"),
    };
    // A passing run must not leave an earlier failure's screenshot looking current.
    let _ = std::fs::remove_dir_all(&artifacts);
    let mut browser = match Browser::open(javascript, artifacts.clone()).await {
        Ok(browser) => browser,
        Err(err) => panic!("cannot start the browser suite: {err}"),
    };

    let failure = match AssertUnwindSafe(body(&mut browser)).catch_unwind().await {
        Ok(Ok(())) => None,
        Ok(Err(err)) => Some(err.to_string()),
        Err(panic) => Some(panic_message(panic.as_ref())),
    };
    let problems = match &failure {
        Some(failure) => browser.save_artifacts(failure).await,
        None => Vec::new(),
    };
    browser.close().await;

    if let Some(failure) = failure {
        let mut message = format!(
            "{failure}\n\nscreenshot, page HTML and logs: {}",
            artifacts.display()
        );
        for problem in problems {
            message.push_str(&format!("\n(could not save everything: {problem})"));
        }
        panic!("{message}");
    }
}

/// Where a failing journey's screenshot, HTML and logs go: `target/browser-artifacts/<test>/`,
/// named after the test running on this thread (the test harness names each test's thread
/// after its path, e.g. `catalogue::lists_the_organisations` → `catalogue.lists_the_organisations`).
pub fn artifacts_dir() -> Result<PathBuf> {
    let thread = std::thread::current();
    let name = thread
        .name()
        .filter(|it| *it != "main")
        .unwrap_or("unnamed-test")
        .replace("::", ".");
    Ok(tools::target_dir()?.join("browser-artifacts").join(name))
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<String>() {
        message.clone()
    } else if let Some(message) = payload.downcast_ref::<&str>() {
        (*message).to_owned()
    } else {
        "the journey panicked".to_owned()
    }
}
