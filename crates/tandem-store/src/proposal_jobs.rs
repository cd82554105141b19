//! Background bulk proposals: their progress, cancellation and outcome (R5.9).

use crate::StoreError;
use crate::backend::{Tx, on_backend};
use crate::error::corrupt;
use tandem_core::SchemeId;
use tandem_core::proposal::{ProposalFailure, ProposalJob, ProposalStage, ProposalState};
use time::OffsetDateTime;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct JobRow {
    id: Uuid,
    scheme_id: Uuid,
    division: Option<String>,
    requested_by: String,
    requested_at: OffsetDateTime,
    state: String,
    stage: String,
    done: i64,
    total: i64,
    cancel_requested: bool,
    heartbeat_at: OffsetDateTime,
    finished_at: Option<OffsetDateTime>,
    failure: Option<String>,
}

impl JobRow {
    fn into_domain(self) -> Result<ProposalJob, StoreError> {
        Ok(ProposalJob {
            id: self.id,
            scheme: SchemeId(self.scheme_id),
            division: self.division,
            requested_by: self.requested_by,
            requested_at: self.requested_at,
            state: ProposalState::parse(&self.state)
                .ok_or_else(|| corrupt("proposal_jobs.state", &self.state))?,
            stage: ProposalStage::parse(&self.stage)
                .ok_or_else(|| corrupt("proposal_jobs.stage", &self.stage))?,
            done: self.done,
            total: self.total,
            cancel_requested: self.cancel_requested,
            heartbeat_at: self.heartbeat_at,
            finished_at: self.finished_at,
            failure: self
                .failure
                .map(|it| {
                    ProposalFailure::parse(&it).ok_or_else(|| corrupt("proposal_jobs.failure", &it))
                })
                .transpose()?,
        })
    }
}

macro_rules! select_jobs {
    () => {
        "SELECT id, scheme_id, division, requested_by, requested_at, state, stage, done, total, cancel_requested, \
         heartbeat_at, finished_at, failure FROM proposal_jobs"
    };
}

impl Tx {
    /// Records a new background proposal. A second running job for the same cohort is a
    /// `Conflict` (one runs per cohort at a time).
    pub async fn insert_proposal_job(&mut self, job: &ProposalJob) -> Result<(), StoreError> {
        let sql = "INSERT INTO proposal_jobs (id, scheme_id, division, requested_by, requested_at, state, stage, done, \
                   total, cancel_requested, heartbeat_at, finished_at, failure) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
        on_backend!(self, |conn| sqlx::query(sql)
            .bind(job.id)
            .bind(job.scheme.0)
            .bind(job.division.as_deref())
            .bind(&job.requested_by)
            .bind(job.requested_at)
            .bind(job.state.as_str())
            .bind(job.stage.as_str())
            .bind(job.done)
            .bind(job.total)
            .bind(job.cancel_requested)
            .bind(job.heartbeat_at)
            .bind(job.finished_at)
            .bind(job.failure.map(ProposalFailure::as_str))
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// One background proposal.
    pub async fn proposal_job(&mut self, id: Uuid) -> Result<Option<ProposalJob>, StoreError> {
        let sql = concat!(select_jobs!(), " WHERE id = $1");
        let row: Option<JobRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(conn)
            .await)?;
        row.map(JobRow::into_domain).transpose()
    }

    /// The latest background proposal of a cohort (`division` `None`: the whole scheme).
    pub async fn latest_proposal_job(
        &mut self,
        scheme: SchemeId,
        division: Option<&str>,
    ) -> Result<Option<ProposalJob>, StoreError> {
        let sql = concat!(
            select_jobs!(),
            " WHERE scheme_id = $1 AND COALESCE(division, '') = $2 ORDER BY requested_at DESC, id DESC LIMIT 1"
        );
        let row: Option<JobRow> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(scheme.0)
            .bind(division.unwrap_or(""))
            .fetch_optional(conn)
            .await)?;
        row.map(JobRow::into_domain).transpose()
    }

    /// Marks as interrupted the cohort's running jobs whose server has been silent since before
    /// `silent_since`; returns how many.
    pub async fn interrupt_silent_proposal_jobs(
        &mut self,
        scheme: SchemeId,
        division: Option<&str>,
        silent_since: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<u64, StoreError> {
        let sql = "UPDATE proposal_jobs SET state = 'interrupted', finished_at = $4 \
                   WHERE scheme_id = $1 AND COALESCE(division, '') = $2 AND state = 'running' AND heartbeat_at < $3";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(scheme.0)
            .bind(division.unwrap_or(""))
            .bind(silent_since)
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(done)
    }

    /// Records a running job's progress and sign of life; answers whether someone asked to
    /// cancel it (`None` when it no longer runs).
    pub async fn record_proposal_progress(
        &mut self,
        id: Uuid,
        stage: ProposalStage,
        done: i64,
        total: i64,
        now: OffsetDateTime,
    ) -> Result<Option<bool>, StoreError> {
        let sql = "UPDATE proposal_jobs SET stage = $2, done = $3, total = $4, heartbeat_at = $5 \
                   WHERE id = $1 AND state = 'running' RETURNING cancel_requested";
        let row: Option<(bool,)> = on_backend!(self, |conn| sqlx::query_as(sql)
            .bind(id)
            .bind(stage.as_str())
            .bind(done)
            .bind(total)
            .bind(now)
            .fetch_optional(conn)
            .await)?;
        Ok(row.map(|it| it.0))
    }

    /// Asks a running job to stop; false when it no longer runs.
    pub async fn request_proposal_cancel(&mut self, id: Uuid) -> Result<bool, StoreError> {
        let sql =
            "UPDATE proposal_jobs SET cancel_requested = $2 WHERE id = $1 AND state = 'running'";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(id)
            .bind(true)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(done == 1)
    }

    /// Ends a running job in `state` (with `failure` when it failed); false when it had
    /// already ended (interrupted by another server, say).
    pub async fn finish_proposal_job(
        &mut self,
        id: Uuid,
        state: ProposalState,
        failure: Option<ProposalFailure>,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE proposal_jobs SET state = $2, failure = $3, finished_at = $4, heartbeat_at = $4 \
                   WHERE id = $1 AND state = 'running'";
        let done = on_backend!(self, |conn| sqlx::query(sql)
            .bind(id)
            .bind(state.as_str())
            .bind(failure.map(ProposalFailure::as_str))
            .bind(now)
            .execute(conn)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(done == 1)
    }
}
