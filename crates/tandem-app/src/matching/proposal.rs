//! Bulk proposals (R5.3) that hold nobody up (R5.9): the cohort is read in a read-only
//! snapshot, the engine solves it on a blocking thread outside any transaction, and the
//! proposals are written in one short transaction that first checks the cohort did not change
//! meanwhile (and works it out again if it did).
//!
//! From the browser a proposal runs as a background job (`start_proposal`): its progress,
//! cancellation and outcome live in the database, so it carries on when the browser leaves and
//! any app server can show it or cancel it.

use super::{cohort, cohort_division, scheme_and_owner, unmatched_reason};
use crate::{App, AppError, audit};
use cohort::{Cohort, Filter, breakdown_lines};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use tandem_core::audit::AuditAction;
use tandem_core::authz::Actor;
use tandem_core::domain::SchemeKey;
use tandem_core::pairing::{Lifecycle, Match, MatchSource, MatchStatus};
use tandem_core::programme::Scheme;
use tandem_core::proposal::{
    HEARTBEAT_TIMEOUT, ProposalFailure, ProposalJob, ProposalStage, ProposalState,
};
use tandem_core::{ApplicationId, MatchId, Organisation, OrganisationId};
use tandem_match as engine;
use tandem_store::MatchRun;
use time::OffsetDateTime;
use uuid::Uuid;

/// How a bulk proposal went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalSummary {
    /// Mentees in the cohort.
    pub mentees: usize,
    /// Mentors with free places.
    pub mentors: usize,
    /// Pairs proposed.
    pub matched: usize,
    /// Their total score.
    pub total_score: i64,
    /// Applicants left out because they may no longer take part.
    pub excluded: usize,
}

/// Times the cohort may change under a proposal before it gives up.
const ATTEMPTS: usize = 3;

/// How often a running job records its progress and looks for a cancellation.
const REPORT_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// A solve's live progress, shared by the blocking thread and the task that records it.
#[derive(Debug, Default)]
struct Watch {
    cancel: AtomicBool,
    stage: AtomicUsize,
    done: AtomicI64,
    total: AtomicI64,
}

impl Watch {
    fn set(&self, stage: ProposalStage, done: u64, total: u64) {
        let index = ProposalStage::ALL
            .iter()
            .position(|it| *it == stage)
            .unwrap_or(0);
        self.stage.store(index, Ordering::Relaxed);
        self.done
            .store(i64::try_from(done).unwrap_or(i64::MAX), Ordering::Relaxed);
        self.total
            .store(i64::try_from(total).unwrap_or(i64::MAX), Ordering::Relaxed);
    }

