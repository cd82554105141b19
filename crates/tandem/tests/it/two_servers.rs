//! Two app servers on one PostgreSQL database, as a multi-server installation runs behind a
//! load balancer: a session made on one works on the other, signing out on either ends it on
//! both, and two confirmations racing for a mentor's last place on the two servers never both
//! succeed. (That the two send each email once is
//! `reliability::two_servers_on_one_postgres_database_send_each_reminder_once`.)
#![allow(
    clippy::print_stderr,
    reason = "a skipped test says so, and each run says how its races went"
)]

use crate::demo::{self, PASSWORD};
use crate::http::Browser;
use crate::process::Running;
use std::net::SocketAddr;
use tandem_app::demo::DemoAccount;
use tandem_app::matching;
use tandem_app::{App, AppError};
use tandem_core::pairing::MatchStatus;
use tandem_core::{ApplicationId, MatchId};
use tandem_store::testing::{POSTGRES_URL_VAR, TestDatabase, backends};
use tandem_store::{Backend, Store};

/// How many times two confirmations race for a last place.
const RACES: usize = 5;

#[tokio::test]
async fn two_servers_on_one_postgres_database_share_sessions_and_never_overfill_a_mentor() {
    if !backends().contains(&Backend::Postgres) {
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
    let (app, coordinator) = demo::seeded(&store).await;
    let (mut first, one) = Running::serve("the first server", &url, &[]).await;
    let (mut second, other) = Running::serve("the second server", &url, &[]).await;

    // Signed in on one server, the coordinator is signed in on the other too.
    let mut browser = Browser::default();
    browser.sign_in(one, &coordinator.email, PASSWORD).await;
    for server in [one, other] {
        assert_signed_in(&mut browser, server, &coordinator).await;
    }
    assert_eq!(
        Browser::default().get(other, "/account").await.status,
        303,
        "without the session's cookie nobody is signed in"
    );

    // Two tabs of the coordinator's board, one served by each server, confirm two pairs for
    // the same mentor's last place at the same moment.
    let board = browser.get(one, "/schemes/mentoring/matching").await;
    assert_eq!(board.status, 200, "{}", board.body);
    let mut refusals = Vec::new();
    let mut wins = [0; 2];
    for _ in 0..RACES {
        let (mentor, pairs) = last_place(&app).await;
        let (mut left, mut right) = (browser.clone(), browser.clone());
        let paths = pairs.map(|pair| format!("/matches/{pair}/confirm"));
        let (a, b) = tokio::join!(
            left.post(one, &paths[0], &[("scheme", "mentoring")]),
            right.post(other, &paths[1], &[("scheme", "mentoring")]),
        );
        let replies = [a, b];
        let statuses = statuses(&store, &pairs).await;
        let won: Vec<usize> = (0..2)
            .filter(|idx| statuses[*idx] != MatchStatus::Proposed)
            .collect();
        assert_eq!(
            won.len(),
            1,
            "one place, one confirmation: {statuses:?} {replies:?}"
        );
        let (winner, loser) = (&replies[won[0]], &replies[1 - won[0]]);
        // The notice travels as the name of one of the service's own messages.
        assert_eq!(
            (winner.status, winner.notice()),
            (303, "PairConfirmed".to_owned()),
            "{winner:?}"
        );
        assert_eq!(loser.status, 409, "{loser:?}");
        assert!(
            loser.body.contains("has no free place left"),
            "the other is refused, saying why: {}",
            loser.body
        );
        let (taken, capacity) = places(&store, mentor).await;
        assert_eq!(taken, capacity, "the mentor's places are full, never more");
        refusals.push(loser.status);
        wins[won[0]] += 1;
    }

    // Signing out on the other server ends the session on both: a copy of its cookie (another
    // tab, or someone who took it) no longer signs anyone in.
    let copy = browser.clone();
    let out = browser.post(other, "/sign-out", &[]).await;
    assert_eq!(out.status, 303, "{}", out.body);
    assert!(!browser.cookies.contains_key("tandem_session"));
    for server in [one, other] {
        let reply = copy.clone().get(server, "/account").await;
        assert_eq!(
            (reply.status, reply.location()),
            (303, "/sign-in?next=/account"),
            "{reply:?}"
        );
    }

    for server in [&mut first, &mut second] {
        server.assert_running();
        server.kill().await;
    }
    eprintln!(
        "{RACES} races for a last place, one confirmed and one refused each time (won by the \
         first server {}, the second {}), e.g. {:?}",
        wins[0],
        wins[1],
        refusals.first()
    );
}

async fn assert_signed_in(browser: &mut Browser, server: SocketAddr, account: &DemoAccount) {
    let page = browser.get(server, "/account").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains(&format!(
            "Signed in as </span><strong>{}</strong>",
            account.name
        )),
        "{}",
        page.body
    );
}

/// A mentor of the mentoring scheme with one free place left, and two new proposals for them
/// that could each be confirmed alone. Any other free places are filled first.
async fn last_place(app: &App) -> (ApplicationId, [MatchId; 2]) {
    let operator = demo::operator();
    let organisation = demo::scotland(app).await;
    let key = demo::mentoring();
    let board = demo::board(app).await;
    let mentees: Vec<ApplicationId> = board
        .waiting
        .iter()
        .map(|it| it.application.id)
        .chain(board.proposed.iter().map(|it| it.pair.mentee_application))
        .collect();
    let mut mentors = board.mentors.clone();
    mentors.sort_by_key(|(_, free)| *free);
    for (mentor, free) in mentors {
        let wanted = usize::try_from(free).unwrap() + 1;
        let mut picked = Vec::new();
        for mentee in &mentees {
            if picked.len() == wanted {
                break;
            }
            let scheme = matching::SchemeRef {
                organisation,
                key: &key,
            };
            match matching::pick(app, &operator, scheme, *mentee, mentor.application.id).await {
                Ok(view) => picked.push(view.pair),
                Err(AppError::RuleBroken(_) | AppError::Conflict(_)) => {}
                Err(other) => panic!("{other}"),
            }
        }
        if picked.len() < wanted {
            continue;
        }
        let applications: Vec<ApplicationId> = picked
            .iter()
            .flat_map(|it| [it.mentor_application, it.mentee_application])
            .collect();
        demo::accept_ethics(app, &applications).await;
        let (fill, race) = picked.split_at(wanted - 2);
        for pair in fill {
            matching::confirm(app, &operator, pair.id, "https://tandem.test")
                .await
                .unwrap();
        }
        return (mentor.application.id, [race[0].id, race[1].id]);
    }
    panic!("no mentor has two mentees left who could be matched with them")
}

async fn statuses(store: &Store, pairs: &[MatchId; 2]) -> [MatchStatus; 2] {
    let mut tx = store.begin_read().await.unwrap();
    let mut out = [MatchStatus::Proposed; 2];
    for (idx, id) in pairs.iter().enumerate() {
        out[idx] = tx.match_by_id(*id).await.unwrap().unwrap().status;
    }
    tx.rollback().await.unwrap();
    out
}

/// The mentor's places taken, and how many they offered.
async fn places(store: &Store, mentor: ApplicationId) -> (u32, u32) {
    let mut tx = store.begin_read().await.unwrap();
    let taken = tx.places_taken_by(mentor).await.unwrap();
    let application = tx.application(mentor).await.unwrap().unwrap();
    tx.rollback().await.unwrap();
    (taken, application.answers.capacity.unwrap_or(1))
}
