//! The mentoring relationship end to end in the browser: a Police Scotland pair goes on after
//! their introductory meeting, logs sessions with GROW notes, records the review due at the
//! third meeting and closes with their reviews and the evaluation, while the coordinator sees
//! only the state change; and, without JavaScript, a session booked with a link to its calendar
//! file, and an action added. Every page with scripts on passes axe (axe needs them); one
//! is checked by keyboard.

use crate::helpers::*;
use fantoccini::Locator;
use tandem_browser::{Browser, Error, Result, journey, journey_without_javascript};

/// Logs a session held `days` ago (negative) at `hour`.
async fn log_session(browser: &Browser, days: i64, hour: u32) -> Result<()> {
    fill_date(browser, "Date", date_from_today(browser, days).await?).await?;
    fill_time(browser, "Start time", hour, 0).await?;
    browser.fill("Length in minutes", "60").await?;
    browser.choose("Video call").await?;
    browser.submit("Log it as held").await?;
    let said = notice(browser).await?;
    if said.contains("The session is logged") {
        Ok(())
    } else {
        Err(Error::Check(format!(
            "the session was not logged: {}",
            browser.texts(".error-summary li").await?.join("; ")
        )))
    }
}

/// Clicks the element with `id` (a radio button among others with the same label).
async fn click_id(browser: &Browser, id: &str) -> Result<()> {
    browser
        .client()
        .find(Locator::Id(id))
        .await
        .map_err(|err| Error::Check(format!("no element #{id}: {err}")))?
        .click()
        .await
        .map_err(|err| Error::Check(format!("cannot click #{id}: {err}")))
}

/// Writes the end-of-mentoring review and answers the evaluation.
async fn close_as(browser: &Browser, achieved: &str) -> Result<()> {
    browser
        .fill("What the mentoring achieved", achieved)
        .await?;
    browser
        .fill("How you will keep it going", "A monthly coffee")
        .await?;
    browser.submit("Send your review").await?;
    assert!(notice(browser).await?.contains("your review is kept"));
    browser.assert_accessible().await?;
    for (question, score) in [(1, 5), (2, 4), (3, 4), (4, 5)] {
        click_id(browser, &format!("evaluation-answer-{question}-{score}")).await?;
    }
    browser
        .fill("What worked well?", "Honest conversations")
        .await?;
    browser.submit("Send your answers").await?;
    assert!(
        notice(browser)
            .await?
            .contains("Thank you for your answers")
    );
    Ok(())
}

