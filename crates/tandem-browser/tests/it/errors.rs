//! Error pages: an address that leads nowhere gets a helpful, accessible page.

use tandem_browser::journey;

#[tokio::test]
async fn an_unknown_address_shows_page_not_found_and_passes_axe() {
    journey(async |browser| {
        browser.goto("/no/such/page").await?;
        assert_eq!(browser.h1().await?, "Page not found");
        assert_eq!(browser.title().await?, "Page not found – Tandem");
        browser.assert_accessible().await?;

        browser
            .goto("/organisations/cleveland/schemes/no-such-scheme")
            .await?;
        assert_eq!(browser.h1().await?, "Page not found");
        browser.click("Go to the home page").await?;
        assert_eq!(browser.h1().await?, "Mentoring schemes");
        Ok(())
    })
    .await;
}
