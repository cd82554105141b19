//! The mentoring relationship (R6, R7): the one state machine of a pair, from the introductory
//! meeting to closing, and the rules of its meetings, goals, actions and reviews.
//!
//! A confirmed `Match` is the relationship: its `MatchStatus` is the state, and `step` is the
//! only place that decides which move a member, a coordinator or the product itself may make.

use crate::codes::codes;
use crate::pairing::MatchStatus;
use crate::policy::SchemePolicy;
use time::{Date, OffsetDateTime};

mod closing;
mod concern;
mod extension;
mod meeting;
mod records;
mod role_change;
pub use closing::{
    ANSWER_FIELDS, Answer, AnswerKind, Answers, EvaluationQuestion, closing_complete,
    default_questions, parse_answers, question_problems,
};
pub use concern::{Concern, ConcernKind, ConcernOutcome, parse_concern, parse_outcome};
pub use extension::{Extension, ExtensionStatus, proposed_end};
pub use meeting::{
    MeetingForm, MeetingKind, MeetingMode, MeetingProblem, MeetingStatus, PlannedMeeting,
    first_meeting_refusal,
};
pub use records::{
    AgreedAction, Goal, GoalStatus, GrowNotes, Meeting, MeetingNotes, Review, ReviewKind,
};
pub use role_change::{
    Flag, FlagKind, FlagOutcome, FlagSettlement, mentor_manages, parse_settlement,
};

/// Who makes a move in a relationship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Party {
    /// The pair's mentor.
    Mentor,
    /// The pair's mentee.
    Mentee,
    /// A coordinator or champion of the pair's cohort (never one of the pair).
    Staff,
    /// The product itself (the reminder sweep).
    System,
}

impl Party {
    /// Every party.
    pub const ALL: [Self; 4] = [Self::Mentor, Self::Mentee, Self::Staff, Self::System];

    /// Whether this party is one of the pair.
    pub fn is_member(self) -> bool {
        matches!(self, Self::Mentor | Self::Mentee)
    }

    /// Which of `pair` `person` is, if they are one of it.
    pub fn of(pair: &crate::pairing::Match, person: crate::PersonId) -> Option<Self> {
        if person == pair.mentor {
            Some(Self::Mentor)
        } else if person == pair.mentee {
            Some(Self::Mentee)
        } else {
            None
        }
    }

    /// The party in words, e.g. "mentor".
    pub fn words(self) -> &'static str {
        match self {
            Self::Mentor => "mentor",
            Self::Mentee => "mentee",
            Self::Staff => "coordinator",
            Self::System => "Tandem",
        }
    }
}

/// A move in a relationship's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// A coordinator confirms a proposal, or the mentor accepts a directory request.
    Confirm,
    /// A coordinator sets a proposal aside, or the mentor declines a request.
    Decline,
    /// The mentor arranges (or re-arranges) the introductory meeting.
    ArrangeIntroduction,
    /// A member says they want to go on after the introductory meeting; the relationship
    /// becomes active once both have.
    GoOn {
        /// The introductory meeting has taken place.
        met: bool,
        /// The other member has already said they go on.
        partner_went_on: bool,
    },
    /// A member does not want to go on after the introductory meeting.
    StopAfterIntroduction {
        /// The introductory meeting has taken place.
        met: bool,
    },
    /// A member books or logs a session.
    Meet,
    /// A member writes goals, session notes or actions.
    Write,
    /// The pair records a progress review.
    Review,
    /// A member puts the relationship on hold.
    Hold,
    /// A member resumes it.
    Resume,
    /// A member proposes or agrees an extension of the end date.
    Extend {
        /// The scheme's policy allows extensions.
        allowed: bool,
    },
    /// A member starts closing the relationship.
    StartClosing,
    /// A member writes their end-of-mentoring review or answers the evaluation.
    WriteClosing,
    /// Both reviews and both evaluations are in: the relationship closes.
    FinishClosing,
    /// A member or a coordinator ends it early, with a reason.
    Withdraw,
}

impl Step {
    /// Every step, with each flag both ways, for exhaustive tests and tables.
    pub fn all() -> Vec<Self> {
        let mut out = vec![Self::Confirm, Self::Decline, Self::ArrangeIntroduction];
        for met in [false, true] {
            for partner_went_on in [false, true] {
                out.push(Self::GoOn {
                    met,
                    partner_went_on,
                });
            }
            out.push(Self::StopAfterIntroduction { met });
        }
        out.extend([
            Self::Meet,
            Self::Write,
            Self::Review,
            Self::Hold,
            Self::Resume,
        ]);
        for allowed in [false, true] {
            out.push(Self::Extend { allowed });
        }
        out.extend([
            Self::StartClosing,
            Self::WriteClosing,
            Self::FinishClosing,
            Self::Withdraw,
        ]);
        out
    }
}

/// Why a move is refused, in words the person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct StepRefused {
    /// The reason.
    pub reason: &'static str,
}

