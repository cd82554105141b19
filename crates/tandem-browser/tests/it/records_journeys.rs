//! Records under the data protection law (R8.4): an administrator downloads everything held on
//! a person, is told why someone in an open pair cannot be erased yet, and erases a leaver, who
//! then shows as "Erased person". Every page on the way passes axe.

use crate::helpers::{HrExport, account, notice, sign_in};
use tandem_browser::{Browser, Error, Result, journey};

/// The email of a leaver in the HR directory as `tandem export people` writes it, who manages
/// nobody (so no application can be waiting for them).
fn leaver_in(export: &str) -> Result<String> {
    let export = HrExport::read(export)?;
    let (email, staff, manager, status) = (
        export.column("email")?,
        export.column("staff_number")?,
        export.column("line_manager_staff_number")?,
        export.column("employment_status")?,
    );
    let rows = &export.rows;
    let managers: std::collections::HashSet<&str> =
        rows.iter().filter_map(|row| row.get(manager)).collect();
    rows.iter()
        .find(|row| {
            row.get(status) == Some("leaver")
                && !managers.contains(row.get(staff).unwrap_or_default())
        })
        .and_then(|row| row.get(email))
        .map(str::to_owned)
        .ok_or_else(|| Error::Check("the demo has no leaver who manages nobody".to_owned()))
}

/// Finds a person by email on the People page and opens their page.
async fn open_person(browser: &Browser, email: &str) -> Result<()> {
    browser.goto("/people").await?;
    browser.fill("Name, staff number or email", email).await?;
    browser.submit("Search").await?;
    let first = browser.find_all("table tbody tr td a").await?.remove(0);
    browser.follow(first).await
}

#[tokio::test]
async fn an_administrator_exports_a_persons_data_and_then_erases_a_leaver() {
    journey(async |browser| {
        let admin = account(browser, "organisation_admin (police-scotland)").await?;
        let mentor = account(
            browser,
            "mentor in an active relationship (police-scotland)",
        )
        .await?;
        let export = browser
            .tandem(&["export", "people", "--org", "police-scotland"])
            .await?;
        let leaver = leaver_in(&export)?;
        sign_in(browser, &admin).await?;

        open_person(browser, &mentor.email).await?;
        assert_eq!(browser.h1().await?, mentor.name);
        let zip = browser
            .download("Download everything held on this person")
            .await?;
        assert!(zip.starts_with("PK"), "a zip file");
        browser.click("Erase this person").await?;
        assert_eq!(browser.h1().await?, format!("Erase {}", mentor.name));
        browser.assert_accessible().await?;
        browser.submit(&format!("Erase {}", mentor.name)).await?;
        assert!(browser.title().await?.starts_with("Error: "));
        let reasons = browser.texts(".error-summary li").await?;
        assert!(!reasons.is_empty(), "the page says why not yet");
        browser.assert_accessible().await?;

        open_person(browser, &leaver).await?;
        let name = browser.h1().await?;
        browser.click("Erase this person").await?;
        browser.submit(&format!("Erase {name}")).await?;
        assert!(
            notice(browser).await?.contains("now show as"),
            "{}",
            browser.text().await?
        );
        assert_eq!(browser.h1().await?, "Erased person");
        browser.assert_accessible().await?;
        browser.click("Audit log").await?;
        let audit = browser.text().await?;
        assert!(
            audit.contains("erased") || audit.contains("Erased"),
            "{audit}"
        );
        Ok(())
    })
    .await;
}