#[tokio::test]
async fn a_police_scotland_pair_goes_on_meets_reviews_and_closes_while_the_coordinator_sees_only_the_state()
 {
    journey(async |browser| {
        let mentor = account(
            browser,
            "mentor after the introductory meeting (police-scotland)",
        )
        .await?;
        let mentee = account(
            browser,
            "mentee after the introductory meeting (police-scotland)",
        )
        .await?;
        let coordinator = account(browser, "coordinator (police-scotland)").await?;
        let notes = "Revision plan for the board, two past papers a week";

        // After the introductory meeting both say they want to go on.
        sign_in(browser, &mentee).await?;
        open_relationship(browser, &mentor.name).await?;
        browser.assert_accessible().await?;
        browser.assert_keyboard_reachable().await?;
        browser.submit("I want to go on").await?;
        assert!(
            notice(browser)
                .await?
                .contains("asked whether they want to go on")
        );
        sign_in(browser, &mentor).await?;
        open_relationship(browser, &mentee.name).await?;
        browser.submit("I want to go on").await?;
        assert!(
            notice(browser)
                .await?
                .contains("your relationship is active")
        );
        assert_eq!(summary_value(browser, "State").await?, "Active");

        // Two sessions logged: with the introductory meeting that is three, and a review is due.
        log_session(browser, -1, 14).await?;
        log_session(browser, -1, 17).await?;
        browser.assert_accessible().await?;
        assert!(
            browser
                .text()
                .await?
                .contains("A progress review is due after 3 meetings")
        );
        browser
            .fill(
                "What has been achieved so far",
                "A study plan and the confidence to use it",
            )
            .await?;
        browser
            .fill("What comes next", "Sit the exam in March")
            .await?;
        browser.submit("Record the review").await?;
        assert!(
            notice(browser)
                .await?
                .contains("The progress review is recorded")
        );

        // GROW notes for the latest session.
        let goal = browser
            .client()
            .find(Locator::XPath(
                "(//form[starts-with(@id, 'notes-')])[1]//textarea[@name='goal']",
            ))
            .await
            .map_err(|err| Error::Check(format!("no notes form: {err}")))?;
        goal.send_keys(notes)
            .await
            .map_err(|err| Error::Check(err.to_string()))?;
        let save = browser
            .client()
            .find(Locator::XPath(
                "(//form[starts-with(@id, 'notes-')])[1]//button",
            ))
            .await
            .map_err(|err| Error::Check(format!("no save button: {err}")))?;
        browser.follow(save).await?;
        assert!(notice(browser).await?.contains("Your notes are saved"));

        // Closing: the mentor starts it and writes; then the mentee does.
        browser.submit("Start closing the relationship").await?;
        assert_eq!(summary_value(browser, "State").await?, "Closing");
        close_as(browser, "Watched a confident leader emerge").await?;
        assert!(
            browser
                .text()
                .await?
                .contains("The relationship closes once")
        );
        sign_in(browser, &mentee).await?;
        open_relationship(browser, &mentor.name).await?;
        close_as(browser, "Passed the board").await?;
        assert_eq!(summary_value(browser, "State").await?, "Closed");
        browser.assert_accessible().await?;

        // The coordinator sees that it closed, and none of what was written.
        sign_in(browser, &coordinator).await?;
        browser
            .goto("/schemes/mentoring/relationships?state=closed")
            .await?;
        browser.assert_accessible().await?;
        let page = browser.text().await?;
        assert!(
            page.contains(&mentee.name) && page.contains("Closed"),
            "{page}"
        );
        assert!(!page.contains(notes) && !page.contains("Passed the board"));
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn without_javascript_a_pair_books_a_session_is_given_its_calendar_entry_and_adds_an_action()
{
    journey_without_javascript(async |browser| {
        let mentee = account(browser, "mentee in an active relationship (cleveland)").await?;
        let mentor = account(browser, "mentor in an active relationship (cleveland)").await?;
        sign_in(browser, &mentee).await?;
        open_relationship(browser, &mentor.name).await?;
        fill_date(browser, "Date", date_from_today(browser, 14).await?).await?;
        fill_time(browser, "Start time", 10, 30).await?;
        browser.fill("Length in minutes", "60").await?;
        browser.choose("In person").await?;
        browser.fill("Where", "Middlesbrough, room 3").await?;
        browser.submit("Book the session").await?;
        assert!(notice(browser).await?.contains("The session is booked"));
        let link = browser
            .client()
            .find(Locator::XPath(
                "//a[starts-with(normalize-space(.), 'Add it to your calendar')]",
            ))
            .await
            .map_err(|err| Error::Check(format!("no calendar link: {err}")))?
            .attr("href")
            .await
            .map_err(|err| Error::Check(err.to_string()))?
            .ok_or_else(|| Error::Check("the calendar link has no address".to_owned()))?;
        assert!(
            link.starts_with("/meetings/") && link.ends_with("/calendar.ics"),
            "{link}"
        );
        browser
            .fill(
                "What is to be done",
                "Draft the presentation for the reverse mentoring panel",
            )
            .await?;
        browser.choose("The mentee's").await?;
        browser.submit("Add the action").await?;
        assert!(notice(browser).await?.contains("The action is added"));
        let page = browser.text().await?;
        assert!(page.contains("Draft the presentation for the reverse mentoring panel"));
        Ok(())
    })
    .await;
}
