//! The reporting journeys (R10.1, R10.3): a coordinator reads a chart and its table and
//! downloads the table; an equality view of a small scheme shows "fewer than 5" and hides
//! enough else; the College's national administrator sees the forces its national schemes draw
//! on, and only those schemes. Every page passes axe.

use crate::helpers::{account, sign_in};
use tandem_browser::{Error, journey};

#[tokio::test]
async fn the_police_scotland_coordinator_reads_the_last_twelve_months_and_downloads_a_table() {
    journey(async |browser| {
        let coordinator = account(browser, "coordinator (police-scotland)").await?;
        sign_in(browser, &coordinator).await?;
        browser.click("Reports").await?;
        assert_eq!(browser.h1().await?, "Programme reports");
        browser.assert_accessible().await?;
        let text = browser.text().await?;
        assert!(text.contains("Figures for Police Scotland"), "{text}");

        // Each chart is an image with a title, and its figures are in the table beside it.
        let titles = browser
            .client()
            .execute(
                "return [...document.querySelectorAll('svg.chart title')].map(it => it.textContent);",
                vec![],
            )
            .await
            .map_err(|err| Error::Check(format!("cannot read the charts' titles: {err}")))?;
        let titles: Vec<String> = titles
            .as_array()
            .map(|all| {
                all.iter()
                    .filter_map(|it| it.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        assert!(titles.len() >= 3, "{titles:?}");
        assert!(titles.iter().all(|it| !it.trim().is_empty()), "{titles:?}");
        let months = browser.texts("#dashboard-monthly ~ table tbody th").await?;
        assert!(months.len() >= 12, "a row per month: {months:?}");

        let csv = browser
            .download("Download this table as CSV: The programme at a glance")
            .await?;
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("# OFFICIAL"));
        assert!(
            lines.next().unwrap_or_default().contains("Police Scotland"),
            "the second line says what the figures cover: {csv}"
        );
        assert_eq!(
            lines.next(),
            Some("Measure,This period,Previous period,Change")
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_cleveland_equality_view_of_a_small_scheme_suppresses_small_counts() {
    journey(async |browser| {
        let admin = account(browser, "organisation_admin (cleveland)").await?;
        sign_in(browser, &admin).await?;
        browser.click("Reports").await?;
        browser.click("equality monitoring").await?;
        assert_eq!(browser.h1().await?, "Equality monitoring");
        browser.select("Scheme", "Reverse mentoring").await?;
        browser.submit("Show the figures").await?;
        browser.assert_accessible().await?;
        let cells = browser.texts("td.suppressed").await?;
        assert!(
            cells.iter().any(|it| it == "fewer than 5"),
            "small counts are not shown: {cells:?}"
        );
        let shown = browser.texts("td.numeric:not(.suppressed)").await?;
        for number in shown.iter().filter_map(|it| it.parse::<u32>().ok()) {
            if (1..5).contains(&number) {
                return Err(Error::Check(format!(
                    "a count of {number} is shown: {shown:?}"
                )));
            }
        }
        // In the larger scheme, more counts show, and enough others are hidden that none below
        // the threshold can be worked out from the totals or the stage before.
        browser.select("Scheme", "Traditional mentoring").await?;
        browser.submit("Show the figures").await?;
        browser.assert_accessible().await?;
        let cells = browser.texts("td.suppressed").await?;
        assert!(
            cells.iter().any(|it| it == "hidden"),
            "secondary suppression: {cells:?}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_colleges_national_administrator_sees_the_forces_of_the_national_schemes_only() {
    journey(async |browser| {
        let national = account(browser, "national_admin").await?;
        sign_in(browser, &national).await?;
        browser.click("Reports").await?;
        assert_eq!(browser.h1().await?, "Programme reports");
        browser.assert_accessible().await?;
        let text = browser.text().await?;
        assert!(text.contains("Figures for College of Policing"), "{text}");
        assert!(
            browser.find("#dashboard-forces").await.is_ok(),
            "a table by force: {text}"
        );
        let schemes = browser.texts("#scheme option").await?;
        assert!(
            schemes
                .iter()
                .any(|it| it.starts_with("Peer mentoring for")),
            "{schemes:?}"
        );
        assert!(
            !schemes.iter().any(|it| it == "Traditional mentoring"),
            "a force's own schemes are not the College's: {schemes:?}"
        );
        Ok(())
    })
    .await;
}
