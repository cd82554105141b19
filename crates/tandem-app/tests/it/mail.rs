//! Email through a real SMTP server (aiosmtpd, started by the test): password-reset links,
//! delivery from the outbox, retries with back-off.

use crate::operator;
use std::sync::{Arc, Mutex};
use tandem_app::mail::Mailer;
use tandem_app::{App, accounts, outbox, people};
use tandem_core::FixedClock;
use tandem_core::domain::NewPassword;
use tandem_core::hr::ImportOptions;
use tandem_store::testing::on_each_backend;
use time::macros::datetime;
use tokio::io::AsyncBufReadExt;

/// A real SMTP server on a free local port that keeps what it receives.
struct SmtpServer {
    child: tokio::process::Child,
    port: u16,
    received: Arc<Mutex<String>>,
}

impl SmtpServer {
    async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = tokio::process::Command::new("python3")
            .args([
                "-u",
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("python3 runs (install aiosmtpd with `pip install aiosmtpd`)");
        let received = Arc::new(Mutex::new(String::new()));
        let mut lines = tokio::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let sink = received.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                let mut text = sink.lock().unwrap();
                text.push_str(&line);
                text.push('\n');
            }
        });
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Self {
                    child,
                    port,
                    received,
                };
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("aiosmtpd exited ({status}); install it with `pip install aiosmtpd`");
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("aiosmtpd did not start on port {port}");
    }

    fn mailer(&self) -> Mailer {
        Mailer::new(
            &format!("smtp://127.0.0.1:{}", self.port),
            "Tandem <no-reply@tandem.test>",
        )
        .unwrap()
        .with_site("https://tandem.test/")
    }

    /// What arrived, with quoted-printable soft line breaks joined as a mail client would.
    async fn received(&self) -> String {
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        self.received.lock().unwrap().replace("=\n", "")
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

const TEAM: &str = "staff_number,organisation,first_name,last_name,email,rank_or_grade,role_type,start_date,employment_status\n\
                    100,cleveland,Ann,Hill,ann@cleveland.police.uk,Inspector,officer,2005-03-01,serving\n\
                    101,cleveland,Bo,Khan,bo@cleveland.police.uk,Sergeant,officer,2012-09-10,leaver\n";

pub(crate) async fn app_with_team(store: tandem_store::Store) -> (App, Arc<FixedClock>) {
    let clock = Arc::new(FixedClock::at(datetime!(2026-11-23 09:00 UTC)));
    let app = App::new(store, clock.clone());
    let request = people::ImportRequest {
        bytes: TEAM.as_bytes(),
        options: ImportOptions {
            full_extract: false,
            create_organisations: true,
        },
        dry_run: false,
        source: "test",
    };
    people::import(&app, &operator(), request, &|_| {})
        .await
        .unwrap();
    (app, clock)
}

#[tokio::test]
async fn a_reset_link_is_emailed_and_works_once() {
    on_each_backend(|store| async move {
        let (app, _) = app_with_team(store).await;
        let smtp = SmtpServer::start().await;
        accounts::request_password_reset(&app, "ann@cleveland.police.uk", "https://tandem.test/")
            .await
            .unwrap();
        accounts::request_password_reset(&app, "nobody@cleveland.police.uk", "https://tandem.test")
            .await
            .unwrap();
        accounts::request_password_reset(&app, "bo@cleveland.police.uk", "https://tandem.test")
            .await
            .unwrap();
        assert_eq!(
            app.store
                .begin_read()
                .await
                .unwrap()
                .unsent()
                .await
                .unwrap()
                .len(),
            1,
            "only the active person gets a link"
        );

        let delivery = outbox::deliver_due(&app, &smtp.mailer()).await.unwrap();
        assert_eq!(delivery, outbox::Delivery { sent: 1, failed: 0 });
        let received = smtp.received().await;
        assert!(
            received.contains("Subject: Reset your Tandem password"),
            "{received}"
        );
        assert!(
            received.contains("To: ann@cleveland.police.uk"),
            "{received}"
        );
        // Two parts with the same words, framed by the organisation's marking and the link to
        // the person's email settings.
        for part in ["multipart/alternative", "text/plain", "text/html"] {
            assert!(received.contains(part), "{part} in {received}");
        }
        assert!(received.contains("\nOFFICIAL\n"), "{received}");
        assert!(
            received.contains("or to stop the digest: https://tandem.test/account/notifications"),
            "{received}"
        );
        let link = received
            .lines()
            .find(|line| line.starts_with("https://tandem.test/reset-password/"))
            .unwrap_or_else(|| panic!("{received}"));
        let token = accounts::SessionToken::parse(link.rsplit('/').next().unwrap()).unwrap();
        assert_eq!(
            outbox::deliver_due(&app, &smtp.mailer())
                .await
                .unwrap()
                .sent,
            0,
            "an email is sent once"
        );

        let password = NewPassword::parse("a brand new passphrase").unwrap();
        assert_eq!(
            accounts::reset_password(&app, &token, &password)
                .await
                .unwrap(),
            Ok(())
        );
        assert!(
            accounts::sign_in(&app, "ann@cleveland.police.uk", "a brand new passphrase")
                .await
                .unwrap()
                .is_ok()
        );
        assert_eq!(
            accounts::reset_password(&app, &token, &password)
                .await
                .unwrap(),
            Err(accounts::ResetRefused::Expired),
            "a link works once"
        );
    })
    .await;
}

#[tokio::test]
async fn a_link_expires_after_thirty_minutes() {
    on_each_backend(|store| async move {
        let (app, clock) = app_with_team(store).await;
        let smtp = SmtpServer::start().await;
        accounts::request_password_reset(&app, "ann@cleveland.police.uk", "https://tandem.test")
            .await
            .unwrap();
        outbox::deliver_due(&app, &smtp.mailer()).await.unwrap();
        let received = smtp.received().await;
        let link = received
            .lines()
            .find(|line| line.contains("/reset-password/"))
            .unwrap();
        let token = accounts::SessionToken::parse(link.rsplit('/').next().unwrap()).unwrap();
        clock.advance(time::Duration::minutes(31));
        assert!(!accounts::reset_link_works(&app, &token).await.unwrap());
        let password = NewPassword::parse("a brand new passphrase").unwrap();
        assert_eq!(
            accounts::reset_password(&app, &token, &password)
                .await
                .unwrap(),
            Err(accounts::ResetRefused::Expired)
        );
    })
    .await;
}

#[tokio::test]
async fn a_failed_delivery_is_retried_with_back_off_and_sent_later() {
    on_each_backend(|store| async move {
        let (app, clock) = app_with_team(store).await;
        accounts::request_password_reset(&app, "ann@cleveland.police.uk", "https://tandem.test")
            .await
            .unwrap();
        let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let unreachable = Mailer::new(
            &format!("smtp://127.0.0.1:{closed_port}"),
            "Tandem <no-reply@tandem.test>",
        )
        .unwrap();
        assert_eq!(
            outbox::deliver_due(&app, &unreachable).await.unwrap(),
            outbox::Delivery { sent: 0, failed: 1 }
        );
        let unsent = app
            .store
            .begin_read()
            .await
            .unwrap()
            .unsent()
            .await
            .unwrap();
        let (message, error, next) = &unsent[0];
        assert_eq!(message.attempts, 1);
        assert!(
            error.as_deref().unwrap().contains("could not be reached"),
            "{error:?}"
        );
        assert_eq!(*next, datetime!(2026-11-23 09:01 UTC));

        let smtp = SmtpServer::start().await;
        assert_eq!(
            outbox::deliver_due(&app, &smtp.mailer())
                .await
                .unwrap()
                .sent,
            0,
            "not due yet"
        );
        clock.advance(time::Duration::minutes(2));
        assert_eq!(
            outbox::deliver_due(&app, &smtp.mailer())
                .await
                .unwrap()
                .sent,
            1
        );
        assert!(smtp.received().await.contains("Reset your Tandem password"));
        assert_eq!(
            app.store
                .begin_read()
                .await
                .unwrap()
                .count_sent()
                .await
                .unwrap(),
            1
        );
        assert_eq!(outbox::back_off(5), time::Duration::hours(4));
    })
    .await;
}

#[tokio::test]
async fn a_calendar_invitation_arrives_attached_to_its_email() {
    on_each_backend(|store| async move {
        let (app, _) = app_with_team(store).await;
        let smtp = SmtpServer::start().await;
        let calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:0190@tandem\r\nSEQUENCE:1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let mut tx = app.store.begin_write().await.unwrap();
        tx.enqueue(&tandem_store::OutboxMessage {
            id: uuid::Uuid::now_v7(),
            key: "meeting.test.1".to_owned(),
            person: None,
            recipient: "ann@cleveland.police.uk".to_owned(),
            subject: "Booked: your session".to_owned(),
            body: "Booked: session on Thursday.".to_owned(),
            created_at: datetime!(2026-11-23 09:00 UTC),
            attempts: 0,
            attachment: Some(tandem_store::MailAttachment {
                name: "mentoring-session-2027-01-14.ics".to_owned(),
                content_type: "text/calendar; charset=UTF-8".to_owned(),
                content: calendar.to_owned(),
            }),
        })
        .await
        .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(
            outbox::deliver_due(&app, &smtp.mailer()).await.unwrap(),
            outbox::Delivery { sent: 1, failed: 0 }
        );
        let received = smtp.received().await;
        for part in [
            "multipart/mixed",
            "Booked: session on Thursday.",
            "text/calendar",
            "Content-Disposition: attachment",
            "\"mentoring-session-2027-01-14.ics\"",
            "BEGIN:VCALENDAR",
            "UID:0190@tandem",
        ] {
            assert!(received.contains(part), "{part} in {received}");
        }
    })
    .await;
}
