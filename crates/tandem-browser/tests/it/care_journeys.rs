//! Looking after relationships in the browser: a Cleveland reverse pair meets face to face
//! because the scheme says so and cannot extend its six months; a College pair of chief
//! officers from two forces meets by video, and one of them raises a concern that the
//! coordinator answers; a Police Scotland pair pauses for parental leave and comes back, then
//! an HR upload puts the mentee under the mentor and the coordinator decides the flag. Every
//! page passes axe; one page of each journey is checked by keyboard.

use crate::helpers::*;
use tandem_browser::{Browser, Error, Result, journey};

/// Fills in the introductory meeting `days` from today at 10:00, `how` it is held.
async fn plan_introduction(browser: &Browser, days: i64, how: &str, place: &str) -> Result<()> {
    fill_date(browser, "Date", date_from_today(browser, days).await?).await?;
    fill_time(browser, "Start time", 10, 0).await?;
    browser.choose(how).await?;
    browser.fill("Where", place).await?;
    browser.submit("Arrange the meeting").await
}

#[tokio::test]
async fn a_cleveland_reverse_pair_meets_face_to_face_and_cannot_extend_its_six_months() {
    journey(async |browser| {
        let mentor = account(browser, "mentor before the introductory meeting (cleveland)").await?;
        let mentee = account(browser, "mentee before the introductory meeting (cleveland)").await?;
        sign_in(browser, &mentor).await?;
        open_relationship(browser, &mentee.name).await?;
        browser.assert_accessible().await?;
        let page = browser.text().await?;
        assert!(
            page.contains(
                "Relationships in this scheme run for up to 6 months from when you both go on, and cannot be extended."
            ),
            "{page}"
        );
        assert!(
            browser.field("New end date").await.is_err(),
            "no extension is offered where the policy allows none"
        );

        // A video call for the first meeting is refused, with why, at the field.
        plan_introduction(browser, 7, "Video call", "").await?;
        let errors = browser.texts(".error-summary li").await?;
        assert_eq!(
            errors,
            ["The first meeting in this scheme is face to face; it may be remote only when you are from different forces or a reasonable adjustment allows it"],
        );
        browser.assert_accessible().await?;
        plan_introduction(browser, 7, "In person", "Middlesbrough HQ, room 2").await?;
        assert!(
            notice(browser)
                .await?
                .contains("The introductory meeting is arranged")
        );
        assert!(browser.text().await?.contains("Middlesbrough HQ, room 2"));
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_college_pair_meets_by_video_and_a_concern_reaches_the_coordinator_who_records_the_outcome()
 {
    journey(async |browser| {
        let mentor = account(browser, "mentor before the introductory meeting (college)").await?;
        let mentee = account(browser, "mentee before the introductory meeting (college)").await?;
        let coordinator = account(browser, "coordinator (college)").await?;
        sign_in(browser, &mentor).await?;
        open_relationship(browser, &mentee.name).await?;
        plan_introduction(browser, 5, "Video call", "Video link in the invitation").await?;
        assert!(
            notice(browser)
                .await?
                .contains("The introductory meeting is arranged"),
            "a remote first meeting is fine for chief officers of two forces"
        );

        // The mentee raises a concern; without words it is refused, the form kept open.
        sign_in(browser, &mentee).await?;
        open_relationship(browser, &mentor.name).await?;
        browser
            .click("Raise a concern with the coordinator")
            .await?;
        browser
            .choose("A breach of policy or of the Code of Ethics")
            .await?;
        browser
            .submit("Send the concern to the coordinator")
            .await?;
        let errors = browser.texts(".error-summary li").await?;
        assert_eq!(
            errors,
            ["Say what the coordinator needs to know; only what you write here reaches them"]
        );
        browser.assert_accessible().await?;
        let words = "A decision on vetting was made to favour a friend";
        browser
            .fill("What the coordinator needs to know", words)
            .await?;
        browser
            .submit("Send the concern to the coordinator")
            .await?;
        assert!(
            notice(browser)
                .await?
                .contains("Your concern has gone to the coordinator")
        );

        // The coordinator reads it from the scheme's relationships and records what was done.
        sign_in(browser, &coordinator).await?;
        browser
            .goto("/schemes/peer-chief-constables/relationships")
            .await?;
        browser.click("concerns raised").await?;
        browser.assert_accessible().await?;
        let list = browser.find_all("table tbody tr td a").await?;
        let first = list
            .into_iter()
            .next()
            .ok_or_else(|| Error::Check("no concern listed".to_owned()))?;
        browser.follow(first).await?;
        assert!(browser.text().await?.contains(words));
        browser.assert_accessible().await?;
        browser.assert_keyboard_reachable().await?;
        browser
            .fill(
                "What you did about the concern",
                "Referred to the professional standards lead",
            )
            .await?;
        browser.submit("Record what was done").await?;
        assert!(notice(browser).await?.contains("What was done is recorded"));

        sign_in(browser, &mentee).await?;
        open_relationship(browser, &mentor.name).await?;
        assert!(
            browser
                .text()
                .await?
                .contains("the coordinator recorded what was done")
        );
        Ok(())
    })
    .await;
}

/// The HR directory as `tandem export people` writes it, with `mentee`'s line manager set to
/// `mentor`, keeping only the mentee's row.
fn restructured(export: &str, mentee: &str, mentor: &str) -> Result<String> {
    let export = HrExport::read(export)?;
    let (email, staff, manager) = (
        export.column("email")?,
        export.column("staff_number")?,
        export.column("line_manager_staff_number")?,
    );
    let row_of = |address: &str| {
        export
            .rows
            .iter()
            .find(|row| row.get(email) == Some(address))
            .ok_or_else(|| Error::Check(format!("{address} is not in the export")))
    };
    let mentor_staff = row_of(mentor)?.get(staff).unwrap_or_default().to_owned();
    let mut row: Vec<String> = row_of(mentee)?.iter().map(str::to_owned).collect();
    row[manager] = mentor_staff;
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&export.header).map_err(check)?;
    writer.write_record(&row).map_err(check)?;
    let bytes = writer.into_inner().map_err(check)?;
    String::from_utf8(bytes).map_err(check)
}

#[tokio::test]
async fn a_police_scotland_pair_pauses_for_parental_leave_then_an_hr_upload_flags_it_for_a_decision()
 {
    journey(async |browser| {
        let mentor = account(
            browser,
            "mentor in an active relationship (police-scotland)",
        )
        .await?;
        let mentee = account(
            browser,
            "mentee in an active relationship (police-scotland)",
        )
        .await?;
        let admin = account(browser, "organisation_admin (police-scotland)").await?;
        let coordinator = account(browser, "coordinator (police-scotland)").await?;

        // Parental leave: on hold, then back.
        sign_in(browser, &mentee).await?;
        open_relationship(browser, &mentor.name).await?;
        browser.choose("Parental leave").await?;
        browser.submit("Put the relationship on hold").await?;
        assert!(notice(browser).await?.contains("on hold"));
        assert_eq!(summary_value(browser, "State").await?, "On hold");
        assert_eq!(
            summary_value(browser, "On hold because of").await?,
            "parental leave"
        );
        browser.assert_accessible().await?;
        sign_in(browser, &mentor).await?;
        open_relationship(browser, &mentee.name).await?;
        browser.submit("Resume the relationship").await?;
        assert_eq!(summary_value(browser, "State").await?, "Active");

        // A restructure: the HR upload makes the mentor the mentee's line manager.
        let export = browser
            .tandem(&["export", "people", "--org", "police-scotland"])
            .await?;
        let file = restructured(&export, &mentee.email, &mentor.email)?;
        let dir = tempfile::tempdir().map_err(check)?;
        let path = dir.path().join("restructure.csv");
        std::fs::write(&path, file).map_err(check)?;
        sign_in(browser, &admin).await?;
        browser.click("People").await?;
        browser.click("Import the HR directory").await?;
        browser
            .field("CSV file")
            .await?
            .send_keys(&path.display().to_string())
            .await
            .map_err(check)?;
        browser.submit("Check the file").await?;
        browser.submit("Import restructure.csv").await?;
        let counts = browser.summary_list().await?;
        assert!(
            counts
                .iter()
                .any(|(what, count)| what == "relationships flagged" && count == "1"),
            "{counts:?}"
        );

        // The coordinator sees the flag and decides.
        sign_in(browser, &coordinator).await?;
        browser.goto("/schemes/mentoring/relationships").await?;
        assert!(
            browser
                .text()
                .await?
                .contains("Flagged: a suitability decision is needed")
        );
        browser.click(&mentee.name).await?;
        browser.assert_accessible().await?;
        browser.assert_keyboard_reachable().await?;
        assert!(
            browser
                .text()
                .await?
                .contains("the mentor is now in the mentee's line management")
        );
        browser.choose("Yes, it continues").await?;
        browser.submit("Record the decision").await?;
        assert_eq!(
            browser.texts(".error-summary li").await?,
            ["Say why the relationship may continue; both members read it"]
        );
        browser
            .fill(
                "Why",
                "The line management is temporary while the sergeant is on a course",
            )
            .await?;
        browser.submit("Record the decision").await?;
        assert!(notice(browser).await?.contains("Your decision is recorded"));

        sign_in(browser, &mentee).await?;
        open_relationship(browser, &mentor.name).await?;
        assert!(
            browser
                .text()
                .await?
                .contains("The coordinator decided it may continue")
        );
        Ok(())
    })
    .await;
}
