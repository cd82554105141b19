//! Unit tests for the driver: nothing of chromium outlives a `Driver`.

use super::{Driver, JavaScript, processes_mentioning};
use std::time::Duration;

#[tokio::test]
async fn dropping_a_driver_without_closing_its_session_leaves_no_chromium_behind() {
    crate::tools::check_installed().unwrap();
    let driver = Driver::start().await.unwrap();
    let _client = driver.session(JavaScript::Enabled).await.unwrap();
    let marker = driver.dir.path().to_string_lossy().into_owned();
    assert!(
        processes_mentioning(&marker).len() > 1,
        "chromedriver and chromium run"
    );

    drop(driver);
    // A killed process leaves /proc once its parent reaps it; give that a moment.
    let mut left = processes_mentioning(&marker);
    for _ in 0..20 {
        if left.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        left = processes_mentioning(&marker);
    }
    assert_eq!(left, Vec::<String>::new(), "processes left behind");
}
