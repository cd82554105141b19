//! The public catalogue: the home page lists each organisation's schemes and links to each
//! scheme's page, which shows its policy.

use tandem_browser::journey;

#[tokio::test]
async fn the_home_page_lists_the_three_organisations_and_passes_axe() {
    journey(async |browser| {
        browser.goto("/").await?;
        assert_eq!(browser.title().await?, "Mentoring schemes – Tandem");
        assert_eq!(browser.h1().await?, "Mentoring schemes");
        assert_eq!(
            browser.texts("section.organisation h2").await?,
            ["Cleveland Police", "College of Policing", "Police Scotland"]
        );
        let report = browser.assert_accessible().await?;
        eprintln!("/: {}", report.summary());
        assert!(report.rules_run() > 50, "{report:?}");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn following_a_scheme_link_shows_its_policy_and_passes_axe() {
    journey(async |browser| {
        browser.goto("/").await?;
        browser.click("Mentoring programme").await?;
        assert_eq!(
            browser.path().await?,
            "/organisations/police-scotland/schemes/mentoring"
        );
        assert_eq!(browser.h1().await?, "Mentoring programme");
        assert_eq!(
            browser.find(".caption").await?.text().await?,
            "Police Scotland"
        );
        let policy = browser.summary_list().await?;
        assert!(
            policy.contains(&("Mentees per mentor".to_owned(), "up to 2".to_owned())),
            "{policy:?}"
        );
        assert!(
            policy.iter().any(|(key, _)| key == "Matching"),
            "{policy:?}"
        );
        browser.assert_accessible().await?;

        browser.click("Police Scotland").await?;
        assert_eq!(browser.h1().await?, "Mentoring schemes");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_reverse_mentoring_scheme_states_its_direction_and_passes_axe() {
    journey(async |browser| {
        browser
            .goto("/organisations/cleveland/schemes/reverse")
            .await?;
        assert_eq!(browser.h1().await?, "Reverse mentoring");
        assert_eq!(browser.title().await?, "Reverse mentoring – Tandem");
        let policy = browser.summary_list().await?;
        assert!(
            policy.contains(&(
                "Rank direction".to_owned(),
                "Mentor more junior than mentee (reverse)".to_owned()
            )),
            "{policy:?}"
        );
        browser.assert_accessible().await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn every_scheme_page_linked_from_the_home_page_passes_axe() {
    journey(async |browser| {
        browser.goto("/").await?;
        let mut paths = Vec::new();
        for link in browser.find_all("li.scheme h3 a").await? {
            paths.extend(link.attr("href").await?);
        }
        assert!(paths.len() >= 3, "{paths:?}");
        for path in paths {
            browser.goto(&path).await?;
            let report = browser.assert_accessible().await?;
            eprintln!("{path}: {}", report.summary());
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_catalogue_reflows_on_a_narrow_screen_and_passes_axe() {
    journey(async |browser| {
        // WCAG 1.4.10: content reflows at 320 CSS pixels without scrolling sideways.
        browser.resize(320, 640).await?;
        for path in ["/", "/organisations/police-scotland/schemes/mentoring"] {
            browser.goto(path).await?;
            let overflow = browser
                .client()
                .execute(
                    "return document.documentElement.scrollWidth - window.innerWidth;",
                    vec![],
                )
                .await?;
            assert!(
                overflow.as_i64().is_some_and(|it| it <= 0),
                "{path} scrolls sideways by {overflow} px at 320 px wide"
            );
            browser.assert_accessible().await?;
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_accessibility_statement_is_linked_from_the_footer_and_passes_axe() {
    journey(async |browser| {
        browser.goto("/").await?;
        browser.click("Accessibility statement").await?;
        assert_eq!(browser.h1().await?, "Accessibility statement");
        browser.assert_accessible().await?;
        browser.click("Cleveland Police").await?;
        assert_eq!(browser.h1().await?, "Accessibility statement for Tandem");
        assert_eq!(
            browser.find(".compliance").await?.text().await?,
            "This service is fully compliant with the Web Content Accessibility Guidelines version 2.2 AA standard."
        );
        browser.assert_accessible().await?;
        Ok(())
    })
    .await;
}
