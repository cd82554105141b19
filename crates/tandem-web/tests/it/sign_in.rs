//! Signing in and out: sessions in the database, cookie flags, lockout, CSRF and the demo list.

use crate::{Browser, app, on_each_demo};
use axum::http::{StatusCode, header};
use std::sync::Arc;
use tandem_app::{App, accounts, demo};
use tandem_core::FixedClock;
use tandem_core::audit::AuditAction;
use tandem_core::authz::Actor;
use tandem_core::domain::{Email, NewPassword};
use tandem_web::{DemoSignIns, WebConfig};
use time::macros::datetime;

pub(crate) async fn seeded(store: tandem_store::Store) -> (App, Vec<demo::DemoAccount>) {
    let app = app(store);
    let summary = crate::demo_summary(&app).await;
    (app, summary.accounts)
}

fn email_of<'a>(accounts: &'a [demo::DemoAccount], role_prefix: &str) -> &'a str {
    &accounts
        .iter()
        .find(|account| account.role.starts_with(role_prefix))
        .unwrap()
        .email
}

#[tokio::test]
async fn a_page_that_needs_sign_in_sends_you_there_and_back() {
    on_each_demo(|store| async move {
        let (app, accounts) = seeded(store).await;
        let mut browser = Browser::new(&app, WebConfig::default());
        let reply = browser.get("/account").await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        assert_eq!(reply.location(), "/sign-in?next=/account");

        let email = email_of(&accounts, "coordinator (police-scotland)");
        let reply = browser
            .post(
                "/sign-in",
                &[
                    ("email", email),
                    ("password", demo::DEMO_PASSWORD),
                    ("next", "/account"),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        assert_eq!(reply.location(), "/account");
        let cookie = reply
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            cookie.starts_with("tandem_session=")
                && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );

        let page = browser.get("/account").await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Programme coordinator"), "{}", page.body);
        assert!(page.body.contains(email));
        assert!(page.body.contains("Police Scotland"));
        assert!(page.body.contains("Sign out"));
    })
    .await;
}

#[tokio::test]
async fn signing_in_only_returns_to_an_address_on_this_site() {
    on_each_demo(|store| async move {
        let (app, accounts) = seeded(store).await;
        let email = email_of(&accounts, "coordinator (police-scotland)");
        // As the form sends them: a tab or line break a browser drops, a backslash it reads as a
        // slash, another scheme; and a good address, which is kept.
        let posted = [
            ("/\t/evil.example", "/"),
            ("/\n/evil.example", "/"),
            ("/\r\n/evil.example", "/"),
            ("/\\evil.example", "/"),
            ("javascript:alert(1)", "/"),
            ("/people?q=hill#results", "/people?q=hill#results"),
        ];
        for (next, want) in posted {
            // A browser each: the sign-in rate limit is per address.
            let mut browser = Browser::new(&app, WebConfig::default());
            let reply = browser
                .post(
                    "/sign-in",
                    &[
                        ("email", email),
                        ("password", demo::DEMO_PASSWORD),
                        ("next", next),
                    ],
                )
                .await;
            assert_eq!(
                reply.status,
                StatusCode::SEE_OTHER,
                "{next:?}: {}",
                reply.body
            );
            assert_eq!(reply.location(), want, "{next:?}");
        }

        // Already signed in, the sign-in page sends the visitor straight on.
        let mut browser = Browser::new(&app, WebConfig::default());
        browser
            .post(
                "/sign-in",
                &[("email", email), ("password", demo::DEMO_PASSWORD)],
            )
            .await;
        let queried = [
            ("/%09/evil.example", "/"),
            ("/%0A/evil.example", "/"),
            ("/%0D/evil.example", "/"),
            ("%09//evil.example", "/"),
            ("%5C%5Cevil.example", "/"),
            ("//evil.example", "/"),
            ("/%5Cevil.example", "/"),
            ("%5C/evil.example", "/"),
            ("%252f%252fevil.example", "/"),
            ("/%252f/evil.example", "/"),
            ("https://evil.example", "/"),
            ("javascript:alert(1)", "/"),
            ("%EF%BC%8F%EF%BC%8Fevil.example", "/"),
            ("/%00/x", "/%00/x"),
            ("/account%0Aevil", "/accountevil"),
            (
                "/people%3Fq%3Dhill%26page%3D2%23top",
                "/people?q=hill&page=2#top",
            ),
        ];
        for (next, want) in queried {
            let reply = browser.get(&format!("/sign-in?next={next}")).await;
            assert_eq!(
                reply.status,
                StatusCode::SEE_OTHER,
                "{next}: {}",
                reply.body
            );
            assert_eq!(reply.location(), want, "{next}");
        }
    })
    .await;
}

#[tokio::test]
async fn a_wrong_password_keeps_the_email_and_says_what_is_wrong() {
    on_each_demo(|store| async move {
        let (app, accounts) = seeded(store).await;
        let mut browser = Browser::new(&app, WebConfig::default());
        let email = email_of(&accounts, "participant");
        let reply = browser
            .post(
                "/sign-in",
                &[("email", email), ("password", "not the password")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("There is a problem"));
        assert!(
            reply
                .body
                .contains("<a href=\"#email\">The email address or password is not right</a>"),
            "{}",
            reply.body
        );
        assert!(reply.body.contains(&format!("value=\"{email}\"")));
        assert!(reply.body.contains("<title>Error: Sign in"));

        let unknown = browser
            .post(
                "/sign-in",
                &[
                    ("email", "nobody@example.police.uk"),
                    ("password", "whatever at all"),
                ],
            )
            .await;
        assert!(
            unknown
                .body
                .contains("The email address or password is not right"),
            "an unknown email is not revealed"
        );

        let empty = browser
            .post("/sign-in", &[("email", ""), ("password", "")])
            .await;
        assert!(
            empty
                .body
                .contains("<a href=\"#email\">Enter your email address</a>")
        );
        assert!(
            empty
                .body
                .contains("<a href=\"#password\">Enter your password</a>")
        );
    })
    .await;
}

#[tokio::test]
async fn five_failures_lock_the_account_for_fifteen_minutes() {
    on_each_demo(|store| async move {
        let clock = Arc::new(FixedClock::at(datetime!(2026-11-23 09:00 UTC)));
        let app = App::new(store, clock.clone());
        let summary = crate::demo_summary(&app).await;
        let email = email_of(&summary.accounts, "participant").to_owned();
        let mut browser = Browser::new(&app, WebConfig::default());
        for _ in 0..4 {
            let reply = browser
                .post(
                    "/sign-in",
                    &[("email", &email), ("password", "guess guess guess")],
                )
                .await;
            assert!(
                reply
                    .body
                    .contains("The email address or password is not right")
            );
        }
        let fifth = browser
            .post(
                "/sign-in",
                &[("email", &email), ("password", "guess guess guess")],
            )
            .await;
        assert!(
            fifth.body.contains(
                "This account is locked after 5 failed sign-ins; try again after 09:15 UTC"
            ),
            "{}",
            fifth.body
        );
        let right_but_locked = browser
            .post(
                "/sign-in",
                &[("email", &email), ("password", demo::DEMO_PASSWORD)],
            )
            .await;
        assert_eq!(right_but_locked.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(right_but_locked.body.contains("is locked"));

        clock.advance(time::Duration::minutes(16));
        let later = browser
            .post(
                "/sign-in",
                &[("email", &email), ("password", demo::DEMO_PASSWORD)],
            )
            .await;
        assert_eq!(later.status, StatusCode::SEE_OTHER, "{}", later.body);
        let mut tx = app.store.begin_read().await.unwrap();
        assert_eq!(tx.count_audit(AuditAction::AccountLocked).await.unwrap(), 1);
        assert_eq!(
            tx.count_audit(AuditAction::AccountSignedIn).await.unwrap(),
            1
        );
    })
    .await;
}

#[tokio::test]
async fn a_session_survives_a_restart_and_ends_at_sign_out() {
    on_each_demo(|store| async move {
        let (app, accounts) = seeded(store).await;
        let email = email_of(&accounts, "organisation_admin (cleveland)");
        let mut browser = Browser::new(&app, WebConfig::default());
        browser
            .post(
                "/sign-in",
                &[("email", email), ("password", demo::DEMO_PASSWORD)],
            )
            .await;

        // A second app server (or a restart) with nothing in memory still knows the session.
        let cookies = browser.cookies.clone();
        let mut other_server = Browser::new(&app, WebConfig::default());
        other_server.cookies = cookies.clone();
        assert_eq!(other_server.get("/account").await.status, StatusCode::OK);

        let reply = browser.post("/sign-out", &[]).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        assert_eq!(browser.get("/account").await.status, StatusCode::SEE_OTHER);
        let mut replay = Browser::new(&app, WebConfig::default());
        replay.cookies = cookies;
        assert_eq!(
            replay.get("/account").await.status,
            StatusCode::SEE_OTHER,
            "the old cookie no longer works"
        );
    })
    .await;
}

#[tokio::test]
async fn forms_without_the_token_or_from_another_site_are_refused() {
    on_each_demo(|store| async move {
        let (app, accounts) = seeded(store).await;
        let email = email_of(&accounts, "participant");
        let mut browser = Browser::new(&app, WebConfig::default());
        browser.get("/sign-in").await;
        let missing = browser
            .post_raw(
                "/sign-in",
                &[("email", email), ("password", demo::DEMO_PASSWORD)],
                None,
            )
            .await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN);
        let wrong = browser
            .post_raw(
                "/sign-in",
                &[
                    ("csrf", &"0".repeat(64)),
                    ("email", email),
                    ("password", demo::DEMO_PASSWORD),
                ],
                None,
            )
            .await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN);
        let csrf = browser.csrf();
        let elsewhere = browser
            .post_raw(
                "/sign-in",
                &[
                    ("csrf", &csrf),
                    ("email", email),
                    ("password", demo::DEMO_PASSWORD),
                ],
                Some("https://evil.example"),
            )
            .await;
        assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
        let same_site = browser
            .post_raw(
                "/sign-in",
                &[
                    ("csrf", &csrf),
                    ("email", email),
                    ("password", demo::DEMO_PASSWORD),
                ],
                Some("http://tandem.test"),
            )
            .await;
        assert_eq!(same_site.status, StatusCode::SEE_OTHER);
    })
    .await;
}

/// Signs in as the account whose role starts with `role`, as a person does: the sign-in page,
/// then its form.
async fn signed_in_as(app: &App, accounts: &[demo::DemoAccount], role: &str) -> Browser {
    let mut browser = Browser::new(app, WebConfig::default());
    let reply = browser
        .post(
            "/sign-in",
            &[
                ("email", email_of(accounts, role)),
                ("password", demo::DEMO_PASSWORD),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    browser.get("/account").await;
    browser
}

#[tokio::test]
async fn a_form_token_works_only_in_the_session_it_was_given_to() {
    on_each_demo(|store| async move {
        let (app, accounts) = seeded(store).await;
        let mut ann = signed_in_as(&app, &accounts, "organisation_admin (cleveland)").await;
        let mut bo = signed_in_as(&app, &accounts, "participant").await;
        assert_ne!(ann.csrf(), bo.csrf());

        let anns_token = ann.csrf();
        let refused = bo
            .post_raw("/sign-out", &[("csrf", &anns_token)], None)
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert_eq!(
            bo.get("/account").await.status,
            StatusCode::OK,
            "Bo is still signed in"
        );

        // A token planted in a cookie, with the same in the form (what a site that can set
        // cookies for this domain could do), does not stand in for the session's.
        bo.cookies.insert("tandem_csrf".to_owned(), "f".repeat(64));
        let planted = bo
            .post_raw("/sign-out", &[("csrf", &"f".repeat(64))], None)
            .await;
        assert_eq!(planted.status, StatusCode::FORBIDDEN, "{}", planted.body);

        let own = ann
            .post_raw("/sign-out", &[("csrf", &anns_token)], None)
            .await;
        assert_eq!(own.status, StatusCode::SEE_OTHER, "{}", own.body);
    })
    .await;
}

#[tokio::test]
async fn signing_in_gives_a_new_form_token_and_the_old_one_is_refused() {
    on_each_demo(|store| async move {
        let (app, accounts) = seeded(store).await;
        let mut browser = Browser::new(&app, WebConfig::default());
        browser.get("/sign-in").await;
        let before = browser.csrf();
        assert_eq!(before.len(), 64);
        let reply = browser
            .post(
                "/sign-in",
                &[
                    ("email", email_of(&accounts, "participant")),
                    ("password", demo::DEMO_PASSWORD),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
        browser.get("/account").await;
        let after = browser.csrf();
        assert_eq!(after.len(), 64);
        assert_ne!(before, after);

        let stale = browser
            .post_raw("/sign-out", &[("csrf", &before)], None)
            .await;
        assert_eq!(stale.status, StatusCode::FORBIDDEN, "{}", stale.body);

        // Signing in again (a new session) changes it again.
        let second = signed_in_as(&app, &accounts, "participant").await;
        assert_ne!(second.csrf(), after);
    })
    .await;
}

#[tokio::test]
async fn secure_sites_get_secure_prefixed_cookies() {
    on_each_demo(|store| async move {
        let (app, accounts) = seeded(store).await;
        let mut browser = Browser::new(
            &app,
            WebConfig {
                secure_cookies: true,
                ..WebConfig::default()
            },
        );
        let reply = browser
            .post(
                "/sign-in",
                &[
                    ("email", email_of(&accounts, "participant")),
                    ("password", demo::DEMO_PASSWORD),
                ],
            )
            .await;
        let cookie = reply
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap();
        assert!(
            cookie.starts_with("__Host-tandem_session=") && cookie.contains("; Secure"),
            "{cookie}"
        );
        assert_eq!(browser.get("/account").await.status, StatusCode::OK);
    })
    .await;
}

#[tokio::test]
async fn leavers_cannot_sign_in_and_a_new_password_ends_old_sessions() {
    on_each_demo(|store| async move {
        let (app, accounts) = seeded(store).await;
        let mut tx = app.store.begin_read().await.unwrap();
        let leaver = tx
            .all_people()
            .await
            .unwrap()
            .into_iter()
            .find(|person| person.record.employment_status.as_str() == "leaver")
            .unwrap();
        drop(tx);
        let mut browser = Browser::new(&app, WebConfig::default());
        let reply = browser
            .post(
                "/sign-in",
                &[
                    ("email", leaver.record.email.as_ref()),
                    ("password", demo::DEMO_PASSWORD),
                ],
            )
            .await;
        assert!(
            reply.body.contains("This account is not active"),
            "{}",
            reply.body
        );

        let email = email_of(&accounts, "participant");
        browser
            .post(
                "/sign-in",
                &[("email", email), ("password", demo::DEMO_PASSWORD)],
            )
            .await;
        assert_eq!(browser.get("/account").await.status, StatusCode::OK);
        let new_password = NewPassword::parse("a much longer passphrase").unwrap();
        accounts::set_password(
            &app,
            &Actor::Operator {
                name: "test".to_owned(),
            },
            &Email::parse(email).unwrap(),
            &new_password,
        )
        .await
        .unwrap();
        assert_eq!(
            browser.get("/account").await.status,
            StatusCode::SEE_OTHER,
            "sessions end when the password changes"
        );
        let old = browser
            .post(
                "/sign-in",
                &[("email", email), ("password", demo::DEMO_PASSWORD)],
            )
            .await;
        assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
        let new = browser
            .post(
                "/sign-in",
                &[("email", email), ("password", "a much longer passphrase")],
            )
            .await;
        assert_eq!(new.status, StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn the_demo_sign_in_page_groups_its_accounts_by_journey_in_words() {
    on_each_demo(|store| async move {
        let (app, accounts) = seeded(store).await;
        let config = WebConfig {
            secure_cookies: false,
            public_url: None,
            demo: Some(DemoSignIns {
                password: demo::DEMO_PASSWORD.to_owned(),
                accounts: accounts.clone(),
            }),
        };
        let mut browser = Browser::new(&app, config);
        let page = browser.get("/sign-in").await;
        assert!(page.body.contains(demo::DEMO_PASSWORD));
        for journey in demo::Journey::ALL {
            assert!(
                page.body.contains(journey.heading()),
                "the demo list lacks the journey {}",
                journey.heading()
            );
        }
        let position = |text: &str| {
            page.body
                .find(text)
                .unwrap_or_else(|| panic!("the demo list lacks {text}"))
        };
        // Each account under its journey's heading, with who it is in words and what it shows.
        assert!(position("Applying to a scheme") < position("Line manager, Police Scotland"));
        assert!(
            position("Being matched and mentoring")
                < position("Mentor in an active relationship, Police Scotland")
        );
        assert!(position("Running a scheme") < position("Programme coordinator, Cleveland Police"));
        assert!(
            position("Administering the organisation")
                < position("Organisation administrator, Cleveland Police")
        );
        assert!(
            page.body
                .contains("Sessions, goals, actions and reviews, kept between the pair.")
        );
        // What a person reads is words; the rows keep the accounts' keys only for tools.
        let cells: Vec<&str> = page
            .body
            .split("<td>")
            .skip(1)
            .filter_map(|cell| cell.split("</td>").next())
            .collect();
        assert!(cells.len() > 20, "{cells:?}");
        for code in [
            "national_admin",
            "organisation_admin",
            "(police-scotland)",
            "(cleveland)",
        ] {
            assert!(
                cells.iter().all(|cell| !cell.contains(code)),
                "the demo list shows the code {code}"
            );
        }
        let plain = Browser::new(&app, WebConfig::default())
            .get("/sign-in")
            .await;
        assert!(
            !plain.body.contains(demo::DEMO_PASSWORD),
            "only the demo shows its password"
        );
    })
    .await;
}

#[tokio::test]
async fn a_forgotten_password_gets_the_same_answer_whoever_asks_and_a_link_resets_it() {
    on_each_demo(|store| async move {
        let (app, accounts) = seeded(store).await;
        let email = email_of(&accounts, "participant");
        let mut browser = Browser::new(
            &app,
            WebConfig {
                public_url: Some("https://tandem.test".to_owned()),
                ..WebConfig::default()
            },
        );
        assert!(
            browser
                .get("/sign-in")
                .await
                .body
                .contains("href=\"/forgot-password\"")
        );
        let known = browser.post("/forgot-password", &[("email", email)]).await;
        let unknown = browser
            .post("/forgot-password", &[("email", "nobody@example.police.uk")])
            .await;
        assert_eq!(known.status, StatusCode::OK);
        assert!(known.body.contains("we have sent it a link"));
        assert_eq!(
            known.body.replace(email, "X"),
            unknown.body.replace("nobody@example.police.uk", "X"),
            "the answer does not reveal who has an account"
        );

        let unsent = app
            .store
            .begin_read()
            .await
            .unwrap()
            .unsent()
            .await
            .unwrap();
        // The demo's applications wrote their own emails; only one is a reset link.
        let resets: Vec<_> = unsent
            .iter()
            .filter(|(message, _, _)| message.key.starts_with("password-reset."))
            .collect();
        assert_eq!(
            resets.len(),
            1,
            "one link for the known address, none for the unknown"
        );
        let body = &resets[0].0.body;
        let link = body
            .lines()
            .find(|line| line.starts_with("https://tandem.test/reset-password/"))
            .unwrap();
        let path = link.trim_start_matches("https://tandem.test");

        let form = browser.get(path).await;
        assert!(form.body.contains("Choose a new password"));
        let mismatch = browser
            .post(
                path,
                &[
                    ("password", "a long new passphrase"),
                    ("confirm", "something else"),
                ],
            )
            .await;
        assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            mismatch
                .body
                .contains("<a href=\"#confirm\">The two passwords are different")
        );
        let short = browser
            .post(path, &[("password", "short"), ("confirm", "short")])
            .await;
        assert!(
            short
                .body
                .contains("<a href=\"#password\">The password is too short")
        );
        let done = browser
            .post(
                path,
                &[
                    ("password", "a long new passphrase"),
                    ("confirm", "a long new passphrase"),
                ],
            )
            .await;
        assert_eq!(done.location(), "/sign-in?reset=1");
        assert!(
            browser
                .get("/sign-in?reset=1")
                .await
                .body
                .contains("Your new password is saved")
        );
        assert!(
            browser
                .get(path)
                .await
                .body
                .contains("This link has expired"),
            "a link works once"
        );
        let signed_in = browser
            .post(
                "/sign-in",
                &[("email", email), ("password", "a long new passphrase")],
            )
            .await;
        assert_eq!(signed_in.status, StatusCode::SEE_OTHER);
    })
    .await;
}

#[tokio::test]
async fn a_person_changes_their_password_and_is_signed_out_everywhere_else() {
    on_each_demo(|store| async move {
        let (app, accounts) = seeded(store).await;
        let email = email_of(&accounts, "participant (police-scotland)").to_owned();
        let sign_in = |password: &'static str| {
            let app = app.clone();
            let email = email.clone();
            async move {
                let mut browser = Browser::new(&app, WebConfig::default());
                let reply = browser
                    .post("/sign-in", &[("email", &email), ("password", password)])
                    .await;
                (browser, reply)
            }
        };
        let (mut here, _) = sign_in(demo::DEMO_PASSWORD).await;
        let (mut elsewhere, _) = sign_in(demo::DEMO_PASSWORD).await;
        let page = here.get("/account").await;
        assert!(page.body.contains("href=\"/account/password\""));

        // Every problem at once, at its field; nothing changes.
        let bad = here
            .post(
                "/account/password",
                &[
                    ("current", ""),
                    ("password", "short"),
                    ("confirm", "shorter"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        for message in [
            "Enter your current password",
            "The new password is too short: use at least 12 characters",
            "The two new passwords are different",
        ] {
            assert!(bad.body.contains(message), "{message}: {}", bad.body);
        }
        let wrong = here
            .post(
                "/account/password",
                &[
                    ("current", "not my password at all"),
                    ("password", "three random words"),
                    ("confirm", "three random words"),
                ],
            )
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.body.contains("Your current password is not right"));
        assert_eq!(elsewhere.get("/account").await.status, StatusCode::OK);

        let changed = here
            .post(
                "/account/password",
                &[
                    ("current", demo::DEMO_PASSWORD),
                    ("password", "three random words"),
                    ("confirm", "three random words"),
                ],
            )
            .await;
        assert_eq!(changed.location(), "/account", "{}", changed.body);
        let page = here.get("/account").await;
        assert_eq!(page.status, StatusCode::OK, "this browser stays signed in");
        assert!(
            page.body.contains("Your password is changed"),
            "{}",
            page.body
        );
        assert_eq!(
            elsewhere.get("/account").await.location(),
            "/sign-in?next=/account",
            "signed out everywhere else"
        );
        let (_, old) = sign_in(demo::DEMO_PASSWORD).await;
        assert_eq!(old.status, StatusCode::UNPROCESSABLE_ENTITY);
        let (_, new) = sign_in("three random words").await;
        assert_eq!(new.location(), "/");
        assert_eq!(
            app.store
                .begin_read()
                .await
                .unwrap()
                .count_audit(AuditAction::AccountPasswordChanged)
                .await
                .unwrap(),
            1
        );
    })
    .await;
}
