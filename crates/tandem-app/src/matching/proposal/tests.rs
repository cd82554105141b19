//! The proposal pipeline's steps on the demo, on each backend: a cohort that changes after the
//! snapshot is not written, a cancellation writes nothing, and reading and solving need no
//! write lock.

#![allow(
    clippy::unwrap_used,
    reason = "a test that meets a bad value should fail loudly"
)]

use super::*;
use std::sync::Arc;
use tandem_core::FixedClock;
use tandem_core::domain::OrgCode;
use tandem_core::pairing::{ConstraintKind, PairConstraint};
use tandem_store::testing::on_each_backend;
use time::macros::datetime;

fn operator() -> Actor {
    Actor::Operator {
        name: "test".to_owned(),
    }
}

/// A seeded demo and Police Scotland's mentoring scheme.
async fn demo(store: tandem_store::Store) -> (App, OrganisationId, SchemeKey) {
    let app = App::new(
        store,
        Arc::new(FixedClock::at(datetime!(2026-11-23 09:00 UTC))),
    );
    crate::demo::seed(&app, &operator(), "http://tandem.test")
        .await
        .unwrap();
    let organisation =
        crate::organisations::by_code(&app, &OrgCode::parse("police-scotland").unwrap())
            .await
            .unwrap()
            .id;
    (app, organisation, SchemeKey::parse("mentoring").unwrap())
}

async fn runs(app: &App, scheme: tandem_core::SchemeId) -> Option<Uuid> {
    let mut tx = app.store.begin_read().await.unwrap();
    let run = tx.latest_match_run(scheme, None).await.unwrap();
    tx.rollback().await.unwrap();
    run.map(|it| it.id)
}

async fn worked(snapshot: &Snapshot) -> Worked {
    work_out(
        problem_of(&snapshot.cohort).unwrap(),
        Arc::new(Watch::default()),
    )
    .await
    .unwrap()
    .expect("nobody cancelled")
}

#[tokio::test]
async fn a_cohort_changed_after_the_snapshot_is_not_written_and_the_next_attempt_sees_the_change() {
    on_each_backend(|store| async move {
        let (app, organisation, key) = demo(store).await;
        let actor = operator();
        let snapshot = read_snapshot(&app, &actor, organisation, &key)
            .await
            .unwrap();
        let worked = worked(&snapshot).await;
        let first = worked
            .explanation
            .pairs
            .first()
            .expect("the demo has pairs to propose");
        let mentee = snapshot.cohort.mentees[first.mentee.index()].application.id;
        let mentor = snapshot.cohort.mentors[first.mentor.index()].application.id;
        let before = runs(&app, snapshot.scheme.id).await;

        // A coordinator rules the pair out while the proposal is being worked out.
        let mut tx = app.store.begin_write().await.unwrap();
        tx.set_constraint(
            &PairConstraint {
                scheme: snapshot.scheme.id,
                mentee_application: mentee,
                mentor_application: mentor,
                kind: ConstraintKind::Forbid,
                reason: "conflict of interest".to_owned(),
                created_by: "test".to_owned(),
            },
            app.clock.now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        assert!(matches!(
            write_proposal(&app, &actor, &snapshot, &worked, None)
                .await
                .unwrap(),
            Attempt::Changed
        ));
        assert_eq!(
            runs(&app, snapshot.scheme.id).await,
            before,
            "nothing was written"
        );

        let watch = Arc::new(Watch::default());
        let Attempt::Written(_) = run_attempts(&app, &actor, organisation, &key, &watch, None)
            .await
            .unwrap()
        else {
            panic!("the next attempt is written")
        };
        let mut tx = app.store.begin_read().await.unwrap();
        let proposed = tx.matches_of_scheme(snapshot.scheme.id).await.unwrap();
        tx.rollback().await.unwrap();
        assert!(
            !proposed.iter().any(|it| it.status == MatchStatus::Proposed
                && it.mentee_application == mentee
                && it.mentor_application == mentor),
            "the ruled-out pair is not proposed"
        );
    })
    .await;
}

#[tokio::test]
async fn a_cancelled_proposal_writes_nothing() {
    on_each_backend(|store| async move {
        let (app, organisation, key) = demo(store).await;
        let actor = operator();
        let snapshot = read_snapshot(&app, &actor, organisation, &key)
            .await
            .unwrap();
        let before = runs(&app, snapshot.scheme.id).await;

        // Cancelled during the solve: the engine stops at its next report.
        let watch = Arc::new(Watch::default());
        watch.cancel.store(true, Ordering::Relaxed);
        let stopped = work_out(problem_of(&snapshot.cohort).unwrap(), watch)
            .await
            .unwrap();
        assert!(stopped.is_none());

        // Cancelled after the solve, before the write: the write transaction sees it.
        let worked = worked(&snapshot).await;
        let now = app.clock.now();
        let job = ProposalJob {
            id: Uuid::now_v7(),
            scheme: snapshot.scheme.id,
            division: None,
            requested_by: actor.audit_label(),
            requested_at: now,
            state: ProposalState::Running,
            stage: ProposalStage::Writing,
            done: 0,
            total: 1,
            cancel_requested: false,
            heartbeat_at: now,
            finished_at: None,
            failure: None,
        };
        let mut tx = app.store.begin_write().await.unwrap();
        tx.insert_proposal_job(&job).await.unwrap();
        assert!(tx.request_proposal_cancel(job.id).await.unwrap());
        tx.commit().await.unwrap();
        assert!(matches!(
            write_proposal(&app, &actor, &snapshot, &worked, Some(job.id))
                .await
                .unwrap(),
            Attempt::Cancelled
        ));
        assert_eq!(
            runs(&app, snapshot.scheme.id).await,
            before,
            "nothing was written"
        );
    })
    .await;
}

#[tokio::test]
async fn reading_and_solving_a_cohort_need_no_write_lock() {
    on_each_backend(|store| async move {
        let (app, organisation, key) = demo(store).await;
        let actor = operator();
        // Another writer holds the lock throughout (on SQLite there is one writer at a time, so
        // a snapshot or solve that needed it would wait out the busy timeout here).
        let mut writer = app.store.begin_write().await.unwrap();
        writer
            .insert_audit(&[audit::entry(
                &actor,
                app.clock.now(),
                AuditAction::MatchingViewed,
                Some(organisation),
                "scheme",
                None,
                serde_json::json!({}),
            )])
            .await
            .unwrap();
        let work = async {
            let snapshot = read_snapshot(&app, &actor, organisation, &key).await?;
            let worked = worked(&snapshot).await;
            Ok::<usize, AppError>(worked.solution.matched())
        };
        let matched = tokio::time::timeout(std::time::Duration::from_secs(5), work)
            .await
            .expect("the snapshot and the solve do not wait for the writer")
            .unwrap();
        assert!(matched > 0);
        writer.commit().await.unwrap();
    })
    .await;
}
