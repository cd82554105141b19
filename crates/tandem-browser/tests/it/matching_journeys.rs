//! From an application to a confirmed pair, end to end in the browser: who may apply and who is
//! refused (with the reason), the line manager's authorisation and the confidential route,
//! training recorded before matching, the champion's and coordinator's matching board (bulk
//! proposals explained, pins, rule-outs, picks by hand refused when they break a rule), the
//! mentor directory where mentees choose, and a national peer scheme matched across forces.
//! Every page on the way passes axe; each journey also checks one page by keyboard.

use crate::helpers::*;
use fantoccini::Locator;
use tandem_browser::{Browser, Error, Result, journey, journey_without_javascript};

const ETHICS: &str = "I have read and accept the ethics statement (you can also do this later; it is needed before you are matched)";
const CONFIDENTIAL: &str = "I cannot go through my line manager: send my application to the programme coordinator in confidence instead";
const STATEMENT: &str = "I sign the statement of suitability: I know of nothing in my conduct or record that makes me unsuitable to mentor";
const AGREEMENT: &str = "I sign the mentor's agreement: I will give my mentee the time agreed, keep to the scheme's guidance and take part in the mentor support group";

/// Opens the application form for `role` from the scheme page.
async fn open_form(browser: &Browser, scheme: &str, role: &str) -> Result<()> {
    browser.goto(scheme).await?;
    browser.click(&format!("Apply to be a {role}")).await?;
    assert_eq!(browser.h1().await?, format!("Apply to be a {role}"));
    Ok(())
}

/// Fills in the parts of the form every applicant answers.
async fn answer(browser: &Browser, summary: &str, topics: &[&str]) -> Result<()> {
    let summary_label = xpath_one(browser, "//label[@for='summary']")
        .await?
        .text()
        .await
        .map_err(check)?;
    browser.fill(&summary_label, summary).await?;
    for topic in topics {
        browser.choose(topic).await?;
    }
    Ok(())
}

/// The refusal a person reads on the application form, one reason per item.
async fn refusals(browser: &Browser, scheme: &str, role: &str) -> Result<Vec<String>> {
    browser.goto(&format!("{scheme}/apply/{role}")).await?;
    assert_eq!(
        browser
            .find(".notification h2")
            .await?
            .text()
            .await
            .map_err(check)?,
        format!("You cannot apply to be a {role} in this scheme")
    );
    assert!(
        browser
            .find_all("form[action$='/apply/mentee'], form[action$='/apply/mentor']")
            .await?
            .is_empty(),
        "a refused person is not offered the form"
    );
    browser.assert_accessible().await?;
    browser.texts(".notification li").await
}

/// The proposed pairs on the matching board, one row of cells each (mentee, mentor, score,
/// how, actions).
async fn proposed_rows(browser: &Browser) -> Result<Vec<Vec<String>>> {
    let rows = xpath_all(
        browser,
        "//table[caption[starts-with(normalize-space(.), 'Proposed pairs')]]/tbody/tr",
    )
    .await?;
    let mut out = Vec::new();
    for row in rows {
        let mut cells = Vec::new();
        for cell in row.find_all(Locator::Css("td")).await.map_err(check)? {
            cells.push(cell.text().await.map_err(check)?);
        }
        out.push(cells);
    }
    Ok(out)
}

/// The proposed pairs on the matching board as "Mentee with Mentor", " (pinned)" after a pair
/// with the Pinned tag.
async fn proposed(browser: &Browser) -> Result<Vec<String>> {
    Ok(proposed_rows(browser)
        .await?
        .iter()
        .map(|row| {
            let pinned = if row[3].contains("Pinned") {
                " (pinned)"
            } else {
                ""
            };
            format!("{} with {}{pinned}", row[0], row[1])
        })
        .collect())
}

/// The mentees left unmatched by the last proposal, as "Name: reason".
async fn unmatched(browser: &Browser) -> Result<Vec<String>> {
    xpath_texts(
        browser,
        "//h2[starts-with(normalize-space(.), 'Not matched in the last proposal')]/following-sibling::ul[1]/li",
    )
    .await
}

