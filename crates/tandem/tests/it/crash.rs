//! Crash safety as an operator meets it: `tandem` killed with SIGKILL at moment after moment of
//! an HR import and of a bulk confirmation of proposed pairs, then run again. Each kill leaves
//! all of the operation or none of it, never a part; the database stays sound (SQLite's
//! `PRAGMA integrity_check` after every kill; on PostgreSQL every row reads back); and the
//! server starts and serves afterwards.
#![allow(clippy::print_stderr, reason = "each run says where its kills landed")]

use crate::demo;
use crate::http::{self, Browser};
use crate::process::{Running, tandem_ok};
use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt as _;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tandem_app::App;
use tandem_app::people::{ImportRequest, ImportStage};
use tandem_app::workforce::{WorkforceSpec, generate};
use tandem_core::Clock as _;
use tandem_core::PersonRecord;
use tandem_core::domain::{FreeText, OrgCode};
use tandem_core::hr::{ImportOptions, write_file};
use tandem_store::testing::on_each_database;
use tandem_store::{Backend, Store};

/// Each table's rows: how many, and a digest of them.
type State = BTreeMap<String, (i64, u64)>;

/// The rows of every table but `skip`, once they stop moving: on PostgreSQL a killed client's
/// transaction whose COMMIT was already sent can still land a moment after the kill.
async fn settled(store: &Store, skip: &[&str]) -> State {
    let read = || async {
        let mut tx = store.begin_read().await.unwrap();
        let state = tx.fingerprint(skip).await.unwrap();
        tx.rollback().await.unwrap();
        state
    };
    let mut last = read().await;
    if store.backend() == Backend::Sqlite {
        return last;
    }
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let now = read().await;
        if now == last {
            return now;
        }
        last = now;
    }
}

/// SQLite's own check of the file finds nothing wrong. (PostgreSQL has none to ask; there the
/// rows reading back through the store, as `settled` reads them, is the check.)
async fn assert_sound(store: &Store) {
    if store.backend() == Backend::Sqlite {
        let problems = store.integrity_problems().await.unwrap();
        assert!(problems.is_empty(), "PRAGMA integrity_check: {problems:?}");
    }
}

/// The tables that differ between two states.
fn changed(before: &State, after: &State) -> Vec<String> {
    after
        .iter()
        .filter(|(table, rows)| before.get(*table) != Some(*rows))
        .map(|(table, (count, _))| format!("{table} ({count} rows)"))
        .collect()
}

/// People in the force the first file brings, every one of whom the second file moves.
const FORCE: usize = 2_000;
/// People of a second force, new in the second file.
const NEWCOMERS: usize = 1_000;

fn workforce(code: &str, people: usize, seed: u64) -> Vec<PersonRecord> {
    let spec = WorkforceSpec {
        organisation: OrgCode::parse(code).unwrap(),
        people,
        email_domain: format!("{code}.police.uk"),
        first_staff_number: 100_000,
        divisions: Vec::new(),
        locations: (1..=40).map(|n| format!("Station {n}")).collect(),
        national_body: false,
        today: tandem_core::SystemClock.now().date(),
    };
    generate(&spec, seed).people
}

