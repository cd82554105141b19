//! Reasonable adjustments (R8.5): what a person needs to take part (meeting remotely, not
//! travelling, something else in their own words). They hold across schemes; the partner in a
//! relationship sees only what the person chooses to share; the first-meeting rule and matching
//! read the remote and no-travel adjustments without showing them to anyone.

use crate::application::{FormProblem, TextLimit, written};
use crate::ids::PersonId;
use time::OffsetDateTime;

/// A person's recorded adjustments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustments {
    /// Whose.
    pub person: PersonId,
    /// Meetings may be remote (video or phone), the first one included.
    pub remote_meetings: bool,
    /// The person cannot travel to meet: on their own site or remotely only.
    pub no_travel: bool,
    /// Anything else, in the person's words.
    pub other: String,
    /// The partner in each of their relationships may read these.
    pub shared_with_partner: bool,
    /// When they last changed.
    pub updated_at: OffsetDateTime,
    /// Optimistic-concurrency version.
    pub version: i64,
}

impl Adjustments {
    /// Whether these let meetings, the first one included, be held remotely (R6.2).
    pub fn allow_remote_meetings(&self) -> bool {
        self.remote_meetings || self.no_travel
    }

    /// Whether anything is recorded at all.
    pub fn any(&self) -> bool {
        self.remote_meetings || self.no_travel || !self.other.is_empty()
    }
}

/// The adjustments form as sent: checkboxes are present when ticked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdjustmentsForm {
    /// "Meetings may be remote" ticked.
    pub remote_meetings: bool,
    /// "I cannot travel" ticked.
    pub no_travel: bool,
    /// Anything else.
    pub other: String,
    /// "Share with my mentor or mentee" ticked.
    pub shared_with_partner: bool,
}

impl AdjustmentsForm {
    /// The words of "anything else", checked.
    pub fn other(&self) -> Result<String, FormProblem> {
        written("other", &self.other, TextLimit::Reason, None)
    }
}
