//! Time passing, in the browser: a Police Scotland pair that has not met for nine weeks is
//! reminded and, with the scheme asking sooner, proposed for closure, and the coordinator keeps
//! it open with a reason; a low check-in puts a pair at risk, and only a shared comment reaches
//! the coordinator; a Cleveland relationship reaches its end date and both members are asked to
//! close it; a mentor on a weekly digest gets one email for the week. The sweep runs as an
//! operator runs it (`tandem sweep [--at]`). Every page passes axe; one page of each journey is
//! checked by keyboard.

use crate::helpers::*;
use tandem_browser::{Browser, Error, Result, journey};

/// Opens the inbox and then the notification with `subject`.
async fn open_notification(browser: &Browser, subject: &str) -> Result<()> {
    browser.goto("/inbox").await?;
    browser.click(&format!("Open: {subject}")).await
}

#[tokio::test]
async fn a_police_scotland_pair_quiet_for_nine_weeks_is_reminded_and_the_coordinator_keeps_it_open()
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

        // The scheme proposes a relationship for closure after eight quiet weeks, not 26.
        sign_in(browser, &admin).await?;
        browser.goto("/schemes/mentoring/edit").await?;
        browser
            .fill(
                "Weeks without a session before the relationship is proposed for closure",
                "8",
            )
            .await?;
        browser.submit("Save changes").await?;

        let swept = browser.tandem(&["sweep"]).await?;
        assert!(swept.contains("reminders sent"), "{swept}");

        // The pair hears first, in the inbox, and the notice opens their relationship.
        sign_in(browser, &mentee).await?;
        browser.goto("/inbox").await?;
        assert!(
            browser
                .text()
                .await?
                .contains("Time to book your next mentoring session")
        );
        browser.assert_accessible().await?;
        open_notification(browser, "Time to book your next mentoring session").await?;
        assert_eq!(
            browser.h1().await?,
            format!("Your mentoring with {}", mentor.name)
        );

        // The coordinator is told, finds the pair on the needs-attention page and keeps the
        // relationship open, with the reason the pair gave.
        sign_in(browser, &coordinator).await?;
        let proposal = format!("Proposed for closure: {} and {}", mentor.name, mentee.name);
        open_notification(browser, &proposal).await?;
        assert_eq!(browser.h1().await?, "Needs attention");
        browser.assert_accessible().await?;
        assert!(browser.text().await?.contains("Proposed for closure"));
        browser.click(&mentee.name).await?;
        browser.assert_accessible().await?;
        browser.assert_keyboard_reachable().await?;
        browser.submit("Keep the relationship open").await?;
        assert_eq!(
            browser.texts(".error-summary li").await?.len(),
            1,
            "keeping it open needs a reason"
        );
        browser
            .fill(
                "Why it stays open",
                "The sergeant was on nights; they meet again next week",
            )
            .await?;
        browser.submit("Keep the relationship open").await?;
        assert!(
            notice(browser).await?.contains("open"),
            "{}",
            notice(browser).await?
        );
        browser.goto("/schemes/mentoring/attention").await?;
        let rows = browser.texts("table tbody tr").await?;
        assert!(
            rows.iter()
                .filter(|row| row.contains(&mentee.name))
                .all(|row| !row.contains("Proposed for closure")),
            "kept open: {rows:?}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_low_check_in_puts_a_pair_at_risk_and_only_a_shared_comment_reaches_the_coordinator() {
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
        let coordinator = account(browser, "coordinator (police-scotland)").await?;

        // The mentor answers and keeps the comment private.
        sign_in(browser, &mentor).await?;
        open_relationship(browser, &mentee.name).await?;
        browser.submit("Send your check-in").await?;
        assert_eq!(
            browser.texts(".error-summary li").await?,
            ["Choose how the mentoring is going, from 1 (going badly) to 5 (going very well)"]
        );
        browser.assert_accessible().await?;
        browser.choose("4: going well").await?;
        browser
            .fill(
                "Anything you want to add (optional)",
                "Worried about my own promotion board",
            )
            .await?;
        browser.submit("Send your check-in").await?;
        assert!(notice(browser).await?.contains("your check-in is recorded"));
        assert!(
            browser
                .text()
                .await?
                .contains("you scored 4: going well; your comment is private to you")
        );

        // The mentee scores it low again and shares why.
        sign_in(browser, &mentee).await?;
        open_relationship(browser, &mentor.name).await?;
        browser.choose("1: going badly").await?;
        browser
            .fill(
                "Anything you want to add (optional)",
                "We keep cancelling and I need help finding the time",
            )
            .await?;
        browser.choose("Yes, share it with the coordinator").await?;
        browser.submit("Send your check-in").await?;
        assert!(notice(browser).await?.contains("your check-in is recorded"));
        browser.assert_accessible().await?;

        // The coordinator sees the pair at risk and the trend, and only the shared comment.
        sign_in(browser, &coordinator).await?;
        browser.goto("/schemes/mentoring/attention").await?;
        assert!(browser.text().await?.contains("At risk: a low score"));
        browser.click(&mentee.name).await?;
        browser.assert_accessible().await?;
        browser.assert_keyboard_reachable().await?;
        let page = browser.text().await?;
        assert!(page.contains("At risk:"), "{page}");
        assert!(page.contains("1: going badly"), "{page}");
        assert!(page.contains("4: going well"), "{page}");
        assert!(page.contains("We keep cancelling and I need help finding the time"));
        assert!(
            !page.contains("promotion board"),
            "a private comment never reaches the coordinator"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_cleveland_relationship_reaches_its_end_date_and_both_are_asked_to_close_it() {
    journey(async |browser| {
        let mentor = account(browser, "mentor in an active relationship (cleveland)").await?;
        let mentee = account(browser, "mentee in an active relationship (cleveland)").await?;
        sign_in(browser, &mentor).await?;
        open_relationship(browser, &mentee.name).await?;
        let ends = summary_value(browser, "Ends").await?;
        // The morning after the end date, as the sweep in `serve` would find it.
        let after = morning_after(browser, &ends).await?;
        let swept = browser.tandem(&["sweep", "--at", &after]).await?;
        assert!(swept.contains("end_reached"), "{swept}");

        for (member, partner) in [(&mentor, &mentee), (&mentee, &mentor)] {
            sign_in(browser, member).await?;
            browser.goto("/inbox").await?;
            browser.assert_accessible().await?;
            open_notification(
                browser,
                "Your mentoring relationship has reached its end date",
            )
            .await?;
            assert_eq!(
                browser.h1().await?,
                format!("Your mentoring with {}", partner.name)
            );
            assert!(
                browser
                    .text()
                    .await?
                    .contains("Start closing the relationship"),
                "closing is offered"
            );
        }
        browser.assert_keyboard_reachable().await?;
        Ok(())
    })
    .await;
}

/// 09:00 UTC the day after an ISO date (`2027-05-03` → `2027-05-04T09:00:00.000Z`), worked out
/// by the browser's calendar.
async fn morning_after(browser: &Browser, iso: &str) -> Result<String> {
    let value = browser
        .client()
        .execute(
            "const d = new Date(arguments[0] + 'T09:00:00Z'); d.setUTCDate(d.getUTCDate() + 1); \
             return isNaN(d) ? null : d.toISOString();",
            vec![serde_json::json!(iso)],
        )
        .await
        .map_err(check)?;
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| Error::Check(format!("{iso:?} is not a date like 2027-05-03")))
}

/// A real SMTP server (aiosmtpd, as the email tests use) on a free local port, keeping every
/// message's headers as it prints them.
struct Smtp {
    child: std::process::Child,
    port: u16,
    printed: std::sync::Arc<std::sync::Mutex<String>>,
}

impl Smtp {
    fn start() -> Result<Self> {
        use std::io::BufRead as _;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|it| it.local_addr())
            .map_err(check)?
            .port();
        let mut child = std::process::Command::new("python3")
            .args([
                "-u",
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .map_err(|err| {
                Error::Process(format!("python3 -m aiosmtpd: {err} (pip install aiosmtpd)"))
            })?;
        let printed = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let sink = printed.clone();
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| Error::Process("aiosmtpd's output is not piped".to_owned()))?;
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout)
                .lines()
                .map_while(std::result::Result::ok)
            {
                if let Ok(mut text) = sink.lock() {
                    text.push_str(&line);
                    text.push('\n');
                }
            }
        });
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Ok(Self {
                    child,
                    port,
                    printed,
                });
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        Err(Error::Process(format!(
            "aiosmtpd did not start on port {port}"
        )))
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The subjects of the messages to `to` received so far.
    fn subjects_to(&self, to: &str) -> Vec<String> {
        let printed = self.printed.lock().map(|it| it.clone()).unwrap_or_default();
        printed
            .split("---------- MESSAGE FOLLOWS ----------")
            .skip(1)
            .filter(|message| {
                message
                    .lines()
                    .any(|line| line.starts_with("To:") && line.contains(to))
            })
            .filter_map(|message| {
                message
                    .lines()
                    .find_map(|line| line.strip_prefix("Subject: "))
                    .map(str::to_owned)
            })
            .collect()
    }

    fn forget(&self) {
        if let Ok(mut text) = self.printed.lock() {
            text.clear();
        }
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `tandem worker --once [--at MOMENT]` until the outbox has nothing due.
async fn deliver(browser: &Browser, smtp: &Smtp, at: Option<&str>) -> Result<()> {
    let url = smtp.url();
    let mut args = vec!["worker", "--once", "--smtp-url", &url];
    if let Some(at) = at {
        args.extend(["--at", at]);
    }
    for _ in 0..50 {
        let printed = browser.tandem(&args).await?;
        if printed.contains("sent 0,") {
            // aiosmtpd prints what it received a moment after the sender has moved on.
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            return Ok(());
        }
    }
    Err(Error::Check(
        "the outbox did not empty in 50 rounds".to_owned(),
    ))
}

#[tokio::test]
async fn a_mentor_who_chooses_a_weekly_digest_gets_one_email_for_the_week() {
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
        let smtp = Smtp::start()?;
        // What the demo queued long ago goes first.
        deliver(browser, &smtp, None).await?;
        smtp.forget();

        sign_in(browser, &mentor).await?;
        browser.goto("/account/notifications").await?;
        browser.assert_accessible().await?;
        browser.assert_keyboard_reachable().await?;
        browser
            .choose("One email a week with the week's notifications")
            .await?;
        browser.submit("Save").await?;

        // The mentee books a session: the mentor's notice waits for the digest.
        sign_in(browser, &mentee).await?;
        open_relationship(browser, &mentor.name).await?;
        fill_date(browser, "Date", date_from_today(browser, 10).await?).await?;
        fill_time(browser, "Start time", 10, 0).await?;
        browser.choose("Video call").await?;
        browser.submit("Book the session").await?;
        deliver(browser, &smtp, None).await?;
        assert_eq!(
            smtp.subjects_to(&mentor.email),
            Vec::<String>::new(),
            "nothing by email until the digest"
        );

        // A week later the sweep sends the digest: one email with the week's notices.
        let week = moment_from_now(browser, 8).await?;
        let swept = browser.tandem(&["sweep", "--at", &week]).await?;
        assert!(swept.contains("digests"), "{swept}");
        deliver(browser, &smtp, Some(&week)).await?;
        let subjects = smtp.subjects_to(&mentor.email);
        assert_eq!(subjects.len(), 1, "{subjects:?}");
        assert!(
            subjects[0].starts_with("Your weekly mentoring digest:"),
            "{subjects:?}"
        );
        sign_in(browser, &mentor).await?;
        browser.goto("/inbox").await?;
        assert!(browser.text().await?.contains(&mentee.name));
        Ok(())
    })
    .await;
}
