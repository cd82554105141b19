//! Staff pages of wide tables on a narrow screen (WCAG 1.4.10): each row's cells stack, each
//! with its column's heading, so nothing scrolls sideways.

use crate::helpers::*;
use tandem_browser::{Browser, Error, Result, journey};

/// How far the page scrolls sideways, in CSS pixels.
async fn overflow(browser: &Browser) -> Result<i64> {
    let overflow = browser
        .client()
        .execute(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await
        .map_err(check)?;
    overflow
        .as_i64()
        .ok_or_else(|| Error::Check(format!("the page's overflow is {overflow}")))
}

#[tokio::test]
async fn the_coordinators_applications_and_matching_pages_reflow_at_360_px_and_pass_axe() {
    journey(async |browser| {
        let coordinator = account(browser, "coordinator (police-scotland)").await?;
        sign_in(browser, &coordinator).await?;
        browser.resize(360, 640).await?;
        for path in [
            "/schemes/mentoring/applications",
            "/schemes/mentoring/matching",
        ] {
            browser.goto(path).await?;
            let sideways = overflow(browser).await?;
            assert!(
                sideways <= 0,
                "{path} scrolls sideways by {sideways} px at 360 px wide"
            );
            browser.assert_accessible().await?;
        }
        // A stacked cell says which column it is from.
        browser.goto("/schemes/mentoring/applications").await?;
        let label = browser
            .client()
            .execute(
                "const cell = document.querySelector('.table--reflow tbody td'); \
                 return cell ? getComputedStyle(cell, '::before').content : 'no table';",
                vec![],
            )
            .await
            .map_err(check)?;
        assert_eq!(
            label.as_str(),
            Some("\"Name\""),
            "the first stacked cell's label"
        );
        Ok(())
    })
    .await;
}