fn refuse<T>(reason: &'static str) -> Result<T, StepRefused> {
    Err(StepRefused { reason })
}

/// The state a relationship moves to when `party` takes `step` from `state`, or why not.
/// The one place these rules live.
pub fn step(state: MatchStatus, step: Step, party: Party) -> Result<MatchStatus, StepRefused> {
    use MatchStatus::{
        Active, Closed, Closing, Declined, Introductory, OnHold, Proposed, Requested, Withdrawn,
    };
    if state.is_over() && step != Step::Withdraw {
        return match state {
            Closed => refuse("the relationship is closed; nothing can be changed"),
            Declined => refuse("the pair was declined; nothing can be changed"),
            _ => refuse("the relationship has ended; nothing can be changed"),
        };
    }
    let member = party.is_member();
    match step {
        Step::Confirm => match (state, party) {
            (Proposed, Party::Staff) | (Requested, Party::Mentor) => Ok(Introductory),
            (Proposed, _) => refuse("only a coordinator or champion confirms a proposal"),
            (Requested, _) => refuse("only the mentor answers a request"),
            _ => refuse("the pair is already confirmed"),
        },
        Step::Decline => match (state, party) {
            (Proposed, Party::Staff) | (Requested, Party::Mentor) => Ok(Declined),
            (Proposed, _) => refuse("only a coordinator or champion sets a proposal aside"),
            (Requested, _) => refuse("only the mentor answers a request"),
            _ => refuse("the pair is confirmed; end it instead"),
        },
        Step::ArrangeIntroduction => match (state, party) {
            (Introductory, Party::Mentor) => Ok(Introductory),
            (Introductory, _) => refuse("the mentor arranges the introductory meeting"),
            _ => refuse("the introductory meeting is only arranged before the relationship starts"),
        },
        Step::GoOn {
            met,
            partner_went_on,
        } => match state {
            Introductory if !member => refuse("only the mentor and the mentee decide to go on"),
            Introductory if !met => refuse("say whether you go on after the introductory meeting"),
            Introductory if partner_went_on => Ok(Active),
            Introductory => Ok(Introductory),
            Proposed | Requested => refuse("the pair is not confirmed yet"),
            _ => refuse("the relationship has already started"),
        },
        Step::StopAfterIntroduction { met } => match state {
            Introductory if !member => refuse("only the mentor and the mentee decide to go on"),
            Introductory if !met => {
                refuse("say whether you go on after the introductory meeting, or end it early")
            }
            Introductory => Ok(Declined),
            Proposed | Requested => refuse("the pair is not confirmed yet"),
            _ => refuse("the relationship has already started; end it instead"),
        },
        Step::Meet => match state {
            _ if !member => refuse("only the mentor and the mentee book and log their sessions"),
            Active => Ok(Active),
            Introductory => refuse(
                "arrange the introductory meeting first; sessions follow once you both go on",
            ),
            OnHold => refuse("the relationship is on hold; resume it to book or log a session"),
            Closing => refuse("the relationship is closing; no more sessions"),
            _ => refuse("the pair is not confirmed yet"),
        },
        Step::Write => match state {
            _ if !member => refuse("only the mentor and the mentee write in their relationship"),
            Introductory | Active | OnHold | Closing => Ok(state),
            _ => refuse("the pair is not confirmed yet"),
        },
        Step::Review => match state {
            _ if !member => refuse("only the mentor and the mentee record their reviews"),
            Active => Ok(Active),
            OnHold => refuse("the relationship is on hold; resume it first"),
            _ => refuse("a progress review is recorded while the relationship is active"),
        },
        Step::Hold => match state {
            _ if !member => refuse("only the mentor or the mentee puts the relationship on hold"),
            Active => Ok(OnHold),
            OnHold => refuse("the relationship is already on hold"),
            _ => refuse("only an active relationship can be put on hold"),
        },
        Step::Resume => match state {
            _ if !member => refuse("only the mentor or the mentee resumes the relationship"),
            OnHold => Ok(Active),
            _ => refuse("the relationship is not on hold"),
        },
        Step::Extend { allowed } => match state {
            _ if !member => refuse("only the mentor and the mentee agree an extension"),
            _ if !allowed => refuse("this scheme does not allow extensions"),
            Active | OnHold => Ok(state),
            _ => refuse("only an active or paused relationship can be extended"),
        },
        Step::StartClosing => match state {
            _ if !member => refuse("only the mentor or the mentee starts closing"),
            Active | OnHold => Ok(Closing),
            Closing => refuse("the relationship is already closing"),
            _ => refuse("only a relationship that has started can be closed"),
        },
        Step::WriteClosing => match state {
            _ if !member => refuse("only the mentor and the mentee write the closing review"),
            Closing => Ok(Closing),
            _ => refuse("start closing the relationship first"),
        },
        Step::FinishClosing => match (state, party) {
            (Closing, Party::Staff) => {
                refuse("the relationship closes when both have written their review and evaluation")
            }
            (Closing, _) => Ok(Closed),
            _ => refuse("the relationship is not closing"),
        },
        Step::Withdraw => match state {
            _ if party == Party::System => {
                refuse("the product never ends a relationship by itself")
            }
            Introductory | Active | OnHold | Closing => Ok(Withdrawn),
            Requested if party == Party::Mentee => Ok(Withdrawn),
            Proposed | Requested => refuse("the pair is not confirmed; decline it instead"),
            _ => refuse("the relationship has already ended"),
        },
    }
}