#[tokio::test]
async fn an_import_killed_at_any_moment_leaves_all_of_it_or_none() {
    on_each_database(|store, url| async move {
        let test = Instant::now();
        let dir = tempfile::tempdir().unwrap();
        let force = workforce("force-a", FORCE, 1);
        let first = dir.path().join("first.csv");
        std::fs::write(&first, write_file(&force)).unwrap();
        // Everyone moves to headquarters (an update each) and a second force arrives (an
        // organisation and a thousand people created): thousands of rows in one transaction.
        let moved: Vec<PersonRecord> = force
            .into_iter()
            .map(|mut person| {
                person.location = FreeText::parse_optional("Headquarters").unwrap();
                person
            })
            .collect();
        let second_file = write_file(moved.iter().chain(&workforce("force-b", NEWCOMERS, 2)));
        let second = dir.path().join("second.csv");
        std::fs::write(&second, &second_file).unwrap();
        let first = first.to_str().unwrap();
        let second = second.to_str().unwrap();
        tandem_ok(&url, &["import", "people", first, "--create-organisations"]).await;
        let before = settled(&store, &[]).await;

        // A dry run does what the import does before it writes (read, check, plan), so its
        // length says when the writing starts: one kill while checking, then kills from a
        // little before the writing, a sixth of that length apart and further apart as they go
        // (writing takes longer on PostgreSQL), until a run is not killed.
        let args = ["import", "people", second, "--create-organisations"];
        let started = Instant::now();
        let dry_run = tandem_ok(&url, &[&args[..], &["--dry-run"]].concat()).await;
        let checking = started.elapsed();
        assert!(dry_run.contains("created"), "{dry_run}");
        assert_eq!(
            settled(&store, &[]).await,
            before,
            "a dry run writes nothing"
        );
        let mut left_nothing = Vec::new();
        let mut killed_after_commit = None;
        let mut delay = checking / 3;
        let mut step = checking / 6;
        for kill in 0.. {
            let mut import = Running::start("the import", &url, &args);
            tokio::time::sleep(delay).await;
            let status = import.kill().await;
            let log = import.finish().await;
            if status.success() {
                break;
            }
            assert_eq!(
                status.signal(),
                Some(9),
                "the import failed ({status}):\n{log}"
            );
            assert_sound(&store).await;
            let after = settled(&store, &[]).await;
            if after == before {
                left_nothing.push(delay);
            } else {
                killed_after_commit = Some(delay);
                break;
            }
            assert!(
                kill < 40,
                "the import never finished: killed at {left_nothing:.1?}"
            );
            if kill == 0 {
                delay = checking * 7 / 10;
            } else {
                delay += step;
                step = step * 6 / 5;
            }
        }
        assert!(
            left_nothing.len() >= 3,
            "too few kills before the import finished to say anything: {left_nothing:?}"
        );

        // Whatever ended the loop, all of the file is there: it reads back as held (a dry run
        // finds nothing to change) and every change has its audit entry.
        let app = App::new(store.clone(), Arc::new(tandem_core::SystemClock));
        let request = ImportRequest {
            bytes: &second_file,
            options: ImportOptions {
                full_extract: false,
                create_organisations: true,
            },
            dry_run: true,
            source: "second.csv",
        };
        let report =
            tandem_app::people::import(&app, &demo::operator(), request, &|_: ImportStage| {})
                .await
                .unwrap();
        let after = settled(&store, &[]).await;
        assert_eq!(
            (report.created, report.updated, report.unchanged),
            (0, 0, FORCE + NEWCOMERS),
            "the second file is all there (changed: {:?})",
            changed(&before, &after)
        );
        let grew = |table: &str| after[table].0 - before[table].0;
        assert_eq!(
            (grew("organisations"), grew("people")),
            (1, i64::try_from(NEWCOMERS).unwrap())
        );
        assert!(
            grew("audit_log") > i64::try_from(FORCE + NEWCOMERS).unwrap(),
            "an audit entry for each change: {} more",
            grew("audit_log")
        );
        assert_sound(&store).await;

        // The server starts on what the kills left, and serves.
        let (mut server, address) = Running::serve("the server", &url, &[]).await;
        let health = http::get(address, "/healthz").await;
        assert_eq!((health.status, health.body.trim()), (200, "ok"));
        assert_eq!(http::get(address, "/").await.status, 200);
        server.kill().await;
        eprintln!(
            "{:?} in {:.1?}: checked in {checking:.1?}; {} kills left nothing (at \
             {left_nothing:.1?}), then {}",
            store.backend(),
            test.elapsed(),
            left_nothing.len(),
            killed_after_commit.map_or_else(
                || "a run finished".to_owned(),
                |delay| format!("a kill at {delay:.1?} came after the commit")
            )
        );
    })
    .await;
}

/// Tables a request changes whatever it does: the session's last use.
const SESSIONS: &[&str] = &["sessions"];

const CONFIRM_ALL: &str = "/schemes/mentoring/matching/confirm-all";

