//! Reliability as an operator sees it: real `tandem` processes killed with SIGKILL or run side by
//! side on one database, email through a real SMTP server (aiosmtpd), and the outcome counted by
//! Message-ID: nothing lost, nothing sent twice.
#![allow(
    clippy::print_stderr,
    reason = "a skipped test says so, and each run says how the processes shared the work"
)]

use crate::process::{POLL, Running, Smtp, rows, tandem_ok};
use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::process::ExitStatusExt as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tandem_core::Clock as _;
use tandem_store::testing::{POSTGRES_URL_VAR, TestDatabase, on_each_database};
use tandem_store::{Backend, OutboxMessage, Store};
use tokio::task::JoinHandle;

/// A mail server that takes the connection and never says a word: a worker sending to it is
/// stuck mid-send (until its SMTP timeout of 20 s).
struct Silent {
    port: u16,
    connections: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl Silent {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = connections.clone();
        let task = tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                held.push(stream);
            }
        });
        Self {
            port,
            connections,
            task,
        }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }
}

impl Drop for Silent {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The local part of the Message-ID the mailer gives an outbox key (`tandem_app::mail`): the key
/// with anything but letters, digits, `-` and `.` made `.`.
fn message_id(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c
            } else {
                '.'
            }
        })
        .collect()
}

async fn unsent(store: &Store) -> Vec<OutboxMessage> {
    let mut tx = store.begin_read().await.unwrap();
    let unsent = tx.unsent().await.unwrap();
    tx.rollback().await.unwrap();
    unsent.into_iter().map(|(message, _, _)| message).collect()
}

async fn count_sent(store: &Store) -> usize {
    let mut tx = store.begin_read().await.unwrap();
    let sent = tx.count_sent().await.unwrap();
    tx.rollback().await.unwrap();
    usize::try_from(sent).unwrap()
}

/// The numbers after `field=` on the log lines saying `event`, added up.
fn logged_total(log: &str, event: &str, field: &str) -> usize {
    log.lines()
        .filter(|line| line.contains(event))
        .filter_map(|line| {
            line.split_whitespace()
                .find_map(|word| word.strip_prefix(&format!("{field}=")))
                .map(|n| n.parse::<usize>().unwrap())
        })
        .sum()
}

fn assert_each_once(received: &BTreeMap<String, usize>) {
    let twice: Vec<_> = received.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "{} of {} emails received more than once, e.g. {:?}",
        twice.len(),
        received.len(),
        &twice[..twice.len().min(3)]
    );
}

/// People to email: more than the worker's batch of 20, so part of the outbox is claimed.
const PEOPLE: usize = 25;

#[tokio::test]
async fn the_outbox_survives_a_worker_killed_between_claim_and_send() {
    on_each_database(|store, url| async move {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("people.csv");
        let mut csv = "staff_number,organisation,first_name,last_name,email,rank_or_grade,role_type,start_date,employment_status\n".to_owned();
        for n in 0..PEOPLE {
            csv.push_str(&format!(
                "{},cleveland,Pat,Number{n},pat{n}@cleveland.police.uk,Constable,officer,2020-01-01,serving\n",
                100 + n
            ));
        }
        std::fs::write(&file, csv).unwrap();
        tandem_ok(&url, &["import", "people", file.to_str().unwrap(), "--create-organisations"]).await;
        // Each asks for a password-reset link, as from the sign-in page: one email each.
        let app = tandem_app::App::new(store.clone(), Arc::new(tandem_core::SystemClock));
        for n in 0..PEOPLE {
            let email = format!("pat{n}@cleveland.police.uk");
            tandem_app::accounts::request_password_reset(&app, &email, "https://tandem.test")
                .await
                .unwrap();
        }
        let waiting: BTreeSet<String> = unsent(&store).await.into_iter().map(|it| it.key).collect();
        assert_eq!(waiting.len(), PEOPLE);

        // A worker whose SMTP server never answers claims a batch and is stuck sending its first
        // email. Its claim is short so that the test need not wait the default two minutes.
        let silent = Silent::start().await;
        let mut stuck = Running::start(
            "the stuck worker",
            &url,
            &[
                "worker",
                "--smtp-url",
                &silent.url(),
                "--outbox-claim-seconds",
                "2",
            ],
        );
        let started = Instant::now();
        let claimed: BTreeSet<String> = loop {
            let claimed: BTreeSet<String> = unsent(&store)
                .await
                .into_iter()
                .filter(|it| it.attempts > 0)
                .map(|it| it.key)
                .collect();
            if !claimed.is_empty() && silent.connections.load(Ordering::SeqCst) > 0 {
                break claimed;
            }
            stuck.assert_running();
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "the worker claimed nothing, or did not connect:\n{}",
                stuck.log()
            );
            tokio::time::sleep(POLL).await;
        };
        let status = stuck.kill().await;
        assert_eq!(status.signal(), Some(9), "killed mid-send: {status}");
        assert!(
            claimed.is_subset(&waiting) && claimed.len() < PEOPLE,
            "a batch of the waiting emails was claimed: {claimed:?}"
        );
        assert_eq!(count_sent(&store).await, 0, "the stuck worker sent nothing");

        // A worker with a working server (and the default claim) sends every email once, the
        // dead worker's batch included once its claim has run out.
        let smtp = Smtp::start().await;
        let mut worker = Running::start(
            "the second worker",
            &url,
            &["worker", "--smtp-url", &smtp.url()],
        );
        let started = Instant::now();
        while !unsent(&store).await.is_empty() {
            worker.assert_running();
            // Well before the default claim of two minutes would have let the batch go.
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the outbox did not drain: {} unsent\n{}",
                unsent(&store).await.len(),
                worker.log()
            );
            tokio::time::sleep(POLL).await;
        }
        let status = worker.interrupt().await;
        assert!(status.success(), "{status}: {}", worker.log());
        let log = worker.finish().await;
        let received = smtp.received().await;

        assert_each_once(&received);
        for key in &waiting {
            assert_eq!(
                received.get(&message_id(key)),
                Some(&1),
                "{key} (claimed by the killed worker: {}) arrived once",
                claimed.contains(key)
            );
        }
        assert_eq!(received.len(), PEOPLE, "nothing else arrived: {received:?}");
        assert_eq!(count_sent(&store).await, PEOPLE);
        assert_eq!(logged_total(&log, "outbox delivered", "sent"), PEOPLE, "{log}");
    })
    .await;
}

