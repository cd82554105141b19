//! Keyboard use: from the top of each page, Tab reaches the skip link first, then every link,
//! each visibly focused.

use tandem_browser::journey;

#[tokio::test]
async fn the_home_page_is_usable_by_keyboard() {
    journey(async |browser| {
        browser.goto("/").await?;
        let report = browser.assert_keyboard_reachable().await?;
        eprintln!("tab order on /: {:#?}", report.tab_order);
        assert_eq!(report.tab_order[0], r##"<a href="#main"> "Skip to main content""##);
        assert!(
            report
                .tab_order
                .contains(&r#"<a href="/organisations/police-scotland/schemes/mentoring"> "Mentoring programme""#.to_owned()),
            "{report:?}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_scheme_page_and_the_not_found_page_are_usable_by_keyboard() {
    journey(async |browser| {
        browser
            .goto("/organisations/cleveland/schemes/reverse")
            .await?;
        browser.assert_keyboard_reachable().await?;
        browser.goto("/no/such/page").await?;
        browser.assert_keyboard_reachable().await?;
        Ok(())
    })
    .await;
}