#[tokio::test]
async fn a_bulk_confirmation_killed_at_any_moment_leaves_all_of_it_or_none() {
    on_each_database(|store, url| async move {
        let test = Instant::now();
        let (app, coordinator) = demo::seeded(&store).await;
        let board = demo::board(&app).await;
        let proposed = board.proposed.len();
        assert!(
            proposed >= 10,
            "the demo leaves pairs to confirm: {proposed}"
        );
        let applications: Vec<_> = board
            .proposed
            .iter()
            .flat_map(|it| [it.pair.mentor_application, it.pair.mentee_application])
            .collect();
        demo::accept_ethics(&app, &applications).await;

        // The coordinator signs in once: the session outlives every server killed under it. The
        // first server's start-up sweep sends what the demo has due, so later ones find nothing.
        let (mut server, address) = Running::serve("the first server", &url, &[]).await;
        let mut browser = Browser::default();
        browser
            .sign_in(address, &coordinator.email, demo::PASSWORD)
            .await;
        assert_eq!(
            browser
                .get(address, "/schemes/mentoring/matching")
                .await
                .status,
            200
        );
        let started = Instant::now();
        while !server.log().contains("reminders swept") {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{}",
                server.log()
            );
            tokio::time::sleep(crate::process::POLL).await;
        }
        server.kill().await;
        let before = settled(&store, SESSIONS).await;

        // Kill the server later and later after the coordinator presses "confirm all", from
        // before the request is read to after it is answered.
        let mut left_nothing = Vec::new();
        let mut delay = Duration::ZERO;
        let answered = loop {
            let (mut server, address) = Running::serve("a server", &url, &[]).await;
            let mut pressing = browser.clone();
            let press = tokio::spawn(async move {
                // As from the check page that asks first.
                pressing
                    .try_post(address, CONFIRM_ALL, &[("confirmed", "yes")])
                    .await
            });
            tokio::time::sleep(delay).await;
            let status = server.kill().await;
            assert_eq!(status.signal(), Some(9), "{status}: {}", server.log());
            let reply = press.await.unwrap();
            assert_sound(&store).await;
            let after = settled(&store, SESSIONS).await;
            match reply {
                Some(reply) => break Some(reply),
                None if after == before => left_nothing.push(delay),
                None => break None,
            }
            delay += Duration::from_millis(4) + delay / 5;
            assert!(
                delay < Duration::from_secs(30),
                "the confirmation never finished: {left_nothing:?}"
            );
        };
        assert!(
            left_nothing.len() >= 3,
            "too few kills before the confirmation finished to say anything: {left_nothing:?}"
        );
        let after = settled(&store, SESSIONS).await;
        assert_ne!(
            after, before,
            "the confirmation, answered or not, took effect"
        );
        let still_proposed = demo::board(&app).await.proposed.len();
        let confirmed = proposed - still_proposed;
        if let Some(reply) = &answered {
            assert_eq!(
                (reply.status, reply.location()),
                (303, "/schemes/mentoring/matching"),
                "{}",
                reply.body
            );
            // The notice names the service's message for confirming all, with the count.
            assert!(
                reply
                    .notice()
                    .starts_with(&format!("confirmed_all.{confirmed}.")),
                "{}",
                reply.notice()
            );
        }

        // A server starts on what the kills left and serves the same session, and all of the
        // confirmation is there: pressing "confirm all" again is refused, nothing being left.
        let (mut server, address) = Running::serve("the last server", &url, &[]).await;
        let health = http::get(address, "/healthz").await;
        assert_eq!((health.status, health.body.trim()), (200, "ok"));
        let again = browser
            .post(address, CONFIRM_ALL, &[("confirmed", "yes")])
            .await;
        server.kill().await;
        assert!(
            again.status == 409 && again.body.contains("There is no proposal to confirm"),
            "a killed confirmation left part of its pairs for later ({confirmed} of {proposed} \
             confirmed by it): {}",
            again.status
        );
        assert_eq!(
            confirmed, proposed,
            "every pair was ready to be confirmed ({still_proposed} left)"
        );
        eprintln!(
            "{:?} in {:.1?}: {confirmed} pairs; {} kills left nothing (at {left_nothing:.1?}), \
             then {}",
            store.backend(),
            test.elapsed(),
            left_nothing.len(),
            if answered.is_some() {
                "a request was answered"
            } else {
                "a kill came after the commit"
            }
        );
    })
    .await;
}
