//! Pages work with JavaScript off (DESIGN §4): the catalogue reads and navigates the same.

use tandem_browser::journey_without_javascript;

#[tokio::test]
async fn the_home_page_and_a_scheme_page_work_without_javascript() {
    journey_without_javascript(async |browser| {
        browser.goto("/").await?;
        assert_eq!(browser.h1().await?, "Mentoring schemes");
        assert_eq!(
            browser.texts("section.organisation h2").await?,
            ["Cleveland Police", "College of Policing", "Police Scotland"]
        );
        browser.click("Mentoring programme").await?;
        assert_eq!(
            browser.path().await?,
            "/organisations/police-scotland/schemes/mentoring"
        );
        assert_eq!(browser.h1().await?, "Mentoring programme");
        assert!(!browser.summary_list().await?.is_empty());
        Ok(())
    })
    .await;
}
