//! A bulk proposal worked out in the background (R5.9): where it stands, what stage it is at,
//! and why it stopped. The solve runs outside any write transaction, so nobody else waits for it.

use crate::codes::codes;
use crate::ids::SchemeId;
use time::OffsetDateTime;

codes! {
    /// Where a background proposal stands.
    ProposalState {
        /// Being worked out.
        Running => "running", "working out the best pairs";
        /// Written: the proposals are on the board.
        Done => "done", "finished";
        /// Stopped by a problem (see `ProposalFailure`).
        Failed => "failed", "could not be finished";
        /// Cancelled by a coordinator or champion; the earlier proposals are unchanged.
        Cancelled => "cancelled", "cancelled";
        /// The server stopped while it ran; the earlier proposals are unchanged.
        Interrupted => "interrupted", "stopped when the server restarted";
    }
}

codes! {
    /// The stage a running proposal is at.
    ProposalStage {
        /// Reading the cohort from the database.
        Reading => "reading", "reading the cohort";
        /// Scoring the pairs each mentee could have.
        Candidates => "candidates", "scoring the pairs";
        /// Placing mentees with mentors.
        Routing => "routing", "placing mentees";
        /// Checking every other pair for a better total.
        Pricing => "pricing", "checking for a better total";
        /// Writing the proposals.
        Writing => "writing", "writing the proposals";
    }
}

codes! {
    /// Why a proposal could not be finished.
    ProposalFailure {
        /// Applications kept changing while the proposal was worked out.
        CohortChanged => "cohort_changed", "applications kept changing while the pairs were worked out; run the proposal again";
        /// The cohort could not be turned into a matching problem.
        InvalidCohort => "invalid_cohort", "the cohort could not be matched; check the scheme's applications and policy";
        /// The person who started it may no longer match this cohort.
        NotAllowed => "not_allowed", "you may no longer match this cohort";
        /// Something failed inside Tandem; the log has the details.
        Internal => "internal", "something went wrong inside Tandem; run the proposal again, and tell your administrator if it happens again";
    }
}

/// A background proposal over one cohort (a scheme, or a champion's division of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalJob {
    /// Its id.
    pub id: uuid::Uuid,
    /// The scheme.
    pub scheme: SchemeId,
    /// The division whose mentees it covers; `None` for the whole scheme.
    pub division: Option<String>,
    /// Who started it (audit label).
    pub requested_by: String,
    /// When.
    pub requested_at: OffsetDateTime,
    /// Where it stands.
    pub state: ProposalState,
    /// The stage it is at (the last one reached when it stopped).
    pub stage: ProposalStage,
    /// Work done in the stage.
    pub done: i64,
    /// Work in the stage.
    pub total: i64,
    /// A coordinator asked to cancel it.
    pub cancel_requested: bool,
    /// The last sign of life from the server working on it.
    pub heartbeat_at: OffsetDateTime,
    /// When it stopped.
    pub finished_at: Option<OffsetDateTime>,
    /// Why it failed.
    pub failure: Option<ProposalFailure>,
}

/// A running job whose server has said nothing for this long is taken to have stopped.
pub const HEARTBEAT_TIMEOUT: time::Duration = time::Duration::seconds(60);

impl ProposalJob {
    /// Whether it still runs as of `now` (a silent server counts as stopped).
    pub fn is_running(&self, now: OffsetDateTime) -> bool {
        self.state == ProposalState::Running && now - self.heartbeat_at <= HEARTBEAT_TIMEOUT
    }

    /// Its state as of `now`: a running job whose server went silent is interrupted.
    pub fn state_at(&self, now: OffsetDateTime) -> ProposalState {
        if self.state == ProposalState::Running && !self.is_running(now) {
            ProposalState::Interrupted
        } else {
            self.state
        }
    }

    /// The share of the current stage done, in whole percent.
    pub fn percent(&self) -> i64 {
        if self.total <= 0 {
            0
        } else {
            (self.done.clamp(0, self.total) * 100) / self.total
        }
    }
}

#[cfg(test)]
mod tests;
