//! Bulk proposals in the background (R5.9) on each backend: a job writes what a direct
//! proposal writes, one runs per cohort at a time, a job whose server went silent counts as
//! interrupted and can be replaced, and only a running job can be cancelled.

use crate::applications::{coordinator_of, programme_running};
use crate::matching::{applied, mentoring, proposed, scotland, trained};
use std::sync::Arc;
use tandem_app::matching;
use tandem_app::{App, AppError};
use tandem_core::FixedClock;
use tandem_core::eligibility::Role;
use tandem_core::proposal::{ProposalJob, ProposalStage, ProposalState};
use tandem_store::testing::on_each_backend;
use time::Duration;
use uuid::Uuid;

/// Police Scotland's mentoring scheme with two trained mentors and two trained mentees.
async fn cohort(app: &App) -> tandem_core::authz::Actor {
    programme_running(app).await;
    let coordinator = coordinator_of(app, "police-scotland", None).await;
    let inspector = applied(app, "S1", Role::Mentor, "2").await;
    let sergeant = applied(app, "S6", Role::Mentor, "1").await;
    let callum = applied(app, "S2", Role::Mentee, "").await;
    let morag = applied(app, "S5", Role::Mentee, "").await;
    trained(app, &coordinator, &[inspector, sergeant, callum, morag]).await;
    coordinator
}

#[tokio::test]
async fn a_background_proposal_writes_the_pairs_and_says_so() {
    on_each_backend(|store| async move {
        let app = crate::app(store);
        let coordinator = cohort(&app).await;
        let scotland = scotland(&app).await;
        let started = matching::start_proposal(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap();
        assert_eq!(started.job.state, ProposalState::Running);
        started
            .task
            .expect("this call started the work")
            .await
            .unwrap();
        let status = matching::latest_proposal(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(status.job.id, started.job.id);
        assert_eq!(status.state, ProposalState::Done);
        assert!(status.job.finished_at.is_some());
        let run = status.run.expect("the job recorded its run");
        assert_eq!((run.mentees, run.matched), (2, 2));
        assert_eq!(
            proposed(&app, &coordinator).await,
            [
                ("S2".to_owned(), "S6".to_owned()),
                ("S5".to_owned(), "S1".to_owned())
            ],
            "the same pairs a direct proposal gives (the inspector manages Callum)"
        );

        // A participant may not start one, and nothing is recorded for them.
        let callum = crate::applications::person(&app, "police-scotland", "S2").await;
        let Err(AppError::Denied(_)) =
            matching::start_proposal(&app, &callum, scotland, &mentoring()).await
        else {
            panic!("only coordinators and champions match")
        };
        let latest = matching::latest_proposal(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            latest.job.id, started.job.id,
            "no job was recorded for the refused start"
        );
    })
    .await;
}

/// A running job of the whole scheme, as another server would have recorded it.
async fn running_elsewhere(app: &App, heartbeat_at: time::OffsetDateTime) -> ProposalJob {
    let scheme = {
        let mut tx = app.store.begin_read().await.unwrap();
        let scheme = tx
            .scheme_by_key(scotland(app).await, &mentoring())
            .await
            .unwrap()
            .unwrap();
        tx.rollback().await.unwrap();
        scheme
    };
    let job = ProposalJob {
        id: Uuid::now_v7(),
        scheme: scheme.id,
        division: None,
        requested_by: "person:someone-else".to_owned(),
        requested_at: heartbeat_at,
        state: ProposalState::Running,
        stage: ProposalStage::Routing,
        done: 40,
        total: 160,
        cancel_requested: false,
        heartbeat_at,
        finished_at: None,
        failure: None,
    };
    let mut tx = app.store.begin_write().await.unwrap();
    tx.insert_proposal_job(&job).await.unwrap();
    tx.commit().await.unwrap();
    job
}

#[tokio::test]
async fn one_proposal_runs_per_cohort_and_a_silent_one_is_replaced() {
    on_each_backend(|store| async move {
        let app = crate::app(store.clone());
        let coordinator = cohort(&app).await;
        let scotland = scotland(&app).await;
        let other = running_elsewhere(&app, app.clock.now()).await;

        // Pressing the button again shows the running one instead of starting a second.
        let again = matching::start_proposal(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap();
        assert_eq!(again.job.id, other.id);
        assert!(again.task.is_none());
        let status = matching::latest_proposal(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (status.state, status.job.percent()),
            (ProposalState::Running, 25)
        );

        // Cancelling reaches the server working on it at its next report.
        matching::cancel_proposal(&app, &coordinator, scotland, &mentoring())
            .await
            .unwrap();
        let mut tx = app.store.begin_write().await.unwrap();
        let cancel = tx
            .record_proposal_progress(other.id, ProposalStage::Pricing, 1, 9, app.clock.now())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(cancel, Some(true));

        // Two minutes later that server has said nothing: the job counts as interrupted.
        let later = App::new(
            store,
            Arc::new(FixedClock::at(app.clock.now() + Duration::minutes(2))),
        );
        let status = matching::latest_proposal(&later, &coordinator, scotland, &mentoring())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(status.state, ProposalState::Interrupted);
        let Err(AppError::Conflict(message)) =
            matching::cancel_proposal(&later, &coordinator, scotland, &mentoring()).await
        else {
            panic!("nothing runs any more")
        };
        assert_eq!(message, "no proposal is running for your cohort");

        // A new start replaces it and runs to the end.
        let fresh = matching::start_proposal(&later, &coordinator, scotland, &mentoring())
            .await
            .unwrap();
        assert_ne!(fresh.job.id, other.id);
        fresh.task.unwrap().await.unwrap();
        let mut tx = later.store.begin_read().await.unwrap();
        let old = tx.proposal_job(other.id).await.unwrap().unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(
            old.state,
            ProposalState::Interrupted,
            "recorded as interrupted"
        );
        let status = matching::latest_proposal(&later, &coordinator, scotland, &mentoring())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(status.state, ProposalState::Done);
    })
    .await;
}
