//! Audit entries written on their own (`Store::append_audit`) go in groups: entries that wait
//! while the writer is busy are committed together, and each caller returns after its commit.

use std::time::Duration;
use tandem_core::AuditId;
use tandem_core::audit::AuditAction;
use tandem_store::testing::TestDatabase;
use tandem_store::{AuditEntry, Backend};
use time::macros::datetime;
use uuid::Uuid;

fn read_by(reader: usize) -> AuditEntry {
    AuditEntry {
        id: AuditId(Uuid::now_v7()),
        at: datetime!(2026-11-23 09:00 UTC),
        actor: format!("operator:reader {reader}"),
        action: AuditAction::PersonViewed,
        organisation: None,
        subject_kind: "person".to_owned(),
        subject: None,
        detail: serde_json::json!({}),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn entries_that_wait_for_the_writer_are_committed_in_one_transaction() {
    // SQLite has one writer: while this test holds it, the group writer cannot commit, so every
    // caller's entry waits, as under load.
    let database = TestDatabase::new(Backend::Sqlite).await;
    let store = database.store.clone();
    let other = store.begin_write().await.unwrap();
    let callers: u64 = 20;
    let running: Vec<_> = (0..callers)
        .map(|reader| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .append_audit(vec![read_by(usize::try_from(reader).unwrap())])
                    .await
            })
        })
        .collect();
    while store.audit_groups().0 < callers {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    assert_eq!(
        store.audit_groups().1,
        0,
        "nothing commits while the writer is held"
    );
    other.rollback().await.unwrap();
    for caller in running {
        caller.await.unwrap().unwrap();
    }
    let (unanswered, transactions) = store.audit_groups();
    assert_eq!(unanswered, 0);
    // The writer may have taken the first caller alone before it found the database busy;
    // everyone else goes in the next transaction.
    assert!(
        transactions <= 2,
        "{callers} callers' entries took {transactions} transactions"
    );
    let mut tx = store.begin_read().await.unwrap();
    let written = tx.count_audit(AuditAction::PersonViewed).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(u64::try_from(written).unwrap(), callers);
    database.remove().await;
}
