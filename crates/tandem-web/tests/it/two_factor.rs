//! Two-factor sign-in (R11.5) through the pages, with every code computed by an independent
//! implementation: Python's standard library (`hmac`, `hashlib`, `base64`) reading the key the
//! set-up page shows, as an authenticator app would.

use crate::sign_in::seeded;
use crate::{Browser, Reply, on_each_demo};
use axum::http::StatusCode;
use tandem_app::{App, demo};
use tandem_core::audit::AuditAction;
use tandem_core::domain::Email;
use tandem_web::WebConfig;

/// The web tests' clock (`crate::app`), in Unix seconds.
const NOW: i64 = 1_795_424_400;

/// RFC 6238's code for `key` (base 32, as the page shows it) at `seconds`, from Python.
fn python_totp(key: &str, seconds: i64) -> String {
    const SCRIPT: &str = r"
import base64, hashlib, hmac, struct, sys
key = base64.b32decode(sys.argv[1].replace(' ', '') + '=' * (-len(sys.argv[1].replace(' ', '')) % 8))
counter = struct.pack('>Q', int(sys.argv[2]) // 30)
digest = hmac.new(key, counter, hashlib.sha1).digest()
offset = digest[-1] & 15
value = struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7fffffff
print('%06d' % (value % 1000000))
";
    let output = std::process::Command::new("python3")
        .args(["-c", SCRIPT, key, &seconds.to_string()])
        .output()
        .expect("python3 runs");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

fn between<'a>(body: &'a str, start: &str, end: &str) -> Vec<&'a str> {
    body.split(start)
        .skip(1)
        .filter_map(|rest| rest.split(end).next())
        .collect()
}

/// The manual key on a set-up page.
fn manual_key(page: &Reply) -> String {
    let key = between(&page.body, "id=\"manual-key\">", "<");
    assert_eq!(key.len(), 1, "{}", page.body);
    assert!(
        page.body.contains("<svg role=\"img\" aria-label=\"QR code"),
        "the QR code is drawn on the page"
    );
    key[0].to_owned()
}

/// The recovery codes on the page that shows them once.
fn recovery_codes(page: &Reply) -> Vec<String> {
    let list = between(&page.body, "id=\"recovery-codes\">", "</ul>");
    assert_eq!(list.len(), 1, "{}", page.body);
    between(list[0], "<span class=\"reference\">", "<")
        .into_iter()
        .map(str::to_owned)
        .collect()
}

fn email_of<'a>(accounts: &'a [demo::DemoAccount], role: &str) -> &'a str {
    &accounts
        .iter()
        .find(|account| account.role == role)
        .unwrap_or_else(|| panic!("no demo account {role}: {accounts:?}"))
        .email
}

async fn signed_in(app: &App, email: &str) -> Browser {
    let mut browser = Browser::new(app, WebConfig::default());
    let reply = browser
        .post(
            "/sign-in",
            &[("email", email), ("password", demo::DEMO_PASSWORD)],
        )
        .await;
    assert_eq!(reply.location(), "/", "{}", reply.body);
    browser
}

/// Signs in with the password only: the reply sends the visitor to the code page.
async fn password_step(app: &App, email: &str) -> (Browser, Reply) {
    let mut browser = Browser::new(app, WebConfig::default());
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
    (browser, reply)
}

fn signed_in_cookie(browser: &Browser) -> bool {
    browser.cookies.keys().any(|name| name == "tandem_session")
}