    fn read(&self) -> (ProposalStage, i64, i64) {
        let stage = ProposalStage::ALL
            .get(self.stage.load(Ordering::Relaxed))
            .copied()
            .unwrap_or(ProposalStage::Reading);
        (
            stage,
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }
}

/// The cohort as read, with what it was read against.
struct Snapshot {
    scheme: Scheme,
    owner: Organisation,
    division: Option<String>,
    cohort: Cohort,
    read_at: OffsetDateTime,
}

/// The engine's answer for a snapshot.
struct Worked {
    problem: engine::Problem,
    solution: engine::Solution,
    explanation: engine::Explanation,
}

/// How one attempt ended.
enum Attempt {
    Written(ProposalSummary),
    Changed,
    Cancelled,
}

fn filter(division: Option<String>) -> Filter {
    Filter {
        division,
        ..Filter::default()
    }
}

async fn read_snapshot(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
) -> Result<Snapshot, AppError> {
    let read_at = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let (scheme, owner) = scheme_and_owner(&mut tx, organisation, key).await?;
    let division = cohort_division(actor, &scheme, true)?;
    let cohort =
        cohort::build(&mut tx, &scheme, &owner, &filter(division.clone()), read_at).await?;
    tx.rollback().await?;
    Ok(Snapshot {
        scheme,
        owner,
        division,
        cohort,
        read_at,
    })
}

fn problem_of(cohort: &Cohort) -> Result<engine::Problem, AppError> {
    engine::Problem::new(cohort.spec.clone()).map_err(|errors| {
        AppError::Conflict(format!(
            "the cohort could not be matched: {}",
            errors
                .0
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ))
    })
}

/// Solves and explains on a blocking thread; `None` when the watch asked it to stop.
async fn work_out(
    problem: engine::Problem,
    watch: Arc<Watch>,
) -> Result<Option<Worked>, tokio::task::JoinError> {
    tokio::task::spawn_blocking(move || {
        let mut observe = |progress: engine::Progress| {
            let stage = match progress.stage {
                engine::Stage::Candidates => ProposalStage::Candidates,
                engine::Stage::Routing => ProposalStage::Routing,
                engine::Stage::Pricing => ProposalStage::Pricing,
            };
            watch.set(stage, progress.done, progress.total);
            if watch.cancel.load(Ordering::Relaxed) {
                Err(())
            } else {
                Ok(())
            }
        };
        let solution =
            engine::solve_observed(&problem, engine::SolveOptions::default(), &mut observe).ok()?;
        let explanation = engine::explain(&problem, &solution);
        Some(Worked {
            problem,
            solution,
            explanation,
        })
    })
    .await
}

/// Writes the proposals if the cohort is still what was solved; with `job`, also ends the job
/// in the same transaction (or stops if someone cancelled it meanwhile).
async fn write_proposal(
    app: &App,
    actor: &Actor,
    snapshot: &Snapshot,
    worked: &Worked,
    job: Option<Uuid>,
) -> Result<Attempt, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let (scheme, owner) = scheme_and_owner(
        &mut tx,
        snapshot.scheme.organisation,
        &snapshot.scheme.definition.key,
    )
    .await?;
    let division = cohort_division(actor, &scheme, true)?;
    if scheme != snapshot.scheme || owner != snapshot.owner || division != snapshot.division {
        return Ok(Attempt::Changed);
    }
    let current = cohort::build(
        &mut tx,
        &scheme,
        &owner,
        &filter(division.clone()),
        snapshot.read_at,
    )
    .await?;
    if !current.same_as(&snapshot.cohort) {
        return Ok(Attempt::Changed);
    }
    if let Some(job) = job
        && tx
            .proposal_job(job)
            .await?
            .is_none_or(|it| it.cancel_requested || it.state != ProposalState::Running)
    {
        return Ok(Attempt::Cancelled);
    }
    let cohort = &snapshot.cohort;
    let Worked {
        problem,
        solution,
        explanation,
    } = worked;
    let names: HashMap<engine::PersonId, String> = cohort
        .mentors
        .iter()
        .zip(&cohort.spec.mentors)
        .map(|(entrant, mentor)| (mentor.id.clone(), entrant.person.record.full_name()))
        .collect();
    match &division {
        None => tx.delete_all_proposals(scheme.id).await?,
        Some(_) => {
            let mentees: Vec<ApplicationId> =
                cohort.mentees.iter().map(|it| it.application.id).collect();
            tx.delete_proposals(scheme.id, &mentees).await?;
        }
    }
    let label = actor.audit_label();
    for pair in &explanation.pairs {
        let mentor = &cohort.mentors[pair.mentor.index()];
        let mentee = &cohort.mentees[pair.mentee.index()];
        tx.insert_match(&Match {
            id: MatchId(Uuid::now_v7()),
            scheme: scheme.id,
            mentor_application: mentor.application.id,
            mentee_application: mentee.application.id,
            mentor: mentor.person.id,
            mentee: mentee.person.id,
            status: MatchStatus::Proposed,
            source: MatchSource::Bulk,
            score: Some(pair.breakdown.total),
            explanation: format!(
                "{}{}",
                if pair.pinned { "pinned\n" } else { "" },
                breakdown_lines(&pair.breakdown)
            ),
            proposed_by: label.clone(),
            proposed_at: now,
            decided_by: None,
            decided_at: None,
            reason: None,
            version: 1,
            life: Lifecycle::default(),
        })
        .await?;
    }
    let unmatched: Vec<(ApplicationId, String)> = explanation
        .unmatched
        .iter()
        .map(|it| {
            (
                cohort.mentees[it.mentee.index()].application.id,
                if it.wants > 1 {
                    format!(
                        "{} of the {} mentors still wanted: {}",
                        it.has,
                        it.wants,
                        unmatched_reason(problem, &it.reason, &names)
                    )
                } else {
                    unmatched_reason(problem, &it.reason, &names)
                },
            )
        })
        .collect();
    let excluded: Vec<(ApplicationId, String)> = cohort
        .excluded
        .iter()
        .map(|(entrant, refusals)| {
            (
                entrant.application.id,
                refusals
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })
        .collect();
    let summary = ProposalSummary {
        mentees: cohort.mentees.len(),
        mentors: cohort.mentors.len(),
        matched: solution.matched(),
        total_score: solution.total_score(),
        excluded: excluded.len(),
    };
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    tx.insert_match_run(&MatchRun {
        id: Uuid::now_v7(),
        scheme: scheme.id,
        division: division.clone(),
        run_by: label,
        run_at: now,
        mentees: count(summary.mentees),
        mentors: count(summary.mentors),
        matched: count(summary.matched),
        total_score: summary.total_score,
        unmatched,
        excluded,
    })
    .await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::MatchingProposed,
        Some(scheme.organisation),
        "scheme",
        Some(scheme.id.0),
        serde_json::json!({
            "scheme": scheme.definition.key.as_ref(),
            "division": division,
            "mentees": summary.mentees,
            "mentors": summary.mentors,
            "matched": summary.matched,
        }),
    )])
    .await?;
    if let Some(job) = job {
        tx.finish_proposal_job(job, ProposalState::Done, None, now)
            .await?;
    }
    tx.commit().await?;
    Ok(Attempt::Written(summary))
}

