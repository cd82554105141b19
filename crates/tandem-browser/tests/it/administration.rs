//! The administrator's and coordinator's journeys: sign in, find a person, give them a role,
//! change a scheme (meeting a validation error first) and upload an HR file with a bad row;
//! every page on the way passes axe, and the forms can be used by keyboard.

use tandem_browser::{Browser, Result, journey, journey_without_javascript};

const PASSWORD: &str = "mentoring-demo";

/// The email of the first demo account whose key starts with `role`, read off the sign-in page.
async fn demo_email(browser: &Browser, role: &str) -> Result<String> {
    Ok(crate::helpers::account(browser, role).await?.email)
}

async fn sign_in(browser: &Browser, role: &str) -> Result<()> {
    let email = demo_email(browser, role).await?;
    browser.fill("Email address", &email).await?;
    browser.fill("Password", PASSWORD).await?;
    browser.submit("Sign in").await?;
    assert_eq!(browser.path().await?, "/");
    Ok(())
}

#[tokio::test]
async fn signing_in_shows_the_error_summary_then_the_signed_in_header() {
    journey(async |browser| {
        let email = demo_email(browser, "organisation_admin (police-scotland)").await?;
        browser.assert_accessible().await?;
        browser.assert_keyboard_reachable().await?;
        browser.fill("Email address", &email).await?;
        browser.fill("Password", "not the password").await?;
        browser.submit("Sign in").await?;
        assert!(browser.title().await?.starts_with("Error: "));
        assert_eq!(
            browser.texts(".error-summary li").await?,
            ["The email address or password is not right"]
        );
        browser.assert_accessible().await?;
        browser.fill("Password", PASSWORD).await?;
        browser.submit("Sign in").await?;
        let header = browser
            .find(".header__user")
            .await?
            .text()
            .await
            .unwrap_or_default();
        assert!(header.contains("Organisation administrator"), "{header}");
        browser.assert_accessible().await?;
        browser.click("Your account").await?;
        assert_eq!(browser.h1().await?, "Your account");
        browser.assert_accessible().await?;
        browser.click("Sign out").await?;
        assert!(browser.link("Sign in").await.is_ok());
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn an_administrator_finds_a_person_and_gives_them_a_role() {
    journey(async |browser| {
        sign_in(browser, "organisation_admin (police-scotland)").await?;
        browser.click("People").await?;
        assert_eq!(browser.h1().await?, "People");
        browser.assert_accessible().await?;
        browser.select("Rank or grade", "Sergeant").await?;
        browser.submit("Search").await?;
        let first = browser.find_all("table tbody tr td a").await?.remove(0);
        let name = first.text().await.unwrap_or_default();
        browser.follow(first).await?;
        assert_eq!(browser.h1().await?, name);
        browser.assert_accessible().await?;

        browser.submit("Give role").await?;
        assert_eq!(
            browser.texts(".error-summary li").await?,
            ["Choose a role", "Choose where the role applies"]
        );
        browser.assert_accessible().await?;
        browser.select("Role", "Divisional champion").await?;
        browser
            .select("Where it applies", "Division: G Division (Greater Glasgow)")
            .await?;
        browser.submit("Give role").await?;
        assert_eq!(
            browser
                .find(".notification-banner__heading")
                .await?
                .text()
                .await
                .unwrap_or_default(),
            "The role was given."
        );
        let roles = browser.texts("#roles + table tbody td:first-child").await?;
        assert_eq!(roles, ["Divisional champion: G Division (Greater Glasgow)"]);
        browser.assert_accessible().await?;
        browser.assert_keyboard_reachable().await?;

        browser.click("Audit log").await?;
        browser.assert_accessible().await?;
        assert!(browser.text().await?.contains("Role given"));
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_coordinator_changes_a_scheme_after_a_validation_error() {
    journey(async |browser| {
        sign_in(browser, "coordinator (cleveland)").await?;
        browser.click("Manage schemes").await?;
        browser.assert_accessible().await?;
        browser.click("Reverse mentoring").await?;
        assert_eq!(browser.h1().await?, "Change scheme reverse");
        browser.assert_accessible().await?;
        browser.fill("Shortest relationship (months)", "9").await?;
        browser.submit("Save changes").await?;
        assert_eq!(
            browser.texts(".error-summary li").await?,
            ["The lower limit (9) is above the upper limit (6); lower the first or raise the second"]
        );
        browser.assert_accessible().await?;
        browser.click("The lower limit (9) is above the upper limit (6); lower the first or raise the second").await?;
        let focused = browser
            .client()
            .active_element()
            .await
            .map_err(|err| tandem_browser::Error::Check(err.to_string()))?;
        assert_eq!(
            focused.attr("id").await.ok().flatten().as_deref(),
            Some("duration_months-min"),
            "the summary link moves focus to the field"
        );
        browser.fill("Shortest relationship (months)", "6").await?;
        browser
            .fill("Meet at least every (weeks, longest gap)", "8")
            .await?;
        browser.submit("Save changes").await?;
        assert_eq!(
            browser
                .find(".notification-banner__heading")
                .await?
                .text()
                .await
                .unwrap_or_default(),
            "The scheme's changes were saved."
        );
        browser.assert_accessible().await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn an_hr_upload_with_a_bad_row_lists_every_problem_and_changes_nothing() {
    journey(async |browser| {
        sign_in(browser, "organisation_admin (cleveland)").await?;
        browser.click("People").await?;
        browser.click("Import the HR directory").await?;
        browser.assert_accessible().await?;
        let dir = tempfile::tempdir().map_err(|err| tandem_browser::Error::Check(err.to_string()))?;
        let path = dir.path().join("extract.csv");
        std::fs::write(
            &path,
            "staff_number,organisation,first_name,last_name,email,rank_or_grade,role_type,start_date,employment_status\n\
             900001,cleveland,Ann,Hill,ann.hill@example.police.uk,Constable,officer,2020-01-01,serving\n\
             900002,cleveland,Bo,Khan,not-an-email,Constable,detective,2020-02-30,serving\n",
        )
        .map_err(|err| tandem_browser::Error::Check(err.to_string()))?;
        browser.field("CSV file").await?.send_keys(&path.display().to_string()).await.map_err(|err| tandem_browser::Error::Check(err.to_string()))?;
        browser.submit("Check the file").await?;
        assert_eq!(browser.texts(".error-summary li").await?, ["extract.csv has 3 problems. Nothing was changed. Correct the file and upload it again."]);
        let problems = browser.texts("#problem-lines tbody tr").await?;
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().all(|row| row.starts_with('3')), "all on line 3: {problems:?}");
        browser.assert_accessible().await?;
        browser.goto("/people?q=ann.hill@example").await?;
        assert!(browser.text().await?.contains("No people match."));
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn signing_in_and_giving_a_role_work_without_javascript() {
    journey_without_javascript(async |browser| {
        sign_in(browser, "organisation_admin (police-scotland)").await?;
        browser.goto("/people?rank=Inspector").await?;
        let first = browser.find_all("table tbody tr td a").await?.remove(0);
        browser.follow(first).await?;
        browser.select("Role", "Programme coordinator").await?;
        browser
            .select("Where it applies", "All of Police Scotland")
            .await?;
        browser.submit("Give role").await?;
        assert_eq!(
            browser
                .find(".notification-banner__heading")
                .await?
                .text()
                .await
                .unwrap_or_default(),
            "The role was given."
        );
        Ok(())
    })
    .await;
}