#[tokio::test]
async fn two_servers_on_one_postgres_database_send_each_reminder_once() {
    if !tandem_store::testing::backends().contains(&Backend::Postgres) {
        eprintln!(
            "skipped: two servers share a PostgreSQL database; set {POSTGRES_URL_VAR} to run it"
        );
        return;
    }
    let database = TestDatabase::new(Backend::Postgres).await;
    let outcome = tokio::spawn(two_servers(
        database.store.clone(),
        database.url().to_owned(),
    ))
    .await;
    database.remove().await;
    if let Err(err) = outcome {
        std::panic::resume_unwind(err.into_panic());
    }
}

async fn two_servers(store: Store, url: String) {
    // The demo as it was nine months ago: its relationships have since reached their end dates,
    // gone quiet, missed sessions, so reminders are due as soon as a server sweeps.
    let then = tandem_core::SystemClock.now() - time::Duration::days(270);
    let app = tandem_app::App::new(store.clone(), Arc::new(tandem_core::FixedClock::at(then)));
    let operator = tandem_core::authz::Actor::Operator {
        name: "reliability test".to_owned(),
    };
    tandem_app::demo::seed(&app, &operator, "http://tandem.test")
        .await
        .unwrap();
    assert_eq!(rows(&store, &["reminders"]).await, [0]);

    // Both sweep at start-up (and every 15 minutes after) and deliver every 5 s.
    let smtp = Smtp::start().await;
    let mut servers: Vec<Running> = ["first", "second"]
        .into_iter()
        .map(|name| {
            Running::start(
                &format!("the {name} server"),
                &url,
                &[
                    "serve",
                    "--listen",
                    "127.0.0.1:0",
                    "--smtp-url",
                    &smtp.url(),
                    "--public-url",
                    "https://tandem.test",
                ],
            )
        })
        .collect();
    let started = Instant::now();
    loop {
        let swept = rows(&store, &["reminders"]).await[0] > 0;
        if swept && unsent(&store).await.is_empty() {
            break;
        }
        for server in &mut servers {
            server.assert_running();
        }
        assert!(
            started.elapsed() < Duration::from_secs(90),
            "the outbox did not drain: {} unsent, reminders recorded: {swept}\n{}",
            unsent(&store).await.len(),
            servers
                .iter()
                .map(Running::log)
                .collect::<Vec<_>>()
                .join("\n")
        );
        tokio::time::sleep(POLL).await;
    }
    // Stopped with Ctrl-C: each finishes the sweep and the delivery it is doing first.
    let mut logs = Vec::new();
    for mut server in servers {
        let status = server.interrupt().await;
        assert!(status.success(), "{status}: {}", server.log());
        logs.push(server.finish().await);
    }
    assert!(
        unsent(&store).await.is_empty(),
        "a later sweep left emails unsent"
    );
    let received = smtp.received().await;

    assert_each_once(&received);
    let sent = count_sent(&store).await;
    let [outbox, reminders] = rows(&store, &["outbox", "reminders"]).await[..] else {
        unreachable!()
    };
    assert_eq!(received.len(), sent, "every email recorded as sent arrived");
    assert_eq!(i64::try_from(sent).unwrap(), outbox);
    let reminder_emails = received
        .keys()
        .filter(|id| id.starts_with("reminder."))
        .count();
    assert!(reminder_emails > 0, "{received:?}");
    // What each server says it did adds up to what happened once.
    let swept: Vec<usize> = logs
        .iter()
        .map(|log| logged_total(log, "reminders swept", "reminders"))
        .collect();
    let delivered: Vec<usize> = logs
        .iter()
        .map(|log| logged_total(log, "outbox delivered", "sent"))
        .collect();
    assert_eq!(
        swept.iter().sum::<usize>(),
        usize::try_from(reminders).unwrap(),
        "reminders each server recorded, against the reminders table\n{}",
        logs.join("\n")
    );
    assert_eq!(delivered.iter().sum::<usize>(), sent);
    eprintln!(
        "{reminders} reminders recorded (by server: {swept:?}); {sent} emails, {reminder_emails} of them reminders, delivered (by server: {delivered:?})"
    );
}

