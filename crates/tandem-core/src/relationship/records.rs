//! What a relationship keeps: its meetings (metadata staff may count) and what the pair
//! writes in confidence (R8.1): GROW notes, goals, agreed actions and reviews.

use super::{ActionOwner, MeetingKind, MeetingMode, MeetingStatus};
use crate::codes::codes;
use crate::ids::{MatchId, PersonId};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A meeting of the pair: the introductory meeting or a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    /// Its id (also the calendar entry's UID).
    pub id: Uuid,
    /// The relationship.
    pub pair: MatchId,
    /// Which meeting.
    pub kind: MeetingKind,
    /// Booked, held or cancelled.
    pub status: MeetingStatus,
    /// When it starts.
    pub starts_at: OffsetDateTime,
    /// How long, in minutes.
    pub minutes: u32,
    /// How.
    pub mode: MeetingMode,
    /// Where (the pair's business).
    pub place: Option<String>,
    /// Who arranged it (audit label).
    pub arranged_by: String,
    /// The calendar entry's revision: each change or cancellation sends a higher one.
    pub sequence: u32,
    /// When it was first booked or logged.
    pub created_at: OffsetDateTime,
    /// When it last changed.
    pub updated_at: OffsetDateTime,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// Notes of one meeting in the GROW shape (R7.2): goal, reality, options, way ahead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GrowNotes {
    /// What the mentee wants from this meeting.
    pub goal: String,
    /// Where things stand.
    pub reality: String,
    /// What could be done.
    pub options: String,
    /// What will be done.
    pub way_ahead: String,
}

/// A meeting's GROW notes as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingNotes {
    /// The meeting.
    pub meeting: Uuid,
    /// The notes.
    pub notes: GrowNotes,
    /// Who last wrote them (audit label).
    pub updated_by: String,
    /// When.
    pub updated_at: OffsetDateTime,
    /// Optimistic-concurrency version.
    pub version: i64,
}

codes! {
    /// Where a goal stands.
    GoalStatus {
        /// Being worked on.
        Open => "open", "open";
        /// Achieved.
        Achieved => "achieved", "achieved";
        /// Set aside.
        Dropped => "dropped", "set aside";
    }
}

/// A goal of the relationship; the mentee sets them (R7.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    /// Its id.
    pub id: Uuid,
    /// The relationship.
    pub pair: MatchId,
    /// The goal.
    pub text: String,
    /// Where it stands.
    pub status: GoalStatus,
    /// Who set it (audit label).
    pub created_by: String,
    /// When.
    pub created_at: OffsetDateTime,
    /// When it last changed.
    pub updated_at: OffsetDateTime,
    /// Optimistic-concurrency version.
    pub version: i64,
}

/// An action the pair agreed, with its owner and due date (R7.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreedAction {
    /// Its id.
    pub id: Uuid,
    /// The relationship.
    pub pair: MatchId,
    /// The meeting it was agreed at, if any.
    pub meeting: Option<Uuid>,
    /// What.
    pub text: String,
    /// Whose it is.
    pub owner: ActionOwner,
    /// By when.
    pub due_on: Option<Date>,
    /// Done.
    pub done: bool,
    /// Who added it (audit label).
    pub created_by: String,
    /// When.
    pub created_at: OffsetDateTime,
    /// When it last changed.
    pub updated_at: OffsetDateTime,
    /// Optimistic-concurrency version.
    pub version: i64,
}

codes! {
    /// Which review it is.
    ReviewKind {
        /// A progress review at every Nth meeting (R7.3).
        Progress => "progress", "progress review";
        /// A member's end-of-mentoring review (R6.6).
        Closing => "closing", "end-of-mentoring review";
    }
}

/// A review: what has been achieved and what comes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    /// Its id.
    pub id: Uuid,
    /// The relationship.
    pub pair: MatchId,
    /// Progress or closing.
    pub kind: ReviewKind,
    /// Who wrote it.
    pub author: PersonId,
    /// The meetings held when it was written.
    pub at_meeting: u32,
    /// What has been achieved.
    pub achieved: String,
    /// What comes next (for a closing review: how it will be sustained).
    pub next_steps: String,
    /// When.
    pub created_at: OffsetDateTime,
}
