//! Subject access and erasure (R8.4) in the browser: an administrator downloads a person's zip
//! from their page and erases them after a confirmation page that says why not while a
//! relationship is open; the person downloads their own data from their account.

use crate::app;
use crate::reports::{demo_accounts, signed_in};
use axum::http::StatusCode;
use tandem_core::PersonId;
use tandem_core::domain::{Email, OrgCode};
use tandem_store::testing::on_each_backend;

async fn id_of(app: &tandem_app::App, email: &str) -> PersonId {
    let mut tx = app.store.begin_read().await.unwrap();
    let id = tx
        .person_id_by_email(&Email::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap();
    tx.rollback().await.unwrap();
    id
}

/// Someone of Police Scotland nothing open needs: no pair and no application to authorise.
async fn free_person(app: &tandem_app::App, not: &[PersonId]) -> PersonId {
    let mut tx = app.store.begin_read().await.unwrap();
    let organisation = tx
        .organisation_by_code(&OrgCode::parse("police-scotland").unwrap())
        .await
        .unwrap()
        .unwrap();
    for person in tx.people_of(organisation.id).await.unwrap() {
        if !not.contains(&person.id)
            && tx.pair_statuses_of(person.id).await.unwrap().is_empty()
            && tx.count_awaiting_manager(person.id).await.unwrap() == 0
        {
            return person.id;
        }
    }
    panic!("the demo has someone free to erase")
}

#[tokio::test]
async fn an_administrator_downloads_a_persons_records_and_erases_them_after_confirming() {
    on_each_backend(|store| async move {
        let app = app(store);
        let accounts = demo_accounts(&app).await;
        let email = |role: &str| {
            accounts
                .iter()
                .find(|account| account.role.starts_with(role))
                .unwrap()
                .email
                .clone()
        };
        let mentee = id_of(&app, &email("mentee in an active relationship (police-scotland)")).await;
        let admin_id = id_of(&app, &email("organisation_admin (police-scotland)")).await;
        let mut admin = signed_in(&app, &accounts, "organisation_admin (police-scotland)").await;

        let page = admin.get(&format!("/people/{mentee}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains(&format!("<a href=\"/people/{mentee}/records.zip\" download>Download everything held on this person</a>")));
        assert!(page.body.contains(&format!("<a href=\"/people/{mentee}/erase\"")));

        let zip = admin.get(&format!("/people/{mentee}/records.zip")).await;
        assert_eq!(zip.status, StatusCode::OK);
        assert_eq!(zip.headers["content-type"], "application/zip");
        assert_eq!(
            zip.headers["content-disposition"],
            format!("attachment; filename=\"tandem-records-{mentee}.zip\"").as_str()
        );

        // Open relationship: the confirmation page says why not, and so does a post anyway.
        let confirm = admin.get(&format!("/people/{mentee}/erase")).await;
        assert_eq!(confirm.status, StatusCode::OK);
        assert!(confirm.body.contains("There is a problem"), "{}", confirm.body);
        assert!(confirm.body.contains("still open"));
        assert!(confirm.body.contains("<h2>What stays</h2>"));
        let refused = admin.post(&format!("/people/{mentee}/erase"), &[]).await;
        assert_eq!(refused.status, StatusCode::CONFLICT);
        assert!(refused.body.contains("<title>Error: Erase"), "{}", refused.body);

        let free = free_person(&app, &[admin_id]).await;
        let confirm = admin.get(&format!("/people/{free}/erase")).await;
        assert!(!confirm.body.contains("There is a problem"), "{}", confirm.body);
        let done = admin.post(&format!("/people/{free}/erase"), &[]).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert_eq!(done.location(), format!("/people/{free}"));
        let page = admin.get(&format!("/people/{free}")).await;
        assert!(page.body.contains("<h1>Erased person</h1>"), "{}", page.body);
        assert!(page.body.contains("personal data was erased"));

        // The person downloads their own; nobody else's, and no staff role but the
        // administrator's erases.
        let mut member = signed_in(&app, &accounts, "mentee in an active relationship (police-scotland)").await;
        assert!(member.get("/account").await.body.contains("<a href=\"/account/records.zip\" download>Download your data</a>"));
        let own = member.get("/account/records.zip").await;
        assert_eq!(own.status, StatusCode::OK);
        assert_eq!(own.headers["content-type"], "application/zip");
        assert_eq!(member.get(&format!("/people/{admin_id}/records.zip")).await.status, StatusCode::FORBIDDEN);
        let mut coordinator = signed_in(&app, &accounts, "coordinator (police-scotland)").await;
        assert_eq!(coordinator.get(&format!("/people/{mentee}/records.zip")).await.status, StatusCode::FORBIDDEN);
        assert_eq!(coordinator.get(&format!("/people/{mentee}/erase")).await.status, StatusCode::FORBIDDEN);
        assert!(!coordinator.get(&format!("/people/{mentee}")).await.body.contains("Erase this person"));
    })
    .await;
}