/// Whether the pair may still write in the relationship (goals, notes, actions).
pub fn writable(state: MatchStatus) -> bool {
    step(state, Step::Write, Party::Mentee).is_ok()
}

codes! {
    /// Why a relationship is on hold (R6.3).
    HoldReason {
        /// A career break.
        CareerBreak => "career_break", "career break";
        /// Maternity, paternity, adoption or shared parental leave.
        ParentalLeave => "parental_leave", "parental leave";
        /// Sickness absence.
        Sickness => "sickness", "sickness";
        /// A secondment.
        Secondment => "secondment", "secondment";
        /// Something else.
        Other => "other", "another reason";
    }
}

codes! {
    /// Who an agreed action belongs to (R7.2).
    ActionOwner {
        /// The mentor.
        Mentor => "mentor", "mentor";
        /// The mentee.
        Mentee => "mentee", "mentee";
    }
}

/// The planned end of a relationship that started on `started`: the policy's longest duration
/// (R6.4), or its shortest when only that is set; none when the policy sets neither.
pub fn planned_end(policy: &SchemePolicy, started: Date) -> Option<Date> {
    let months = policy.duration_months.max.or(policy.duration_months.min)?;
    Some(add_months(started, months))
}

/// `date` plus `months` calendar months, on the same day or the month's last day.
pub fn add_months(date: Date, months: u32) -> Date {
    shift_months(date, i64::from(months))
}

/// `date` less `months` calendar months, on the same day or the month's last day.
pub fn months_before(date: Date, months: u32) -> Date {
    shift_months(date, -i64::from(months))
}

fn shift_months(date: Date, months: i64) -> Date {
    let total = i64::from(date.year()) * 12 + i64::from(u8::from(date.month())) - 1 + months;
    let year = i32::try_from(total.div_euclid(12)).unwrap_or(i32::MAX);
    let month_number = u8::try_from(total.rem_euclid(12) + 1).unwrap_or(12);
    let month = time::Month::try_from(month_number).unwrap_or(time::Month::December);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, date.day().min(last)).unwrap_or(date)
}

/// Whether a progress review is due now that `held` meetings have taken place (R7.3): at every
/// `review_every_nth_meeting`th meeting, unless one was recorded at or after it.
pub fn review_due(policy: &SchemePolicy, held: u32, last_review_at_meeting: Option<u32>) -> bool {
    let Some(every) = policy.review_every_nth_meeting.filter(|it| *it > 0) else {
        return false;
    };
    let due_at = held - held % every;
    due_at > 0 && last_review_at_meeting.is_none_or(|it| it < due_at)
}

/// Whether a progress review is due because the last meeting has been held (R7.3, policy
/// `review_at_final_meeting`): the scheme's most sessions are reached, or the end date is
/// nearer than the longest gap between sessions, so no further meeting is expected; unless a
/// review was recorded at or after the latest meeting.
pub fn final_review_due(
    policy: &SchemePolicy,
    held: u32,
    last_review_at_meeting: Option<u32>,
    ends_on: Option<Date>,
    today: Date,
) -> bool {
    if !policy.review_at_final_meeting || held == 0 {
        return false;
    }
    if last_review_at_meeting.is_some_and(|it| it >= held) {
        return false;
    }
    let most_reached = policy.sessions.max.is_some_and(|most| held >= most);
    let gap_weeks = policy.cadence_weeks.max.unwrap_or(DEFAULT_GAP_WEEKS);
    let end_near =
        ends_on.is_some_and(|end| end - today <= time::Duration::weeks(i64::from(gap_weeks)));
    most_reached || end_near
}

/// Whether the pair should record a progress review now (R7.3): at every Nth meeting, or at
/// the final one. The one rule the pair's page and the staff list both show.
pub fn progress_review_due(
    policy: &SchemePolicy,
    held: u32,
    last_review_at_meeting: Option<u32>,
    ends_on: Option<Date>,
    today: Date,
) -> bool {
    review_due(policy, held, last_review_at_meeting)
        || final_review_due(policy, held, last_review_at_meeting, ends_on, today)
}

/// The longest gap between sessions assumed when the scheme sets no cadence.
const DEFAULT_GAP_WEEKS: u32 = 8;

/// Whether `at` is in the past, as of `now`.
pub fn has_happened(at: OffsetDateTime, now: OffsetDateTime) -> bool {
    at <= now
}

#[cfg(test)]
mod tests;