/// Presses "Propose pairs" or "Run the proposal again", whichever the board offers, and waits
/// for the answer: at once for a small cohort, or after the board has shown the proposal's
/// progress (the page's script follows it; without the script, the journey checks again).
async fn run_proposal(browser: &Browser) -> Result<()> {
    let button = xpath_one(
        browser,
        "//form[contains(@action, '/matching/run')]//button",
    )
    .await?;
    browser.follow(button).await?;
    let mut reloaded = false;
    for attempt in 0..240 {
        let said = notice(browser).await?;
        if said.contains("Nothing is final until you confirm.") {
            return Ok(());
        }
        if said.contains("could not be finished") {
            return Err(Error::Check(said));
        }
        let running = !browser
            .find_all("[data-proposal-progress]")
            .await?
            .is_empty();
        if reloaded && !running {
            // Checked again by hand: the board shows the finished run.
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        if attempt % 8 == 7 && running {
            let path = browser.path().await?;
            browser.goto(&path).await?;
            reloaded = true;
        }
    }
    Err(Error::Check(format!(
        "the proposal did not finish within a minute: {}",
        notice(browser).await?
    )))
}

/// The rows of the table after the heading starting with `heading`, each as its cells' texts.
async fn table_after(browser: &Browser, heading: &str) -> Result<Vec<Vec<String>>> {
    let rows = xpath_all(
        browser,
        &format!(
            "//h2[starts-with(normalize-space(.), {})]/following-sibling::table[1]/tbody/tr",
            literal(heading)
        ),
    )
    .await?;
    let mut out = Vec::new();
    for row in rows {
        let mut cells = Vec::new();
        for cell in row.find_all(Locator::Css("td")).await.map_err(check)? {
            cells.push(cell.text().await.map_err(check)?);
        }
        out.push(cells);
    }
    Ok(out)
}

const SCOTLAND: &str = "/organisations/police-scotland/schemes/mentoring";

#[tokio::test]
async fn police_scotland_applicants_are_trained_then_matched_by_their_divisional_champion() {
    journey(async |browser| {
        let constable = account(browser, "constable who has not applied (police-scotland").await?;
        let second = account(browser, "second constable who has not applied (police-scotland").await?;
        let inspector = account(browser, "inspector who has not applied (police-scotland").await?;
        let probationer = account(browser, "probationary constable (police-scotland)").await?;
        let on_break = account(browser, "on a career break (police-scotland)").await?;
        let division = constable.division();
        let champion = account(browser, &format!("champion (police-scotland / {division})")).await?;

        // Who may not apply is told why, on the scheme page and on the form.
        sign_in(browser, &probationer).await?;
        browser.goto(SCOTLAND).await?;
        assert!(browser.text().await?.contains("You cannot apply to be a mentee:"));
        browser.assert_accessible().await?;
        assert_eq!(
            refusals(browser, SCOTLAND, "mentee").await?,
            ["People on probation cannot take part in this scheme"]
        );
        sign_in(browser, &on_break).await?;
        let reasons = refusals(browser, SCOTLAND, "mentee").await?;
        assert_eq!(reasons.len(), 1, "{reasons:?}");
        assert!(
            reasons[0].starts_with("This scheme is only for serving officers and staff; the HR record says career"),
            "{reasons:?}"
        );

        // The inspector offers to mentor: three mentees is over the scheme's limit of two.
        sign_in(browser, &inspector).await?;
        open_form(browser, SCOTLAND, "mentor").await?;
        browser.assert_accessible().await?;
        browser.assert_keyboard_reachable().await?;
        let meets_at = value_of(browser, "Where you would meet from").await?;
        assert!(!meets_at.is_empty(), "the form fills in the HR record's location");
        answer(
            browser,
            "Twelve years in response and public protection; I can help with promotion and leading a team.",
            &["Promotion and career progression", "Leadership"],
        )
        .await?;
        browser.fill("How many mentees you can take at once", "3").await?;
        tick(browser, "I will meet by video or phone").await?;
        browser.choose("Tuesday Afternoon").await?;
        browser.choose(ETHICS).await?;
        browser.submit("Send application").await?;
        assert_eq!(
            browser.texts(".error-summary li").await?,
            ["The scheme allows 1 to 2 mentees per mentor"]
        );
        assert!(browser.title().await?.starts_with("Error: "));
        browser.assert_accessible().await?;
        browser.fill("How many mentees you can take at once", "2").await?;
        browser.submit("Send application").await?;
        assert!(browser.path().await?.ends_with("/applied"), "applying ends on its confirmation");
        assert_eq!(summary_value(browser, "Status").await?, "Approved: available to mentees");
        browser.assert_accessible().await?;

        // Two constables of the same division ask for a mentor; the first would like the
        // inspector, meets where they do, wants what they offer and is free when they are.
        sign_in(browser, &constable).await?;
        open_form(browser, SCOTLAND, "mentee").await?;
        answer(
            browser,
            "I want to prepare for the sergeants' exam and learn to lead a shift.",
            &["Promotion and career progression", "Leadership"],
        )
        .await?;
        browser.fill("Where you would meet from", &meets_at).await?;
        tick(browser, "I will meet by video or phone").await?;
        browser.choose("Tuesday Afternoon").await?;
        browser.fill("A mentor you would like (optional)", &inspector.email).await?;
        browser.choose(ETHICS).await?;
        browser.submit("Send application").await?;
        assert!(browser.path().await?.ends_with("/applied"), "applying ends on its confirmation");
        assert_eq!(summary_value(browser, "Status").await?, "On the waiting list for a mentor");
        assert!(summary_value(browser, "Waiting list").await?.starts_with("Number "));
        browser.assert_accessible().await?;

        sign_in(browser, &second).await?;
        open_form(browser, SCOTLAND, "mentee").await?;
        answer(
            browser,
            "Back from a long absence; I want to rebuild my confidence.",
            &["Confidence", "Return to work"],
        )
        .await?;
        tick(browser, "I will meet by video or phone").await?;
        browser.choose(ETHICS).await?;
        browser.submit("Send application").await?;
        assert_eq!(summary_value(browser, "Status").await?, "On the waiting list for a mentor");

        // The champion sees all three waiting for their Moodle module.
        sign_in(browser, &champion).await?;
        browser.goto(SCOTLAND).await?;
        browser.click("See the applications to this scheme").await?;
        assert_eq!(browser.h1().await?, "Applications");
        browser.assert_accessible().await?;
        let mentors = table_after(browser, "Mentors available").await?;
        let row = mentors
            .iter()
            .find(|row| row.first() == Some(&inspector.name))
            .unwrap_or_else(|| panic!("{} is an available mentor: {mentors:?}", inspector.name));
        assert!(row[7].starts_with("Not yet: Moodle mentoring module"), "{row:?}");
        let waiting = table_after(browser, "Waiting list").await?;
        for mentee in [&constable, &second] {
            let row = waiting
                .iter()
                .find(|row| row.get(1) == Some(&mentee.name))
                .unwrap_or_else(|| panic!("{} is waiting: {waiting:?}", mentee.name));
            assert!(row[6].starts_with("Not yet: Moodle mentoring module"), "{row:?}");
        }

        // Before the training neither can be matched, and the board says so.
        browser.click("Matching").await?;
        assert_eq!(browser.h1().await?, "Matching");
        assert!(browser.text().await?.contains(&format!("You match mentees in {division}")));
        run_proposal(browser).await?;
        let pairs = proposed(browser).await?;
        for mentee in [&constable, &second] {
            let prefix = format!("{} with ", mentee.name);
            assert!(!pairs.iter().any(|it| it.starts_with(&prefix)), "{pairs:?}");
        }
        let reasons = unmatched(browser).await?;
        for mentee in [&constable, &second] {
            let line = reasons
                .iter()
                .find(|it| it.starts_with(&format!("{}:", mentee.name)))
                .unwrap_or_else(|| panic!("{} is unmatched: {reasons:?}", mentee.name));
            assert!(line.contains("cannot be matched until the training is done"), "{line}");
        }
        browser.assert_accessible().await?;

        // The champion records the three completions.
        browser.click("Applications to Mentoring programme").await?;
        let last_week = date_from_today(browser, -7).await?;
        for person in [&inspector, &constable, &second] {
            fill_date(browser, &format!("Date {} completed it", person.name), last_week).await?;
            browser.click(&format!("Record {}'s training", person.name)).await?;
            assert_eq!(browser.h1().await?, "Applications");
        }
        let mentors = table_after(browser, "Mentors available").await?;
        let row = mentors.iter().find(|row| row.first() == Some(&inspector.name));
        assert!(row.is_some_and(|row| row[7].starts_with("Done ")), "{mentors:?}");
        browser.assert_accessible().await?;

        // Now the proposal pairs them, each pair explained factor by factor.
        browser.click("Matching").await?;
        run_proposal(browser).await?;
        let pairs = proposed(browser).await?;
        let wanted = format!("{} with {}", constable.name, inspector.name);
        assert!(pairs.contains(&wanted), "{wanted} is proposed: {pairs:?}");
        let other = pairs
            .iter()
            .find(|it| it.starts_with(&format!("{} with ", second.name)))
            .unwrap_or_else(|| panic!("{} is proposed a mentor: {pairs:?}", second.name))
            .clone();
        browser.click(&format!("Details of {wanted}")).await?;
        let factors = xpath_texts(
            browser,
            "//h2[starts-with(normalize-space(.), 'Why this pair')]/following-sibling::ul[1]/li",
        )
        .await?;
        for factor in ["topic fit", "location fit", "preference"] {
            assert!(
                factors.iter().any(|it| it.starts_with(factor) && it.contains("× weight")),
                "the breakdown shows {factor}: {factors:?}"
            );
        }
        browser.assert_accessible().await?;
        browser.assert_keyboard_reachable().await?;

        // Pin the pair the constable asked for; rule out the other for a conflict of interest,
        // first forgetting the reason.
        browser.click(&format!("Pin {wanted}")).await?;
        assert_eq!(notice(browser).await?, "Saved. Run the proposal again to see its effect.");
        browser.click(&format!("Details of {other}")).await?;
        browser.click(&format!("Rule out {other}")).await?;
        assert_eq!(browser.h1().await?, other);
        assert_eq!(
            browser.texts(".error-summary__list a").await?,
            ["Say why the pair is ruled out (e.g. a conflict of interest)"]
        );
        browser.assert_accessible().await?;
        browser
            .fill("Reason to rule this pair out", "Conflict of interest: they work on the same team")
            .await?;
        browser.click(&format!("Rule out {other}")).await?;
        browser.assert_accessible().await?;
        run_proposal(browser).await?;
        let pairs = proposed(browser).await?;
        assert!(pairs.contains(&format!("{wanted} (pinned)")), "{pairs:?}");
        assert!(!pairs.contains(&other), "a ruled-out pair is not proposed again: {pairs:?}");
        let constraints = table_after(browser, "Pinned and ruled-out pairs").await?;
        assert!(
            constraints.iter().any(|row| row[0] == wanted && row[1] == "Pinned"),
            "{constraints:?}"
        );
        assert!(
            constraints.iter().any(|row| row[0] == other
                && row[1] == "Ruled out"
                && row[2] == "Conflict of interest: they work on the same team"),
            "{constraints:?}"
        );
        browser.assert_accessible().await?;

        // Confirmed: the pair is final, and the mentee sees their mentor.
        browser.click(&format!("Confirm {wanted}")).await?;
        assert_eq!(notice(browser).await?, "The pair is confirmed; both have been emailed.");
        let confirmed = table_after(browser, "Confirmed pairs").await?;
        assert!(
            confirmed.iter().any(|row| row[0] == constable.name && row[1] == inspector.name),
            "{confirmed:?}"
        );
        assert!(!proposed(browser).await?.iter().any(|it| it.starts_with(&wanted)));
        browser.assert_accessible().await?;

        sign_in(browser, &constable).await?;
        browser.goto("/applications").await?;
        assert!(
            browser.texts("h3").await?.contains(&format!("Your mentor: {}", inspector.name)),
            "{:?}",
            browser.texts("h3").await?
        );
        browser.assert_accessible().await?;

        // Someone already mentoring cannot also be a mentee in this scheme.
        sign_in(browser, &inspector).await?;
        let reasons = refusals(browser, SCOTLAND, "mentee").await?;
        assert_eq!(
            reasons,
            ["The person is already taking part as a mentor in Mentoring programme, and cannot be a mentor and a mentee at the same time"]
        );
        Ok(())
    })
    .await;
}

const TRADITIONAL: &str = "/organisations/cleveland/schemes/traditional";

#[tokio::test]
async fn a_cleveland_mentee_is_authorised_by_their_manager_and_chooses_a_mentor_from_the_directory()
{
    journey(async |browser| {
        let mentee = account(browser, "mentee who has not applied (cleveland)").await?;
        let manager = account(
            browser,
            "manager of the mentee who has not applied (cleveland)",
        )
        .await?;
        let mentor = account(browser, "mentor who has not applied (cleveland)").await?;
        let under_review = account(browser, "under performance management (cleveland)").await?;
        let other_manager = account(browser, "line manager (cleveland)").await?;
        let other_applicant =
            account(browser, "applicant waiting for their manager (cleveland)").await?;
        let coordinator = account(browser, "coordinator (cleveland)").await?;

        // Someone under performance management may not be a mentee here, and reads why.
        sign_in(browser, &under_review).await?;
        browser.goto(TRADITIONAL).await?;
        assert!(
            browser
                .text()
                .await?
                .contains("You cannot apply to be a mentee:")
        );
        assert_eq!(
            refusals(browser, TRADITIONAL, "mentee").await?,
            ["This scheme is not open to people under performance management"]
        );

        // The mentor must sign the statement of suitability and the mentor's agreement; they
        // send their application to the coordinator in confidence.
        sign_in(browser, &mentor).await?;
        open_form(browser, TRADITIONAL, "mentor").await?;
        browser.assert_accessible().await?;
        browser.assert_keyboard_reachable().await?;
        let meets_at = value_of(browser, "Where you would meet from").await?;
        answer(
            browser,
            "A response sergeant for nine years; I coach new supervisors.",
            &["Leadership", "Confidence"],
        )
        .await?;
        browser
            .fill("How many mentees you can take at once", "2")
            .await?;
        tick(browser, "I will meet by video or phone").await?;
        browser.choose(ETHICS).await?;
        browser.choose(CONFIDENTIAL).await?;
        browser.submit("Send application").await?;
        assert_eq!(
            browser.texts(".error-summary li").await?,
            [
                "This scheme asks mentors to sign the statement of suitability",
                "This scheme asks mentors to sign the mentor's agreement"
            ]
        );
        browser.assert_accessible().await?;
        browser.choose(STATEMENT).await?;
        browser.choose(AGREEMENT).await?;
        browser.submit("Send application").await?;
        assert!(
            browser.path().await?.ends_with("/applied"),
            "applying ends on its confirmation"
        );
        assert_eq!(
            summary_value(browser, "Status").await?,
            "Waiting for the coordinator"
        );
        browser.assert_accessible().await?;

        // The mentee's form offers the confidential route; they go through their manager.
        sign_in(browser, &mentee).await?;
        open_form(browser, TRADITIONAL, "mentee").await?;
        assert!(
            browser
                .texts("h2")
                .await?
                .contains(&"Your line manager's authorisation".to_owned())
        );
        let confidential = browser.field(CONFIDENTIAL).await?;
        assert!(!confidential.is_selected().await.map_err(check)?);
        answer(
            browser,
            "I want to become a tutor constable and build my confidence leading others.",
            &["Leadership", "Confidence"],
        )
        .await?;
        browser.choose(ETHICS).await?;
        browser.submit("Send application").await?;
        assert_eq!(
            summary_value(browser, "Status").await?,
            "Waiting for line manager"
        );
        browser.assert_accessible().await?;

        // The manager authorises it.
        sign_in(browser, &manager).await?;
        browser.goto("/applications").await?;
        browser
            .click("1 application from your team waits for your authorisation")
            .await?;
        assert_eq!(browser.h1().await?, "Applications to authorise");
        browser.assert_accessible().await?;
        browser.assert_keyboard_reachable().await?;
        let heading = format!("{}: mentee in Traditional mentoring", mentee.name);
        press_in(browser, &heading, "Authorise").await?;
        assert_eq!(browser.path().await?, "/approvals");
        assert!(xpath_all(browser, &block(&heading)).await?.is_empty());
        browser.assert_accessible().await?;

        // Another manager declines a request: first without a reason (refused), then with one,
        // which the applicant reads.
        sign_in(browser, &other_manager).await?;
        browser.goto("/approvals").await?;
        let theirs = format!("{}:", other_applicant.name);
        press_in(browser, &theirs, "Decline").await?;
        assert_eq!(
            browser.texts(".error-summary li").await?,
            ["Give the reason for declining; the applicant will read it"]
        );
        browser.assert_accessible().await?;
        let reason = "Not while the team is covering two vacancies; apply again in March.";
        type_in(browser, &theirs, "reason", reason).await?;
        press_in(browser, &theirs, "Decline").await?;
        assert!(xpath_all(browser, &block(&theirs)).await?.is_empty());
        sign_in(browser, &other_applicant).await?;
        browser.goto("/applications").await?;
        let rows = browser.summary_list().await?;
        assert!(
            rows.contains(&("Status".to_owned(), "Declined".to_owned())),
            "{rows:?}"
        );
        assert!(
            rows.contains(&("Reason given".to_owned(), reason.to_owned())),
            "{rows:?}"
        );
        browser.assert_accessible().await?;

        // The coordinator approves the confidential application and records the mentor's
        // training workshop.
        sign_in(browser, &coordinator).await?;
        browser.goto(TRADITIONAL).await?;
        browser.click("See the applications to this scheme").await?;
        let confidential_heading = format!("{}: mentor (sent in confidence)", mentor.name);
        assert!(
            !xpath_all(browser, &block(&confidential_heading))
                .await?
                .is_empty()
        );
        browser.assert_accessible().await?;
        press_in(browser, &confidential_heading, "Approve").await?;
        assert_eq!(browser.h1().await?, "Applications");
        fill_date(
            browser,
            &format!("Date {} completed it", mentor.name),
            date_from_today(browser, -3).await?,
        )
        .await?;
        browser
            .click(&format!("Record {}'s training", mentor.name))
            .await?;
        let mentors = table_after(browser, "Mentors available").await?;
        let row = mentors.iter().find(|row| row.first() == Some(&mentor.name));
        assert!(
            row.is_some_and(|row| row[7].starts_with("Done ")),
            "{mentors:?}"
        );
        browser.assert_accessible().await?;

        // The mentee, now on the waiting list, searches the directory and asks the mentor.
        sign_in(browser, &mentee).await?;
        browser.goto("/applications").await?;
        assert_eq!(
            summary_value(browser, "Status").await?,
            "On the waiting list for a mentor"
        );
        browser.click("Choose a mentor from the directory").await?;
        assert_eq!(browser.h1().await?, "Choose a mentor");
        browser.assert_accessible().await?;
        browser.assert_keyboard_reachable().await?;
        let everyone = browser.texts(".scheme h2").await?;
        assert!(everyone.contains(&mentor.name), "{everyone:?}");
        browser.select("Development area", "Leadership").await?;
        browser.fill("Location", &meets_at).await?;
        browser.choose("Meets remotely").await?;
        browser.submit("Search").await?;
        let found = browser.texts(".scheme h2").await?;
        assert!(found.contains(&mentor.name), "{found:?}");
        assert!(found.len() <= everyone.len(), "filters narrow the list");
        for (key, value) in browser.summary_list().await? {
            match key.as_str() {
                "Meets" => assert!(
                    value.to_lowercase().contains(&meets_at.to_lowercase())
                        && value.ends_with(", or remotely"),
                    "{value}"
                ),
                "Can support" => assert!(value.contains("Leadership"), "{value}"),
                _ => {}
            }
        }
        browser.assert_accessible().await?;
        browser
            .click(&format!("Ask {} to mentor you", mentor.name))
            .await?;
        assert!(notice(browser).await?.contains("Your request was sent"));
        assert!(browser.texts("h3").await?.contains(&format!(
            "Waiting for {} to answer your request",
            mentor.name
        )));
        browser.assert_accessible().await?;

        // The mentor declines with a reason, the mentee asks again, and the mentor accepts.
        sign_in(browser, &mentor).await?;
        browser.goto("/applications").await?;
        assert!(
            browser
                .texts("h3")
                .await?
                .contains(&format!("{} asks you to be their mentor", mentee.name))
        );
        browser.assert_accessible().await?;
        browser
            .fill(
                "Reason, if you decline",
                "I am on leave until next month; please ask me then.",
            )
            .await?;
        browser.submit("Decline").await?;
        sign_in(browser, &mentee).await?;
        browser.goto("/applications").await?;
        assert!(
            browser
                .texts("h3")
                .await?
                .contains(&format!("{}: not matched", mentor.name))
        );
        assert!(
            browser
                .text()
                .await?
                .contains("Reason: I am on leave until next month; please ask me then.")
        );
        browser.click("Choose a mentor from the directory").await?;
        browser
            .click(&format!("Ask {} to mentor you", mentor.name))
            .await?;
        sign_in(browser, &mentor).await?;
        browser.goto("/applications").await?;
        browser.submit("Accept").await?;
        assert!(
            browser
                .texts("h3")
                .await?
                .contains(&format!("Your mentee: {}", mentee.name)),
            "{:?}",
            browser.texts("h3").await?
        );
        browser.assert_accessible().await?;
        sign_in(browser, &mentee).await?;
        browser.goto("/applications").await?;
        assert!(
            browser
                .texts("h3")
                .await?
                .contains(&format!("Your mentor: {}", mentor.name))
        );
        assert_eq!(summary_value(browser, "Status").await?, "Matched");
        Ok(())
    })
    .await;
}

const REVERSE: &str = "/organisations/cleveland/schemes/reverse";

/// Applies to `scheme` in confidence (the coordinator, not the line manager, decides).
async fn apply_in_confidence(
    browser: &Browser,
    who: &Account,
    scheme: &str,
    role: &str,
    summary: &str,
) -> Result<()> {
    sign_in(browser, who).await?;
    open_form(browser, scheme, role).await?;
    answer(
        browser,
        summary,
        &["Diversity and inclusion", "Lived experience"],
    )
    .await?;
    if role == "mentor" {
        browser
            .fill("How many mentees you can take at once", "1")
            .await?;
        browser.choose(STATEMENT).await?;
        browser.choose(AGREEMENT).await?;
    }
    browser.choose(ETHICS).await?;
    browser.choose(CONFIDENTIAL).await?;
    browser.submit("Send application").await?;
    assert!(
        browser.path().await?.ends_with("/applied"),
        "applying ends on its confirmation"
    );
    assert_eq!(
        summary_value(browser, "Status").await?,
        "Waiting for the coordinator"
    );
    Ok(())
}

/// Picks a pair by hand on the matching board.
async fn pick(browser: &Browser, mentee: &str, mentor: &str) -> Result<()> {
    browser.goto("/schemes/reverse/matching").await?;
    browser.select("Mentee", mentee).await?;
    browser.select("Mentor", mentor).await?;
    browser.submit("Propose this pair").await
}

#[tokio::test]
async fn a_cleveland_coordinator_pairs_a_frontline_mentor_with_a_senior_mentee_by_hand() {
    journey(async |browser| {
        let frontline = account(
            browser,
            "frontline constable who has not applied (cleveland)",
        )
        .await?;
        let senior = account(browser, "senior officer who has not applied (cleveland)").await?;
        let junior = account(browser, "mentee who has not applied (cleveland)").await?;
        let coordinator = account(browser, "coordinator (cleveland)").await?;

        apply_in_confidence(
            browser,
            &frontline,
            REVERSE,
            "mentor",
            "Five years on response in Stockton; I can show what the frontline lives with.",
        )
        .await?;
        apply_in_confidence(
            browser,
            &senior,
            REVERSE,
            "mentee",
            "I lead a district and want to understand my officers' experience first hand.",
        )
        .await?;
        apply_in_confidence(
            browser,
            &junior,
            REVERSE,
            "mentee",
            "I want to understand how the force sees people like me.",
        )
        .await?;

        // The coordinator approves all three.
        sign_in(browser, &coordinator).await?;
        browser.goto(REVERSE).await?;
        browser.click("See the applications to this scheme").await?;
        browser.assert_accessible().await?;
        for (person, role) in [
            (&frontline, "mentor"),
            (&senior, "mentee"),
            (&junior, "mentee"),
        ] {
            press_in(
                browser,
                &format!("{}: {role} (sent in confidence)", person.name),
                "Approve",
            )
            .await?;
            assert_eq!(browser.h1().await?, "Applications");
        }

        // A joint workshop: the mentor and the senior mentee are booked on it as a pair.
        browser.click("Training workshops").await?;
        assert_eq!(browser.h1().await?, "Training workshops and support groups");
        browser.assert_accessible().await?;
        browser
            .fill("Title", "Reverse mentoring: joint training")
            .await?;
        fill_date(browser, "Date", date_from_today(browser, 14).await?).await?;
        fill_time(browser, "Start time", 9, 30).await?;
        browser
            .fill("Where", "Middlesbrough headquarters, room 2")
            .await?;
        browser.fill("Places", "8").await?;
        assert!(
            browser
                .field(
                    "Joint training: mentor and mentee are booked as a pair (this scheme's policy)"
                )
                .await?
                .is_selected()
                .await
                .map_err(check)?
        );
        browser.submit("Schedule").await?;
        // Below the demo's last mentor support group, held months ago.
        assert_eq!(
            browser.texts(".scheme h2").await?,
            ["Mentors' circle", "Reverse mentoring: joint training"]
        );
        let places = "//div[contains(@class, 'scheme')][h2='Reverse mentoring: joint training']//dt[.='Places']/following-sibling::dd";
        assert!(
            xpath_texts(browser, places).await?[0]
                .ends_with("8 free; mentor and mentee train together")
        );
        browser
            .select("Book a place for", &format!("{} (mentor)", frontline.name))
            .await?;
        browser
            .select(
                "With their partner (joint training)",
                &format!("{} (mentee)", senior.name),
            )
            .await?;
        browser.submit("Book").await?;
        let bookings =
            xpath_texts(browser, "//div[contains(@class, 'scheme')]//table/tbody/tr").await?;
        for person in [&frontline, &senior] {
            assert!(
                bookings.iter().any(|row| row.starts_with(&format!(
                    "{} (with their partner) Place booked",
                    person.name
                ))),
                "{bookings:?}"
            );
        }
        assert!(xpath_texts(browser, places).await?[0].starts_with("8, 6 free"));
        browser.assert_accessible().await?;
        browser.assert_keyboard_reachable().await?;

        // Until their training is done, even the right pair cannot be picked.
        let mentor_option = format!("{} (Constable, 1 free)", frontline.name);
        let senior_option = format!("{} (Inspector)", senior.name);
        // The board comes back with the rule at the choice of mentor, the pair still chosen,
        // and the error summary has the focus so it is read first.
        pick(browser, &senior_option, &mentor_option).await?;
        assert_eq!(browser.h1().await?, "Matching");
        let message = browser.texts(".error-summary__list a").await?.remove(0);
        assert!(
            message.contains("The training must be done before matching"),
            "{message}"
        );
        let at_field = browser.texts("#pick-mentor-error").await?.remove(0);
        assert!(at_field.ends_with(&message), "{at_field}");
        let focused = browser
            .client()
            .execute(
                "return document.activeElement.className;",
                vec![],
            )
            .await
            .map_err(check)?;
        assert_eq!(focused, serde_json::json!("error-summary"));
        browser.assert_accessible().await?;

        // The coordinator records both completions.
        browser.goto("/schemes/reverse/applications").await?;
        for person in [&frontline, &senior, &junior] {
            fill_date(
                browser,
                &format!("Date {} completed it", person.name),
                date_from_today(browser, -1).await?,
            )
            .await?;
            browser
                .click(&format!("Record {}'s training", person.name))
                .await?;
        }

        // A mentor who is not junior to the mentee is refused, naming the rule.
        pick(
            browser,
            &format!("{} (Constable)", junior.name),
            &mentor_option,
        )
        .await?;
        assert_eq!(browser.h1().await?, "Matching");
        let message = browser.texts(".error-summary__list a").await?.remove(0);
        assert_eq!(
            message,
            "The rank gap points the wrong way for this scheme (mentor level 1 is not below mentee level 1 (reverse scheme))"
        );
        browser.assert_accessible().await?;

        // The frontline constable with the inspector is proposed, then confirmed.
        pick(browser, &senior_option, &mentor_option).await?;
        assert_eq!(
            notice(browser).await?,
            "The pair is proposed; confirm it when you are ready."
        );
        let pair = format!("{} with {}", senior.name, frontline.name);
        assert!(
            proposed(browser).await?.contains(&pair),
            "{:?}",
            proposed(browser).await?
        );
        let rows = proposed_rows(browser).await?;
        assert!(
            rows.iter().any(|row| format!("{} with {}", row[0], row[1]) == pair
                && row[2].contains(" out of ")
                && row[3].starts_with("picked by hand")),
            "{rows:?}"
        );
        browser.assert_accessible().await?;
        browser.click(&format!("Confirm {pair}")).await?;
        assert_eq!(
            notice(browser).await?,
            "The pair is confirmed; both have been emailed."
        );
        let confirmed = table_after(browser, "Confirmed pairs").await?;
        assert!(
            confirmed.contains(&vec![
                senior.name.clone(),
                frontline.name.clone(),
                "picked by hand".to_owned()
            ]),
            "{confirmed:?}"
        );
        browser.assert_accessible().await?;

        // Both see the pair, and the joint workshop they are booked on.
        for (person, other, role) in [
            (&frontline, &senior, "mentee"),
            (&senior, &frontline, "mentor"),
        ] {
            sign_in(browser, person).await?;
            browser.goto("/applications").await?;
            let headings = browser.texts("h3").await?;
            assert!(
                headings.contains(&format!("Your {role}: {}", other.name)),
                "{headings:?}"
            );
            assert!(
                headings.contains(&"Reverse mentoring: joint training".to_owned()),
                "{headings:?}"
            );
            assert!(browser.text().await?.contains("Place booked."));
            browser.assert_accessible().await?;
        }
        Ok(())
    })
    .await;
}

const PEER: &str = "/organisations/college/schemes/peer-acc-aco";

#[tokio::test]
async fn the_national_coordinator_matches_chief_officer_peers_across_forces() {
    journey(async |browser| {
        let volunteer = account(browser, "chief officer who has not volunteered as a peer mentor (college)").await?;
        let asker = account(browser, "assistant chief constable without a peer mentor (college)").await?;
        let constable = account(browser, "mentee who has not applied (cleveland)").await?;
        let coordinator = account(browser, "coordinator (college)").await?;
        let force_of = |email: &str| email.split_once('@').map(|(_, domain)| domain.to_owned()).unwrap_or_default();

        // The scheme is for the ACC/ACO rank band only.
        sign_in(browser, &constable).await?;
        assert_eq!(
            refusals(browser, PEER, "mentee").await?,
            ["This scheme is not open to the constable rank band"]
        );

        // A force's chief officer volunteers as a peer mentor for their rank band.
        sign_in(browser, &volunteer).await?;
        open_form(browser, PEER, "mentor").await?;
        browser.assert_accessible().await?;
        browser.assert_keyboard_reachable().await?;
        answer(
            browser,
            "Six years as an assistant chief officer: finance, estates and change programmes.",
            &["Leadership", "Managing change"],
        )
        .await?;
        browser.fill("How many mentees you can take at once", "1").await?;
        assert!(
            browser.field("I will meet by video or phone").await?.is_selected().await.map_err(check)?,
            "a cross-force scheme expects remote meetings"
        );
        browser.choose(ETHICS).await?;
        browser.submit("Send application").await?;
        assert!(browser.path().await?.ends_with("/applied"), "applying ends on its confirmation");
        assert_eq!(summary_value(browser, "Status").await?, "Approved: available to mentees");
        browser.assert_accessible().await?;

        // An assistant chief constable asks for a peer mentor.
        sign_in(browser, &asker).await?;
        open_form(browser, PEER, "mentee").await?;
        answer(
            browser,
            "Newly appointed ACC for local policing; I want a peer who has led a force through a restructure.",
            &["Leadership", "Managing change"],
        )
        .await?;
        browser.choose(ETHICS).await?;
        browser.submit("Send application").await?;
        assert_eq!(summary_value(browser, "Status").await?, "On the waiting list for a mentor");

        // The College's coordinator matches her with an ACC of another force.
        sign_in(browser, &coordinator).await?;
        browser.goto(PEER).await?;
        browser.click("See the applications to this scheme").await?;
        let mentors = table_after(browser, "Mentors available").await?;
        assert!(mentors.iter().any(|row| row[0] == volunteer.name), "{mentors:?}");
        browser.assert_accessible().await?;
        browser.click("Matching").await?;
        assert!(browser.text().await?.contains("You match every mentee in the scheme."));
        browser.assert_accessible().await?;
        let options = browser.texts("#pick-mentor option").await?;
        assert!(
            options.iter().any(|it| it.starts_with(&format!("{} (Assistant Chief Officer, 1 free)", volunteer.name))),
            "{options:?}"
        );
        let peer = options
            .iter()
            .find(|it| it.contains("(Assistant Chief Constable, "))
            .unwrap_or_else(|| panic!("an ACC mentor has a free place: {options:?}"))
            .clone();
        let peer_name = peer.split(" (").next().unwrap_or_default().to_owned();
        browser.select("Mentee", &format!("{} (Assistant Chief Constable)", asker.name)).await?;
        browser.select("Mentor", &peer).await?;
        browser.submit("Propose this pair").await?;
        assert_eq!(notice(browser).await?, "The pair is proposed; confirm it when you are ready.");
        let pair = format!("{} with {}", asker.name, peer_name);
        assert!(proposed(browser).await?.contains(&pair), "{:?}", proposed(browser).await?);
        browser.click(&format!("Confirm {pair}")).await?;
        assert_eq!(notice(browser).await?, "The pair is confirmed; both have been emailed.");
        let confirmed = table_after(browser, "Confirmed pairs").await?;
        assert!(
            confirmed.contains(&vec![asker.name.clone(), peer_name.clone(), "picked by hand".to_owned()]),
            "{confirmed:?}"
        );
        browser.assert_accessible().await?;

        // The mentee's mentor is in another force.
        sign_in(browser, &asker).await?;
        browser.goto("/applications").await?;
        let headings = browser.texts("h3").await?;
        assert!(headings.contains(&format!("Your mentor: {peer_name}")), "{headings:?}");
        let contact = browser.find("a[href^='mailto:']").await?.text().await.map_err(check)?;
        assert_ne!(force_of(&contact), force_of(&asker.email), "{contact} is in another force");
        assert_eq!(force_of(&contact), "scotland.police.uk");
        browser.assert_accessible().await?;
        Ok(())
    })
    .await;
}

const NETWORK: &str = "/organisations/college/schemes/womens-network";
const BUDDIES: &str = "/organisations/college/schemes/stage5-buddy";

/// Invites `who` from the scheme's invitation list page, which must be open.
async fn invite(browser: &Browser, who: &Account, role: &str) -> Result<()> {
    browser.fill("Their work email", &who.email).await?;
    browser.select("Invited as", role).await?;
    browser.submit("Invite").await?;
    assert_eq!(
        notice(browser).await?,
        format!(
            "The person is invited as a {} and has been emailed how to apply.",
            role.to_lowercase()
        )
    );
    assert!(
        browser.text().await?.contains(&who.name),
        "the list names them"
    );
    Ok(())
}

/// Sends the application form open in the browser, with the ethics statement accepted.
async fn send(browser: &Browser, summary: &str, topics: &[&str]) -> Result<()> {
    answer(browser, summary, topics).await?;
    if !browser.find_all("#capacity").await?.is_empty() {
        browser
            .fill("How many mentees you can take at once", "1")
            .await?;
    }
    tick(browser, ETHICS).await?;
    browser.submit("Send application").await?;
    assert!(
        browser.path().await?.ends_with("/applied"),
        "applying ends on its confirmation"
    );
    Ok(())
}

/// Runs a proposal on the scheme's board and confirms the pair of `mentee`; the mentor's name.
async fn propose_and_confirm(browser: &Browser, scheme: &str, mentee: &Account) -> Result<String> {
    browser.goto(&format!("/schemes/{scheme}/matching")).await?;
    run_proposal(browser).await?;
    let prefix = format!("{} with ", mentee.name);
    let pairs = proposed(browser).await?;
    let pair = pairs
        .iter()
        .find(|it| it.starts_with(&prefix))
        .ok_or_else(|| Error::Check(format!("{} is not proposed: {pairs:?}", mentee.name)))?
        .clone();
    browser.assert_accessible().await?;
    browser.click(&format!("Confirm {pair}")).await?;
    assert_eq!(
        notice(browser).await?,
        "The pair is confirmed; both have been emailed."
    );
    Ok(pair.trim_start_matches(&prefix).to_owned())
}

#[tokio::test]
async fn the_womens_network_invites_a_candidate_who_gets_a_chief_officer_mentor_and_a_buddy() {
    journey(async |browser| {
        let candidate = account(browser, "stage 5 candidate who has not been invited (college)").await?;
        let buddy = account(browser, "buddy who has not been invited (college)").await?;
        let volunteer = account(browser, "chief officer who has not volunteered as a peer mentor (college)").await?;
        let coordinator = account(browser, "coordinator (college)").await?;

        // Not on the list, she may not apply.
        sign_in(browser, &candidate).await?;
        assert_eq!(
            refusals(browser, NETWORK, "mentee").await?,
            ["This scheme is by invitation and the person has not been invited"]
        );

        // The coordinator invites her, after mistyping her address (what was typed is kept).
        sign_in(browser, &coordinator).await?;
        browser.goto("/schemes/womens-network/invitations").await?;
        assert_eq!(browser.h1().await?, "Invitations");
        browser.assert_accessible().await?;
        browser.assert_keyboard_reachable().await?;
        let typo = candidate.email.replacen('@', ".@", 1);
        browser.fill("Their work email", &typo).await?;
        browser.fill("Note (optional)", "Stage 5, 2027 cohort").await?;
        browser.submit("Invite").await?;
        assert!(browser.title().await?.starts_with("Error: "));
        assert_eq!(
            browser.texts(".error-summary li").await?,
            ["Nobody in the directory has that work email; check it"]
        );
        assert_eq!(value_of(browser, "Their work email").await?, typo);
        browser.assert_accessible().await?;
        invite(browser, &candidate, "Mentee").await?;
        let invited = table_after(browser, "Invited").await?;
        assert!(
            invited.iter().any(|row| row[0].starts_with(&candidate.name)
                && row[1] == "Mentee"
                && row[2] == "Stage 5, 2027 cohort"
                && row[4] == "Not yet"),
            "{invited:?}"
        );
        browser.assert_accessible().await?;
        // The buddy scheme takes both roles by invitation: her, and a buddy who passed recently.
        browser.goto("/schemes/stage5-buddy/invitations").await?;
        invite(browser, &candidate, "Mentee").await?;
        browser.fill("Note (optional)", "Passed stage 5 in 2025").await?;
        invite(browser, &buddy, "Mentor").await?;

        // Invited, she applies to both; her buddy volunteers.
        sign_in(browser, &candidate).await?;
        open_form(browser, NETWORK, "mentee").await?;
        send(browser, "I am preparing for the stage 5 assessment and want a chief officer's view of the role.", &["Leadership"]).await?;
        assert_eq!(summary_value(browser, "Status").await?, "On the waiting list for a mentor");
        open_form(browser, BUDDIES, "mentee").await?;
        send(browser, "Someone who has been through the assessment recently.", &["Leadership"]).await?;
        sign_in(browser, &buddy).await?;
        open_form(browser, BUDDIES, "mentor").await?;
        send(browser, "I passed the stage 5 assessment in 2025 and remember it well.", &["Leadership"]).await?;

        // The network is short of chief officer mentors: the coordinator appeals for them.
        sign_in(browser, &coordinator).await?;
        browser.goto("/schemes/womens-network/supply").await?;
        assert_eq!(browser.h1().await?, "Supply of mentors");
        let short = browser.texts("h2 + ul li").await?;
        assert!(short.iter().any(|it| it.starts_with("All mentees: ")), "{short:?}");
        browser.assert_accessible().await?;
        browser.assert_keyboard_reachable().await?;
        let band = "Assistant Chief Constables and Assistant Chief Officers";
        // Each band the appeal can reach says how many could volunteer in it.
        let offered = browser.texts("#band option").await?;
        let choice = offered
            .iter()
            .find(|it| it.starts_with(&format!("{band} (")) && it.ends_with(" could volunteer)"))
            .unwrap_or_else(|| panic!("the band is offered with how many it reaches: {offered:?}"));
        browser.select("Rank band", choice).await?;
        browser.submit("Send the appeal").await?;
        assert_eq!(
            browser.texts(".error-summary li").await?,
            ["Write what you are asking for: who is needed, and why"]
        );
        assert_eq!(value_of(browser, "Rank band").await?, "acc", "the band chosen is kept");
        browser.assert_accessible().await?;
        browser
            .fill("Message", "The women's network needs chief officer mentors for this year's stage 5 candidates.")
            .await?;
        browser.submit("Send the appeal").await?;
        assert!(notice(browser).await?.starts_with("The appeal was emailed to "), "{}", notice(browser).await?);
        let appeals = table_after(browser, "Appeals sent").await?;
        assert_eq!(appeals.len(), 1);
        assert_eq!(appeals[0][1], band);
        browser.assert_accessible().await?;

        // A chief officer answers the appeal from its link.
        sign_in(browser, &volunteer).await?;
        browser.goto(&format!("{NETWORK}/apply/mentor")).await?;
        send(browser, "Assistant chief officer; I would be glad to support a stage 5 candidate.", &["Leadership"]).await?;
        assert_eq!(summary_value(browser, "Status").await?, "Approved: available to mentees");

        // The coordinator proposes and confirms a chief officer mentor and a buddy for her.
        sign_in(browser, &coordinator).await?;
        let mentor = propose_and_confirm(browser, "womens-network", &candidate).await?;
        let partner = propose_and_confirm(browser, "stage5-buddy", &candidate).await?;

        // She sees both.
        sign_in(browser, &candidate).await?;
        browser.goto("/applications").await?;
        let headings = browser.texts("h3").await?;
        assert!(headings.contains(&format!("Your mentor: {mentor}")), "{headings:?}");
        assert!(headings.contains(&format!("Your mentor: {partner}")), "{headings:?}");
        browser.assert_accessible().await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn applying_recording_training_and_matching_work_without_javascript() {
    journey_without_javascript(async |browser| {
        let constable = account(browser, "constable who has not applied (police-scotland").await?;
        let inspector = account(browser, "inspector who has not applied (police-scotland").await?;
        let champion = account(
            browser,
            &format!("champion (police-scotland / {})", constable.division()),
        )
        .await?;

        sign_in(browser, &inspector).await?;
        open_form(browser, SCOTLAND, "mentor").await?;
        let meets_at = value_of(browser, "Where you would meet from").await?;
        answer(browser, "Response and public protection.", &["Leadership"]).await?;
        browser
            .fill("How many mentees you can take at once", "2")
            .await?;
        browser.choose(ETHICS).await?;
        browser.submit("Send application").await?;
        assert_eq!(
            summary_value(browser, "Status").await?,
            "Approved: available to mentees"
        );

        sign_in(browser, &constable).await?;
        open_form(browser, SCOTLAND, "mentee").await?;
        answer(browser, "Preparing for promotion.", &["Leadership"]).await?;
        browser.fill("Where you would meet from", &meets_at).await?;
        browser
            .fill("A mentor you would like (optional)", &inspector.email)
            .await?;
        browser.choose(ETHICS).await?;
        browser.submit("Send application").await?;
        assert_eq!(
            summary_value(browser, "Status").await?,
            "On the waiting list for a mentor"
        );
        // Without scripts the browser cannot tell the date; the server's is on the page.
        let today = long_date(&summary_value(browser, "Applied").await?)?;

        sign_in(browser, &champion).await?;
        browser.goto("/schemes/mentoring/applications").await?;
        for person in [&inspector, &constable] {
            fill_date(
                browser,
                &format!("Date {} completed it", person.name),
                today,
            )
            .await?;
            browser
                .click(&format!("Record {}'s training", person.name))
                .await?;
        }
        browser.click("Matching").await?;
        run_proposal(browser).await?;
        let pair = format!("{} with {}", constable.name, inspector.name);
        assert!(
            proposed(browser).await?.contains(&pair),
            "{:?}",
            proposed(browser).await?
        );
        browser.click(&format!("Confirm {pair}")).await?;
        assert_eq!(
            notice(browser).await?,
            "The pair is confirmed; both have been emailed."
        );
        let confirmed = table_after(browser, "Confirmed pairs").await?;
        assert!(
            confirmed
                .iter()
                .any(|row| row[0] == constable.name && row[1] == inspector.name),
            "{confirmed:?}"
        );
        Ok(())
    })
    .await;
}