/// Reminders recorded, and reminder emails in the outbox.
async fn reminder_state(store: &Store) -> (i64, usize) {
    // The two counts are two reads; on PostgreSQL the killed sweep's COMMIT may land between
    // them. It lands once, so two readings alike in a row are the state either side of it.
    let read = || async {
        let recorded = rows(store, &["reminders"]).await[0];
        let emails = unsent(store)
            .await
            .iter()
            .filter(|it| it.key.starts_with("reminder."))
            .count();
        (recorded, emails)
    };
    let mut last = read().await;
    loop {
        let now = read().await;
        if now == last {
            return now;
        }
        last = now;
    }
}

/// Each reminder recorded as (relationship, key), and each reminder email's (relationship, key)
/// (its outbox key is `reminder.<relationship>.<key>.<person>`).
async fn reminders_and_emails(
    store: &Store,
    at: time::OffsetDateTime,
) -> (BTreeSet<(String, String)>, BTreeSet<(String, String)>) {
    let mut tx = store.begin_read().await.unwrap();
    let mut recorded = BTreeSet::new();
    for row in tx
        .live_relationships_after(None, None, None, at, 10_000)
        .await
        .unwrap()
    {
        for (key, _, _) in tx.reminders_of(row.pair.id).await.unwrap() {
            recorded.insert((row.pair.id.0.to_string(), key));
        }
    }
    tx.rollback().await.unwrap();
    let emailed = unsent(store)
        .await
        .into_iter()
        .filter_map(|it| {
            let rest = it.key.strip_prefix("reminder.")?;
            let (pair, rest) = rest.split_at(36);
            let (key, _person) = rest.strip_prefix('.')?.rsplit_once('.')?;
            Some((pair.to_owned(), key.to_owned()))
        })
        .collect();
    (recorded, emailed)
}

#[tokio::test]
async fn a_sweep_killed_part_way_and_run_again_sends_each_reminder_once() {
    on_each_database(|store, url| async move {
        tandem_ok(&url, &["demo", "--seed-only"]).await;
        // Months after the demo's day its relationships are due reminders (their emails wait in
        // the outbox until that moment, so they are counted there).
        let at = tandem_core::SystemClock.now() + time::Duration::days(270);
        let at_text = at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        // `kill -9` at later and later moments of a run (start-up, reading, the page's one
        // transaction, digests, exit) until a run finishes before it is killed.
        let mut after_kills = Vec::new();
        let mut delay = Duration::ZERO;
        let finished = loop {
            let mut sweep = Running::start("the sweep", &url, &["sweep", "--at", &at_text]);
            tokio::time::sleep(delay).await;
            let status = sweep.kill().await;
            if status.success() {
                break sweep.finish().await;
            }
            assert_eq!(status.signal(), Some(9), "{status}: {}", sweep.log());
            after_kills.push(reminder_state(&store).await);
            delay += Duration::from_millis(1);
            assert!(delay < Duration::from_secs(30), "the sweep never finished");
        };
        let (recorded, emails) = reminder_state(&store).await;
        assert!(
            recorded > 0 && emails > 0,
            "{recorded} reminders recorded, {emails} reminder emails written (after each kill: \
             {after_kills:?})\n{finished}"
        );
        // A killed run wrote all of its page (the reminders with their emails) or nothing. (On
        // PostgreSQL a transaction whose COMMIT was sent before the kill may land a moment
        // later, so the run that finishes may find it all done.)
        for state in &after_kills {
            assert!(
                *state == (0, 0) || *state == (recorded, emails),
                "a killed sweep left {state:?} of ({recorded}, {emails}): {after_kills:?}"
            );
        }
        // Every reminder recorded was emailed and every reminder email was recorded (in the
        // demo each reminder has someone serving to tell), and nothing is left to send.
        let (by_record, by_email) = reminders_and_emails(&store, at).await;
        assert_eq!(by_record.len(), usize::try_from(recorded).unwrap());
        assert_eq!(by_record, by_email);
        let again = tandem_ok(&url, &["sweep", "--at", &at_text]).await;
        assert!(
            again.starts_with("swept ")
                && again
                    .lines()
                    .next()
                    .unwrap()
                    .ends_with(": 0 reminders sent"),
            "{again}"
        );
        assert_eq!(reminder_state(&store).await, (recorded, emails));
        eprintln!(
            "{} kills: {} before the page was written, {} after; the run that finished: {}",
            after_kills.len(),
            after_kills.iter().filter(|it| it.0 == 0).count(),
            after_kills.iter().filter(|it| it.0 > 0).count(),
            finished
                .lines()
                .find(|line| line.starts_with("swept "))
                .unwrap_or_default()
        );
    })
    .await;
}
