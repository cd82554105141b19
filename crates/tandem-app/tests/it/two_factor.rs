//! Two-factor sign-in's rules as use cases (R11.5): one code raced twice signs in once, turning
//! it off needs a code and is refused while a role requires it, and only administrators reset
//! it. (The pages, with codes computed by an independent implementation, are tested in
//! tandem-web's `two_factor` tests.)

use crate::mail::app_with_team;
use crate::operator;
use tandem_app::accounts::{self, Session};
use tandem_app::two_factor::{self, CodeRefused, SignInStep};
use tandem_app::{App, AppError};
use tandem_core::FixedClock;
use tandem_core::authz::{Grant, Scope, StaffRole};
use tandem_core::domain::{Email, NewPassword};
use tandem_core::two_factor::TotpSecret;
use tandem_core::{Clock as _, PersonId};
use tandem_store::testing::on_each_backend;

const ANN: &str = "ann@cleveland.police.uk";
const PASSWORD: &str = "a long enough passphrase";

async fn ann(app: &App) -> PersonId {
    let email = Email::parse(ANN).unwrap();
    accounts::set_password(
        app,
        &operator(),
        &email,
        &NewPassword::parse(PASSWORD).unwrap(),
    )
    .await
    .unwrap();
    let mut tx = app.store.begin_read().await.unwrap();
    tx.password_account_by_email(&email)
        .await
        .unwrap()
        .unwrap()
        .person
}

async fn password_session(app: &App) -> (Session, accounts::SessionToken) {
    let step = accounts::sign_in(app, ANN, PASSWORD)
        .await
        .unwrap()
        .unwrap();
    let token = step
        .into_session()
        .expect("signed in with the password alone");
    (
        accounts::session(app, &token).await.unwrap().unwrap(),
        token,
    )
}

/// Ann turns on two-factor sign-in; the secret her app holds.
async fn turned_on(app: &App, clock: &FixedClock) -> TotpSecret {
    let (session, _) = password_session(app).await;
    let secret = two_factor::start_set_up(app, &session).await.unwrap();
    let code = secret.code_at(clock.now()).unwrap();
    let codes = two_factor::confirm_set_up(app, &session, &code)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(codes.len(), 10);
    secret
}

async fn pending(app: &App) -> accounts::SessionToken {
    match accounts::sign_in(app, ANN, PASSWORD)
        .await
        .unwrap()
        .unwrap()
    {
        SignInStep::Code(token) => token,
        other => panic!("expected the code step, got {other:?}"),
    }
}

#[tokio::test]
async fn one_code_sent_twice_at_once_signs_in_once() {
    on_each_backend(|store| async move {
        let (app, clock) = app_with_team(store).await;
        ann(&app).await;
        let secret = turned_on(&app, &clock).await;
        clock.advance(time::Duration::seconds(30));
        let code = secret.code_at(clock.now()).unwrap();
        let first = pending(&app).await;
        // A second browser signs in too: its pending sign-in replaces the first one's, and the
        // race is between two submissions of its code.
        let second = pending(&app).await;
        let (a, b) = tokio::join!(
            two_factor::complete(&app, &second, &code),
            two_factor::complete(&app, &second, &code)
        );
        let outcomes = [a.unwrap(), b.unwrap()];
        assert_eq!(
            outcomes.iter().filter(|outcome| outcome.is_ok()).count(),
            1,
            "{outcomes:?}"
        );
        assert!(
            outcomes
                .iter()
                .any(|outcome| matches!(outcome, Err(CodeRefused::Wrong | CodeRefused::Expired))),
            "{outcomes:?}"
        );
        // The replaced pending sign-in is gone.
        assert!(matches!(
            two_factor::complete(&app, &first, &code).await.unwrap(),
            Err(CodeRefused::Expired)
        ));
        // And a pending sign-in expires after ten minutes.
        let late = pending(&app).await;
        clock.advance(two_factor::PENDING_FOR + time::Duration::seconds(1));
        let code = secret.code_at(clock.now()).unwrap();
        assert!(matches!(
            two_factor::complete(&app, &late, &code).await.unwrap(),
            Err(CodeRefused::Expired)
        ));
    })
    .await;
}

#[tokio::test]
async fn turning_off_needs_a_code_and_stays_on_while_a_role_requires_it() {
    on_each_backend(|store| async move {
        let (app, clock) = app_with_team(store).await;
        let person = ann(&app).await;
        let secret = turned_on(&app, &clock).await;
        let token = pending(&app).await;
        clock.advance(time::Duration::seconds(30));
        let code = secret.code_at(clock.now()).unwrap();
        let completed = two_factor::complete(&app, &token, &code)
            .await
            .unwrap()
            .unwrap();
        let session = accounts::session(&app, &completed.token)
            .await
            .unwrap()
            .unwrap();

        // Her organisation requires it of coordinators, and she becomes one.
        let organisation = session.organisation.id;
        two_factor::set_required_roles(&app, &operator(), organisation, &[StaffRole::Coordinator])
            .await
            .unwrap();
        tandem_app::roles::grant(
            &app,
            &operator(),
            person,
            Grant {
                role: StaffRole::Coordinator,
                scope: Scope::Organisation(organisation),
            },
        )
        .await
        .unwrap();
        clock.advance(time::Duration::seconds(30));
        let code = secret.code_at(clock.now()).unwrap();
        let refused = two_factor::turn_off(&app, &session, &code).await;
        assert!(matches!(refused, Err(AppError::Denied(_))), "{refused:?}");
        assert!(two_factor::status(&app, &session).await.unwrap().on);

        // Not required any more: a wrong code is refused, the right one turns it off.
        two_factor::set_required_roles(&app, &operator(), organisation, &[])
            .await
            .unwrap();
        assert_eq!(
            two_factor::turn_off(&app, &session, "654321")
                .await
                .unwrap(),
            Err(CodeRefused::Wrong)
        );
        assert_eq!(
            two_factor::turn_off(&app, &session, &code).await.unwrap(),
            Ok(())
        );
        assert!(!two_factor::status(&app, &session).await.unwrap().on);
        assert!(
            accounts::sign_in(&app, ANN, PASSWORD)
                .await
                .unwrap()
                .unwrap()
                .into_session()
                .is_some(),
            "the password alone signs in again"
        );

        // Ann, now a coordinator but no administrator, cannot reset anyone's.
        let (coordinator, _) = password_session(&app).await;
        let denied = two_factor::reset(&app, &coordinator.actor, person).await;
        assert!(matches!(denied, Err(AppError::Denied(_))), "{denied:?}");
    })
    .await;
}
