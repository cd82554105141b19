//! The demo, seeded in process, and its Police Scotland mentoring scheme as the tests that
//! confirm pairs use it: the coordinator, the matching board, and ethics statements accepted.

use std::sync::Arc;
use tandem_app::App;
use tandem_app::demo::DemoAccount;
use tandem_app::matching::{self, Board};
use tandem_core::authz::Actor;
use tandem_core::domain::{OrgCode, SchemeKey};
use tandem_core::{ApplicationId, OrganisationId};
use tandem_store::Store;

/// The password every demo person signs in with.
pub(crate) use tandem_app::demo::DEMO_PASSWORD as PASSWORD;

/// The demo on `store`, and the Police Scotland coordinator's account.
pub(crate) async fn seeded(store: &Store) -> (App, DemoAccount) {
    let app = App::new(store.clone(), Arc::new(tandem_core::SystemClock));
    let summary = tandem_app::demo::seed(&app, &operator(), "http://tandem.test")
        .await
        .unwrap();
    let coordinator = summary
        .accounts
        .iter()
        .find(|it| it.organisation == "police-scotland" && it.role.starts_with("coordinator"))
        .unwrap()
        .clone();
    (app, coordinator)
}

/// Who sets the scene: an operator, as the demo's seeding is.
pub(crate) fn operator() -> Actor {
    Actor::Operator {
        name: "crash test".to_owned(),
    }
}

pub(crate) fn mentoring() -> SchemeKey {
    SchemeKey::parse("mentoring").unwrap()
}

pub(crate) async fn scotland(app: &App) -> OrganisationId {
    tandem_app::organisations::by_code(app, &OrgCode::parse("police-scotland").unwrap())
        .await
        .unwrap()
        .id
}

/// The mentoring scheme's matching board, as the coordinator sees it.
pub(crate) async fn board(app: &App) -> Board {
    matching::board(app, &operator(), scotland(app).await, &mentoring())
        .await
        .unwrap()
}

/// Accepts the ethics statement on each application that waits for it, as its applicant does
/// on Your mentoring, so that nothing but a place can stop its pairs being confirmed.
pub(crate) async fn accept_ethics(app: &App, applications: &[ApplicationId]) {
    let organisation = scotland(app).await;
    for id in applications {
        let mut tx = app.store.begin_read().await.unwrap();
        let application = tx.application(*id).await.unwrap().unwrap();
        let scheme = tx.scheme(application.scheme).await.unwrap().unwrap();
        tx.rollback().await.unwrap();
        if tandem_core::application::ethics_due(&scheme.definition.policy, &application) {
            let applicant = Actor::Person {
                id: application.person,
                organisation,
                grants: Vec::new(),
            };
            tandem_app::applications::acknowledge_ethics(app, &applicant, *id)
                .await
                .unwrap();
        }
    }
}