/// Reads, solves and writes, again while the cohort changes under it.
async fn run_attempts(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
    watch: &Arc<Watch>,
    job: Option<Uuid>,
) -> Result<Attempt, AppError> {
    for _ in 0..ATTEMPTS {
        watch.set(ProposalStage::Reading, 0, 1);
        let snapshot = read_snapshot(app, actor, organisation, key).await?;
        let problem = problem_of(&snapshot.cohort)?;
        let worked = match work_out(problem, Arc::clone(watch)).await {
            Ok(Some(worked)) => worked,
            Ok(None) => return Ok(Attempt::Cancelled),
            // A panic in the engine is a bug; carry it on as it was.
            Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
            Err(_) => return Ok(Attempt::Cancelled),
        };
        watch.set(ProposalStage::Writing, 0, 1);
        match write_proposal(app, actor, &snapshot, &worked, job).await? {
            Attempt::Changed => continue,
            done => return Ok(done),
        }
    }
    Ok(Attempt::Changed)
}

/// Proposes pairs for the actor's cohort with the best total score the hard rules allow
/// (R5.3), replacing the cohort's earlier proposals; pins and forbids hold (R5.4). Nothing is
/// final until confirmed. Records the run with every unmatched mentee's reason. The solve holds
/// no transaction open, so other work carries on meanwhile (R5.9).
pub async fn propose(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
) -> Result<ProposalSummary, AppError> {
    let watch = Arc::new(Watch::default());
    match run_attempts(app, actor, organisation, key, &watch, None).await? {
        Attempt::Written(summary) => Ok(summary),
        Attempt::Changed | Attempt::Cancelled => Err(AppError::Conflict(
            ProposalFailure::CohortChanged.describe().to_owned(),
        )),
    }
}

/// A background proposal just asked for.
#[derive(Debug)]
pub struct StartedProposal {
    /// Its job (the one already running for the cohort, when there was one).
    pub job: ProposalJob,
    /// The task working it out, when this call started it; awaiting it waits for the end, and
    /// dropping it leaves the work to carry on.
    pub task: Option<tokio::task::JoinHandle<()>>,
}

/// Starts a bulk proposal for the actor's cohort in the background; when one already runs for
/// this cohort, returns that one instead of starting a second.
pub async fn start_proposal(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
) -> Result<StartedProposal, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let (scheme, _) = scheme_and_owner(&mut tx, organisation, key).await?;
    let division = cohort_division(actor, &scheme, true)?;
    tx.interrupt_silent_proposal_jobs(scheme.id, division.as_deref(), now - HEARTBEAT_TIMEOUT, now)
        .await?;
    if let Some(job) = tx
        .latest_proposal_job(scheme.id, division.as_deref())
        .await?
        && job.is_running(now)
    {
        return Ok(StartedProposal { job, task: None });
    }
    let job = ProposalJob {
        id: Uuid::now_v7(),
        scheme: scheme.id,
        division: division.clone(),
        requested_by: actor.audit_label(),
        requested_at: now,
        state: ProposalState::Running,
        stage: ProposalStage::Reading,
        done: 0,
        total: 1,
        cancel_requested: false,
        heartbeat_at: now,
        finished_at: None,
        failure: None,
    };
    tx.insert_proposal_job(&job).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::MatchingProposalStarted,
        Some(scheme.organisation),
        "scheme",
        Some(scheme.id.0),
        serde_json::json!({ "scheme": key.as_ref(), "division": division, "job": job.id.to_string() }),
    )])
    .await?;
    tx.commit().await?;
    let task = tokio::spawn(run_job(
        app.clone(),
        actor.clone(),
        organisation,
        key.clone(),
        job.id,
    ));
    Ok(StartedProposal {
        job,
        task: Some(task),
    })
}