async fn audited(app: &App, action: AuditAction) -> i64 {
    app.store
        .begin_read()
        .await
        .unwrap()
        .count_audit(action)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_person_turns_on_two_factor_sign_in_and_then_needs_a_code_or_a_recovery_code() {
    on_each_demo(|store| async move {
        let (app, accounts) = seeded(store).await;
        let email = email_of(&accounts, "participant (police-scotland)");
        let mut browser = signed_in(&app, email).await;
        let page = browser.get("/account/two-factor").await;
        assert!(
            page.body.contains("Two-factor sign-in is off."),
            "{}",
            page.body
        );

        // Set up: a wrong code is refused and the same key is offered again.
        let set_up = browser.get("/account/two-factor/set-up").await;
        assert_eq!(set_up.status, StatusCode::OK);
        let key = manual_key(&set_up);
        let wrong = browser
            .post("/account/two-factor/set-up", &[("code", "000000")])
            .await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            wrong.body.contains("That code is not right"),
            "{}",
            wrong.body
        );
        assert_eq!(manual_key(&wrong), key, "the secret being set up stays");
        let typo = browser
            .post("/account/two-factor/set-up", &[("code", "12345")])
            .await;
        assert!(
            typo.body
                .contains("the 6 digits your authenticator app shows"),
            "{}",
            typo.body
        );
        let done = browser
            .post(
                "/account/two-factor/set-up",
                &[("code", &python_totp(&key, NOW))],
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        let codes = recovery_codes(&done);
        assert_eq!(codes.len(), 10);
        assert!(
            codes
                .iter()
                .all(|code| code.len() == 11 && code.as_bytes()[5] == b'-')
        );
        assert_eq!(audited(&app, AuditAction::AccountTwoFactorOn).await, 1);
        let page = browser.get("/account/two-factor").await;
        assert!(
            page.body.contains("Two-factor sign-in is on."),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("10 unused recovery codes"),
            "{}",
            page.body
        );

        // The password alone no longer signs in.
        let (mut second, reply) = password_step(&app, email).await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER);
        assert_eq!(reply.location(), "/sign-in/code?next=%2Faccount");
        assert!(!signed_in_cookie(&second), "no session before the code");
        assert_eq!(
            second.get("/account").await.location(),
            "/sign-in?next=/account"
        );
        let page = second.get("/sign-in/code?next=%2Faccount").await;
        assert!(
            page.body
                .contains("Enter the code from your authenticator app")
        );
        // The code used to set up was for this 30 seconds: it does not work twice.
        let replay = second
            .post(
                "/sign-in/code",
                &[("code", &python_totp(&key, NOW)), ("next", "/account")],
            )
            .await;
        assert_eq!(replay.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(replay.body.contains("has been used"), "{}", replay.body);
        assert!(!signed_in_cookie(&second));
        // The app's next code (clocks drift: one step either side is accepted) signs in.
        let next = second
            .post(
                "/sign-in/code",
                &[("code", &python_totp(&key, NOW + 30)), ("next", "/account")],
            )
            .await;
        assert_eq!(next.location(), "/account", "{}", next.body);
        assert!(signed_in_cookie(&second));
        assert!(!second.cookies.contains_key("tandem_pending"));
        assert_eq!(second.get("/account").await.status, StatusCode::OK);

        // A lost phone: a recovery code, once.
        let (mut third, _) = password_step(&app, email).await;
        let recovered = third
            .post(
                "/sign-in/code",
                &[("code", &codes[3].to_uppercase()), ("next", "/account")],
            )
            .await;
        assert_eq!(
            recovered.location(),
            "/account/two-factor",
            "{}",
            recovered.body
        );
        let account = third.get("/account/two-factor").await;
        assert!(
            account.body.contains("9 recovery codes left") && account.body.contains("9 unused"),
            "{}",
            account.body
        );
        assert_eq!(audited(&app, AuditAction::AccountRecoveryCodeUsed).await, 1);
        let (mut fourth, _) = password_step(&app, email).await;
        let again = fourth
            .post(
                "/sign-in/code",
                &[("code", &codes[3]), ("next", "/account")],
            )
            .await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(!signed_in_cookie(&fourth));

        // Guessing: five failures in a row (the one above counts) lock the account, and the
        // right code then waits too.
        for attempt in 2..=5 {
            let guess = fourth
                .post("/sign-in/code", &[("code", "123456"), ("next", "/account")])
                .await;
            assert_eq!(guess.status, StatusCode::UNPROCESSABLE_ENTITY);
            assert_eq!(
                guess.body.contains("locked after 5 failed sign-ins"),
                attempt == 5,
                "attempt {attempt}: {}",
                guess.body
            );
        }
        let locked = fourth
            .post(
                "/sign-in/code",
                &[("code", &python_totp(&key, NOW - 30)), ("next", "/account")],
            )
            .await;
        assert!(locked.body.contains("locked"), "{}", locked.body);
        assert!(!signed_in_cookie(&fourth));
        assert_eq!(audited(&app, AuditAction::AccountLocked).await, 1);
        // Refused codes: the wrong one at set-up, the replay, the used recovery code and three
        // guesses (the fifth failure in a row is recorded as the lock). The typo was not a code.
        assert_eq!(audited(&app, AuditAction::AccountTwoFactorFailed).await, 6);
    })
    .await;
}

#[tokio::test]
async fn an_organisation_requires_two_factor_of_its_coordinators_and_an_administrator_resets_it() {
    on_each_demo(|store| async move {
        let (app, accounts) = seeded(store).await;
        let admin_email = email_of(&accounts, "organisation_admin (police-scotland)");
        let coordinator = email_of(&accounts, "coordinator (police-scotland)");
        let participant = email_of(&accounts, "participant (police-scotland)");

        // Only administrators set it, and only with roles that exist.
        let mut someone = signed_in(&app, participant).await;
        assert_eq!(
            someone.get("/settings/two-factor").await.status,
            StatusCode::FORBIDDEN
        );
        let mut admin = signed_in(&app, admin_email).await;
        let bad = admin
            .post("/settings/two-factor", &[("role", "chief_constable")])
            .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
        assert_eq!(
            audited(&app, AuditAction::OrganisationTwoFactorRequired).await,
            0
        );
        let saved = admin
            .post("/settings/two-factor", &[("role", "coordinator")])
            .await;
        assert_eq!(saved.location(), "/settings/two-factor");
        let page = admin.get("/settings/two-factor").await;
        assert!(
            page.body
                .contains("Saved: programme coordinators must set up"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("value=\"coordinator\" checked"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("value=\"champion\" checked"));

        // A participant still signs in with a password alone; a coordinator sets up first.
        signed_in(&app, participant).await;
        let (mut browser, reply) = password_step(&app, coordinator).await;
        assert_eq!(reply.location(), "/sign-in/code?next=%2Faccount");
        let code_page = browser.get("/sign-in/code?next=%2Faccount").await;
        assert_eq!(code_page.location(), "/sign-in/set-up?next=%2Faccount");
        let set_up = browser.get("/sign-in/set-up?next=%2Faccount").await;
        assert!(
            set_up
                .body
                .contains("Your organisation asks everyone with your role")
        );
        let key = manual_key(&set_up);
        let done = browser
            .post(
                "/sign-in/set-up",
                &[("code", &python_totp(&key, NOW)), ("next", "/account")],
            )
            .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert_eq!(recovery_codes(&done).len(), 10);
        assert!(
            done.body.contains("href=\"/account\""),
            "continues to where they were going"
        );
        assert!(signed_in_cookie(&browser));
        let own = browser.get("/account/two-factor").await;
        assert!(
            own.body
                .contains("requires two-factor sign-in for your role, so it stays on")
        );
        assert!(
            !own.body.contains("/account/two-factor/off"),
            "no way to turn it off"
        );

        // The administrator sees it on the person's page and resets it.
        let person = app
            .store
            .begin_read()
            .await
            .unwrap()
            .password_account_by_email(&Email::parse(coordinator).unwrap())
            .await
            .unwrap()
            .unwrap()
            .person;
        let page = admin.get(&format!("/people/{person}")).await;
        assert!(
            page.body.contains("On, with 10 unused recovery codes"),
            "{}",
            page.body
        );
        let mut coordinator_view = Browser::new(&app, WebConfig::default());
        coordinator_view.cookies = browser.cookies.clone();
        let refused = coordinator_view
            .post(&format!("/people/{person}/two-factor/reset"), &[])
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        let reset = admin
            .post(&format!("/people/{person}/two-factor/reset"), &[])
            .await;
        assert_eq!(reset.location(), format!("/people/{person}"));
        assert_eq!(audited(&app, AuditAction::AccountTwoFactorReset).await, 1);
        let page = admin.get(&format!("/people/{person}")).await;
        assert!(
            page.body.contains("Their two-factor sign-in is reset"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("Off; their role requires it"),
            "{}",
            page.body
        );
        // Their session ended; at their next sign-in they set up again.
        assert_eq!(
            browser.get("/account").await.location(),
            "/sign-in?next=/account"
        );
        let (mut again, _) = password_step(&app, coordinator).await;
        let set_up = again.get("/sign-in/set-up?next=%2Faccount").await;
        assert_ne!(manual_key(&set_up), key, "a new secret");
    })
    .await;
}