/// Aborts a task when dropped, so a job's reporter never outlives the job.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs a started job to its end, recording progress and honouring cancellation.
async fn run_job(app: App, actor: Actor, organisation: OrganisationId, key: SchemeKey, job: Uuid) {
    let watch = Arc::new(Watch::default());
    let reporter = AbortOnDrop(tokio::spawn(report(app.clone(), job, Arc::clone(&watch))));
    let outcome = tokio::spawn({
        let (app, watch) = (app.clone(), Arc::clone(&watch));
        async move { run_attempts(&app, &actor, organisation, &key, &watch, Some(job)).await }
    })
    .await;
    drop(reporter);
    let (state, failure) = match outcome {
        Ok(Ok(Attempt::Written(_))) => return,
        Ok(Ok(Attempt::Cancelled)) => (ProposalState::Cancelled, None),
        Ok(Ok(Attempt::Changed)) => (ProposalState::Failed, Some(ProposalFailure::CohortChanged)),
        Ok(Err(error)) => {
            let failure = match &error {
                AppError::Denied(_) | AppError::NotFound(_) => ProposalFailure::NotAllowed,
                AppError::Conflict(_) => ProposalFailure::InvalidCohort,
                _ => ProposalFailure::Internal,
            };
            tracing::warn!(%job, error = %error, "a bulk proposal could not be finished");
            (ProposalState::Failed, Some(failure))
        }
        Err(error) => {
            tracing::error!(%job, error = %error, "a bulk proposal stopped unexpectedly");
            (ProposalState::Failed, Some(ProposalFailure::Internal))
        }
    };
    let finished = async {
        let mut tx = app.store.begin_write().await?;
        tx.finish_proposal_job(job, state, failure, app.clock.now())
            .await?;
        tx.commit().await
    };
    if let Err(error) = finished.await {
        tracing::error!(%job, error = %error, "a bulk proposal's end could not be recorded");
    }
}

/// Records the job's progress every so often and passes a cancellation on to the solve.
async fn report(app: App, job: Uuid, watch: Arc<Watch>) {
    loop {
        tokio::time::sleep(REPORT_EVERY).await;
        let (stage, done, total) = watch.read();
        let recorded = async {
            let mut tx = app.store.begin_write().await?;
            let cancel = tx
                .record_proposal_progress(job, stage, done, total, app.clock.now())
                .await?;
            tx.commit().await?;
            Ok::<_, tandem_store::StoreError>(cancel)
        };
        match recorded.await {
            // Cancelled here or the job ended elsewhere (interrupted): stop solving.
            Ok(Some(true) | None) => watch.cancel.store(true, Ordering::Relaxed),
            Ok(Some(false)) => {}
            Err(error) => {
                tracing::warn!(%job, error = %error, "a proposal's progress could not be recorded")
            }
        }
    }
}

/// The latest background proposal of a cohort and the latest run it may have written.
#[derive(Debug, Clone)]
pub struct ProposalStatus {
    /// The job.
    pub job: ProposalJob,
    /// Its state as of now (a job whose server went silent counts as interrupted).
    pub state: ProposalState,
    /// The cohort's latest run (the job's, once it is done).
    pub run: Option<MatchRun>,
}

/// The latest background proposal of the actor's cohort, if any, as of now.
pub async fn latest_proposal(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
) -> Result<Option<ProposalStatus>, AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_read().await?;
    let (scheme, _) = scheme_and_owner(&mut tx, organisation, key).await?;
    let division = cohort_division(actor, &scheme, false)?;
    let job = tx
        .latest_proposal_job(scheme.id, division.as_deref())
        .await?;
    let run = tx.latest_match_run(scheme.id, division.as_deref()).await?;
    tx.rollback().await?;
    Ok(job.map(|job| ProposalStatus {
        state: job.state_at(now),
        job,
        run,
    }))
}

/// Asks the running proposal of the actor's cohort to stop; the earlier proposals stay as they
/// were. A proposal whose server went silent is marked interrupted at once.
pub async fn cancel_proposal(
    app: &App,
    actor: &Actor,
    organisation: OrganisationId,
    key: &SchemeKey,
) -> Result<(), AppError> {
    let now = app.clock.now();
    let mut tx = app.store.begin_write().await?;
    let (scheme, _) = scheme_and_owner(&mut tx, organisation, key).await?;
    let division = cohort_division(actor, &scheme, true)?;
    tx.interrupt_silent_proposal_jobs(scheme.id, division.as_deref(), now - HEARTBEAT_TIMEOUT, now)
        .await?;
    let job = tx
        .latest_proposal_job(scheme.id, division.as_deref())
        .await?
        .filter(|it| it.state == ProposalState::Running)
        .ok_or_else(|| AppError::Conflict("no proposal is running for your cohort".to_owned()))?;
    tx.request_proposal_cancel(job.id).await?;
    tx.insert_audit(&[audit::entry(
        actor,
        now,
        AuditAction::MatchingProposalCancelled,
        Some(scheme.organisation),
        "scheme",
        Some(scheme.id.0),
        serde_json::json!({ "scheme": key.as_ref(), "division": division, "job": job.id.to_string() }),
    )])
    .await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests;
